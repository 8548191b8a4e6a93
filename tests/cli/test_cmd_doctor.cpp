// envstore doctor: finds stale and held locks, leftover temporary objects,
// tampered and missing versions, a missing identity; --fix applies only the
// safe fixes (removing stale locks and old leftovers).

#include "support/git_judge.hpp"
#include "support/lock_owner.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <regex>

using namespace envstore::test;
using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

void make_old(const fs::path& path, int seconds)
{
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds));
}

// Ages ("125 s old") vary with the clock: the text with each replaced by "N s
// old", and the first age found.
std::pair<std::string, int> without_ages(const std::string& text)
{
    static const std::regex age(R"((\d+) s old)");
    std::smatch match;
    int first = std::regex_search(text, match, age) ? std::stoi(match[1]) : -1;
    return {std::regex_replace(text, age, "N s old"), first};
}

Json finding(std::string_view kind,
             const std::string& subject,
             std::string_view message,
             std::string_view fix,
             bool fixable,
             bool fixed)
{
    return {{"kind", kind},
            {"subject", subject},
            {"message", message},
            {"fix", fix},
            {"fixable", fixable},
            {"fixed", fixed}};
}

Json findings_of(const RunResult& result)
{
    Json document = Json::parse(result.out);
    for (auto& item : document["findings"]) {
        item["message"] = without_ages(item["message"].get<std::string>()).first;
    }
    return document;
}

constexpr std::string_view k_lock_fix = "remove the lock file (envstore doctor --fix)";
constexpr std::string_view k_git_lock_fix =
    "no Git process holds a lock this long: remove it (envstore doctor --fix)";
constexpr std::string_view k_git_lock_wait =
    "a Git or envstore process may be working: wait, then run doctor again";

} // namespace

TEST_CASE("doctor on a clean workspace finds no problems", "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    register_version(workspace, "alpha", 2);
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    run_ok(workspace, {"archive", "alpha"});

    auto args = GENERATE(as<std::vector<std::string>>{},
                         std::vector<std::string>{"doctor"},
                         std::vector<std::string>{"doctor", "--fix"});
    RunResult text = workspace.envstore(args);
    CHECK(text.exit_code == 0);
    CHECK(text.out == "no problems found\n");
    CHECK(text.err.empty());

    args.insert(args.begin(), "--json");
    RunResult json = workspace.envstore(args);
    CHECK(json.exit_code == 0);
    CHECK(Json::parse(json.out) ==
          Json{{"format", 1}, {"healthy", true}, {"findings", Json::array()}});
}

TEST_CASE("doctor reports a stale envstore lock with its age and --fix removes it", "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    fs::path lock = workspace.root() / ".git" / "envstore.lock";
    int pid = dead_pid();
    write_file(lock, fmt::format("{} {}\n", pid, host_name()));
    make_old(lock, 125);
    std::string message = fmt::format(
        "envstore write lock held by process {} on {}, N s old (that process has exited)",
        pid,
        host_name());

    RunResult report = workspace.envstore({"doctor"});
    CHECK(report.exit_code == 1);
    auto [text, age] = without_ages(report.out);
    CHECK(text == fmt::format("found  stale-lock: {}\n       fix: {}\n", message, k_lock_fix));
    CHECK(age >= 125);
    CHECK(age < 185);

    RunResult json = workspace.envstore({"--json", "doctor"});
    CHECK(json.exit_code == 1);
    CHECK(findings_of(json) ==
          Json{{"format", 1},
               {"healthy", false},
               {"findings",
                {finding("stale-lock", lock.string(), message, k_lock_fix, true, false)}}});
    REQUIRE(fs::exists(lock));

    RunResult fixed = workspace.envstore({"doctor", "--fix"});
    CHECK(fixed.exit_code == 0);
    CHECK(without_ages(fixed.out).first == fmt::format("fixed  stale-lock: {}\n", message));
    CHECK_FALSE(fs::exists(lock));

    register_version(workspace, "alpha", 2);
    CHECK(git_text(workspace, {"tag", "-l", "alpha@*"}) == "alpha@v1\nalpha@v2");
    CHECK(workspace.envstore({"doctor"}).out == "no problems found\n");
}

