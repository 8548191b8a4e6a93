#include "cli/command.hpp"

#include "envstore/diff.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

struct DiffOptions
{
    std::vector<std::string> references;
    std::string revisions;
    bool resolved = false;
    std::string format = "text";
    bool exit_code = false;
};

Tone tone_of(DiffTone tone)
{
    switch (tone) {
    case DiffTone::added: return Tone::added;
    case DiffTone::removed: return Tone::removed;
    case DiffTone::changed: return Tone::changed;
    case DiffTone::note: return Tone::dim;
    case DiffTone::heading:
    case DiffTone::plain: return Tone::plain;
    }
    return Tone::plain;
}

// The two references compared. One reference is compared with the working
// tree of its environment; one naming the working tree itself, `NAME`, is
// compared from NAME@latest.
std::pair<Reference, Reference> references_of(const std::vector<std::string>& texts)
{
    Reference first = parse_reference(texts.front());
    if (texts.size() == 2) {
        return {first, parse_reference(texts.back())};
    }
    if (first.curated) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" has no working tree to compare with", texts.front()),
                    "name two references: envstore diff curated/NAME@vN curated/NAME@vM");
    }
    Reference working_tree{first.name, ReferenceKind::working_tree, 0, {}, false};
    if (first.kind == ReferenceKind::working_tree) {
        first.kind = ReferenceKind::latest;
    }
    return {first, working_tree};
}

DiffReport compute(const Workspace& workspace, const DiffOptions& options)
{
    DiffMode mode = options.resolved ? DiffMode::resolved : DiffMode::written;
    if (!options.revisions.empty()) {
        if (!options.references.empty()) {
            throw Error(ErrorCode::usage, "--rev takes no REF", "run envstore diff --help");
        }
        auto [from, to] = parse_revision_range(options.revisions);
        return diff_revisions(workspace, from, to, mode);
    }
    if (options.references.empty() || options.references.size() > 2) {
        throw Error(ErrorCode::usage,
                    "diff needs one or two REFs, or --rev A..B",
                    "run envstore diff --help");
    }
    auto [before, after] = references_of(options.references);
    return diff_references(workspace, before, after, mode);
}

} // namespace

Action define_diff(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto state = std::make_shared<DiffOptions>();
    command.add_option("REF", state->references, "One reference (against the working tree) or two");
    command
        .add_option("--rev", state->revisions, "Compare every environment between two revisions")
        ->type_name("A..B");
    command.add_flag("--resolved",
                     state->resolved,
                     "Compare the resolved definitions (inheritance applied); without it, a "
                     "note says when a base changed");
    command
        .add_option("--format",
                    state->format,
                    "text (the default), json, or markdown for a pull-request comment")
        ->check(CLI::IsMember({"text", "json", "markdown"}));
    command.add_flag("--exit-code", state->exit_code, "Exit 1 when there are differences");
    command.footer("With one REF: REF against the working tree (NAME alone: NAME@latest "
                   "against it). --rev A..B: every environment added, removed or changed "
                   "between two commits, branches or tags (an empty side is HEAD). See "
                   "docs/diff.md.");

    return [state, &options, &out] {
        Workspace workspace = open_workspace(options);
        DiffReport report = compute(workspace, *state);
        if (out.json() || state->format == "json") {
            out.raw(render_json(report));
        } else if (state->format == "markdown") {
            out.raw(render_markdown(report));
        } else {
            out.raw(render_text(report, [&out](DiffTone tone, std::string_view text) {
                return out.paint(tone_of(tone), text);
            }));
        }
        return state->exit_code && report.has_differences() ? 1 : 0;
    };
}

} // namespace envstore::cli
