// envstore import: the definition it writes from a conda or requirements file,
// its warnings, --update, and refusals that write nothing.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;
namespace fs = std::filesystem;

namespace {

const std::string k_conda_file = "name: vision\n"
                                 "channels:\n"
                                 "  - conda-forge\n"
                                 "dependencies:\n"
                                 "  - python=3.11\n"
                                 "  - numpy=1.26.4=py311h64a7726_0\n"
                                 "  - pip\n"
                                 "  - pip:\n"
                                 "    - --extra-index-url https://example.org/simple\n"
                                 "    - requests>=2.31\n"
                                 "variables:\n"
                                 "  OMP_NUM_THREADS: 8\n"
                                 "prefix: /home/me/miniconda3/envs/vision\n";

const std::string k_conda_definition =
    "# Imported by envstore import from environment.yml (conda).\n"
    "name: \"vision\"\n"
    "runtime: \"python\"\n"
    "managed: true\n"
    "python:\n"
    "  channels:\n"
    "    - \"conda-forge\"\n"
    "  conda:\n"
    "    - \"numpy 1.26.4 py311h64a7726_0\"\n"
    "    - \"pip\"\n"
    "    - \"python=3.11\"\n"
    "  pip:\n"
    "    - \"requests>=2.31\"\n"
    "  pip_options:\n"
    "    - \"--extra-index-url https://example.org/simple\"\n"
    "variables:\n"
    "  OMP_NUM_THREADS: \"8\"\n";

// Writes `text` as `name` in a folder beside the workspace; returns its path.
std::string write_input(const TestWorkspace& ws, const std::string& name, const std::string& text)
{
    fs::path file = ws.temp() / "input" / name;
    write_file(file, text);
    return file.string();
}

// True when the working tree holds nothing new.
bool refused_nothing_written(const TestWorkspace& ws)
{
    return ws.git({"status", "--porcelain", "--untracked-files=all"}).out.empty();
}

} // namespace

TEST_CASE("import writes a conda file as a definition, commits nothing", "[cli][import]")
{
    TestWorkspace ws;
    std::string file = write_input(ws, "environment.yml", k_conda_file);

    RunResult imported = ws.envstore({"import", file});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.out ==
          fmt::format("Imported {} from {} (conda)\n", definition_path("vision"), file));
    CHECK(imported.err == fmt::format("envstore: warning: {}:13:1: \"prefix\" is dropped: it names "
                                      "a folder on the machine that exported the file\n"
                                      "    prefix: /home/me/miniconda3/envs/vision\n"
                                      "    ^\n"
                                      "review it, then run: envstore register vision\n",
                                      file));
    CHECK(ws.read(definition_path("vision")) == k_conda_definition);

    CHECK(ws.envstore({"validate", "vision"}).exit_code == 0);
    CHECK(ws.git({"rev-list", "--count", "HEAD"}).out == "1\n");
    CHECK(ws.git({"status", "--porcelain"}).out == "?? environments/\n");
    run_ok(ws, {"register", "vision", "-m", "imported"});
    CHECK(ws.git({"show", "vision@v1:environments/vision/environment.yaml"}).out ==
          k_conda_definition);
}

TEST_CASE("import --json lists the files read and the warnings", "[cli][import]")
{
    TestWorkspace ws;
    std::string base = write_input(ws, "base.txt", "numpy==1.26.4\n");
    std::string file = write_input(ws,
                                   "requirements.txt",
                                   "-r base.txt\n"
                                   "-e ./local-project\n"
                                   "requests[socks] >=2.31 ; python_version >= \"3.8\"\n");

    RunResult imported = ws.envstore({"--json", "import", file, "--name", "web"});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.out.rfind("{\n  \"format\": 1,\n", 0) == 0);
    auto json = nlohmann::json::parse(imported.out);
    CHECK(json["name"] == "web");
    CHECK(json["path"] == definition_path("web"));
    CHECK(json["format"] == 1);
    CHECK(json["file_format"] == "pip");
    CHECK(json["updated"] == false);
    CHECK(json["files"] == nlohmann::json::array({file, base}));
    REQUIRE(json["warnings"].size() == 1);
    CHECK(json["warnings"][0]["rule"] == "import-not-carried");
    CHECK(json["warnings"][0]["line"] == 2);
    CHECK(json["warnings"][0]["message"] ==
          "editable install of the local folder \"./local-project\" is not carried");
    CHECK(ws.read(definition_path("web"))
              .find("    - \"requests[socks]>=2.31; "
                    "python_version >= \\\"3.8\\\"\"\n") != std::string::npos);
}

