// envstore register: one commit for the named definitions, then one annotated
// version tag each, judged by the git CLI (objects, trailers, fsck, status).

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <sstream>

using namespace envstore::test;

namespace {

int commit_count(const TestWorkspace& ws)
{
    return std::stoi(git_trimmed(ws, {"rev-list", "--count", "HEAD"}));
}

// Every tag of `before` still exists with the same object id in `after`.
void check_tags_kept(const std::map<std::string, std::string>& before,
                     const std::map<std::string, std::string>& after)
{
    for (const auto& [name, id] : before) {
        INFO("tag " << name);
        auto found = after.find(name);
        REQUIRE(found != after.end());
        CHECK(found->second == id);
    }
}

// The trailers of tag `tag`'s message, one "Key: value" each, as git reads them.
std::vector<std::string> tag_trailers(const TestWorkspace& ws, const std::string& tag)
{
    std::string message =
        git_trimmed(ws, {"for-each-ref", "--format=%(contents)", "refs/tags/" + tag});
    RunOptions options;
    options.cwd = ws.root();
    options.input = message + "\n";
    RunResult parsed = run({"git", "interpret-trailers", "--parse"}, options);
    REQUIRE(parsed.exit_code == 0);
    std::vector<std::string> trailers;
    std::istringstream lines(parsed.out);
    for (std::string line; std::getline(lines, line);) {
        trailers.push_back(line);
    }
    return trailers;
}

// The value of trailer `key` of `tag`, or "" when absent.
std::string trailer(const TestWorkspace& ws, const std::string& tag, const std::string& key)
{
    for (const auto& line : tag_trailers(ws, tag)) {
        if (line.starts_with(key + ": ")) {
            return line.substr(key.size() + 2);
        }
    }
    return {};
}

std::string blob_id(const TestWorkspace& ws, const std::string& tag, const std::string& file)
{
    std::string name = tag.substr(0, tag.find('@'));
    return git_trimmed(ws, {"rev-parse", fmt::format("{}:environments/{}/{}", tag, name, file)});
}

std::string registered_line(const TestWorkspace& ws, const std::string& tag)
{
    return fmt::format("Registered {} ({})\n", tag, trailer(ws, tag, "Envstore-Digest"));
}

} // namespace

TEST_CASE("register commits one definition and tags it NAME@v1", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    int commits = commit_count(ws);

    RunResult result = ws.envstore({"register", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == registered_line(ws, "train@v1"));
    CHECK(result.err.empty());

    CHECK(commit_count(ws) == commits + 1);
    CHECK(git_trimmed(ws, {"cat-file", "-t", "train@v1"}) == "tag");
    CHECK(git_trimmed(ws, {"rev-parse", "train@v1^{commit}"}) ==
          git_trimmed(ws, {"rev-parse", "HEAD"}));
    CHECK(ws.git({"show", "train@v1:" + definition_path("train")}).out ==
          minimal_definition("train"));
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%s"}) == "Update train");
    CHECK(git_trimmed(ws, {"for-each-ref", "--format=%(contents:subject)", "refs/tags/train@v1"}) ==
          "train v1");
    std::string tagger_format = "--format=%(taggername) %(taggeremail)";
    CHECK(git_trimmed(ws, {"for-each-ref", tagger_format, "refs/tags/train@v1"}) ==
          "Test Author <author@example.org>");
    CHECK(git_trimmed(ws, {"tag", "-l"}) == "train@v1");
    check_repository_clean(ws);
}

TEST_CASE("register records environment, version, digest and files as trailers", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);

    std::vector<std::string> trailers = tag_trailers(ws, "train@v1");
    REQUIRE(trailers.size() == 5);
    CHECK(trailers[0] == "Envstore-Environment: train");
    CHECK(trailers[1] == "Envstore-Version: 1");
    CHECK(trailers[2] == "Envstore-Canonical: 1");
    CHECK(std::regex_match(trailers[3], std::regex("Envstore-Digest: sha256:[0-9a-f]{64}")));
    CHECK(trailers[4] ==
          "Envstore-File: environment.yaml " + blob_id(ws, "train@v1", "environment.yaml"));
}

