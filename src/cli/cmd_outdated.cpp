#include "cli/command.hpp"
#include "cli/version_output.hpp"

#include "envstore/outdated.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore::cli {
namespace {

Tone tone_of(BaseChangeKind kind)
{
    switch (kind) {
    case BaseChangeKind::added: return Tone::added;
    case BaseChangeKind::removed: return Tone::removed;
    case BaseChangeKind::changed: return Tone::changed;
    }
    return Tone::plain;
}

Json optional_json(const std::optional<std::string>& text)
{
    return text ? Json(*text) : Json(nullptr);
}

Json change_json(const BaseChange& change)
{
    return {
        {"key", change.key},
        {"change", std::string(name_of(change.kind))},
        {"before", optional_json(change.before)},
        {"after", optional_json(change.after)},
        {"changed_in", change.changed_in ? version_info_json(*change.changed_in) : Json(nullptr)}};
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

std::string change_text(const BaseChange& change)
{
    switch (change.kind) {
    case BaseChangeKind::added: return change.after.value_or("");
    case BaseChangeKind::removed: return change.before.value_or("");
    case BaseChangeKind::changed: break;
    }
    return fmt::format("{} -> {}", change.before.value_or(""), change.after.value_or(""));
}

std::string changed_in_text(const BaseChange& change)
{
    if (!change.changed_in) {
        return {};
    }
    const VersionInfo& version = *change.changed_in;
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
    std::size_t key_width = 0;
    std::size_t text_width = 0;
    for (const BaseChange& change : item.changes) {
        key_width = std::max(key_width, change.key.size());
        text_width = std::max(text_width, change_text(change).size());
    }
    for (const BaseChange& change : item.changes) {
        std::string kind = fmt::format("{:<7}", name_of(change.kind));
        std::string line = fmt::format("    {}  {:<{}}  {:<{}}{}",
                                       out.paint(tone_of(change.kind), kind),
                                       change.key,
                                       key_width,
                                       change_text(change),
                                       text_width,
                                       changed_in_text(change));
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
    if (report.outdated.empty()) {
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
