// Element keys and the flat view of a definition that diff, blame, policy and
// resolve's origins share (see envstore/resolve.hpp for the key scheme).

#include "envstore/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace envstore {
namespace {

using Elements = std::map<std::string, ElementValue>;

std::string lowercase(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return lower;
}

std::string joined(const std::vector<std::string>& items)
{
    return fmt::format("{}", fmt::join(items, ", "));
}

void put(Elements& elements, std::string_view field, const std::optional<std::string>& value)
{
    if (value) {
        elements[element_key(field)] = *value;
    }
}

void put_entries(Elements& elements, std::string_view field, const std::vector<std::string>& items)
{
    for (const std::string& item : items) {
        elements[element_key(field, item)] = item;
    }
}

// A list whose order means something: one element per entry, one for the order.
void put_ordered(Elements& elements, std::string_view field, const std::vector<std::string>& items)
{
    if (items.empty()) {
        return;
    }
    put_entries(elements, field, items);
    elements[element_key(field)] = joined(items);
}

void put_python(Elements& elements, const PythonSettings& python)
{
    put(elements, "python.version", python.version);
    put(elements, "python.interpreter", python.interpreter);
    put_ordered(elements, "python.channels", python.channels);
    for (const CondaSpec& spec : python.conda) {
        elements[element_key("python.conda", lowercase(spec.name))] = spec.to_string();
    }
    for (const PipRequirement& requirement : python.pip) {
        elements[element_key("python.pip", requirement.normalized_name())] =
            requirement.to_string();
    }
    put_ordered(elements, "python.pip_options", python.pip_options);
    put_entries(elements, "python.remove", python.remove);
}

void put_docker(Elements& elements, const DockerSettings& docker)
{
    bool gpu = docker.gpu.value_or(false);
    bool has_settings = docker.base_image || docker.base_dockerfile || !docker.apt.empty() ||
                        docker.shm_size || docker.registry;
    if (!has_settings && !gpu) {
        return; // the canonical form omits such a section
    }
    put(elements, "docker.base_image", docker.base_image);
    put(elements, "docker.base_dockerfile", docker.base_dockerfile);
    put_entries(elements, "docker.apt", docker.apt);
    elements["docker.gpu"] = gpu ? "true" : "false";
    put(elements, "docker.shm_size", docker.shm_size);
    if (docker.registry) {
        elements["docker.registry.address"] = docker.registry->address;
        put(elements, "docker.registry.username_env", docker.registry->username_env);
        put(elements, "docker.registry.password_env", docker.registry->password_env);
    }
}

} // namespace

std::string element_key(std::string_view field, std::string_view item)
{
    if (item.empty()) {
        return std::string(field);
    }
    return fmt::format("{}/{}", field, item);
}

std::map<std::string, ElementValue> definition_elements(const Definition& definition)
{
    Elements elements;
    elements["name"] = definition.name;
    put(elements, "description", definition.description);
    put(elements, "extends", definition.extends);
    elements["runtime"] = std::string(name_of(definition.runtime.value_or(Runtime::python)));
    elements["managed"] = definition.managed.value_or(true) ? "true" : "false";
    put_entries(elements, "platforms", definition.platforms);
    if (definition.python) {
        put_python(elements, *definition.python);
    }
    for (const auto& [name, value] : definition.variables) {
        elements[element_key("variables", name)] = value;
    }
    if (definition.docker) {
        put_docker(elements, *definition.docker);
    }
    if (definition.spark) {
        put_ordered(elements, "spark.repositories", definition.spark->repositories);
        put_entries(elements, "spark.packages", definition.spark->packages);
    }
    for (const auto& [key, value] : definition.metadata) {
        elements[element_key("metadata", key)] = value;
    }
    for (const auto& [key, json] : definition.extensions) {
        elements[key] = json;
    }
    return elements;
}

} // namespace envstore
