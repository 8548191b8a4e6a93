#pragma once

// Quoting for the two languages of a Dockerfile: the builder's own words
// (ENV and LABEL values) and the shell that runs a RUN line. The rules are
// those of docs/export-dockerfile.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore::detail {

// The first character of `text` that no Dockerfile line can hold: LF, CR or
// NUL. std::nullopt when there is none.
std::optional<char> unwritable_char(std::string_view text);

// A printable name for such a character: "a line feed", "a carriage return", "a NUL byte".
std::string_view describe_char(char c);

// `value` as one ENV or LABEL value that the builder reads back exactly and
// never expands: in single quotes, or, when it holds a single quote, in double
// quotes with `"`, `$` and `\` escaped. `value` must hold no unwritable char.
std::string dockerfile_value(std::string_view value);

// `word` as one POSIX shell word, in single quotes. Nothing in it is
// expanded. `word` must hold no unwritable char.
std::string shell_quote(std::string_view word);

// Like `shell_quote`, but each `${NAME}` (NAME of A-Z, 0-9 and `_`, not
// starting with a digit: the references pip expands) stays a reference the
// shell expands, in double quotes. Each name is appended to `references`.
std::string shell_quote_with_references(std::string_view word,
                                        std::vector<std::string>& references);

// `option` split into words as pip splits an option line of a requirements
// file (Python's shlex in POSIX mode): blanks separate words, single quotes
// keep everything, double quotes keep everything but `\"` and `\\`, a
// backslash outside quotes keeps the next character. std::nullopt when a
// quote is not closed or the text ends with a backslash.
std::optional<std::vector<std::string>> split_option_words(std::string_view option);

// Whether `reference` is a container image reference that a FROM line can
// hold as it is: `[host[:port]/]path[:tag][@algorithm:hex]`.
bool is_image_reference(std::string_view reference);

} // namespace envstore::detail
