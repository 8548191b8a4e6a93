#include "support/in_process.hpp"

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

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

} // namespace envstore::test
