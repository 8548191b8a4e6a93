// Installing and removing the `envstore` Git diff driver: lines in the
// repository's info/attributes and two settings in its own configuration.

#include "envstore/hooks.hpp"

#include "file_io.hpp"
#include "workspace_impl.hpp"

#include "envstore/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace envstore {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_attributes_comment =
    "# envstore: semantic diff of definitions (envstore hooks uninstall removes these lines)";

struct DriverSetting
{
    std::string_view key;
    std::string_view subcommand;
};

constexpr DriverSetting k_settings[] = {
    {"diff.envstore.textconv", "textconv"},
    {"diff.envstore.command", "diff-driver"},
};

// The Git folder shared by every worktree, where info/ and config live.
fs::path common_dir(const Workspace& workspace)
{
    return fs::path(git_repository_commondir(workspace.impl().repo()));
}

fs::path attributes_path(const Workspace& workspace)
{
    return common_dir(workspace) / "info" / "attributes";
}

std::vector<std::string> read_lines(const fs::path& path)
{
    std::vector<std::string> lines;
    if (!fs::exists(path)) {
        return lines;
    }
    std::istringstream in(read_file_bytes(path));
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

void write_lines(const fs::path& path, const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines) {
        text += line + "\n";
    }
    fs::create_directories(path.parent_path());
    write_file_atomically(path, text);
}

bool contains(const std::vector<std::string>& lines, std::string_view line)
{
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

SettingChange install_attributes(const Workspace& workspace)
{
    fs::path path = attributes_path(workspace);
    SettingChange change{path.string(), std::string(k_diff_attributes_line), {}, {}};
    std::vector<std::string> lines = read_lines(path);
    if (contains(lines, k_diff_attributes_line)) {
        change.action = SettingAction::unchanged;
        return change;
    }
    lines.emplace_back(k_attributes_comment);
    lines.emplace_back(k_diff_attributes_line);
    write_lines(path, lines);
    change.action = SettingAction::added;
    return change;
}

SettingChange uninstall_attributes(const Workspace& workspace)
{
    fs::path path = attributes_path(workspace);
    SettingChange change{path.string(), std::string(k_diff_attributes_line), {}, {}};
    std::vector<std::string> lines = read_lines(path);
    auto ours = [](const std::string& line) {
        return line == k_attributes_comment || line == k_diff_attributes_line;
    };
    if (!contains(lines, k_diff_attributes_line)) {
        change.action = SettingAction::absent;
        return change;
    }
    lines.erase(std::remove_if(lines.begin(), lines.end(), ours), lines.end());
    if (lines.empty()) {
        fs::remove(path);
    } else {
        write_lines(path, lines);
    }
    change.action = SettingAction::removed;
    return change;
}

// The repository's own configuration file (not the user's or the system's).
git::Config local_config(const Workspace& workspace)
{
    git_config* raw = nullptr;
    git::check(git_repository_config(&raw, workspace.impl().repo()),
               "cannot read the Git configuration");
    git::Config all(raw);
    git_config* local = nullptr;
    git::check(git_config_open_level(&local, all.get(), GIT_CONFIG_LEVEL_LOCAL),
               "cannot open the repository's Git configuration");
    return git::Config(local);
}

std::optional<std::string> config_value(git_config* config, std::string_view key)
{
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_string_buf(&value, config, std::string(key).c_str()) < 0) {
        return std::nullopt;
    }
    std::string text(value.ptr, value.size);
    git_buf_dispose(&value);
    return text;
}

// Removes the `[diff "envstore"]` header that setting the values added, once
// the section holds nothing else (libgit2 leaves it behind, as git does).
void remove_empty_section(const fs::path& config_file)
{
    std::vector<std::string> lines = read_lines(config_file);
    auto header = std::find(lines.begin(), lines.end(), "[diff \"envstore\"]");
    if (header == lines.end()) {
        return;
    }
    auto next = header + 1;
    while (next != lines.end() && next->find_first_not_of(" \t") == std::string::npos) {
        ++next;
    }
    if (next != lines.end() && !next->starts_with('[')) {
        return;
    }
    lines.erase(header, next);
    write_lines(config_file, lines);
}

// True when `value` runs an envstore binary's hidden driver `subcommand`.
bool is_ours(const std::string& value, std::string_view subcommand)
{
    return value.ends_with(fmt::format("' hooks {}", subcommand));
}

} // namespace

std::string_view name_of(SettingAction action)
{
    switch (action) {
    case SettingAction::added: return "added";
    case SettingAction::updated: return "updated";
    case SettingAction::unchanged: return "unchanged";
    case SettingAction::removed: return "removed";
    case SettingAction::absent: return "absent";
    }
    return "unchanged";
}

std::string textconv_text(std::string_view text)
{
    ParseResult parsed = parse_definition(text, "textconv");
    return parsed.definition ? element_lines(*parsed.definition) : std::string(text);
}

std::string diff_driver_command(const std::string& program, std::string_view subcommand)
{
    std::string quoted;
    for (char c : program) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return fmt::format("'{}' hooks {}", quoted, subcommand);
}

std::vector<SettingChange> install_diff_driver(const Workspace& workspace,
                                               const std::string& program)
{
    std::vector<SettingChange> changes{install_attributes(workspace)};
    git::Config config = local_config(workspace);
    std::string file = (common_dir(workspace) / "config").string();
    for (const auto& setting : k_settings) {
        std::string value = diff_driver_command(program, setting.subcommand);
        std::optional<std::string> current = config_value(config.get(), setting.key);
        SettingChange change{file, std::string(setting.key), value, SettingAction::unchanged};
        if (current != value) {
            git::check(git_config_set_string(config.get(), change.setting.c_str(), value.c_str()),
                       fmt::format("cannot set {}", setting.key));
            change.action = current ? SettingAction::updated : SettingAction::added;
        }
        changes.push_back(change);
    }
    return changes;
}

std::vector<SettingChange> uninstall_diff_driver(const Workspace& workspace)
{
    std::vector<SettingChange> changes{uninstall_attributes(workspace)};
    git::Config config = local_config(workspace);
    std::string file = (common_dir(workspace) / "config").string();
    for (const auto& setting : k_settings) {
        std::optional<std::string> current = config_value(config.get(), setting.key);
        SettingChange change{file, std::string(setting.key), {}, SettingAction::absent};
        if (current && is_ours(*current, setting.subcommand)) {
            git::check(git_config_delete_entry(config.get(), change.setting.c_str()),
                       fmt::format("cannot remove {}", setting.key));
            change.action = SettingAction::removed;
        }
        changes.push_back(change);
    }
    config.reset();
    remove_empty_section(file);
    return changes;
}

} // namespace envstore
