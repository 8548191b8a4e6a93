#include "export/export_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace envstore {
namespace detail {
namespace {

using yaml::YamlNode;

bool has_conda_package(const PythonSettings& python, std::string_view name)
{
    return std::any_of(python.conda.begin(), python.conda.end(), [&](const CondaSpec& spec) {
        std::string lower = spec.name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
            return static_cast<char>(std::tolower(c));
        });
        return lower == name;
    });
}

// `python=VERSION` first, unless python.conda names python itself; then the
// conda specs; then pip with the nested pip list, when there is one.
YamlNode dependencies(const ResolvedDefinition& resolved, ExportResult& result)
{
    YamlNode list = YamlNode::list();
    const PythonSettings& python = *resolved.definition.python;
    if (python.version && has_conda_package(python, "python")) {
        result.warnings.push_back(not_exported(
            resolved,
            "python.version",
            fmt::format(
                "\"python.version\" {} is not exported: python.conda has its own python spec",
                *python.version)));
    } else if (python.version) {
        list.add("python=" + *python.version);
    }
    for (const CondaSpec& spec : python.conda) {
        list.add(spec.to_string());
    }

    // pip given options and no requirement stops with an error, so without
    // pip packages there is no pip section.
    if (python.pip.empty()) {
        if (!python.pip_options.empty()) {
            result.warnings.push_back(not_exported(
                resolved,
                "python.pip_options",
                "\"python.pip_options\" is not exported: there are no pip packages to apply "
                "them to, and pip given options alone stops with an error"));
        }
        return list;
    }
    std::vector<std::string> lines = pip_lines(resolved, result);
    if (!has_conda_package(python, "pip")) {
        list.add("pip");
    }
    YamlNode pip = YamlNode::list();
    for (std::string& line : lines) {
        pip.add(std::move(line));
    }
    return list.add(YamlNode::map().set("pip", std::move(pip)));
}

// Whether `value` is exactly `${NAME}`, NAME a variable name: a value taken
// from the environment where the definition is built or run.
bool names_a_variable(std::string_view value)
{
    if (value.size() < 4 || !value.starts_with("${") || !value.ends_with('}')) {
        return false;
    }
    std::string_view name = value.substr(2, value.size() - 3);
    auto is_name_char = [](unsigned char c) { return std::isalnum(c) || c == '_'; };
    return !std::isdigit(static_cast<unsigned char>(name.front())) &&
           std::all_of(name.begin(), name.end(), [&](char c) {
               return is_name_char(static_cast<unsigned char>(c));
           });
}

// The variables set to a value. conda sets `${NAME}` as that very text on
// activation, hiding the value it stands for: such a variable is left out.
YamlNode variables(const ResolvedDefinition& resolved, ExportResult& result)
{
    YamlNode map = YamlNode::map();
    for (const auto& [name, value] : resolved.definition.variables) {
        if (value && names_a_variable(*value)) {
            result.warnings.push_back(not_exported(
                resolved,
                element_key("variables", name),
                fmt::format("variable \"{}\" is not exported: conda would set it to the text "
                            "\"{}\", not to the value it names",
                            name,
                            *value)));
        } else if (value) {
            map.set(name, *value);
        }
    }
    return map;
}

} // namespace

// conda refuses to create an environment named base or root.
void warn_reserved_name(const ResolvedDefinition& resolved, ExportResult& result)
{
    const std::string& name = resolved.definition.name;
    if (name == "base" || name == "root") {
        Diagnostic warning{"conda-reserved-name",
                           fmt::format("conda refuses the environment name \"{}\"", name),
                           std::nullopt,
                           "name the environment when you create it: conda env create -n NAME"};
        result.warnings.push_back(std::move(warning));
    }
}

YamlNode conda_document(const ResolvedDefinition& resolved, ExportResult& result)
{
    const Definition& definition = resolved.definition;
    YamlNode document = YamlNode::map().set("name", definition.name);
    if (definition.python && !definition.python->channels.empty()) {
        YamlNode channels = YamlNode::list();
        for (const std::string& channel : definition.python->channels) {
            channels.add(channel);
        }
        document.set("channels", std::move(channels));
    }
    // conda requires `dependencies`, even an empty one (CEP 24).
    document.set("dependencies",
                 definition.python ? dependencies(resolved, result) : YamlNode::list());
    YamlNode set_variables = variables(resolved, result);
    if (!set_variables.empty()) {
        document.set("variables", std::move(set_variables));
    }
    return document;
}

} // namespace detail

ExportResult export_conda(const ResolvedDefinition& resolved)
{
    ExportResult result;
    detail::warn_reserved_name(resolved, result);
    yaml::YamlNode document = detail::conda_document(resolved, result);
    detail::warn_not_carried(resolved,
                             "conda",
                             {"python.version",
                              "python.channels",
                              "python.conda",
                              "python.pip",
                              "python.pip_options",
                              "variables"},
                             result);
    result.files.push_back({"environment.yml", yaml::write_yaml(document)});
    return result;
}

} // namespace envstore
