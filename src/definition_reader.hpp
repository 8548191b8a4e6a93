#pragma once

// Private parts of the definition parser: definition.cpp reads the top level,
// definition_reader.cpp holds the typed reading below, definition_sections.cpp
// reads the python, docker and spark sections, definition_values.cpp checks
// single values, definition_rules.cpp the rules across fields and
// definition_secrets.cpp the secrets written inline.

#include "yaml/yaml_reader.hpp"

#include "envstore/definition.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace envstore::detail {

// Rule ids. `validation_rules()` lists each with its summary.
namespace rule {
inline constexpr std::string_view empty_definition = "empty-definition";
inline constexpr std::string_view wrong_type = "wrong-type";
inline constexpr std::string_view unknown_field = "unknown-field";
inline constexpr std::string_view missing_field = "missing-field";
inline constexpr std::string_view empty_value = "empty-value";
inline constexpr std::string_view invalid_name = "invalid-name";
inline constexpr std::string_view reserved_name = "reserved-name";
inline constexpr std::string_view name_mismatch = "name-mismatch";
inline constexpr std::string_view invalid_extends = "invalid-extends";
inline constexpr std::string_view invalid_runtime = "invalid-runtime";
inline constexpr std::string_view invalid_boolean = "invalid-boolean";
inline constexpr std::string_view unknown_platform = "unknown-platform";
inline constexpr std::string_view invalid_python_version = "invalid-python-version";
inline constexpr std::string_view invalid_conda_spec = "invalid-conda-spec";
inline constexpr std::string_view invalid_pip_requirement = "invalid-pip-requirement";
inline constexpr std::string_view duplicate_package = "duplicate-package";
inline constexpr std::string_view duplicate_entry = "duplicate-entry";
inline constexpr std::string_view invalid_variable_name = "invalid-variable-name";
inline constexpr std::string_view invalid_shm_size = "invalid-shm-size";
inline constexpr std::string_view invalid_apt_package = "invalid-apt-package";
inline constexpr std::string_view invalid_file_reference = "invalid-file-reference";
inline constexpr std::string_view invalid_spark_package = "invalid-spark-package";
inline constexpr std::string_view conflicting_settings = "conflicting-settings";
inline constexpr std::string_view inline_secret = "inline-secret";
} // namespace rule

// A key and its value. Keys are always scalars: the reader refuses others.
using Entry = std::pair<yaml::Node, yaml::Node>;

// The diagnostics found in one document, each located at a node of it.
class Findings
{
public:
    explicit Findings(const yaml::Document& document) : m_document(document) {}

    void
    add(std::string_view rule, const yaml::Node& at, std::string message, std::string hint = {});
    // Locates at the value of `entry`, or at its key when the value is null
    // (a missing value has no position of its own worth pointing at).
    void add(std::string_view rule, const Entry& entry, std::string message, std::string hint = {});

    bool empty() const { return m_diagnostics.empty(); }
    // Every finding, in the order of their positions in the file.
    std::vector<Diagnostic> take_sorted();

private:
    const yaml::Document& m_document;
    std::vector<Diagnostic> m_diagnostics;
};

// A string of a list, with its node for locating findings about it.
struct ListItem
{
    std::string text;
    const yaml::Node* node = nullptr;
};

// `text` with ASCII letters in lowercase.
std::string to_lower(std::string_view text);
// A scalar key equal to "password" in any case: a secret written inline,
// reported by `check_inline_secrets` rather than as an unknown field.
bool is_password_key(const yaml::Node& key);
// `path`, then `.key` when `path` is not empty: "python" + "channels".
std::string join_path(std::string_view path, std::string_view key);

// Typed reading. Each reports `wrong-type` (and `invalid-boolean`) at the
// value and returns nothing when the value is not of the type; `path` is the
// dotted field name used in messages ("python.channels").
std::optional<std::string>
read_string(const Entry& entry, std::string_view path, Findings& findings);
std::optional<bool> read_bool(const Entry& entry, std::string_view path, Findings& findings);
std::vector<ListItem>
read_string_list(const Entry& entry, std::string_view path, Findings& findings);
bool expect_mapping(const Entry& entry, std::string_view path, Findings& findings);
// Reports `unknown-field` for `key` inside the section `section` ("" for the
// top level), with the closest of `known` as a hint.
void report_unknown_field(const yaml::Node& key,
                          std::string_view section,
                          std::span<const std::string_view> known,
                          Findings& findings);
// Reports `empty-value` and returns false when `text` is empty.
bool check_not_empty(std::string_view text,
                     const yaml::Node& at,
                     std::string_view path,
                     Findings& findings);
// Reports `duplicate-entry` for every item equal to an earlier one.
void check_unique(const std::vector<ListItem>& items, std::string_view what, Findings& findings);

// Sections, in definition_sections.cpp.
PythonSettings read_python(const Entry& entry, Findings& findings);
DockerSettings read_docker(const Entry& entry, Findings& findings);
SparkSettings read_spark(const Entry& entry, Findings& findings);

// Single values, in definition_values.cpp. Each reports its rule at `at`.
void check_platform(const ListItem& item, Findings& findings);
void check_python_version(const std::string& version, const yaml::Node& at, Findings& findings);
void check_variable_name(const std::string& name, const yaml::Node& at, Findings& findings);
void check_shm_size(const std::string& size, const yaml::Node& at, Findings& findings);
void check_apt_package(const ListItem& item, Findings& findings);
void check_file_reference(const std::string& file,
                          const yaml::Node& at,
                          std::string_view path,
                          Findings& findings);
void check_spark_package(const ListItem& item, Findings& findings);

// Rules across fields, in definition_rules.cpp, and secrets, in
// definition_secrets.cpp.
void check_conflicts(const yaml::Node& root, const Definition& definition, Findings& findings);
void check_inline_secrets(const yaml::Node& root, Findings& findings);

// Fills `definition.locations` from the tree it was read from, in
// definition_locations.cpp. Only for a definition read without findings.
void record_locations(const yaml::Document& document, Definition& definition);

} // namespace envstore::detail
