// The envstore command: global options, the command table, and the one place
// where errors become messages and exit codes.

#include "cli/command.hpp"

#include "envstore/names.hpp"
#include "envstore/version.hpp"

#include <fmt/format.h>

#include <cctype>
#include <optional>

namespace envstore::cli {
namespace {

// Adding a command = one file defining it and one line here.
const Command k_commands[] = {
    {"init", "Create a workspace: a Git repository for environment definitions", define_init},
    {"create", "Write a new definition in the working tree", define_create},
    {"import",
     "Write a definition from a conda environment file or requirements file",
     define_import},
    {"validate", "Check definitions in the working tree", define_validate},
    {"status", "Show which definitions are new, changed or unchanged", define_status},
    {"commit", "Validate and commit changed definitions (no version yet)", define_commit},
    {"tag", "Make the next version of a committed definition", define_tag},
    {"register", "Commit definitions and make a version of each", define_register},
    {"list", "List environments with their latest version, labels and description", define_list},
    {"show", "Print a definition exactly as stored at a reference", define_show},
    {"resolve", "Print the complete definition a reference means, bases applied", define_resolve},
    {"export", "Write a reference as a conda, pip or Azure ML environment file", define_export},
    {"log", "List the versions of an environment, newest first", define_log},
    {"diff", "Show how environments differ, field by field", define_diff},
    {"blame", "Show the version that introduced each element, with date and author", define_blame},
    {"outdated", "List environments whose pinned base has newer versions", define_outdated},
    {"label", "Point a label (such as prod) at a version, or delete one", define_label},
    {"archive", "Hide an environment from list; its versions stay readable", define_archive},
    {"restore", "Undo archive", define_restore},
    {"rename", "Rename an environment; the old name is archived", define_rename},
    {"doctor",
     "Find stale locks, leftovers and tampered versions; --fix the safe ones",
     define_doctor},
    {"check",
     "For CI: validate, apply the policy, find definitions behind their latest version",
     define_check},
    {"curated", "List and show the curated environments that ship with envstore", define_curated},
    {"hooks", "Install or remove the Git diff driver for definitions", define_hooks},
};

std::string version_text()
{
    return fmt::format("envstore {} (libgit2 {})", envstore_version(), libgit2_version());
}

int print_version(Output& out)
{
    if (out.json()) {
        out.print_json({{"version", envstore_version()}, {"libgit2", libgit2_version()}});
    } else {
        out.line(version_text());
    }
    return 0;
}

// A word that is neither an option nor a command, where a command was due.
std::optional<std::string> unknown_command(const CLI::App& app)
{
    std::vector<std::string> extra = app.remaining();
    if (!app.get_subcommands().empty() || extra.empty() || extra.front().starts_with('-')) {
        return std::nullopt;
    }
    return extra.front();
}

// CLI11's message, starting lowercase like envstore's own ("NAME is ..." stays).
std::string usage_message(const CLI::ParseError& error)
{
    std::string message = error.what();
    if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) &&
        std::islower(static_cast<unsigned char>(message[1]))) {
        message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    }
    return message;
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& error, Output& out)
{
    std::string hint = "run envstore --help, or envstore COMMAND --help";
    std::string message = usage_message(error);
    if (auto command = unknown_command(app)) {
        message = fmt::format("unknown command \"{}\"", *command);
        std::vector<std::string> names;
        for (const auto& known : k_commands) {
            names.emplace_back(known.name);
        }
        if (auto close = closest_match(*command, names)) {
            hint = fmt::format("did you mean \"{}\"?", *close);
        }
    }
    out.report_error(Error(ErrorCode::usage, message, hint));
    return exit_code_of(ErrorCode::usage);
}

int run(int argc, char** argv)
{
    CLI::App app{"envstore: versioned environment definitions in a Git workspace", "envstore"};
    GlobalOptions options;
    Output out;
    bool show_version = false;

    app.add_flag("-q,--quiet", options.quiet, "Print only results and errors");
    app.add_flag("-v,--verbose", options.verbose, "Accepted; no command prints more yet");
    app.add_flag("--json", options.json, "Print results as JSON (\"format\": 1)");
    app.add_option("--color", options.color, "Colour output: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_option("-C", options.directory, "Run as if started in DIR")->type_name("DIR");
    app.add_flag("--version", show_version, "Print the version and exit");
    app.require_subcommand(0, 1);
    app.fallthrough();

    Action action;
    for (const auto& command : k_commands) {
        CLI::App* sub = app.add_subcommand(command.name, command.summary);
        sub->fallthrough();
        Action defined = command.define(*sub, options, out);
        sub->callback([&action, defined] { action = defined; });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::ParseError& error) {
        // Flags are stored only once parsing ends; a flag seen before the error counts.
        bool json = options.json || app.count("--json") > 0;
        out.configure(json, options.quiet, options.verbose, options.color);
        return report_parse_error(app, error, out);
    }
    out.configure(options.json, options.quiet, options.verbose, options.color);

    if (show_version) {
        return print_version(out);
    }
    if (!action) {
        fmt::print(stderr, "{}", app.help());
        return exit_code_of(ErrorCode::usage);
    }
    try {
        return action();
    } catch (const Error& error) {
        out.report_error(error);
        return exit_code_of(error.code());
    } catch (const std::exception& error) {
        out.report_error(Error(ErrorCode::internal,
                               fmt::format("internal error: {}", error.what()),
                               "please report this as a bug"));
        return exit_code_of(ErrorCode::internal);
    }
}

} // namespace

Workspace open_workspace(const GlobalOptions& options)
{
    return Workspace::discover(working_folder(options));
}

std::filesystem::path working_folder(const GlobalOptions& options)
{
    if (options.directory.empty()) {
        return std::filesystem::current_path();
    }
    if (!std::filesystem::is_directory(options.directory)) {
        throw Error(ErrorCode::not_found,
                    fmt::format("cannot change to \"{}\": no such folder", options.directory));
    }
    return std::filesystem::absolute(options.directory);
}

} // namespace envstore::cli

int main(int argc, char** argv)
{
    return envstore::cli::run(argc, argv);
}
