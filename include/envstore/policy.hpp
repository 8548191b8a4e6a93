#pragma once

// A team's policy: the `policy:` section of the workspace's envstore.yaml,
// applied to resolved definitions before anything is committed or tagged.
// docs/policy.md describes every rule.

#include "envstore/definition.hpp"
#include "envstore/resolve.hpp"
#include "envstore/workspace.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore {

// Each list holds names or glob patterns (`*`, `?`, `[...]`, as fnmatch reads
// them, `*` matching `/` too). A list envstore.yaml leaves out sets no rule;
// an empty list given for `channels`, `base_images` or `pip_indexes` allows
// nothing.
struct Policy
{
    std::optional<std::vector<std::string>> channels;    // allowed conda channels
    std::vector<std::string> forbidden_packages;         // conda or pip, by name
    std::vector<std::string> pinned_packages;            // must name one exact version
    std::optional<std::vector<std::string>> base_images; // allowed docker.base_image
    std::optional<std::vector<std::string>> pip_indexes; // allowed pip package sources

    // True when no rule is set (`policy: {}`).
    bool empty() const;
};

// The result of reading envstore.yaml: the policy when there is one, and every
// problem found. `policy` is empty when any error was found.
struct PolicyReadResult
{
    std::optional<Policy> policy;
    std::vector<Diagnostic> errors;
};

// Reads the workspace settings `text` (named `path` in diagnostics) strictly:
// the top level may hold only `format`, `min_envstore` and `policy`; the
// policy only the five lists of `Policy`. Never throws for bad input: every
// problem is a Diagnostic located in the file, with rule `yaml-*`,
// `wrong-type`, `unknown-field` (with a "did you mean" hint), `empty-value`,
// `duplicate-entry` or `invalid-policy`.
PolicyReadResult parse_policy(std::string_view text, const std::string& path = k_settings_file);

// The policy of `workspace`, read from envstore.yaml in its working tree;
// std::nullopt when that file has no `policy:` section. Throws
// `Error(invalid_input)` with every diagnostic when the file is invalid.
std::optional<Policy> load_policy(const Workspace& workspace);

// Every violation of `policy` by `resolved`, in the order of the rules, then of
// the definition's fields. Each names its rule (`policy-channel`, ...) and the
// element, and is located where the element was written: in the environment
// itself, or in the base it was inherited from, the message then ending
// "(inherited from base@v4)". Where `resolved.origins` does not know an
// element, `resolved.definition.locations` is used.
std::vector<Diagnostic> evaluate_policy(const Policy& policy, const ResolvedDefinition& resolved);

// Resolves `reference` in `workspace` and evaluates `policy` on it. A
// reference that cannot be resolved gives diagnostics instead: those of
// resolve's error (a cycle, an invalid base), or one `unresolved-extends`
// located at the `extends` line (a base that does not exist). Throws only for
// errors that are not about the definitions (a repository that cannot be read).
std::vector<Diagnostic>
policy_findings(const Workspace& workspace, const Policy& policy, const Reference& reference);

// Applies the workspace's policy to `references` before something is written:
// does nothing when envstore.yaml has no policy; otherwise resolves each and
// throws `Error(invalid_input)`, "a definition breaks the policy of
// envstore.yaml: nothing was written", with every violation of every
// reference. Errors of `load_policy` and `resolve` pass through.
void enforce_policy(const Workspace& workspace, const std::vector<Reference>& references);
// The same for the working-tree definitions of `names`.
void enforce_policy(const Workspace& workspace, const std::vector<std::string>& names);

// Every rule `evaluate_policy` applies, in a stable order.
const std::vector<ValidationRule>& policy_rules();

} // namespace envstore
