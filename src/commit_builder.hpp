#pragma once

// Writing definitions into the repository: one commit for a set of
// environment folders, made on the current branch by compare-and-swap under
// the workspace write lock, and the index updated to match.

#include "git/git.hpp"

#include "envstore/versions.hpp"

#include <string>
#include <vector>

namespace envstore {

// One folder change: `files` replaces the whole folder of `name`; an empty
// `files` removes it.
struct FolderChange
{
    std::string name;
    FolderFiles files;
};

struct BuiltCommit
{
    std::string commit; // the new commit, or HEAD when nothing changed
    bool created = false;
    std::vector<std::string> names; // the folders that differ from the parent
};

// Commits `changes` on top of the current branch with `message`, or when it
// is empty with "Update NAMES" naming the folders that changed. Nothing is
// written when the tree would not change.
BuiltCommit commit_changes(const Workspace& workspace,
                           const std::vector<FolderChange>& changes,
                           const std::string& message);

// `files` of NAME's folder as the repository stores them: the workspace's
// .gitattributes applied (init makes definitions LF there, whatever line ends
// the working tree has), exactly as `git add` would store them.
FolderFiles
to_repository_form(git_repository* repository, std::string_view name, const FolderFiles& files);

// The blob ids `files` would have, without writing them.
std::map<std::string, git_oid> hash_files(const FolderFiles& files);

// Makes the next version of `name` from `commit` unless it equals the latest
// version. `origin` is recorded when not empty (renames).
TagResult tag_commit(const Workspace& workspace,
                     std::string_view name,
                     const std::string& commit,
                     const std::string& message,
                     const std::string& origin = {});

// True when the definition in `files` (blob ids of a folder, with its
// environment.yaml text) is the same as version `version`: the same canonical
// definition and the same other files.
bool same_as_version(const Workspace& workspace,
                     const VersionInfo& version,
                     const std::map<std::string, git_oid>& files,
                     const Definition& definition);

} // namespace envstore
