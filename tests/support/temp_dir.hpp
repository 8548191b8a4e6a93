#pragma once

// A fresh temporary folder per test, removed when the test ends.

#include <filesystem>
#include <string>
#include <string_view>

namespace envstore::test {

class TempDir
{
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(std::string_view relative) const { return m_path / relative; }

private:
    std::filesystem::path m_path;
};

// Writes `content` to `path`, making parent folders.
void write_file(const std::filesystem::path& path, std::string_view content);
// Reads the whole file at `path`.
std::string read_file(const std::filesystem::path& path);
// A test data file under tests/data.
std::filesystem::path data_path(std::string_view relative);

} // namespace envstore::test
