#pragma once

// The tag records envstore writes: version tags `NAME@vN`, and the
// append-only sequences `NAME#LABEL#N` used for labels and archive records.
// Their messages end in Git trailers (`Envstore-Key: value`), documented in
// docs/versions.md, so `git interpret-trailers --parse` reads them too.

#include "git/git.hpp"

#include "envstore/versions.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace envstore {

using Trailers = std::vector<std::pair<std::string, std::string>>;

// Builds a tag message: `summary`, a blank line, then the trailers.
std::string format_record_message(const std::string& summary, const Trailers& trailers);

// Splits a tag message into its text and its Envstore-* trailers.
std::pair<std::string, Trailers> parse_record_message(std::string_view message);

// The first value of trailer `key`, or "".
std::string trailer_value(const Trailers& trailers, std::string_view key);

// Writes an annotated tag object named `tag_name` on `target`, then creates
// refs/tags/`tag_name` only if it is still absent (compare-and-swap against a
// zero id). Returns false when another writer created it first.
bool create_tag_if_absent(git_repository* repository,
                          const std::string& tag_name,
                          const git_object* target,
                          const git_signature* tagger,
                          const std::string& message);

// The highest N for which `make_ref(N)` exists, assuming dense numbering from
// 1; 0 when none. Probes O(log N) references.
int highest_dense_number(git_repository* repository,
                         const std::function<std::string(int)>& make_ref);

enum class Numbering { dense, moved_on };

// Before a write: checks that the references starting with `prefix` (e.g.
// "refs/tags/train@v") are numbered densely from 1 to `highest`. Returns
// Numbering::moved_on when another writer has meanwhile added `highest` + 1
// (retry with a new number). A gap means a tag was deleted outside envstore,
// and reusing its number would give one name two meanings: throws
// Error(repository).
Numbering check_dense_numbering(git_repository* repository, const std::string& prefix, int highest);

// The version numbers of every environment, from one listing of the version
// tags (`refs/tags/NAME@vN`): NAME -> its numbers.
std::map<std::string, std::set<int>> all_version_numbers(git_repository* repository);

// "refs/tags/" + `tag_name`.
std::string tag_ref(std::string_view tag_name);

// The name of a record sequence tag: "NAME#KEY#N".
std::string sequence_tag_name(std::string_view name, std::string_view key, int sequence);

Signature to_signature(const git_signature* signature);

// Archives `name`, recording that it was renamed to `renamed_to` when not empty.
void archive_environment_renamed(const Workspace& workspace,
                                 std::string_view name,
                                 std::string_view renamed_to);

} // namespace envstore
