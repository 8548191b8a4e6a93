#include "envstore/versions.hpp"

#include "records.hpp"
#include "workspace_impl.hpp"

#include "envstore/canonical.hpp"
#include "envstore/curated.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

[[noreturn]] void throw_tampered(std::string_view tag_name, const std::string& what)
{
    throw Error(
        ErrorCode::repository,
        fmt::format("version \"{}\" was changed outside envstore (tampered): {}", tag_name, what),
        "envstore never moves or rewrites a version tag; fetch the original from a "
        "clone that has it, or ask who changed it");
}

std::map<std::string, std::string> recorded_files(const Trailers& trailers)
{
    std::map<std::string, std::string> files;
    for (const auto& [key, value] : trailers) {
        auto space = value.rfind(' ');
        if (key == "File" && space != std::string::npos) {
            files[value.substr(0, space)] = value.substr(space + 1);
        }
    }
    return files;
}

// `Envstore-Base: REQUESTED RESOLVED`, one per step of the chain, in order.
std::vector<RecordedBase> recorded_bases(std::string_view tag_name, const Trailers& trailers)
{
    std::vector<RecordedBase> bases;
    for (const auto& [key, value] : trailers) {
        if (key != "Base") {
            continue;
        }
        auto space = value.find(' ');
        if (space == std::string::npos || value.find(' ', space + 1) != std::string::npos) {
            throw_tampered(tag_name, fmt::format("its record has a malformed base \"{}\"", value));
        }
        bases.push_back({value.substr(0, space), value.substr(space + 1)});
    }
    return bases;
}

void compare_files(std::string_view tag_name,
                   const std::map<std::string, std::string>& recorded,
                   const std::map<std::string, git_oid>& actual)
{
    for (const auto& [path, id] : recorded) {
        auto found = actual.find(path);
        if (found == actual.end()) {
            throw_tampered(tag_name, fmt::format("file \"{}\" is missing from its commit", path));
        }
        if (git::to_hex(found->second) != id) {
            throw_tampered(tag_name,
                           fmt::format("file \"{}\" is {} in its commit, recorded as {}",
                                       path,
                                       git::to_hex(found->second),
                                       id));
        }
    }
    for (const auto& [path, id] : actual) {
        if (!recorded.contains(path)) {
            throw_tampered(tag_name,
                           fmt::format("file \"{}\" in its commit was not recorded", path));
        }
    }
}

void check_digest(git_repository* repository, VersionInfo& info, const git_oid& definition_blob)
{
    if (info.canonical_version != k_canonical_version) {
        return; // digests of another canonical version cannot be recomputed by this release
    }
    std::string text = git::read_blob(repository, definition_blob);
    ParseResult parsed = parse_definition(text, Workspace::definition_path(info.name), info.name);
    if (!parsed.definition) {
        return; // valid when registered; a later rule change must not hide the version
    }
    std::string digest = definition_digest(*parsed.definition);
    if (digest != info.digest) {
        throw_tampered(
            info.tag_name,
            fmt::format("its definition's digest is {}, recorded as {}", digest, info.digest));
    }
}

} // namespace

std::map<std::string, git_oid>
folder_blob_ids(git_repository* repository, git_tree* tree, std::string_view name)
{
    std::map<std::string, git_oid> files;
    git_tree_entry* raw_entry = nullptr;
    std::string folder = Workspace::folder_path(name);
    if (git_tree_entry_bypath(&raw_entry, tree, folder.c_str()) != 0) {
        return files;
    }
    git::TreeEntry entry(raw_entry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
        return files;
    }
    git_tree* raw_subtree = nullptr;
    git::check(git_tree_lookup(&raw_subtree, repository, git_tree_entry_id(entry.get())),
               fmt::format("cannot read \"{}\"", folder));
    git::Tree subtree(raw_subtree);
    git_tree_walk(
        subtree.get(),
        GIT_TREEWALK_PRE,
        [](const char* root, const git_tree_entry* item, void* payload) {
        if (git_tree_entry_type(item) == GIT_OBJECT_BLOB) {
            auto& out = *static_cast<std::map<std::string, git_oid>*>(payload);
            out[std::string(root) + git_tree_entry_name(item)] = *git_tree_entry_id(item);
        }
        return 0;
        },
        &files);
    return files;
}

