#pragma once

// A small YAML writer for the flat documents that export writes. Block style, two
// spaces of indent; every string value double-quoted and escaped, so that a
// YAML 1.1 reader (PyYAML, which conda uses) and a YAML 1.2 reader both read
// each one as the exact string: "3.10" never becomes 3.1, "no" never False.

#include <string>
#include <string_view>
#include <vector>

namespace envstore::yaml {

// A string, a list or a mapping (keys in the order added).
class YamlNode
{
public:
    static YamlNode string(std::string text);
    static YamlNode list();
    static YamlNode map();

    // Appends to a list.
    YamlNode& add(YamlNode item);
    YamlNode& add(std::string text) { return add(string(std::move(text))); }
    // Appends an entry to a mapping.
    YamlNode& set(std::string key, YamlNode value);
    YamlNode& set(std::string key, std::string text) { return set(key, string(std::move(text))); }

    bool is_string() const { return m_kind == Kind::string; }
    bool is_map() const { return m_kind == Kind::map; }
    bool empty() const { return m_items.empty(); }

    friend std::string write_yaml(const YamlNode& root);

private:
    enum class Kind { string, list, map };

    void write_block(std::size_t indent, std::string& out) const;
    void write_after_key(std::size_t indent, std::string& out) const;

    Kind m_kind = Kind::string;
    std::string m_text;
    std::vector<std::string> m_keys; // for a mapping, one per item
    std::vector<YamlNode> m_items;
};

// The document `root` (a mapping or a list), ending with a line end.
std::string write_yaml(const YamlNode& root);

// `text` as a double-quoted scalar: `"` and `\` escaped, and every character
// that a reader could fold, drop or refuse (control characters, DEL, C1
// controls, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF) written as \uXXXX, or as
// \n, \t, \r. Throws `Error(invalid_input)` when `text` is not UTF-8.
std::string yaml_quote(std::string_view text);

// Whether `key` can be written plain: no YAML 1.1 or 1.2 reader takes it for
// anything but that string (a letter or `_`, then letters, digits, `_` and
// `-`, and not a word such as `no`, `on` or `null` in any case).
bool is_plain_key(std::string_view key);

// `key` plain when no YAML 1.1 or 1.2 reader can take it for anything but
// that string (a letter or `_`, then letters, digits, `_` and `-`, and not a
// word such as `no`, `on` or `null`); quoted otherwise.
std::string yaml_key(std::string_view key);

} // namespace envstore::yaml
