#include "envstore/definition.hpp"

#include "definition_reader.hpp"

#include "envstore/names.hpp"
#include "envstore/reference.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>

namespace envstore {
namespace {

using detail::Entry;
using detail::Findings;
namespace rule = detail::rule;

constexpr std::array<std::string_view, 11> k_top_level_fields = {
    "name",
    "description",
    "extends",
    "runtime",
    "managed",
    "platforms",
    "python",
    "variables",
    "docker",
    "spark",
    "metadata",
};

constexpr std::array<Runtime, 3> k_runtimes = {Runtime::python, Runtime::spark, Runtime::docker};

void read_name(const Entry& entry,
               std::string_view expected_name,
               Definition& definition,
               Findings& findings)
{
    auto name = detail::read_string(entry, "name", findings);
    if (!name) {
        return;
    }
    definition.name = *name;
    const yaml::Node& at = entry.second;

    if (*name == "curated") {
        findings.add(rule::reserved_name,
                     at,
                     "the environment name \"curated\" is reserved",
                     "choose another name");
        return;
    }
    if (auto problem = check_environment_name(*name)) {
        findings.add(rule::invalid_name,
                     at,
                     fmt::format("invalid environment name \"{}\": {}", *name, *problem));
        return;
    }
    if (!expected_name.empty() && *name != expected_name) {
        findings.add(
            rule::name_mismatch,
            at,
            fmt::format("name \"{}\" does not match its folder \"{}\"", *name, expected_name),
            fmt::format("write name: {} or rename the folder", expected_name));
    }
}

void read_extends(const Entry& entry, Definition& definition, Findings& findings)
{
    auto extends = detail::read_string(entry, "extends", findings);
    if (!extends) {
        return;
    }
    try {
        Reference reference = parse_reference(*extends);
        if (reference.kind == ReferenceKind::working_tree && reference.name == definition.name) {
            findings.add(rule::invalid_extends,
                         entry.second,
                         fmt::format("\"{}\" cannot extend itself", definition.name));
            return;
        }
        definition.extends = *extends;
    } catch (const Error& error) {
        findings.add(rule::invalid_extends, entry.second, error.message(), error.hint());
    }
}

void read_runtime(const Entry& entry, Definition& definition, Findings& findings)
{
    auto text = detail::read_string(entry, "runtime", findings);
    if (!text) {
        return;
    }
    std::vector<std::string_view> names;
    for (Runtime runtime : k_runtimes) {
        if (name_of(runtime) == *text) {
            definition.runtime = runtime;
            return;
        }
        names.push_back(name_of(runtime));
    }
    auto match = closest_match(*text, names);
    findings.add(rule::invalid_runtime,
                 entry.second,
                 fmt::format("unknown runtime \"{}\"", *text),
                 match ? fmt::format("did you mean \"{}\"?", *match)
                       : std::string("use python, spark or docker"));
}

void read_platforms(const Entry& entry, Definition& definition, Findings& findings)
{
    auto items = detail::read_string_list(entry, "platforms", findings);
    for (const detail::ListItem& item : items) {
        detail::check_platform(item, findings);
        definition.platforms.push_back(item.text);
    }
    detail::check_unique(items, "platform", findings);
}

void read_variables(const Entry& entry, Definition& definition, Findings& findings)
{
    if (!detail::expect_mapping(entry, "variables", findings)) {
        return;
    }
    for (const Entry& variable : entry.second.entries) {
        const auto& [key, value] = variable;
        detail::check_variable_name(key.text, key, findings);
        if (value.is_null()) {
            definition.variables[key.text] = std::nullopt;
        } else if (value.is_scalar()) {
            definition.variables[key.text] = value.text;
        } else {
            findings.add(rule::wrong_type,
                         value,
                         fmt::format("\"variables.{}\" must be a string or null", key.text));
        }
    }
}

void read_metadata(const Entry& entry, Definition& definition, Findings& findings)
{
    if (!detail::expect_mapping(entry, "metadata", findings)) {
        return;
    }
    for (const Entry& field : entry.second.entries) {
        if (detail::is_password_key(field.first)) {
            continue;
        }
        std::string path = detail::join_path("metadata", field.first.text);
        if (auto value = detail::read_string(field, path, findings)) {
            definition.metadata[field.first.text] = *value;
        }
    }
}

// Scalars stay strings, as written: the reader keeps text, and guessing
// numbers here would turn "3.10" into 3.1. Object keys come out sorted.
nlohmann::json to_json(const yaml::Node& node)
{
    if (node.is_null()) {
        return nullptr;
    }
    if (node.is_scalar()) {
        return node.text;
    }
    if (node.is_sequence()) {
        nlohmann::json array = nlohmann::json::array();
        for (const yaml::Node& item : node.items) {
            array.push_back(to_json(item));
        }
        return array;
    }
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, value] : node.entries) {
        object[key.text] = to_json(value);
    }
    return object;
}

