#pragma once

// Git integration installed into a workspace's own repository (never committed):
// a diff driver named `envstore`, so that plain `git diff`, `git show` and
// `git log -p` show definitions as a semantic diff. docs/diff.md explains it.
//
// It is made of three settings:
// - `environments/*/environment.yaml diff=envstore` in `info/attributes` of the
//   Git folder (after a comment line naming envstore), which gives definitions
//   the driver;
// - `diff.envstore.textconv` in the repository's configuration: the program run
//   as `PROGRAM hooks textconv FILE`, printing `element_lines` of the file; git
//   applies it in `git diff`, `git show` and `git log -p` alike;
// - `diff.envstore.command`: `PROGRAM hooks diff-driver ...`, which git runs
//   instead of its own diff in `git diff` (and in `git log -p` and `git show`
//   only with `--ext-diff`), printing the semantic diff as `envstore diff` does.

#include "envstore/workspace.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace envstore {

inline constexpr std::string_view k_diff_driver_name = "envstore";
inline constexpr std::string_view k_diff_attributes_line =
    "environments/*/environment.yaml diff=envstore";

enum class SettingAction { added, updated, unchanged, removed, absent };

// "added", "updated", "unchanged", "removed", "absent".
std::string_view name_of(SettingAction action);

// One setting that install or uninstall looked at.
struct SettingChange
{
    std::string file;    // absolute path of the file holding it
    std::string setting; // "diff.envstore.textconv", or the attributes line
    std::string value;   // the value installed (empty for uninstall and attributes)
    SettingAction action = SettingAction::unchanged;
};

// Installs the diff driver in `workspace`'s repository, running `program`
// (an absolute path, usually the running envstore binary). Idempotent: what is
// in place stays (`unchanged`); a driver pointing at another program is
// `updated`. In a linked worktree the settings go to the shared Git folder.
// Throws `Error(repository)` when a file cannot be written.
std::vector<SettingChange> install_diff_driver(const Workspace& workspace,
                                               const std::string& program);

// Removes what `install_diff_driver` added: its attributes lines, and the two
// settings when they run `hooks textconv` / `hooks diff-driver`; anything else
// is left alone (`absent` for what was not there).
std::vector<SettingChange> uninstall_diff_driver(const Workspace& workspace);

// What the textconv prints for the bytes of a definition file: its
// `element_lines`, or `text` unchanged when it is not a valid definition, so a
// file being edited still shows as lines.
std::string textconv_text(std::string_view text);

// The command git runs for a setting: `'PROGRAM' hooks textconv` or
// `'PROGRAM' hooks diff-driver`, the path quoted for the shell.
std::string diff_driver_command(const std::string& program, std::string_view subcommand);

} // namespace envstore
