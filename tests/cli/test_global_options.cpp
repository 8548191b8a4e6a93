// The global options every command shares: --version, --json, -q, --color,
// -C, their place on the command line, and how usage errors are reported.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <git2/version.h>
#include <nlohmann/json.hpp>

#include <pty.h>
#include <unistd.h>

#include <regex>
#include <sys/wait.h>

using namespace envstore::test;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

const std::string k_usage_hint = "hint: run envstore --help, or envstore COMMAND --help\n";

RunOptions without_no_color()
{
    return {.cwd = {}, .env = {}, .unset = {"NO_COLOR"}, .input = {}};
}

[[noreturn]] void exec_on_terminal(const fs::path& cwd,
                                   const std::vector<std::string>& args,
                                   const RunOptions& options)
{
    if (chdir(cwd.c_str()) != 0) {
        _exit(127);
    }
    for (const auto& [key, value] : test_environment()) {
        setenv(key.c_str(), value.c_str(), 1);
    }
    for (const auto& [key, value] : options.env) {
        setenv(key.c_str(), value.c_str(), 1);
    }
    for (const auto& key : options.unset) {
        unsetenv(key.c_str());
    }
    std::vector<std::string> argv{envstore_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> pointers;
    for (auto& arg : argv) {
        pointers.push_back(arg.data());
    }
    pointers.push_back(nullptr);
    execv(pointers[0], pointers.data());
    _exit(127);
}

// Runs envstore with stdout and stderr on a new pseudo-terminal, as from an
// interactive shell, and returns everything the terminal received.
std::string run_on_terminal(const fs::path& cwd,
                            const std::vector<std::string>& args,
                            const RunOptions& options)
{
    int terminal = -1;
    pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        exec_on_terminal(cwd, args, options);
    }
    std::string received;
    char buffer[4096];
    // Linux reports EIO once the child has closed its side.
    for (ssize_t n; (n = read(terminal, buffer, sizeof buffer)) > 0;) {
        received.append(buffer, static_cast<std::size_t>(n));
    }
    close(terminal);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    return received;
}

bool has_escape(const std::string& text)
{
    return text.find('\033') != std::string::npos;
}

// A workspace where status and validate have something to colour.
void write_coloured_states(const TestWorkspace& ws)
{
    ws.write_minimal("fresh");
}

std::string first_key(const std::string& out)
{
    Json document = Json::parse(out);
    REQUIRE(document.is_object());
    REQUIRE_FALSE(document.empty());
    return document.begin().key();
}

} // namespace

TEST_CASE("the --version option prints envstore's and libgit2's versions", "[cli][global]")
{
    TempDir temp; // no workspace needed
    std::string libgit2 = LIBGIT2_VERSION;

    RunResult text = envstore::test::envstore(temp.path(), {"--version"});
    CHECK(text.exit_code == 0);
    CHECK(text.err.empty());
    std::smatch match;
    REQUIRE(std::regex_match(
        text.out, match, std::regex(R"(envstore (\d+\.\d+\.\d+) \(libgit2 ([0-9.]+)\)\n)")));
    CHECK(match[2] == libgit2);

    for (const auto& args : {std::vector<std::string>{"--json", "--version"},
                             std::vector<std::string>{"--version", "--json"}}) {
        RunResult json = envstore::test::envstore(temp.path(), args);
        CHECK(json.exit_code == 0);
        CHECK(json.out == fmt::format("{{\n  \"format\": 1,\n  \"version\": \"{}\",\n"
                                      "  \"libgit2\": \"{}\"\n}}\n",
                                      match[1].str(),
                                      libgit2));
    }
}

