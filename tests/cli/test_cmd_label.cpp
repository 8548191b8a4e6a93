// envstore label: labels are append-only annotated tags NAME#LABEL#N, the
// highest N current. Moving or deleting a label adds a tag and never moves
// one, so labels travel with plain `git fetch --tags`.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <thread>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

// A workspace where alpha has versions v1 to v3.
void make_three_versions(const TestWorkspace& workspace)
{
    for (int n = 1; n <= 3; ++n) {
        register_version(workspace, "alpha", n);
    }
}

std::string show(const std::filesystem::path& dir, const std::string& reference)
{
    RunResult result = envstore::test::envstore(dir, {"show", reference});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

void wait_for_next_second()
{
    std::time_t start = std::time(nullptr);
    while (std::time(nullptr) == start) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace

TEST_CASE("label points a label at the version a reference names", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    run_ok(workspace, {"label", "alpha@v1", "stable"});

    auto [reference, expected] = GENERATE(table<std::string, int>(
        {{"alpha@v2", 2}, {"alpha@2", 2}, {"alpha@latest", 3}, {"alpha@stable", 1}}));
    INFO(reference);
    RunResult result = workspace.envstore({"label", reference, "prod"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == fmt::format("alpha@prod -> alpha@v{}\n", expected));
    CHECK(result.err.empty());
    CHECK(show(workspace.root(), "alpha@prod") ==
          show(workspace.root(), fmt::format("alpha@v{}", expected)));

    // The record, read by git: an annotated tag on the version's own tag object.
    std::string version_tag =
        git_text(workspace.root(), {"rev-parse", fmt::format("alpha@v{}", expected)});
    std::string object = git_text(workspace.root(), {"cat-file", "-p", "alpha#prod#1"});
    CHECK(object.starts_with(fmt::format("object {}\ntype tag\ntag alpha#prod#1\n", version_tag)));
    CHECK(tag_message(workspace, "alpha#prod#1") == fmt::format("Label prod -> alpha@v{0}\n\n"
                                                                "Envstore-Environment: alpha\n"
                                                                "Envstore-Label: prod\n"
                                                                "Envstore-Action: set\n"
                                                                "Envstore-Version: {0}\n"
                                                                "Envstore-Sequence: 1",
                                                                expected));
    CHECK(git(workspace.root(), {"fsck", "--strict"}).exit_code == 0);
}

TEST_CASE("label prints the record it made as JSON", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);

    RunResult result = workspace.envstore({"--json", "label", "alpha@v2", "prod"});
    CHECK(result.exit_code == 0);
    Json document = Json::parse(result.out);
    std::string date = git_text(
        workspace.root(), {"for-each-ref", "--format=%(taggerdate:iso)", "refs/tags/alpha#prod#1"});
    Json expected = {
        {"format", 1},
        {"name", "alpha"},
        {"label", "prod"},
        {"sequence", 1},
        {"version", 2},
        {"action", "set"},
        {"tagger", {{"name", "Test Author"}, {"email", "author@example.org"}, {"date", date}}}};
    CHECK(document == expected);
}

TEST_CASE("moving a label appends a new tag and never moves the old one", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    std::string first = git_text(workspace.root(), {"rev-parse", "alpha#prod#1"});

    RunResult moved = workspace.envstore({"label", "alpha@v3", "prod"});
    CHECK(moved.exit_code == 0);
    CHECK(moved.out == "alpha@prod -> alpha@v3\n");

    CHECK(git_text(workspace.root(), {"rev-parse", "alpha#prod#1"}) == first);
    CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#prod#*"}) ==
          "alpha#prod#1\nalpha#prod#2");
    CHECK(git_text(workspace.root(), {"cat-file", "-t", "alpha#prod#2"}) == "tag");
    CHECK(git_text(workspace.root(), {"rev-parse", "alpha#prod#2^{commit}"}) ==
          git_text(workspace.root(), {"rev-parse", "alpha@v3^{commit}"}));
    CHECK(show(workspace.root(), "alpha@prod") == show(workspace.root(), "alpha@v3"));

    RunResult back = workspace.envstore({"label", "alpha@v1", "prod"});
    CHECK(back.exit_code == 0);
    CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#prod#*"}) ==
          "alpha#prod#1\nalpha#prod#2\nalpha#prod#3");
    CHECK(git_text(workspace.root(), {"rev-parse", "alpha#prod#1"}) == first);
    CHECK(show(workspace.root(), "alpha@prod") == show(workspace.root(), "alpha@v1"));
}

