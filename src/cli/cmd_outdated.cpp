#include "cli/command.hpp"
#include "cli/version_output.hpp"

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
    case ChangeKind::changed:
    case ChangeKind::reordered: return Tone::changed;
    }
    return Tone::plain;
}

Json optional_json(const std::optional<std::string>& text)
{
    return text ? Json(*text) : Json(nullptr);
}

// A change with the keys of `diff --json` (docs/diff.md), and `changed_in`.
Json change_json(const BaseChange& base_change)
{
    const Change& change = base_change.change;
    const std::optional<VersionInfo>& changed_in = base_change.changed_in;
    return {{"kind", std::string(name_of(change.kind))},
            {"field", change.field},
            {"item", change.item.empty() ? Json(nullptr) : Json(change.item)},
            {"key", change.key()},
            {"before", optional_json(change.before)},
            {"after", optional_json(change.after)},
            {"changed_in", changed_in ? version_info_json(*changed_in) : Json(nullptr)}};
}

Json extends_json(const std::vector<ExtendsEntry>& entries)
{
    Json list = Json::array();
    for (const ExtendsEntry& entry : entries) {
        list.push_back({{"name", entry.name}, {"extends", entry.extends}});
    }
    return list;
}

Json outdated_json(const OutdatedReport& report)
{
    Json outdated = Json::array();
    for (const OutdatedBase& item : report.outdated) {
        Json changes = Json::array();
        for (const BaseChange& change : item.changes) {
            changes.push_back(change_json(change));
        }
        outdated.push_back({{"name", item.name},
                            {"extends", item.extends},
                            {"base", item.base},
                            {"pinned", item.pinned},
                            {"newest", item.newest},
                            {"changes", changes}});
    }
    Json unchecked = Json::array();
    for (const UncheckedBase& item : report.unchecked) {
        unchecked.push_back({{"name", item.name},
                             {"extends", item.extends.empty() ? Json(nullptr) : Json(item.extends)},
                             {"code", std::string(name_of(item.code))},
                             {"reason", item.reason},
                             {"hint", item.hint.empty() ? Json(nullptr) : Json(item.hint)}});
    }
    return {{"outdated", outdated},
            {"current", extends_json(report.current)},
            {"followed", extends_json(report.followed)},
            {"unchecked", unchecked}};
}

std::string change_text(const Change& change)
{
    switch (change.kind) {
    case ChangeKind::added: return change.after.value_or("");
    case ChangeKind::removed: return change.before.value_or("");
    case ChangeKind::changed:
    case ChangeKind::reordered: break;
    }
    return fmt::format("{} -> {}", change.before.value_or(""), change.after.value_or(""));
}

std::string changed_in_text(const std::optional<VersionInfo>& changed_in)
{
    if (!changed_in) {
        return {};
    }
    const VersionInfo& version = *changed_in;
    return fmt::format(
        "  ({}, {}, {})",
        version.tag_name,
        format_time(version.tagger.time, version.tagger.offset_minutes).substr(0, 10),
        version.tagger.name);
}

void print_outdated(const OutdatedBase& item, Output& out)
{
    out.line(fmt::format("{}: extends {}, newest is {}",
                         item.name,
                         out.paint(Tone::removed, item.extends),
                         out.paint(Tone::added, fmt::format("{}@v{}", item.base, item.newest))));
    std::size_t kind_width = 0;
    std::size_t key_width = 0;
    std::size_t text_width = 0;
    for (const auto& [change, changed_in] : item.changes) {
        kind_width = std::max(kind_width, name_of(change.kind).size());
        key_width = std::max(key_width, change.key().size());
        text_width = std::max(text_width, change_text(change).size());
    }
    for (const auto& [change, changed_in] : item.changes) {
        std::string kind = fmt::format("{:<{}}", name_of(change.kind), kind_width);
        std::string line = fmt::format("    {}  {:<{}}  {:<{}}{}",
                                       out.paint(tone_of(change.kind), kind),
                                       change.key(),
                                       key_width,
                                       change_text(change),
                                       text_width,
                                       changed_in_text(changed_in));
        line.erase(line.find_last_not_of(' ') + 1);
        out.line(line);
    }
    if (item.changes.empty()) {
        out.line("    (the resolved base is the same)");
    }
}

void print_report(const OutdatedReport& report, Output& out)
{
    for (const UncheckedBase& item : report.unchecked) {
        out.warning(
            fmt::format("cannot check \"{}\"{}: {}",
                        item.name,
                        item.extends.empty() ? "" : fmt::format(" (extends {})", item.extends),
                        item.reason));
        if (!item.hint.empty()) {
            out.note("hint: " + item.hint);
        }
    }
    for (const OutdatedBase& item : report.outdated) {
        print_outdated(item, out);
    }
    if (report.outdated.empty() && report.current.empty()) {
        out.note("nothing outdated: no environment pins a base (extends: NAME@vN)");
    } else if (report.outdated.empty()) {
        std::size_t count = report.current.size();
        out.note(fmt::format("nothing outdated: {} pinned {} at the newest version",
                             count,
                             count == 1 ? "base is" : "bases are"));
    }
}

} // namespace

Action define_outdated(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto names = std::make_shared<std::vector<std::string>>();
    auto exit_code = std::make_shared<bool>(false);
    command.add_option("NAME", *names, "Environments of the working tree to check (default: all)");
    command.add_flag("--exit-code",
                     *exit_code,
                     "Exit 1 when an environment is outdated or its base cannot be checked");
    return [names, exit_code, &options, &out] {
        Workspace workspace = open_workspace(options);
        OutdatedReport report = find_outdated(workspace, *names);
        if (out.json()) {
            out.print_json(outdated_json(report));
        } else {
            print_report(report, out);
        }
        bool found = !report.outdated.empty() || !report.unchecked.empty();
        return *exit_code && found ? 1 : 0;
    };
}

} // namespace envstore::cli
