#include "cli/command.hpp"

#include "envstore/diff.hpp"
#include "envstore/hooks.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace envstore::cli {
namespace {

struct HooksState
{
    std::string action;
    std::string file;                     // textconv: the file to convert
    std::vector<std::string> driver_args; // diff-driver: what git passes
};

// The running binary, which git will run as the driver.
std::string running_program()
{
    std::error_code error;
    std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        throw Error(ErrorCode::internal,
                    fmt::format("cannot find the running envstore binary: {}", error.message()));
    }
    return program.string();
}

std::optional<std::string> read_side(const std::string& path)
{
    if (path == "/dev/null") {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::not_found, fmt::format("cannot read \"{}\"", path));
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// git runs `diff-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`
// (two more after a rename); with PATH alone for an unmerged file.
int run_driver(const std::vector<std::string>& args, Output& out)
{
    if (args.size() < 7) {
        out.raw(fmt::format("* Unmerged path {}\n", args.empty() ? "" : args.front()));
        return 0;
    }
    const std::string& path = args.size() >= 8 ? args[7] : args[0];
    try {
        out.raw(render_text(diff_texts(args[0], read_side(args[1]), path, read_side(args[4]))));
    } catch (const Error& error) {
        // git stops when its driver fails; the lines are still there to see.
        std::string where;
        if (const auto& location = error.location()) {
            where = fmt::format("{}:{}:{}: ", location->path, location->line, location->column);
        }
        out.raw(fmt::format("a/{} -> b/{}\n"
                            "  not compared: {}{}; git diff --no-ext-diff shows the lines\n",
                            args[0],
                            path,
                            where,
                            error.message()));
    }
    return 0;
}

void print_settings(Output& out,
                    const std::string& action,
                    const std::vector<SettingChange>& changes)
{
    if (out.json()) {
        Json settings = Json::array();
        for (const auto& change : changes) {
            settings.push_back(
                {{"file", change.file},
                 {"setting", change.setting},
                 {"value", change.value.empty() ? Json(nullptr) : Json(change.value)},
                 {"action", name_of(change.action)}});
        }
        out.print_json({{"action", action}, {"settings", settings}});
        return;
    }
    for (const auto& change : changes) {
        std::string setting = change.value.empty()
                                  ? change.setting
                                  : fmt::format("{} = {}", change.setting, change.value);
        out.line(fmt::format("{:<9} {}: {}", name_of(change.action), change.file, setting));
    }
}

CLI::App* add_action(CLI::App& command, HooksState& state, const char* name, const char* summary)
{
    CLI::App* sub = command.add_subcommand(name, summary);
    sub->fallthrough();
    sub->callback([&state, name] { state.action = name; });
    return sub;
}

} // namespace

Action define_hooks(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto state = std::make_shared<HooksState>();
    command.require_subcommand(1);
    command.footer("install makes plain `git diff` show definitions as envstore diff does, and "
                   "`git log -p` and `git show` one element a line. Nothing is committed. See "
                   "docs/diff.md.");
    add_action(command, *state, "install", "Set up the Git diff driver for definitions");
    add_action(command, *state, "uninstall", "Remove what install set up");
    add_action(command, *state, "textconv", "(for git) print a definition one element a line")
        ->group("")
        ->add_option("FILE", state->file)
        ->required();
    add_action(command, *state, "diff-driver", "(for git) print the semantic diff of two files")
        ->group("")
        ->add_option("ARGS", state->driver_args);

    return [state, &options, &out] {
        if (state->action == "textconv") {
            out.raw(textconv_text(read_side(state->file).value_or("")));
            return 0;
        }
        if (state->action == "diff-driver") {
            return run_driver(state->driver_args, out);
        }
        Workspace workspace = open_workspace(options);
        bool install = state->action == "install";
        auto changes = install ? install_diff_driver(workspace, running_program())
                               : uninstall_diff_driver(workspace);
        print_settings(out, state->action, changes);
        return 0;
    };
}

} // namespace envstore::cli