git::Commit head_commit(const Workspace& workspace)
{
    git_oid id;
    int result = git_reference_name_to_id(&id, workspace.impl().repo(), "HEAD");
    if (result == GIT_ENOTFOUND || result == GIT_EUNBORNBRANCH) {
        throw Error(ErrorCode::repository,
                    "the workspace has no commit yet",
                    "run envstore init, or make a first commit");
    }
    git::check(result, "cannot read HEAD");
    git_commit* raw = nullptr;
    git::check(git_commit_lookup(&raw, workspace.impl().repo(), &id), "cannot read HEAD's commit");
    return git::Commit(raw);
}

git::Tree commit_tree(const git_commit* commit)
{
    git_tree* raw = nullptr;
    git::check(git_commit_tree(&raw, commit), "cannot read a commit's tree");
    return git::Tree(raw);
}

std::optional<int> latest_version(const Workspace& workspace, std::string_view name)
{
    if (name.starts_with(k_curated_prefix)) {
        return latest_version(open_curated_catalog(), name.substr(k_curated_prefix.size()));
    }
    int highest = highest_dense_number(workspace.impl().repo(),
                                       [&](int n) { return tag_ref(version_tag_name(name, n)); });
    return highest == 0 ? std::nullopt : std::optional<int>(highest);
}

VersionInfo lookup_version(const Workspace& workspace, std::string_view name, int number)
{
    if (name.starts_with(k_curated_prefix)) {
        return lookup_version(open_curated_catalog(), name.substr(k_curated_prefix.size()), number);
    }
    git_repository* repository = workspace.impl().repo();
    VersionInfo info;
    info.name = std::string(name);
    info.number = number;
    info.tag_name = version_tag_name(name, number);
    auto id = git::lookup_reference_id(repository, tag_ref(info.tag_name));
    if (!id) {
        throw Error(ErrorCode::not_found, fmt::format("no version \"{}\"", info.tag_name));
    }

    git_tag* raw_tag = nullptr;
    if (git_tag_lookup(&raw_tag, repository, &*id) != 0) {
        throw_tampered(info.tag_name, "it is not an annotated tag");
    }
    git::Tag tag(raw_tag);
    info.tag_id = git::to_hex(*id);
    if (info.tag_name != git_tag_name(tag.get())) {
        throw_tampered(info.tag_name,
                       fmt::format("its tag object is named \"{}\"", git_tag_name(tag.get())));
    }
    auto [text, trailers] = parse_record_message(git_tag_message(tag.get()));
    info.message = text;
    info.digest = trailer_value(trailers, "Digest");
    info.canonical_version = std::atoi(trailer_value(trailers, "Canonical").c_str());
    info.origin = trailer_value(trailers, "Origin");
    info.bases = recorded_bases(info.tag_name, trailers);
    info.resolved_digest = trailer_value(trailers, "Resolved-Digest");
    info.tagger = to_signature(git_tag_tagger(tag.get()));
    if (trailers.empty()) {
        throw_tampered(info.tag_name, "its message holds no envstore record");
    }
    if (trailer_value(trailers, "Environment") != name ||
        trailer_value(trailers, "Version") != std::to_string(number)) {
        throw_tampered(info.tag_name, "its record names another environment or version");
    }
    info.files = recorded_files(trailers);
    if (!info.files.contains(k_definition_file)) {
        throw_tampered(info.tag_name, "its record lists no definition file");
    }

    if (git_tag_target_type(tag.get()) != GIT_OBJECT_COMMIT) {
        throw_tampered(info.tag_name, "it does not point at a commit");
    }
    info.commit = git::to_hex(*git_tag_target_id(tag.get()));
    git_commit* raw_commit = nullptr;
    git::check(git_commit_lookup(&raw_commit, repository, git_tag_target_id(tag.get())),
               fmt::format("cannot read the commit of \"{}\"", info.tag_name));
    git::Commit commit(raw_commit);
    git::Tree tree = commit_tree(commit.get());
    auto actual = folder_blob_ids(repository, tree.get(), name);
    compare_files(info.tag_name, info.files, actual);
    check_digest(repository, info, actual.at(k_definition_file));
    return info;
}

std::vector<VersionInfo> list_versions(const Workspace& workspace, std::string_view name)
{
    std::vector<VersionInfo> versions;
    for (int n = latest_version(workspace, name).value_or(0); n >= 1; --n) {
        versions.push_back(lookup_version(workspace, name, n));
    }
    return versions;
}

} // namespace envstore
