#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/import.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace envstore::cli {
namespace {

struct ImportState
{
    std::string file;
    std::string format = "auto";
    std::string root;
    ImportOptions import;
    bool update = false;
};

int print_import(Output& out, const ImportResult& result, const std::string& path, bool existed)
{
    if (out.json()) {
        Json warnings = Json::array();
        for (const Diagnostic& warning : result.warnings) {
            warnings.push_back(diagnostic_json(warning));
        }
        out.print_json({{"name", result.definition.name},
                        {"path", path},
                        {"file_format", std::string(name_of(result.format))},
                        {"updated", existed},
                        {"files", result.files_read},
                        {"warnings", warnings}});
        return 0;
    }
    for (const Diagnostic& warning : result.warnings) {
        out.warning(format_diagnostic(warning));
    }
    out.line(fmt::format("{} {} from {} ({})",
                         existed ? "Updated" : "Imported",
                         path,
                         result.files_read.front(),
                         name_of(result.format)));
    out.note(fmt::format("review it, then run: envstore register {}", result.definition.name));
    return 0;
}

} // namespace

Action define_import(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto state = std::make_shared<ImportState>();
    command.add_option("FILE", state->file, "A conda environment file or a pip requirements file")
        ->required();
    command.add_option("--name",
                       state->import.name,
                       "Environment name (default: the file's name: field, or the file name)");
    command
        .add_option("--format",
                    state->format,
                    "auto (by name and content), conda or pip; azureml and dockerfile: not yet")
        ->check(CLI::IsMember({"auto", "conda", "pip", "azureml", "dockerfile"}));
    command.add_option(
        "--root", state->root, "Folder that included files must stay in (default: FILE's folder)");
    command.add_flag("--update", state->update, "Replace the definition if it exists");
    return [state, &options, &out] {
        state->import.format = *import_format_named(state->format);
        state->import.root = state->root;
        Workspace workspace = open_workspace(options);
        ImportResult result = import_file(state->file, state->import);
        refuse_curated_write("import", result.definition.name);
        std::string path = Workspace::definition_path(result.definition.name);
        bool existed = std::filesystem::exists(workspace.root() / path);
        write_import(workspace, result, state->update);
        return print_import(out, result, path, existed);
    };
}

} // namespace envstore::cli
