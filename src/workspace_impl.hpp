#pragma once

// The private state behind envstore::Workspace, shared by the library's
// sources that work on the repository.

#include "git/git.hpp"

#include "envstore/workspace.hpp"

#include <filesystem>

namespace envstore {

struct Workspace::Impl
{
    git::Repository repository;
    std::filesystem::path root;

    git_repository* repo() const { return repository.get(); }
};

// The commit HEAD points at. Throws Error(repository) when HEAD is unborn.
git::Commit head_commit(const Workspace& workspace);

// The tree of `commit`.
git::Tree commit_tree(const git_commit* commit);

// The blob ids of NAME's folder in `tree`: path in folder -> id. Empty when
// the folder does not exist there.
std::map<std::string, git_oid>
folder_blob_ids(git_repository* repository, git_tree* tree, std::string_view name);

} // namespace envstore
