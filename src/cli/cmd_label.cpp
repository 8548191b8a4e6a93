#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore::cli {
namespace {

Json event_json(const LabelEvent& event)
{
    return {{"name", event.name},
            {"label", event.label},
            {"sequence", event.sequence},
            {"version", event.version ? Json(*event.version) : Json(nullptr)},
            {"action", event.version ? "set" : "delete"},
            {"tagger",
             {{"name", event.tagger.name},
              {"email", event.tagger.email},
              {"date", format_time(event.tagger.time, event.tagger.offset_minutes)}}}};
}

// An empty history of a name that has no versions and no definition is a typo.
void require_environment(const Workspace& workspace, const std::string& name)
{
    auto in_tree = workspace.working_tree_names();
    if (latest_version(workspace, name) ||
        std::find(in_tree.begin(), in_tree.end(), name) != in_tree.end()) {
        return;
    }
    throw Error(ErrorCode::not_found, fmt::format("no environment \"{}\"", name));
}

int print_history(Output& out, const std::vector<LabelEvent>& events)
{
    if (out.json()) {
        Json list = Json::array();
        for (const auto& event : events) {
            list.push_back(event_json(event));
        }
        out.print_json({{"history", list}});
        return 0;
    }
    for (const auto& event : events) {
        std::string what = event.version ? fmt::format("-> {}@v{}", event.name, *event.version)
                                         : std::string("deleted");
        out.line(fmt::format("{}  {:<12} {:<16} {} <{}>",
                             format_time(event.tagger.time, event.tagger.offset_minutes),
                             event.label,
                             what,
                             event.tagger.name,
                             event.tagger.email));
    }
    return 0;
}

} // namespace

Action define_label(CLI::App& command, const GlobalOptions& options, Output& out)
{
    struct State
    {
        std::vector<std::string> arguments;
        bool remove = false;
        bool history = false;
    };
    auto state = std::make_shared<State>();
    command.add_option(
        "ARGS", state->arguments, "REF LABEL; with --delete: NAME LABEL; with --history: NAME");
    command.add_flag("-d,--delete", state->remove, "Delete LABEL from NAME");
    command.add_flag("--history", state->history, "Show who pointed which label where, when");
    return [state, &options, &out] {
        const auto& args = state->arguments;
        if (!args.empty() && !state->history) {
            refuse_curated_write("label", args[0]);
        }
        if (state->history) {
            if (args.size() != 1) {
                throw Error(ErrorCode::usage, "label --history takes one NAME");
            }
            Workspace workspace = open_workspace(options);
            std::string name = parse_reference(args[0]).name;
            auto events = label_history(workspace, name);
            if (events.empty()) {
                require_environment(workspace, name);
                out.note(fmt::format("\"{}\" has no labels yet", name));
            }
            return print_history(out, events);
        }
        if (args.size() != 2) {
            throw Error(ErrorCode::usage,
                        state->remove ? "label --delete takes NAME LABEL"
                                      : "label takes REF LABEL");
        }
        Workspace workspace = open_workspace(options);
        LabelEvent event = state->remove
                               ? delete_label(workspace, parse_reference(args[0]).name, args[1])
                               : set_label(workspace, parse_reference(args[0]), args[1]);
        if (out.json()) {
            out.print_json(event_json(event));
        } else if (event.version) {
            out.line(fmt::format(
                "{}@{} -> {}@v{}", event.name, event.label, event.name, *event.version));
        } else {
            out.line(fmt::format("Deleted label {} of {}", event.label, event.name));
        }
        return 0;
    };
}

} // namespace envstore::cli
