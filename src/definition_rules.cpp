#include "definition_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace envstore {
namespace detail {
namespace {

const Entry* find_entry(const yaml::Node& mapping, std::string_view key)
{
    if (!mapping.is_mapping()) {
        return nullptr;
    }
    for (const Entry& entry : mapping.entries) {
        if (entry.first.is_scalar() && entry.first.text == key) {
            return &entry;
        }
    }
    return nullptr;
}

// The entry `section.key`, when `section` is a mapping holding `key`.
const Entry* find_entry(const yaml::Node& root, std::string_view section, std::string_view key)
{
    const Entry* outer = find_entry(root, section);
    return outer ? find_entry(outer->second, key) : nullptr;
}

bool has_items(const Entry* entry)
{
    return entry && entry->second.is_sequence() && !entry->second.items.empty();
}

// The value in force, or nothing when the field was written but is invalid
// (its own rule reported it, and guessing would add false findings).
template <typename T>
std::optional<T>
effective(const yaml::Node& root, std::string_view key, const std::optional<T>& value, T fallback)
{
    return find_entry(root, key) ? value : std::optional<T>(fallback);
}

void check_docker_base(const yaml::Node& root, Findings& findings)
{
    const Entry* image = find_entry(root, "docker", "base_image");
    const Entry* dockerfile = find_entry(root, "docker", "base_dockerfile");
    if (image && dockerfile) {
        findings.add(rule::conflicting_settings,
                     dockerfile->first,
                     fmt::format("\"docker.base_dockerfile\" and \"docker.base_image\" (line {}) "
                                 "exclude each other",
                                 image->first.mark.line),
                     "build from an image or from a Dockerfile, not both");
    }
}

void check_user_managed(const yaml::Node& root, bool managed, Findings& findings)
{
    const Entry* interpreter = find_entry(root, "python", "interpreter");
    if (managed) {
        if (interpreter) {
            findings.add(rule::conflicting_settings,
                         interpreter->first,
                         "\"python.interpreter\" is only for user-managed environments",
                         "set managed: false, or remove \"python.interpreter\"");
        }
        return;
    }

    const Entry* managed_entry = find_entry(root, "managed");
    if (!interpreter) {
        findings.add(rule::conflicting_settings,
                     managed_entry->second,
                     "a user-managed environment (managed: false) needs \"python.interpreter\"");
    }
    for (std::string_view key : {"conda", "pip"}) {
        const Entry* packages = find_entry(root, "python", key);
        if (has_items(packages)) {
            findings.add(rule::conflicting_settings,
                         packages->first,
                         fmt::format("a user-managed environment (managed: false) cannot "
                                     "install \"python.{}\" packages",
                                     key),
                         "remove the packages, or set managed: true");
        }
    }
}

void check_spark_runtime(const yaml::Node& root, Runtime runtime, Findings& findings)
{
    const Entry* spark = find_entry(root, "spark");
    if (spark && spark->second.is_mapping() && runtime != Runtime::spark) {
        findings.add(
            rule::conflicting_settings,
            spark->first,
            fmt::format("a \"spark\" section needs runtime: spark, not {}", name_of(runtime)));
    }
}

bool is_package_name(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

// `python.remove` takes names out of what a base provides: without a base it
// has nothing to act on, and a version constraint there would mean nothing.
void check_removals(const yaml::Node& root, Findings& findings)
{
    const Entry* remove = find_entry(root, "python", "remove");
    if (!remove || !remove->second.is_sequence()) {
        return;
    }
    if (!find_entry(root, "extends")) {
        findings.add(
            rule::conflicting_settings,
            remove->first,
            "\"python.remove\" needs \"extends\": there is no base to remove packages from",
            "remove \"python.remove\", or name a base with extends:");
    }
    for (const yaml::Node& item : remove->second.items) {
        if (item.is_scalar() && !item.text.empty() && !is_package_name(item.text)) {
            findings.add(
                rule::conflicting_settings,
                item,
                fmt::format("\"python.remove\" takes package names, not \"{}\"", item.text),
                "write the name alone, e.g. numpy");
        }
    }
}

} // namespace

void check_conflicts(const yaml::Node& root, const Definition& definition, Findings& findings)
{
    check_docker_base(root, findings);
    // With a base, an unwritten runtime or managed is inherited: resolve checks
    // the merged definition instead (check_resolved_conflicts).
    bool inherits = find_entry(root, "extends") != nullptr;
    if (find_entry(root, "managed") || !inherits) {
        if (auto managed = effective(root, "managed", definition.managed, true)) {
            check_user_managed(root, *managed, findings);
        }
    }
    if (find_entry(root, "runtime") || !inherits) {
        if (auto runtime = effective(root, "runtime", definition.runtime, Runtime::python)) {
            check_spark_runtime(root, *runtime, findings);
        }
    }
    check_removals(root, findings);
}

} // namespace detail

const std::vector<ValidationRule>& validation_rules()
{
    namespace rule = detail::rule;
    static const std::vector<ValidationRule> rules = {
        {yaml::k_rule_yaml_syntax, "the file is well-formed YAML"},
        {yaml::k_rule_yaml_encoding, "the file is UTF-8 text without NUL bytes"},
        {yaml::k_rule_yaml_duplicate_key, "no key appears twice in one mapping"},
        {yaml::k_rule_yaml_tag, "no explicit YAML tags such as !!str or !custom"},
        {yaml::k_rule_yaml_alias, "no YAML anchors or aliases"},
        {yaml::k_rule_yaml_limit, "the file stays within the size, depth and node limits"},
        {rule::empty_definition, "the file holds a definition, not nothing"},
        {rule::wrong_type, "every field has the type the schema gives it"},
        {rule::unknown_field, "every field is one the schema knows, or starts with \"x-\""},
        {rule::missing_field, "required fields are present: name, docker.registry.address"},
        {rule::empty_value, "strings that name something are not empty"},
        {rule::invalid_name, "the environment name follows the naming rules"},
        {rule::reserved_name, "the environment name is not the reserved \"curated\""},
        {rule::name_mismatch, "the name matches the environment's folder"},
        {rule::invalid_extends, "extends is a valid reference to another environment"},
        {rule::invalid_runtime, "runtime is python, spark or docker"},
        {rule::invalid_boolean, "booleans are written true or false"},
        {rule::unknown_platform, "platforms are conda platform names"},
        {rule::invalid_python_version, "python.version is X.Y or X.Y.Z"},
        {rule::invalid_conda_spec, "python.conda entries are valid conda match specs"},
        {rule::invalid_pip_requirement, "python.pip entries are valid PEP 508 requirements"},
        {rule::duplicate_package, "no conda or pip package is listed twice"},
        {rule::duplicate_entry, "no platform, channel, apt package or spark entry is listed twice"},
        {rule::invalid_variable_name, "variable names are POSIX environment variable names"},
        {rule::invalid_shm_size, "docker.shm_size is a number with an optional b, k, m or g"},
        {rule::invalid_apt_package, "docker.apt entries are Debian package names"},
        {rule::invalid_file_reference, "referenced files are relative paths inside the folder"},
        {rule::invalid_spark_package, "spark.packages are Maven group:artifact:version"},
        {rule::conflicting_settings, "no two settings contradict each other"},
        {rule::inline_secret, "no password, token or credential is written in the file"},
    };
    return rules;
}

} // namespace envstore