TEST_CASE("register of several names makes one commit and a version each", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("alpha");
    ws.write_minimal("beta");
    ws.write_minimal("gamma");
    int commits = commit_count(ws);

    RunResult result = ws.envstore({"register", "gamma", "alpha", "beta"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == registered_line(ws, "gamma@v1") + registered_line(ws, "alpha@v1") +
                            registered_line(ws, "beta@v1"));

    CHECK(commit_count(ws) == commits + 1);
    std::string head = git_trimmed(ws, {"rev-parse", "HEAD"});
    for (std::string name : {"alpha", "beta", "gamma"}) {
        INFO(name);
        CHECK(git_trimmed(ws, {"rev-parse", name + "@v1^{commit}"}) == head);
        CHECK(git_trimmed(ws, {"cat-file", "-t", name + "@v1"}) == "tag");
        CHECK(ws.git({"show", name + "@v1:" + definition_path(name)}).out ==
              minimal_definition(name));
    }
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%s"}) == "Update gamma, alpha, beta");
    check_repository_clean(ws);
}

TEST_CASE("register makes no version of an unchanged definition", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("train", "variables: {A: \"1\", B: \"2\"}");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);
    auto before = tag_ids(ws);
    int commits = commit_count(ws);
    std::string unchanged = "train unchanged since train@v1: no new version\n";

    SECTION("same bytes: no commit either")
    {
        RunResult result = ws.envstore({"register", "train"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == unchanged);
        CHECK(result.err.empty());
        CHECK(commit_count(ws) == commits);
    }
    SECTION("a comment added")
    {
        ws.write_minimal("train", "variables: {A: \"1\", B: \"2\"}  # two\n# the end");
        RunResult result = ws.envstore({"register", "train"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == unchanged);
    }
    SECTION("keys reordered and requoted")
    {
        ws.write_definition("train",
                            "python:\n"
                            "  conda: ['numpy>=1.26']\n"
                            "  channels: [conda-forge]\n"
                            "  version: '3.11'\n"
                            "variables:\n"
                            "  B: \"2\"\n"
                            "  A: \"1\"\n"
                            "platforms: [linux-64]\n"
                            "runtime: python\n"
                            "description: test environment train\n"
                            "name: train\n");
        RunResult result = ws.envstore({"register", "train"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == unchanged);
    }

    CHECK(tag_ids(ws) == before);
    check_repository_clean(ws);
}

TEST_CASE("register makes a new version when any field changes", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("train", "variables: {A: \"1\"}\nmetadata: {team: core}");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);
    std::string first_digest = trailer(ws, "train@v1", "Envstore-Digest");
    std::string edited;
    bool digest_changes = true;

    SECTION("description")
    {
        edited = minimal_definition("train", "variables: {A: \"1\"}\nmetadata: {team: core}");
        edited.replace(edited.find("test environment"), 4, "best");
        digest_changes = false;
    }
    SECTION("metadata")
    {
        edited = minimal_definition("train", "variables: {A: \"1\"}\nmetadata: {team: vision}");
        digest_changes = false;
    }
    SECTION("a package")
    {
        edited = minimal_definition("train", "variables: {A: \"1\"}\nmetadata: {team: core}");
        edited.replace(edited.find("1.26"), 4, "1.27");
    }
    SECTION("a variable")
    {
        edited = minimal_definition("train", "variables: {A: \"2\"}\nmetadata: {team: core}");
    }

    ws.write_definition("train", edited);
    RunResult result = ws.envstore({"register", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == registered_line(ws, "train@v2"));
    CHECK(ws.git({"show", "train@v2:" + definition_path("train")}).out == edited);
    // The digest covers only what changes a build (docs/canonical-form.md).
    CHECK((trailer(ws, "train@v2", "Envstore-Digest") != first_digest) == digest_changes);
    check_repository_clean(ws);
}

TEST_CASE("register versions every file of the environment's folder", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_definition("img",
                        "name: img\n"
                        "runtime: docker\n"
                        "docker:\n"
                        "  base_dockerfile: Dockerfile.base\n");
    write_file(ws.root() / "environments/img/Dockerfile.base", "FROM debian:12\n");
    REQUIRE(ws.envstore({"register", "img"}).exit_code == 0);
    CHECK(trailer(ws, "img@v1", "Envstore-File") ==
          "Dockerfile.base " + blob_id(ws, "img@v1", "Dockerfile.base"));

    std::vector<std::string> files = {"Dockerfile.base", "environment.yaml"};
    SECTION("a changed Dockerfile")
    {
        write_file(ws.root() / "environments/img/Dockerfile.base", "FROM debian:12\nRUN true\n");
    }
    SECTION("a new file beside the definition")
    {
        write_file(ws.root() / "environments/img/NOTES.md", "why this image\n");
        files = {"Dockerfile.base", "NOTES.md", "environment.yaml"};
    }

    RunResult result = ws.envstore({"register", "img"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == registered_line(ws, "img@v2"));
    std::vector<std::string> expected_files;
    for (const auto& file : files) {
        expected_files.push_back(
            fmt::format("Envstore-File: {} {}", file, blob_id(ws, "img@v2", file)));
    }
    std::vector<std::string> trailers = tag_trailers(ws, "img@v2");
    CHECK(std::vector<std::string>(trailers.begin() + 4, trailers.end()) == expected_files);
    CHECK(ws.git({"show", "img@v2:environments/img/Dockerfile.base"}).out ==
          ws.read("environments/img/Dockerfile.base"));
    CHECK(blob_id(ws, "img@v1", "environment.yaml") == blob_id(ws, "img@v2", "environment.yaml"));
    check_repository_clean(ws);
}

TEST_CASE("register numbers versions densely from 1", "[cli][register]")
{
    TestWorkspace ws;
    for (int n = 1; n <= 3; ++n) {
        ws.write_minimal("train", fmt::format("variables: {{N: \"{}\"}}", n));
        RunResult result = ws.envstore({"register", "train"});
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        CHECK(result.out == registered_line(ws, fmt::format("train@v{}", n)));
        // An unchanged run between two versions must not use up a number.
        CHECK(ws.envstore({"register", "train"}).exit_code == 0);
    }
    CHECK(git_trimmed(ws, {"tag", "-l", "train@*"}) == "train@v1\ntrain@v2\ntrain@v3");
    CHECK(trailer(ws, "train@v3", "Envstore-Version") == "3");
}

TEST_CASE("register writes nothing when a definition is invalid", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("good");
    std::string bad_text = "name: bad\nruntime: pyton\n";
    ws.write_definition("bad", bad_text);
    std::string head = git_trimmed(ws, {"rev-parse", "HEAD"});

    SECTION("alone")
    {
        RunResult result = ws.envstore({"register", "bad"});
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == "envstore: error: environments/bad/environment.yaml:2:10: "
                            "unknown runtime \"pyton\"\n"
                            "    runtime: pyton\n"
                            "             ^\n"
                            "hint: did you mean \"python\"?\n");
    }
    SECTION("with a valid one, as JSON")
    {
        RunResult result = ws.envstore({"--json", "register", "good", "bad"});
        CHECK(result.exit_code == 3);
        nlohmann::json error = nlohmann::json::parse(result.out).at("error");
        CHECK(error.at("code") == "invalid_input");
        CHECK(error.at("exit_code") == 3);
        CHECK(error.at("message") == "a definition is invalid: nothing was written");
        REQUIRE(error.at("details").size() == 1);
        CHECK(error.at("details")[0].at("rule") == "invalid-runtime");
        CHECK(error.at("details")[0].at("file") == "environments/bad/environment.yaml");
        CHECK(error.at("details")[0].at("line") == 2);
        CHECK(error.at("details")[0].at("column") == 10);
    }
    SECTION("one definition with two problems")
    {
        ws.write_definition("good", "name: good\nplatforms: [linux-65]\nruntime: pyton\n");
        RunResult result = ws.envstore({"register", "good", "bad"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: definitions are invalid: nothing was written\n"
                            "environments/good/environment.yaml:2:13: unknown platform "
                            "\"linux-65\"\n"
                            "    platforms: [linux-65]\n"
                            "                ^\n"
                            "hint: did you mean \"linux-64\"?\n"
                            "environments/good/environment.yaml:3:10: unknown runtime \"pyton\"\n"
                            "    runtime: pyton\n"
                            "             ^\n"
                            "hint: did you mean \"python\"?\n"
                            "environments/bad/environment.yaml:2:10: unknown runtime \"pyton\"\n"
                            "    runtime: pyton\n"
                            "             ^\n"
                            "hint: did you mean \"python\"?\n");
        CHECK(ws.read("environments/good/environment.yaml") ==
              "name: good\nplatforms: [linux-65]\nruntime: pyton\n");
    }
    SECTION("two problems in one definition")
    {
        bad_text = "name: bad\nplatforms: [linux-65]\nruntime: pyton\n";
        ws.write_definition("bad", bad_text);
        RunResult result = ws.envstore({"--json", "register", "good", "bad"});
        CHECK(result.exit_code == 3);
        nlohmann::json error = nlohmann::json::parse(result.out).at("error");
        CHECK(error.at("message") == "a definition is invalid: nothing was written");
        CHECK(error.at("details").size() == 2);
    }

    CHECK(git_trimmed(ws, {"rev-parse", "HEAD"}) == head);
    CHECK(git_trimmed(ws, {"tag", "-l"}).empty());
    CHECK(ws.git({"status", "--porcelain"}).out == "?? environments/\n");
    CHECK(ws.read("environments/bad/environment.yaml") == bad_text);
}

TEST_CASE("register of an unknown environment fails with not found", "[cli][register]")
{
    TestWorkspace ws;
    std::string name;
    std::string hint;

    SECTION("a near miss")
    {
        ws.write_minimal("train");
        name = "trian";
        hint = "hint: did you mean \"train\"?\n";
    }
    SECTION("nothing close")
    {
        ws.write_minimal("train");
        ws.write_minimal("serve");
        name = "etl-nightly";
        hint = "hint: environments in the working tree: serve, train\n";
    }
    SECTION("an empty working tree")
    {
        name = "train";
    }

    RunResult result = ws.envstore({"register", name});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == fmt::format("envstore: error: no environment \"{0}\" in the working tree "
                                    "(no environments/{0}/environment.yaml)\n{1}",
                                    name,
                                    hint));
    CHECK(git_trimmed(ws, {"tag", "-l"}).empty());
    CHECK(commit_count(ws) == 1);
}

TEST_CASE("register -m sets the commit and version message", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("alpha");
    ws.write_minimal("beta");
    std::string option = GENERATE(std::string("-m"), std::string("--message"));

    RunResult result =
        ws.envstore({"register", option, "Pin numpy for the Q3 run", "alpha", "beta"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%s"}) == "Pin numpy for the Q3 run");
    CHECK(git_trimmed(ws, {"log", "-1", "--format=%b"}).empty());
    for (std::string tag : {"alpha@v1", "beta@v1"}) {
        CHECK(
            git_trimmed(ws, {"for-each-ref", "--format=%(contents:subject)", "refs/tags/" + tag}) ==
            "Pin numpy for the Q3 run");
        CHECK(tag_trailers(ws, tag).size() == 5);
    }
}

TEST_CASE("register --json lists each version, created or not", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("alpha");
    ws.write_minimal("beta");
    REQUIRE(ws.envstore({"register", "alpha"}).exit_code == 0);

    RunResult result = ws.envstore({"--json", "register", "alpha", "beta"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.err.empty());
    nlohmann::json document = nlohmann::json::parse(result.out);
    CHECK(document.at("format") == 1);
    CHECK(document.begin().key() == "format");
    nlohmann::json versions = document.at("versions");
    REQUIRE(versions.size() == 2);
    CHECK(versions[0] ==
          nlohmann::json{{"name", "alpha"},
                         {"version", 1},
                         {"tag", "alpha@v1"},
                         {"created", false},
                         {"commit", git_trimmed(ws, {"rev-parse", "alpha@v1^{commit}"})},
                         {"digest", trailer(ws, "alpha@v1", "Envstore-Digest")},
                         {"resolved_digest", nullptr}});
    CHECK(versions[1] == nlohmann::json{{"name", "beta"},
                                        {"version", 1},
                                        {"tag", "beta@v1"},
                                        {"created", true},
                                        {"commit", git_trimmed(ws, {"rev-parse", "HEAD"})},
                                        {"digest", trailer(ws, "beta@v1", "Envstore-Digest")},
                                        {"resolved_digest", nullptr}});
}

TEST_CASE("register shows the resolved digest of a definition with a base", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("base", "variables:\n  FROM_BASE: \"1\"");
    REQUIRE(ws.envstore({"register", "base"}).exit_code == 0);
    ws.write_minimal("train", "extends: base@latest");

    RunResult result = ws.envstore({"register", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::string digest = trailer(ws, "train@v1", "Envstore-Digest");
    std::string resolved = trailer(ws, "train@v1", "Envstore-Resolved-Digest");
    CHECK(resolved != digest);
    CHECK(result.out == "Registered train@v1 (" + digest + ", resolved " + resolved + ")\n");
    nlohmann::json shown =
        nlohmann::json::parse(ws.envstore({"--json", "resolve", "train@v1"}).out);
    CHECK(shown.at("digest") == resolved);

    SECTION("unchanged, the JSON names the latest version's resolved digest")
    {
        RunResult again = ws.envstore({"--json", "register", "train"});
        nlohmann::json version = nlohmann::json::parse(again.out).at("versions").at(0);
        CHECK(version.at("created") == false);
        CHECK(version.at("digest") == digest);
        CHECK(version.at("resolved_digest") == resolved);
    }
}

TEST_CASE("register never moves or deletes an existing version tag", "[cli][register]")
{
    TestWorkspace ws;
    auto step = [&](const std::vector<std::string>& args, int expected_exit) {
        auto before = tag_ids(ws);
        RunResult result = ws.envstore(args);
        INFO(args.back() << ": " << result.err);
        CHECK(result.exit_code == expected_exit);
        check_tags_kept(before, tag_ids(ws));
    };

    ws.write_minimal("alpha");
    ws.write_minimal("beta");
    step({"register", "alpha", "beta"}, 0);
    auto first = tag_ids(ws);
    ws.write_minimal("alpha", "variables: {X: \"1\"}");
    step({"register", "alpha", "beta"}, 0);
    step({"register", "alpha"}, 0);
    ws.write_definition("beta", "name: beta\nplatforms: [linux-65]\n");
    step({"register", "alpha", "beta"}, 3);
    ws.write_minimal("beta", "# only a comment");
    step({"register", "beta"}, 0);
    step({"register", "gamma"}, 4);

    auto last = tag_ids(ws);
    check_tags_kept(first, last);
    CHECK(last.size() == 3);
    CHECK(last.contains("alpha@v2"));
    check_repository_clean(ws);
}

// The workspace's .gitattributes say `text eol=lf`: register stores a CRLF
// definition with LF line ends, as git add would, so git sees no change.
TEST_CASE("register of a CRLF definition leaves git status clean", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_definition("train", "name: train\r\nplatforms: [linux-64]\r\n");
    REQUIRE(ws.envstore({"register", "train"}).exit_code == 0);
    CHECK(ws.git({"status", "--porcelain"}).out.empty());
}

// A version tag deleted outside envstore leaves a gap; reusing its number would
// give one name two meanings on different clones, so register refuses.
TEST_CASE("register refuses to fill a gap left by a deleted version tag", "[cli][register]")
{
    TestWorkspace ws;
    for (int n = 1; n <= 3; ++n) {
        ws.write_minimal("x", fmt::format("metadata: {{round: \"{}\"}}", n));
        REQUIRE(ws.envstore({"register", "x"}).exit_code == 0);
    }
    REQUIRE(ws.git({"tag", "-d", "x@v2"}).exit_code == 0);
    ws.write_minimal("x", "metadata: {round: \"4\"}");

    RunResult result = ws.envstore({"register", "x"});
    CHECK(result.exit_code == 8);
    CHECK(result.err ==
          "envstore: error: the numbering of \"x@vN\" has a gap: \"x@v3\" exists, but not every "
          "number below it\n"
          "hint: a tag was deleted outside envstore; fetch it back from a clone that has it "
          "(envstore doctor lists what is missing)\n");
    CHECK(ws.git({"tag", "-l", "x@v*"}).out == "x@v1\nx@v3\n");
    CHECK(ws.git({"status", "--porcelain"}).out == " M environments/x/environment.yaml\n");
}

// A message may hold lines that look like envstore's trailers; only the block
// envstore appends is read as the record.
TEST_CASE("register keeps a message whose lines look like trailers", "[cli][register]")
{
    TestWorkspace ws;
    ws.write_minimal("a");
    REQUIRE(ws.envstore({"register", "a", "-m", "First\n\nEnvstore-Version: 9"}).exit_code == 0);

    RunResult log = ws.envstore({"--json", "log", "a"});
    REQUIRE(log.exit_code == 0);
    auto version = nlohmann::json::parse(log.out).at("versions").at(0);
    CHECK(version.at("version") == 1);
    CHECK(version.at("message") == "First\n\nEnvstore-Version: 9");
}