TEST_CASE("the --json output of every command starts with \"format\": 1", "[cli][global]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    std::vector<std::vector<std::string>> commands = {
        {"create", "other"}, {"validate"}, {"status"}, {"commit"}, {"validate", "nope"}};

    for (const auto& command : commands) {
        INFO("envstore " << command.front());
        for (bool before : {true, false}) {
            std::vector<std::string> args = command;
            args.insert(before ? args.begin() : args.end(), "--json");
            RunResult result = ws.envstore(args);
            CHECK(first_key(result.out) == "format");
            CHECK(Json::parse(result.out)["format"] == 1);
            if (before) {
                fs::remove_all(ws.root() / "environments/other");
            }
        }
    }

    TempDir temp;
    RunResult init = envstore::test::envstore(temp.path(), {"init", "--json"});
    CHECK(init.exit_code == 0);
    CHECK(first_key(init.out) == "format");
}

TEST_CASE("the -q option silences notes but not results or errors", "[cli][global]")
{
    TestWorkspace ws;

    SECTION("notes")
    {
        for (const std::string command : {"status", "validate"}) {
            INFO(command);
            CHECK(ws.envstore({command}).err == "no definitions in the working tree\n");
            RunResult quiet = ws.envstore({"-q", command});
            CHECK(quiet.exit_code == 0);
            CHECK(quiet.err.empty());
            CHECK(ws.envstore({command, "--quiet"}).err.empty());
        }
    }
    SECTION("results and errors")
    {
        ws.write_minimal("train");
        ws.write_definition("bad", "name: bad\nruntime: pyhton\n");
        RunResult loud = ws.envstore({"validate"});
        RunResult quiet = ws.envstore({"-q", "validate"});
        CHECK(quiet.exit_code == 3);
        CHECK(quiet.out == "invalid  bad (1 error)\nok       train\n");
        CHECK(quiet.out == loud.out);
        CHECK(quiet.err == loud.err);
        CHECK(ws.envstore({"-q", "status"}).out == ws.envstore({"status"}).out);
    }
}

TEST_CASE("the --color option decides colour on a pipe, and NO_COLOR only matters for auto",
          "[cli][global]")
{
    TestWorkspace ws;
    write_coloured_states(ws);
    const std::string coloured = "\033[32mnew       \033[0m fresh (uncommitted)\n";
    const std::string plain = "new        fresh (uncommitted)\n";
    RunOptions no_env = without_no_color();
    RunOptions no_color = {.cwd = {}, .env = {{"NO_COLOR", "1"}}, .unset = {}, .input = {}};

    CHECK(envstore_with(ws.root(), {"--color=always", "status"}, no_env).out == coloured);
    CHECK(envstore_with(ws.root(), {"--color", "always", "status"}, no_color).out == coloured);
    CHECK(envstore_with(ws.root(), {"status", "--color=always"}, no_env).out == coloured);
    CHECK(envstore_with(ws.root(), {"--color=never", "status"}, no_env).out == plain);
    CHECK(envstore_with(ws.root(), {"--color=auto", "status"}, no_env).out == plain);
    CHECK(envstore_with(ws.root(), {"status"}, no_env).out == plain);
    CHECK(envstore_with(ws.root(), {"status"}, no_color).out == plain);

    SECTION("validate and errors are coloured by meaning")
    {
        ws.write_definition("bad", "name: bad\nruntime: pyhton\n");
        RunResult result = envstore_with(ws.root(), {"--color=always", "validate"}, no_env);
        CHECK(result.out == "\033[31minvalid\033[0m  bad (1 error)\n"
                            "\033[32mok     \033[0m  fresh\n");
        RunResult error = envstore_with(ws.root(), {"--color=always", "show", "nope"}, no_env);
        CHECK(error.err.starts_with("envstore: \033[1;31merror:\033[0m "));
    }
}

