#pragma once

// Small file helpers that report failures as envstore errors.

#include <filesystem>
#include <string>
#include <string_view>

namespace envstore {

// The whole file. Throws Error(not_found) if it is missing, Error(invalid_input)
// naming the path and the system's reason otherwise.
std::string read_file_bytes(const std::filesystem::path& path);

// Writes `content` to a temporary file beside `path`, flushes it and renames it
// over `path`, so readers see the old or the new file, never half of one.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

} // namespace envstore
