#include "yaml/yaml_detail.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace envstore::yaml::detail {

namespace {

// yaml-cpp 0.7 bounds its recursion: it throws its own "bad file" error on
// the 500th nested level before reporting it. Refusing the 499th ourselves
// keeps deep nesting reported as a limit whatever `Limits::max_depth` says.
constexpr std::size_t k_parser_max_depth = 498;

// yaml-cpp's tags for nodes written without one: "?" plain, "!" quoted or block.
constexpr std::string_view k_tag_plain = "?";
constexpr std::string_view k_tag_non_plain = "!";

constexpr std::string_view k_alias_message = "YAML anchors and aliases are not allowed";
constexpr const char* k_alias_hint = "write the value out in full at each place";

Mark to_mark(const YAML::Mark& mark)
{
    return Mark{std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
}

char char_at(std::string_view text, int pos)
{
    if (pos < 0 || static_cast<std::size_t>(pos) >= text.size()) {
        return '\0';
    }
    return text[static_cast<std::size_t>(pos)];
}

bool ends_token(char c)
{
    return c == '\0' || std::isspace(static_cast<unsigned char>(c)) ||
           std::string_view(",[]{}#:").find(c) != std::string_view::npos;
}

// The token written at `pos`, such as the tag "!!str" that yaml-cpp reports
// as "tag:yaml.org,2002:str".
std::string_view token_at(std::string_view text, std::size_t pos)
{
    std::size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
           std::string_view(",[]{}").find(text[end]) == std::string_view::npos) {
        ++end;
    }
    return text.substr(pos, end - pos);
}

// Whether the null at `pos` is written as `~` or a null word rather than left empty.
bool is_written_null(std::string_view text, std::size_t pos)
{
    for (std::string_view word : {"~", "null", "Null", "NULL"}) {
        if (text.substr(pos).starts_with(word) &&
            ends_token(char_at(text, static_cast<int>(pos + word.size())))) {
            return true;
        }
    }
    return false;
}

// yaml-cpp 0.7 accepts a quoted scalar left open up to the end of the input
// when a line end follows it, so look for the closing quote here.
bool is_quote_closed(std::string_view text, std::size_t open)
{
    char quote = text[open];
    for (std::size_t pos = open + 1; pos < text.size(); ++pos) {
        if (quote == '"' && text[pos] == '\\') {
            ++pos;
            continue;
        }
        if (text[pos] != quote) {
            continue;
        }
        if (quote == '\'' && char_at(text, static_cast<int>(pos + 1)) == '\'') {
            ++pos;
            continue;
        }
        return true;
    }
    return false;
}

class TreeBuilder final : public YAML::EventHandler
{
public:
    TreeBuilder(const Document& document, const Limits& limits)
        : m_document(document), m_limits(limits),
          m_max_depth(std::min(limits.max_depth, k_parser_max_depth))
    {
    }

    Node take_root() { return std::move(m_root); }

    void OnDocumentStart(const YAML::Mark& mark) override
    {
        if (++m_documents > 1) {
            fail(k_rule_yaml_syntax, "more than one YAML document", to_mark(mark));
        }
    }

    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override
    {
        Node node;
        node.mark = null_mark(mark);
        add(std::move(node));
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override { fail_alias(mark); }

    void OnAnchor(const YAML::Mark& mark, const std::string& /*name*/) override
    {
        fail_alias(mark);
    }

    void OnScalar(const YAML::Mark& mark,
                  const std::string& tag,
                  YAML::anchor_t /*anchor*/,
                  const std::string& value) override
    {
        check_tag(mark, tag);
        Node node;
        node.kind = NodeKind::scalar;
        node.mark = to_mark(mark);
        node.text = value;
        node.quoted = tag == k_tag_non_plain;
        if (node.quoted) {
            check_quote_closed(mark);
        }
        add(std::move(node));
    }

    void OnSequenceStart(const YAML::Mark& mark,
                         const std::string& tag,
                         YAML::anchor_t /*anchor*/,
                         YAML::EmitterStyle::value /*style*/) override
    {
        open(NodeKind::sequence, mark, tag);
    }

    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark,
                    const std::string& tag,
                    YAML::anchor_t /*anchor*/,
                    YAML::EmitterStyle::value /*style*/) override
    {
        open(NodeKind::mapping, mark, tag);
    }

    void OnMapEnd() override { close(); }

private:
    struct Frame
    {
        Node node;
        std::optional<Node> key; // a mapping's key still waiting for its value
        std::unordered_map<std::string, int> key_lines;
    };

    void open(NodeKind kind, const YAML::Mark& mark, const std::string& tag)
    {
        check_tag(mark, tag);
        if (m_stack.size() >= m_max_depth) {
            fail(k_rule_yaml_limit,
                 fmt::format("nesting deeper than {} levels", m_max_depth),
                 to_mark(mark));
        }
        count_node(mark);

        Frame frame;
        frame.node.kind = kind;
        frame.node.mark = to_mark(mark);
        m_stack.push_back(std::move(frame));
    }

    // A collection as a key is refused only once it is complete: yaml-cpp also
    // opens a key for an unclosed `[`, and its own error explains that better.
    void close()
    {
        Node node = std::move(m_stack.back().node);
        m_stack.pop_back();
        if (expects_key()) {
            fail(k_rule_yaml_syntax, "mapping keys must be scalars", node.mark);
        }
        attach(std::move(node));
    }

