#pragma once

// The valid definition fixtures in tests/data/valid/: each NAME.yaml is read as
// environments/NAME/environment.yaml, its expected name NAME.

#include "envstore/definition.hpp"

#include <string>
#include <string_view>

namespace envstore::test {

// The bytes of fixture tests/data/valid/`name`.yaml.
std::string valid_fixture_text(const std::string& name);

// Parses `text` as the definition of environment `name`; fails the test with
// each diagnostic when it is not valid.
Definition parse_valid(std::string_view text, const std::string& name);

// Parses fixture `name` with `parse_valid`.
Definition load_valid_fixture(const std::string& name);

} // namespace envstore::test
