#include "definition_reader.hpp"

#include <fmt/format.h>

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
std::optional<T> effective(const yaml::Node& root, std::string_view key,
                           const std::optional<T>& value, T fallback)
{
    return find_entry(root, key) ? value : std::optional<T>(fallback);
}

void check_docker_base(const yaml::Node& root, Findings& findings)
{
    const Entry* image = find_entry(root, "docker", "base_image");
    const Entry* dockerfile = find_entry(root, "docker", "base_dockerfile");
    if (image && dockerfile) {
        findings.add(rule::conflicting_settings, dockerfile->first,
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
            findings.add(rule::conflicting_settings, interpreter->first,
                         "\"python.interpreter\" is only for user-managed environments",
                         "set managed: false, or remove \"python.interpreter\"");
        }
        return;
    }

    const Entry* managed_entry = find_entry(root, "managed");
    if (!interpreter) {
        findings.add(rule::conflicting_settings, managed_entry->second,
                     "a user-managed environment (managed: false) needs \"python.interpreter\"");
    }
    for (std::string_view key : {"conda", "pip"}) {
        const Entry* packages = find_entry(root, "python", key);
        if (has_items(packages)) {
            findings.add(rule::conflicting_settings, packages->first,
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
        findings.add(rule::conflicting_settings, spark->first,
                     fmt::format("a \"spark\" section needs runtime: spark, not {}",
                                 name_of(runtime)));
    }
}

} // namespace

void check_conflicts(const yaml::Node& root, const Definition& definition, Findings& findings)
{
    check_docker_base(root, findings);
    if (auto managed = effective(root, "managed", definition.managed, true)) {
        check_user_managed(root, *managed, findings);
    }
    if (auto runtime = effective(root, "runtime", definition.runtime, Runtime::python)) {
        check_spark_runtime(root, *runtime, findings);
    }
}

} // namespace detail

const std::vector<ValidationRule>& validation_rules()
{
    static const std::vector<ValidationRule> rules = {
        {"yaml-syntax", "the file is well-formed YAML"},
        {"yaml-encoding", "the file is UTF-8 text without NUL bytes"},
        {"yaml-duplicate-key", "no key appears twice in one mapping"},
        {"yaml-tag", "no explicit YAML tags such as !!str or !custom"},
        {"yaml-alias", "no YAML anchors or aliases"},
        {"yaml-limit", "the file stays within the size, depth and node limits"},
        {"empty-definition", "the file holds a definition, not nothing"},
        {"wrong-type", "every field has the type the schema gives it"},
        {"unknown-field", "every field is one the schema knows, or starts with \"x-\""},
        {"missing-field", "required fields are present: name, docker.registry.address"},
        {"empty-value", "strings that name something are not empty"},
        {"invalid-name", "the environment name follows the naming rules"},
        {"reserved-name", "the environment name is not the reserved \"curated\""},
        {"name-mismatch", "the name matches the environment's folder"},
        {"invalid-extends", "extends is a valid reference to another environment"},
        {"invalid-runtime", "runtime is python, spark or docker"},
        {"invalid-boolean", "booleans are written true or false"},
        {"unknown-platform", "platforms are conda platform names"},
        {"invalid-python-version", "python.version is X.Y or X.Y.Z"},
        {"invalid-conda-spec", "python.conda entries are valid conda match specs"},
        {"invalid-pip-requirement", "python.pip entries are valid PEP 508 requirements"},
        {"duplicate-package", "no conda or pip package is listed twice"},
        {"duplicate-entry", "no platform, channel, apt package or spark entry is listed twice"},
        {"invalid-variable-name", "variable names are POSIX environment variable names"},
        {"invalid-shm-size", "docker.shm_size is a number with an optional b, k, m or g"},
        {"invalid-apt-package", "docker.apt entries are Debian package names"},
        {"invalid-file-reference", "referenced files are relative paths inside the folder"},
        {"invalid-spark-package", "spark.packages are Maven group:artifact:version"},
        {"conflicting-settings", "no two settings contradict each other"},
        {"inline-secret", "no password, token or credential is written in the file"},
    };
    return rules;
}

} // namespace envstore
