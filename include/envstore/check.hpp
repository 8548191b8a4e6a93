#pragma once

// What CI runs on every change: every definition of the working tree is
// valid, follows the workspace's policy, and starts from its latest version.
// docs/policy.md describes the check and its findings.

#include "envstore/error.hpp"
#include "envstore/workspace.hpp"

#include <string>
#include <vector>

namespace envstore {

// One problem `check_workspace` found.
struct CheckFinding
{
    std::string environment; // "" for a finding about envstore.yaml itself
    // The definition's file (or envstore.yaml), workspace-relative. A located
    // diagnostic names its own file: a base's, for an inherited violation.
    std::string file;
    // rule: a rule id of validation, of the policy, "invalid-policy" and the
    // YAML rules for envstore.yaml, or "behind-latest"; located when the
    // finding has a place in a file.
    Diagnostic diagnostic;
};

struct CheckReport
{
    std::vector<std::string> environments; // the definitions checked, sorted
    std::vector<CheckFinding> findings;    // by environment, envstore.yaml's first

    bool clean() const { return findings.empty(); }
};

// Checks every definition of the working tree of `workspace`:
// - it is valid (the rules of `parse_definition`);
// - its `extends` chain resolves, and the resolved definition follows the
//   policy of envstore.yaml (when envstore.yaml itself is invalid, its
//   problems are findings and no policy is applied);
// - it is not behind its latest version: the commit of NAME's latest version
//   is HEAD or an ancestor of HEAD. Otherwise that version was registered on
//   a branch this one does not contain, and a change made here would drop it.
// Findings are returned, never thrown. Throws `Error(repository)` when the
// repository cannot be read or a latest version fails its checks.
CheckReport check_workspace(const Workspace& workspace);

} // namespace envstore
