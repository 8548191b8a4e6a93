#include "commit_builder.hpp"

#include "workspace_impl.hpp"
#include "write_lock.hpp"

#include "envstore/canonical.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

constexpr int k_max_attempts = 20;

struct Head
{
    std::string branch; // "refs/heads/main"
    git_oid id;
    git::Commit commit;
};

Head read_head(git_repository* repository)
{
    git_reference* raw = nullptr;
    int result = git_repository_head(&raw, repository);
    if (result == GIT_EUNBORNBRANCH || result == GIT_ENOTFOUND) {
        throw Error(ErrorCode::repository,
                    "the workspace has no commit yet",
                    "run envstore init, or make a first commit");
    }
    git::check(result, "cannot read HEAD");
    git::Reference head(raw);
    if (!git_reference_is_branch(head.get())) {
        throw Error(ErrorCode::invalid_input,
                    "HEAD is detached: envstore commits to a branch",
                    "check out a branch first, e.g. git switch main");
    }
    Head out;
    out.branch = git_reference_name(head.get());
    out.id = *git_reference_target(head.get());
    git_commit* raw_commit = nullptr;
    git::check(git_commit_lookup(&raw_commit, repository, &out.id), "cannot read HEAD's commit");
    out.commit.reset(raw_commit);
    return out;
}

void stage_change(git_repository* repository, git_index* index, const FolderChange& change)
{
    std::string folder = Workspace::folder_path(change.name);
    git::check(git_index_remove_directory(index, folder.c_str(), 0),
               fmt::format("cannot update \"{}\" in the index", folder));
    for (const auto& [path, bytes] : change.files) {
        git_index_entry entry{};
        std::string full_path = folder + "/" + path;
        entry.mode = GIT_FILEMODE_BLOB;
        entry.path = full_path.c_str();
        git::check(git_blob_create_from_buffer(&entry.id, repository, bytes.data(), bytes.size()),
                   fmt::format("cannot write \"{}\"", full_path));
        git::check(git_index_add(index, &entry), fmt::format("cannot stage \"{}\"", full_path));
    }
}

git_oid
build_tree(git_repository* repository, git_commit* parent, const std::vector<FolderChange>& changes)
{
    git_index* raw = nullptr;
    git::check(git_index_new(&raw), "cannot create an index");
    git::Index index(raw);
    git::Tree parent_tree = commit_tree(parent);
    git::check(git_index_read_tree(index.get(), parent_tree.get()), "cannot read HEAD's tree");
    for (const auto& change : changes) {
        stage_change(repository, index.get(), change);
    }
    git_oid tree_id;
    git::check(git_index_write_tree_to(&tree_id, index.get(), repository), "cannot write a tree");
    return tree_id;
}

std::vector<std::string> changed_names(git_repository* repository,
                                       git_commit* parent,
                                       const std::vector<FolderChange>& changes)
{
    git::Tree parent_tree = commit_tree(parent);
    std::vector<std::string> names;
    for (const auto& change : changes) {
        if (!git::same_ids(folder_blob_ids(repository, parent_tree.get(), change.name),
                           hash_files(change.files))) {
            names.push_back(change.name);
        }
    }
    return names;
}

void update_index(git_repository* repository, const std::vector<FolderChange>& changes)
{
    git_index* raw = nullptr;
    git::check(git_repository_index(&raw, repository), "cannot open the index");
    git::Index index(raw);
    git::check(git_index_read(index.get(), 1), "cannot read the index");
    for (const auto& change : changes) {
        stage_change(repository, index.get(), change);
    }
    git::check(git::retry_locked([&] { return git_index_write(index.get()); }),
               "cannot write the index");
}

// Names only the folders that changed, not every one that was looked at.
std::string default_message(const std::vector<std::string>& changed)
{
    return fmt::format("Update {}", fmt::join(changed, ", "));
}

} // namespace

FolderFiles
to_repository_form(git_repository* repository, std::string_view name, const FolderFiles& files)
{
    FolderFiles converted;
    for (const auto& [path, bytes] : files) {
        std::string full_path = Workspace::folder_path(name) + "/" + path;
        git_filter_list* raw = nullptr;
        git::check(git_filter_list_load(&raw,
                                        repository,
                                        nullptr,
                                        full_path.c_str(),
                                        GIT_FILTER_TO_ODB,
                                        GIT_FILTER_DEFAULT),
                   fmt::format("cannot read the attributes of \"{}\"", full_path));
        if (raw == nullptr) {
            converted[path] = bytes;
            continue;
        }
        git_buf out = GIT_BUF_INIT;
        int result = git_filter_list_apply_to_buffer(&out, raw, bytes.data(), bytes.size());
        git_filter_list_free(raw);
        git::check(result, fmt::format("cannot convert \"{}\"", full_path));
        converted[path] = std::string(out.ptr, out.size);
        git_buf_dispose(&out);
    }
    return converted;
}

std::map<std::string, git_oid> hash_files(const FolderFiles& files)
{
    std::map<std::string, git_oid> ids;
    for (const auto& [path, bytes] : files) {
        git::check(git_odb_hash(&ids[path], bytes.data(), bytes.size(), GIT_OBJECT_BLOB),
                   "cannot hash a file");
    }
    return ids;
}

BuiltCommit commit_changes(const Workspace& workspace,
                           const std::vector<FolderChange>& changes,
                           const std::string& message)
{
    git_repository* repository = workspace.impl().repo();
    git::Signature signature = git::default_signature(repository);
    std::vector<FolderChange> stored;
    for (const auto& change : changes) {
        stored.push_back({change.name, to_repository_form(repository, change.name, change.files)});
    }
    WriteLock lock(workspace.git_dir());

    for (int attempt = 0; attempt < k_max_attempts; ++attempt) {
        Head head = read_head(repository);
        BuiltCommit built;
        built.names = changed_names(repository, head.commit.get(), stored);
        built.commit = git::to_hex(head.id);
        if (built.names.empty()) {
            return built;
        }

        std::string text = message.empty() ? default_message(built.names) : message;
        git_oid tree_id = build_tree(repository, head.commit.get(), stored);
        git_tree* raw_tree = nullptr;
        git::check(git_tree_lookup(&raw_tree, repository, &tree_id), "cannot read the new tree");
        git::Tree tree(raw_tree);
        const git_commit* parents[] = {head.commit.get()};
        git_oid commit_id;
        git::check(git_commit_create(&commit_id,
                                     repository,
                                     nullptr,
                                     signature.get(),
                                     signature.get(),
                                     nullptr,
                                     text.c_str(),
                                     tree.get(),
                                     1,
                                     parents),
                   "cannot write the commit");

        // Move the branch only if nobody else (git, another tool) moved it meanwhile.
        git_reference* raw_ref = nullptr;
        std::string log_message = "envstore: " + text.substr(0, text.find('\n'));
        int result = git::retry_locked([&] {
            return git_reference_create_matching(&raw_ref,
                                                 repository,
                                                 head.branch.c_str(),
                                                 &commit_id,
                                                 1,
                                                 &head.id,
                                                 log_message.c_str());
        });
        if (result == GIT_EMODIFIED) {
            continue;
        }
        git::check(result, fmt::format("cannot update \"{}\"", head.branch));
        git_reference_free(raw_ref);

        update_index(repository, stored);
        built.commit = git::to_hex(commit_id);
        built.created = true;
        return built;
    }
    throw Error(ErrorCode::conflict, "the branch kept moving while envstore committed", "retry");
}

} // namespace envstore
