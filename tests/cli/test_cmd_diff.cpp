// envstore diff: two references, one reference against the working tree, and
// --rev across commits made by envstore and by git; text, JSON and markdown
// with exact output; --exit-code; errors.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

const std::string k_train_v1 = "name: train\n"
                               "description: training\n"
                               "platforms: [linux-64]\n"
                               "python:\n"
                               "  version: \"3.10\"\n"
                               "  channels: [conda-forge, defaults]\n"
                               "  conda: [\"numpy>=1.26\", pandas]\n"
                               "  pip: [\"requests>=2.31\"]\n"
                               "variables: {DEBUG: \"1\", MODE: fast}\n";

const std::string k_train_v2 = "name: train\n"
                               "description: training\n"
                               "platforms: [linux-64]\n"
                               "python:\n"
                               "  version: \"3.11\"\n"
                               "  channels: [defaults, conda-forge]\n"
                               "  conda: [\"numpy>=2.0\", scipy]\n"
                               "  pip: [\"Requests>=2.32\"]\n"
                               "variables: {MODE: slow, OMP_NUM_THREADS: \"8\"}\n"
                               "docker: {base_image: \"ubuntu:24.04\"}\n";

const std::string k_train_text = "train@v1 -> train@v2\n"
                                 "  python.version: 3.10 -> 3.11\n"
                                 "  python.channels:\n"
                                 "    order: conda-forge, defaults -> defaults, conda-forge\n"
                                 "  python.conda:\n"
                                 "    ~ numpy>=1.26 -> numpy>=2.0\n"
                                 "    - pandas\n"
                                 "    + scipy\n"
                                 "  python.pip:\n"
                                 "    ~ requests>=2.31 -> Requests>=2.32\n"
                                 "  variables:\n"
                                 "    - DEBUG: 1\n"
                                 "    ~ MODE: fast -> slow\n"
                                 "    + OMP_NUM_THREADS: 8\n"
                                 "  docker.base_image: (none) -> ubuntu:24.04\n";

// train@v1 and train@v2, as above.
struct TwoVersions
{
    TestWorkspace ws;

    TwoVersions()
    {
        register_definition(ws, "train", k_train_v1);
        register_definition(ws, "train", k_train_v2);
    }
};

void check_run(const TestWorkspace& ws,
               const std::vector<std::string>& args,
               int exit_code,
               const std::string& out,
               const std::string& err = {})
{
    RunResult result = ws.envstore(args);
    INFO(fmt::format("envstore {}", fmt::join(args, " ")));
    CHECK(result.exit_code == exit_code);
    CHECK(result.out == out);
    CHECK(result.err == err);
}

void git_commit_all(const TestWorkspace& ws, const std::string& message)
{
    git_output(ws.root(), {"add", "-A"});
    git_output(ws.root(), {"commit", "-q", "-m", message});
}

} // namespace

TEST_CASE("diff of two versions reports every change, field by field", "[cli][diff]")
{
    TwoVersions setup;
    check_run(setup.ws, {"diff", "train@v1", "train@v2"}, 0, k_train_text);

    std::string reversed = "train@v2 -> train@v1\n"
                           "  python.version: 3.11 -> 3.10\n";
    RunResult back = setup.ws.envstore({"diff", "train@v2", "train@v1"});
    CHECK(back.exit_code == 0);
    CHECK(back.out.starts_with(reversed));
    CHECK(back.out.find("    + pandas\n") != std::string::npos);
}

TEST_CASE("diff --format markdown makes a table for a pull request", "[cli][diff]")
{
    TwoVersions setup;
    register_definition(setup.ws, "train", k_train_v2 + "metadata: {team: \"a|b\"}\n");
    check_run(setup.ws,
              {"diff", "train@v2", "train@latest", "--format", "markdown"},
              0,
              "### envstore diff: `train@v2` → `train@latest (v3)`\n"
              "\n"
              "| Field | Change | Before | After |\n"
              "| --- | --- | --- | --- |\n"
              "| `metadata` | added `team` |  | `a\\|b` |\n");
}

TEST_CASE("diff --format json and --json give the same stable document", "[cli][diff]")
{
    TestWorkspace ws;
    register_definition(ws, "train", minimal_definition("train"));
    std::string text = minimal_definition("train");
    text.replace(text.find("python:\n"), 8, "python:\n  pip: [rich]\n");
    register_definition(ws, "train", text);

    std::string expected = R"json({
  "format": 1,
  "scope": "references",
  "mode": "written",
  "before": "train@v1",
  "after": "train@v2",
  "before_commit": null,
  "after_commit": null,
  "differences": true,
  "environments": [
    {
      "name": "train",
      "status": "changed",
      "before": "train@v1",
      "after": "train@v2",
      "changes": [
        {
          "kind": "added",
          "field": "python.pip",
          "item": "rich",
          "key": "python.pip/rich",
          "before": null,
          "after": "rich"
        }
      ],
      "base": null,
      "warnings": []
    }
  ]
}
)json";
    check_run(ws, {"diff", "train@v1", "train@v2", "--format", "json"}, 0, expected);
    check_run(ws, {"--json", "diff", "train@v1", "train@v2"}, 0, expected);
    RunResult same = ws.envstore({"--json", "diff", "train@v2", "train@latest"});
    CHECK(nlohmann::json::parse(same.out).at("differences") == false);
}

