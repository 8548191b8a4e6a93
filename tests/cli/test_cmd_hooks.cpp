// envstore hooks: the Git diff driver installed in a workspace, judged by git
// itself: `git check-attr`, `git config`, and the output of plain `git diff`,
// `git log -p` and `git log -p --ext-diff`.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace envstore::test;

namespace {

const std::string k_v1 = "name: train\n"
                         "platforms: [linux-64]\n"
                         "python:\n"
                         "  version: \"3.10\"\n"
                         "  channels: [conda-forge]\n"
                         "  conda: [\"numpy>=1.26\", pandas]\n";

const std::string k_v2 = "# a comment, and another key order\n"
                         "python:\n"
                         "  conda: [pandas, \"numpy>=2.0\"]\n"
                         "  channels: [conda-forge]\n"
                         "  version: \"3.11\"\n"
                         "platforms: [linux-64]\n"
                         "name: train\n";

const std::string k_driver_output = "a/environments/train/environment.yaml -> "
                                    "b/environments/train/environment.yaml\n"
                                    "  python.version: 3.10 -> 3.11\n"
                                    "  python.conda:\n"
                                    "    ~ numpy>=1.26 -> numpy>=2.0\n";

std::string program()
{
    return std::filesystem::canonical(envstore_binary()).string();
}

std::string config_file(const TestWorkspace& ws)
{
    return (ws.root() / ".git/config").string();
}

std::string attributes_file(const TestWorkspace& ws)
{
    return (ws.root() / ".git/info/attributes").string();
}

std::string install_report(const TestWorkspace& ws, const std::string& action)
{
    return fmt::format("{0:<9} {1}: environments/*/environment.yaml diff=envstore\n"
                       "{0:<9} {2}: diff.envstore.textconv = '{3}' hooks textconv\n"
                       "{0:<9} {2}: diff.envstore.command = '{3}' hooks diff-driver\n",
                       action,
                       attributes_file(ws),
                       config_file(ws),
                       program());
}

// A workspace with train@v1 and train@v2 (k_v1, k_v2) and the driver installed.
struct Installed
{
    TestWorkspace ws;

    Installed()
    {
        ws.write_definition("train", k_v1);
        run_ok(ws, {"register", "train"});
        ws.write_definition("train", k_v2);
        run_ok(ws, {"register", "train"});
        run_ok(ws, {"hooks", "install"});
    }
};

} // namespace

TEST_CASE("hooks install sets the attributes and the driver, once", "[cli][hooks]")
{
    TestWorkspace ws;
    std::string config_before = ws.read(".git/config");
    write_file(ws.root() / ".git/info/attributes", "*.bin binary\n");

    RunResult first = ws.envstore({"hooks", "install"});
    CHECK(first.exit_code == 0);
    CHECK(first.out == install_report(ws, "added"));
    CHECK(git_text(ws, {"check-attr", "diff", "--", "environments/train/environment.yaml"}) ==
          "environments/train/environment.yaml: diff: envstore");
    CHECK(git_text(ws, {"check-attr", "diff", "--", "envstore.yaml"}) ==
          "envstore.yaml: diff: unspecified");
    CHECK(git_text(ws, {"config", "--local", "diff.envstore.textconv"}) ==
          fmt::format("'{}' hooks textconv", program()));
    CHECK(git_text(ws, {"config", "--local", "diff.envstore.command"}) ==
          fmt::format("'{}' hooks diff-driver", program()));
    CHECK(ws.read(".git/info/attributes") ==
          "*.bin binary\n"
          "# envstore: semantic diff of definitions (envstore hooks uninstall removes these "
          "lines)\n"
          "environments/*/environment.yaml diff=envstore\n");
    CHECK(git_text(ws, {"status", "--porcelain"}).empty());

    std::string attributes = ws.read(".git/info/attributes");
    std::string config = ws.read(".git/config");
    RunResult again = ws.envstore({"hooks", "install"});
    CHECK(again.exit_code == 0);
    CHECK(again.out == install_report(ws, "unchanged"));
    CHECK(ws.read(".git/info/attributes") == attributes);
    CHECK(ws.read(".git/config") == config);

    RunResult removed = ws.envstore({"hooks", "uninstall"});
    CHECK(removed.exit_code == 0);
    CHECK(removed.out == fmt::format("removed   {}: environments/*/environment.yaml diff=envstore\n"
                                     "removed   {}: diff.envstore.textconv\n"
                                     "removed   {}: diff.envstore.command\n",
                                     attributes_file(ws),
                                     config_file(ws),
                                     config_file(ws)));
    CHECK(ws.read(".git/config") == config_before);
    CHECK(ws.read(".git/info/attributes") == "*.bin binary\n");
}

