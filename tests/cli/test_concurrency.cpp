// Several writers at once: processes released together register the same
// environment. Every process must get a distinct version number, numbers must
// stay dense, each tag must describe its own content, and git must find the
// repository sound.

#include "support/workspace_fixture.hpp"

#include "envstore/versions.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <set>
#include <sstream>
#include <sys/wait.h>

using namespace envstore::test;

namespace {

constexpr int k_writers = 8;

struct Writer
{
    pid_t pid = 0;
    int out_fd = -1;
    std::string tag;
};

Writer start_writer(const char* mode,
                    const std::filesystem::path& root,
                    int release_fd,
                    const std::string& tag)
{
    int out[2];
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    Writer writer;
    writer.tag = tag;
    writer.pid = fork();
    REQUIRE(writer.pid >= 0);
    if (writer.pid == 0) {
        // In "tag" rounds, every writer pauses between writing its tag object
        // and creating the reference: any check-then-create gap would show.
        if (std::string_view(mode) == "tag") {
            setenv("ENVSTORE_FAULT", "before-tag-ref=sleep:3", 1);
        }
        dup2(release_fd, STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        close(out[0]);
        execl(ENVSTORE_RACE_DRIVER,
              ENVSTORE_RACE_DRIVER,
              mode,
              root.c_str(),
              "race",
              tag.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    writer.out_fd = out[0];
    return writer;
}

// Waits for `writer`; returns its exit code and what it printed.
std::pair<int, std::string> finish_writer(Writer& writer)
{
    std::string output;
    char buffer[256];
    ssize_t n = 0;
    while ((n = read(writer.out_fd, buffer, sizeof buffer)) > 0) {
        output.append(buffer, static_cast<std::size_t>(n));
    }
    close(writer.out_fd);
    int status = 0;
    waitpid(writer.pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128, output};
}

// Runs one round: all writers start blocked on one pipe and are released
// together by closing it. A writer that lost with exit 5 is retried alone.
std::vector<int> run_round(const char* mode, const std::filesystem::path& root, int round)
{
    int release[2];
    REQUIRE(pipe2(release, O_CLOEXEC) == 0); // children keep only stdin
    std::vector<Writer> writers;
    for (int i = 0; i < k_writers; ++i) {
        writers.push_back(
            start_writer(mode, root, release[0], fmt::format("{}-r{}-w{}", mode, round, i)));
    }
    close(release[0]);
    close(release[1]);

    std::vector<int> versions;
    for (auto& writer : writers) {
        auto [code, output] = finish_writer(writer);
        for (int retry = 0; code == 5 && retry < 20; ++retry) {
            int again[2];
            REQUIRE(pipe2(again, O_CLOEXEC) == 0);
            Writer second = start_writer("register", root, again[0], writer.tag + "-retry");
            close(again[0]);
            close(again[1]);
            std::tie(code, output) = finish_writer(second);
        }
        INFO("writer " << writer.tag << " printed " << output);
        REQUIRE(code == 0);
        versions.push_back(std::stoi(output.substr(1)));
    }
    return versions;
}

} // namespace

TEST_CASE("concurrent writers get dense, unique versions", "[cli][concurrency]")
{
    TestWorkspace workspace;
    int rounds = 200;
    if (const char* value = std::getenv("ENVSTORE_RACE_ROUNDS")) {
        rounds = std::max(1, std::atoi(value));
    }

    // Half the rounds run all of register concurrently; the other half commit
    // first and release only the numbering, where a racy tag creation would
    // hand one number to two writers.
    std::multiset<int> claimed;
    for (int round = 0; round < rounds; ++round) {
        const char* mode = round % 2 == 0 ? "register" : "tag";
        for (int version : run_round(mode, workspace.root(), round)) {
            claimed.insert(version);
        }
    }

    int expected = rounds * k_writers;
    // Sections would run the rounds again for each check: one body, three steps.
    {
        INFO("every process claimed a distinct number, and together they are 1..N");
        std::set<int> unique(claimed.begin(), claimed.end());
        CHECK(claimed.size() == static_cast<std::size_t>(expected));
        CHECK(unique.size() == claimed.size());
        CHECK(*unique.begin() == 1);
        CHECK(*unique.rbegin() == expected);
    }

    {
        INFO("git lists exactly N annotated version tags and finds the repository sound");
        RunResult tags = workspace.git(
            {"for-each-ref", "--format=%(objecttype) %(refname:short)", "refs/tags/race@v*"});
        REQUIRE(tags.exit_code == 0);
        std::istringstream lines(tags.out);
        std::set<int> numbers;
        std::string type;
        std::string name;
        while (lines >> type >> name) {
            CHECK(type == "tag");
            numbers.insert(std::stoi(name.substr(name.find("@v") + 2)));
        }
        CHECK(numbers.size() == static_cast<std::size_t>(expected));
        CHECK(*numbers.rbegin() == expected);

        RunResult fsck = workspace.git({"fsck", "--strict", "--no-dangling"});
        INFO(fsck.err);
        CHECK(fsck.exit_code == 0);
    }

    {
        INFO("each tag's digest and file records match the content it points at");
        auto opened = envstore::Workspace::discover(workspace.root());
        std::set<std::string> writers;
        for (int n = 1; n <= expected; ++n) {
            // lookup_version recomputes the digest from the tagged blob.
            envstore::VersionInfo version = envstore::lookup_version(opened, "race", n);
            RunResult blob = workspace.git(
                {"rev-parse", fmt::format("race@v{}:environments/race/environment.yaml", n)});
            CHECK(version.files.at("environment.yaml") + "\n" == blob.out);
            writers.insert(version.message);
        }
        CHECK(writers.size() == static_cast<std::size_t>(expected));
    }
}
