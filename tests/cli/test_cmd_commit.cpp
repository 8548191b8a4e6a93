// envstore commit: one commit of the changed definitions, the index updated to
// match, no version made; an invalid definition stops it before any write.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string head(const TestWorkspace& ws)
{
    return git_trimmed(ws, {"rev-parse", "HEAD"});
}

// Everything a failed command must leave as it was: refs, index, objects,
// what git status says, and no lock file left in the Git folder.
struct RepositoryState
{
    std::string refs;
    std::string index;
    std::string objects;
    std::string status;
    std::vector<std::string> locks;

    bool operator==(const RepositoryState&) const = default;
};

RepositoryState repository_state(const TestWorkspace& ws)
{
    RepositoryState state;
    state.refs = git_trimmed(ws, {"for-each-ref", "--format=%(refname) %(objectname)"}) +
                 "\nHEAD " + head(ws);
    state.index = read_file(ws.root() / ".git/index");
    state.objects = git_trimmed(ws, {"count-objects", "-v"});
    state.status = git_trimmed(ws, {"status", "--porcelain"});
    for (const auto& entry : fs::recursive_directory_iterator(ws.root() / ".git")) {
        if (entry.path().extension() == ".lock") {
            state.locks.push_back(entry.path().string());
        }
    }
    return state;
}

} // namespace

