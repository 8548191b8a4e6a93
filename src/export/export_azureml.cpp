#include "export/export_detail.hpp"

#include <algorithm>

namespace envstore {
namespace {

using yaml::YamlNode;

constexpr std::string_view k_schema =
    "https://azuremlschemas.azureedge.net/latest/environment.schema.json";
constexpr std::string_view k_conda_file = "conda.yaml";

// Azure ML's os_type when every platform is of one system, "" otherwise.
std::string os_type(const std::vector<std::string>& platforms)
{
    for (std::string_view prefix : {"linux-", "win-"}) {
        bool all = !platforms.empty() &&
                   std::all_of(platforms.begin(), platforms.end(), [&](const std::string& p) {
                       return p.starts_with(prefix);
                   });
        if (all) {
            return prefix == "win-" ? "windows" : "linux";
        }
    }
    return "";
}

YamlNode environment_document(const ResolvedDefinition& resolved, ExportResult& result)
{
    const Definition& definition = resolved.definition;
    YamlNode document = YamlNode::map().set("$schema", std::string(k_schema));
    document.set("name", definition.name);
    if (resolved.version) {
        document.set("version", std::to_string(*resolved.version));
    }
    if (definition.description) {
        document.set("description", *definition.description);
    }
    if (definition.docker && definition.docker->base_image) {
        document.set("image", *definition.docker->base_image);
    } else {
        result.warnings.push_back(
            {"missing-image",
             "environment.yaml has no image: Azure ML needs one, and \"docker.base_image\" is "
             "not set",
             std::nullopt,
             "set docker.base_image, or add an image to environment.yaml"});
    }
    document.set("conda_file", std::string(k_conda_file));
    if (std::string os = os_type(definition.platforms); !os.empty()) {
        document.set("os_type", os);
    }
    if (!definition.metadata.empty()) {
        YamlNode tags = YamlNode::map();
        for (const auto& [key, value] : definition.metadata) {
            tags.set(key, value);
        }
        document.set("tags", std::move(tags));
    }
    return document;
}

} // namespace

// environment.yaml names the image and the conda file; the conda file is
// the conda export's document.
ExportResult export_azureml(const ResolvedDefinition& resolved)
{
    ExportResult result;
    YamlNode environment = environment_document(resolved, result);
    YamlNode conda = detail::conda_document(resolved, result);
    std::vector<std::string_view> carried = {"python.version",
                                             "python.channels",
                                             "python.conda",
                                             "python.pip",
                                             "python.pip_options",
                                             "variables",
                                             "docker.base_image"};
    if (!os_type(resolved.definition.platforms).empty()) {
        carried.push_back("platforms");
    }
    detail::warn_not_carried(resolved, "azureml", carried, result);
    result.files.push_back({"environment.yaml", yaml::write_yaml(environment)});
    result.files.push_back({std::string(k_conda_file), yaml::write_yaml(conda)});
    return result;
}

} // namespace envstore