TEST_CASE("colour on a terminal: auto colours unless NO_COLOR is set", "[cli][global]")
{
    TestWorkspace ws;
    write_coloured_states(ws);

    SECTION("auto")
    {
        CHECK(has_escape(run_on_terminal(ws.root(), {"status"}, without_no_color())));
    }
    SECTION("NO_COLOR set")
    {
        RunOptions options{.cwd = {}, .env = {{"NO_COLOR", "1"}}, .unset = {}, .input = {}};
        std::string received = run_on_terminal(ws.root(), {"status"}, options);
        CHECK_THAT(received, Catch::Contains("new        fresh (uncommitted)"));
        CHECK_FALSE(has_escape(received));
    }
    SECTION("NO_COLOR empty counts as unset (no-color.org)")
    {
        RunOptions options{.cwd = {}, .env = {{"NO_COLOR", ""}}, .unset = {}, .input = {}};
        CHECK(has_escape(run_on_terminal(ws.root(), {"status"}, options)));
    }
    SECTION("--color=never")
    {
        CHECK_FALSE(has_escape(
            run_on_terminal(ws.root(), {"--color=never", "status"}, without_no_color())));
    }
}

TEST_CASE("diff is coloured on a terminal, and not with --color=never", "[cli][global]")
{
    TestWorkspace ws;
    register_version(ws, "train", 1);
    register_version(ws, "train", 2);
    std::vector<std::string> diff = {"diff", "train@v1", "train@v2"};

    std::string coloured = run_on_terminal(ws.root(), diff, without_no_color());
    CHECK_THAT(coloured, Catch::Contains("    \033[33m~ build: 1 -> 2\033[0m"));
    diff.insert(diff.begin(), "--color=never");
    std::string plain = run_on_terminal(ws.root(), diff, without_no_color());
    CHECK_THAT(plain, Catch::Contains("    ~ build: 1 -> 2"));
    CHECK_FALSE(has_escape(plain));
}

TEST_CASE("global options work before and after the command", "[cli][global]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    TempDir elsewhere;
    std::string expected = "new        train (uncommitted)\n";

    CHECK(envstore::test::envstore(elsewhere.path(), {"-C", ws.root().string(), "status"}).out ==
          expected);
    CHECK(envstore::test::envstore(elsewhere.path(), {"status", "-C", ws.root().string()}).out ==
          expected);
    CHECK(first_key(ws.envstore({"status", "--json"}).out) == "format");
    CHECK(ws.envstore({"status", "-v"}).out == expected);
    CHECK(ws.envstore({"-vv", "status"}).exit_code == 0);
}

TEST_CASE("usage errors exit 2 with a message on stderr, and JSON with --json", "[cli][global]")
{
    TestWorkspace ws;
    struct Case
    {
        std::vector<std::string> args;
        std::string message;
        std::string hint = "run envstore --help, or envstore COMMAND --help";
    };
    const std::vector<Case> cases = {
        {{"--bogus", "status"}, "the following argument was not expected: --bogus"},
        {{"status", "--bogus"}, "the following argument was not expected: --bogus"},
        {{"status", "extra"}, "the following argument was not expected: extra"},
        {{"frobnicate"}, "unknown command \"frobnicate\""},
        {{"stauts"}, "unknown command \"stauts\"", "did you mean \"status\"?"},
        {{"create"}, "NAME is required"},
        {{"status", "-C"}, "-C: 1 required DIR missing"},
        {{"--color=pink", "status"}, "--color: pink not in {auto,always,never}"},
    };

    for (const auto& c : cases) {
        INFO("envstore " << fmt::format("{}", fmt::join(c.args, " ")));
        RunResult text = ws.envstore(c.args);
        CHECK(text.exit_code == 2);
        CHECK(text.out.empty());
        CHECK(text.err == fmt::format("envstore: error: {}\nhint: {}\n", c.message, c.hint));

        std::vector<std::string> args = c.args;
        args.insert(args.begin(), "--json");
        RunResult json = ws.envstore(args);
        CHECK(json.exit_code == 2);
        CHECK(json.err == text.err);
        Json expected = {
            {"format", 1},
            {"error",
             {{"code", "usage"}, {"exit_code", 2}, {"message", c.message}, {"hint", c.hint}}}};
        CHECK(json.out == expected.dump(2) + "\n");
    }
    CHECK(ws.git({"status", "--porcelain"}).out.empty());
}

