#pragma once

// Semantic differences between environment definitions: what changed as an
// environment, field by field, rather than as lines of text. The library
// computes them as data (`Change`, `EnvironmentDiff`, `DiffReport`) and renders
// them as text, JSON or markdown; docs/diff.md describes the output.

#include "envstore/definition.hpp"
#include "envstore/reference.hpp"
#include "envstore/workspace.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore {

// --- Comparing two definitions ---------------------------------------------------

enum class ChangeKind { added, removed, changed, reordered };

// "added", "removed", "changed", "reordered".
std::string_view name_of(ChangeKind kind);

// One difference between two definitions.
//
// `field` is the schema path of what changed ("python.version", "python.conda",
// "variables", "docker.registry.address", "x-owner"); `item` the entry of a list or
// mapping ("numpy", "OMP_NUM_THREADS", "conda-forge"), empty for a single-valued
// field and for `reordered`. Together they form the element key of
// envstore/resolve.hpp: `element_key(field, item)`.
//
// `before` and `after` are the values as the canonical form writes them
// (normalised specs, a variable's value, `true`/`false`); `before` is empty for
// `added`, `after` for `removed`. A variable set to null (removing an inherited
// one) has the value "null". For `reordered`, which only ordered lists have
// (`python.channels`, `python.pip_options`, `spark.repositories`), they hold the
// entries both sides share, each in its side's order, joined by ", ".
struct Change
{
    ChangeKind kind = ChangeKind::changed;
    std::string field;
    std::string item;
    std::optional<std::string> before;
    std::optional<std::string> after;

    // `element_key(field, item)`.
    std::string key() const;

    friend bool operator==(const Change&, const Change&) = default;
};

// Every difference from `before` to `after`, in the order of the canonical form's
// fields (docs/canonical-form.md), entries of one field sorted by item, a
// field's `reordered` last. Packages are matched by name as the canonical form
// normalises it (conda: lowercase; pip: PEP 503), apt packages by their name
// before any `:arch` or `=version`, Spark packages by `group:artifact`; so a new
// version is `changed`, not a removal and an addition. Defaults count as
// written (`runtime` absent equals `runtime: python`). A definition with an
// empty `name` stands for no definition at all: comparing with `Definition{}`
// lists every element, defaults included, as added or removed.
std::vector<Change> diff_definitions(const Definition& before, const Definition& after);

// The definition as one line per element of `definition_elements`, in the
// canonical form's field order: `key: value` (`python.conda/numpy: numpy>=1.26`,
// `python.channels: conda-forge, defaults` for an order), or the key alone for
// a list entry that is its own value (`platforms/linux-64`). Any line diff of
// two such texts reads as a semantic diff; the Git diff driver's textconv
// prints it (envstore/hooks.hpp).
std::string element_lines(const Definition& definition);

// --- Comparing environments ---------------------------------------------------------

enum class DiffMode {
    written, // the definitions as written, with a note when the bases changed
    resolved // the resolved definitions, inheritance applied
};

enum class EnvironmentStatus { added, removed, changed, unchanged };

// "added", "removed", "changed", "unchanged".
std::string_view name_of(EnvironmentStatus status);

// How the bases of an environment (its `extends` chain) differ between the two
// sides, as `resolve` used them: "base@v2" on one side, "base@v3" on the other.
struct BaseNote
{
    std::vector<std::string> before; // the chain, nearest base first
    std::vector<std::string> after;
    // True when the written definitions are equal and only what they inherit
    // differs; false when they differ too and the base changed as well.
    bool only_base = false;
};

// One environment compared.
struct EnvironmentDiff
{
    std::string name;
    EnvironmentStatus status = EnvironmentStatus::unchanged;
    std::string before; // what was read: "train@v2", "train (working tree)"; empty if added
    std::string after;  // empty if removed
    std::vector<Change> changes;
    // Set when the resolved definitions differ in their bases (DiffMode::written
    // only: with DiffMode::resolved the changes already include the bases').
    std::optional<BaseNote> base;
    // What could not be compared, e.g. a side that does not resolve, so the
    // bases were left out: "cannot resolve train@v1: unknown reference ...".
    std::vector<std::string> warnings;
};

enum class DiffScope {
    references, // two references: one environment
    revisions   // two revisions of the workspace: every environment
};

// The result of one `envstore diff`.
struct DiffReport
{
    DiffScope scope = DiffScope::references;
    DiffMode mode = DiffMode::written;
    std::string before; // the first side: a reference, or a revision as given
    std::string after;
    std::string before_commit; // the commits of the revisions (DiffScope::revisions)
    std::string after_commit;
    // The compared environments: for two references the one pair, equal or not;
    // for two revisions those that differ, sorted by name.
    std::vector<EnvironmentDiff> environments;

    // True when any environment is added, removed or changed.
    bool has_differences() const;
};

// Compares what two references name (any kinds, `curated/` ones included when
// the catalog is installed). Throws `Error(invalid_input)` for a definition that
// does not parse (with its diagnostics) and `Error(not_found)` for a reference
// that names nothing, as `resolve_reference` does; with DiffMode::resolved, also
// what `resolve` throws. With DiffMode::written a failure to resolve only adds a
// warning.
DiffReport diff_references(const Workspace& workspace,
                           const Reference& before,
                           const Reference& after,
                           DiffMode mode);

// Splits "A..B" into its two revisions; an empty side means HEAD, as in git.
// Throws `Error(invalid_input)` when `range` has no "..", or three dots.
std::pair<std::string, std::string> parse_revision_range(std::string_view range);

// Compares every environment of `environments/` between two revisions
// (commits, branches, tags, or anything `git rev-parse` reads as a commit),
// from their trees; the working tree plays no part. Throws `Error(not_found)`
// for a revision that names no commit, `Error(invalid_input)` for a definition
// that does not parse at either revision (its path given as `REV:path`).
DiffReport diff_revisions(const Workspace& workspace,
                          std::string_view from,
                          std::string_view to,
                          DiffMode mode);

// Compares two versions of a definition file, given as their bytes and their
// workspace-relative paths (different after a rename); std::nullopt for a side
// where the file does not exist. The sides are labelled "a/PATH" and "b/PATH"
// (or "/dev/null"), as git does. No workspace is read, so bases are not
// compared. This is what the Git diff driver shows. Throws
// `Error(invalid_input)` with the diagnostics of a side that is not a valid
// definition.
DiffReport diff_texts(std::string_view before_path,
                      const std::optional<std::string>& before,
                      std::string_view after_path,
                      const std::optional<std::string>& after);

// --- Rendering --------------------------------------------------------------------

// The meaning of a piece of rendered text, for colour.
enum class DiffTone { plain, heading, added, removed, changed, note };

// Turns a piece of text into what is printed: for colour, wraps it in the
// terminal's escapes for `tone`.
using DiffPainter = std::function<std::string(DiffTone tone, std::string_view text)>;

// The report as text for people, one line per change, grouped by environment
// and field, ending in a line end; "no differences\n" when there are none.
// `paint` colours pieces; by default nothing is coloured.
std::string render_text(const DiffReport& report, const DiffPainter& paint = {});

// The report as one JSON document (pretty, two spaces), starting with
// `"format": 1`. Keys are stable; docs/diff.md lists them.
std::string render_json(const DiffReport& report);

// The report as GitHub-flavoured markdown for a pull-request comment: a heading,
// then per environment a line saying what was compared and a table of changes.
std::string render_markdown(const DiffReport& report);

} // namespace envstore
