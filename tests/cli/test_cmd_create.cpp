// envstore create: the definition template it writes, its options, and the
// names it refuses. Nothing is committed; refusals write nothing.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace envstore::test;
namespace fs = std::filesystem;

namespace {

const std::string k_usage_hint = "hint: run envstore --help, or envstore COMMAND --help\n";

// Runs create, then validate on what it wrote.
void check_created_valid(const TestWorkspace& ws,
                         const std::vector<std::string>& args,
                         const std::string& name)
{
    RunResult created = ws.envstore(args);
    INFO(created.err);
    REQUIRE(created.exit_code == 0);
    CHECK(created.out == fmt::format("Created {}\n", definition_path(name)));
    CHECK(created.err.empty());

    RunResult validated = ws.envstore({"validate", name});
    INFO(validated.err);
    CHECK(validated.exit_code == 0);
    CHECK(validated.out == fmt::format("ok       {}\n", name));
}

} // namespace

TEST_CASE("create writes a python definition that validates, and commits nothing", "[cli][create]")
{
    TestWorkspace ws;
    check_created_valid(ws, {"create", "train"}, "train");

    CHECK(ws.read(definition_path("train")) == "name: train\n"
                                               "description: \"\"\n"
                                               "runtime: python\n"
                                               "platforms: [linux-64]\n"
                                               "python:\n"
                                               "  version: \"3.11\"\n"
                                               "  channels: [conda-forge]\n"
                                               "  conda: []\n"
                                               "  pip: []\n");
    CHECK(ws.git({"rev-list", "--count", "HEAD"}).out == "1\n");
    CHECK(ws.git({"status", "--porcelain"}).out == "?? environments/\n");
    CHECK(ws.envstore({"status"}).out == "new        train (uncommitted)\n");
}