TEST_CASE("doctor leaves a lock held by a live process, and writers wait then give up",
          "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    fs::path lock = workspace.root() / ".git" / "envstore.lock";
    std::string content = fmt::format("{} {}\n", getpid(), host_name());
    write_file(lock, content);
    std::string message =
        fmt::format("envstore write lock held by process {} on {}, N s old", getpid(), host_name());

    for (const auto& args : {std::vector<std::string>{"--json", "doctor"},
                             std::vector<std::string>{"--json", "doctor", "--fix"}}) {
        INFO(args.back());
        RunResult json = workspace.envstore(args);
        CHECK(json.exit_code == 1);
        CHECK(findings_of(json)["findings"] ==
              Json{finding("held-lock",
                           lock.string(),
                           message,
                           "wait for that envstore process to finish",
                           false,
                           false)});
        CHECK(read_file(lock) == content);
    }

    // Registering waits about ten seconds for the lock, then reports its holder.
    std::string head = git_text(workspace, {"rev-parse", "HEAD"});
    workspace.write_minimal("alpha", "metadata:\n  build: \"2\"");
    RunResult blocked = workspace.envstore({"register", "alpha"});
    CHECK(blocked.exit_code == 5);
    CHECK(blocked.out.empty());
    CHECK(without_ages(blocked.err).first ==
          fmt::format("envstore: error: the workspace is locked by \"{}\" (process {} on {}, N "
                      "s old)\nhint: another envstore is writing; retry when it is done\n",
                      lock.string(),
                      getpid(),
                      host_name()));
    CHECK(read_file(lock) == content);
    CHECK(git_text(workspace, {"rev-parse", "HEAD"}) == head);
    CHECK(git_text(workspace, {"tag", "-l"}) == "alpha@v1");
}

TEST_CASE("doctor treats Git lock files by age", "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    fs::path lock = workspace.root() / ".git" / "index.lock";
    write_file(lock, "");
    std::string message = "Git lock file \"index.lock\", N s old";

    SECTION("one older than ten minutes is stale and removed by --fix")
    {
        make_old(lock, 11 * 60);
        RunResult report = workspace.envstore({"doctor"});
        CHECK(report.exit_code == 1);
        auto [text, age] = without_ages(report.out);
        CHECK(text ==
              fmt::format("found  stale-lock: {}\n       fix: {}\n", message, k_git_lock_fix));
        CHECK(age >= 660);

        RunResult fixed = workspace.envstore({"--json", "doctor", "--fix"});
        CHECK(fixed.exit_code == 0);
        CHECK(findings_of(fixed) ==
              Json{{"format", 1},
                   {"healthy", true},
                   {"findings",
                    {finding("stale-lock", lock.string(), message, k_git_lock_fix, true, true)}}});
        CHECK_FALSE(fs::exists(lock));
        CHECK(workspace.envstore({"doctor"}).exit_code == 0);
    }
    SECTION("a fresh one is reported and left alone")
    {
        RunResult fixed = workspace.envstore({"doctor", "--fix"});
        CHECK(fixed.exit_code == 1);
        CHECK(without_ages(fixed.out).first ==
              fmt::format("found  held-lock: {}\n       fix: {}\n", message, k_git_lock_wait));
        CHECK(fs::exists(lock));
    }
    SECTION("a stale reference lock is found where Git keeps it")
    {
        fs::remove(lock);
        fs::path ref_lock = workspace.root() / ".git" / "refs" / "heads" / "main.lock";
        write_file(ref_lock, "");
        make_old(ref_lock, 3600);
        RunResult fixed = workspace.envstore({"doctor", "--fix"});
        CHECK(fixed.exit_code == 0);
        CHECK(without_ages(fixed.out).first ==
              "fixed  stale-lock: Git lock file \"refs/heads/main.lock\", N s old\n");
        CHECK_FALSE(fs::exists(ref_lock));
    }
}

TEST_CASE("doctor removes old leftover temporary objects and keeps fresh ones", "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    fs::path old_file = workspace.root() / ".git" / "objects" / "ab" / "tmp_obj_OLD123";
    fs::path new_file = workspace.root() / ".git" / "objects" / "cd" / "tmp_obj_NEW456";
    write_file(old_file, "partial");
    write_file(new_file, "partial");
    make_old(old_file, 11 * 60);

    RunResult fixed = workspace.envstore({"--json", "doctor", "--fix"});
    CHECK(fixed.exit_code == 1);
    Json findings = findings_of(fixed)["findings"];
    REQUIRE(findings.size() == 2);
    // The order of a folder listing is the file system's: look each one up.
    Json by_subject;
    for (const auto& item : findings) {
        by_subject[item["subject"].get<std::string>()] = item;
    }
    CHECK(by_subject[old_file.string()] ==
          finding("temporary-file",
                  old_file.string(),
                  "leftover temporary object file \"objects/ab/tmp_obj_OLD123\", N s old",
                  "remove it (envstore doctor --fix)",
                  true,
                  true));
    CHECK(by_subject[new_file.string()] ==
          finding("temporary-file",
                  new_file.string(),
                  "leftover temporary object file \"objects/cd/tmp_obj_NEW456\", N s old",
                  "a write may be in progress: wait, then run doctor again",
                  false,
                  false));
    CHECK_FALSE(fs::exists(old_file));
    CHECK(fs::exists(new_file));
    CHECK(workspace.git({"fsck", "--strict"}).exit_code == 0);
}

