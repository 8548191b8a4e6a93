// envstore show: every reference form prints the stored bytes exactly as git's
// own `git show` does; bad and unknown references fail with exact messages.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

const std::string k_path = "environments/train/environment.yaml";

// The bytes of the definition at `revision`, as git prints them.
std::string git_show(const TestWorkspace& ws, const std::string& revision)
{
    RunResult result = ws.git({"show", revision + ":" + k_path});
    REQUIRE(result.exit_code == 0);
    return result.out;
}

void register_text(const TestWorkspace& ws, const std::string& text)
{
    ws.write_definition("train", text);
    RunResult result = ws.envstore({"register", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
}

// The shortest prefix of `id`, 7 characters or more, with a letter in it, so
// that it reads as a commit rather than a version number or label.
std::string commit_prefix(const std::string& id)
{
    for (std::size_t length = 7; length <= id.size(); ++length) {
        std::string prefix = id.substr(0, length);
        if (prefix.find_first_of("abcdef") != std::string::npos) {
            return prefix;
        }
    }
    return id;
}

// Three versions of "train", each with different content, and label prod on v2.
struct ThreeVersions
{
    TestWorkspace ws;
    std::string texts[3];

    ThreeVersions()
    {
        for (int n = 0; n < 3; ++n) {
            texts[n] = minimal_definition("train", fmt::format("variables: {{N: \"{}\"}}", n + 1));
            register_text(ws, texts[n]);
        }
        REQUIRE(ws.envstore({"label", "train@v2", "prod"}).exit_code == 0);
    }
};

void check_shows(const TestWorkspace& ws, const std::string& reference, const std::string& bytes)
{
    INFO(reference);
    RunResult result = ws.envstore({"show", reference});
    CHECK(result.exit_code == 0);
    CHECK(result.out == bytes);
    CHECK(result.err.empty());
}

} // namespace

TEST_CASE("show NAME prints the working tree bytes, uncommitted edits included", "[cli][show]")
{
    TestWorkspace ws;
    register_text(ws, minimal_definition("train"));
    std::string edited = minimal_definition("train", "# not committed yet\nvariables: {N: \"9\"}");
    ws.write_definition("train", edited);

    check_shows(ws, "train", edited);
    check_shows(ws, "train@v1", git_show(ws, "train@v1"));
    CHECK(git_show(ws, "train@v1") == minimal_definition("train"));
}

TEST_CASE("show prints each reference form exactly as git stores it", "[cli][show]")
{
    ThreeVersions setup;
    const TestWorkspace& ws = setup.ws;
    CHECK(git_show(ws, "train@v2") == setup.texts[1]);

    check_shows(ws, "train@v2", git_show(ws, "train@v2"));
    check_shows(ws, "train@2", git_show(ws, "train@v2"));
    check_shows(ws, "train@v1", git_show(ws, "train@v1"));
    check_shows(ws, "train@latest", git_show(ws, "train@v3"));
    check_shows(ws, "train@prod", git_show(ws, "train@v2"));

    std::string commit = git_text(ws, {"rev-parse", "train@v1^{commit}"});
    check_shows(ws, "train@" + commit_prefix(commit), git_show(ws, commit));
    check_shows(ws, "train@" + commit, git_show(ws, commit));
    CHECK(git_show(ws, commit) == setup.texts[0]);

    REQUIRE(ws.envstore({"label", "train@v3", "prod"}).exit_code == 0);
    check_shows(ws, "train@prod", git_show(ws, "train@v3"));
}

TEST_CASE("show never alters bytes: CRLF and no final newline", "[cli][show]")
{
    // The workspace's .gitattributes keeps definitions LF in the repository,
    // as git add would store them; show prints exactly what is stored.
    TestWorkspace ws;
    auto [text, stored] =
        GENERATE(std::pair<std::string, std::string>{"name: train\r\nplatforms: [linux-64]\r\n",
                                                     "name: train\nplatforms: [linux-64]\n"},
                 std::pair<std::string, std::string>{"name: train\nplatforms: [linux-64]",
                                                     "name: train\nplatforms: [linux-64]"},
                 std::pair<std::string, std::string>{"name: train\r\n# no final newline",
                                                     "name: train\n# no final newline"});
    register_text(ws, text);

    CHECK(git_show(ws, "train@v1") == stored);
    check_shows(ws, "train@v1", stored);
    check_shows(ws, "train@latest", stored);
    check_shows(ws, "train", text);
    std::string commit = git_text(ws, {"rev-parse", "HEAD"});
    check_shows(ws, "train@" + commit_prefix(commit), stored);
    CHECK(ws.git({"status", "--porcelain"}).out.empty());

    RunResult json = ws.envstore({"--json", "show", "train@v1"});
    REQUIRE(json.exit_code == 0);
    CHECK(nlohmann::json::parse(json.out).at("content") == stored);
}

TEST_CASE("show of an unknown version or label lists what exists", "[cli][show]")
{
    ThreeVersions setup;
    const TestWorkspace& ws = setup.ws;
    REQUIRE(ws.envstore({"label", "train@v1", "dev"}).exit_code == 0);
    std::string hint = "hint: \"train\" has versions v1 to v3 and labels dev (v1), prod (v2)\n";

    for (std::string reference : {"train@v4", "train@4", "train@staging", "train@abcdef0"}) {
        INFO(reference);
        RunResult result = ws.envstore({"show", reference});
        CHECK(result.exit_code == 4);
        CHECK(result.out.empty());
        std::string shown = reference == "train@4" ? "train@v4" : reference;
        CHECK(result.err ==
              fmt::format("envstore: error: unknown reference \"{}\"\n{}", shown, hint));
    }

    RunResult json = ws.envstore({"--json", "show", "train@staging"});
    CHECK(json.exit_code == 4);
    CHECK(nlohmann::json::parse(json.out) ==
          nlohmann::json{{"format", 1},
                         {"error",
                          {{"code", "not_found"},
                           {"exit_code", 4},
                           {"message", "unknown reference \"train@staging\""},
                           {"hint", hint.substr(6, hint.size() - 7)}}}});
}

TEST_CASE("show of an environment without versions says so", "[cli][show]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    RunResult one = ws.envstore({"register", "train"});
    REQUIRE(one.exit_code == 0);
    ws.write_minimal("fresh");

    for (std::string reference : {"fresh@v1", "fresh@latest", "fresh@prod"}) {
        INFO(reference);
        RunResult result = ws.envstore({"show", reference});
        CHECK(result.exit_code == 4);
        CHECK(result.err == fmt::format("envstore: error: unknown reference \"{}\"\n"
                                        "hint: \"fresh\" has no versions and no labels\n",
                                        reference));
    }

    RunResult result = ws.envstore({"show", "train@prod"});
    CHECK(result.exit_code == 4);
    CHECK(result.err == "envstore: error: unknown reference \"train@prod\"\n"
                        "hint: \"train\" has version v1 and no labels\n");

    result = ws.envstore({"show", "absent"});
    CHECK(result.exit_code == 4);
    CHECK(result.err == "envstore: error: no environment \"absent\" in the working tree "
                        "(no environments/absent/environment.yaml)\n"
                        "hint: environments in the working tree: fresh, train\n");
}

TEST_CASE("show of a commit without the environment fails with not found", "[cli][show]")
{
    TestWorkspace ws;
    std::string first = git_text(ws, {"rev-parse", "HEAD"});
    register_text(ws, minimal_definition("train"));

    RunResult result = ws.envstore({"show", "train@" + first});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err ==
          fmt::format("envstore: error: commit {} has no \"{}\"\n", first.substr(0, 12), k_path));
}

