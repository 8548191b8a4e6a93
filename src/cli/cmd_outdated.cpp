#include "cli/command.hpp"

#include "envstore/outdated.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore::cli {
namespace {

Tone tone_of(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::added: return Tone::added;
    case ChangeKind::removed: return Tone::removed;
    case ChangeKind::changed: return Tone::changed;
    }
    return Tone::plain;
}

Json text_or_null(const std::string& text, bool present)
{
    return present ? Json(text) : Json(nullptr);
}

Json outdated_json(const OutdatedReport& report)
{
    Json outdated = Json::array();
    for (const OutdatedBase& item : report.outdated) {
        Json changes = Json::array();
        for (const ElementChange& change : item.changes) {
            changes.push_back(
                {{"key", change.key},
                 {"change", std::string(name_of(change.kind))},
                 {"old", text_or_null(change.old_value, change.kind != ChangeKind::added)},
                 {"new", text_or_null(change.new_value, change.kind != ChangeKind::removed)}});
        }
        outdated.push_back({{"name", item.name},
                            {"extends", item.extends},
                            {"base", item.base},
                            {"pinned", item.pinned},
                            {"newest", item.newest},
                            {"changes", changes}});
    }
    Json followed = Json::array();
    for (const FollowedBase& item : report.followed) {
        followed.push_back({{"name", item.name}, {"extends", item.extends}});
    }
    return {{"outdated", outdated}, {"current", report.current}, {"followed", followed}};
}

std::string change_text(const ElementChange& change)
{
    switch (change.kind) {
    case ChangeKind::added: return change.new_value;
    case ChangeKind::removed: return change.old_value;
    case ChangeKind::changed: break;
    }
    return fmt::format("{} -> {}", change.old_value, change.new_value);
}

void print_outdated(const OutdatedBase& item, Output& out)
{
    out.line(fmt::format("{}: {} -> {}",
                         item.name,
                         out.paint(Tone::removed, item.extends),
                         out.paint(Tone::added, fmt::format("{}@v{}", item.base, item.newest))));
    std::size_t width = 0;
    for (const ElementChange& change : item.changes) {
        width = std::max(width, change.key.size());
    }
    for (const ElementChange& change : item.changes) {
        std::string kind = fmt::format("{:<7}", name_of(change.kind));
        out.line(fmt::format("    {}  {:<{}}  {}",
                             out.paint(tone_of(change.kind), kind),
                             change.key,
                             width,
                             change_text(change)));
    }
    if (item.changes.empty()) {
        out.line("    (the resolved base is the same)");
    }
}

} // namespace

Action define_outdated(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto names = std::make_shared<std::vector<std::string>>();
    command.add_option("NAME", *names, "Environments of the working tree to check (default: all)");
    return [names, &options, &out] {
        Workspace workspace = open_workspace(options);
        OutdatedReport report = find_outdated(workspace, *names);
        int status = report.outdated.empty() ? 0 : 1;
        if (out.json()) {
            out.print_json(outdated_json(report));
            return status;
        }
        for (const OutdatedBase& item : report.outdated) {
            print_outdated(item, out);
        }
        if (report.outdated.empty()) {
            out.note(fmt::format("nothing outdated: {} pinned {} at the newest version",
                                 report.current.size(),
                                 report.current.size() == 1 ? "base is" : "bases are"));
        }
        return status;
    };
}

} // namespace envstore::cli
