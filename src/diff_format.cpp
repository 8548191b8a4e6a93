// Rendering a diff report as text for people and as markdown for pull-request
// comments. docs/diff.md shows both.

#include "diff_format.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

std::string paint_with(const DiffPainter& paint, DiffTone tone, std::string_view text)
{
    return paint ? paint(tone, text) : std::string(text);
}

DiffTone tone_of(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::added: return DiffTone::added;
    case ChangeKind::removed: return DiffTone::removed;
    case ChangeKind::changed:
    case ChangeKind::reordered: return DiffTone::changed;
    }
    return DiffTone::plain;
}

DiffTone tone_of(EnvironmentStatus status)
{
    switch (status) {
    case EnvironmentStatus::added: return DiffTone::added;
    case EnvironmentStatus::removed: return DiffTone::removed;
    case EnvironmentStatus::changed: return DiffTone::changed;
    case EnvironmentStatus::unchanged: return DiffTone::plain;
    }
    return DiffTone::plain;
}

std::string shown(const std::optional<std::string>& value)
{
    if (!value) {
        return "(none)";
    }
    return value->empty() ? "\"\"" : *value;
}

// What an entry of a list or mapping shows for `value`: a mapping's key with
// its value; a list entry's value alone (it names the entry).
std::string entry_text(const Change& change, const std::optional<std::string>& value)
{
    if (is_mapping_field(change.field)) {
        return fmt::format("{}: {}", change.item, shown(value));
    }
    return shown(value);
}

std::string change_line(const Change& change)
{
    switch (change.kind) {
    case ChangeKind::added: return "+ " + entry_text(change, change.after);
    case ChangeKind::removed: return "- " + entry_text(change, change.before);
    case ChangeKind::reordered:
        return fmt::format("order: {} -> {}", shown(change.before), shown(change.after));
    case ChangeKind::changed: break;
    }
    if (is_mapping_field(change.field)) {
        return fmt::format(
            "~ {}: {} -> {}", change.item, shown(change.before), shown(change.after));
    }
    return fmt::format("~ {} -> {}", shown(change.before), shown(change.after));
}

void append_changes(std::string& text, const std::vector<Change>& changes, const DiffPainter& paint)
{
    std::string open_field;
    for (const Change& change : changes) {
        DiffTone tone = tone_of(change.kind);
        if (change.item.empty() && change.kind != ChangeKind::reordered) {
            std::string line = fmt::format(
                "{}: {} -> {}", change.field, shown(change.before), shown(change.after));
            text += "  " + paint_with(paint, tone, line) + "\n";
            open_field.clear();
            continue;
        }
        if (change.field != open_field) {
            text += fmt::format("  {}:\n", change.field);
            open_field = change.field;
        }
        text += "    " + paint_with(paint, tone, change_line(change)) + "\n";
    }
}

void append_notes(std::string& text, const EnvironmentDiff& environment, const DiffPainter& paint)
{
    if (environment.base) {
        text += "  " + paint_with(paint, DiffTone::note, base_note_text(*environment.base)) + "\n";
    }
    for (const auto& warning : environment.warnings) {
        text += "  " + paint_with(paint, DiffTone::note, "warning: " + warning) + "\n";
    }
}

// "base@1e2b0894cddf" for a base read from a full commit id, as git
// shortens ids; other references as they are.
std::string shortened(const std::string& base)
{
    std::size_t at = base.rfind('@');
    std::string_view id = std::string_view(base).substr(at == std::string::npos ? 0 : at + 1);
    bool full_id = at != std::string::npos && id.size() == 40 &&
                   id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    return full_id ? base.substr(0, at + 13) : base;
}

std::string revisions_heading(const DiffReport& report)
{
    return fmt::format("{} ({}) -> {} ({})",
                       report.before,
                       report.before_commit.substr(0, 12),
                       report.after,
                       report.after_commit.substr(0, 12));
}

} // namespace

bool is_mapping_field(std::string_view field)
{
    return field == "variables" || field == "metadata";
}

std::string chain_text(const std::vector<std::string>& chain)
{
    if (chain.empty()) {
        return "(no base)";
    }
    std::vector<std::string> shown;
    for (const auto& base : chain) {
        shown.push_back(shortened(base));
    }
    return fmt::format("{}", fmt::join(shown, ", "));
}

std::string base_note_text(const BaseNote& note)
{
    std::string_view lead = note.only_base ? "only the base changed" : "the base changed too";
    if (note.before == note.after) {
        return fmt::format("{}: {} differs", lead, chain_text(note.after));
    }
    return fmt::format("{}: {} -> {}", lead, chain_text(note.before), chain_text(note.after));
}

std::string render_text(const DiffReport& report, const DiffPainter& paint)
{
    std::string text;
    if (report.scope == DiffScope::references) {
        text += paint_with(
            paint, DiffTone::heading, fmt::format("{} -> {}", report.before, report.after));
        text += "\n";
    } else {
        text += paint_with(paint, DiffTone::heading, revisions_heading(report)) + "\n";
    }
    if (!report.has_differences()) {
        text += "  no differences\n";
    }

    for (const auto& environment : report.environments) {
        if (report.scope == DiffScope::revisions) {
            std::string heading =
                fmt::format("{} {}", name_of(environment.status), environment.name);
            text += paint_with(paint, tone_of(environment.status), heading) + "\n";
        }
        append_changes(text, environment.changes, paint);
        append_notes(text, environment, paint);
    }
    return text;
}

} // namespace envstore
