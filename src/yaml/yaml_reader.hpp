#pragma once

// A strict YAML reader for definition files, with positions and limits.
//
// yaml-cpp's Node API keeps the first of two duplicate keys silently, expands
// aliases without bound and drops positions, so this reader builds its own
// tree from yaml-cpp's event parser. It refuses what a definition never needs:
// duplicate keys, anchors and aliases, explicit tags, multiple documents,
// invalid UTF-8, NUL bytes, and inputs past the limits. Every scalar keeps its
// own text (`3.10` stays "3.10").

#include "envstore/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envstore::yaml {

// A position in `Document::text`. An empty value (`key:` with nothing after
// it) is placed just after its `:` or `-`.
struct Mark
{
    int line = 0;   // 1-based
    int column = 0; // 1-based, in bytes
};

enum class NodeKind { null, scalar, sequence, mapping };

struct Node
{
    NodeKind kind = NodeKind::null;
    Mark mark;
    std::string text;        // scalars: the value as written (after YAML unquoting/folding)
    bool quoted = false;     // scalars: written in single or double quotes, or a block scalar
    std::vector<Node> items; // sequences
    std::vector<std::pair<Node, Node>> entries; // mappings, in file order

    bool is_null() const { return kind == NodeKind::null; }
    bool is_scalar() const { return kind == NodeKind::scalar; }
    bool is_sequence() const { return kind == NodeKind::sequence; }
    bool is_mapping() const { return kind == NodeKind::mapping; }
    // The value under the scalar key `key`, or nullptr.
    const Node* find(std::string_view key) const;
};

struct Limits
{
    std::size_t max_bytes = 1024 * 1024; // of the input as given
    std::size_t max_depth = 64;     // nested sequences and mappings; at most 498 (yaml-cpp's bound)
    std::size_t max_nodes = 100000; // scalars, nulls, sequences and mappings, keys included
};

struct Document
{
    std::string path;
    std::string text;               // the input after BOM removal and CRLF -> LF
    std::vector<std::string> lines; // `text` split into lines, without line ends
    Node root;                      // null for an empty document

    // A location for `mark` in this document, with the line's text.
    SourceLocation locate(Mark mark) const;
};

// Rule ids of the diagnostics this reader raises.
inline constexpr std::string_view k_rule_yaml_syntax = "yaml-syntax";
inline constexpr std::string_view k_rule_yaml_duplicate_key = "yaml-duplicate-key";
inline constexpr std::string_view k_rule_yaml_tag = "yaml-tag";
inline constexpr std::string_view k_rule_yaml_alias = "yaml-alias";
inline constexpr std::string_view k_rule_yaml_encoding = "yaml-encoding";
inline constexpr std::string_view k_rule_yaml_limit = "yaml-limit";

// Parses `text` (named `path` in diagnostics). A leading UTF-8 byte-order mark
// is dropped, CRLF and lone CR line ends read as LF. Throws
// `Error(invalid_input)` whose diagnostic carries one of the rule ids above
// and the position of the problem, e.g. `duplicate key "python" (first at
// line 3)`; `invalid UTF-8 at byte N` counts N from 1 in `text` as given.
Document parse(std::string_view text, const std::string& path, const Limits& limits = {});

} // namespace envstore::yaml