TEST_CASE("create --runtime and --python choose the template", "[cli][create]")
{
    TestWorkspace ws;

    SECTION("spark with python 3.10")
    {
        check_created_valid(ws, {"create", "etl", "--runtime", "spark", "--python", "3.10"}, "etl");
        CHECK(ws.read(definition_path("etl")) == "name: etl\n"
                                                 "description: \"\"\n"
                                                 "runtime: spark\n"
                                                 "platforms: [linux-64]\n"
                                                 "python:\n"
                                                 "  version: \"3.10\"\n"
                                                 "  channels: [conda-forge]\n"
                                                 "  conda: []\n"
                                                 "  pip: []\n"
                                                 "spark:\n"
                                                 "  packages: []\n");
    }
    SECTION("docker")
    {
        check_created_valid(ws, {"create", "--runtime", "docker", "box"}, "box");
        CHECK(ws.read(definition_path("box")) == "name: box\n"
                                                 "description: \"\"\n"
                                                 "runtime: docker\n"
                                                 "platforms: [linux-64]\n"
                                                 "docker:\n"
                                                 "  base_image: ubuntu:22.04\n");
    }
    SECTION("an unknown runtime is a usage error")
    {
        RunResult result = ws.envstore({"create", "x", "--runtime", "java"});
        CHECK(result.exit_code == 2);
        CHECK(result.err ==
              "envstore: error: --runtime: java not in {python,spark,docker}\n" + k_usage_hint);
        CHECK_FALSE(fs::exists(ws.root() / "environments/x"));
    }
    SECTION("a bad python version is refused before anything is written")
    {
        RunResult result = ws.envstore({"create", "x", "--python", "three"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: environments/x/environment.yaml:6:12: invalid python "
                            "version \"three\"\n"
                            "      version: \"three\"\n"
                            "               ^\n"
                            "hint: write \"X.Y\" or \"X.Y.Z\", e.g. \"3.11\"\n");
        CHECK_FALSE(fs::exists(ws.root() / "environments/x"));
    }
}

TEST_CASE("create --extends names the base environment", "[cli][create]")
{
    TestWorkspace ws;

    SECTION("a valid reference")
    {
        check_created_valid(ws, {"create", "child", "--extends", "base@v1"}, "child");
        CHECK(ws.read(definition_path("child")) == "name: child\n"
                                                   "description: \"\"\n"
                                                   "extends: base@v1\n"
                                                   "runtime: python\n"
                                                   "platforms: [linux-64]\n"
                                                   "python:\n"
                                                   "  version: \"3.11\"\n"
                                                   "  channels: [conda-forge]\n"
                                                   "  conda: []\n"
                                                   "  pip: []\n");
    }
    SECTION("an invalid reference is refused before anything is written")
    {
        RunResult result = ws.envstore({"create", "child", "--extends", "Base"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: environments/child/environment.yaml:3:10: invalid "
                            "reference \"Base\": \"B\" is not allowed (use lowercase letters, "
                            "digits, \".\", \"_\" and \"-\")\n"
                            "    extends: Base\n"
                            "             ^\n");
        CHECK_FALSE(fs::exists(ws.root() / "environments/child"));
    }
}

TEST_CASE("create refuses names that break a naming rule", "[cli][create]")
{
    TestWorkspace ws;
    const std::string allowed = "(use lowercase letters, digits, \".\", \"_\" and \"-\")";
    const std::string long_name(65, 'a');
    struct Case
    {
        std::string name;
        std::string why;
    };
    const std::vector<Case> cases = {
        {"Train", "\"T\" is not allowed " + allowed},
        {"tr ain", "byte 0x20 is not allowed " + allowed},
        {"-train", "must start with a lowercase letter or a digit"},
        {"_train", "must start with a lowercase letter or a digit"},
        {"a..b", "must not contain \"..\""},
        {"train.lock", "must not end with \".lock\""},
        {"train.", "must not end with \".\""},
        {long_name, "longer than 64 characters"},
        {"curated", "\"curated\" is reserved"},
    };

    SECTION("each rule, with its reason")
    {
        for (const auto& c : cases) {
            INFO("name: " << c.name);
            // "--" lets a name start with "-".
            RunResult result = ws.envstore({"create", "--", c.name});
            CHECK(result.exit_code == 3);
            CHECK(result.out.empty());
            CHECK(result.err ==
                  fmt::format(
                      "envstore: error: invalid environment name \"{}\": {}\n", c.name, c.why));
        }
        CHECK(fs::is_empty(ws.root() / "environments"));
    }

    SECTION("64 characters and every allowed character are fine")
    {
        check_created_valid(ws, {"create", std::string(64, 'b')}, std::string(64, 'b'));
        check_created_valid(ws, {"create", "0a_b-c.d"}, "0a_b-c.d");
    }
    SECTION("without \"--\" a leading \"-\" reads as an option")
    {
        RunResult result = ws.envstore({"create", "-train"});
        CHECK(result.exit_code == 2);
        CHECK(fs::is_empty(ws.root() / "environments"));
    }
}

TEST_CASE("create refuses an existing definition and leaves it as it was", "[cli][create]")
{
    TestWorkspace ws;
    ws.write_minimal("train", "# edited by hand");
    std::string before = ws.read(definition_path("train"));

    RunResult result = ws.envstore({"create", "train", "--runtime", "docker"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: \"environments/train/environment.yaml\" already exists\n"
                        "hint: edit it, or choose another name\n");
    CHECK(ws.read(definition_path("train")) == before);
}

TEST_CASE("create --json prints the name and path", "[cli][create]")
{
    TestWorkspace ws;

    SECTION("created")
    {
        RunResult result = ws.envstore({"--json", "create", "train"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "{\n  \"format\": 1,\n  \"name\": \"train\",\n"
                            "  \"path\": \"environments/train/environment.yaml\"\n}\n");
        CHECK(result.err.empty());
    }
    SECTION("refused")
    {
        RunResult result = ws.envstore({"--json", "create", "Train"});
        CHECK(result.exit_code == 3);
        CHECK(result.out == "{\n  \"format\": 1,\n  \"error\": {\n"
                            "    \"code\": \"invalid_input\",\n"
                            "    \"exit_code\": 3,\n    \"message\": \"invalid environment name "
                            "\\\"Train\\\": \\\"T\\\" is not allowed (use lowercase letters, "
                            "digits, \\\".\\\", \\\"_\\\" and \\\"-\\\")\"\n  }\n}\n");
    }
}

TEST_CASE("create from a subfolder writes at the workspace's top", "[cli][create]")
{
    TestWorkspace ws;
    fs::create_directories(ws.root() / "environments/other/deep");
    RunResult result =
        envstore::test::envstore(ws.root() / "environments/other/deep", {"create", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(fs::is_regular_file(ws.root() / definition_path("train")));
    CHECK_FALSE(fs::exists(ws.root() / "environments/other/deep/environments"));
}
