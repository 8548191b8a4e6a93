// Comparing every environment between two revisions of the workspace, read
// from the revisions' trees.

#include "diff_compare.hpp"
#include "workspace_impl.hpp"

#include "envstore/diff.hpp"

#include <fmt/format.h>

#include <set>

namespace envstore {
namespace {

struct Revision
{
    std::string text; // as given
    std::string commit;
    git::Tree tree;
};

Revision read_revision(git_repository* repository, std::string_view text)
{
    std::string spec(text);
    git_object* raw = nullptr;
    int result = git_revparse_single(&raw, repository, spec.c_str());
    if (result == GIT_ENOTFOUND) {
        throw Error(ErrorCode::not_found,
                    fmt::format("unknown revision \"{}\"", text),
                    "name a commit, branch or tag of the workspace");
    }
    if (result == GIT_EINVALIDSPEC) {
        throw Error(ErrorCode::invalid_input, fmt::format("invalid revision \"{}\"", text));
    }
    git::check(result, fmt::format("cannot read revision \"{}\"", text));
    git::Object object(raw);

    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) < 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("revision \"{}\" is not a commit", text));
    }
    git::Object commit(peeled);
    return {spec,
            git::to_hex(*git_object_id(commit.get())),
            commit_tree(reinterpret_cast<const git_commit*>(commit.get()))};
}

// NAME -> blob id of environments/NAME/environment.yaml in `tree`.
std::map<std::string, git_oid> definition_blobs(git_repository* repository, git_tree* tree)
{
    std::map<std::string, git_oid> blobs;
    git_tree_entry* raw = nullptr;
    if (git_tree_entry_bypath(&raw, tree, k_environments_dir) < 0) {
        return blobs;
    }
    git::TreeEntry folder(raw);
    if (git_tree_entry_type(folder.get()) != GIT_OBJECT_TREE) {
        return blobs;
    }
    git_tree* raw_tree = nullptr;
    git::check(git_tree_lookup(&raw_tree, repository, git_tree_entry_id(folder.get())),
               "cannot read the environments folder");
    git::Tree environments(raw_tree);

    for (std::size_t i = 0; i < git_tree_entrycount(environments.get()); ++i) {
        const git_tree_entry* entry = git_tree_entry_byindex(environments.get(), i);
        std::string name = git_tree_entry_name(entry);
        if (auto blob = git::tree_blob_id(tree, Workspace::definition_path(name))) {
            blobs[name] = *blob;
        }
    }
    return blobs;
}

// One side of an environment at a revision.
Side read_at(const Workspace& workspace,
             const Revision& revision,
             const std::string& name,
             const git_oid& blob)
{
    Reference reference{name, ReferenceKind::commit, 0, revision.commit, false};
    std::string path = fmt::format("{}:{}", revision.text, Workspace::definition_path(name));
    std::string text = git::read_blob(workspace.impl().repo(), blob);
    return {
        reference, fmt::format("{} at {}", name, revision.text), load_definition(text, path, name)};
}

// An environment on one side only: everything in it added or removed.
EnvironmentDiff
one_sided(const Workspace& workspace, const Side& side, EnvironmentStatus status, DiffMode mode)
{
    Definition definition = mode == DiffMode::resolved
                                ? resolve(workspace, side.reference).definition
                                : side.definition;
    EnvironmentDiff diff;
    diff.name = side.reference.name;
    diff.status = status;
    if (status == EnvironmentStatus::added) {
        diff.after = side.label;
        diff.changes = diff_definitions(Definition{}, definition);
    } else {
        diff.before = side.label;
        diff.changes = diff_definitions(definition, Definition{});
    }
    return diff;
}

// Both revisions with the definitions each holds.
struct Revisions
{
    const Workspace& workspace;
    Revision old_revision;
    Revision new_revision;
    std::map<std::string, git_oid> old_blobs;
    std::map<std::string, git_oid> new_blobs;

    EnvironmentDiff compare(const std::string& name, DiffMode mode) const
    {
        auto old_blob = old_blobs.find(name);
        auto new_blob = new_blobs.find(name);
        if (old_blob == old_blobs.end()) {
            Side side = read_at(workspace, new_revision, name, new_blob->second);
            return one_sided(workspace, side, EnvironmentStatus::added, mode);
        }
        if (new_blob == new_blobs.end()) {
            Side side = read_at(workspace, old_revision, name, old_blob->second);
            return one_sided(workspace, side, EnvironmentStatus::removed, mode);
        }

        // The same file can still resolve differently when it has a base.
        Side old_side = read_at(workspace, old_revision, name, old_blob->second);
        if (git_oid_equal(&old_blob->second, &new_blob->second) && !old_side.definition.extends) {
            return {};
        }
        Side new_side = read_at(workspace, new_revision, name, new_blob->second);
        return compare_sides(workspace, old_side, new_side, mode);
    }
};

} // namespace

std::pair<std::string, std::string> parse_revision_range(std::string_view range)
{
    std::size_t dots = range.find("..");
    if (dots == std::string_view::npos || range.find("...") != std::string_view::npos) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid revision range \"{}\"", range),
                    "write A..B: two commits, branches or tags");
    }
    std::string from(range.substr(0, dots));
    std::string to(range.substr(dots + 2));
    return {from.empty() ? "HEAD" : from, to.empty() ? "HEAD" : to};
}

DiffReport diff_revisions(const Workspace& workspace,
                          std::string_view from,
                          std::string_view to,
                          DiffMode mode)
{
    git_repository* repository = workspace.impl().repo();
    Revision old_revision = read_revision(repository, from);
    Revision new_revision = read_revision(repository, to);
    auto old_blobs = definition_blobs(repository, old_revision.tree.get());
    auto new_blobs = definition_blobs(repository, new_revision.tree.get());
    Revisions revisions{workspace,
                        std::move(old_revision),
                        std::move(new_revision),
                        std::move(old_blobs),
                        std::move(new_blobs)};

    DiffReport report{DiffScope::revisions,
                      mode,
                      revisions.old_revision.text,
                      revisions.new_revision.text,
                      revisions.old_revision.commit,
                      revisions.new_revision.commit,
                      {}};
    std::set<std::string> names;
    for (const auto& blobs : {&revisions.old_blobs, &revisions.new_blobs}) {
        for (const auto& entry : *blobs) {
            names.insert(entry.first);
        }
    }
    for (const auto& name : names) {
        EnvironmentDiff diff = revisions.compare(name, mode);
        if (diff.status != EnvironmentStatus::unchanged) {
            report.environments.push_back(std::move(diff));
        }
    }
    return report;
}

} // namespace envstore