TEST_CASE("label --delete appends a delete record and the label names nothing", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    run_ok(workspace, {"label", "alpha@v2", "prod"});
    std::string first = git_text(workspace.root(), {"rev-parse", "alpha#prod#1"});

    RunResult deleted = workspace.envstore({"label", "--delete", "alpha", "prod"});
    CHECK(deleted.exit_code == 0);
    CHECK(deleted.out == "Deleted label prod of alpha\n");
    CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#prod#*"}) ==
          "alpha#prod#1\nalpha#prod#2");
    CHECK(git_text(workspace.root(), {"rev-parse", "alpha#prod#1"}) == first);
    CHECK(tag_message(workspace, "alpha#prod#2") == "Delete label prod (was alpha@v2)\n\n"
                                                    "Envstore-Environment: alpha\n"
                                                    "Envstore-Label: prod\n"
                                                    "Envstore-Action: delete\n"
                                                    "Envstore-Sequence: 2");

    RunResult shown = workspace.envstore({"show", "alpha@prod"});
    CHECK(shown.exit_code == 4);
    CHECK(shown.out.empty());
    CHECK(shown.err == "envstore: error: unknown reference \"alpha@prod\"\n"
                       "hint: \"alpha\" has versions v1 to v3 and no labels\n");

    SECTION("deleting it again finds nothing to delete")
    {
        RunResult again = workspace.envstore({"label", "-d", "alpha", "prod"});
        CHECK(again.exit_code == 4);
        CHECK(again.err == "envstore: error: \"alpha\" has no label \"prod\"\n");
        CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#prod#*"}) ==
              "alpha#prod#1\nalpha#prod#2");
    }
    SECTION("setting it again continues the sequence")
    {
        run_ok(workspace, {"label", "alpha@v1", "prod"});
        CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#prod#*"}) ==
              "alpha#prod#1\nalpha#prod#2\nalpha#prod#3");
        CHECK(show(workspace.root(), "alpha@prod") == show(workspace.root(), "alpha@v1"));
    }
}

TEST_CASE("label --delete of a label never set is not found", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);

    RunResult result = workspace.envstore({"label", "--delete", "alpha", "prod"});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: \"alpha\" has no label \"prod\"\n");
    CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#*"}).empty());
}

TEST_CASE("label --history lists who pointed which label where, oldest first", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    run_ok(workspace, {"label", "alpha@v1", "staging"});
    // Tag times have whole seconds: the later records get a later one, so the
    // order below is by time and not by label name.
    wait_for_next_second();
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    run_ok(workspace, {"label", "alpha@v2", "prod"});
    run_ok(workspace, {"label", "--delete", "alpha", "prod"});

    const std::vector<std::string> tags = {
        "alpha#staging#1", "alpha#prod#1", "alpha#prod#2", "alpha#prod#3"};
    std::vector<std::string> dates;
    for (const auto& tag : tags) {
        dates.push_back(git_text(
            workspace.root(), {"for-each-ref", "--format=%(taggerdate:iso)", "refs/tags/" + tag}));
    }

    // Text and JSON in one run: the setup waits for the clock.
    RunResult text = workspace.envstore({"label", "--history", "alpha"});
    CHECK(text.exit_code == 0);
    CHECK(text.out ==
          fmt::format("{}  staging      -> alpha@v1      Test Author <author@example.org>\n"
                      "{}  prod         -> alpha@v1      Test Author <author@example.org>\n"
                      "{}  prod         -> alpha@v2      Test Author <author@example.org>\n"
                      "{}  prod         deleted          Test Author <author@example.org>\n",
                      dates[0],
                      dates[1],
                      dates[2],
                      dates[3]));

    RunResult json = workspace.envstore({"--json", "label", "--history", "alpha"});
    CHECK(json.exit_code == 0);
    auto event = [&](std::string_view label, int sequence, Json version, std::size_t index) {
        return Json{
            {"name", "alpha"},
            {"label", label},
            {"sequence", sequence},
            {"version", version},
            {"action", version.is_null() ? "delete" : "set"},
            {"tagger",
             {{"name", "Test Author"}, {"email", "author@example.org"}, {"date", dates[index]}}}};
    };
    Json expected = {{"format", 1},
                     {"history",
                      {event("staging", 1, 1, 0),
                       event("prod", 1, 1, 1),
                       event("prod", 2, 2, 2),
                       event("prod", 3, nullptr, 3)}}};
    CHECK(Json::parse(json.out) == expected);
}

