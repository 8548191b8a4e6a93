#include "commit_builder.hpp"
#include "records.hpp"
#include "workspace_impl.hpp"

#include "envstore/canonical.hpp"
#include "envstore/policy.hpp"
#include "envstore/resolve.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <set>

namespace envstore {
namespace {

constexpr int k_max_tag_attempts = 200;

std::string default_tag_message(std::string_view name, int version)
{
    return fmt::format("{} v{}", name, version);
}

// What the version's `extends` chain means today, to be recorded with it.
struct Chain
{
    std::vector<RecordedBase> bases;
    std::string resolved_digest; // empty without a chain
};

// Resolves the definition as committed in `commit`, which also proves that
// every base exists and every removal applies before a version is made.
Chain resolve_chain(const Workspace& workspace, std::string_view name, const std::string& commit)
{
    Reference reference{std::string(name), ReferenceKind::commit, 0, commit};
    ResolvedDefinition resolved = resolve(workspace, reference);
    Chain chain;
    for (const BaseUse& base : resolved.bases) {
        chain.bases.push_back({base.requested, base.resolved});
    }
    if (!chain.bases.empty()) {
        chain.resolved_digest = resolved.digest;
    }
    return chain;
}

Trailers version_trailers(std::string_view name,
                          int number,
                          const std::string& digest,
                          const std::map<std::string, git_oid>& files,
                          const std::string& origin,
                          const Chain& chain)
{
    Trailers trailers{{"Environment", std::string(name)},
                      {"Version", std::to_string(number)},
                      {"Canonical", std::to_string(k_canonical_version)},
                      {"Digest", digest}};
    for (const auto& [path, id] : files) {
        trailers.emplace_back("File", fmt::format("{} {}", path, git::to_hex(id)));
    }
    if (!origin.empty()) {
        trailers.emplace_back("Origin", origin);
    }
    for (const RecordedBase& base : chain.bases) {
        trailers.emplace_back("Base", fmt::format("{} {}", base.requested, base.resolved));
    }
    if (!chain.resolved_digest.empty()) {
        trailers.emplace_back("Resolved-Digest", chain.resolved_digest);
    }
    return trailers;
}

// Refuses, before anything is written, to version an environment whose
// numbering has a gap (see check_dense_numbering).
void check_numbering_before_commit(const Workspace& workspace,
                                   const std::vector<std::string>& names)
{
    for (const auto& name : names) {
        int latest = latest_version(workspace, name).value_or(0);
        check_dense_numbering(workspace.impl().repo(), tag_ref(fmt::format("{}@v", name)), latest);
    }
}

// Validates every named definition of the working tree, reporting all
// problems of all of them at once, and returns their folders.
std::vector<FolderChange> read_valid_folders(const Workspace& workspace,
                                             const std::vector<std::string>& names)
{
    std::vector<FolderChange> changes;
    std::vector<Diagnostic> problems;
    int invalid = 0;
    for (const auto& name : names) {
        FolderChange change{name, workspace.read_working_tree_folder(name)};
        ParseResult parsed = parse_definition(
            change.files.at(k_definition_file), Workspace::definition_path(name), name);
        invalid += parsed.errors.empty() ? 0 : 1;
        problems.insert(problems.end(), parsed.errors.begin(), parsed.errors.end());
        changes.push_back(std::move(change));
    }
    if (!problems.empty()) {
        // Worded before `problems` is moved: argument order is unspecified.
        std::string message = fmt::format("{} invalid: nothing was written",
                                          invalid == 1 ? "a definition is" : "definitions are");
        throw Error(ErrorCode::invalid_input, message, std::move(problems));
    }
    return changes;
}

// The chain of each definition to register must resolve, before anything is
// written. A base named without `@` will be read at the new commit, so it
// must go into that commit as it is in the working tree: registered with the
// child, or already committed unchanged.
void check_chains_before_commit(const Workspace& workspace, const std::vector<std::string>& names)
{
    std::set<std::string> selected(names.begin(), names.end());
    for (const auto& name : names) {
        resolve(workspace, parse_reference(name));
        std::string child = name;
        std::set<std::string> seen{child};
        for (;;) {
            Definition definition = load_definition(workspace.read_working_tree_definition(child),
                                                    Workspace::definition_path(child),
                                                    child);
            if (!definition.extends) {
                break;
            }
            Reference base = parse_reference(*definition.extends);
            if (base.kind != ReferenceKind::working_tree || base.curated ||
                !seen.insert(base.name).second) {
                break;
            }
            if (!selected.contains(base.name) && has_uncommitted_changes(workspace, base.name)) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("\"{}\" extends \"{}\", whose changes are not committed: "
                                        "nothing was written",
                                        child,
                                        base.name),
                            fmt::format("register both (envstore register {} {}), or extend a "
                                        "version: {}@vN",
                                        name,
                                        base.name,
                                        base.name));
            }
            child = base.name;
        }
    }
}

} // namespace

bool same_as_version(const Workspace& workspace,
                     const VersionInfo& version,
                     const std::map<std::string, git_oid>& files,
                     const Definition& definition)
{
    std::map<std::string, git_oid> recorded;
    for (const auto& [path, hex] : version.files) {
        recorded[path] = git::from_hex(hex);
    }
    if (git::same_ids(recorded, files)) {
        return true;
    }
    // Only the definition may differ, and only in what the canonical form drops
    // (comments, layout, quoting, order where order means nothing).
    recorded.erase(k_definition_file);
    auto others = files;
    others.erase(k_definition_file);
    if (!git::same_ids(recorded, others)) {
        return false;
    }
    std::string text =
        git::read_blob(workspace.impl().repo(), git::from_hex(version.files.at(k_definition_file)));
    ParseResult old =
        parse_definition(text, Workspace::definition_path(version.name), version.name);
    return old.definition && canonical_json(*old.definition) == canonical_json(definition);
}

