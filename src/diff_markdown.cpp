// Rendering a diff report as GitHub-flavoured markdown, for a pull-request
// comment: one table of changes per environment.

#include "diff_format.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

// `text` as a code span that a table cell can hold: pipes escaped, and a
// longer fence when the text has backticks of its own.
std::string code(std::string_view text)
{
    std::string escaped;
    for (char c : text) {
        if (c == '|') {
            escaped += '\\';
        }
        escaped += c;
    }
    if (escaped.empty()) {
        return "`\"\"`";
    }
    if (escaped.find('`') != std::string::npos) {
        return fmt::format("`` {} ``", escaped);
    }
    return fmt::format("`{}`", escaped);
}

std::string cell(const std::optional<std::string>& value)
{
    return value ? code(*value) : std::string();
}

std::string change_cell(const Change& change)
{
    if (change.kind == ChangeKind::reordered) {
        return "order changed";
    }
    if (change.item.empty()) {
        return std::string(name_of(change.kind));
    }
    return fmt::format("{} {}", name_of(change.kind), code(change.item));
}

std::string table(const std::vector<Change>& changes)
{
    std::string text = "| Field | Change | Before | After |\n| --- | --- | --- | --- |\n";
    for (const Change& change : changes) {
        text += fmt::format("| {} | {} | {} | {} |\n",
                            code(change.field),
                            change_cell(change),
                            cell(change.before),
                            cell(change.after));
    }
    return text;
}

std::string notes(const EnvironmentDiff& environment)
{
    std::string text;
    if (environment.base) {
        const BaseNote& note = *environment.base;
        std::string_view lead = note.only_base ? "Only the base changed" : "The base changed too";
        std::string after = code(chain_text(note.after));
        std::string what = note.before == note.after
                               ? after + " differs"
                               : fmt::format("{} → {}", code(chain_text(note.before)), after);
        text += fmt::format("\n{}: {}.\n", lead, what);
    }
    for (const auto& warning : environment.warnings) {
        text += fmt::format("\n> **Warning:** {}\n", warning);
    }
    return text;
}

std::string environment_section(const EnvironmentDiff& environment)
{
    std::string text;
    if (!environment.changes.empty()) {
        text += "\n" + table(environment.changes);
    }
    return text + notes(environment);
}

std::string summary(const DiffReport& report)
{
    auto count = [&report](EnvironmentStatus status) {
        return std::count_if(report.environments.begin(),
                             report.environments.end(),
                             [status](const auto& environment) {
            return environment.status == status;
        });
    };
    return fmt::format("{} added, {} changed, {} removed",
                       count(EnvironmentStatus::added),
                       count(EnvironmentStatus::changed),
                       count(EnvironmentStatus::removed));
}

} // namespace

std::string render_markdown(const DiffReport& report)
{
    std::string text =
        fmt::format("### envstore diff: {} → {}\n", code(report.before), code(report.after));
    if (report.scope == DiffScope::revisions) {
        text += fmt::format("\nCommits {} → {}: {}.\n",
                            code(report.before_commit.substr(0, 12)),
                            code(report.after_commit.substr(0, 12)),
                            summary(report));
    }
    if (!report.has_differences()) {
        text += "\nNo differences.\n";
    }

    for (const auto& environment : report.environments) {
        if (report.scope == DiffScope::revisions) {
            text +=
                fmt::format("\n#### {}: {}\n", code(environment.name), name_of(environment.status));
        }
        text += environment_section(environment);
    }
    if (report.mode == DiffMode::resolved) {
        text += "\n<sub>Resolved definitions: inheritance applied.</sub>\n";
    }
    return text;
}

} // namespace envstore
