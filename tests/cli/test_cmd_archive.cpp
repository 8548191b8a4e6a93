// envstore archive and restore: hiding an environment from list is recorded
// as append-only annotated tags NAME#archive#N; versions stay readable.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

void register_minimal(const TestWorkspace& workspace, std::string_view name)
{
    workspace.write_minimal(name);
    run_ok(workspace, {"register", std::string(name)});
}

// The names `list --json` gives, each archived one marked with "*".
std::string listed_names(const TestWorkspace& workspace, const std::vector<std::string>& extra = {})
{
    std::vector<std::string> args = {"--json", "list"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult result = workspace.envstore(args);
    REQUIRE(result.exit_code == 0);
    Json document = Json::parse(result.out);
    std::string names;
    for (const auto& summary : document["environments"]) {
        bool archived = summary["archived"].get<bool>();
        names += summary["name"].get<std::string>() + (archived ? "* " : " ");
    }
    return names;
}

} // namespace

TEST_CASE("archive hides an environment from list and keeps its versions readable",
          "[cli][archive]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");
    register_minimal(workspace, "beta");
    std::string v1 = workspace.envstore({"show", "alpha@v1"}).out;
    REQUIRE_FALSE(v1.empty());

    RunResult result = workspace.envstore({"archive", "alpha"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "Archived alpha: hidden from list, its versions stay readable\n");
    CHECK(result.err.empty());

    CHECK(listed_names(workspace) == "beta ");
    CHECK(listed_names(workspace, {"--all"}) == "alpha* beta ");
    RunResult shown = workspace.envstore({"show", "alpha@v1"});
    CHECK(shown.exit_code == 0);
    CHECK(shown.out == v1);
    CHECK(workspace.envstore({"show", "alpha@latest"}).out == v1);
    CHECK(workspace.envstore({"log", "alpha"}).exit_code == 0);

    // The record, read by git: an annotated tag on the latest version's tag.
    CHECK(git_text(workspace, {"tag", "-l", "alpha#*"}) == "alpha#archive#1");
    CHECK(git_text(workspace, {"cat-file", "-t", "alpha#archive#1"}) == "tag");
    CHECK(git_text(workspace, {"cat-file", "-p", "alpha#archive#1"})
              .starts_with("object " + git_text(workspace, {"rev-parse", "alpha@v1"}) + "\n"));
    CHECK(tag_message(workspace, "alpha#archive#1") == "Archive alpha\n\n"
                                                       "Envstore-Environment: alpha\n"
                                                       "Envstore-Action: archive\n"
                                                       "Envstore-Sequence: 1");
    CHECK(git_text(workspace, {"status", "--porcelain"}).empty());
    CHECK(workspace.git({"fsck", "--strict"}).exit_code == 0);
}

TEST_CASE("archive prints JSON", "[cli][archive]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");

    RunResult archived = workspace.envstore({"--json", "archive", "alpha"});
    CHECK(archived.exit_code == 0);
    CHECK(Json::parse(archived.out) == Json{{"format", 1}, {"name", "alpha"}, {"archived", true}});

    RunResult restored = workspace.envstore({"--json", "restore", "alpha"});
    CHECK(restored.exit_code == 0);
    CHECK(Json::parse(restored.out) == Json{{"format", 1}, {"name", "alpha"}, {"archived", false}});
}

TEST_CASE("archive of an archived environment is refused", "[cli][archive]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");
    run_ok(workspace, {"archive", "alpha"});

    RunResult again = workspace.envstore({"archive", "alpha"});
    CHECK(again.exit_code == 3);
    CHECK(again.out.empty());
    CHECK(again.err == "envstore: error: \"alpha\" is already archived\n");
    CHECK(git_text(workspace, {"tag", "-l", "alpha#*"}) == "alpha#archive#1");
}

TEST_CASE("restore un-hides an environment with a new record", "[cli][archive][restore]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");
    run_ok(workspace, {"archive", "alpha"});
    std::string first = git_text(workspace, {"rev-parse", "alpha#archive#1"});

    RunResult result = workspace.envstore({"restore", "alpha"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "Restored alpha\n");
    CHECK(listed_names(workspace) == "alpha ");
    CHECK(git_text(workspace, {"tag", "-l", "alpha#*"}) == "alpha#archive#1\nalpha#archive#2");
    CHECK(git_text(workspace, {"rev-parse", "alpha#archive#1"}) == first);
    CHECK(tag_message(workspace, "alpha#archive#2") == "Restore alpha\n\n"
                                                       "Envstore-Environment: alpha\n"
                                                       "Envstore-Action: restore\n"
                                                       "Envstore-Sequence: 2");

    SECTION("archiving again appends a third record")
    {
        run_ok(workspace, {"archive", "alpha"});
        CHECK(git_text(workspace, {"tag", "-l", "alpha#*"}) ==
              "alpha#archive#1\nalpha#archive#2\nalpha#archive#3");
        CHECK(git_text(workspace, {"rev-parse", "alpha#archive#1"}) == first);
        CHECK(listed_names(workspace).empty());
    }
    CHECK(workspace.git({"fsck", "--strict"}).exit_code == 0);
}

TEST_CASE("restore of an environment that is not archived is refused", "[cli][restore]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");

    RunResult result = workspace.envstore({"restore", "alpha"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: \"alpha\" is not archived\n");
    CHECK(git_text(workspace, {"tag", "-l", "alpha#*"}).empty());
}

TEST_CASE("archive and restore of an unknown environment are not found", "[cli][archive][restore]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");

    auto command = GENERATE(as<std::string>{}, "archive", "restore");
    RunResult result = workspace.envstore({command, "alpah"});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: no environment \"alpah\"\n");
    CHECK(git_text(workspace, {"tag", "-l", "*#*"}).empty());
}

TEST_CASE("archive and restore take a name, not a reference or a bad name",
          "[cli][archive][restore]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");

    auto command = GENERATE(as<std::string>{}, "archive", "restore");
    SECTION("a version reference")
    {
        RunResult result = workspace.envstore({command, "alpha@v1"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: " + command +
                                " takes an environment name, not a reference: \"alpha@v1\"\n");
    }
    SECTION("an invalid name")
    {
        RunResult result = workspace.envstore({command, "Alpha"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: invalid reference \"Alpha\": \"A\" is not allowed "
                            "(use lowercase letters, digits, \".\", \"_\" and \"-\")\n");
    }
    CHECK(git_text(workspace, {"tag", "-l", "*#*"}).empty());
}

TEST_CASE("archive of an environment without versions records it on HEAD", "[cli][archive]")
{
    TestWorkspace workspace;
    register_minimal(workspace, "alpha");
    workspace.write_minimal("draft");

    run_ok(workspace, {"archive", "draft"});
    CHECK(listed_names(workspace) == "alpha ");
    CHECK(listed_names(workspace, {"--all"}) == "alpha draft* ");
    CHECK(git_text(workspace, {"rev-parse", "draft#archive#1^{commit}"}) ==
          git_text(workspace, {"rev-parse", "HEAD"}));

    run_ok(workspace, {"restore", "draft"});
    CHECK(listed_names(workspace) == "alpha draft ");
}