void read_field(const Entry& entry,
                std::string_view expected_name,
                Definition& definition,
                Findings& findings)
{
    const std::string& key = entry.first.text;
    if (detail::is_password_key(entry.first)) {
        return; // an inline secret, reported by check_inline_secrets
    }

    if (key == "name") {
        read_name(entry, expected_name, definition, findings);
    } else if (key == "description") {
        definition.description = detail::read_string(entry, "description", findings);
    } else if (key == "extends") {
        read_extends(entry, definition, findings);
    } else if (key == "runtime") {
        read_runtime(entry, definition, findings);
    } else if (key == "managed") {
        definition.managed = detail::read_bool(entry, "managed", findings);
    } else if (key == "platforms") {
        read_platforms(entry, definition, findings);
    } else if (key == "python") {
        definition.python = detail::read_python(entry, findings);
    } else if (key == "variables") {
        read_variables(entry, definition, findings);
    } else if (key == "docker") {
        definition.docker = detail::read_docker(entry, findings);
    } else if (key == "spark") {
        definition.spark = detail::read_spark(entry, findings);
    } else if (key == "metadata") {
        read_metadata(entry, definition, findings);
    } else if (key.starts_with("x-")) {
        definition.extensions[key] = to_json(entry.second).dump();
    } else {
        detail::report_unknown_field(entry.first, "", k_top_level_fields, findings);
    }
}

// `name` first: `extends` compares itself with it wherever the two are written.
Definition
read_definition(const yaml::Node& root, std::string_view expected_name, Findings& findings)
{
    Definition definition;
    const Entry* name_entry = nullptr;
    for (const Entry& entry : root.entries) {
        if (entry.first.text == "name") {
            name_entry = &entry;
            read_field(entry, expected_name, definition, findings);
        }
    }
    if (!name_entry) {
        findings.add(rule::missing_field, root, "missing required field \"name\"");
    }
    for (const Entry& entry : root.entries) {
        if (&entry != name_entry) {
            read_field(entry, expected_name, definition, findings);
        }
    }
    detail::check_conflicts(root, definition, findings);
    detail::check_inline_secrets(root, findings);
    return definition;
}

ParseResult reader_failure(const Error& error)
{
    if (!error.details().empty()) {
        return ParseResult{std::nullopt, error.details()};
    }
    return ParseResult{std::nullopt,
                       {Diagnostic{std::string(yaml::k_rule_yaml_syntax),
                                   error.message(),
                                   error.location(),
                                   error.hint()}}};
}

Diagnostic empty_definition(const std::string& path)
{
    return Diagnostic{std::string(rule::empty_definition),
                      "empty definition",
                      SourceLocation{path, 1, 1, ""},
                      "a definition needs at least \"name:\""};
}

} // namespace

std::string_view name_of(Runtime runtime)
{
    switch (runtime) {
    case Runtime::python: return "python";
    case Runtime::spark: return "spark";
    case Runtime::docker: return "docker";
    }
    return "python";
}

std::vector<std::string> Definition::referenced_files() const
{
    std::vector<std::string> files;
    if (docker && docker->base_dockerfile) {
        files.push_back(*docker->base_dockerfile);
    }
    return files;
}

ParseResult
parse_definition(std::string_view text, const std::string& path, std::string_view expected_name)
{
    yaml::Document document;
    try {
        document = yaml::parse(text, path);
    } catch (const Error& error) {
        return reader_failure(error);
    }
    if (document.root.is_null()) {
        return ParseResult{std::nullopt, {empty_definition(path)}};
    }

    Findings findings(document);
    if (!document.root.is_mapping()) {
        findings.add(rule::wrong_type, document.root, "a definition must be a mapping of fields");
        return ParseResult{std::nullopt, findings.take_sorted()};
    }
    Definition definition = read_definition(document.root, expected_name, findings);
    if (!findings.empty()) {
        return ParseResult{std::nullopt, findings.take_sorted()};
    }
    detail::record_locations(document, definition);
    return ParseResult{std::move(definition), {}};
}

Definition
load_definition(std::string_view text, const std::string& path, std::string_view expected_name)
{
    ParseResult result = parse_definition(text, path, expected_name);
    if (result.definition) {
        return std::move(*result.definition);
    }
    std::string message =
        result.errors.size() == 1
            ? result.errors.front().message
            : fmt::format("invalid definition \"{}\": {} problems", path, result.errors.size());
    throw Error(ErrorCode::invalid_input, std::move(message), std::move(result.errors));
}

} // namespace envstore
