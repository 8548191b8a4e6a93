#include "support/in_process.hpp"

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include "envstore/versions.hpp"

#include <cstdlib>

namespace envstore::test {
namespace {

// The test environment must be in place before the library makes the
// workspace, so it is applied while that member is initialised.
Workspace init_in(const TempDir& temp)
{
    apply_test_environment();
    return Workspace::init(temp / "ws");
}

} // namespace

InProcessWorkspace::InProcessWorkspace() : m_workspace(init_in(m_temp))
{
}

std::string InProcessWorkspace::git(const std::vector<std::string>& args,
                                    const RunOptions& options) const
{
    return git_text(root(), args, options);
}

std::string InProcessWorkspace::git(const std::vector<std::string>& args,
                                    const std::string& input) const
{
    return git_text(root(), args, {.cwd = {}, .env = {}, .unset = {}, .input = input});
}

void InProcessWorkspace::write(const std::string& name, const std::string& text) const
{
    write_file(root() / definition_path(name), text);
}

void InProcessWorkspace::register_as(const std::string& name,
                                     const std::string& author,
                                     const std::string& text,
                                     const std::string& message) const
{
    write(name, text);
    setenv("GIT_AUTHOR_NAME", author.c_str(), 1);
    setenv("GIT_AUTHOR_EMAIL", (author + "@example.org").c_str(), 1);
    register_definitions(m_workspace, {name}, message);
    unsetenv("GIT_AUTHOR_NAME");
    unsetenv("GIT_AUTHOR_EMAIL");
}

} // namespace envstore::test
