#pragma once

// The canonical form as a JSON tree, shared by canonical.cpp (the YAML and
// JSON texts) and digest.cpp (the digest of its build-relevant part).

#include "envstore/definition.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace envstore::detail {

// The whole canonical form, keys in canonical order (docs/canonical-form.md).
// Throws `Error(invalid_input)` when an extension value is not JSON.
nlohmann::ordered_json canonical_tree(const Definition& definition);

// Only the build-relevant fields: runtime, managed, platforms, python,
// variables, docker, spark.
nlohmann::ordered_json canonical_build_tree(const Definition& definition);

// Compact JSON. Throws `Error(invalid_input)` when a string is not UTF-8.
std::string dump_compact(const nlohmann::ordered_json& tree);

} // namespace envstore::detail
