// envstore log: the versions of an environment, newest first, checked against
// git's own view of the tags; and log and show refusing a version tag that was
// changed with the git CLI behind envstore's back.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

void register_train_version(const TestWorkspace& ws, int n, const std::string& message)
{
    ws.write_minimal("train", fmt::format("variables: {{N: \"{}\"}}", n));
    std::vector<std::string> args = {"register", "train"};
    if (!message.empty()) {
        args.insert(args.end(), {"-m", message});
    }
    RunResult result = ws.envstore(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
}

// The two lines log prints for `tag`, built from git's view of the tag.
std::string
expected_entry(const TestWorkspace& ws, const std::string& tag, const std::string& message)
{
    return fmt::format("{}  {}  Test Author <author@example.org>  {}\n    {}\n",
                       tag,
                       tag_field(ws, tag, "%(taggerdate:iso)"),
                       tag_digest(ws, tag),
                       message);
}

std::string tampered(const std::string& tag, const std::string& what)
{
    return fmt::format("envstore: error: version \"{}\" was changed outside envstore "
                       "(tampered): {}\n"
                       "hint: envstore never moves or rewrites a version tag; fetch the original "
                       "from a clone that has it, or ask who changed it\n",
                       tag,
                       what);
}

} // namespace

TEST_CASE("log lists versions newest first with date, author, digest and message", "[cli][log]")
{
    TestWorkspace ws;
    register_train_version(ws, 1, "");
    register_train_version(ws, 2, "Pin numpy");
    register_train_version(ws, 3, "Add N=3\n\nA longer body.");

    RunResult result = ws.envstore({"log", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.err.empty());
    // Every line of a longer message is indented, as git log does.
    CHECK(result.out == expected_entry(ws, "train@v3", "Add N=3\n\n    A longer body.") +
                            expected_entry(ws, "train@v2", "Pin numpy") +
                            expected_entry(ws, "train@v1", "train v1"));
    CHECK(tag_field(ws, "train@v1", "%(taggername) %(taggeremail)") ==
          "Test Author <author@example.org>");
}

TEST_CASE("log --json lists versions with commit, digest, message and tagger", "[cli][log]")
{
    TestWorkspace ws;
    register_train_version(ws, 1, "");
    register_train_version(ws, 2, "Pin numpy");

    RunResult result = ws.envstore({"--json", "log", "train"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(nlohmann::ordered_json::parse(result.out).begin().key() == "format");
    nlohmann::json document = nlohmann::json::parse(result.out);
    CHECK(document.at("format") == 1);
    CHECK(document.at("name") == "train");
    nlohmann::json versions = document.at("versions");
    REQUIRE(versions.size() == 2);
    for (int i = 0; i < 2; ++i) {
        std::string tag = fmt::format("train@v{}", 2 - i);
        INFO(tag);
        nlohmann::json tagger = {{"name", "Test Author"},
                                 {"email", "author@example.org"},
                                 {"date", tag_field(ws, tag, "%(taggerdate:iso)")},
                                 {"time", std::stoll(tag_field(ws, tag, "%(taggerdate:unix)"))}};
        CHECK(versions[i] == nlohmann::json{{"version", 2 - i},
                                            {"tag", tag},
                                            {"commit", git_trimmed(ws, {"rev-parse", tag + "^{}"})},
                                            {"digest", tag_digest(ws, tag)},
                                            {"message", i == 0 ? "Pin numpy" : "train v1"},
                                            {"origin", nullptr},
                                            {"tagger", tagger}});
    }
}

TEST_CASE("log of an environment without versions prints none", "[cli][log]")
{
    TestWorkspace ws;
    ws.write_minimal("train");

    RunResult result = ws.envstore({"log", "train"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err == "\"train\" has no versions yet: run envstore register train\n");

    result = ws.envstore({"-q", "log", "train"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
    CHECK(result.err.empty());

    result = ws.envstore({"--json", "log", "train"});
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    CHECK(nlohmann::json::parse(result.out) ==
          nlohmann::json{{"format", 1}, {"name", "train"}, {"versions", nlohmann::json::array()}});
}

TEST_CASE("log of an unknown environment or of a reference fails", "[cli][log]")
{
    TestWorkspace ws;
    register_train_version(ws, 1, "");

    RunResult result = ws.envstore({"log", "trian"});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: no environment \"trian\"\n");

    result = ws.envstore({"log", "train@v1"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err ==
          "envstore: error: log takes an environment name, not a reference: \"train@v1\"\n");

    result = ws.envstore({"log", "Train"});
    CHECK(result.exit_code == 3);
    CHECK(result.err == "envstore: error: invalid reference \"Train\": \"T\" is not allowed "
                        "(use lowercase letters, digits, \".\", \"_\" and \"-\")\n");
}

TEST_CASE("log still lists versions of a definition removed from the working tree", "[cli][log]")
{
    TestWorkspace ws;
    register_train_version(ws, 1, "");
    std::filesystem::remove_all(ws.root() / "environments/train");

    RunResult result = ws.envstore({"log", "train"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == expected_entry(ws, "train@v1", "train v1"));
}

TEST_CASE("log and show refuse a version tag changed with git", "[cli][log][show]")
{
    TestWorkspace ws;
    register_train_version(ws, 1, "");
    register_train_version(ws, 2, "");
    std::string v1_blob =
        git_trimmed(ws, {"rev-parse", "train@v1:environments/train/environment.yaml"});
    std::string v2_blob =
        git_trimmed(ws, {"rev-parse", "train@v2:environments/train/environment.yaml"});
    std::string v2_commit = git_trimmed(ws, {"rev-parse", "train@v2^{commit}"});
    std::string original = tag_field(ws, "train@v1", "%(contents)");
    std::string v1_digest = tag_digest(ws, "train@v1");
    REQUIRE(ws.envstore({"label", "train@v1", "prod"}).exit_code == 0);
    std::string what;
    auto retag = [&](const std::string& message, const std::string& target) {
        std::vector<std::string> args = {"tag", "-f", "-a", "train@v1", "-m", message, target};
        if (message.empty()) {
            args = {"tag", "-f", "train@v1", target};
        }
        RunResult result = ws.git(args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
    };

    SECTION("moved to another commit with a similar message")
    {
        retag("train v1", v2_commit);
        what = "its message holds no envstore record";
    }
    SECTION("moved to another commit with the original record")
    {
        retag(original, v2_commit);
        what = fmt::format(
            "file \"environment.yaml\" is {} in its commit, recorded as {}", v2_blob, v1_blob);
    }
    SECTION("replaced by a lightweight tag")
    {
        retag("", "train@v1^{commit}");
        what = "it is not an annotated tag";
    }
    SECTION("rewritten with an edited digest")
    {
        std::string forged_digest = v1_digest;
        forged_digest.back() = forged_digest.back() == '0' ? '1' : '0';
        std::string message = original;
        message.replace(message.find(v1_digest), v1_digest.size(), forged_digest);
        retag(message, "train@v1^{commit}");
        what =
            fmt::format("its definition's digest is {}, recorded as {}", v1_digest, forged_digest);
    }
    SECTION("rewritten to claim another version")
    {
        std::string message = original;
        message.replace(message.find("Envstore-Version: 1"), 19, "Envstore-Version: 7");
        retag(message, "train@v1^{commit}");
        what = "its record names another environment or version";
    }

    // A label reaches the version through the same verification.
    for (std::vector<std::string> args : {std::vector<std::string>{"show", "train@v1"},
                                          std::vector<std::string>{"show", "train@prod"},
                                          std::vector<std::string>{"log", "train"}}) {
        INFO(args[0]);
        RunResult result = ws.envstore(args);
        CHECK(result.exit_code == 8);
        CHECK(result.out.empty());
        CHECK(result.err == tampered("train@v1", what));
    }
    RunResult json = ws.envstore({"--json", "show", "train@v1"});
    CHECK(json.exit_code == 8);
    CHECK(nlohmann::json::parse(json.out).at("error").at("code") == "repository");

    // The untouched version stays readable.
    RunResult v2 = ws.envstore({"show", "train@v2"});
    CHECK(v2.exit_code == 0);
    CHECK(v2.out == ws.read("environments/train/environment.yaml"));
}
