#include "canonical_tree.hpp"

#include "envstore/canonical.hpp"

#include <algorithm>
#include <array>
#include <cctype>

// The canonical YAML is written here rather than by a YAML library so that
// every byte of it is fixed by docs/canonical-form.md: block style, two-space
// indents, and every string double-quoted with JSON escapes, so that no
// reader can take "3.10" for a number or "no" for a boolean.

namespace envstore {
namespace {

using nlohmann::ordered_json;

// Words some YAML reader takes for a null or a boolean.
bool is_special_word(std::string_view key)
{
    static constexpr std::array<std::string_view, 9> words = {
        "null",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
    };
    std::string lower(key);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return std::find(words.begin(), words.end(), lower) != words.end();
}

bool is_plain_key(std::string_view key)
{
    auto is_word_start = [](unsigned char c) { return std::isalpha(c) || c == '_'; };
    auto is_word = [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; };
    return !key.empty() && is_word_start(static_cast<unsigned char>(key.front())) &&
           std::all_of(key.begin(),
                       key.end(),
                       [&](char c) { return is_word(static_cast<unsigned char>(c)); }) &&
           !is_special_word(key);
}

std::string key_text(const std::string& key)
{
    return is_plain_key(key) ? key : detail::dump_compact(ordered_json(key));
}

void write_block(const ordered_json& value, std::size_t indent, std::string& out);

// Writes what follows `key:` or `-`: a scalar (or an empty `[]`/`{}`) on the
// same line, anything else as a block on the next lines, indented further.
void write_value(const ordered_json& value, std::size_t indent, std::string& out)
{
    if (!value.is_structured() || value.empty()) {
        out += ' ';
        out += detail::dump_compact(value);
        out += '\n';
        return;
    }
    out += '\n';
    write_block(value, indent + 2, out);
}

void write_block(const ordered_json& value, std::size_t indent, std::string& out)
{
    std::string pad(indent, ' ');
    if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            out += pad + key_text(key) + ':';
            write_value(item, indent, out);
        }
        return;
    }
    for (const ordered_json& item : value) {
        out += pad + '-';
        write_value(item, indent, out);
    }
}

} // namespace

std::string canonical_yaml(const Definition& definition)
{
    std::string out;
    write_block(detail::canonical_tree(definition), 0, out);
    return out;
}

} // namespace envstore
