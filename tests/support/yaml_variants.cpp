#include "support/yaml_variants.hpp"

#include "yaml/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <random>
#include <vector>

// Every choice below keeps the meaning of the text for a YAML 1.2 reader; the
// plain scalars are chosen conservatively, so that a spelling that fails to
// read points at the definition reader, not at this writer.

namespace envstore::test {
namespace {

using yaml::Node;

enum class Context { block, flow };

// Plain scalars some reader takes for a null or a boolean.
bool is_special_word(std::string_view text)
{
    static constexpr std::array<std::string_view, 10> words = {
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"};
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return std::find(words.begin(), words.end(), lower) != words.end();
}

bool is_plain_start(std::string_view text)
{
    unsigned char first = static_cast<unsigned char>(text.front());
    return std::isalnum(first) || first == '/' || first == '$' || first == '_' ||
           (text.starts_with("--") && !text.starts_with("---"));
}

// Whether `text` reads back as the same string when written without quotes.
bool is_plain_safe(std::string_view text, Context context)
{
    if (text.empty() || is_special_word(text) || !is_plain_start(text) ||
        std::isspace(static_cast<unsigned char>(text.back())) || text.back() == ':') {
        return false;
    }
    std::string_view banned = context == Context::flow ? "#:,[]{}\"'\t\r\n" : "#\t\r\n";
    if (text.find_first_of(banned) != std::string_view::npos) {
        return false;
    }
    return text.find(": ") == std::string_view::npos && text.find("  ") == std::string_view::npos;
}

std::string single_quoted(std::string_view text)
{
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

bool is_boolean(const Node& node)
{
    return node.is_scalar() && !node.quoted && (node.text == "true" || node.text == "false");
}

bool is_empty_collection(const Node& node)
{
    return (node.is_sequence() && node.items.empty()) ||
           (node.is_mapping() && node.entries.empty());
}

std::string child_path(const std::string& path, const std::string& key)
{
    return path.empty() ? key : path + "." + key;
}

class Writer
{
public:
    Writer(std::uint32_t seed, const VariantRules& rules) : m_random(seed), m_rules(rules)
    {
        m_step = 2 + static_cast<int>(m_random() % 3);
        m_indent_sequences = chance(50);
        m_comment_percent = pick<int>({0, 5, 20});
        m_flow_percent = pick<int>({0, 30, 70});
    }

    std::string write(const Node& root);

private:
    bool chance(int percent) { return static_cast<int>(m_random() % 100) < percent; }

    template <typename T> T pick(std::initializer_list<T> choices)
    {
        return *(choices.begin() + m_random() % choices.size());
    }

    void block_mapping(const Node& node, const std::string& path, int indent);
    void block_sequence(const Node& node, const std::string& path, int indent);
    void block_value(const Node& value, const std::string& path, int indent, bool in_mapping);
    std::string flow(const Node& node, const std::string& path);
    std::string scalar(const Node& node, Context context);
    std::string double_quoted(std::string_view text);
    std::string key(const std::string& text);
    std::vector<const Node*> items(const Node& node, const std::string& path);
    std::vector<const std::pair<Node, Node>*> entries(const Node& node);
    void comment_line(int indent);
    void end_line();

    std::mt19937 m_random;
    const VariantRules& m_rules;
    int m_step = 2;
    bool m_indent_sequences = true;
    int m_comment_percent = 0;
    int m_flow_percent = 0;
    std::string m_out;
};

std::string Writer::write(const Node& root)
{
    bool bom = chance(15);
    bool crlf = chance(25);
    if (chance(15)) {
        m_out += "# a definition written another way\n";
    }
    if (chance(15)) {
        m_out += "---\n";
    }
    block_mapping(root, "", 0);
    if (chance(15)) {
        m_out += "\n# the end\n";
    }

    std::string text = bom ? "\xEF\xBB\xBF" : "";
    for (char c : m_out) {
        text += crlf && c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    return text;
}

// Ends a line, now and then after a comment, trailing spaces or a blank line.
void Writer::end_line()
{
    if (chance(m_comment_percent)) {
        m_out += pick<std::string_view>({" # note", "   #note", "\t# tab before"});
    } else if (chance(5)) {
        m_out += "  ";
    }
    m_out += '\n';
    if (chance(m_comment_percent / 2)) {
        m_out += '\n';
    }
}

void Writer::comment_line(int indent)
{
    if (chance(m_comment_percent)) {
        m_out += std::string(static_cast<std::size_t>(indent), ' ') + "# key: [not, data]\n";
    }
}

void Writer::block_mapping(const Node& node, const std::string& path, int indent)
{
    for (const auto* entry : entries(node)) {
        comment_line(indent);
        m_out += std::string(static_cast<std::size_t>(indent), ' ') + key(entry->first.text);
        m_out += ':';
        block_value(entry->second, child_path(path, entry->first.text), indent, true);
    }
}

void Writer::block_sequence(const Node& node, const std::string& path, int indent)
{
    for (const Node* item : items(node, path)) {
        comment_line(indent);
        m_out += std::string(static_cast<std::size_t>(indent), ' ') + '-';
        block_value(*item, path + "/-", indent, false);
    }
}

// Writes what follows `key:` or `-` at `indent`: a scalar or a flow
// collection on the same line, or a block on the next lines.
void Writer::block_value(const Node& value, const std::string& path, int indent, bool in_mapping)
{
    std::string space = pick<std::string>({" ", " ", "  ", "    "});
    bool collection = value.is_sequence() || value.is_mapping();
    if (collection && (is_empty_collection(value) || chance(m_flow_percent))) {
        m_out += space + flow(value, path);
        end_line();
        return;
    }
    if (value.is_mapping()) {
        end_line();
        block_mapping(value, path, indent + m_step);
        return;
    }
    if (value.is_sequence()) {
        end_line();
        bool nested = !in_mapping || m_indent_sequences;
        block_sequence(value, path, nested ? indent + m_step : indent);
        return;
    }
    if (value.is_null() && in_mapping && chance(30)) {
        end_line(); // `key:` with nothing after it
        return;
    }
    if (value.is_scalar() && !is_boolean(value) && !value.text.empty() &&
        is_plain_safe(value.text, Context::block) && chance(8)) {
        m_out += space + pick<std::string>({">-", "|-"}) + '\n';
        m_out += std::string(static_cast<std::size_t>(indent + m_step), ' ') + value.text + '\n';
        return;
    }
    m_out += space + scalar(value, Context::block);
    end_line();
}

std::string Writer::flow(const Node& node, const std::string& path)
{
    std::string pad = pick<std::string>({"", "", " "});
    std::string separator = pick<std::string>({", ", ",", " , ", ",  "});
    std::vector<std::string> parts;
    if (node.is_sequence()) {
        for (const Node* item : items(node, path)) {
            bool nested = item->is_sequence() || item->is_mapping();
            parts.push_back(nested ? flow(*item, path + "/-") : scalar(*item, Context::flow));
        }
        return fmt::format("[{}{}{}]", pad, fmt::join(parts, separator), pad);
    }
    for (const auto* entry : entries(node)) {
        const Node& value = entry->second;
        std::string path_in = child_path(path, entry->first.text);
        bool nested = value.is_sequence() || value.is_mapping();
        parts.push_back(key(entry->first.text) + ": " +
                        (nested ? flow(value, path_in) : scalar(value, Context::flow)));
    }
    return fmt::format("{{{}{}{}}}", pad, fmt::join(parts, separator), pad);
}

std::string Writer::scalar(const Node& node, Context context)
{
    if (node.is_null()) {
        return pick<std::string>({"null", "~"});
    }
    if (is_boolean(node)) {
        return node.text;
    }
    int style = static_cast<int>(m_random() % 3);
    if (style == 0 && is_plain_safe(node.text, context)) {
        return node.text;
    }
    return style == 1 ? single_quoted(node.text) : double_quoted(node.text);
}

// The code point of the UTF-8 sequence at `text[at]`, and its length.
std::pair<char32_t, std::size_t> decode_utf8(std::string_view text, std::size_t at)
{
    auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    char32_t code = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t next = 1; next < length && at + next < text.size(); ++next) {
        code = (code << 6) | (static_cast<unsigned char>(text[at + next]) & 0x3F);
    }
    return {code, length};
}

// A double-quoted scalar, with now and then a letter, a digit or a non-ASCII
// character written as an escape sequence.
std::string Writer::double_quoted(std::string_view text)
{
    std::string out = "\"";
    for (std::size_t at = 0; at < text.size();) {
        auto [code, length] = decode_utf8(text, at);
        bool alnum = code < 0x80 && std::isalnum(static_cast<int>(code));
        if (code == '"' || code == '\\') {
            out += '\\';
            out += static_cast<char>(code);
        } else if ((alnum && chance(3)) || (code >= 0x80 && chance(50))) {
            auto number = static_cast<std::uint32_t>(code);
            out += code < 0x80 && chance(50) ? fmt::format("\\x{:02x}", number)
                   : code <= 0xFFFF          ? fmt::format("\\u{:04X}", number)
                                             : fmt::format("\\U{:08x}", number);
        } else {
            out += text.substr(at, length);
        }
        at += length;
    }
    return out + "\"";
}

std::string Writer::key(const std::string& text)
{
    int style = static_cast<int>(m_random() % 5);
    if (style < 3 && is_plain_safe(text, Context::flow)) {
        return text;
    }
    return style == 3 ? single_quoted(text) : double_quoted(text);
}

std::vector<const Node*> Writer::items(const Node& node, const std::string& path)
{
    std::vector<const Node*> result;
    for (const Node& item : node.items) {
        result.push_back(&item);
    }
    if (m_rules.unordered_lists.contains(path)) {
        std::shuffle(result.begin(), result.end(), m_random);
    }
    if (m_rules.reversed_lists.contains(path)) {
        std::reverse(result.begin(), result.end());
    }
    return result;
}

// The order of a mapping's keys never means anything.
std::vector<const std::pair<Node, Node>*> Writer::entries(const Node& node)
{
    std::vector<const std::pair<Node, Node>*> result;
    for (const auto& entry : node.entries) {
        result.push_back(&entry);
    }
    std::shuffle(result.begin(), result.end(), m_random);
    return result;
}

} // namespace

struct YamlVariants::Source
{
    yaml::Document document;
};

YamlVariants::YamlVariants(std::string_view text, const std::string& path, VariantRules rules)
    : m_source(std::make_unique<Source>(Source{yaml::parse(text, path)})), m_rules(std::move(rules))
{
}

YamlVariants::~YamlVariants() = default;

std::string YamlVariants::write(std::uint32_t seed) const
{
    return Writer(seed, m_rules).write(m_source->document.root);
}

std::string visible(std::string_view text)
{
    std::string out;
    if (text.starts_with("\xEF\xBB\xBF")) {
        out = "<BOM>";
        text.remove_prefix(3);
    }
    for (char c : text) {
        out += c == '\r' ? std::string("\\r") : std::string(1, c);
    }
    return out;
}

} // namespace envstore::test