TEST_CASE("no command prints the help on stderr and exits 2", "[cli][global]")
{
    TempDir temp;
    RunResult result = envstore::test::envstore(temp.path(), {});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK_THAT(result.err,
               Catch::StartsWith("envstore: versioned environment definitions in a "
                                 "Git workspace\nUsage: envstore [OPTIONS] "
                                 "[SUBCOMMAND]\n"));
    for (const char* command : {"init", "create", "validate", "status", "commit", "register"}) {
        CHECK_THAT(result.err, Catch::Contains(fmt::format("\n  {} ", command)));
    }
}

TEST_CASE("the --help option prints the help on stdout and exits 0", "[cli][global]")
{
    TempDir temp;
    RunResult top = envstore::test::envstore(temp.path(), {"--help"});
    CHECK(top.exit_code == 0);
    CHECK_THAT(top.out, Catch::Contains("Usage: envstore [OPTIONS] [SUBCOMMAND]"));
    CHECK(top.err.empty());

    RunResult command = envstore::test::envstore(temp.path(), {"commit", "-h"});
    CHECK(command.exit_code == 0);
    CHECK_THAT(command.out, Catch::Contains("Usage: envstore commit [OPTIONS] [NAME...]"));
    CHECK_THAT(command.out, Catch::Contains("-m,--message"));
}

// Exit 9 is for bugs; the test fault hook makes one happen where a command
// opens its workspace, and the CLI must report it as an internal error.
TEST_CASE("an unexpected exception exits 9 as an internal error", "[cli][global]")
{
    TestWorkspace ws;
    RunOptions options{.cwd = ws.root(),
                       .env = {{"ENVSTORE_FAULT", "open-workspace=throw"}},
                       .unset = {},
                       .input = {}};
    RunResult text = envstore_with(ws.root(), {"status"}, options);
    CHECK(text.exit_code == 9);
    CHECK(text.err == "envstore: error: internal error: fault injected at \"open-workspace\"\n"
                      "hint: please report this as a bug\n");

    RunResult json = envstore_with(ws.root(), {"--json", "status"}, options);
    CHECK(json.exit_code == 9);
    auto error = nlohmann::json::parse(json.out).at("error");
    CHECK(error.at("code") == "internal");
    CHECK(error.at("exit_code") == 9);
}

TEST_CASE("blame and outdated are coloured on a terminal, and not with --color=never",
          "[cli][global]")
{
    TestWorkspace ws;
    ws.write_definition("base", "name: base\npython:\n  conda: [numpy]\n");
    run_ok(ws, {"register", "base"});
    ws.write_definition("base", "name: base\npython:\n  conda: [numpy=2]\n");
    run_ok(ws, {"register", "base"});
    ws.write_definition("train", "name: train\nextends: base@v1\n");

    std::string blame = run_on_terminal(ws.root(), {"blame", "base"}, without_no_color());
    CHECK_THAT(blame, Catch::Contains("\033[33mbase@v2\033[0m  "));
    std::string outdated = run_on_terminal(ws.root(), {"outdated"}, without_no_color());
    CHECK_THAT(outdated,
               Catch::Contains("train: extends \033[31mbase@v1\033[0m, newest is "
                               "\033[32mbase@v2\033[0m"));
    CHECK_THAT(outdated, Catch::Contains("\033[33mchanged\033[0m  python.conda/numpy"));
    for (const auto& args : {std::vector<std::string>{"--color=never", "blame", "base"},
                             std::vector<std::string>{"--color=never", "outdated", "train"}}) {
        std::string plain = run_on_terminal(ws.root(), args, without_no_color());
        CHECK_THAT(plain, Catch::Contains("base@v2"));
        CHECK_FALSE(has_escape(plain));
    }
}
