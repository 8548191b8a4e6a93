#pragma once

// Private RAII wrappers over libgit2 and the one place its errors become
// envstore errors. Nothing here appears in a public header.

#include "envstore/error.hpp"

#include <git2.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace envstore::git {

template <typename T, void (*Free)(T*)> struct Deleter
{
    void operator()(T* object) const { Free(object); }
};

template <typename T, void (*Free)(T*)> using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Reference = Handle<git_reference, git_reference_free>;
using Object = Handle<git_object, git_object_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Tag = Handle<git_tag, git_tag_free>;
using Index = Handle<git_index, git_index_free>;
using Signature = Handle<git_signature, git_signature_free>;
using Config = Handle<git_config, git_config_free>;
using TreeEntry = Handle<git_tree_entry, git_tree_entry_free>;
using ReferenceIterator = Handle<git_reference_iterator, git_reference_iterator_free>;

// Initialises libgit2 once per process.
void ensure_initialized();

// Throws an envstore::Error for a negative libgit2 result: GIT_ENOTFOUND ->
// not_found, GIT_EEXISTS and GIT_ELOCKED and GIT_EMODIFIED -> conflict,
// GIT_EAMBIGUOUS -> invalid_input, anything else -> repository. The message
// is "`context`: libgit2's message".
void check(int result, std::string_view context);

// The last libgit2 error message, or "unknown error".
std::string last_error_message();

std::string to_hex(const git_oid& id);
git_oid from_hex(std::string_view hex);

// Runs `operation` (a callable returning a libgit2 result code), retrying
// with jittered backoff for about two seconds while it reports GIT_ELOCKED,
// as git does for its own lock files; other results are returned as they are.
template <typename Operation> int retry_locked(Operation&& operation);

int retry_locked_impl(const std::function<int()>& operation);

template <typename Operation> int retry_locked(Operation&& operation)
{
    return retry_locked_impl(std::function<int()>(std::forward<Operation>(operation)));
}

// Looks up a direct reference's target; std::nullopt when it does not exist.
std::optional<git_oid> lookup_reference_id(git_repository* repository, const std::string& name);

// The blob id of `path` in `tree`, or std::nullopt when there is none.
std::optional<git_oid> tree_blob_id(git_tree* tree, const std::string& path);

// True when both maps name the same paths with the same object ids.
bool same_ids(const std::map<std::string, git_oid>& a, const std::map<std::string, git_oid>& b);

// The bytes of blob `id`.
std::string read_blob(git_repository* repository, const git_oid& id);

// The author/committer identity: GIT_AUTHOR_NAME/EMAIL when set, otherwise
// user.name and user.email from the repository's configuration (the user's
// global configuration when `repository` is null). Its time is
// GIT_COMMITTER_DATE, else GIT_AUTHOR_DATE, else now: envstore writes one
// identity as author, committer and tagger. Throws Error(invalid_input) with a
// hint when no identity is available or a date does not parse.
Signature default_signature(git_repository* repository);

// Reads a date as git takes it in GIT_AUTHOR_DATE and GIT_COMMITTER_DATE:
// `@SECONDS +ZZZZ` or `SECONDS +ZZZZ` (git's own form), ISO 8601
// `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+HH:MM|+HHMM]` and RFC 2822
// `[Thu, ]07 Apr 2005 22:13:13 +0200`. A date without a zone is local time.
// Throws Error(invalid_input) naming `source` (the variable) when it does not parse.
git_time parse_date(std::string_view text, std::string_view source);

} // namespace envstore::git
