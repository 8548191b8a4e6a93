#pragma once

// Resolving a reference: the `extends` chain applied, giving one complete
// definition and its digest. The merge rules are described in docs/resolve.md.

#include "envstore/definition.hpp"
#include "envstore/reference.hpp"
#include "envstore/workspace.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envstore {

// Element keys name one piece of a definition, the same way in `locations`,
// in resolve's origins, in diff and in policy findings:
//   a scalar field        "python.version", "docker.base_image", "runtime"
//   a package             "python.conda/numpy" (lowercase), "python.pip/scikit-learn"
//                         (PEP 503 normalised)
//   a list entry          "python.channels/conda-forge", "python.pip_options/--no-cache-dir",
//                         "platforms/linux-64", "docker.apt/libgl1",
//                         "spark.packages/g:a:v", "spark.repositories/URL",
//                         "python.remove/NAME"
//   a key of a mapping    "variables/OMP_NUM_THREADS", "metadata/team", "x-/x-owner"
std::string element_key(std::string_view field, std::string_view item = {});

// One environment of an `extends` chain, as it was used.
struct BaseUse
{
    std::string requested; // as written in `extends`: "base@latest", "curated/python-3.11@v2"
    std::string resolved;  // what it became: "base@v4", "curated/python-3.11@v2", "base@1a2b3c4"
    std::string commit;    // the commit the base's definition was read from
    std::string digest;    // the base's own resolved digest
    // True when `resolved` was taken from the record of the version being
    // resolved (what it meant when registered), not looked up today.
    bool recorded = false;
};

// Where a resolved element came from.
struct Origin
{
    std::string environment; // the definition that wrote it: "train", "base@v4"
    SourceLocation location; // in that definition's file
};

struct ResolvedDefinition
{
    Reference reference;           // as asked
    std::optional<int> version;    // the version it named, when it named one
    std::string commit;            // the commit read (empty for the working tree)
    Definition definition;         // complete: no `extends`, no `python.remove`
    std::string digest;            // definition_digest(definition)
    std::vector<BaseUse> bases;    // the chain, nearest base first
    std::map<std::string, Origin> origins; // element key -> where it was written
};

// Resolves `reference` in `workspace` (or in the curated catalog for a
// `curated/` reference). A version uses the bases recorded when it was
// registered. Throws `Error(invalid_input)` for a cycle (naming the chain), a
// removal of a package nothing provides, or an invalid definition on the
// chain; `Error(not_found)` when a reference names nothing.
ResolvedDefinition resolve(const Workspace& workspace, const Reference& reference);

// The merge of one step: `child` over `base` (both without `extends` applied
// further). `child_name` names the child in errors. Throws
// `Error(invalid_input)` when `python.remove` names a package the base does
// not provide.
Definition merge_definitions(const Definition& base, const Definition& child);

} // namespace envstore
