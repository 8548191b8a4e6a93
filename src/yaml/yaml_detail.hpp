#pragma once

// The steps of `yaml::parse`, shared between the reader's source files; import.cpp
// reads requirements files with `prepare_text` and `split_lines` too.

#include "yaml/yaml_reader.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace envstore::yaml::detail {

// Throws `Error(invalid_input)` for `rule` with `message`, located at `mark`
// of `document`, with `hint` when given.
[[noreturn]] void raise_at(const Document& document,
                           std::string_view rule,
                           std::string message,
                           Mark mark,
                           std::string hint = {});

// Checks `raw` against `limits.max_bytes`, drops a leading UTF-8 byte-order
// mark, turns CRLF and lone CR line ends into LF and returns the result.
// Throws yaml-limit for a file past the size limit, yaml-encoding (located,
// with the 1-based byte offset in `raw`) for invalid UTF-8 or a NUL byte.
std::string prepare_text(std::string_view raw, const std::string& path, const Limits& limits);

// `text` split at LF, without the line ends; a final LF starts no extra line.
std::vector<std::string> split_lines(std::string_view text);

// Parses `document.text` with yaml-cpp's event parser and returns the root
// node, null for an empty document. Throws the reader's diagnostics.
Node build_tree(const Document& document, const Limits& limits);

// The length of the UTF-8 character at `pos`, or 0 when the bytes there are not
// well-formed UTF-8.
std::size_t utf8_length(std::string_view text, std::size_t pos);

} // namespace envstore::yaml::detail
