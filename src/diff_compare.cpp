// Comparing environments: what two references name, or every environment of
// two revisions, as written or resolved, with the note on changed bases.

#include "diff_compare.hpp"

#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

std::string side_label(const StoredDefinition& stored)
{
    const Reference& reference = stored.reference;
    switch (reference.kind) {
    case ReferenceKind::working_tree: return reference.to_string() + " (working tree)";
    case ReferenceKind::latest:
    case ReferenceKind::label:
        if (stored.version) {
            return fmt::format("{} (v{})", reference.to_string(), stored.version->number);
        }
        break;
    case ReferenceKind::version:
    case ReferenceKind::commit: break;
    }
    return reference.to_string();
}

Side read_side(const Workspace& workspace, const Reference& reference)
{
    StoredDefinition stored = resolve_reference(workspace, reference);
    return {
        reference, side_label(stored), load_definition(stored.text, stored.path, reference.name)};
}

std::vector<std::string> chain_of(const ResolvedDefinition& resolved)
{
    std::vector<std::string> chain;
    for (const auto& base : resolved.bases) {
        chain.push_back(base.resolved);
    }
    return chain;
}

// The bases' names and digests: equal chains built the same inheritance.
std::vector<std::pair<std::string, std::string>> chain_identity(const ResolvedDefinition& resolved)
{
    std::vector<std::pair<std::string, std::string>> identity;
    for (const auto& base : resolved.bases) {
        identity.emplace_back(base.resolved, base.digest);
    }
    return identity;
}

// Resolves `reference`, or says in `warnings` why it cannot be.
std::optional<ResolvedDefinition> try_resolve(const Workspace& workspace,
                                              const Reference& reference,
                                              const std::string& label,
                                              std::vector<std::string>& warnings)
{
    try {
        return resolve(workspace, reference);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::invalid_input && error.code() != ErrorCode::not_found) {
            throw;
        }
        warnings.push_back(fmt::format(
            "cannot resolve {}: {}; its bases were not compared", label, error.message()));
        return std::nullopt;
    }
}

// Adds the note on bases to `diff` (written mode), resolving both sides when
// either has a base.
void note_bases(const Workspace& workspace,
                const Side& before,
                const Side& after,
                EnvironmentDiff& diff)
{
    if (!before.definition.extends && !after.definition.extends) {
        return;
    }
    auto old_resolved = try_resolve(workspace, before.reference, diff.before, diff.warnings);
    auto new_resolved = try_resolve(workspace, after.reference, diff.after, diff.warnings);
    if (!old_resolved || !new_resolved) {
        return;
    }
    bool same_chain = chain_identity(*old_resolved) == chain_identity(*new_resolved);
    bool only_base = diff.changes.empty() &&
                     !diff_definitions(old_resolved->definition, new_resolved->definition).empty();
    if (same_chain && !only_base) {
        return;
    }
    diff.base = BaseNote{chain_of(*old_resolved), chain_of(*new_resolved), diff.changes.empty()};
}

void set_status(EnvironmentDiff& diff)
{
    bool differs = !diff.changes.empty() || diff.base.has_value();
    diff.status = differs ? EnvironmentStatus::changed : EnvironmentStatus::unchanged;
}

} // namespace

EnvironmentDiff
compare_sides(const Workspace& workspace, const Side& before, const Side& after, DiffMode mode)
{
    EnvironmentDiff diff;
    diff.name = after.reference.name;
    diff.before = before.label;
    diff.after = after.label;
    if (mode == DiffMode::resolved) {
        ResolvedDefinition old_resolved = resolve(workspace, before.reference);
        ResolvedDefinition new_resolved = resolve(workspace, after.reference);
        diff.changes = diff_definitions(old_resolved.definition, new_resolved.definition);
    } else {
        diff.changes = diff_definitions(before.definition, after.definition);
        note_bases(workspace, before, after, diff);
    }
    set_status(diff);
    return diff;
}

std::string_view name_of(EnvironmentStatus status)
{
    switch (status) {
    case EnvironmentStatus::added: return "added";
    case EnvironmentStatus::removed: return "removed";
    case EnvironmentStatus::changed: return "changed";
    case EnvironmentStatus::unchanged: return "unchanged";
    }
    return "unchanged";
}

bool DiffReport::has_differences() const
{
    return std::any_of(environments.begin(), environments.end(), [](const auto& environment) {
        return environment.status != EnvironmentStatus::unchanged;
    });
}

DiffReport diff_references(const Workspace& workspace,
                           const Reference& before,
                           const Reference& after,
                           DiffMode mode)
{
    Side old_side = read_side(workspace, before);
    Side new_side = read_side(workspace, after);

    DiffReport report;
    report.scope = DiffScope::references;
    report.mode = mode;
    report.before = old_side.label;
    report.after = new_side.label;
    report.environments.push_back(compare_sides(workspace, old_side, new_side, mode));
    return report;
}

DiffReport diff_texts(std::string_view before_path,
                      const std::optional<std::string>& before,
                      std::string_view after_path,
                      const std::optional<std::string>& after)
{
    std::string old_file(before_path);
    std::string new_file(after_path);
    Definition old_definition = before ? load_definition(*before, old_file) : Definition{};
    Definition new_definition = after ? load_definition(*after, new_file) : Definition{};

    EnvironmentDiff diff;
    diff.name = after ? new_definition.name : old_definition.name;
    diff.before = before ? "a/" + old_file : "/dev/null";
    diff.after = after ? "b/" + new_file : "/dev/null";
    diff.changes = diff_definitions(old_definition, new_definition);
    diff.status = !before  ? EnvironmentStatus::added
                  : !after ? EnvironmentStatus::removed
                           : EnvironmentStatus::unchanged;
    if (diff.status == EnvironmentStatus::unchanged) {
        set_status(diff);
    }
    return {DiffScope::references, DiffMode::written, diff.before, diff.after, {}, {}, {diff}};
}

} // namespace envstore
