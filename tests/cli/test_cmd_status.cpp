// envstore status: each definition of the working tree against its latest
// version (new, changed, unchanged) and against the last commit (uncommitted).

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

// One of each state: `same` registered and untouched, `edited` registered then
// changed, `fresh` never registered.
void make_three_states(const TestWorkspace& ws)
{
    ws.write_minimal("same");
    ws.write_minimal("edited");
    run_ok(ws, {"register", "same", "edited"});
    ws.write_minimal("edited", "variables: {MODE: fast}");
    ws.write_minimal("fresh");
}

} // namespace

TEST_CASE("status shows new, changed and unchanged definitions", "[cli][status]")
{
    TestWorkspace ws;
    make_three_states(ws);

    RunResult result = ws.envstore({"status"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "changed    edited (latest v1, uncommitted)\n"
                        "new        fresh (uncommitted)\n"
                        "unchanged  same (latest v1)\n");
    CHECK(result.err.empty());

    SECTION("committing clears uncommitted, not changed or new")
    {
        run_ok(ws, {"commit"});
        CHECK(ws.envstore({"status"}).out == "changed    edited (latest v1)\n"
                                             "new        fresh\n"
                                             "unchanged  same (latest v1)\n");
    }
    SECTION("registering makes them all unchanged")
    {
        run_ok(ws, {"register", "edited", "fresh", "same"});
        CHECK(ws.envstore({"status"}).out == "unchanged  edited (latest v2)\n"
                                             "unchanged  fresh (latest v1)\n"
                                             "unchanged  same (latest v1)\n");
    }
}

TEST_CASE("status --json lists each definition's state", "[cli][status]")
{
    TestWorkspace ws;
    make_three_states(ws);
    ws.write_definition("broken", "name: broken\nruntime: pyhton\n");

    RunResult result = ws.envstore({"status", "--json"});
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    Json expected = {
        {"format", 1},
        {"environments",
         {
             {{"name", "broken"},
              {"state", "new"},
              {"latest", nullptr},
              {"uncommitted", true},
              {"valid", false}},
             {{"name", "edited"},
              {"state", "changed"},
              {"latest", 1},
              {"uncommitted", true},
              {"valid", true}},
             {{"name", "fresh"},
              {"state", "new"},
              {"latest", nullptr},
              {"uncommitted", true},
              {"valid", true}},
             {{"name", "same"},
              {"state", "unchanged"},
              {"latest", 1},
              {"uncommitted", false},
              {"valid", true}},
         }},
    };
    CHECK(Json::parse(result.out).dump(2) == expected.dump(2));
}

TEST_CASE("status after a comment-only edit shows unchanged but uncommitted", "[cli][status]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    run_ok(ws, {"register", "train"});
    ws.write_minimal("train", "# a comment changes the bytes, not the definition");

    CHECK(ws.envstore({"status"}).out == "unchanged  train (latest v1, uncommitted)\n");
    CHECK(ws.git({"status", "--porcelain"}).out == " M environments/train/environment.yaml\n");

    // Layout and quoting are not part of the definition either.
    ws.write_definition("train",
                        "name: 'train'\n"
                        "description: \"test environment train\"\n"
                        "runtime: python\n"
                        "platforms:\n  - linux-64\n"
                        "python:\n"
                        "  conda: [\"numpy>=1.26\"]\n"
                        "  channels: [conda-forge]\n"
                        "  version: \"3.11\"\n");
    CHECK(ws.envstore({"status"}).out == "unchanged  train (latest v1, uncommitted)\n");
}

TEST_CASE("status marks an invalid definition", "[cli][status]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    run_ok(ws, {"register", "train"});
    ws.write_definition("train", "name: train\nruntime: pyhton\n");

    RunResult result = ws.envstore({"status"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "changed    train (latest v1, uncommitted, invalid)\n");
}

TEST_CASE("status sees another file of the environment's folder", "[cli][status]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    run_ok(ws, {"register", "train"});
    write_file(ws.root() / "environments/train/requirements.txt", "numpy\n");

    CHECK(ws.envstore({"status"}).out == "changed    train (latest v1, uncommitted)\n");

    SECTION("an ignored file does not count")
    {
        write_file(ws.root() / ".gitignore", "*.txt\n");
        CHECK(ws.envstore({"status"}).out == "unchanged  train (latest v1)\n");
    }
}

TEST_CASE("status in a workspace without definitions prints a note", "[cli][status]")
{
    TestWorkspace ws;
    RunResult result = ws.envstore({"status"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err == "no definitions in the working tree\n");

    CHECK(ws.envstore({"--json", "status"}).out ==
          "{\n  \"format\": 1,\n  \"environments\": []\n}\n");
}
