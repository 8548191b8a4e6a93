// envstore diff and inheritance: the note when only (or also) a base changed,
// --resolved comparing what the definitions inherit, in text, markdown and
// JSON, for references and for --rev; a base that does not resolve.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

const std::string k_base = "name: base\n"
                           "python:\n"
                           "  version: \"3.11\"\n"
                           "  conda: [numpy=1.26]\n"
                           "variables: {A: \"1\"}\n";

const std::string k_train = "name: train\n"
                            "extends: base@latest\n"
                            "python:\n"
                            "  conda: [pandas]\n";

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    text.replace(text.find(from), from.size(), to);
    return text;
}

// base@v1; train@v1 on base@v1; base@v2 (numpy 2.0); train@v2, the same file
// tagged again, so it records base@v2.
struct NewBase
{
    TestWorkspace ws;

    NewBase()
    {
        register_definition(ws, "base", k_base);
        register_definition(ws, "train", k_train);
        register_definition(ws, "base", replaced(k_base, "numpy=1.26", "numpy=2.0"));
        run_ok(ws, {"tag", "train"});
    }
};

void check_run(const TestWorkspace& ws,
               const std::vector<std::string>& args,
               int exit_code,
               const std::string& out)
{
    RunResult result = ws.envstore(args);
    INFO(fmt::format("envstore {}\n{}", fmt::join(args, " "), result.err));
    CHECK(result.exit_code == exit_code);
    CHECK(result.out == out);
}

} // namespace

TEST_CASE("diff says when only the base changed, --resolved shows what changed", "[cli][diff]")
{
    NewBase setup;
    const TestWorkspace& ws = setup.ws;
    check_run(ws,
              {"diff", "train@v1", "train@v2", "--exit-code"},
              1,
              "train@v1 -> train@v2\n"
              "  only the base changed: base@v1 -> base@v2\n");
    check_run(ws,
              {"diff", "train@v1", "train@v2", "--resolved", "--exit-code"},
              1,
              "train@v1 -> train@v2\n"
              "  python.conda:\n"
              "    ~ numpy=1.26 -> numpy=2.0\n");
    check_run(ws,
              {"diff", "train@v1", "train@v2", "--format", "markdown"},
              0,
              "### envstore diff: `train@v1` → `train@v2`\n"
              "\n"
              "Only the base changed: `base@v1` → `base@v2`.\n");
    check_run(ws,
              {"diff", "train@v1", "train@v2", "--resolved", "--format", "markdown"},
              0,
              "### envstore diff: `train@v1` → `train@v2`\n"
              "\n"
              "| Field | Change | Before | After |\n"
              "| --- | --- | --- | --- |\n"
              "| `python.conda` | changed `numpy` | `numpy=1.26` | `numpy=2.0` |\n"
              "\n"
              "<sub>Resolved definitions: inheritance applied.</sub>\n");

    auto written =
        nlohmann::json::parse(ws.envstore({"--json", "diff", "train@v1", "train@v2"}).out);
    const auto& environment = written.at("environments").at(0);
    CHECK(written.at("mode") == "written");
    CHECK(environment.at("status") == "changed");
    CHECK(environment.at("changes").empty());
    CHECK(environment.at("base") ==
          nlohmann::json{{"only_base", true}, {"before", {"base@v1"}}, {"after", {"base@v2"}}});
    auto resolved = nlohmann::json::parse(
        ws.envstore({"--json", "diff", "train@v1", "train@v2", "--resolved"}).out);
    CHECK(resolved.at("mode") == "resolved");
    CHECK(resolved.at("environments").at(0).at("base").is_null());
    CHECK(resolved.at("environments").at(0).at("changes").at(0).at("key") == "python.conda/numpy");
}

TEST_CASE("diff notes a base that changed along with the definition", "[cli][diff]")
{
    NewBase setup;
    const TestWorkspace& ws = setup.ws;
    ws.write_definition("train", replaced(k_train, "[pandas]", "[pandas, scipy]"));
    check_run(ws,
              {"diff", "train@v1"},
              0,
              "train@v1 -> train (working tree)\n"
              "  python.conda:\n"
              "    + scipy\n"
              "  the base changed too: base@v1 -> base@v2\n");
    check_run(ws,
              {"diff", "train@v2"},
              0,
              "train@v2 -> train (working tree)\n"
              "  python.conda:\n"
              "    + scipy\n");
    check_run(ws,
              {"diff", "train@v1", "--resolved"},
              0,
              "train@v1 -> train (working tree)\n"
              "  python.conda:\n"
              "    ~ numpy=1.26 -> numpy=2.0\n"
              "    + scipy\n");
    check_run(ws,
              {"diff", "train@v2", "train@v2", "--exit-code"},
              0,
              "train@v2 -> train@v2\n"
              "  no differences\n");
}

TEST_CASE("diff warns when a side does not resolve and --resolved fails", "[cli][diff]")
{
    NewBase setup;
    const TestWorkspace& ws = setup.ws;
    ws.write_definition("train", replaced(k_train, "base@latest", "base@v9"));
    check_run(ws,
              {"diff", "train@v2"},
              0,
              "train@v2 -> train (working tree)\n"
              "  extends: base@latest -> base@v9\n"
              "  warning: cannot resolve train (working tree): unknown reference \"base@v9\"; "
              "its bases were not compared\n");

    RunResult resolved = ws.envstore({"diff", "train@v2", "--resolved"});
    CHECK(resolved.exit_code == 4);
    CHECK(resolved.out.empty());
    CHECK(resolved.err.starts_with("envstore: error: unknown reference \"base@v9\"\n"));
}

TEST_CASE("diff --rev notes a base read from the same commit", "[cli][diff]")
{
    TestWorkspace ws;
    register_definition(ws, "base", k_base);
    register_definition(ws, "train", replaced(k_train, "base@latest", "base"));
    std::string before = git_text(ws, {"rev-parse", "HEAD"});
    register_definition(ws, "base", replaced(k_base, "\"1\"", "\"2\""));
    std::string after = git_text(ws, {"rev-parse", "HEAD"});

    std::string heading =
        fmt::format("HEAD~1 ({}) -> HEAD ({})\n", before.substr(0, 12), after.substr(0, 12));
    check_run(ws,
              {"diff", "--rev", "HEAD~1..HEAD"},
              0,
              heading +
                  "changed base\n"
                  "  variables:\n"
                  "    ~ A: 1 -> 2\n"
                  "changed train\n" +
                  fmt::format("  only the base changed: base@{} -> base@{}\n",
                              before.substr(0, 12),
                              after.substr(0, 12)));
    auto document = nlohmann::json::parse(ws.envstore({"--json", "diff", "--rev", "HEAD~1.."}).out);
    CHECK(document.at("environments").at(1).at("base") ==
          nlohmann::json{
              {"only_base", true}, {"before", {"base@" + before}}, {"after", {"base@" + after}}});
    check_run(ws,
              {"diff", "--rev", "HEAD~1..HEAD", "--resolved"},
              0,
              heading + "changed base\n"
                        "  variables:\n"
                        "    ~ A: 1 -> 2\n"
                        "changed train\n"
                        "  variables:\n"
                        "    ~ A: 1 -> 2\n");
}
