#include "commit_builder.hpp"
#include "envstore/names.hpp"
#include "envstore/versions.hpp"
#include "file_io.hpp"
#include "records.hpp"
#include "workspace_impl.hpp"
#include "yaml/yaml_reader.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

// Replaces the value of the top-level `name:` in `text`, keeping every other
// byte (comments, layout) as it was.
std::string replace_name(const std::string& text, const std::string& path,
                         std::string_view new_name)
{
    yaml::Document document = yaml::parse(text, path);
    const yaml::Node* name = document.root.find("name");
    if (name == nullptr || !name->is_scalar()) {
        throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" has no name field", path));
    }
    const std::string& line = document.lines.at(static_cast<std::size_t>(name->mark.line - 1));
    std::size_t start = static_cast<std::size_t>(name->mark.column - 1);
    std::size_t end = start;
    if (line[start] == '"' || line[start] == '\'') {
        end = line.find(line[start], start + 1) + 1;
    } else {
        end = line.find_first_of(" \t#", start);
        end = end == std::string::npos ? line.size() : end;
    }
    std::string new_line = line.substr(0, start) + std::string(new_name) + line.substr(end);

    std::string out;
    for (std::size_t i = 0; i < document.lines.size(); ++i) {
        out += i + 1 == static_cast<std::size_t>(name->mark.line) ? new_line : document.lines[i];
        out += '\n';
    }
    if (!document.text.ends_with('\n') && !out.empty()) {
        out.pop_back();
    }
    return out;
}

void check_new_name(const Workspace& workspace, std::string_view new_name)
{
    if (auto problem = check_environment_name(new_name)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid environment name \"{}\": {}", new_name, *problem));
    }
    if (latest_version(workspace, new_name) ||
        std::filesystem::exists(workspace.root() / Workspace::folder_path(new_name))) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("environment \"{}\" already exists", new_name));
    }
}

} // namespace

TagResult rename_environment(const Workspace& workspace, std::string_view old_name,
                             std::string_view new_name)
{
    check_new_name(workspace, new_name);
    if (archive_state(workspace, old_name).archived) {
        throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" is archived", old_name),
                    fmt::format("run envstore restore {} first", old_name));
    }
    FolderFiles files = workspace.read_working_tree_folder(old_name);
    std::string new_path = Workspace::definition_path(new_name);
    files[k_definition_file] = replace_name(files.at(k_definition_file), new_path, new_name);
    load_definition(files.at(k_definition_file), new_path, new_name);

    auto old_latest = latest_version(workspace, old_name);
    std::string origin = old_latest ? version_tag_name(old_name, *old_latest)
                                    : std::string(old_name);
    std::string message = fmt::format("Rename {} to {}", old_name, new_name);
    BuiltCommit built = commit_changes(
        workspace, {{std::string(old_name), {}}, {std::string(new_name), files}}, message);

    // The commit holds the new folder; now make the working tree match it.
    auto old_folder = workspace.root() / Workspace::folder_path(old_name);
    auto new_folder = workspace.root() / Workspace::folder_path(new_name);
    std::filesystem::rename(old_folder, new_folder);
    write_file_atomically(new_folder / k_definition_file, files.at(k_definition_file));

    TagResult result = tag_commit(workspace, new_name, built.commit, message, origin);
    archive_environment_renamed(workspace, old_name, new_name);
    return result;
}

} // namespace envstore
