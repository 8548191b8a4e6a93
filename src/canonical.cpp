#include "envstore/canonical.hpp"

#include "canonical_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace envstore {
namespace detail {
namespace {

using nlohmann::ordered_json;

std::string to_lower(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return lower;
}

// Adds `key: value` unless `value` is an empty list or mapping.
void put(ordered_json& object, const char* key, ordered_json value)
{
    if (value.is_structured() && value.empty()) {
        return;
    }
    object[key] = std::move(value);
}

template <typename T> void put(ordered_json& object, const char* key, const std::optional<T>& value)
{
    if (value) {
        object[key] = *value;
    }
}

ordered_json sorted_list(std::vector<std::string> items)
{
    std::sort(items.begin(), items.end());
    return items;
}

ordered_json conda_list(const std::vector<CondaSpec>& specs)
{
    std::vector<std::tuple<std::string, std::string>> keyed;
    for (const CondaSpec& spec : specs) {
        keyed.emplace_back(to_lower(spec.name), spec.to_string());
    }
    std::sort(keyed.begin(), keyed.end());
    ordered_json list = ordered_json::array();
    for (const auto& [name, text] : keyed) {
        list.push_back(text);
    }
    return list;
}

ordered_json pip_list(const std::vector<PipRequirement>& requirements)
{
    std::vector<std::tuple<std::string, std::string>> keyed;
    for (const PipRequirement& requirement : requirements) {
        keyed.emplace_back(requirement.normalized_name(), requirement.to_string());
    }
    std::sort(keyed.begin(), keyed.end());
    ordered_json list = ordered_json::array();
    for (const auto& [name, text] : keyed) {
        list.push_back(text);
    }
    return list;
}

ordered_json python_tree(const PythonSettings& python)
{
    ordered_json tree = ordered_json::object();
    put(tree, "version", python.version);
    put(tree, "interpreter", python.interpreter);
    put(tree, "channels", python.channels);
    put(tree, "conda", conda_list(python.conda));
    put(tree, "pip", pip_list(python.pip));
    put(tree, "pip_options", python.pip_options);
    put(tree, "remove", sorted_list(python.remove));
    return tree;
}

ordered_json registry_tree(const RegistrySettings& registry)
{
    ordered_json tree = ordered_json::object();
    tree["address"] = registry.address;
    put(tree, "username_env", registry.username_env);
    put(tree, "password_env", registry.password_env);
    return tree;
}

// A section holding nothing but `gpu: false` says nothing the absence of a
// section does not, so it is omitted too.
ordered_json docker_tree(const DockerSettings& docker)
{
    bool gpu = docker.gpu.value_or(false);
    bool has_settings = docker.base_image || docker.base_dockerfile || !docker.apt.empty() ||
                        docker.shm_size || docker.registry;
    ordered_json tree = ordered_json::object();
    if (!has_settings && !gpu) {
        return tree;
    }
    put(tree, "base_image", docker.base_image);
    put(tree, "base_dockerfile", docker.base_dockerfile);
    put(tree, "apt", sorted_list(docker.apt));
    tree["gpu"] = gpu;
    put(tree, "shm_size", docker.shm_size);
    if (docker.registry) {
        tree["registry"] = registry_tree(*docker.registry);
    }
    return tree;
}

ordered_json spark_tree(const SparkSettings& spark)
{
    ordered_json tree = ordered_json::object();
    put(tree, "repositories", spark.repositories);
    put(tree, "packages", sorted_list(spark.packages));
    return tree;
}

ordered_json variables_tree(const std::map<std::string, std::optional<std::string>>& variables)
{
    ordered_json tree = ordered_json::object();
    for (const auto& [name, value] : variables) {
        tree[name] = value ? ordered_json(*value) : ordered_json(nullptr);
    }
    return tree;
}

// Parsed as `nlohmann::json` first, whose objects keep their keys sorted.
ordered_json extension_value(const std::string& key, const std::string& json)
{
    try {
        return ordered_json(nlohmann::json::parse(json));
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("extension field \"{}\" does not hold JSON", key));
    }
}

} // namespace

ordered_json canonical_build_tree(const Definition& definition)
{
    ordered_json tree = ordered_json::object();
    tree["runtime"] = name_of(definition.runtime.value_or(Runtime::python));
    tree["managed"] = definition.managed.value_or(true);
    put(tree, "platforms", sorted_list(definition.platforms));
    if (definition.python) {
        put(tree, "python", python_tree(*definition.python));
    }
    put(tree, "variables", variables_tree(definition.variables));
    if (definition.docker) {
        put(tree, "docker", docker_tree(*definition.docker));
    }
    if (definition.spark) {
        put(tree, "spark", spark_tree(*definition.spark));
    }
    return tree;
}

ordered_json canonical_tree(const Definition& definition)
{
    ordered_json tree = ordered_json::object();
    tree["name"] = definition.name;
    put(tree, "description", definition.description);
    put(tree, "extends", definition.extends);
    ordered_json build = canonical_build_tree(definition);
    for (auto& [key, value] : build.items()) {
        tree[key] = std::move(value);
    }
    put(tree, "metadata", ordered_json(definition.metadata));
    // std::map keeps the extension keys sorted.
    for (const auto& [key, json] : definition.extensions) {
        tree[key] = extension_value(key, json);
    }
    return tree;
}

std::string dump_compact(const ordered_json& tree)
{
    try {
        return tree.dump();
    } catch (const nlohmann::json::type_error&) {
        throw Error(ErrorCode::invalid_input, "the definition holds text that is not UTF-8");
    }
}

} // namespace detail

std::string canonical_json(const Definition& definition)
{
    return detail::dump_compact(detail::canonical_tree(definition));
}

} // namespace envstore
