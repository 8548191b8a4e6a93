#pragma once

// Exporting a resolved definition to the files other tools read: a conda
// environment.yml, a pip requirements file, an Azure ML environment. What
// each format carries, and what it cannot, is described in docs/export.md.

#include "envstore/error.hpp"
#include "envstore/resolve.hpp"
#include "envstore/workspace.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envstore {

enum class ExportFormat { conda, pip, dockerfile, azureml };

// "conda", "pip", "dockerfile", "azureml".
std::string_view name_of(ExportFormat format);

// The format named `name`; std::nullopt for an unknown name.
std::optional<ExportFormat> parse_export_format(std::string_view name);

struct ExportedFile
{
    std::string path; // relative to the output: "environment.yml"
    std::string content;
};

// The files of one export, the main file first, and the warnings: rule
// "not-exported", located where the setting was written, for each setting
// the format cannot carry; "conda-reserved-name" and "missing-image" for a
// file the tool would refuse as it is (docs/export.md).
struct ExportResult
{
    std::vector<ExportedFile> files;
    std::vector<Diagnostic> warnings;
    // dockerfile only: the build arguments that label the image (name,
    // version) and the BuildKit secrets the pip step reads.
    std::vector<std::pair<std::string, std::string>> build_args;
    std::vector<std::string> secrets;
};

// Each throws `Error(invalid_input)`, naming the field, for a value the
// format cannot hold exactly (a pip line with a line break, say): nothing is
// half-exported.

// files: {"environment.yml"}
ExportResult export_conda(const ResolvedDefinition& resolved);
// files: {"requirements.txt"}
ExportResult export_pip(const ResolvedDefinition& resolved);
// files: {"environment.yaml", "conda.yaml"}: the Azure ML SDK v2 environment
// and the conda file it names.
ExportResult export_azureml(const ResolvedDefinition& resolved);

// files: {"Dockerfile", "environment.yml"[, "base.Dockerfile"]}: the
// Dockerfile and the build context it copies (docs/export-dockerfile.md).
// A `docker.base_dockerfile` is read from the folder of the definition that
// names it, as that definition was read (working tree or version).
ExportResult export_docker(const Workspace& workspace, const ResolvedDefinition& resolved);

// The `docker build` command line for export_docker's `result` written into
// `context_folder`: its build arguments and secrets, each word shell-quoted.
std::string docker_build_command(const ExportResult& result, const std::string& context_folder);

// Writes `result` under `output`: a single file to the file `output`; several
// files into the folder `output`, made when missing, each under its `path`.
// Each file goes to a temporary file beside it that is renamed over it, so a
// reader sees the old file or the new one, never half of one. Returns the
// paths written. Throws `Error` naming the path when a file cannot be written.
std::vector<std::filesystem::path> write_export(const ExportResult& result,
                                                const std::filesystem::path& output);

// Writes every file of `result` into the folder `folder`, made when missing,
// each under its `path` and each whole, as `write_export` does.
std::vector<std::filesystem::path> write_export_folder(const ExportResult& result,
                                                       const std::filesystem::path& folder);

} // namespace envstore
