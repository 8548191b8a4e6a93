#include "definition_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <map>

namespace envstore::detail {
namespace {

constexpr std::array<std::string_view, 7> k_python_fields = {
    "version",
    "interpreter",
    "channels",
    "conda",
    "pip",
    "pip_options",
    "remove",
};
constexpr std::array<std::string_view, 6> k_docker_fields = {
    "base_image",
    "base_dockerfile",
    "apt",
    "gpu",
    "shm_size",
    "registry",
};
constexpr std::array<std::string_view, 3> k_registry_fields = {
    "address",
    "username_env",
    "password_env",
};
constexpr std::array<std::string_view, 2> k_spark_fields = {"repositories", "packages"};

// Remembers the first line of each package name to point duplicates at it.
class PackageNames
{
public:
    explicit PackageNames(std::string_view kind) : m_kind(kind) {}

    void add(const std::string& name, const yaml::Node& at, Findings& findings)
    {
        auto [first, inserted] = m_first_lines.emplace(name, at.mark.line);
        if (!inserted) {
            findings.add(
                rule::duplicate_package,
                at,
                fmt::format(
                    "duplicate {} package \"{}\" (first at line {})", m_kind, name, first->second));
        }
    }

private:
    std::string_view m_kind;
    std::map<std::string, int> m_first_lines;
};

// The spec parsers name what is wrong; the item's position is added here.
template <typename Spec, typename Parse, typename Key>
std::vector<Spec> read_specs(const Entry& entry,
                             std::string_view path,
                             std::string_view kind,
                             std::string_view rule_id,
                             Parse parse,
                             Key key,
                             Findings& findings)
{
    std::vector<Spec> specs;
    PackageNames names(kind);
    for (const ListItem& item : read_string_list(entry, path, findings)) {
        try {
            Spec spec = parse(item.text);
            names.add(key(spec), *item.node, findings);
            specs.push_back(std::move(spec));
        } catch (const Error& error) {
            findings.add(rule_id, *item.node, error.message(), error.hint());
        }
    }
    return specs;
}

// Strings that must not be empty. `what` names an entry in duplicate
// findings; empty where an entry may repeat.
std::vector<std::string>
read_texts(const Entry& entry, std::string_view path, std::string_view what, Findings& findings)
{
    std::vector<ListItem> items = read_string_list(entry, path, findings);
    std::vector<std::string> texts;
    for (const ListItem& item : items) {
        check_not_empty(item.text, *item.node, path, findings);
        texts.push_back(item.text);
    }
    if (!what.empty()) {
        check_unique(items, what, findings);
    }
    return texts;
}

void read_python_field(const Entry& field, PythonSettings& python, Findings& findings)
{
    const std::string& key = field.first.text;
    std::string path = join_path("python", key);
    if (key == "version") {
        python.version = read_string(field, path, findings);
        if (python.version) {
            check_python_version(*python.version, field.second, findings);
        }
    } else if (key == "interpreter") {
        python.interpreter = read_string(field, path, findings);
        if (python.interpreter) {
            check_not_empty(*python.interpreter, field.second, path, findings);
        }
    } else if (key == "channels") {
        python.channels = read_texts(field, path, "channel", findings);
    } else if (key == "conda") {
        python.conda = read_specs<CondaSpec>(
            field,
            path,
            "conda",
            rule::invalid_conda_spec,
            parse_conda_spec,
            [](const CondaSpec& spec) { return to_lower(spec.name); },
            findings);
    } else if (key == "pip") {
        python.pip = read_specs<PipRequirement>(
            field,
            path,
            "pip",
            rule::invalid_pip_requirement,
            parse_pip_requirement,
            [](const PipRequirement& spec) { return spec.normalized_name(); },
            findings);
    } else if (key == "pip_options") {
        python.pip_options = read_texts(field, path, "", findings);
    } else if (key == "remove") {
        python.remove = read_texts(field, path, "package to remove", findings);
    } else if (!is_password_key(field.first)) {
        report_unknown_field(field.first, "python", k_python_fields, findings);
    }
}

RegistrySettings read_registry(const Entry& entry, Findings& findings)
{
    RegistrySettings registry;
    if (!expect_mapping(entry, "docker.registry", findings)) {
        return registry;
    }
    bool has_address = false;
    for (const Entry& field : entry.second.entries) {
        const std::string& key = field.first.text;
        std::string path = join_path("docker.registry", key);
        if (key == "address") {
            has_address = true;
            auto address = read_string(field, path, findings);
            if (address && check_not_empty(*address, field.second, path, findings)) {
                registry.address = *address;
            }
        } else if (key == "username_env" || key == "password_env") {
            auto name = read_string(field, path, findings);
            if (name) {
                check_variable_name(*name, field.second, findings);
            }
            (key == "username_env" ? registry.username_env : registry.password_env) = name;
        } else if (!is_password_key(field.first)) {
            report_unknown_field(field.first, "docker.registry", k_registry_fields, findings);
        }
    }
    if (!has_address) {
        findings.add(
            rule::missing_field, entry.first, "missing required field \"docker.registry.address\"");
    }
    return registry;
}

void read_docker_field(const Entry& field, DockerSettings& docker, Findings& findings)
{
    const std::string& key = field.first.text;
    std::string path = join_path("docker", key);
    if (key == "base_image") {
        docker.base_image = read_string(field, path, findings);
        if (docker.base_image) {
            check_not_empty(*docker.base_image, field.second, path, findings);
        }
    } else if (key == "base_dockerfile") {
        docker.base_dockerfile = read_string(field, path, findings);
        if (docker.base_dockerfile) {
            check_file_reference(*docker.base_dockerfile, field.second, path, findings);
        }
    } else if (key == "apt") {
        std::vector<ListItem> items = read_string_list(field, path, findings);
        for (const ListItem& item : items) {
            check_apt_package(item, findings);
            docker.apt.push_back(item.text);
        }
        check_unique(items, "apt package", findings);
    } else if (key == "gpu") {
        docker.gpu = read_bool(field, path, findings);
    } else if (key == "shm_size") {
        docker.shm_size = read_string(field, path, findings);
        if (docker.shm_size) {
            check_shm_size(*docker.shm_size, field.second, findings);
        }
    } else if (key == "registry") {
        docker.registry = read_registry(field, findings);
    } else if (!is_password_key(field.first)) {
        report_unknown_field(field.first, "docker", k_docker_fields, findings);
    }
}

} // namespace

PythonSettings read_python(const Entry& entry, Findings& findings)
{
    PythonSettings python;
    if (expect_mapping(entry, "python", findings)) {
        for (const Entry& field : entry.second.entries) {
            read_python_field(field, python, findings);
        }
    }
    return python;
}

DockerSettings read_docker(const Entry& entry, Findings& findings)
{
    DockerSettings docker;
    if (expect_mapping(entry, "docker", findings)) {
        for (const Entry& field : entry.second.entries) {
            read_docker_field(field, docker, findings);
        }
    }
    return docker;
}

SparkSettings read_spark(const Entry& entry, Findings& findings)
{
    SparkSettings spark;
    if (!expect_mapping(entry, "spark", findings)) {
        return spark;
    }
    for (const Entry& field : entry.second.entries) {
        const std::string& key = field.first.text;
        std::string path = join_path("spark", key);
        if (key == "repositories") {
            spark.repositories = read_texts(field, path, "spark repository", findings);
        } else if (key == "packages") {
            std::vector<ListItem> items = read_string_list(field, path, findings);
            for (const ListItem& item : items) {
                check_spark_package(item, findings);
                spark.packages.push_back(item.text);
            }
            check_unique(items, "spark package", findings);
        } else if (!is_password_key(field.first)) {
            report_unknown_field(field.first, "spark", k_spark_fields, findings);
        }
    }
    return spark;
}

} // namespace envstore::detail