TEST_CASE("label --history of an environment without labels, and of an unknown one", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);

    RunResult none = workspace.envstore({"label", "--history", "alpha"});
    CHECK(none.exit_code == 0);
    CHECK(none.out.empty());
    CHECK(none.err == "\"alpha\" has no labels yet\n");

    RunResult json = workspace.envstore({"--json", "label", "--history", "alpha"});
    CHECK(json.exit_code == 0);
    CHECK(Json::parse(json.out) == Json{{"format", 1}, {"history", Json::array()}});

    RunResult unknown = workspace.envstore({"label", "--history", "alpah"});
    CHECK(unknown.exit_code == 4);
    CHECK(unknown.err == "envstore: error: no environment \"alpah\"\n");
}

TEST_CASE("label refuses invalid label names", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);

    auto [label, reason] = GENERATE(table<std::string, std::string>({
        {"v3", "\"v3\" reads as a version number"},
        {"12", "\"12\" reads as a version number"},
        {"latest", "\"latest\" always means the newest version"},
        {"abcdef1", "\"abcdef1\" reads as a commit id"},
        {"Prod", "\"P\" is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")"},
        {"archive", "\"archive\" is reserved"},
        {"a#b", "\"#\" is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")"},
    }));
    INFO(label);
    RunResult result = workspace.envstore({"label", "alpha@v1", label});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err == fmt::format("envstore: error: invalid label \"{}\": {}\n", label, reason));

    RunResult deleted = workspace.envstore({"label", "--delete", "alpha", label});
    CHECK(deleted.exit_code == 3);
    CHECK(deleted.err == result.err);
    CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#*"}).empty());
}

