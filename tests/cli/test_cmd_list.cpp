// envstore list: every environment with its latest version, current labels
// and the description of its latest version; archived ones only with --all.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

// The minimal definition of `name` with `description` instead of its own.
std::string described(std::string_view name, std::string_view description)
{
    std::string text = minimal_definition(name);
    std::string old_line = "description: test environment " + std::string(name);
    text.replace(text.find(old_line), old_line.size(), "description: " + std::string(description));
    return text;
}

void register_described(const TestWorkspace& workspace,
                        std::string_view name,
                        std::string_view description)
{
    workspace.write_definition(name, described(name, description));
    run_ok(workspace, {"register", std::string(name)});
}

Json summary(std::string_view name,
             Json latest,
             Json labels,
             std::string_view description,
             bool archived,
             Json renamed_to,
             bool in_working_tree)
{
    return {{"name", name},
            {"latest", latest},
            {"labels", labels},
            {"description", description},
            {"archived", archived},
            {"renamed_to", renamed_to},
            {"in_working_tree", in_working_tree}};
}

// alpha: v1 and v2, labelled; beta: working tree only; gamma: v1 with a newer
// description not yet registered; delta: v1, its folder removed since.
void make_four_environments(const TestWorkspace& workspace)
{
    register_described(workspace, "alpha", "alpha one");
    register_described(workspace, "alpha", "alpha two");
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    run_ok(workspace, {"label", "alpha@v2", "staging"});
    workspace.write_definition("beta", described("beta", "beta draft"));
    register_described(workspace, "gamma", "gamma first");
    workspace.write_definition("gamma", described("gamma", "gamma edited"));
    register_described(workspace, "delta", "delta gone");
    std::filesystem::remove_all(workspace.root() / "environments" / "delta");
}

} // namespace

TEST_CASE("list shows every environment with latest version, labels and description", "[cli][list]")
{
    TestWorkspace workspace;
    make_four_environments(workspace);

    SECTION("as a text table")
    {
        RunResult result = workspace.envstore({"list"});
        CHECK(result.exit_code == 0);
        CHECK(result.err.empty());
        CHECK(result.out == "NAME   LATEST   LABELS                DESCRIPTION\n"
                            "alpha  v2       prod=v1,staging=v2    alpha two\n"
                            "beta   -        -                     beta draft\n"
                            "delta  v1       -                     delta gone\n"
                            "gamma  v1       -                     gamma first\n");
    }
    SECTION("as JSON")
    {
        RunResult result = workspace.envstore({"--json", "list"});
        CHECK(result.exit_code == 0);
        Json expected = {
            {"format", 1},
            {"environments",
             {summary("alpha", 2, {{"prod", 1}, {"staging", 2}}, "alpha two", false, nullptr, true),
              summary("beta", nullptr, Json::object(), "beta draft", false, nullptr, true),
              summary("delta", 1, Json::object(), "delta gone", false, nullptr, false),
              summary("gamma", 1, Json::object(), "gamma first", false, nullptr, true)}}};
        CHECK(Json::parse(result.out) == expected);
        CHECK(result.out.starts_with("{\n  \"format\": 1,\n"));
    }
}

TEST_CASE("list of a workspace without environments prints only the header", "[cli][list]")
{
    TestWorkspace workspace;

    RunResult text = workspace.envstore({"list"});
    CHECK(text.exit_code == 0);
    CHECK(text.out == "NAME  LATEST   LABELS                DESCRIPTION\n");

    RunResult json = workspace.envstore({"--json", "list", "--all"});
    CHECK(json.exit_code == 0);
    CHECK(Json::parse(json.out) == Json{{"format", 1}, {"environments", Json::array()}});
}

