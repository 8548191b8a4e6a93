#pragma once

// Independent readers of the files export writes: Debian's PyYAML (a YAML
// 1.1 reader, as conda uses) and pip's requirements file parser, both through
// /usr/bin/python3, and yaml-cpp (YAML 1.2).
// Both give the document as JSON, every scalar as the string read, so that a
// test can compare them with what was meant.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace envstore::test {

// The document `yaml` as PyYAML's safe_load reads it, as JSON (a number
// stays a number, a boolean a boolean). std::nullopt, with a WARN saying why,
// when /usr/bin/python3 or its yaml module (python3-yaml) is missing.
std::optional<nlohmann::json> read_with_pyyaml(const std::string& yaml);

// The requirements file `requirements` as pip's own parser reads it: a JSON
// list with, for each line, {"requirement": TEXT} or {"options": {NAME:
// VALUE}} (pip's option names: "extra_index_urls", "index_url", "pre"...).
// std::nullopt, with a WARN, when /usr/bin/python3 has no pip (python3-pip).
std::optional<nlohmann::json> read_with_pip(const std::string& requirements);

// The document `yaml` as yaml-cpp reads it, every scalar a string.
nlohmann::json read_with_yaml_cpp(const std::string& yaml);

// The strings that a YAML writer most easily gets wrong: words and numbers
// of YAML 1.1 and 1.2, indicators, spaces at the ends, control and
// non-ASCII characters, quotes and backslashes.
const std::vector<std::string>& tricky_strings();

} // namespace envstore::test
