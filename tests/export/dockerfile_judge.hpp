#pragma once

// Independent judges of an exported Dockerfile: npm's dockerfile-ast parses
// it, and bash and sh run its RUN lines with stub programs that record how
// they are called.

#include "envstore/export_dockerfile.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envstore::test {

// Variable values that must reach the image unchanged: quotes, `$()`, `${}`,
// backticks, backslashes, heredoc markers. Commands in them write a file
// named CANARY in the working folder (by redirection: no program needed).
// The value at index 5 is exactly `${HOME}`, a reference.
const std::vector<std::string>& injection_payloads();

// `text` as a YAML double-quoted scalar.
std::string yaml_quote(const std::string& text);

// A resolved definition made from definition YAML, read as
// environments/NAME/environment.yaml (no bases, no version).
ResolvedDefinition resolved_from_yaml(const std::string& yaml);

// A conda file writer for tests: one line per conda package, so a test can
// see which definition it was given.
std::string test_conda_file(const ResolvedDefinition& resolved);

// The Dockerfile as dockerfile-ast parses it, or std::nullopt with `why` set
// when node or the package is not there.
std::optional<nlohmann::json> parse_dockerfile(const std::string& dockerfile, std::string& why);

// The ENV (or LABEL, ARG) properties of a parse, in order: name -> value.
std::vector<std::pair<std::string, std::string>> properties_of(const nlohmann::json& parse,
                                                               const std::string& keyword);

// One call of a stub program: its name, then its arguments.
using Call = std::vector<std::string>;

struct ShellRun
{
    std::vector<Call> calls;
    bool canary = false; // whether any file named CANARY appeared in the working folder
    int exit_code = -1;
    std::string err;
};

// Runs every RUN instruction of `parse` (its command, after the builder's
// own reading) under `shell` ("bash" or "sh") in a fresh folder, with a PATH
// of only stubs: apt-get, conda, pip, useradd, id (exits 1), rm, and
// micromamba unless `without_micromamba`. `env` is added to the environment.
ShellRun run_instructions(const nlohmann::json& parse,
                          const std::string& shell,
                          const std::map<std::string, std::string>& env = {},
                          bool without_micromamba = false);

// Python's shlex.split of each option (how pip reads an option line), or
// std::nullopt without python3.
std::optional<std::vector<std::vector<std::string>>>
python_shlex_split(const std::vector<std::string>& options);

} // namespace envstore::test
