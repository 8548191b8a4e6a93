// envstore blame: each element of a version with the version, date and
// tagger that introduced it; dates and taggers judged by git's view of the tags.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

std::string train(const std::string& conda)
{
    return "name: train\n"
           "python:\n"
           "  version: \"3.11\"\n"
           "  conda: [" +
           conda + "]\nvariables: {A: \"1\"}\n";
}

// train@v1 by Ada, v2 by Bob (numpy changed, scipy removed), v3 by Cyd (scipy
// back, pandas added).
void three_versions(const TestWorkspace& ws)
{
    register_as(ws, "train", "Ada", train("numpy=1.26, scipy=1.11"));
    register_as(ws, "train", "Bob", train("numpy=2.1"));
    register_as(ws, "train", "Cyd", train("numpy=2.1, scipy=1.11, pandas=2.2"));
}

// The date of `tag` as blame prints it, read by git.
std::string date_of(const TestWorkspace& ws, const std::string& tag)
{
    return tag_field(ws, tag, "%(taggerdate:iso)");
}

RunResult blame_ok(const TestWorkspace& ws, const std::vector<std::string>& args)
{
    RunResult result = ws.envstore(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result;
}

} // namespace

TEST_CASE("blame prints each element with the version, date and tagger that introduced it",
          "[cli][blame]")
{
    TestWorkspace ws;
    three_versions(ws);
    std::string v1 = "train@v1  " + date_of(ws, "train@v1") + "  Ada  ";
    std::string v2 = "train@v2  " + date_of(ws, "train@v2") + "  Bob  ";
    std::string v3 = "train@v3  " + date_of(ws, "train@v3") + "  Cyd  ";

    RunResult result = blame_ok(ws, {"blame", "train@v3"});
    CHECK(result.err.empty());
    CHECK(result.out ==
          v1 + "managed              true\n" + v1 + "name                 train\n" + v2 +
              "python.conda/numpy   numpy=2.1\n" + v3 + "python.conda/pandas  pandas=2.2\n" + v3 +
              "python.conda/scipy   scipy=1.11\n" + v1 + "python.version       3.11\n" + v1 +
              "runtime              python\n" + v1 + "variables/A          1\n");

    SECTION("NAME is the working tree, which matches the latest version here")
    {
        CHECK(blame_ok(ws, {"blame", "train"}).out == result.out);
        CHECK(blame_ok(ws, {"blame", "train@latest"}).out == result.out);
    }
    SECTION("a label blames the version it points at")
    {
        run_ok(ws, {"label", "train@v2", "prod"});
        CHECK(blame_ok(ws, {"blame", "train@prod"}).out == blame_ok(ws, {"blame", "train@2"}).out);
        CHECK(blame_ok(ws, {"blame", "train@prod"}).out.find("scipy") == std::string::npos);
    }
    SECTION("a working-tree change is not registered yet")
    {
        ws.write_definition("train", train("numpy=2.1, scipy=1.12, pandas=2.2"));
        std::string out = blame_ok(ws, {"blame", "train"}).out;
        std::string v2_wide = "train@v2        " + date_of(ws, "train@v2") + "  Bob  ";
        CHECK(out.find("\nnot registered" + std::string(34, ' ') +
                       "python.conda/scipy   scipy=1.12\n") != std::string::npos);
        CHECK(out.find(v2_wide + "python.conda/numpy   numpy=2.1\n") != std::string::npos);
    }
}

TEST_CASE("blame --json gives every element with its version and tagger", "[cli][blame]")
{
    TestWorkspace ws;
    three_versions(ws);
    RunResult result = blame_ok(ws, {"--json", "blame", "train@v3"});
    auto doc = nlohmann::json::parse(result.out);

    CHECK(doc["format"] == 1);
    CHECK(doc["reference"] == "train@v3");
    CHECK(doc["version"] == 3);
    CHECK(doc["form"] == "written");
    CHECK(doc["renamed_from"] == nlohmann::json::array());
    CHECK(doc["history_stop"].is_null());
    REQUIRE(doc["elements"].size() == 8);

    const auto& numpy = doc["elements"][2];
    CHECK(numpy["key"] == "python.conda/numpy");
    CHECK(numpy["value"] == "numpy=2.1");
    CHECK(numpy["inherited_from"].is_null());
    const auto& introduced = numpy["introduced"];
    CHECK(introduced["tag"] == "train@v2");
    CHECK(introduced["name"] == "train");
    CHECK(introduced["version"] == 2);
    CHECK(introduced["commit"] == git_text(ws, {"rev-parse", "train@v2^{commit}"}));
    CHECK(introduced["message"] == "Bob");
    CHECK(introduced["tagger"]["name"] == "Bob");
    CHECK(introduced["tagger"]["email"] == "Bob@example.org");
    CHECK(introduced["tagger"]["date"] == date_of(ws, "train@v2"));
    CHECK(std::to_string(introduced["tagger"]["time"].get<long long>()) ==
          tag_field(ws, "train@v2", "%(taggerdate:unix)"));

    ws.write_definition("train", train("numpy=2.2"));
    auto tree = nlohmann::json::parse(blame_ok(ws, {"--json", "blame", "train"}).out);
    CHECK(tree["reference"] == "train");
    CHECK(tree["version"].is_null());
    CHECK(tree["elements"][2]["introduced"].is_null());
}