TEST_CASE("show refuses a malformed reference", "[cli][show]")
{
    TestWorkspace ws;
    register_text(ws, minimal_definition("train"));

    auto check_refused = [&](const std::string& reference, const std::string& err) {
        INFO(reference);
        RunResult result = ws.envstore({"show", reference});
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == err);
    };
    check_refused("train@v0",
                  "envstore: error: invalid reference \"train@v0\": "
                  "version numbers start at 1\n");
    check_refused("train@0",
                  "envstore: error: invalid reference \"train@0\": "
                  "version numbers start at 1\n");
    check_refused("train@",
                  "envstore: error: invalid reference \"train@\": nothing after \"@\"\n"
                  "hint: write NAME@vN, NAME@latest, NAME@COMMIT or NAME@LABEL\n");
    check_refused("train@Bad!",
                  "envstore: error: invalid reference \"train@Bad!\": \"B\" is not "
                  "allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")\n");
    check_refused("Train@v1",
                  "envstore: error: invalid reference \"Train@v1\": \"T\" is not "
                  "allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")\n");
}

TEST_CASE("show --json describes the reference and holds the bytes", "[cli][show]")
{
    ThreeVersions setup;
    const TestWorkspace& ws = setup.ws;
    auto show_json = [&](const std::string& reference) {
        RunResult result = ws.envstore({"--json", "show", reference});
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        CHECK(result.err.empty());
        CHECK(nlohmann::ordered_json::parse(result.out).begin().key() == "format");
        return nlohmann::json::parse(result.out);
    };
    std::string v2_commit = git_text(ws, {"rev-parse", "train@v2^{commit}"});
    std::string v2_digest = tag_digest(ws, "train@v2");

    SECTION("a label")
    {
        CHECK(show_json("train@prod") == nlohmann::json{{"format", 1},
                                                        {"reference", "train@prod"},
                                                        {"name", "train"},
                                                        {"path", k_path},
                                                        {"commit", v2_commit},
                                                        {"version", 2},
                                                        {"tag", "train@v2"},
                                                        {"digest", v2_digest},
                                                        {"content", setup.texts[1]}});
    }
    SECTION("a version written as a number")
    {
        nlohmann::json document = show_json("train@2");
        CHECK(document.at("reference") == "train@v2");
        CHECK(document.at("tag") == "train@v2");
        CHECK(document.at("commit") == v2_commit);
    }
    SECTION("latest")
    {
        nlohmann::json document = show_json("train@latest");
        CHECK(document.at("reference") == "train@latest");
        CHECK(document.at("version") == 3);
        CHECK(document.at("content") == setup.texts[2]);
    }
    SECTION("a commit: no version")
    {
        std::string prefix = commit_prefix(v2_commit);
        CHECK(show_json("train@" + prefix) == nlohmann::json{{"format", 1},
                                                             {"reference", "train@" + prefix},
                                                             {"name", "train"},
                                                             {"path", k_path},
                                                             {"commit", v2_commit},
                                                             {"version", nullptr},
                                                             {"tag", nullptr},
                                                             {"digest", nullptr},
                                                             {"content", setup.texts[1]}});
    }
    SECTION("the working tree: no commit")
    {
        CHECK(show_json("train") == nlohmann::json{{"format", 1},
                                                   {"reference", "train"},
                                                   {"name", "train"},
                                                   {"path", k_path},
                                                   {"commit", nullptr},
                                                   {"version", nullptr},
                                                   {"tag", nullptr},
                                                   {"digest", nullptr},
                                                   {"content", setup.texts[2]}});
    }
}
