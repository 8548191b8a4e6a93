#pragma once

// Importing environment files written for other tools (conda environment
// files, pip requirements files) as envstore definitions. What each format
// maps to, and what is not carried, is described in docs/import.md.

#include "envstore/definition.hpp"
#include "envstore/error.hpp"
#include "envstore/workspace.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore {

// `detect` chooses by file name and content. `azureml` and `dockerfile` are
// named so that scripts can ask for them; importing them is not supported yet.
enum class ImportFormat { detect, conda, pip, azureml, dockerfile };

// "auto", "conda", "pip", "azureml", "dockerfile".
std::string_view name_of(ImportFormat format);
// The format named `name` (as `name_of` writes it), or std::nullopt.
std::optional<ImportFormat> import_format_named(std::string_view name);

struct ImportOptions
{
    ImportFormat format = ImportFormat::detect;
    // The environment's name; empty to take it from the file's `name:`, or
    // else from the file name.
    std::string name;
    // Included files (`-r`, `-c`) must lie inside this folder; empty for the
    // imported file's own folder.
    std::filesystem::path root;
};

struct ImportResult
{
    ImportFormat format = ImportFormat::detect; // the format read, never `detect`
    Definition definition;                      // valid
    std::string text;                           // the definition file to write
    // Everything the file says that the definition does not carry, each
    // naming the place in the file (rule "import-not-carried"), and notes on
    // what was changed on the way (rule "import-note").
    std::vector<Diagnostic> warnings;
    std::vector<std::string> files_read; // the file, then its includes, as named
};

// Reads `file` and the files it includes, and builds a valid definition.
// Throws `Error(invalid_input)` naming file, line and column for input that
// cannot be imported (also when the definition would be invalid), and for a
// format that cannot be imported yet (azureml, dockerfile); `Error(not_found)`
// for a missing file. Reads files only: nothing is fetched, nothing written.
ImportResult import_file(const std::filesystem::path& file, const ImportOptions& options);

// Writes `result.text` as `environments/NAME/environment.yaml` in the working
// tree. Without `update`, throws `Error(invalid_input)` when that definition
// exists; with it, replaces the file. Returns the workspace-relative path.
std::string write_import(const Workspace& workspace, const ImportResult& result, bool update);

} // namespace envstore
