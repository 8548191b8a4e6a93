#include "yaml/yaml_writer.hpp"

#include "yaml/yaml_detail.hpp"

#include "envstore/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace envstore::yaml {
namespace {

// The code point of `text`, one well-formed UTF-8 character.
char32_t decode_utf8(std::string_view text)
{
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    if (text.size() == 1) {
        return byte(0);
    }
    char32_t point = byte(0) & (0xFFu >> (text.size() + 1));
    for (std::size_t i = 1; i < text.size(); ++i) {
        point = (point << 6) | (byte(i) & 0x3Fu);
    }
    return point;
}

// Characters a reader folds (line breaks), drops (a byte-order mark) or
// refuses (non-printable ones), which must therefore be escaped.
bool needs_escape(char32_t point)
{
    return point < 0x20 || (point >= 0x7F && point <= 0x9F) || point == 0x2028 || point == 0x2029 ||
           point == 0xFEFF || point == 0xFFFE || point == 0xFFFF;
}

std::string escape(char32_t point)
{
    switch (point) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '"': return "\\\"";
    case '\\': return "\\\\";
    default: return fmt::format("\\u{:04X}", static_cast<std::uint32_t>(point));
    }
}

// Words some YAML reader takes for a boolean or a null, in any case.
bool is_special_word(std::string_view word)
{
    static constexpr std::array<std::string_view, 9> words = {
        "null", "true", "false", "yes", "no", "on", "off", "y", "n"};
    std::string lower(word);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return std::find(words.begin(), words.end(), lower) != words.end();
}

constexpr std::size_t k_longest_implicit_key = 1000;

// YAML allows an implicit key of at most 1024 characters; a longer one is
// written as an explicit `? key` line, its value on the `:` line that follows.
std::string key_text(const std::string& key, const std::string& pad)
{
    std::string text = yaml_key(key);
    return text.size() <= k_longest_implicit_key ? text + ':' : "? " + text + '\n' + pad + ':';
}

} // namespace

std::string yaml_quote(std::string_view text)
{
    std::string out = "\"";
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t length = detail::utf8_length(text, pos);
        if (length == 0) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("invalid UTF-8 at byte {} of an exported value", pos + 1));
        }
        std::string_view character = text.substr(pos, length);
        char32_t point = decode_utf8(character);
        bool special = needs_escape(point) || point == '"' || point == '\\';
        out += special ? escape(point) : std::string(character);
        pos += length;
    }
    return out + "\"";
}

bool is_plain_key(std::string_view key)
{
    auto is_start = [](unsigned char c) { return std::isalpha(c) || c == '_'; };
    auto is_rest = [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; };
    if (key.empty() || !is_start(static_cast<unsigned char>(key.front()))) {
        return false;
    }
    bool all_rest = std::all_of(
        key.begin(), key.end(), [&](char c) { return is_rest(static_cast<unsigned char>(c)); });
    return all_rest && !is_special_word(key);
}

std::string yaml_key(std::string_view key)
{
    return is_plain_key(key) ? std::string(key) : yaml_quote(key);
}

YamlNode YamlNode::string(std::string text)
{
    YamlNode node;
    node.m_text = std::move(text);
    return node;
}

YamlNode YamlNode::list()
{
    YamlNode node;
    node.m_kind = Kind::list;
    return node;
}

YamlNode YamlNode::map()
{
    YamlNode node;
    node.m_kind = Kind::map;
    return node;
}

YamlNode& YamlNode::add(YamlNode item)
{
    m_items.push_back(std::move(item));
    return *this;
}

YamlNode& YamlNode::set(std::string key, YamlNode value)
{
    m_keys.push_back(std::move(key));
    m_items.push_back(std::move(value));
    return *this;
}

// What follows `key:`: a string or an empty collection on the same line, a
// collection as a block on the next lines, indented by two more spaces.
void YamlNode::write_after_key(std::size_t indent, std::string& out) const
{
    if (m_kind == Kind::string) {
        out += ' ' + yaml_quote(m_text) + '\n';
    } else if (m_items.empty()) {
        out += m_kind == Kind::list ? " []\n" : " {}\n";
    } else {
        out += '\n';
        write_block(indent + 2, out);
    }
}

// A list item that is a collection starts on the line of its `- `: its block
// is written two spaces further in, and `- ` takes the place of those spaces.
void YamlNode::write_block(std::size_t indent, std::string& out) const
{
    std::string pad(indent, ' ');
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        const YamlNode& item = m_items[i];
        if (m_kind == Kind::map) {
            out += pad + key_text(m_keys[i], pad);
            item.write_after_key(indent, out);
        } else if (item.m_kind == Kind::string || item.m_items.empty()) {
            out += pad + '-';
            item.write_after_key(indent, out);
        } else {
            std::string nested;
            item.write_block(indent + 2, nested);
            out += pad + "- " + nested.substr(indent + 2);
        }
    }
}

std::string write_yaml(const YamlNode& root)
{
    std::string out;
    root.write_block(0, out);
    return out;
}

} // namespace envstore::yaml
