// Where each element of a parsed definition was written. Computed from the
// YAML tree after a successful parse, so the reader itself stays about types
// and rules; the keys are those of `definition_elements` (envstore/resolve.hpp).

#include "definition_reader.hpp"

#include "envstore/resolve.hpp"

namespace envstore::detail {
namespace {

class Locator
{
public:
    Locator(const yaml::Document& document, Definition& definition)
        : m_document(document), m_locations(definition.locations)
    {
    }

    void at(std::string key, const yaml::Node& node)
    {
        m_locations.insert_or_assign(std::move(key), m_document.locate(node.mark));
    }

    // A list: the field at the list, each entry at its item, keyed by
    // `item_key` of the item's text (empty: keep the text).
    template <typename ItemKey>
    void list(std::string_view field, const yaml::Node& node, ItemKey item_key)
    {
        at(element_key(field), node);
        for (const yaml::Node& item : node.items) {
            if (item.is_scalar()) {
                at(element_key(field, item_key(item.text)), item);
            }
        }
    }

    void list(std::string_view field, const yaml::Node& node)
    {
        list(field, node, [](const std::string& text) { return text; });
    }

    void mapping(std::string_view field, const yaml::Node& node)
    {
        at(element_key(field), node);
        for (const auto& [key, value] : node.entries) {
            at(element_key(field, key.text), value.is_null() ? key : value);
        }
    }

    void section(std::string_view section, const yaml::Node& node)
    {
        at(std::string(section), node);
        for (const auto& [key, value] : node.entries) {
            field(join_path(section, key.text), value);
        }
    }

    void field(const std::string& path, const yaml::Node& value)
    {
        if (path == "python" || path == "docker" || path == "spark" || path == "docker.registry") {
            section(path, value);
        } else if (path == "python.conda") {
            list(path, value, [](const std::string& text) {
                return to_lower(parse_conda_spec(text).name);
            });
        } else if (path == "python.pip") {
            list(path, value, [](const std::string& text) {
                return parse_pip_requirement(text).normalized_name();
            });
        } else if (value.is_sequence()) {
            list(path, value);
        } else if (path == "variables" || path == "metadata") {
            mapping(path, value);
        } else {
            at(path, value);
        }
    }

private:
    const yaml::Document& m_document;
    std::map<std::string, SourceLocation>& m_locations;
};

} // namespace

void record_locations(const yaml::Document& document, Definition& definition)
{
    Locator locator(document, definition);
    for (const auto& [key, value] : document.root.entries) {
        locator.field(key.text, value);
    }
}

} // namespace envstore::detail
