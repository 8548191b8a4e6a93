#pragma once

// Outdated bases: environments of the working tree whose `extends` pins a
// version of a base (`base@v2`, `curated/NAME@v2`) while the base has newer
// versions, with what changed in the base since. Described in docs/blame.md.

#include "envstore/diff.hpp"
#include "envstore/error.hpp"
#include "envstore/resolve.hpp"
#include "envstore/versions.hpp"
#include "envstore/workspace.hpp"

#include <optional>
#include <string>
#include <vector>

namespace envstore {

// One difference of the resolved base between the pinned version and the
// newest one, as the semantic diff describes it (envstore/diff.hpp), with the
// version of the base that made it.
struct BaseChange
{
    Change change;
    // The base's version that last changed the element (`change.key()`) on the
    // way from the pinned version to the newest: the one that gave it its
    // newest value, or removed it. std::nullopt when a version in between
    // cannot be resolved.
    std::optional<VersionInfo> changed_in;
};

// An environment whose pinned base has newer versions.
struct OutdatedBase
{
    std::string name;    // the environment that extends the base
    std::string extends; // as written: "base@v2"
    std::string base;    // the base's name: "base", "curated/python-3.11"
    int pinned = 0;      // the version pinned
    int newest = 0;      // the base's newest version, higher than `pinned`
    // The resolved base at `pinned` compared with the resolved base at
    // `newest`, in `diff_definitions` order: what the environment would get by
    // moving its pin.
    std::vector<BaseChange> changes;
};

// An environment and the base it extends, as written.
struct ExtendsEntry
{
    std::string name;
    std::string extends;
};

// An environment whose base could not be checked, and why.
struct UncheckedBase
{
    std::string name;
    std::string extends; // empty when the definition itself cannot be read
    ErrorCode code = ErrorCode::not_found;
    std::string reason; // the error's message, after "path:line:column: " when it has a place
    std::string hint;   // the error's hint, or empty
};

struct OutdatedReport
{
    std::vector<OutdatedBase> outdated; // each list sorted by environment name
    std::vector<ExtendsEntry> current;  // pinned to the base's newest version
    // Not pinned, so never outdated: `base@latest`, a label, a commit, or the
    // working tree's `base`.
    std::vector<ExtendsEntry> followed;
    // The definition is invalid, the pinned version does not exist, a base
    // does not resolve (a curated base while no curated catalog is installed).
    std::vector<UncheckedBase> unchecked;
};

// Checks the working-tree definitions named in `names` (all of them when
// `names` is empty). Definitions without `extends` are left out of the
// report; one that cannot be checked is listed in `unchecked` and the others
// are still checked. Throws `Error(not_found)` for a name in `names` without
// a working-tree definition, and `Error(repository)` when a version read on
// the way fails its checks.
OutdatedReport find_outdated(const Workspace& workspace, const std::vector<std::string>& names);

} // namespace envstore
