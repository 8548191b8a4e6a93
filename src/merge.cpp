// One step of inheritance: a child definition over its base. The rules are
// those of docs/resolve.md; each function below is one of them.

#include "envstore/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace envstore {
namespace {

std::string lowercase(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return lower;
}

// Scalars: the child's value when it wrote one.
template <typename T> void take(std::optional<T>& into, const std::optional<T>& child)
{
    if (child) {
        into = child;
    }
}

// Lists whose order is a priority (channels, repositories, pip options): the
// child's entries first, then the base's that the child does not repeat.
std::vector<std::string> child_first(const std::vector<std::string>& base,
                                     const std::vector<std::string>& child)
{
    std::vector<std::string> merged = child;
    for (const std::string& item : base) {
        if (std::find(merged.begin(), merged.end(), item) == merged.end()) {
            merged.push_back(item);
        }
    }
    return merged;
}

// Lists keyed by a name: the base's entries, each replaced by the child's
// entry of the same key, then the child's new ones.
template <typename T, typename Key>
std::vector<T> by_key(const std::vector<T>& base, const std::vector<T>& child, Key key)
{
    std::vector<T> merged;
    std::set<std::string> in_child;
    for (const T& item : child) {
        in_child.insert(key(item));
    }
    for (const T& item : base) {
        if (!in_child.contains(key(item))) {
            merged.push_back(item);
        }
    }
    merged.insert(merged.end(), child.begin(), child.end());
    return merged;
}

std::string conda_key(const CondaSpec& spec)
{
    return lowercase(spec.name);
}

std::string pip_key(const PipRequirement& requirement)
{
    return requirement.normalized_name();
}

// "name", "name:arch" and "name=version" name the same apt package.
std::string apt_key(const std::string& entry)
{
    return entry.substr(0, entry.find_first_of(":="));
}

// "group:artifact:version" -> "group:artifact".
std::string maven_key(const std::string& coordinates)
{
    return coordinates.substr(0, coordinates.rfind(':'));
}

[[noreturn]] void throw_nothing_to_remove(const Definition& child, const std::string& name)
{
    Diagnostic diagnostic{"remove-not-inherited",
                          fmt::format("\"python.remove\" names \"{}\", which \"{}\" does not "
                                      "inherit from \"{}\"",
                                      name,
                                      child.name,
                                      child.extends.value_or("")),
                          std::nullopt,
                          "remove it from python.remove: no base provides that package"};
    auto location = child.locations.find(element_key("python.remove", name));
    if (location != child.locations.end()) {
        diagnostic.location = location->second;
    }
    throw Error(std::move(diagnostic));
}

// Drops the packages `child` removes from the inherited lists. A name matches
// a conda package by its lowercase name and a pip package by its PEP 503 name.
void apply_removals(PythonSettings& inherited, const Definition& child)
{
    const PythonSettings& python = *child.python;
    for (const std::string& name : python.remove) {
        std::string conda_name = lowercase(name);
        std::string pip_name = normalize_pip_name(name);
        auto conda_end =
            std::remove_if(inherited.conda.begin(), inherited.conda.end(), [&](const CondaSpec& s) {
                return conda_key(s) == conda_name;
            });
        auto pip_end =
            std::remove_if(inherited.pip.begin(),
                           inherited.pip.end(),
                           [&](const PipRequirement& r) { return pip_key(r) == pip_name; });
        bool found = conda_end != inherited.conda.end() || pip_end != inherited.pip.end();
        inherited.conda.erase(conda_end, inherited.conda.end());
        inherited.pip.erase(pip_end, inherited.pip.end());
        if (!found) {
            throw_nothing_to_remove(child, name);
        }
    }
}

PythonSettings merge_python(PythonSettings base, const Definition& child)
{
    if (!child.python) {
        return base;
    }
    const PythonSettings& python = *child.python;
    apply_removals(base, child);

    PythonSettings merged;
    merged.version = base.version;
    take(merged.version, python.version);
    merged.interpreter = base.interpreter;
    take(merged.interpreter, python.interpreter);
    merged.channels = child_first(base.channels, python.channels);
    merged.conda = by_key(base.conda, python.conda, conda_key);
    merged.pip = by_key(base.pip, python.pip, pip_key);
    merged.pip_options = child_first(base.pip_options, python.pip_options);
    return merged;
}

DockerSettings merge_docker(DockerSettings base, const DockerSettings& child)
{
    // An image and a Dockerfile exclude each other: choosing one replaces both.
    if (child.base_image || child.base_dockerfile) {
        base.base_image = child.base_image;
        base.base_dockerfile = child.base_dockerfile;
    }
    base.apt = by_key(base.apt, child.apt, apt_key);
    take(base.gpu, child.gpu);
    take(base.shm_size, child.shm_size);
    take(base.registry, child.registry);
    return base;
}

SparkSettings merge_spark(SparkSettings base, const SparkSettings& child)
{
    base.repositories = child_first(base.repositories, child.repositories);
    base.packages = by_key(base.packages, child.packages, maven_key);
    return base;
}

// Variables merge by name; a child's null removes the inherited one.
void merge_variables(Definition& merged, const Definition& child)
{
    for (const auto& [name, value] : child.variables) {
        if (value) {
            merged.variables[name] = value;
        } else {
            merged.variables.erase(name);
        }
    }
}

template <typename Section, typename Merge>
void merge_section(std::optional<Section>& into, const std::optional<Section>& child, Merge merge)
{
    if (child) {
        into = merge(into.value_or(Section{}), *child);
    }
}

// The rules across fields that a single file cannot check when it inherits
// `runtime` or `managed` (see check_conflicts), applied to the merge.
void check_merged(const Definition& merged, const Definition& child)
{
    auto fail = [&](std::string_view key, std::string message, std::string hint) {
        Diagnostic diagnostic{"conflicting-settings", std::move(message), std::nullopt, hint};
        auto location = child.locations.find(std::string(key));
        if (location != child.locations.end()) {
            diagnostic.location = location->second;
        }
        throw Error(std::move(diagnostic));
    };
    Runtime runtime = merged.runtime.value_or(Runtime::python);
    if (merged.spark && runtime != Runtime::spark) {
        fail("spark",
             fmt::format("\"{}\" has a \"spark\" section but resolves to runtime: {}",
                         child.name,
                         name_of(runtime)),
             "write runtime: spark");
    }
    bool managed = merged.managed.value_or(true);
    bool interpreter = merged.python && merged.python->interpreter;
    bool packages = merged.python && (!merged.python->conda.empty() || !merged.python->pip.empty());
    if (managed && interpreter) {
        fail("python.interpreter",
             fmt::format("\"{}\" resolves to a managed environment with \"python.interpreter\"",
                         child.name),
             "set managed: false, or remove \"python.interpreter\"");
    }
    if (!managed && (!interpreter || packages)) {
        fail("managed",
             fmt::format("\"{}\" resolves to a user-managed environment {}",
                         child.name,
                         packages ? "with packages to install" : "without \"python.interpreter\""),
             "a user-managed environment names its interpreter and installs nothing");
    }
}

} // namespace

Definition merge_definitions(const Definition& base, const Definition& child)
{
    Definition merged = base;
    merged.name = child.name;
    merged.extends = child.extends;
    merged.description = child.description; // says what the child is, never inherited
    take(merged.runtime, child.runtime);
    take(merged.managed, child.managed);
    if (!child.platforms.empty()) {
        merged.platforms = child.platforms; // a child narrows or widens its targets
    }

    if (child.python) {
        merged.python = merge_python(base.python.value_or(PythonSettings{}), child);
    } else if (merged.python) {
        merged.python->remove.clear();
    }
    merge_section(merged.docker, child.docker, merge_docker);
    merge_section(merged.spark, child.spark, merge_spark);

    merge_variables(merged, child);
    for (const auto& [key, value] : child.metadata) {
        merged.metadata[key] = value;
    }
    for (const auto& [key, value] : child.extensions) {
        merged.extensions[key] = value;
    }
    merged.locations.clear();
    check_merged(merged, child);
    return merged;
}

} // namespace envstore
