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

// Element keys name one piece of a definition, the same way in
// `Definition::locations`, in resolve's origins, in diff, blame and policy:
//   a scalar field       "name", "runtime", "python.version", "docker.base_image",
//                        "docker.registry.address"
//   a package            "python.conda/numpy" (lowercase), "python.pip/scikit-learn"
//                        (PEP 503 normalised)
//   a list entry         "platforms/linux-64", "python.channels/conda-forge",
//                        "python.pip_options/--no-cache-dir", "python.remove/NAME",
//                        "docker.apt/libgl1", "spark.packages/G:A:V", "spark.repositories/URL"
//   a list's order       "python.channels", "python.pip_options", "spark.repositories"
//                        (the lists whose order means something)
//   a key of a mapping   "variables/OMP_NUM_THREADS", "metadata/team"
//   an extension field   "x-owner"
// `element_key("python.conda", "numpy")` is "python.conda/numpy"; without an
// item, the field itself.
std::string element_key(std::string_view field, std::string_view item = {});

// An element's value as text: a spec in its normalised form, a scalar as
// written, a boolean as "true"/"false", a list's order as its entries joined
// by ", ", an extension field as compact JSON. std::nullopt is a variable set
// to null (which removes an inherited one).
using ElementValue = std::optional<std::string>;

// Every element of `definition`, with the canonical form's defaults filled in
// (`runtime`, `managed`, `docker.gpu` when the docker section says anything).
// Two definitions with equal canonical forms have equal elements.
std::map<std::string, ElementValue> definition_elements(const Definition& definition);

// One environment of an `extends` chain, as it was used.
struct BaseUse
{
    std::string requested; // as written in `extends`: "base@latest", "curated/python-3.11@v2"
    std::string resolved;  // what it became: "base@v4", "curated/python-3.11@v2", "base@1a2b3c4"
    std::string commit;    // the commit the base's definition was read from
    std::string digest;    // the base's own resolved digest
    // True when `resolved` was taken from a version's record (what it meant
    // when that version was registered), not looked up today.
    bool recorded = false;
    std::string recorded_by; // with `recorded`: that version, e.g. leaf@v3

    // With `recorded`, what `requested` names today when that differs from
    // `resolved` ("base@v6" while the record says "base@v4"); empty otherwise.
    std::string today;
};

// Where a resolved element came from.
struct Origin
{
    std::string environment; // the definition that wrote it: "train", "base@v4"
    SourceLocation location; // in that definition's file
};

// `origin.location` named for a reader: the file of a definition read from a
// version, a commit or the curated catalog is written as Git names a file of
// a revision, "base@v4:environments/base/environment.yaml" (what `git show`
// prints), since the working tree's copy may differ; the working tree's as is.
SourceLocation located(const Origin& origin);

struct ResolvedDefinition
{
    Reference reference;                   // as asked
    std::optional<int> version;            // the version it named, when it named one
    std::string commit;                    // the commit read (empty for the working tree)
    Definition definition;                 // complete: no `extends`, no `python.remove`
    std::string digest;                    // definition_digest(definition)
    std::vector<BaseUse> bases;            // the chain, nearest base first
    std::map<std::string, Origin> origins; // element key -> where it was written
};

// Resolves `reference` in `workspace` (or in the curated catalog for a
// `curated/` reference). A version uses the bases recorded when it was
// registered. Throws `Error(invalid_input)` for a cycle (naming the chain), a
// removal of a package nothing provides, or an invalid definition on the
// chain; `Error(not_found)` when a reference names nothing.
ResolvedDefinition resolve(const Workspace& workspace, const Reference& reference);

// The merge of one step: `child` over `base`. The result keeps the child's
// name, description and `extends`, and has no `python.remove`. Throws
// `Error(invalid_input)`, located at the removal, when `python.remove` names a
// package (conda or pip) that `base` does not provide.
Definition merge_definitions(const Definition& base, const Definition& child);

} // namespace envstore
