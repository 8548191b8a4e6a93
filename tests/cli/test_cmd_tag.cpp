// envstore tag: the next version of a definition from the last commit, never
// from the working tree, judged by the git CLI.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

using namespace envstore::test;

namespace {

std::string registered_line(const TestWorkspace& ws, const std::string& tag)
{
    return fmt::format("Registered {} ({})\n", tag, tag_digest(ws, tag));
}

std::string warning_line(const std::string& name)
{
    return fmt::format("envstore: warning: the working tree has uncommitted changes to \"{}\": "
                       "the version holds the committed definition\n",
                       name);
}

const std::string k_path = "environments/train/environment.yaml";

} // namespace

TEST_CASE("tag makes the next version from the last commit", "[cli][tag]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"commit", "train"}).exit_code == 0);
    std::string first_commit = git_trimmed(ws, {"rev-parse", "HEAD"});

    RunResult result = ws.envstore({"tag", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == registered_line(ws, "train@v1"));
    CHECK(result.err.empty());
    CHECK(git_trimmed(ws, {"cat-file", "-t", "train@v1"}) == "tag");
    CHECK(git_trimmed(ws, {"rev-parse", "train@v1^{commit}"}) == first_commit);
    CHECK(git_trimmed(ws, {"rev-parse", "HEAD"}) == first_commit);
    CHECK(ws.git({"show", "train@v1:" + k_path}).out == minimal_definition("train"));

    SECTION("after envstore commit")
    {
        ws.write_minimal("train", "variables: {N: \"2\"}");
        REQUIRE(ws.envstore({"commit", "train"}).exit_code == 0);
    }
    SECTION("after a plain git commit")
    {
        ws.write_minimal("train", "variables: {N: \"2\"}");
        REQUIRE(ws.git({"add", "environments"}).exit_code == 0);
        REQUIRE(ws.git({"commit", "-q", "-m", "by hand"}).exit_code == 0);
    }
    std::string second_commit = git_trimmed(ws, {"rev-parse", "HEAD"});
    REQUIRE(second_commit != first_commit);

    result = ws.envstore({"tag", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == registered_line(ws, "train@v2"));
    CHECK(git_trimmed(ws, {"rev-parse", "train@v2^{commit}"}) == second_commit);
    CHECK(ws.git({"show", "train@v2:" + k_path}).out == ws.read(k_path));
    CHECK(git_trimmed(ws, {"for-each-ref", "--format=%(contents:subject)", "refs/tags/train@v2"}) ==
          "train v2");
    CHECK(git_trimmed(ws,
                      {"for-each-ref",
                       "--format=%(contents:trailers:key=Envstore-File,valueonly)",
                       "refs/tags/train@v2"}) ==
          "environment.yaml " + git_trimmed(ws, {"rev-parse", "train@v2:" + k_path}));
    CHECK(ws.git({"fsck", "--strict"}).exit_code == 0);
    CHECK(ws.git({"status", "--porcelain"}).out.empty());
}

TEST_CASE("tag makes no version when the committed definition is unchanged", "[cli][tag]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);
    auto before = tag_ids(ws);

    SECTION("nothing committed since")
    {
    }
    SECTION("only a comment committed since")
    {
        ws.write_minimal("train", "# why numpy is pinned");
        REQUIRE(ws.envstore({"commit", "train"}).exit_code == 0);
    }

    RunResult result = ws.envstore({"tag", "train"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "train unchanged since train@v1: no new version\n");
    CHECK(result.err.empty());
    CHECK(tag_ids(ws) == before);
}

TEST_CASE("tag of a definition that is not committed fails with not found", "[cli][tag]")
{
    TestWorkspace ws;
    std::string name = GENERATE(std::string("train"), std::string("absent"));
    ws.write_minimal("train");
    std::string head = git_trimmed(ws, {"rev-parse", "HEAD"});

    RunResult result = ws.envstore({"tag", name});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == fmt::format("envstore: error: \"{0}\" is not committed: no "
                                    "environments/{0}/environment.yaml in commit {1}\n"
                                    "hint: run envstore register {0} to commit and version it\n",
                                    name,
                                    head.substr(0, 12)));
    CHECK(git_trimmed(ws, {"tag", "-l"}).empty());
    CHECK(git_trimmed(ws, {"rev-parse", "HEAD"}) == head);
}

TEST_CASE("tag warns that uncommitted changes are not in the version", "[cli][tag]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);
    std::string committed = minimal_definition("train", "variables: {N: \"2\"}");
    ws.write_definition("train", committed);
    REQUIRE(ws.envstore({"commit", "train"}).exit_code == 0);
    std::string uncommitted = minimal_definition("train", "variables: {N: \"3\"}");
    ws.write_definition("train", uncommitted);

    SECTION("text")
    {
        RunResult result = ws.envstore({"tag", "train"});
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        CHECK(result.out == registered_line(ws, "train@v2"));
        CHECK(result.err == warning_line("train"));
    }
    SECTION("JSON keeps stderr free of the warning and stdout parseable")
    {
        RunResult result = ws.envstore({"--json", "tag", "train"});
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        CHECK(result.err.empty());
        nlohmann::json versions = nlohmann::json::parse(result.out).at("versions");
        REQUIRE(versions.size() == 1);
        CHECK(versions[0].at("tag") == "train@v2");
        CHECK(versions[0].at("created") == true);
        CHECK(versions[0].at("commit") == git_trimmed(ws, {"rev-parse", "HEAD"}));
        CHECK(versions[0].at("digest") == tag_digest(ws, "train@v2"));
    }

    CHECK(ws.git({"show", "train@v2:" + k_path}).out == committed);
    CHECK(ws.envstore({"show", "train@v2"}).out == committed);
    CHECK(ws.read(k_path) == uncommitted);
    CHECK(ws.git({"status", "--porcelain"}).out == " M " + k_path + "\n");
}

TEST_CASE("tag warns even when the committed definition is unchanged", "[cli][tag]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);
    ws.write_minimal("train", "variables: {N: \"3\"}");

    RunResult result = ws.envstore({"tag", "train"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "train unchanged since train@v1: no new version\n");
    CHECK(result.err == warning_line("train"));
    CHECK(git_trimmed(ws, {"tag", "-l"}) == "train@v1");
}

TEST_CASE("tag -m sets the version message", "[cli][tag]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"commit", "-m", "the commit", "train"}).exit_code == 0);

    RunResult result = ws.envstore({"tag", "-m", "Approved for the Q3 run", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(git_trimmed(ws, {"for-each-ref", "--format=%(contents:subject)", "refs/tags/train@v1"}) ==
          "Approved for the Q3 run");
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%s"}) == "the commit");
    CHECK(git_trimmed(ws,
                      {"for-each-ref",
                       "--format=%(contents:trailers:key=Envstore-Version)",
                       "refs/tags/train@v1"}) == "Envstore-Version: 1");
}

TEST_CASE("tag refuses an invalid definition committed by other means", "[cli][tag]")
{
    TestWorkspace ws;
    ws.write_definition("train", "name: train\nruntime: pyton\n");
    REQUIRE(ws.git({"add", "environments"}).exit_code == 0);
    REQUIRE(ws.git({"commit", "-q", "-m", "by hand"}).exit_code == 0);

    RunResult result = ws.envstore({"tag", "train"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: environments/train/environment.yaml:2:10: "
                        "unknown runtime \"pyton\"\n"
                        "    runtime: pyton\n"
                        "             ^\n"
                        "hint: did you mean \"python\"?\n");
    CHECK(git_trimmed(ws, {"tag", "-l"}).empty());
}

TEST_CASE("tag never moves or deletes an existing version tag", "[cli][tag]")
{
    TestWorkspace ws;
    std::map<std::string, std::string> created;
    auto tag_and_check = [&](int expected_exit) {
        RunResult result = ws.envstore({"tag", "train"});
        INFO(result.err);
        CHECK(result.exit_code == expected_exit);
        auto now = tag_ids(ws);
        for (const auto& [name, id] : created) {
            INFO(name);
            CHECK(now[name] == id);
        }
        created.insert(now.begin(), now.end());
    };

    ws.write_minimal("train");
    tag_and_check(4);
    REQUIRE(ws.envstore({"commit", "train"}).exit_code == 0);
    tag_and_check(0);
    tag_and_check(0);
    ws.write_minimal("train", "variables: {N: \"2\"}");
    tag_and_check(0);
    REQUIRE(ws.envstore({"commit", "train"}).exit_code == 0);
    tag_and_check(0);
    tag_and_check(0);

    CHECK(created.size() == 2);
    CHECK(git_trimmed(ws, {"tag", "-l"}) == "train@v1\ntrain@v2");
    CHECK(ws.git({"fsck", "--strict"}).exit_code == 0);
}
