// Conda environment files (`environment.yml`, `conda env export` output) as
// definitions: channels, conda specs, the nested `pip:` section, variables.

#include "definition_reader.hpp"
#include "import_detail.hpp"
#include "yaml/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace envstore::detail {
namespace {

bool is_variable_name(const std::string& name)
{
    static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
    return std::regex_match(name, pattern);
}

class CondaImporter
{
public:
    CondaImporter(ImportContext& context,
                  const ImportSource& source,
                  const yaml::Document& document)
        : m_context(context), m_source(source), m_document(document)
    {
    }

    Definition run();

private:
    SourceLocation at(const yaml::Node& node) const { return m_document.locate(node.mark); }
    std::string scalar(const yaml::Node& node, std::string_view field) const;
    void read_channels(const yaml::Node& node);
    void read_dependencies(const yaml::Node& node);
    void read_dependency_mapping(const yaml::Node& item);
    void read_conda_spec(const yaml::Node& item);
    void read_pip_section(const yaml::Node& node);
    void read_variables(const yaml::Node& node);

    ImportContext& m_context;
    const ImportSource& m_source;
    const yaml::Document& m_document;
    Definition m_definition;
    PythonSettings m_python;
};

std::string CondaImporter::scalar(const yaml::Node& node, std::string_view field) const
{
    if (!node.is_scalar()) {
        m_context.fail(at(node), fmt::format("\"{}\" must be a string", field));
    }
    return node.text;
}

Definition CondaImporter::run()
{
    const yaml::Node& root = m_document.root;
    if (root.is_null()) {
        return m_definition;
    }
    if (!root.is_mapping()) {
        m_context.fail(at(root), "a conda environment file must hold a mapping");
    }
    for (const auto& [key, value] : root.entries) {
        if (key.text == "name") {
            m_definition.name = scalar(value, "name");
        } else if (key.text == "channels") {
            read_channels(value);
        } else if (key.text == "dependencies") {
            read_dependencies(value);
        } else if (key.text == "variables") {
            read_variables(value);
        } else if (key.text == "prefix") {
            m_context.note(at(key),
                           "\"prefix\" is dropped: it names a folder on the machine that "
                           "exported the file");
        } else {
            m_context.not_carried(at(key), fmt::format("field \"{}\" is not carried", key.text));
        }
    }
    if (!m_python.channels.empty() || !m_python.conda.empty() || !m_python.pip.empty() ||
        !m_python.pip_options.empty()) {
        m_definition.python = std::move(m_python);
    }
    return m_definition;
}

void CondaImporter::read_channels(const yaml::Node& node)
{
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        m_context.fail(at(node), "\"channels\" must be a list of channels");
    }
    for (const yaml::Node& item : node.items) {
        std::string channel = scalar(item, "channels");
        auto& channels = m_python.channels;
        if (std::find(channels.begin(), channels.end(), channel) != channels.end()) {
            m_context.note(at(item), fmt::format("channel \"{}\" is listed twice", channel));
            continue;
        }
        m_context.first_place("python.channels/" + channel, at(item));
        channels.push_back(channel);
    }
}

void CondaImporter::read_dependencies(const yaml::Node& node)
{
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        m_context.fail(at(node), "\"dependencies\" must be a list");
    }
    for (const yaml::Node& item : node.items) {
        if (item.is_mapping()) {
            read_dependency_mapping(item);
        } else if (item.is_scalar()) {
            read_conda_spec(item);
        } else {
            m_context.not_carried(at(item), "an empty or nested entry of \"dependencies\"");
        }
    }
}

void CondaImporter::read_dependency_mapping(const yaml::Node& item)
{
    for (const auto& [key, value] : item.entries) {
        if (key.text == "pip") {
            read_pip_section(value);
        } else if (key.text.rfind("sel(", 0) == 0) {
            std::string what = value.is_scalar() ? value.text : std::string("its packages");
            m_context.not_carried(at(key),
                                  fmt::format("platform selector \"{}\" is not carried: \"{}\" "
                                              "is left out",
                                              key.text,
                                              what),
                                  "list the package without a selector if every platform "
                                  "needs it");
        } else {
            m_context.not_carried(
                at(key), fmt::format("dependency section \"{}\" is not carried", key.text));
        }
    }
}

void CondaImporter::read_conda_spec(const yaml::Node& item)
{
    CondaSpec spec;
    try {
        spec = parse_conda_spec(item.text);
    } catch (const Error& error) {
        m_context.fail(at(item), error.message());
    }
    SourceLocation place = at(item);
    if (auto first = m_context.first_place("python.conda/" + to_lower(spec.name), place)) {
        auto same = std::find(m_python.conda.begin(), m_python.conda.end(), spec);
        if (same == m_python.conda.end()) {
            m_context.not_carried(place,
                                  fmt::format("second spec \"{}\" for conda package \"{}\" is "
                                              "not carried (first at {}:{})",
                                              spec.to_string(),
                                              spec.name,
                                              first->path,
                                              first->line));
        }
        return;
    }
    m_python.conda.push_back(std::move(spec));
}

void CondaImporter::read_pip_section(const yaml::Node& node)
{
    if (node.is_null()) {
        return;
    }
    if (!node.is_sequence()) {
        m_context.fail(at(node), "\"pip\" must be a list of requirements");
    }
    std::vector<PipLine> lines;
    for (const yaml::Node& item : node.items) {
        lines.push_back({scalar(item, "pip"), at(item)});
    }
    import_pip_lines(m_context, m_source, lines, m_python);
}

void CondaImporter::read_variables(const yaml::Node& node)
{
    if (node.is_null()) {
        return;
    }
    if (!node.is_mapping()) {
        m_context.fail(at(node), "\"variables\" must be a mapping of names to values");
    }
    for (const auto& [key, value] : node.entries) {
        if (!value.is_scalar()) {
            m_context.not_carried(at(value),
                                  fmt::format("variable \"{}\" has no string value", key.text));
            continue;
        }
        if (!is_variable_name(key.text)) {
            m_context.fail(at(key),
                           fmt::format("invalid variable name \"{}\"", key.text),
                           "use letters, digits and \"_\", not starting with a digit");
        }
        m_context.first_place("variables/" + key.text, at(key));
        m_definition.variables[key.text] = value.text;
    }
}

void refuse_explicit_file(ImportContext& context, const ImportSource& source)
{
    for (std::size_t i = 0; i < source.lines.size(); ++i) {
        if (source.lines[i].rfind("@EXPLICIT", 0) == 0) {
            context.fail(source.at(static_cast<int>(i) + 1, 1),
                         "an explicit conda lock file (@EXPLICIT) cannot be imported",
                         "import the environment file it was made from");
        }
    }
}

} // namespace

Definition import_conda(ImportContext& context, const ImportSource& source)
{
    refuse_explicit_file(context, source);
    yaml::Document document = yaml::parse(source.text, source.path);
    return CondaImporter(context, source, document).run();
}

} // namespace envstore::detail