TEST_CASE("commit commits the changed definitions and updates the index", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("beta");
    ws.write_minimal("alpha");
    std::string parent = head(ws);

    RunResult result = ws.envstore({"commit"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::string commit = head(ws);
    CHECK(result.out == fmt::format("Committed {}: alpha, beta\n", commit.substr(0, 12)));
    CHECK(result.err.empty());

    CHECK(git_trimmed(ws, {"rev-parse", "HEAD^"}) == parent);
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%s|%an <%ae>"}) ==
          "Update alpha, beta|Test Author <author@example.org>");
    CHECK(git_trimmed(ws, {"symbolic-ref", "HEAD"}) == "refs/heads/main");
    for (std::string name : {"alpha", "beta"}) {
        CHECK(ws.git({"show", "HEAD:" + definition_path(name)}).out == minimal_definition(name));
    }
    CHECK(git_trimmed(ws, {"show", "--name-only", "--format=", "HEAD"}) ==
          definition_path("alpha") + "\n" + definition_path("beta"));
    CHECK(git_trimmed(ws, {"tag", "-l"}).empty());
    check_repository_clean(ws);
    CHECK(ws.envstore({"status"}).out == "new        alpha\nnew        beta\n");
}

TEST_CASE("commit includes only the definitions that changed", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("alpha");
    ws.write_minimal("beta");
    REQUIRE(ws.envstore({"commit"}).exit_code == 0);
    ws.write_minimal("beta", "variables: {MODE: fast}");

    RunResult result = ws.envstore({"commit"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == fmt::format("Committed {}: beta\n", head(ws).substr(0, 12)));
    CHECK(git_trimmed(ws, {"show", "--name-only", "--format=%s", "HEAD"}) ==
          "Update beta\n\n" + definition_path("beta"));
    check_repository_clean(ws);
}

TEST_CASE("commit leaves what the user staged elsewhere staged, not committed", "[cli][commit]")
{
    TestWorkspace ws;
    write_file(ws.root() / "README", "notes\n");
    REQUIRE(ws.git({"add", "README"}).exit_code == 0);
    ws.write_minimal("train");

    RunResult result = ws.envstore({"commit"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(git_trimmed(ws, {"show", "--name-only", "--format=", "HEAD"}) ==
          definition_path("train"));
    CHECK(git_trimmed(ws, {"status", "--porcelain"}) == "A  README");
}

TEST_CASE("commit NAME commits only the named definitions", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("alpha");
    ws.write_minimal("beta");

    RunResult result = ws.envstore({"commit", "beta"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(git_trimmed(ws, {"ls-tree", "-r", "--name-only", "HEAD", "environments"}) ==
          definition_path("beta"));
    CHECK(git_trimmed(ws, {"status", "--porcelain"}) == "?? environments/alpha/");

    SECTION("an unknown name writes nothing")
    {
        RepositoryState before = repository_state(ws);
        RunResult missing = ws.envstore({"commit", "alpha", "gamma"});
        CHECK(missing.exit_code == 4);
        CHECK(missing.err == "envstore: error: no environment \"gamma\" in the working tree (no "
                             "environments/gamma/environment.yaml)\n"
                             "hint: environments in the working tree: alpha, beta\n");
        CHECK(repository_state(ws) == before);
    }
}

TEST_CASE("commit with nothing changed makes no commit", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"commit"}).exit_code == 0);
    std::string before = head(ws);

    SECTION("unchanged")
    {
        RunResult result = ws.envstore({"commit"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "nothing to commit: definitions match the last commit\n");
    }
    SECTION("JSON")
    {
        RunResult result = ws.envstore({"commit", "--json"});
        CHECK(result.exit_code == 0);
        CHECK(result.out ==
              "{\n  \"format\": 1,\n  \"commit\": null,\n  \"environments\": []\n}\n");
    }
    SECTION("no definitions at all")
    {
        fs::remove_all(ws.root() / "environments/train");
        REQUIRE(ws.git({"rm", "-q", "-r", "--cached", "environments"}).exit_code == 0);
        REQUIRE(ws.git({"commit", "-q", "-m", "remove"}).exit_code == 0);
        before = head(ws);
        RunResult result = ws.envstore({"commit"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "nothing to commit: definitions match the last commit\n");
    }

    CHECK(head(ws) == before);
}

TEST_CASE("commit -m sets the commit message", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("train");

    RunResult result = ws.envstore({"commit", "-m", "Pin numpy for training\n\nSee the notes."});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%B"}) ==
          "Pin numpy for training\n\nSee the notes.");
    // The reflog, like git's, takes the subject line.
    CHECK(git_trimmed(ws, {"reflog", "-1", "--format=%gs"}) == "envstore: Pin numpy for training");
    check_repository_clean(ws);
}

TEST_CASE("commit --json prints the commit and the environments", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("train");

    RunResult result = ws.envstore({"--json", "commit"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.err.empty());
    Json expected = {{"format", 1}, {"commit", head(ws)}, {"environments", {"train"}}};
    CHECK(result.out == expected.dump(2) + "\n");
}

TEST_CASE("commit refuses an invalid definition and writes nothing", "[cli][commit]")
{
    TestWorkspace ws;
    ws.write_minimal("good");
    ws.write_definition("bad", "name: bad\nruntime: pyhton\n");
    RepositoryState before = repository_state(ws);

    SECTION("one error: the diagnostic")
    {
        RunResult result = ws.envstore({"commit"});
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == "envstore: error: environments/bad/environment.yaml:2:10: unknown "
                            "runtime \"pyhton\"\n"
                            "    runtime: pyhton\n"
                            "             ^\n"
                            "hint: did you mean \"python\"?\n");
    }
    SECTION("several errors: a summary, then each")
    {
        ws.write_definition("worse", "name: worse\ncolour: blue\n");
        before = repository_state(ws);
        RunResult result = ws.envstore({"commit"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: definitions are invalid: nothing was written\n"
                            "environments/bad/environment.yaml:2:10: unknown runtime \"pyhton\"\n"
                            "    runtime: pyhton\n"
                            "             ^\n"
                            "hint: did you mean \"python\"?\n"
                            "environments/worse/environment.yaml:2:1: unknown field \"colour\"\n"
                            "    colour: blue\n"
                            "    ^\n");
    }
    SECTION("JSON")
    {
        RunResult result = ws.envstore({"--json", "commit"});
        CHECK(result.exit_code == 3);
        Json error = Json::parse(result.out)["error"];
        CHECK(error["code"] == "invalid_input");
        CHECK(error["exit_code"] == 3);
        CHECK(error["message"] == "a definition is invalid: nothing was written");
        REQUIRE(error["details"].size() == 1);
        CHECK(error["details"][0].dump() == Json({{"rule", "invalid-runtime"},
                                                  {"message", "unknown runtime \"pyhton\""},
                                                  {"file", "environments/bad/environment.yaml"},
                                                  {"line", 2},
                                                  {"column", 10},
                                                  {"hint", "did you mean \"python\"?"}})
                                                .dump());
    }

    CHECK(repository_state(ws) == before);
    CHECK(git_trimmed(ws, {"rev-list", "--count", "HEAD"}) == "1");
}

// The workspace's .gitattributes say `text eol=lf`: commit stores what git add
// would, so git and envstore agree on what is committed.
TEST_CASE("commit of a CRLF definition stores it LF and leaves git status clean", "[cli][commit]")
{
    TestWorkspace ws;
    std::string crlf = "name: train\r\nruntime: python\r\nplatforms: [linux-64]\r\n"
                       "python:\r\n  version: \"3.11\"\r\n";
    ws.write_definition("train", crlf);
    REQUIRE(ws.envstore({"commit"}).exit_code == 0);

    CHECK(ws.git({"status", "--porcelain"}).out.empty());
    CHECK(ws.git({"show", "HEAD:" + definition_path("train")}).out ==
          "name: train\nruntime: python\nplatforms: [linux-64]\npython:\n  version: \"3.11\"\n");
    CHECK(ws.read(definition_path("train")) == crlf);
    CHECK(ws.envstore({"status"}).out == "new        train\n");
    CHECK(ws.envstore({"commit"}).out == "nothing to commit: definitions match the last commit\n");
}
