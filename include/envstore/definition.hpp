#pragma once

// The environment definition: the model of `environments/NAME/environment.yaml`,
// its parser and its validation rules. See docs/schema.md for every field.

#include "envstore/error.hpp"
#include "envstore/package_spec.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore {

enum class Runtime { python, spark, docker };

std::string_view name_of(Runtime runtime);

struct PythonSettings
{
    std::optional<std::string> version;     // "3.11": the text as written, never a number
    std::optional<std::string> interpreter; // only for user-managed environments
    std::vector<std::string> channels;      // in priority order
    std::vector<CondaSpec> conda;
    std::vector<PipRequirement> pip;
    std::vector<std::string> pip_options; // "--extra-index-url URL", in order
    // Names of inherited packages (conda or pip) to drop; only with `extends`.
    // Applied by `resolve`, so a resolved definition never has any.
    std::vector<std::string> remove;
};

struct RegistrySettings
{
    std::string address;
    std::optional<std::string> username_env; // names of variables, never secrets
    std::optional<std::string> password_env;
};

struct DockerSettings
{
    std::optional<std::string> base_image;
    std::optional<std::string> base_dockerfile; // relative to the environment's folder
    std::vector<std::string> apt;
    std::optional<bool> gpu;
    std::optional<std::string> shm_size; // "2g"
    std::optional<RegistrySettings> registry;
};

struct SparkSettings
{
    std::vector<std::string> repositories; // in priority order
    std::vector<std::string> packages;     // Maven coordinates group:artifact:version
};

struct Definition
{
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> extends; // a reference, e.g. "base-cuda@v2"
    std::optional<Runtime> runtime;     // the canonical form defaults it to python
    std::optional<bool> managed;        // the canonical form defaults it to true
    std::vector<std::string> platforms;
    std::optional<PythonSettings> python;
    // A value of std::nullopt is an explicit null: it removes an inherited variable.
    std::map<std::string, std::optional<std::string>> variables;
    std::optional<DockerSettings> docker;
    std::optional<SparkSettings> spark;
    std::map<std::string, std::string> metadata;
    // Fields named `x-...`, kept as they were: key -> compact JSON of the value.
    std::map<std::string, std::string> extensions;

    // Where each element was written, by element key (see `element_key` in
    // envstore/resolve.hpp): "python.conda/numpy" -> file, line, column. Filled
    // by `parse_definition`; not part of the canonical form.
    std::map<std::string, SourceLocation> locations;

    // Files of the environment's folder that the definition refers to.
    std::vector<std::string> referenced_files() const;
};

// The result of reading a definition file: the model when it is usable, and
// every finding. `definition` is empty when any error was found.
struct ParseResult
{
    std::optional<Definition> definition;
    std::vector<Diagnostic> errors;
};

// Reads and validates a definition. `path` names the file in diagnostics
// (workspace-relative, e.g. "environments/train/environment.yaml").
// `expected_name` is the folder name the file's `name:` must match; empty to
// skip that check. Never throws for bad input: every problem is a Diagnostic.
ParseResult parse_definition(std::string_view text,
                             const std::string& path,
                             std::string_view expected_name = {});

// Like `parse_definition`, but throws `Error(invalid_input)` carrying every
// diagnostic when the definition is invalid.
Definition load_definition(std::string_view text,
                           const std::string& path,
                           std::string_view expected_name = {});

// One validation rule: its stable id and what it checks.
struct ValidationRule
{
    std::string_view id;
    std::string_view summary;
};

// Every rule `parse_definition` enforces, in a stable order.
const std::vector<ValidationRule>& validation_rules();

} // namespace envstore
