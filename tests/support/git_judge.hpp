#pragma once

// Git as the independent judge of what envstore wrote: run the git CLI in a
// repository, require it to succeed, and hand back what it printed.

#include "support/process.hpp"
#include "support/workspace_fixture.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace envstore::test {

// What `git args` prints on stdout in `dir`, unchanged. `options` add to the
// environment or give standard input; their `cwd` is replaced by `dir`. Fails
// the test (REQUIRE) when git exits non-zero, showing git's stderr.
std::string git_output(const std::filesystem::path& dir,
                       const std::vector<std::string>& args,
                       const RunOptions& options = {});

// Like `git_output`, without the final line end (one `\n` at most), so a
// one-line answer compares as a plain value and a list keeps its inner lines.
std::string git_text(const std::filesystem::path& dir,
                     const std::vector<std::string>& args,
                     const RunOptions& options = {});
// `git_text` in the root of `workspace`.
std::string git_text(const TestWorkspace& workspace, const std::vector<std::string>& args);

// Like `git_output`, without every line end at its end: for formats such as
// `%(contents:trailers:...)` that git follows with an empty line.
std::string git_trimmed(const std::filesystem::path& dir, const std::vector<std::string>& args);
// `git_trimmed` in the root of `workspace`.
std::string git_trimmed(const TestWorkspace& workspace, const std::vector<std::string>& args);

// Every tag of the workspace's repository: short name -> tag object id (the
// tag object, not the commit it points at), as `git for-each-ref` lists them.
std::map<std::string, std::string> tag_ids(const TestWorkspace& workspace);

// The message of annotated tag `tag`, as `git cat-file -p` prints it after the
// header, without its final line end.
std::string tag_message(const TestWorkspace& workspace, const std::string& tag);

// The field `format` (a `git for-each-ref --format` string) of tag `tag`,
// without line ends at its end.
std::string
tag_field(const TestWorkspace& workspace, const std::string& tag, const std::string& format);

// The value of the `Envstore-Digest` trailer of version tag `tag`, as git reads it.
std::string tag_digest(const TestWorkspace& workspace, const std::string& tag);

// Checks (CHECK, not REQUIRE) that `git fsck --strict` finds the repository
// sound and that `git status --porcelain` reports nothing.
void check_repository_clean(const TestWorkspace& workspace);

} // namespace envstore::test