TEST_CASE("list widens the name column for long names and pads no empty description", "[cli][list]")
{
    TestWorkspace workspace;
    register_described(workspace, "a-rather-long-name", "long");
    register_described(workspace, "x", "\"\"");

    RunResult result = workspace.envstore({"list"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "NAME                LATEST   LABELS                DESCRIPTION\n"
                        "a-rather-long-name  v1       -                     long\n"
                        "x                   v1       -\n");
}

TEST_CASE("list hides archived environments unless --all, and then marks them", "[cli][list]")
{
    TestWorkspace workspace;
    register_described(workspace, "alpha", "alpha one");
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    register_described(workspace, "beta", "beta one");
    run_ok(workspace, {"archive", "alpha"});

    RunResult hidden = workspace.envstore({"list"});
    CHECK(hidden.exit_code == 0);
    CHECK(hidden.out == "NAME  LATEST   LABELS                DESCRIPTION\n"
                        "beta  v1       -                     beta one\n");

    RunResult all = workspace.envstore({"list", "--all"});
    CHECK(all.exit_code == 0);
    CHECK(all.out == "NAME   LATEST   LABELS                DESCRIPTION\n"
                     "alpha  v1       prod=v1               [archived] alpha one\n"
                     "beta   v1       -                     beta one\n");

    RunResult json = workspace.envstore({"--json", "list", "-a"});
    CHECK(json.exit_code == 0);
    Json expected = {{"format", 1},
                     {"environments",
                      {summary("alpha", 1, {{"prod", 1}}, "alpha one", true, nullptr, true),
                       summary("beta", 1, Json::object(), "beta one", false, nullptr, true)}}};
    CHECK(Json::parse(json.out) == expected);

    SECTION("and shows them again once restored")
    {
        run_ok(workspace, {"restore", "alpha"});
        RunResult restored = workspace.envstore({"list"});
        CHECK(restored.out == "NAME   LATEST   LABELS                DESCRIPTION\n"
                              "alpha  v1       prod=v1               alpha one\n"
                              "beta   v1       -                     beta one\n");
    }
}

TEST_CASE("list --all marks a renamed environment with its new name", "[cli][list]")
{
    TestWorkspace workspace;
    register_described(workspace, "old", "moving soon");
    run_ok(workspace, {"rename", "old", "new"});

    RunResult visible = workspace.envstore({"list"});
    CHECK(visible.exit_code == 0);
    CHECK(visible.out == "NAME  LATEST   LABELS                DESCRIPTION\n"
                         "new   v1       -                     moving soon\n");

    RunResult all = workspace.envstore({"list", "--all"});
    CHECK(all.exit_code == 0);
    CHECK(all.out == "NAME  LATEST   LABELS                DESCRIPTION\n"
                     "new   v1       -                     moving soon\n"
                     "old   v1       -                     [renamed to new] moving soon\n");

    RunResult json = workspace.envstore({"--json", "list", "--all"});
    CHECK(json.exit_code == 0);
    Json expected = {{"format", 1},
                     {"environments",
                      {summary("new", 1, Json::object(), "moving soon", false, nullptr, true),
                       summary("old", 1, Json::object(), "moving soon", true, "new", false)}}};
    CHECK(Json::parse(json.out) == expected);
}

TEST_CASE("list refuses a stray argument", "[cli][list]")
{
    TestWorkspace workspace;
    RunResult result = workspace.envstore({"list", "alpha"});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: the following argument was not expected: alpha\n"
                        "hint: run envstore --help, or envstore COMMAND --help\n");
}

TEST_CASE("list shows only current labels: moved and deleted ones are history", "[cli][list]")
{
    TestWorkspace workspace;
    register_described(workspace, "alpha", "one");
    register_described(workspace, "alpha", "two");
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    run_ok(workspace, {"label", "alpha@v2", "prod"});
    run_ok(workspace, {"label", "alpha@v1", "old"});
    run_ok(workspace, {"label", "--delete", "alpha", "old"});

    RunResult result = workspace.envstore({"list"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "NAME   LATEST   LABELS                DESCRIPTION\n"
                        "alpha  v2       prod=v2               two\n");
}

TEST_CASE("list still lists a working-tree definition that does not parse", "[cli][list]")
{
    TestWorkspace workspace;
    register_described(workspace, "alpha", "fine");
    workspace.write_definition("broken", "name: broken\ndescription: [unclosed\n");

    RunResult result = workspace.envstore({"list"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "NAME    LATEST   LABELS                DESCRIPTION\n"
                        "alpha   v1       -                     fine\n"
                        "broken  -        -\n");
}
