#pragma once

// Versions, labels and archive records of environments.
//
// A version is an annotated tag `NAME@vN` on the commit holding that
// definition, numbered densely from 1. Its message ends in Git trailers
// (docs/versions.md) recording the canonical-form version, the digest, and the
// blob id of each file of the definition. Labels and archive records are
// append-only annotated tags `NAME#LABEL#N`; the highest N is current.
//
// Reading functions given a name written `curated/NAME`, or a `curated/`
// reference, read the curated catalog (envstore/curated.hpp) instead of
// `workspace`.

#include "envstore/reference.hpp"
#include "envstore/workspace.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envstore {

struct Signature
{
    std::string name;
    std::string email;
    std::int64_t time = 0;  // seconds since the epoch
    int offset_minutes = 0; // time zone offset
};

// One step of a version's `extends` chain, as recorded when it was
// registered: the reference written in `extends` and the concrete one it
// meant then ("base@latest" -> "base@v4"; a base named without `@` -> the
// base at the version's own commit, "base@<commit>").
struct RecordedBase
{
    std::string requested;
    std::string resolved;

    friend bool operator==(const RecordedBase&, const RecordedBase&) = default;
};

struct VersionInfo
{
    std::string name;
    int number = 0;
    std::string tag_name; // "NAME@vN"
    std::string tag_id;   // the annotated tag object
    std::string commit;   // the commit it points at
    std::string message;  // the user's message, trailers removed
    std::string digest;   // "sha256:..."
    int canonical_version = 0;
    std::map<std::string, std::string> files; // path in folder -> blob id
    std::string origin;                       // "OLD@vN" when the environment was renamed from OLD
    std::vector<RecordedBase> bases;          // the extends chain, nearest base first
    std::string resolved_digest;              // with a chain: the resolved definition's digest
    Signature tagger;
};

// What a reference points at, with the definition's bytes.
struct StoredDefinition
{
    Reference reference;
    std::optional<VersionInfo> version; // set for versions, latest and labels
    std::string commit;                 // empty for the working tree
    std::string path;                   // "environments/NAME/environment.yaml"
    std::string text;                   // the bytes, exactly as stored
};

// The number of NAME's newest version, or std::nullopt when it has none.
// Cost grows with the logarithm of the number of versions.
std::optional<int> latest_version(const Workspace& workspace, std::string_view name);

// Reads and verifies version `number` of `name`. Throws `Error(not_found)` if
// it does not exist, `Error(repository)` naming what differs if its tag or
// content was changed by other means (tampered).
VersionInfo lookup_version(const Workspace& workspace, std::string_view name, int number);

// Every version of `name`, newest first, each verified as `lookup_version` does.
std::vector<VersionInfo> list_versions(const Workspace& workspace, std::string_view name);

// Turns `reference` into the definition it names. Throws `Error(not_found)`
// listing the versions and labels that exist when it names nothing.
StoredDefinition resolve_reference(const Workspace& workspace, const Reference& reference);

// --- Writing ------------------------------------------------------------------

enum class DefinitionState { unversioned, changed, unchanged };

std::string_view name_of(DefinitionState state);

struct StatusEntry
{
    std::string name;
    DefinitionState state = DefinitionState::unversioned; // working tree vs latest version
    std::optional<int> latest;
    bool uncommitted = false; // the working tree differs from the last commit
    bool valid = true;
    std::vector<Diagnostic> errors;
};

// The state of every definition in the working tree, sorted by name.
std::vector<StatusEntry> status(const Workspace& workspace);

// True when NAME's folder in the working tree differs from the last commit
// (as `git add` would store it). False when the working tree has no NAME.
bool has_uncommitted_changes(const Workspace& workspace, std::string_view name);

// One environment's folder to commit, as it should be in the tree.
struct Snapshot
{
    std::string name;
    FolderFiles files; // must hold "environment.yaml"
};

struct CommitResult
{
    std::string commit;             // empty when nothing changed
    std::vector<std::string> names; // the environments the commit changed
};

// Validates the named definitions (all that changed when `names` is empty) and
// commits the ones that differ from HEAD in one commit. Throws
// `Error(invalid_input)` with every diagnostic when one is invalid, before
// anything is written; `Error(conflict)` when the workspace lock stays held.
CommitResult commit_definitions(const Workspace& workspace,
                                const std::vector<std::string>& names,
                                const std::string& message);

struct TagResult
{
    std::string name;
    int version = 0;      // the new version, or the latest one when unchanged
    bool created = false; // false: unchanged since `version`, nothing made
    std::string tag_name;
    std::string commit;
    std::string digest;
};

// Makes the next version of `name` from HEAD's committed definition, unless
// it equals the latest version. Race-safe against other writers: a lost race
// retries with the next number.
TagResult
tag_version(const Workspace& workspace, std::string_view name, const std::string& message);

// Commit and tag: one commit for all changed definitions, one version each.
std::vector<TagResult> register_definitions(const Workspace& workspace,
                                            const std::vector<std::string>& names,
                                            const std::string& message);

// Commits `snapshots` (not the working tree) and tags each. Used by tools that
// produce definitions themselves. The index is updated; the working tree not.
std::vector<TagResult> register_snapshots(const Workspace& workspace,
                                          const std::vector<Snapshot>& snapshots,
                                          const std::string& message);

// --- Labels and archive records -------------------------------------------------

struct LabelEvent
{
    std::string name;
    std::string label;
    int sequence = 0;           // N in NAME#LABEL#N
    std::optional<int> version; // std::nullopt: the label was deleted
    Signature tagger;
    std::string message;
};

// Points `label` of the reference's environment at the version `reference`
// names. Throws `Error(invalid_input)` for a bad label name.
LabelEvent
set_label(const Workspace& workspace, const Reference& reference, std::string_view label);
// Removes `label` from `name`. Throws `Error(not_found)` when it is not set.
LabelEvent delete_label(const Workspace& workspace, std::string_view name, std::string_view label);
// The current labels of `name`: label -> version.
std::map<std::string, int> current_labels(const Workspace& workspace, std::string_view name);
// Every assignment of every label of `name`, oldest first.
std::vector<LabelEvent> label_history(const Workspace& workspace, std::string_view name);

struct ArchiveState
{
    bool archived = false;
    std::string renamed_to; // set when archived by a rename
};

ArchiveState archive_state(const Workspace& workspace, std::string_view name);
void archive_environment(const Workspace& workspace, std::string_view name);
void restore_environment(const Workspace& workspace, std::string_view name);

// Renames OLD to NEW: moves the folder, sets `name:`, commits, registers
// NEW@v1 with OLD's latest version recorded as its origin, and archives OLD
// with a pointer to NEW (when OLD has versions; otherwise nothing is left of it).
TagResult rename_environment(const Workspace& workspace,
                             std::string_view old_name,
                             std::string_view new_name);

// --- Listing -------------------------------------------------------------------

struct EnvironmentSummary
{
    std::string name;
    std::optional<int> latest;
    std::map<std::string, int> labels;
    std::string description;
    bool archived = false;
    std::string renamed_to;
    bool in_working_tree = false;
};

enum class IncludeArchived { no, yes };

// Every environment with a version or a definition in the working tree, sorted
// by name; archived ones only with `IncludeArchived::yes`.
std::vector<EnvironmentSummary> list_environments(const Workspace& workspace,
                                                  IncludeArchived include_archived);

} // namespace envstore