TagResult tag_commit(const Workspace& workspace,
                     std::string_view name,
                     const std::string& commit,
                     const std::string& message,
                     const std::string& origin)
{
    git_repository* repository = workspace.impl().repo();
    git_oid commit_id = git::from_hex(commit);
    git_object* raw_commit = nullptr;
    git::check(git_object_lookup(&raw_commit, repository, &commit_id, GIT_OBJECT_COMMIT),
               "cannot read the commit to tag");
    git::Object commit_object(raw_commit);
    git::Tree tree = commit_tree(reinterpret_cast<const git_commit*>(commit_object.get()));
    auto files = folder_blob_ids(repository, tree.get(), name);
    if (!files.contains(k_definition_file)) {
        throw Error(ErrorCode::not_found,
                    fmt::format("\"{}\" is not committed: no {} in commit {}",
                                name,
                                Workspace::definition_path(name),
                                commit.substr(0, 12)),
                    fmt::format("run envstore register {} to commit and version it", name));
    }
    std::string text = git::read_blob(repository, files.at(k_definition_file));
    Definition definition = load_definition(text, Workspace::definition_path(name), name);
    std::string digest = definition_digest(definition);
    Chain chain = resolve_chain(workspace, name, commit);
    git::Signature tagger = git::default_signature(repository);

    for (int attempt = 0; attempt < k_max_tag_attempts; ++attempt) {
        int latest = latest_version(workspace, name).value_or(0);
        TagResult result{
            std::string(name), latest, false, version_tag_name(name, latest), commit, digest};
        if (latest > 0) {
            VersionInfo current = lookup_version(workspace, name, latest);
            // A new base behind `base@latest` or a label makes a new version too.
            if (same_as_version(workspace, current, files, definition) &&
                current.bases == chain.bases) {
                result.commit = current.commit;
                return result;
            }
        }

        if (check_dense_numbering(repository, tag_ref(fmt::format("{}@v", name)), latest) ==
            Numbering::moved_on) {
            continue;
        }
        result.version = latest + 1;
        result.tag_name = version_tag_name(name, result.version);
        std::string summary = message.empty() ? default_tag_message(name, result.version) : message;
        std::string tag_message = format_record_message(
            summary, version_trailers(name, result.version, digest, files, origin, chain));
        if (create_tag_if_absent(
                repository, result.tag_name, commit_object.get(), tagger.get(), tag_message)) {
            result.created = true;
            return result;
        }
    }
    throw Error(ErrorCode::conflict,
                fmt::format("could not take a version number for \"{}\": too many concurrent "
                            "writers",
                            name),
                "retry");
}

CommitResult commit_definitions(const Workspace& workspace,
                                const std::vector<std::string>& names,
                                const std::string& message)
{
    std::vector<std::string> selected = names.empty() ? workspace.working_tree_names() : names;
    std::vector<FolderChange> changes = read_valid_folders(workspace, selected);
    enforce_policy(workspace, selected);
    BuiltCommit built = commit_changes(workspace, changes, message);
    if (!built.created) {
        return {};
    }
    return {built.commit, built.names};
}

TagResult tag_version(const Workspace& workspace, std::string_view name, const std::string& message)
{
    git::Commit head = head_commit(workspace);
    std::string commit = git::to_hex(*git_commit_id(head.get()));
    enforce_policy(workspace,
                   {Reference{std::string(name), ReferenceKind::commit, 0, commit, false}});
    return tag_commit(workspace, name, commit, message);
}

std::vector<TagResult> register_snapshots(const Workspace& workspace,
                                          const std::vector<Snapshot>& snapshots,
                                          const std::string& message)
{
    std::vector<FolderChange> changes;
    std::vector<std::string> names;
    for (const auto& snapshot : snapshots) {
        auto definition = snapshot.files.find(k_definition_file);
        if (definition == snapshot.files.end()) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("snapshot of \"{}\" has no {}", snapshot.name, k_definition_file));
        }
        load_definition(
            definition->second, Workspace::definition_path(snapshot.name), snapshot.name);
        changes.push_back({snapshot.name, snapshot.files});
        names.push_back(snapshot.name);
    }
    check_numbering_before_commit(workspace, names);
    BuiltCommit built = commit_changes(workspace, changes, message);
    std::vector<TagResult> results;
    for (const auto& name : names) {
        results.push_back(tag_commit(workspace, name, built.commit, message));
    }
    return results;
}

std::vector<TagResult> register_definitions(const Workspace& workspace,
                                            const std::vector<std::string>& names,
                                            const std::string& message)
{
    std::vector<std::string> selected = names.empty() ? workspace.working_tree_names() : names;
    std::vector<FolderChange> changes = read_valid_folders(workspace, selected);
    enforce_policy(workspace, selected);
    check_numbering_before_commit(workspace, selected);
    check_chains_before_commit(workspace, selected);
    BuiltCommit built = commit_changes(workspace, changes, message);
    std::vector<TagResult> results;
    for (const auto& name : selected) {
        results.push_back(tag_commit(workspace, name, built.commit, message));
    }
    return results;
}

} // namespace envstore