TEST_CASE("doctor reports a tampered version and does not fix it", "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    register_version(workspace, "alpha", 2);
    std::string reason;

    SECTION("a tag moved with a new message")
    {
        CHECK(workspace.git({"tag", "-f", "-a", "-m", "moved", "alpha@v1", "alpha@v2^{commit}"})
                  .exit_code == 0);
        reason = "its message holds no envstore record";
    }
    SECTION("a tag moved to another commit, its message kept")
    {
        std::string message =
            git_text(workspace, {"tag", "-l", "--format=%(contents)", "alpha@v1"});
        write_file(workspace.temp() / "message", message);
        const std::string path = ":environments/alpha/environment.yaml";
        std::string blob = git_text(workspace, {"rev-parse", "alpha@v2" + path});
        std::string recorded = git_text(workspace, {"rev-parse", "alpha@v1" + path});
        CHECK(workspace
                  .git({"tag",
                        "-f",
                        "-a",
                        "-F",
                        (workspace.temp() / "message").string(),
                        "alpha@v1",
                        "alpha@v2^{commit}"})
                  .exit_code == 0);
        reason = fmt::format(
            "file \"environment.yaml\" is {} in its commit, recorded as {}", blob, recorded);
    }
    std::string moved = git_text(workspace, {"rev-parse", "alpha@v1"});

    RunResult fixed = workspace.envstore({"--json", "doctor", "--fix"});
    CHECK(fixed.exit_code == 1);
    CHECK(Json::parse(fixed.out) ==
          Json{{"format", 1},
               {"healthy", false},
               {"findings",
                {finding("tampered-version",
                         "alpha@v1",
                         "version \"alpha@v1\" was changed outside envstore (tampered): " + reason,
                         "envstore never moves or rewrites a version tag; fetch the original "
                         "from a clone that has it, or ask who changed it",
                         false,
                         false)}}});
    CHECK(git_text(workspace, {"rev-parse", "alpha@v1"}) == moved);

    RunResult text = workspace.envstore({"doctor"});
    CHECK(text.exit_code == 1);
    CHECK(text.out.starts_with("found  tampered-version: version \"alpha@v1\" was changed"));
    CHECK(workspace.envstore({"show", "alpha@v1"}).exit_code == 8);
}

TEST_CASE("doctor reports a gap in the version numbers as a missing version", "[cli][doctor]")
{
    TestWorkspace workspace;
    for (int n = 1; n <= 3; ++n) {
        register_version(workspace, "x", n);
    }
    CHECK(workspace.git({"tag", "-d", "x@v2"}).exit_code == 0);

    RunResult report = workspace.envstore({"doctor", "--fix"});
    CHECK(report.exit_code == 1);
    CHECK(report.out ==
          "found  missing-version: version \"x@v2\" is missing: versions of \"x\" are not "
          "numbered densely\n"
          "       fix: fetch the tag from a clone that has it (git fetch origin tag ...)\n");

    RunResult json = workspace.envstore({"--json", "doctor"});
    CHECK(Json::parse(json.out)["findings"] ==
          Json{finding("missing-version",
                       "x@v2",
                       "version \"x@v2\" is missing: versions of \"x\" are not numbered densely",
                       "fetch the tag from a clone that has it (git fetch origin tag ...)",
                       false,
                       false)});
}

TEST_CASE("doctor reports a missing Git identity", "[cli][doctor]")
{
    TestWorkspace workspace;
    TempDir home;
    RunResult result =
        run({envstore_binary(), "doctor"},
            {.cwd = workspace.root(),
             .env = {{"HOME", home.path().string()}, {"XDG_CONFIG_HOME", home.path().string()}},
             .unset = {},
             .input = {}});
    CHECK(result.exit_code == 1);
    CHECK(result.out == "found  identity: no Git identity is configured\n"
                        "       fix: run: git config --global user.name \"Your Name\" && git "
                        "config --global user.email you@example.org\n");
}

TEST_CASE("doctor reports a label or archive record that envstore cannot read", "[cli][doctor]")
{
    TestWorkspace workspace;
    register_version(workspace, "alpha", 1);
    run_ok(workspace, {"label", "alpha@v1", "prod"});
    std::string reason;
    std::string tag;

    SECTION("a lightweight tag where a record belongs")
    {
        tag = "alpha#prod#2";
        CHECK(workspace.git({"tag", tag, "alpha@v1^{commit}"}).exit_code == 0);
        reason = "is not an annotated tag";
        // list stops at such a record; doctor must say which one it is.
        CHECK(workspace.envstore({"list"}).exit_code == 8);
    }
    SECTION("an annotated tag without the record's trailers")
    {
        tag = "alpha#archive#1";
        CHECK(workspace.git({"tag", "-a", "-m", "hidden", tag, "HEAD"}).exit_code == 0);
        reason = "has no Envstore-Action trailer";
    }

    RunResult fixed = workspace.envstore({"--json", "doctor", "--fix"});
    CHECK(fixed.exit_code == 1);
    CHECK(Json::parse(fixed.out)["findings"] ==
          Json{finding("unreadable-record",
                       tag,
                       fmt::format("record \"{}\" {} (tampered)", tag, reason),
                       "envstore never moves or rewrites a record; fetch the original from a "
                       "clone that has it, or delete the tag if envstore did not make it",
                       false,
                       false)});
    CHECK(workspace.git({"rev-parse", "--verify", "-q", tag}).exit_code == 0);
}
