#include "canonical_tree.hpp"
#include "yaml/yaml_writer.hpp"

#include "envstore/canonical.hpp"

// The canonical YAML is written here rather than by a YAML library so that
// every byte of it is fixed by docs/canonical-form.md: block style, two-space
// indents, and every string double-quoted with JSON escapes, so that no
// reader can take "3.10" for a number or "no" for a boolean.

namespace envstore {
namespace {

using nlohmann::ordered_json;

std::string key_text(const std::string& key)
{
    return yaml::is_plain_key(key) ? key : detail::dump_compact(ordered_json(key));
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