TEST_CASE("hooks uninstall leaves settings it did not make", "[cli][hooks]")
{
    TestWorkspace ws;
    git_output(ws.root(), {"config", "diff.envstore.textconv", "cat"});

    RunResult result = ws.envstore({"--json", "hooks", "uninstall"});
    CHECK(result.exit_code == 0);
    auto document = nlohmann::json::parse(result.out);
    CHECK(document.at("action") == "uninstall");
    std::vector<std::string> actions;
    for (const auto& setting : document.at("settings")) {
        actions.push_back(setting.at("action"));
    }
    CHECK(actions == std::vector<std::string>{"absent", "absent", "absent"});
    CHECK(git_text(ws, {"config", "--local", "diff.envstore.textconv"}) == "cat");
    CHECK_FALSE(std::filesystem::exists(ws.root() / ".git/info/attributes"));
}

TEST_CASE("hooks install --json reports each setting", "[cli][hooks]")
{
    TestWorkspace ws;
    git_output(ws.root(), {"config", "diff.envstore.command", "'/old/envstore' hooks diff-driver"});
    RunResult result = ws.envstore({"hooks", "install", "--json"});
    CHECK(result.exit_code == 0);
    auto document = nlohmann::json::parse(result.out);
    CHECK(document.at("format") == 1);
    CHECK(document.at("action") == "install");
    REQUIRE(document.at("settings").size() == 3);
    const auto& command = document.at("settings").at(2);
    CHECK(command.at("file") == config_file(ws));
    CHECK(command.at("setting") == "diff.envstore.command");
    CHECK(command.at("value") == fmt::format("'{}' hooks diff-driver", program()));
    CHECK(command.at("action") == "updated");
    CHECK(document.at("settings").at(0).at("action") == "added");
}

TEST_CASE("plain git diff shows a definition as the semantic diff", "[cli][hooks]")
{
    Installed setup;
    const TestWorkspace& ws = setup.ws;
    ws.write_definition("train", k_v1);
    CHECK(git_output(ws.root(), {"diff", "train@v1", "train@v2"}) == k_driver_output);

    std::string reverse = git_output(ws.root(), {"diff"});
    CHECK(reverse == "a/environments/train/environment.yaml -> "
                     "b/environments/train/environment.yaml\n"
                     "  python.version: 3.11 -> 3.10\n"
                     "  python.conda:\n"
                     "    ~ numpy>=2.0 -> numpy>=1.26\n");

    ws.write_minimal("serve");
    git_output(ws.root(), {"add", "environments/serve"});
    CHECK(git_output(ws.root(), {"diff", "--cached"}) ==
          "/dev/null -> b/environments/serve/environment.yaml\n"
          "  name: (none) -> serve\n"
          "  description: (none) -> test environment serve\n"
          "  runtime: (none) -> python\n"
          "  managed: (none) -> true\n"
          "  platforms:\n"
          "    + linux-64\n"
          "  python.version: (none) -> 3.11\n"
          "  python.channels:\n"
          "    + conda-forge\n"
          "  python.conda:\n"
          "    + numpy>=1.26\n");
}

TEST_CASE("git log -p and git show show the definition one element a line", "[cli][hooks]")
{
    Installed setup;
    std::string patch = git_output(setup.ws.root(), {"log", "-p", "-1", "--format=", "train@v2"});
    std::string header = patch.substr(0, patch.find("@@"));
    CHECK(header.starts_with("diff --git a/environments/train/environment.yaml "
                             "b/environments/train/environment.yaml\n"));
    CHECK(patch.substr(patch.find("@@")) == "@@ -2,8 +2,8 @@ name: train\n"
                                            " runtime: python\n"
                                            " managed: true\n"
                                            " platforms/linux-64\n"
                                            "-python.version: 3.10\n"
                                            "+python.version: 3.11\n"
                                            " python.channels: conda-forge\n"
                                            " python.channels/conda-forge\n"
                                            "-python.conda/numpy: numpy>=1.26\n"
                                            "+python.conda/numpy: numpy>=2.0\n"
                                            " python.conda/pandas\n");

    CHECK(git_output(setup.ws.root(), {"show", "--format=", "train@v2^{commit}"}) == patch);

    std::string external =
        git_output(setup.ws.root(), {"log", "-p", "--ext-diff", "-1", "--format=", "train@v2"});
    CHECK(external == k_driver_output);
}

TEST_CASE("the driver falls back to a note for a file that does not parse", "[cli][hooks]")
{
    Installed setup;
    const TestWorkspace& ws = setup.ws;
    ws.write_definition("train", "name: train\nplatforms: linux-64\n");
    CHECK(git_output(ws.root(), {"diff"}) ==
          "a/environments/train/environment.yaml -> b/environments/train/environment.yaml\n"
          "  not compared: environments/train/environment.yaml:2:12: \"platforms\" must be a "
          "list of strings; git diff --no-ext-diff shows the lines\n");
    std::string lines = git_output(ws.root(), {"diff", "--no-ext-diff"});
    CHECK(lines.find("+platforms: linux-64\n") != std::string::npos);
    CHECK(lines.find("-python.version: 3.11\n") != std::string::npos);
}

TEST_CASE("after hooks uninstall git diff shows lines again", "[cli][hooks]")
{
    Installed setup;
    run_ok(setup.ws, {"hooks", "uninstall"});
    std::string patch = git_output(setup.ws.root(), {"diff", "train@v1", "train@v2"});
    CHECK(patch.find("+# a comment, and another key order\n") != std::string::npos);
}
