#pragma once

// Blame: for each element of an environment (a package, a variable, a
// setting; see `element_key` in envstore/resolve.hpp), the version that
// introduced it in its current form. Described in docs/blame.md.

#include "envstore/reference.hpp"
#include "envstore/resolve.hpp"
#include "envstore/versions.hpp"
#include "envstore/workspace.hpp"

#include <optional>
#include <string>
#include <vector>

namespace envstore {

// Which form of each version is compared.
enum class BlameForm {
    written,  // the definition as written in its file: `extends` is one element
    resolved, // the resolved definition: bases applied, as `resolve` gives it
};

std::string_view name_of(BlameForm form);

struct BlameEntry
{
    std::string key;    // the element key
    ElementValue value; // its value in the blamed definition
    // The oldest version V such that V and every later version up to the
    // blamed one have this value. std::nullopt when the newest version does
    // not have it: an element of the working tree that is not registered yet.
    std::optional<VersionInfo> introduced;
    // In the resolved form, the base that writes the element ("base@v4") when
    // the environment inherits it; empty when the environment writes it itself,
    // in the written form, and for a default nobody wrote.
    std::string inherited_from;
};

struct Blame
{
    Reference reference;        // as blamed: a working-tree NAME without a working-tree
                                // definition becomes NAME@latest
    std::optional<int> version; // the version blamed; std::nullopt for the working tree
    BlameForm form = BlameForm::written;
    std::vector<BlameEntry> entries; // one per element, sorted by key
    // Older names whose history was followed through renames, newest first:
    // "old@v2" when NAME@v1 was made by renaming old@v2.
    std::vector<std::string> renamed_from;
    // Why the history could not be followed further back, when an older
    // version cannot be read in this form (it fails today's validation, or a
    // base it was resolved with is gone); empty when every version was read.
    // Elements are then blamed on the oldest version that could be read.
    std::string history_stop;
};

// Blames `reference` of `workspace`: a working-tree NAME (or, when the working
// tree has no NAME, its latest version), `NAME@vN`, `NAME@latest` or
// `NAME@LABEL`. Each element is compared, in `form`, with the versions before
// it, newest first, following a rename into the old name's versions.
// A `curated/` reference blames over the curated catalog's versions, named
// "curated/NAME@vN". Throws `Error(invalid_input)` for a commit reference or an
// invalid blamed definition; `Error(not_found)` when the reference names nothing;
// `Error(repository)` when a version on the way was tampered with.
Blame blame(const Workspace& workspace, const Reference& reference, BlameForm form);

} // namespace envstore
