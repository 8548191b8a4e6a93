#include "support/lock_owner.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <sys/wait.h>

namespace envstore::test {

std::string host_name()
{
    char buffer[256] = {};
    gethostname(buffer, sizeof buffer - 1);
    return buffer;
}

int dead_pid()
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return pid;
}

} // namespace envstore::test
