#include "file_io.hpp"

#include "envstore/export.hpp"

#include <fmt/format.h>

namespace envstore {

std::vector<std::filesystem::path> write_export(const ExportResult& result,
                                                const std::filesystem::path& output)
{
    std::filesystem::path folder = output.parent_path().empty() ? "." : output.parent_path();
    if (result.files.size() == 1 && !std::filesystem::is_directory(folder)) {
        throw Error(
            ErrorCode::not_found,
            fmt::format("cannot write \"{}\": no folder \"{}\"", output.string(), folder.string()));
    }
    if (result.files.size() == 1) {
        write_file_atomically(output, result.files.front().content);
        return {output};
    }
    return write_export_folder(result, output);
}

std::vector<std::filesystem::path> write_export_folder(const ExportResult& result,
                                                       const std::filesystem::path& folder)
{
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("cannot make the folder \"{}\": {}", folder.string(), error.message()));
    }
    std::vector<std::filesystem::path> written;
    for (const ExportedFile& file : result.files) {
        written.push_back(folder / file.path);
        write_file_atomically(written.back(), file.content);
    }
    return written;
}

} // namespace envstore
