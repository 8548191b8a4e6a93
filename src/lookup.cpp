#include "records.hpp"
#include "workspace_impl.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

// What exists for `name`, for "unknown reference" messages.
std::string describe_existing(const Workspace& workspace, std::string_view name)
{
    int latest = latest_version(workspace, name).value_or(0);
    std::map<std::string, int> labels = current_labels(workspace, name);
    std::string versions = latest == 0   ? "no versions"
                           : latest == 1 ? "version v1"
                                         : fmt::format("versions v1 to v{}", latest);
    if (labels.empty()) {
        return fmt::format("\"{}\" has {} and no labels", name, versions);
    }
    std::vector<std::string> names;
    for (const auto& [label, version] : labels) {
        names.push_back(fmt::format("{} (v{})", label, version));
    }
    return fmt::format("\"{}\" has {} and labels {}", name, versions, fmt::join(names, ", "));
}

[[noreturn]] void throw_unknown(const Workspace& workspace, const Reference& reference)
{
    throw Error(ErrorCode::not_found,
                fmt::format("unknown reference \"{}\"", reference.to_string()),
                describe_existing(workspace, reference.name));
}

StoredDefinition from_version(const Workspace& workspace, const Reference& reference, int number)
{
    StoredDefinition stored;
    stored.reference = reference;
    try {
        stored.version = lookup_version(workspace, reference.name, number);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::not_found) {
            throw;
        }
        throw_unknown(workspace, reference);
    }
    stored.commit = stored.version->commit;
    stored.path = Workspace::definition_path(reference.name);
    stored.text = git::read_blob(workspace.impl().repo(),
                                 git::from_hex(stored.version->files.at(k_definition_file)));
    return stored;
}

StoredDefinition from_commit(const Workspace& workspace, const Reference& reference)
{
    git_repository* repository = workspace.impl().repo();
    git_oid prefix;
    git::check(git_oid_fromstrn(&prefix, reference.value.c_str(), reference.value.size()),
               "invalid commit id");
    git_object* raw = nullptr;
    int result = git_object_lookup_prefix(
        &raw, repository, &prefix, reference.value.size(), GIT_OBJECT_COMMIT);
    if (result == GIT_ENOTFOUND) {
        throw_unknown(workspace, reference);
    }
    git::check(result, fmt::format("cannot look up commit \"{}\"", reference.value));
    git::Object commit(raw);
    git::Tree tree = commit_tree(reinterpret_cast<const git_commit*>(commit.get()));

    StoredDefinition stored;
    stored.reference = reference;
    stored.commit = git::to_hex(*git_object_id(commit.get()));
    stored.path = Workspace::definition_path(reference.name);
    auto blob = git::tree_blob_id(tree.get(), stored.path);
    if (!blob) {
        throw Error(
            ErrorCode::not_found,
            fmt::format("commit {} has no \"{}\"", stored.commit.substr(0, 12), stored.path));
    }
    stored.text = git::read_blob(repository, *blob);
    return stored;
}

} // namespace

StoredDefinition resolve_reference(const Workspace& workspace, const Reference& reference)
{
    if (reference.curated) {
        return resolve_curated_reference(reference);
    }
    switch (reference.kind) {
    case ReferenceKind::working_tree: {
        StoredDefinition stored;
        stored.reference = reference;
        stored.path = Workspace::definition_path(reference.name);
        stored.text = workspace.read_working_tree_definition(reference.name);
        return stored;
    }
    case ReferenceKind::version: return from_version(workspace, reference, reference.version);
    case ReferenceKind::latest: {
        auto latest = latest_version(workspace, reference.name);
        if (!latest) {
            throw_unknown(workspace, reference);
        }
        return from_version(workspace, reference, *latest);
    }
    case ReferenceKind::commit: return from_commit(workspace, reference);
    case ReferenceKind::label: {
        auto labels = current_labels(workspace, reference.name);
        auto found = labels.find(reference.value);
        if (found == labels.end()) {
            throw_unknown(workspace, reference);
        }
        return from_version(workspace, reference, found->second);
    }
    }
    throw Error(ErrorCode::internal, "unknown reference kind");
}

} // namespace envstore
