// envstore outdated: working-tree environments pinned to an old version of
// their base, with what changed in the base since and who changed it; the
// exit code with and without --exit-code.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

void register_base(const TestWorkspace& ws, const std::string& author, const std::string& body)
{
    register_as(ws, "base", author, "name: base\npython:\n  version: \"3.11\"\n" + body);
}

// base@v1 by Ada; v2 by Bob: numpy 2.1, pandas added; v3 by Cyd: scipy gone,
// OMP_NUM_THREADS 8.
void three_bases(const TestWorkspace& ws)
{
    register_base(ws, "Ada", "  conda: [numpy=1.26, scipy]\nvariables: {OMP_NUM_THREADS: \"4\"}\n");
    register_base(
        ws, "Bob", "  conda: [numpy=2.1, scipy, pandas]\nvariables: {OMP_NUM_THREADS: \"4\"}\n");
    register_base(ws, "Cyd", "  conda: [numpy=2.1, pandas]\nvariables: {OMP_NUM_THREADS: \"8\"}\n");
}

void extend(const TestWorkspace& ws, const std::string& name, const std::string& extends)
{
    ws.write_definition(name, "name: " + name + "\nextends: " + extends + "\n");
}

// "(base@v2, 2026-12-04, Bob)": a change's version as outdated prints it.
std::string by(const TestWorkspace& ws, const std::string& tag, const std::string& author)
{
    return fmt::format("({}, {}, {})", tag, tag_field(ws, tag, "%(taggerdate:short)"), author);
}

} // namespace

