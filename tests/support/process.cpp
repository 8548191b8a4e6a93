#include "support/process.hpp"

#include <git2.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <sys/wait.h>

extern char** environ;

namespace envstore::test {
namespace {

// The caller's Git identity, repository selection and curated catalog, never
// passed to a test.
constexpr const char* k_removed_variables[] = {"GIT_AUTHOR_NAME",
                                               "GIT_AUTHOR_EMAIL",
                                               "GIT_COMMITTER_NAME",
                                               "GIT_COMMITTER_EMAIL",
                                               "GIT_AUTHOR_DATE",
                                               "GIT_COMMITTER_DATE",
                                               "GIT_DIR",
                                               "GIT_WORK_TREE",
                                               "GIT_INDEX_FILE",
                                               "ENVSTORE_CURATED_DIR"};

std::vector<std::string> merged_environment(const RunOptions& options)
{
    std::map<std::string, std::string> all;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string text = *entry;
        auto equals = text.find('=');
        if (equals != std::string::npos) {
            all[text.substr(0, equals)] = text.substr(equals + 1);
        }
    }
    for (const auto& [key, value] : test_environment()) {
        all[key] = value;
    }
    for (const char* name : k_removed_variables) {
        all.erase(name);
    }
    for (const auto& [key, value] : options.env) {
        all[key] = value;
    }
    for (const auto& key : options.unset) {
        all.erase(key);
    }
    std::vector<std::string> out;
    for (const auto& [key, value] : all) {
        out.push_back(key + "=" + value);
    }
    return out;
}

void pump(int out_fd, int err_fd, int in_fd, const std::string& input, RunResult& result)
{
    std::size_t written = 0;
    bool out_open = true;
    bool err_open = true;
    if (input.empty() && in_fd >= 0) {
        close(in_fd);
        in_fd = -1;
    }
    char buffer[65536];
    while (out_open || err_open) {
        pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
        if (poll(fds, in_fd >= 0 ? 3 : 2, -1) < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            bool& open = i == 0 ? out_open : err_open;
            if (!open || fds[i].revents == 0) {
                continue;
            }
            ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                open = false;
            } else {
                (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
            }
        }
        if (in_fd >= 0 && fds[2].revents != 0) {
            ssize_t n = write(in_fd, input.data() + written, input.size() - written);
            written += n > 0 ? static_cast<std::size_t>(n) : input.size();
            if (written >= input.size()) {
                close(in_fd);
                in_fd = -1;
            }
        }
    }
    if (in_fd >= 0) {
        close(in_fd);
    }
}

} // namespace

std::map<std::string, std::string> test_environment()
{
    return {
        {"GIT_CONFIG_NOSYSTEM", "1"},
        {"HOME", std::string(ENVSTORE_TEST_DATA) + "/home"},
        {"XDG_CONFIG_HOME", std::string(ENVSTORE_TEST_DATA) + "/home/.config"},
        {"NO_COLOR", "1"},
        {"LC_ALL", "C"},
    };
}

void apply_test_environment()
{
    std::map<std::string, std::string> variables = test_environment();
    for (const auto& [key, value] : variables) {
        setenv(key.c_str(), value.c_str(), 1);
    }
    for (const char* name : k_removed_variables) {
        unsetenv(name);
    }

    // libgit2 ignores GIT_CONFIG_NOSYSTEM, so the system level is pointed at a
    // folder without configuration too.
    std::string home = variables.at("HOME");
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home.c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
                     GIT_CONFIG_LEVEL_XDG,
                     (variables.at("XDG_CONFIG_HOME") + "/git").c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, (home + "/none").c_str());
    git_libgit2_opts(
        GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, (home + "/none").c_str());
}

std::string envstore_binary()
{
    return ENVSTORE_BINARY;
}

RunResult run(const std::vector<std::string>& argv, const RunOptions& options)
{
    int out_pipe[2];
    int err_pipe[2];
    int in_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0 || pipe(in_pipe) != 0) {
        throw std::runtime_error("pipe failed");
    }
    std::vector<std::string> env = merged_environment(options);

    pid_t pid = fork();
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        for (int fd :
             {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            close(fd);
        }
        if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
            _exit(127);
        }
        std::vector<char*> args;
        for (const auto& arg : argv) {
            args.push_back(const_cast<char*>(arg.c_str()));
        }
        args.push_back(nullptr);
        std::vector<char*> envp;
        for (const auto& entry : env) {
            envp.push_back(const_cast<char*>(entry.c_str()));
        }
        envp.push_back(nullptr);
        execvpe(args[0], args.data(), envp.data());
        _exit(127);
    }

    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    RunResult result;
    pump(out_pipe[0], err_pipe[0], in_pipe[1], options.input, result);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

RunResult envstore(const std::filesystem::path& cwd, const std::vector<std::string>& args)
{
    return envstore_with(cwd, args, {});
}

RunResult envstore_with(const std::filesystem::path& cwd,
                        const std::vector<std::string>& args,
                        RunOptions options)
{
    std::vector<std::string> argv{envstore_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    options.cwd = cwd;
    return run(argv, options);
}

RunResult git(const std::filesystem::path& cwd, const std::vector<std::string>& args)
{
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {.cwd = cwd, .env = {}, .unset = {}, .input = {}});
}

} // namespace envstore::test