TEST_CASE("blame --resolved lists inherited elements and the base that provides them",
          "[cli][blame]")
{
    TestWorkspace ws;
    ws.write_definition("base", "name: base\npython:\n  version: \"3.11\"\n  conda: [numpy]\n");
    run_ok(ws, {"register", "base"});
    register_as(ws, "leaf", "Ada", "name: leaf\nextends: base@v1\nvariables: {L: x}\n");

    std::string v1 = "leaf@v1  " + date_of(ws, "leaf@v1") + "  Ada  ";
    CHECK(blame_ok(ws, {"blame", "leaf"}).out ==
          v1 + "extends      base@v1\n" + v1 + "managed      true\n" + v1 + "name         leaf\n" +
              v1 + "runtime      python\n" + v1 + "variables/L  x\n");
    CHECK(blame_ok(ws, {"blame", "--resolved", "leaf"}).out ==
          v1 + "managed             true\n" + v1 + "name                leaf\n" + v1 +
              "python.conda/numpy  numpy   (from base@v1)\n" + v1 +
              "python.version      3.11    (from base@v1)\n" + v1 + "runtime             python\n" +
              v1 + "variables/L         x\n");
    auto doc = nlohmann::json::parse(blame_ok(ws, {"--json", "blame", "--resolved", "leaf"}).out);
    CHECK(doc["form"] == "resolved");
    CHECK(doc["elements"][2]["inherited_from"] == "base@v1");
}

TEST_CASE("blame follows a renamed environment into its old versions", "[cli][blame]")
{
    TestWorkspace ws;
    register_as(ws, "train", "Ada", train("numpy=1.26"));
    register_as(ws, "train", "Bob", train("numpy=2.1"));
    run_ok(ws, {"rename", "train", "trainer"});

    std::string out = blame_ok(ws, {"blame", "trainer"}).out;
    CHECK(out.find("train@v2    " + date_of(ws, "train@v2") +
                   "  Bob          python.conda/numpy  numpy=2.1\n") != std::string::npos);
    CHECK(out.find("trainer@v1  " + date_of(ws, "trainer@v1") +
                   "  Test Author  name                trainer\n") != std::string::npos);
    auto doc = nlohmann::json::parse(blame_ok(ws, {"--json", "blame", "trainer"}).out);
    CHECK(doc["renamed_from"] == nlohmann::json::array({"train@v2"}));
}

TEST_CASE("blame errors name what is missing, with the exit code of their kind", "[cli][blame]")
{
    TestWorkspace ws;
    three_versions(ws);

    RunResult unknown_version = ws.envstore({"blame", "train@v9"});
    CHECK(unknown_version.exit_code == 4);
    CHECK(unknown_version.out.empty());
    CHECK(unknown_version.err == "envstore: error: unknown reference \"train@v9\"\n"
                                 "hint: \"train\" has versions v1 to v3 and no labels\n");

    RunResult unknown_name = ws.envstore({"blame", "nosuch"});
    CHECK(unknown_name.exit_code == 4);
    CHECK(unknown_name.err.starts_with("envstore: error: no environment \"nosuch\""));

    std::string commit = git_text(ws, {"rev-parse", "train@v1^{commit}"});
    RunResult by_commit = ws.envstore({"blame", "train@" + commit});
    CHECK(by_commit.exit_code == 3);
    CHECK(by_commit.err.starts_with("envstore: error: blame follows versions, not commits"));

    CHECK(ws.envstore({"blame"}).exit_code == 2);
    CHECK(ws.envstore({"blame", "train@"}).exit_code == 3);

    RunResult json = ws.envstore({"--json", "blame", "train@v9"});
    CHECK(json.exit_code == 4);
    auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["error"]["code"] == "not_found");
    CHECK(doc["error"]["exit_code"] == 4);
}

