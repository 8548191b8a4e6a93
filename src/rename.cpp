#include "commit_builder.hpp"
#include "file_io.hpp"
#include "records.hpp"
#include "workspace_impl.hpp"
#include "yaml/yaml_reader.hpp"

#include "envstore/names.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

// The byte offset in `raw` where line `line` (1-based) starts, counting line
// ends (LF, CRLF, lone CR) and a byte order mark as the YAML reader does.
std::size_t line_start(std::string_view raw, int line)
{
    std::size_t pos = raw.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    for (int current = 1; current < line && pos < raw.size(); ++pos) {
        bool crlf = raw[pos] == '\r' && pos + 1 < raw.size() && raw[pos + 1] == '\n';
        if ((raw[pos] == '\n' || raw[pos] == '\r') && !crlf) {
            ++current;
        }
    }
    return pos;
}

// Replaces the value of the top-level `name:` in `text`, keeping every other
// byte (comments, layout, quotes, line ends) as it was. Works on the raw bytes:
// the reader's text has normalised line ends.
std::string
replace_name(const std::string& text, const std::string& path, std::string_view new_name)
{
    yaml::Document document = yaml::parse(text, path);
    const yaml::Node* name = document.root.find("name");
    if (name == nullptr || !name->is_scalar()) {
        throw Error(ErrorCode::invalid_input, fmt::format("\"{}\" has no name field", path));
    }
    std::size_t start =
        line_start(text, name->mark.line) + static_cast<std::size_t>(name->mark.column - 1);
    std::string quote;
    std::size_t end = text.find_first_of(" \t#\r\n,}", start);
    if (text[start] == '"' || text[start] == '\'') {
        quote = std::string(1, text[start]);
        end = text.find(text[start], start + 1) + 1;
    }
    end = end == std::string::npos ? text.size() : end;
    return text.substr(0, start) + quote + std::string(new_name) + quote + text.substr(end);
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

TagResult
rename_environment(const Workspace& workspace, std::string_view old_name, std::string_view new_name)
{
    check_new_name(workspace, new_name);
    if (archive_state(workspace, old_name).archived) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" is archived", old_name),
                    fmt::format("run envstore restore {} first", old_name));
    }
    FolderFiles files = workspace.read_working_tree_folder(old_name);
    std::string new_path = Workspace::definition_path(new_name);
    files[k_definition_file] = replace_name(files.at(k_definition_file), new_path, new_name);
    load_definition(files.at(k_definition_file), new_path, new_name);

    auto old_latest = latest_version(workspace, old_name);
    std::string origin =
        old_latest ? version_tag_name(old_name, *old_latest) : std::string(old_name);
    std::string message = fmt::format("Rename {} to {}", old_name, new_name);
    BuiltCommit built = commit_changes(
        workspace, {{std::string(old_name), {}}, {std::string(new_name), files}}, message);

    // The commit holds the new folder; now make the working tree match it.
    auto old_folder = workspace.root() / Workspace::folder_path(old_name);
    auto new_folder = workspace.root() / Workspace::folder_path(new_name);
    std::filesystem::rename(old_folder, new_folder);
    write_file_atomically(new_folder / k_definition_file, files.at(k_definition_file));

    TagResult result = tag_commit(workspace, new_name, built.commit, message, origin);
    if (old_latest) {
        // Without versions OLD is gone once its folder is: there is nothing to hide.
        archive_environment_renamed(workspace, old_name, new_name);
    }
    return result;
}

} // namespace envstore
