#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace envstore::test {

TestWorkspace::TestWorkspace() : m_root(m_temp.path() / "ws")
{
    RunResult init = test::envstore(m_temp.path(), {"init", "ws"});
    INFO(init.err);
    REQUIRE(init.exit_code == 0);
}

void TestWorkspace::write_definition(std::string_view name, std::string_view text) const
{
    write_file(m_root / definition_path(name), text);
}

void TestWorkspace::write_minimal(std::string_view name, std::string_view extra) const
{
    write_definition(name, minimal_definition(name, extra));
}

std::string TestWorkspace::read(std::string_view relative) const
{
    return read_file(m_root / relative);
}

RunResult TestWorkspace::envstore(const std::vector<std::string>& args) const
{
    return test::envstore(m_root, args);
}

RunResult TestWorkspace::git(const std::vector<std::string>& args) const
{
    return test::git(m_root, args);
}

std::string minimal_definition(std::string_view name, std::string_view extra)
{
    std::string text = fmt::format("name: {}\n"
                                   "description: test environment {}\n"
                                   "runtime: python\n"
                                   "platforms: [linux-64]\n"
                                   "python:\n"
                                   "  version: \"3.11\"\n"
                                   "  channels: [conda-forge]\n"
                                   "  conda: [\"numpy>=1.26\"]\n",
                                   name,
                                   name);
    if (!extra.empty()) {
        text += extra;
        if (!text.ends_with('\n')) {
            text += '\n';
        }
    }
    return text;
}

std::string definition_path(std::string_view name)
{
    return fmt::format("environments/{}/environment.yaml", name);
}

void run_ok(const TestWorkspace& workspace, const std::vector<std::string>& args)
{
    RunResult result = workspace.envstore(args);
    INFO(args.front() << ": " << result.err);
    REQUIRE(result.exit_code == 0);
}

void register_version(const TestWorkspace& workspace, std::string_view name, int marker)
{
    workspace.write_minimal(name, fmt::format("metadata:\n  build: \"{}\"", marker));
    run_ok(workspace, {"register", std::string(name)});
}

void register_as(const TestWorkspace& workspace,
                 const std::string& name,
                 const std::string& author,
                 const std::string& text)
{
    workspace.write_definition(name, text);
    RunOptions options;
    options.env = {{"GIT_AUTHOR_NAME", author}, {"GIT_AUTHOR_EMAIL", author + "@example.org"}};
    RunResult result = envstore_with(workspace.root(), {"register", name, "-m", author}, options);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
}

void register_definition(const TestWorkspace& workspace,
                         std::string_view name,
                         std::string_view text)
{
    workspace.write_definition(name, text);
    run_ok(workspace, {"register", std::string(name)});
}

} // namespace envstore::test
