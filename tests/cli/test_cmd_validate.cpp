// envstore validate: which definitions it checks, and the exact diagnostics it
// prints (path:line:column, the line, a caret, a hint) in text and JSON.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

using namespace envstore::test;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

const std::string k_bad_runtime = "name: bad\n"
                                  "runtime: pyhton\n"
                                  "platforms: [linux-64]\n"
                                  "python:\n"
                                  "  version: \"3.11\"\n";

const std::string k_bad_runtime_error =
    "envstore: error: environments/bad/environment.yaml:2:10: unknown runtime \"pyhton\"\n"
    "    runtime: pyhton\n"
    "             ^\n"
    "hint: did you mean \"python\"?\n";

// The rule file's folder: its name up to "--" (variants share a folder).
std::string folder_of(const fs::path& rule_file)
{
    std::string stem = rule_file.stem().string();
    return stem.substr(0, stem.find("--"));
}

// What validate prints on stderr for a rule file's expected diagnostics: each
// diagnostic's first line gets the "envstore: error: " prefix.
std::string cli_errors(const std::string& expected, const std::string& folder, int& count)
{
    std::string head = fmt::format("environments/{}/environment.yaml:", folder);
    std::istringstream lines(expected);
    std::string out;
    count = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(head)) {
            out += "envstore: error: ";
            ++count;
        }
        out += line + "\n";
    }
    return out;
}

std::vector<fs::path> rule_files()
{
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(data_path("rules"))) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST_CASE("validate checks every definition of the working tree by default", "[cli][validate]")
{
    TestWorkspace ws;
    ws.write_minimal("beta");
    ws.write_minimal("alpha");

    RunResult result = ws.envstore({"validate"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "ok       alpha\nok       beta\n");
    CHECK(result.err.empty());
}

TEST_CASE("validate reports every error with its place, line, caret and hint", "[cli][validate]")
{
    TestWorkspace ws;
    ws.write_minimal("good");
    ws.write_definition("bad", k_bad_runtime);

    SECTION("one error")
    {
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 3);
        CHECK(result.out == "invalid  bad (1 error)\nok       good\n");
        CHECK(result.err == k_bad_runtime_error);
    }
    SECTION("several errors in several definitions, all reported")
    {
        ws.write_definition("worse",
                            "name: worse\nruntime: python\nplatforms: [linux-65]\n"
                            "colour: blue\n");
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 3);
        CHECK(result.out == "invalid  bad (1 error)\nok       good\ninvalid  worse (2 errors)\n");
        CHECK(result.err ==
              k_bad_runtime_error +
                  "envstore: error: environments/worse/environment.yaml:3:13: unknown platform "
                  "\"linux-65\"\n"
                  "    platforms: [linux-65]\n"
                  "                ^\n"
                  "hint: did you mean \"linux-64\"?\n"
                  "envstore: error: environments/worse/environment.yaml:4:1: unknown field "
                  "\"colour\"\n"
                  "    colour: blue\n"
                  "    ^\n");
    }
}

