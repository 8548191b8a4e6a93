#pragma once

// Outdated bases: environments of the working tree whose `extends` pins a
// version of a base (`base@v2`, `curated/NAME@v2`) while the base has newer
// versions, with what changed in the base since. Described in
// docs/blame-and-outdated.md.

#include "envstore/resolve.hpp"
#include "envstore/workspace.hpp"

#include <string>
#include <vector>

namespace envstore {

enum class ChangeKind { added, removed, changed };

std::string_view name_of(ChangeKind kind);

// One element (see `element_key`) that differs between two resolved definitions.
struct ElementChange
{
    std::string key;
    ChangeKind kind = ChangeKind::changed;
    std::string old_value; // empty when added
    std::string new_value; // empty when removed
};

struct OutdatedBase
{
    std::string name;    // the environment that extends the base
    std::string extends; // as written: "base@v2"
    std::string base;    // the base's name: "base", "curated/python-3.11"
    int pinned = 0;      // the version pinned
    int newest = 0;      // the base's newest version, higher than `pinned`
    // The resolved base at `newest` compared with the resolved base at
    // `pinned`: what the environment would get by moving its pin.
    std::vector<ElementChange> changes;
};

// An environment whose base is not pinned to a version, and so never outdated.
struct FollowedBase
{
    std::string name;
    std::string extends; // "base@latest", "base@prod", "base", "base@1a2b3c4"
};

struct OutdatedReport
{
    std::vector<OutdatedBase> outdated; // sorted by environment name
    std::vector<std::string> current;   // pinned to the base's newest version
    std::vector<FollowedBase> followed; // not pinned: latest, a label, a commit, the working tree
};

// Checks the working-tree definitions named in `names` (all of them when
// `names` is empty). Definitions without `extends` are left out of the report.
// Throws `Error(not_found)` for a name without a working-tree definition, or
// a pinned base version that does not exist; `Error(invalid_input)` carrying
// the diagnostics of an invalid definition.
OutdatedReport find_outdated(const Workspace& workspace, const std::vector<std::string>& names);

// What differs between `before` and `after`, element by element, sorted by key.
std::vector<ElementChange> element_changes(const std::map<std::string, ElementValue>& before,
                                           const std::map<std::string, ElementValue>& after);

} // namespace envstore
