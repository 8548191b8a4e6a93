#include "file_io.hpp"

#include "envstore/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace envstore {
namespace {

[[noreturn]] void throw_io(std::string_view action, const std::filesystem::path& path, int error)
{
    ErrorCode code = error == ENOENT ? ErrorCode::not_found : ErrorCode::invalid_input;
    throw Error(code,
                fmt::format("cannot {} \"{}\": {}", action, path.string(), std::strerror(error)));
}

} // namespace

std::string read_file_bytes(const std::filesystem::path& path)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw_io("read", path, errno);
    }
    std::string content;
    char buffer[65536];
    while (true) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int error = errno;
            close(fd);
            throw_io("read", path, error);
        }
        if (n == 0) {
            break;
        }
        content.append(buffer, static_cast<std::size_t>(n));
    }
    close(fd);
    return content;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content)
{
    std::filesystem::path temporary = path;
    temporary += fmt::format(".envstore-tmp-{}", getpid());
    int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw_io("write", temporary, errno);
    }
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int error = errno;
            close(fd);
            unlink(temporary.c_str());
            throw_io("write", path, error);
        }
        written += static_cast<std::size_t>(n);
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int error = errno;
        unlink(temporary.c_str());
        throw_io("write", path, error);
    }
    if (rename(temporary.c_str(), path.c_str()) != 0) {
        int error = errno;
        unlink(temporary.c_str());
        throw_io("write", path, error);
    }
}

} // namespace envstore