    // Adds a node that is not a collection: a scalar or a null.
    void add(Node node)
    {
        count_node(node.mark);
        if (expects_key()) {
            add_key(std::move(node));
            return;
        }
        attach(std::move(node));
    }

    void attach(Node node)
    {
        if (m_stack.empty()) {
            m_root = std::move(node);
            return;
        }
        Frame& parent = m_stack.back();
        if (parent.node.is_sequence()) {
            parent.node.items.push_back(std::move(node));
            return;
        }
        parent.node.entries.emplace_back(std::move(*parent.key), std::move(node));
        parent.key.reset();
    }

    void add_key(Node key)
    {
        if (key.is_null()) {
            fail(k_rule_yaml_syntax, "mapping keys must not be null or empty", key.mark);
        }
        Frame& parent = m_stack.back();
        auto [first, inserted] = parent.key_lines.try_emplace(key.text, key.mark.line);
        if (!inserted) {
            fail(k_rule_yaml_duplicate_key,
                 fmt::format("duplicate key \"{}\" (first at line {})", key.text, first->second),
                 key.mark);
        }
        parent.key = std::move(key);
    }

    bool expects_key() const
    {
        return !m_stack.empty() && m_stack.back().node.is_mapping() && !m_stack.back().key;
    }

    void count_node(Mark mark)
    {
        if (++m_nodes > m_limits.max_nodes) {
            fail(k_rule_yaml_limit, fmt::format("more than {} nodes", m_limits.max_nodes), mark);
        }
    }

    void count_node(const YAML::Mark& mark) { count_node(to_mark(mark)); }

    void check_tag(const YAML::Mark& mark, const std::string& tag) const
    {
        std::string_view text = m_document.text;
        bool written = char_at(text, mark.pos) == '!';
        if (!written && (tag == k_tag_plain || tag == k_tag_non_plain)) {
            return;
        }
        // Show the tag as written, not as yaml-cpp expands it.
        std::string shown = tag;
        if (written) {
            shown = token_at(text, static_cast<std::size_t>(mark.pos));
        }
        fail(k_rule_yaml_tag,
             fmt::format("YAML tags are not allowed: \"{}\"", shown),
             to_mark(mark),
             "write the value without a tag");
    }

    void check_quote_closed(const YAML::Mark& mark) const
    {
        char first = char_at(m_document.text, mark.pos);
        if (first != '"' && first != '\'') {
            return;
        }
        if (!is_quote_closed(m_document.text, static_cast<std::size_t>(mark.pos))) {
            fail(k_rule_yaml_syntax, "invalid YAML: end of quoted scalar not found", to_mark(mark));
        }
    }

    // yaml-cpp marks an empty value at the token after it, often the next
    // line's key; place it just after the `:`, `-` or `?` that introduced it.
    Mark null_mark(const YAML::Mark& mark) const
    {
        std::string_view text = m_document.text;
        if (mark.pos < 0) {
            return to_mark(mark);
        }
        std::size_t pos = std::min(static_cast<std::size_t>(mark.pos), text.size());
        if (is_written_null(text, pos)) {
            return to_mark(mark);
        }
        int line = mark.line + 1;
        while (pos > 0 && std::isspace(static_cast<unsigned char>(text[pos - 1]))) {
            line -= text[pos - 1] == '\n' ? 1 : 0;
            --pos;
        }
        if (pos == 0 || std::string_view(":-?,[{").find(text[pos - 1]) == std::string_view::npos) {
            return to_mark(mark);
        }
        std::size_t line_start = text.rfind('\n', pos - 1);
        line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
        return Mark{line, static_cast<int>(pos - line_start) + 1};
    }

    [[noreturn]] void fail_alias(const YAML::Mark& mark) const
    {
        fail(k_rule_yaml_alias, std::string(k_alias_message), to_mark(mark), k_alias_hint);
    }

    [[noreturn]] void
    fail(std::string_view rule, std::string message, Mark mark, std::string hint = {}) const
    {
        raise_at(m_document, rule, std::move(message), mark, std::move(hint));
    }

    const Document& m_document;
    const Limits& m_limits;
    std::size_t m_max_depth;
    std::vector<Frame> m_stack;
    Node m_root;
    std::size_t m_nodes = 0;
    int m_documents = 0;
};

std::string lowercase_first(std::string text)
{
    if (!text.empty()) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

} // namespace

Node build_tree(const Document& document, const Limits& limits)
{
    std::istringstream input(document.text);
    TreeBuilder builder(document, limits);
    try {
        YAML::Parser parser(input);
        while (parser.HandleNextDocument(builder)) {
        }
    } catch (const YAML::Exception& error) {
        // An alias to an anchor never defined fails before any event reports it.
        if (error.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
            raise_at(document,
                     k_rule_yaml_alias,
                     std::string(k_alias_message),
                     to_mark(error.mark),
                     k_alias_hint);
        }
        raise_at(document,
                 k_rule_yaml_syntax,
                 "invalid YAML: " + lowercase_first(error.msg),
                 to_mark(error.mark));
    }
    return builder.take_root();
}

} // namespace envstore::yaml::detail