TEST_CASE("import refuses to replace a definition without --update", "[cli][import]")
{
    TestWorkspace ws;
    ws.write_minimal("vision");
    std::string before = ws.read(definition_path("vision"));
    std::string file = write_input(ws, "environment.yml", k_conda_file);

    RunResult refused = ws.envstore({"import", file});
    CHECK(refused.exit_code == 3);
    CHECK(refused.out.empty());
    CHECK(refused.err.find(fmt::format("envstore: error: \"{}\" already exists: nothing was "
                                       "written\nhint: add --update",
                                       definition_path("vision"))) == 0);
    CHECK(ws.read(definition_path("vision")) == before);

    RunResult updated = ws.envstore({"import", file, "--update"});
    INFO(updated.err);
    REQUIRE(updated.exit_code == 0);
    CHECK(updated.out.rfind("Updated " + definition_path("vision"), 0) == 0);
    CHECK(ws.read(definition_path("vision")) == k_conda_definition);
}

TEST_CASE("import names the file, line and column of bad input and writes nothing", "[cli][import]")
{
    TestWorkspace ws;

    SECTION("an invalid conda spec")
    {
        std::string file = write_input(
            ws, "environment.yml", "name: bad\ndependencies:\n  - numpy\n  - scipy>>1.11\n");
        RunResult refused = ws.envstore({"import", file});
        CHECK(refused.exit_code == 3);
        CHECK(refused.err.rfind(fmt::format("envstore: error: {}:4:5: invalid conda match spec "
                                            "\"scipy>>1.11\"",
                                            file),
                                0) == 0);
    }
    SECTION("an invalid pip requirement in an included file")
    {
        write_input(ws, "more.txt", "# comment\nrequests\naccelerate[torch\n");
        std::string file = write_input(ws, "requirements.txt", "numpy\n-r more.txt\n");
        RunResult refused = ws.envstore({"import", file, "--name", "bad"});
        CHECK(refused.exit_code == 3);
        std::string more = (fs::path(file).parent_path() / "more.txt").string();
        CHECK(refused.err.rfind(fmt::format("envstore: error: {}:3:1: invalid pip requirement "
                                            "\"accelerate[torch\"",
                                            more),
                                0) == 0);
    }
    SECTION("an include outside the folder tree")
    {
        write_file(ws.temp() / "secret.txt", "numpy\n");
        std::string file = write_input(ws, "requirements.txt", "requests\n-r ../secret.txt\n");
        RunResult refused = ws.envstore({"import", file, "--name", "bad"});
        CHECK(refused.exit_code == 3);
        CHECK(refused.err.find(":2:1: \"") != std::string::npos);
        CHECK(refused.err.find("is outside the folder tree") != std::string::npos);
    }
    SECTION("a name from the file that is not an environment name")
    {
        std::string file =
            write_input(ws, "environment.yml", "name: My Env\ndependencies: [numpy]\n");
        RunResult refused = ws.envstore({"import", file});
        CHECK(refused.exit_code == 3);
        CHECK(refused.err.find("invalid environment name \"My Env\" (from the file's name:)") !=
              std::string::npos);
        CHECK(refused.err.find("hint: name it with --name, e.g. --name my-env\n") !=
              std::string::npos);
    }
    SECTION("a format that cannot be imported yet")
    {
        std::string file = write_input(ws, "Dockerfile", "FROM ubuntu:22.04\n");
        RunResult refused = ws.envstore({"import", file, "--name", "box"});
        CHECK(refused.exit_code == 3);
        CHECK(refused.err.rfind(
                  "envstore: error: importing dockerfile files is not supported yet\n", 0) == 0);
    }
    CHECK(refused_nothing_written(ws));
}

TEST_CASE("import reads FILE from the current folder and writes into the -C workspace",
          "[cli][import]")
{
    TestWorkspace ws;
    write_input(ws, "requirements.txt", "numpy==1.26.4\n");
    RunResult imported = envstore::test::envstore(
        ws.temp() / "input",
        {"-C", ws.root().string(), "import", "requirements.txt", "--name", "np"});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.out == "Imported " + definition_path("np") + " from requirements.txt (pip)\n");
    CHECK(ws.read(definition_path("np")).find("    - \"numpy==1.26.4\"\n") != std::string::npos);
}
