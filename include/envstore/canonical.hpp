#pragma once

// The canonical form of a definition and its digest. The form is specified in
// docs/canonical-form.md; `k_canonical_version` changes whenever it does, so
// digests made by different releases stay comparable.

#include "envstore/definition.hpp"

#include <string>

namespace envstore {

inline constexpr int k_canonical_version = 1;

// The canonical YAML text: fixed key order, defaults filled in, unordered
// lists sorted, specs normalised. Equal environments print byte-identically.
std::string canonical_yaml(const Definition& definition);

// The same canonical form as compact JSON (one line, keys in canonical order).
std::string canonical_json(const Definition& definition);

// "sha256:<64 hex>" over the build-relevant part of the canonical form
// (runtime, managed, platforms, python, variables, docker, spark; not name,
// description, extends, metadata or x- fields).
std::string definition_digest(const Definition& definition);

// "sha256:<64 hex>" of `bytes`.
std::string sha256_hex(std::string_view bytes);

} // namespace envstore
