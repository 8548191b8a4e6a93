#pragma once

// Running programs from tests: the envstore binary under test, and git as an
// independent judge of the repositories it writes.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace envstore::test {

struct RunResult
{
    int exit_code = -1;
    std::string out;
    std::string err;
};

struct RunOptions
{
    std::filesystem::path cwd;
    std::map<std::string, std::string> env; // added to (or replacing) the test's environment
    std::vector<std::string> unset;         // removed from it
    std::string input;                      // standard input
};

// Runs `argv` (argv[0] searched in PATH) and waits for it.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs the envstore binary under test with `args` in `cwd`. The Git identity
// and configuration come from a fixed test setup, never the user's.
RunResult envstore(const std::filesystem::path& cwd, const std::vector<std::string>& args);
// Like `envstore`, with `options` changing the environment or giving standard
// input; their `cwd` is replaced by `cwd`.
RunResult envstore_with(const std::filesystem::path& cwd,
                        const std::vector<std::string>& args,
                        RunOptions options);

// Runs `git args...` in `cwd` with the same fixed setup.
RunResult git(const std::filesystem::path& cwd, const std::vector<std::string>& args);

// The environment variables every test process gets: a HOME whose .gitconfig
// holds a test identity (tests/data/home), no system configuration, no colour.
// Git identity variables (GIT_AUTHOR_NAME, ...) of the caller are removed.
std::map<std::string, std::string> test_environment();

// Gives this process the setup of `test_environment()`, for tests that call the
// library directly: sets those variables, removes the Git identity ones, and
// points libgit2's configuration search at the test HOME (libgit2 reads HOME
// only once, when it is first initialised). Call it at the start of each test.
void apply_test_environment();

// The path of the envstore binary under test.
std::string envstore_binary();

} // namespace envstore::test