TEST_CASE("diff with one REF compares it with the working tree", "[cli][diff]")
{
    TwoVersions setup;
    const TestWorkspace& ws = setup.ws;
    std::string edited = k_train_v2;
    edited.replace(edited.find("\"3.11\""), 6, "\"3.12\"");
    ws.write_definition("train", edited);

    check_run(ws,
              {"diff", "train@v2"},
              0,
              "train@v2 -> train (working tree)\n"
              "  python.version: 3.11 -> 3.12\n");
    check_run(ws,
              {"diff", "train"},
              0,
              "train@latest (v2) -> train (working tree)\n"
              "  python.version: 3.11 -> 3.12\n");
    std::string commit = git_text(ws, {"rev-parse", "HEAD~1"});
    RunResult from_commit = ws.envstore({"diff", "train@" + commit});
    CHECK(from_commit.exit_code == 0);
    CHECK(from_commit.out.starts_with(fmt::format("train@{} -> train (working tree)\n", commit)));
    CHECK(from_commit.out.find("  python.version: 3.10 -> 3.12\n") != std::string::npos);
}

TEST_CASE("diff --exit-code exits 1 only when there are differences", "[cli][diff]")
{
    TwoVersions setup;
    const TestWorkspace& ws = setup.ws;
    check_run(ws,
              {"diff", "train", "--exit-code"},
              0,
              "train@latest (v2) -> train (working tree)\n  no differences\n");
    check_run(ws, {"diff", "train@v1", "train@v2", "--exit-code"}, 1, k_train_text);
    CHECK(ws.envstore({"diff", "train@v1", "train@v2"}).exit_code == 0);
    CHECK(ws.envstore({"diff", "--rev", "HEAD~1..HEAD", "--exit-code"}).exit_code == 1);
    CHECK(ws.envstore({"diff", "--rev", "HEAD..HEAD", "--exit-code"}).exit_code == 0);
}

TEST_CASE("diff colours changes only when asked or on a terminal", "[cli][diff]")
{
    TwoVersions setup;
    RunResult plain = setup.ws.envstore({"diff", "train@v1", "train@v2"});
    CHECK(plain.out.find('\033') == std::string::npos);

    RunResult coloured = setup.ws.envstore({"--color", "always", "diff", "train@v1", "train@v2"});
    CHECK(coloured.exit_code == 0);
    CHECK(coloured.out.find("    \033[31m- pandas\033[0m\n") != std::string::npos);
    CHECK(coloured.out.find("    \033[32m+ scipy\033[0m\n") != std::string::npos);
    CHECK(coloured.out.find("  \033[33mpython.version: 3.10 -> 3.11\033[0m\n") !=
          std::string::npos);
}

TEST_CASE("diff --rev reports environments added, changed and removed", "[cli][diff]")
{
    TestWorkspace ws;
    register_definition(ws, "train", k_train_v1);
    register_definition(
        ws, "old", "name: old\nruntime: docker\ndocker: {base_image: \"debian:12\"}\n");
    git_output(ws.root(), {"tag", "start"});

    ws.write_definition("train", k_train_v2);
    ws.write_definition("serve", "name: serve\nplatforms: [linux-64]\n");
    std::filesystem::remove_all(ws.root() / "environments/old");
    git_commit_all(ws, "change train, add serve, drop old");
    git_output(ws.root(), {"branch", "feature"});

    std::string start = git_text(ws, {"rev-parse", "start^{commit}"});
    std::string head = git_text(ws, {"rev-parse", "HEAD"});
    std::string expected = fmt::format("start ({}) -> feature ({})\n"
                                       "removed old\n"
                                       "  name: old -> (none)\n"
                                       "  runtime: docker -> (none)\n"
                                       "  managed: true -> (none)\n"
                                       "  docker.base_image: debian:12 -> (none)\n"
                                       "added serve\n"
                                       "  name: (none) -> serve\n"
                                       "  runtime: (none) -> python\n"
                                       "  managed: (none) -> true\n"
                                       "  platforms:\n"
                                       "    + linux-64\n"
                                       "changed train\n",
                                       start.substr(0, 12),
                                       head.substr(0, 12));
    std::string train_changes = k_train_text.substr(k_train_text.find('\n') + 1);

    check_run(ws, {"diff", "--rev", "start..feature"}, 0, expected + train_changes);

    RunResult json = ws.envstore({"diff", "--rev", "start..", "--format", "json"});
    REQUIRE(json.exit_code == 0);
    auto document = nlohmann::json::parse(json.out);
    CHECK(document.at("scope") == "revisions");
    CHECK(document.at("before_commit") == start);
    CHECK(document.at("after_commit") == head);
    std::vector<std::string> statuses;
    for (const auto& environment : document.at("environments")) {
        statuses.push_back(environment.at("name").get<std::string>() + " " +
                           environment.at("status").get<std::string>());
    }
    CHECK(statuses == std::vector<std::string>{"old removed", "serve added", "train changed"});

    RunResult markdown = ws.envstore({"diff", "--rev", "start..HEAD", "--format", "markdown"});
    CHECK(markdown.out.starts_with(
        fmt::format("### envstore diff: `start` → `HEAD`\n\nCommits `{}` → `{}`: 1 added, "
                    "1 changed, 1 removed.\n\n#### `old`: removed\n",
                    start.substr(0, 12),
                    head.substr(0, 12))));
}