TEST_CASE("label refuses the working tree and commits: a label points at a version", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    std::string commit = git_text(workspace.root(), {"rev-parse", "HEAD"});

    auto reference = GENERATE_COPY(as<std::string>{}, "alpha", "alpha@" + commit);
    RunResult result = workspace.envstore({"label", reference, "prod"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err ==
          fmt::format("envstore: error: a label points at a version, and \"{}\" is not one\n"
                      "hint: name a version: alpha@vN, alpha@latest or alpha@LABEL\n",
                      reference));
    CHECK(git_text(workspace.root(), {"tag", "-l", "alpha#*"}).empty());
}

TEST_CASE("label of a version or label that does not exist is not found", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    run_ok(workspace, {"label", "alpha@v1", "stable"});

    SECTION("a version past the latest")
    {
        RunResult result = workspace.envstore({"label", "alpha@v4", "prod"});
        CHECK(result.exit_code == 4);
        CHECK(result.err == "envstore: error: unknown reference \"alpha@v4\"\n"
                            "hint: \"alpha\" has versions v1 to v3 and labels stable (v1)\n");
    }
    SECTION("an unset label")
    {
        RunResult result = workspace.envstore({"label", "alpha@beta", "prod"});
        CHECK(result.exit_code == 4);
        CHECK(result.err == "envstore: error: unknown reference \"alpha@beta\"\n"
                            "hint: \"alpha\" has versions v1 to v3 and labels stable (v1)\n");
    }
    SECTION("an unknown environment")
    {
        RunResult result = workspace.envstore({"label", "nosuch@v1", "prod"});
        CHECK(result.exit_code == 4);
        CHECK(result.err == "envstore: error: unknown reference \"nosuch@v1\"\n"
                            "hint: \"nosuch\" has no versions and no labels\n");
    }
    CHECK(git_text(workspace.root(), {"tag", "-l", "*#prod#*"}).empty());
}

TEST_CASE("label with the wrong number of arguments is a usage error", "[cli][label]")
{
    TestWorkspace workspace;
    auto [args, message] = GENERATE(table<std::vector<std::string>, std::string>({
        {{"label", "alpha@v1"}, "label takes REF LABEL"},
        {{"label", "--delete", "alpha"}, "label --delete takes NAME LABEL"},
        {{"label", "--history", "alpha", "prod"}, "label --history takes one NAME"},
    }));
    RunResult result = workspace.envstore(args);
    CHECK(result.exit_code == 2);
    CHECK(result.err == "envstore: error: " + message + "\n");
}

TEST_CASE("label records travel with plain git clone and fetch --tags", "[cli][label]")
{
    TestWorkspace workspace;
    make_three_versions(workspace);
    run_ok(workspace, {"label", "alpha@v1", "prod"});

    std::filesystem::path clone = workspace.temp() / "clone";
    RunResult cloned = git(workspace.temp().path(), {"clone", workspace.root().string(), "clone"});
    INFO(cloned.err);
    REQUIRE(cloned.exit_code == 0);
    RunResult fetched = git(clone, {"fetch", "--tags"});
    CHECK(fetched.exit_code == 0);
    CHECK(show(clone, "alpha@prod") == show(workspace.root(), "alpha@prod"));
    CHECK(show(clone, "alpha@prod") == show(workspace.root(), "alpha@v1"));
    CHECK(git_text(clone, {"rev-parse", "alpha#prod#1"}) ==
          git_text(workspace.root(), {"rev-parse", "alpha#prod#1"}));

    // Moving and deleting labels upstream only adds tags: later fetches never
    // have to clobber one.
    run_ok(workspace, {"label", "alpha@v3", "prod"});
    RunResult moved = git(clone, {"fetch", "--tags"});
    CHECK(moved.exit_code == 0);
    CHECK(moved.err.find("would clobber") == std::string::npos);
    CHECK(moved.err.find("[new tag]         alpha#prod#2") != std::string::npos);
    CHECK(show(clone, "alpha@prod") == show(workspace.root(), "alpha@v3"));

    run_ok(workspace, {"label", "--delete", "alpha", "prod"});
    RunResult deleted = git(clone, {"fetch", "--tags"});
    CHECK(deleted.exit_code == 0);
    CHECK(deleted.err.find("would clobber") == std::string::npos);
    CHECK(envstore::test::envstore(clone, {"show", "alpha@prod"}).exit_code == 4);
    CHECK(envstore::test::envstore(clone, {"label", "--history", "alpha"}).out ==
          workspace.envstore({"label", "--history", "alpha"}).out);

    // And back: a label made in the clone is pushed as one more tag.
    CHECK(envstore::test::envstore(clone, {"label", "alpha@v2", "prod"}).exit_code == 0);
    RunResult pushed = git(clone, {"push", "origin", "--tags"});
    CHECK(pushed.exit_code == 0);
    CHECK(pushed.err.find("[new tag]         alpha#prod#4 -> alpha#prod#4") != std::string::npos);
    CHECK(show(workspace.root(), "alpha@prod") == show(workspace.root(), "alpha@v2"));
    RunResult after_push = git(clone, {"fetch", "--tags"});
    CHECK(after_push.exit_code == 0);
    CHECK(after_push.err.empty());
    CHECK(git(clone, {"fsck", "--strict"}).exit_code == 0);
    CHECK(workspace.git({"fsck", "--strict"}).exit_code == 0);
}
