#pragma once

// The curated catalog: environments that ship with envstore, kept as a
// read-only workspace (a Git repository with version tags) installed beside
// the binary. Users build on them with `extends: curated/NAME@vN`; commands
// read them with references written `curated/NAME@...`. Never read from the
// network. Described in docs/curated.md.

#include "envstore/versions.hpp"
#include "envstore/workspace.hpp"

#include <filesystem>
#include <string_view>
#include <vector>

namespace envstore {

// The variable naming the catalog's folder, overriding the search.
inline constexpr const char* k_curated_dir_variable = "ENVSTORE_CURATED_DIR";

// Where the catalog is looked for, in order: the folder named by
// ENVSTORE_CURATED_DIR alone when it is set; otherwise, relative to the
// folder of the running executable, `../share/envstore/curated` (installed
// under a prefix) and `share/envstore/curated` (the build tree).
std::vector<std::filesystem::path> curated_catalog_candidates();

// The catalog, opened once per process (per folder) and kept open. Throws
// `Error(not_found)` naming the folders searched when none holds a catalog,
// and the errors of `Workspace::discover` for a catalog that cannot be read.
const Workspace& open_curated_catalog();

// Reads a `curated/` reference in the catalog, as `resolve_reference` does in
// a workspace; a bare `curated/NAME` means its latest version. The result
// keeps `reference` as asked. Throws like `resolve_reference` and
// `open_curated_catalog`.
StoredDefinition resolve_curated_reference(const Reference& reference);

// Refuses a write to the catalog: throws `Error(invalid_input)` when
// `argument` (a name or reference given to `command`) starts with `curated/`,
// with a hint to extend the curated environment instead.
void refuse_curated_write(std::string_view command, std::string_view argument);

} // namespace envstore
