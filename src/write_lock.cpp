#include "write_lock.hpp"

#include "file_io.hpp"

#include "envstore/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <random>
#include <thread>

namespace envstore {
namespace {

std::string host_name()
{
    char buffer[256] = {};
    gethostname(buffer, sizeof buffer - 1);
    return buffer;
}

bool try_create(const std::filesystem::path& path)
{
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EEXIST) {
            return false;
        }
        throw Error(ErrorCode::repository,
                    fmt::format("cannot create \"{}\": {}", path.string(), std::strerror(errno)));
    }
    std::string content = fmt::format("{} {}\n", getpid(), host_name());
    ssize_t written = write(fd, content.data(), content.size());
    close(fd);
    if (written != static_cast<ssize_t>(content.size())) {
        unlink(path.c_str());
        throw Error(ErrorCode::repository, fmt::format("cannot write \"{}\"", path.string()));
    }
    return true;
}

[[noreturn]] void throw_held(const std::filesystem::path& path)
{
    auto holder = read_lock_holder(path);
    std::string who =
        holder
            ? fmt::format(
                  "process {} on {}, {:.0f} s old", holder->pid, holder->host, holder->age_seconds)
            : "released just now";
    std::string hint = holder && !holder->alive
                           ? "its process has exited: run envstore doctor --fix to remove it"
                           : "another envstore is writing; retry when it is done";
    throw Error(ErrorCode::conflict,
                fmt::format("the workspace is locked by \"{}\" ({})", path.string(), who),
                hint);
}

} // namespace

WriteLock::WriteLock(const std::filesystem::path& git_dir) : m_path(git_dir / k_write_lock_file)
{
    thread_local std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(getpid()));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int delay_ms = 1;
    while (!try_create(m_path)) {
        if (std::chrono::steady_clock::now() > deadline) {
            throw_held(m_path);
        }
        std::uniform_int_distribution<int> jitter(delay_ms, delay_ms * 2);
        std::this_thread::sleep_for(std::chrono::milliseconds(jitter(random)));
        delay_ms = std::min(delay_ms * 2, 40);
    }
}

WriteLock::~WriteLock()
{
    unlink(m_path.c_str());
}

std::optional<LockHolder> read_lock_holder(const std::filesystem::path& path)
{
    std::error_code error;
    auto modified = std::filesystem::last_write_time(path, error);
    if (error) {
        return std::nullopt;
    }
    LockHolder holder;
    auto age = std::filesystem::file_time_type::clock::now() - modified;
    holder.age_seconds = std::chrono::duration<double>(age).count();

    std::string content;
    try {
        content = read_file_bytes(path);
    } catch (const Error&) {
        return holder;
    }
    char host[256] = {};
    if (std::sscanf(content.c_str(), "%d %255s", &holder.pid, host) >= 1) {
        holder.host = host;
    }
    if (holder.pid > 0 && holder.host == host_name()) {
        holder.alive = kill(holder.pid, 0) == 0 || errno == EPERM;
    }
    return holder;
}

} // namespace envstore
