#include "file_io.hpp"

#include "envstore/export.hpp"

#include <fmt/format.h>

namespace envstore {

std::vector<std::filesystem::path> write_export(const ExportResult& result,
                                                const std::filesystem::path& output)
{
    if (result.files.size() == 1) {
        write_file_atomically(output, result.files.front().content);
        return {output};
    }
    std::error_code error;
    std::filesystem::create_directories(output, error);
    if (error) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("cannot make the folder \"{}\": {}", output.string(), error.message()));
    }
    std::vector<std::filesystem::path> written;
    for (const ExportedFile& file : result.files) {
        written.push_back(output / file.path);
        write_file_atomically(written.back(), file.content);
    }
    return written;
}

} // namespace envstore
