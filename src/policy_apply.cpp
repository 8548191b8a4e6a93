// Applying the workspace's policy: resolve, then evaluate. Used by validate,
// check, and by commit, register and tag before they write anything.

#include "envstore/policy.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

// Where `extends` is written in the working-tree definition `reference` names.
std::optional<SourceLocation> extends_location(const Workspace& workspace,
                                               const Reference& reference)
{
    if (reference.kind != ReferenceKind::working_tree || reference.curated) {
        return std::nullopt;
    }
    ParseResult parsed = parse_definition(workspace.read_working_tree_definition(reference.name),
                                          Workspace::definition_path(reference.name),
                                          reference.name);
    if (!parsed.definition || !parsed.definition->locations.contains("extends")) {
        return std::nullopt;
    }
    return parsed.definition->locations.at("extends");
}

} // namespace

std::vector<Diagnostic>
policy_findings(const Workspace& workspace, const Policy& policy, const Reference& reference)
{
    ResolvedDefinition resolved;
    try {
        resolved = resolve(workspace, reference);
    } catch (const Error& error) {
        bool about_definitions =
            error.code() == ErrorCode::invalid_input || error.code() == ErrorCode::not_found;
        if (!about_definitions) {
            throw;
        }
        if (!error.details().empty()) {
            return error.details();
        }
        // A missing base is no diagnostic of the parser: locate it here.
        return {Diagnostic{"unresolved-extends",
                           fmt::format("cannot resolve extends: {}", error.message()),
                           extends_location(workspace, reference),
                           error.hint()}};
    }
    return evaluate_policy(policy, resolved);
}

void enforce_policy(const Workspace& workspace, const std::vector<Reference>& references)
{
    std::optional<Policy> policy = load_policy(workspace);
    if (!policy || policy->empty()) {
        return;
    }
    std::vector<Diagnostic> violations;
    int breaking = 0;
    for (const auto& reference : references) {
        std::vector<Diagnostic> found = evaluate_policy(*policy, resolve(workspace, reference));
        breaking += found.empty() ? 0 : 1;
        violations.insert(violations.end(), found.begin(), found.end());
    }
    if (violations.empty()) {
        return;
    }
    // Worded before `violations` is moved: argument order is unspecified.
    std::string message = fmt::format("{} the policy of {}: nothing was written",
                                      breaking == 1 ? "a definition breaks" : "definitions break",
                                      k_settings_file);
    throw Error(ErrorCode::invalid_input, message, std::move(violations));
}

void enforce_policy(const Workspace& workspace, const std::vector<std::string>& names)
{
    std::vector<Reference> references;
    for (const auto& name : names) {
        Reference reference;
        reference.name = name;
        references.push_back(reference);
    }
    enforce_policy(workspace, references);
}

} // namespace envstore