TEST_CASE("outdated lists a pinned base's changes since the pin", "[cli][outdated]")
{
    TestWorkspace ws;
    three_bases(ws);
    extend(ws, "train", "base@v1");
    extend(ws, "serve", "base@v3");
    extend(ws, "lab", "base@latest");

    RunResult result = ws.envstore({"outdated"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    CHECK(result.out == "train: extends base@v1, newest is base@v3\n"
                        "    changed  python.conda/numpy         numpy=1.26 -> numpy=2.1  " +
                            by(ws, "base@v2", "Bob") +
                            "\n"
                            "    added    python.conda/pandas        pandas                   " +
                            by(ws, "base@v2", "Bob") +
                            "\n"
                            "    removed  python.conda/scipy         scipy                    " +
                            by(ws, "base@v3", "Cyd") +
                            "\n"
                            "    changed  variables/OMP_NUM_THREADS  4 -> 8                   " +
                            by(ws, "base@v3", "Cyd") + "\n");

    SECTION("--exit-code exits 1 when something is outdated")
    {
        RunResult strict = ws.envstore({"outdated", "--exit-code"});
        CHECK(strict.exit_code == 1);
        CHECK(strict.out == result.out);
    }
    SECTION("a base at its newest version is not listed, and --exit-code is 0")
    {
        RunResult current = ws.envstore({"outdated", "--exit-code", "serve", "lab"});
        CHECK(current.exit_code == 0);
        CHECK(current.out.empty());
        CHECK(current.err == "nothing outdated: 1 pinned base is at the newest version\n");
        CHECK(ws.envstore({"-q", "outdated", "serve"}).err.empty());
    }
    SECTION("moving the pin to the newest version leaves nothing outdated")
    {
        extend(ws, "train", "base@v3");
        RunResult moved = ws.envstore({"outdated", "--exit-code"});
        CHECK(moved.exit_code == 0);
        CHECK(moved.err == "nothing outdated: 2 pinned bases are at the newest version\n");
    }
}

TEST_CASE("outdated --json reports outdated, current, followed and unchecked bases",
          "[cli][outdated]")
{
    TestWorkspace ws;
    three_bases(ws);
    extend(ws, "train", "base@v2");
    extend(ws, "serve", "base@v3");
    extend(ws, "lab", "base@latest");
    extend(ws, "future", "base@v7");

    RunResult result = ws.envstore({"--json", "outdated"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    auto doc = nlohmann::json::parse(result.out);
    CHECK(doc["format"] == 1);
    REQUIRE(doc["outdated"].size() == 1);
    const auto& train = doc["outdated"][0];
    CHECK(train["name"] == "train");
    CHECK(train["extends"] == "base@v2");
    CHECK(train["base"] == "base");
    CHECK(train["pinned"] == 2);
    CHECK(train["newest"] == 3);
    REQUIRE(train["changes"].size() == 2);
    const auto& scipy = train["changes"][0];
    CHECK(scipy["key"] == "python.conda/scipy");
    CHECK(scipy["kind"] == "removed");
    CHECK(scipy["field"] == "python.conda");
    CHECK(scipy["item"] == "scipy");
    CHECK(scipy["before"] == "scipy");
    CHECK(scipy["after"].is_null());
    CHECK(scipy["changed_in"]["tag"] == "base@v3");
    CHECK(scipy["changed_in"]["tagger"]["name"] == "Cyd");
    CHECK(scipy["changed_in"]["commit"] == git_text(ws, {"rev-parse", "base@v3^{commit}"}));
    CHECK(train["changes"][1]["before"] == "4");
    CHECK(train["changes"][1]["after"] == "8");

    CHECK(doc["current"] == nlohmann::json::parse(R"([{"name": "serve", "extends": "base@v3"}])"));
    CHECK(doc["followed"] ==
          nlohmann::json::parse(R"([{"name": "lab", "extends": "base@latest"}])"));
    CHECK(doc["unchecked"] == nlohmann::json::parse(R"([{
        "name": "future", "extends": "base@v7", "code": "not_found",
        "reason": "unknown reference \"base@v7\"",
        "hint": "\"base\" has versions v1 to v3 and no labels"}])"));
}

TEST_CASE("outdated warns about bases it cannot check and checks the rest", "[cli][outdated]")
{
    TestWorkspace ws;
    three_bases(ws);
    ws.write_definition("broken", "name: broken\nextends: base@v1\nbogus: 1\n");
    extend(ws, "catalog", "curated/no-such-base@v1");
    extend(ws, "nobase", "ghost@v1");
    extend(ws, "serve", "base@v3");

    RunResult result = ws.envstore({"outdated"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err.starts_with(
        "envstore: warning: cannot check \"broken\": environments/broken/environment.yaml:3:1: "
        "unknown field \"bogus\"\n"
        "envstore: warning: cannot check \"catalog\" (extends curated/no-such-base@v1): "));
    CHECK(result.err.ends_with(
        "envstore: warning: cannot check \"nobase\" (extends ghost@v1): unknown reference "
        "\"ghost@v1\"\n"
        "hint: \"ghost\" has no versions and no labels\n"
        "nothing outdated: 1 pinned base is at the newest version\n"));
    CHECK(ws.envstore({"outdated", "--exit-code"}).exit_code == 1);
    CHECK(ws.envstore({"outdated", "--exit-code", "serve"}).exit_code == 0);
}

TEST_CASE("outdated of a NAME without a working-tree definition is exit 4", "[cli][outdated]")
{
    TestWorkspace ws;
    three_bases(ws);
    RunResult result = ws.envstore({"outdated", "nosuch"});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err.starts_with("envstore: error: no environment \"nosuch\""));
}

TEST_CASE("outdated fails with exit 8 when a base version was tampered with", "[cli][outdated]")
{
    TestWorkspace ws;
    three_bases(ws);
    extend(ws, "train", "base@v1");
    // base@v2 moved to v3's commit by the git CLI, behind envstore's back.
    std::string original = tag_field(ws, "base@v2", "%(contents)");
    REQUIRE(ws.git({"tag", "-f", "-a", "base@v2", "-m", original, "base@v3^{commit}"}).exit_code ==
            0);

    RunResult result = ws.envstore({"outdated"});
    CHECK(result.exit_code == 8);
    CHECK(result.out.empty());
    CHECK(result.err.starts_with(
        "envstore: error: version \"base@v2\" was changed outside envstore (tampered)"));
}

TEST_CASE("outdated compares a curated base's versions in the catalog", "[cli][outdated]")
{
    TestWorkspace ws;
    RunOptions catalog_git; // the build's catalog is read in parallel: no index lock
    catalog_git.env = {{"GIT_OPTIONAL_LOCKS", "0"}};
    extend(ws, "notebook", "curated/python-3.11@v1");

    RunResult result = ws.envstore({"--json", "outdated"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto doc = nlohmann::json::parse(result.out);
    REQUIRE(doc["outdated"].size() == 1);
    const auto& notebook = doc["outdated"][0];
    CHECK(notebook["base"] == "curated/python-3.11");
    CHECK(notebook["pinned"] == 1);
    CHECK(notebook["newest"] == 3);
    bool found = false;
    for (const auto& change : notebook["changes"]) {
        if (change["key"] == "python.version") {
            found = true;
            CHECK(change["before"] == "3.11.11");
            CHECK(change["changed_in"]["tag"] == "curated/python-3.11@v3");
            CHECK(change["changed_in"]["commit"] ==
                  git_text(ENVSTORE_CURATED_BUILT,
                           {"rev-parse", "python-3.11@v3^{commit}"},
                           catalog_git));
        }
    }
    CHECK(found);
    CHECK(ws.envstore({"outdated", "--exit-code"}).exit_code == 1);
}

TEST_CASE("outdated without any pinned base says that none is pinned", "[cli][outdated]")
{
    TestWorkspace ws;
    ws.write_minimal("base");
    REQUIRE(ws.envstore({"register", "base"}).exit_code == 0);
    ws.write_minimal("follower", "extends: base@latest");
    RunResult result = ws.envstore({"outdated"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err == "nothing outdated: no environment pins a base (extends: NAME@vN)\n");
}