TEST_CASE("diff --rev reads commits, not the working tree", "[cli][diff]")
{
    TwoVersions setup;
    const TestWorkspace& ws = setup.ws;
    ws.write_definition("train", k_train_v1);
    ws.write_minimal("draft");

    std::string head = git_text(ws, {"rev-parse", "HEAD"});
    check_run(ws,
              {"diff", "--rev", "HEAD..HEAD"},
              0,
              fmt::format("HEAD ({0}) -> HEAD ({0})\n  no differences\n", head.substr(0, 12)));
    RunResult between = ws.envstore({"diff", "--rev", "train@v1..train@v2"});
    CHECK(between.out.find("changed train\n  python.version: 3.10 -> 3.11\n") != std::string::npos);
    CHECK(between.out.find("draft") == std::string::npos);
}

TEST_CASE("diff errors: bad and unknown references and revisions, usage", "[cli][diff]")
{
    TwoVersions setup;
    const TestWorkspace& ws = setup.ws;

    check_run(ws,
              {"diff", "train@"},
              3,
              "",
              "envstore: error: invalid reference \"train@\": nothing after \"@\"\n"
              "hint: write NAME@vN, NAME@latest, NAME@COMMIT or NAME@LABEL\n");
    check_run(ws,
              {"diff", "train@v1", "train@v9"},
              4,
              "",
              "envstore: error: unknown reference \"train@v9\"\n"
              "hint: \"train\" has versions v1 to v2 and no labels\n");
    check_run(ws,
              {"diff", "--rev", "nope..HEAD"},
              4,
              "",
              "envstore: error: unknown revision \"nope\"\n"
              "hint: name a commit, branch or tag of the workspace\n");
    check_run(ws,
              {"diff", "--rev", "HEAD"},
              3,
              "",
              "envstore: error: invalid revision range \"HEAD\"\n"
              "hint: write A..B: two commits, branches or tags\n");
    check_run(ws,
              {"diff"},
              2,
              "",
              "envstore: error: diff needs one or two REFs, or --rev A..B\n"
              "hint: run envstore diff --help\n");
    check_run(ws,
              {"diff", "train", "--rev", "HEAD~1..HEAD"},
              2,
              "",
              "envstore: error: --rev takes no REF\nhint: run envstore diff --help\n");
    check_run(ws,
              {"diff", "curated/python-3.11@v1"},
              3,
              "",
              "envstore: error: \"curated/python-3.11@v1\" has no working tree to compare with\n"
              "hint: name two references: envstore diff curated/NAME@vN curated/NAME@vM\n");
    CHECK(ws.envstore({"diff", "a", "b", "c"}).exit_code == 2);
    CHECK(ws.envstore({"diff", "train", "--format", "yaml"}).exit_code == 2);

    ws.write_definition("train", "name: train\nplatforms: linux-64\n");
    check_run(ws,
              {"diff", "train@v1"},
              3,
              "",
              "envstore: error: environments/train/environment.yaml:2:12: \"platforms\" must be a "
              "list of strings\n"
              "    platforms: linux-64\n"
              "               ^\n");
}

TEST_CASE("diff --rev names a definition that does not parse by revision and path", "[cli][diff]")
{
    TwoVersions setup;
    const TestWorkspace& ws = setup.ws;
    ws.write_definition("train", "name: train\nplatforms: linux-64\n");
    git_commit_all(ws, "break train by hand");

    check_run(ws,
              {"diff", "--rev", "HEAD~1..HEAD"},
              3,
              "",
              "envstore: error: HEAD:environments/train/environment.yaml:2:12: \"platforms\" must "
              "be a list of strings\n"
              "    platforms: linux-64\n"
              "               ^\n");
}
