#pragma once

// What every command file sees: the global options, the output, and the
// entry in the command table.

#include "cli/output.hpp"

#include "envstore/workspace.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace envstore::cli {

struct GlobalOptions
{
    bool quiet = false;
    int verbose = 0;
    bool json = false;
    std::string color = "auto";
    std::string directory; // -C DIR
};

// A command's action: runs after parsing, returns the exit status.
using Action = std::function<int()>;

// Adds a command's options to `command` and returns its action. Options are
// bound to state the action captures.
using DefineCommand = Action (*)(CLI::App& command, const GlobalOptions& options, Output& out);

struct Command
{
    const char* name;
    const char* summary;
    DefineCommand define;
};

// The workspace named by -C, or found from the current folder.
Workspace open_workspace(const GlobalOptions& options);

// The folder commands work in: -C DIR, or the current folder.
std::filesystem::path working_folder(const GlobalOptions& options);

Action define_init(CLI::App&, const GlobalOptions&, Output&);
Action define_create(CLI::App&, const GlobalOptions&, Output&);
Action define_import(CLI::App&, const GlobalOptions&, Output&);
Action define_validate(CLI::App&, const GlobalOptions&, Output&);
Action define_status(CLI::App&, const GlobalOptions&, Output&);
Action define_commit(CLI::App&, const GlobalOptions&, Output&);
Action define_tag(CLI::App&, const GlobalOptions&, Output&);
Action define_register(CLI::App&, const GlobalOptions&, Output&);
Action define_list(CLI::App&, const GlobalOptions&, Output&);
Action define_show(CLI::App&, const GlobalOptions&, Output&);
Action define_log(CLI::App&, const GlobalOptions&, Output&);
Action define_label(CLI::App&, const GlobalOptions&, Output&);
Action define_archive(CLI::App&, const GlobalOptions&, Output&);
Action define_restore(CLI::App&, const GlobalOptions&, Output&);
Action define_rename(CLI::App&, const GlobalOptions&, Output&);
Action define_doctor(CLI::App&, const GlobalOptions&, Output&);
Action define_curated(CLI::App&, const GlobalOptions&, Output&);
Action define_resolve(CLI::App&, const GlobalOptions&, Output&);
Action define_blame(CLI::App&, const GlobalOptions&, Output&);
Action define_outdated(CLI::App&, const GlobalOptions&, Output&);
Action define_check(CLI::App&, const GlobalOptions&, Output&);
Action define_diff(CLI::App&, const GlobalOptions&, Output&);
Action define_hooks(CLI::App&, const GlobalOptions&, Output&);
Action define_export(CLI::App&, const GlobalOptions&, Output&);

} // namespace envstore::cli