TEST_CASE("validate NAME checks only the named definitions", "[cli][validate]")
{
    TestWorkspace ws;
    ws.write_minimal("good");
    ws.write_definition("bad", k_bad_runtime);

    SECTION("a valid one")
    {
        RunResult result = ws.envstore({"validate", "good"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "ok       good\n");
        CHECK(result.err.empty());
    }
    SECTION("an invalid one")
    {
        RunResult result = ws.envstore({"validate", "bad"});
        CHECK(result.exit_code == 3);
        CHECK(result.out == "invalid  bad (1 error)\n");
        CHECK(result.err == k_bad_runtime_error);
    }
    SECTION("a missing one")
    {
        RunResult result = ws.envstore({"validate", "good", "goood"});
        CHECK(result.exit_code == 4);
        CHECK(result.err == "envstore: error: no environment \"goood\" in the working tree (no "
                            "environments/goood/environment.yaml)\n"
                            "hint: did you mean \"good\"?\n");
    }
    SECTION("an invalid name")
    {
        RunResult result = ws.envstore({"validate", "Good"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: invalid environment name \"Good\": \"G\" is not "
                            "allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")\n");
    }
}

TEST_CASE("validate --json lists each definition with its errors", "[cli][validate]")
{
    TestWorkspace ws;
    ws.write_minimal("good");
    ws.write_definition("bad", k_bad_runtime);

    RunResult result = ws.envstore({"--json", "validate"});
    CHECK(result.exit_code == 3);
    // Diagnostics stay on stderr in JSON mode; stdout holds only the JSON.
    CHECK(result.err.starts_with("envstore: error: environments/bad/environment.yaml:"));
    Json document = Json::parse(result.out);
    Json expected = {
        {"format", 1},
        {"valid", false},
        {"definitions",
         {{{"name", "bad"},
           {"path", "environments/bad/environment.yaml"},
           {"valid", false},
           {"errors",
            {{{"rule", "invalid-runtime"},
              {"message", "unknown runtime \"pyhton\""},
              {"file", "environments/bad/environment.yaml"},
              {"line", 2},
              {"column", 10},
              {"hint", "did you mean \"python\"?"}}}}},
          {{"name", "good"},
           {"path", "environments/good/environment.yaml"},
           {"valid", true},
           {"errors", Json::array()}}}},
    };
    // ordered_json compares member order too.
    CHECK(document.dump(2) == expected.dump(2));

    SECTION("all valid")
    {
        fs::remove_all(ws.root() / "environments/bad");
        RunResult valid = ws.envstore({"validate", "--json"});
        CHECK(valid.exit_code == 0);
        CHECK(Json::parse(valid.out)["valid"] == true);
    }
}

TEST_CASE("validate accepts CRLF line ends and a byte order mark", "[cli][validate]")
{
    TestWorkspace ws;

    SECTION("valid definitions")
    {
        ws.write_definition("crlf",
                            "name: crlf\r\nruntime: python\r\nplatforms: [linux-64]\r\n"
                            "python:\r\n  version: \"3.11\"\r\n  conda: [numpy]\r\n");
        ws.write_definition("bom",
                            "\xEF\xBB\xBFname: bom\nruntime: python\n"
                            "platforms: [linux-64]\npython:\n  version: \"3.11\"\n");
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "ok       bom\nok       crlf\n");
    }
    SECTION("errors point at the same columns, without the CR or the BOM")
    {
        ws.write_definition("crlf", "name: crlf\r\nruntime: pyhton\r\n");
        ws.write_definition("bom", "\xEF\xBB\xBFname: other\nruntime: python\n");
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 3);
        CHECK(result.err.find('\r') == std::string::npos);
        CHECK(result.err.find("\xEF\xBB\xBF") == std::string::npos);
        CHECK_THAT(result.err,
                   Catch::StartsWith("envstore: error: environments/bom/environment.yaml:1:7: "
                                     "name \"other\" does not match its folder \"bom\"\n"
                                     "    name: other\n"
                                     "          ^\n"));
        CHECK_THAT(result.err,
                   Catch::Contains("envstore: error: environments/crlf/environment.yaml:2:10: "
                                   "unknown runtime \"pyhton\"\n"
                                   "    runtime: pyhton\n"
                                   "             ^\n"));
    }
}

TEST_CASE("validate reports a name that differs from its folder", "[cli][validate]")
{
    TestWorkspace ws;
    ws.write_definition("train",
                        "# renamed by hand\nname: train-gpu\nruntime: docker\n"
                        "docker:\n  base_image: ubuntu:22.04\n");

    RunResult result = ws.envstore({"validate"});
    CHECK(result.exit_code == 3);
    CHECK(result.out == "invalid  train (1 error)\n");
    CHECK(result.err == "envstore: error: environments/train/environment.yaml:2:7: name "
                        "\"train-gpu\" does not match its folder \"train\"\n"
                        "    name: train-gpu\n"
                        "          ^\n"
                        "hint: write name: train or rename the folder\n");

    Json json = Json::parse(ws.envstore({"--json", "validate"}).out);
    CHECK(json["definitions"][0]["errors"][0]["rule"] == "name-mismatch");
}

TEST_CASE("validate with no definitions says so on stderr", "[cli][validate]")
{
    TestWorkspace ws;
    RunResult result = ws.envstore({"validate"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err == "no definitions in the working tree\n");

    RunResult json = ws.envstore({"--json", "validate"});
    CHECK(json.out == "{\n  \"format\": 1,\n  \"valid\": true,\n  \"definitions\": []\n}\n");
}

// Every rule example of tests/data/rules, through the binary: the CLI prints
// exactly the expected diagnostics, and JSON names the rule of the example.
TEST_CASE("validate prints the expected diagnostics for every rule example", "[cli][validate]")
{
    TestWorkspace ws;
    std::vector<fs::path> files = rule_files();
    REQUIRE(files.size() > 40);

    for (const auto& file : files) {
        std::string folder = folder_of(file);
        INFO("rule example " << file.filename().string());
        fs::remove_all(ws.root() / "environments");
        ws.write_definition(folder, read_file(file));
        fs::path expected_file = file;
        int count = 0;
        std::string errors =
            cli_errors(read_file(expected_file.replace_extension(".expected")), folder, count);

        RunResult result = ws.envstore({"validate", folder});
        CHECK(result.exit_code == 3);
        CHECK(result.out ==
              fmt::format("invalid  {} ({} {})\n", folder, count, count == 1 ? "error" : "errors"));
        CHECK(result.err == errors);

        Json json = Json::parse(ws.envstore({"--json", "validate", folder}).out);
        std::set<std::string> rules;
        for (const auto& error : json["definitions"][0]["errors"]) {
            rules.insert(error["rule"].get<std::string>());
        }
        CHECK(json["definitions"][0]["errors"].size() == static_cast<std::size_t>(count));
        CHECK(rules.contains(folder_of(file.stem())));
    }
}