TEST_CASE("blame fails with exit 8 when a version on the way was tampered with", "[cli][blame]")
{
    TestWorkspace ws;
    three_versions(ws);
    // train@v1 moved to v2's commit by the git CLI, behind envstore's back.
    std::string original = tag_field(ws, "train@v1", "%(contents)");
    RunResult retag = ws.git({"tag", "-f", "-a", "train@v1", "-m", original, "train@v2^{commit}"});
    REQUIRE(retag.exit_code == 0);

    for (const std::string form : {"--resolved", ""}) {
        INFO(form);
        std::vector<std::string> args = {"blame", "train@v3"};
        if (!form.empty()) {
            args.push_back(form);
        }
        RunResult result = ws.envstore(args);
        CHECK(result.exit_code == 8);
        CHECK(result.out.empty());
        CHECK(result.err.starts_with(
            "envstore: error: version \"train@v1\" was changed outside envstore (tampered)"));
    }
}

TEST_CASE("blame stops with a warning at a version it cannot read in the form asked",
          "[cli][blame]")
{
    TestWorkspace ws;
    std::string leaf = "name: leaf\nextends: base@latest\nvariables: {L: x}\n";
    register_as(ws, "base", "Ada", "name: base\npython:\n  version: \"3.11\"\n  conda: [numpy]\n");
    register_as(ws, "leaf", "Ada", leaf);
    register_as(ws, "base", "Bob", "name: base\npython:\n  version: \"3.11\"\n  conda: [scipy]\n");
    register_as(ws, "leaf", "Bob", leaf); // unchanged, but on base@v2
    // leaf@v1 was registered on base@v1, which a clone without that tag cannot read.
    REQUIRE(ws.git({"tag", "-d", "base@v1"}).exit_code == 0);

    RunResult result = blame_ok(ws, {"blame", "--resolved", "leaf@v2"});
    CHECK(result.err == "envstore: warning: leaf@v1 cannot be read resolved: unknown reference "
                        "\"base@v1\"; older versions were not compared\n");
    CHECK(result.out.find("leaf@v2  " + date_of(ws, "leaf@v2") + "  Bob  variables/L") !=
          std::string::npos);
    auto doc =
        nlohmann::json::parse(blame_ok(ws, {"--json", "blame", "--resolved", "leaf@v2"}).out);
    CHECK(doc["history_stop"] == "leaf@v1 cannot be read resolved: unknown reference \"base@v1\"");

    // As written, leaf@v1 reads fine and the walk goes on.
    RunResult written = blame_ok(ws, {"blame", "leaf@v2"});
    CHECK(written.err.empty());
    CHECK(written.out.find("leaf@v1  " + date_of(ws, "leaf@v1") + "  Ada  variables/L") !=
          std::string::npos);
}

TEST_CASE("blame reads a curated environment's versions in the catalog", "[cli][blame]")
{
    TestWorkspace ws;
    const std::filesystem::path catalog = ENVSTORE_CURATED_BUILT;
    auto catalog_git = [&](const std::vector<std::string>& args) {
        RunOptions options; // the build's catalog is read in parallel: no index lock
        options.env = {{"GIT_OPTIONAL_LOCKS", "0"}};
        return git_text(catalog, args, options);
    };
    auto element = [](const nlohmann::json& doc, const std::string& key) {
        for (const auto& entry : doc["elements"]) {
            if (entry["key"] == key) {
                return entry;
            }
        }
        FAIL("no element " << key);
        return nlohmann::json();
    };

    auto doc = nlohmann::json::parse(blame_ok(ws, {"--json", "blame", "curated/python-3.11"}).out);
    CHECK(doc["reference"] == "curated/python-3.11@latest");
    auto version = element(doc, "python.version")["introduced"];
    CHECK(version["tag"] == "curated/python-3.11@v3");
    CHECK(version["name"] == "curated/python-3.11");
    CHECK(version["commit"] == catalog_git({"rev-parse", "python-3.11@v3^{commit}"}));
    CHECK(version["tagger"]["date"] ==
          catalog_git({"for-each-ref", "--format=%(taggerdate:iso)", "refs/tags/python-3.11@v3"}));
    CHECK(element(doc, "python.conda/setuptools")["introduced"]["tag"] == "curated/python-3.11@v2");

    std::string text = blame_ok(ws, {"blame", "curated/python-3.11@v3"}).out;
    CHECK(text.find("curated/python-3.11@v3  " + version["tagger"]["date"].get<std::string>() +
                    "  envstore curated catalog  python.version ") != std::string::npos);

    auto resolved = nlohmann::json::parse(
        blame_ok(ws, {"--json", "blame", "--resolved", "curated/scientific@v3"}).out);
    CHECK(element(resolved, "python.version")["inherited_from"] == "curated/python-3.11@v3");
    CHECK(element(resolved, "name")["inherited_from"].is_null());
}
