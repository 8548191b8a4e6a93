#pragma once

// The fixtures of the digest stability tests, in tests/data/digest/: each
// NAME.yaml is a definition read as environments/NAME/environment.yaml, with
// its expected canonical YAML in NAME.canonical.yaml and its golden digest in
// digests.txt. py-base <- ml-base <- finetune is an inheritance chain whose
// merge has its canonical YAML in finetune.resolved.yaml.

#include "support/yaml_variants.hpp"

#include "envstore/definition.hpp"

#include <map>
#include <string>
#include <vector>

namespace envstore::test {

// The names of every NAME.yaml of tests/data/digest/, sorted.
std::vector<std::string> digest_fixture_names();

// The bytes of tests/data/digest/`file`.
std::string digest_fixture_file(const std::string& file);

// Parses fixture `name` (NAME.yaml); fails the test when it is not valid.
Definition load_digest_fixture(const std::string& name);

// The golden digests of digests.txt.
struct GoldenDigests
{
    int canonical_version = 0;                // of its "canonical-version:" line
    std::map<std::string, std::string> by_id; // "train-cuda" or "finetune.resolved" -> digest
};
GoldenDigests read_golden_digests();

// The chain py-base <- ml-base <- finetune merged with `merge_definitions`.
Definition merge_finetune_chain();

// The lists of a definition whose order means nothing (docs/canonical-form.md):
// platforms, python.conda, python.pip, python.remove, docker.apt, spark.packages.
VariantRules definition_variant_rules();

// The lists whose order is a priority: python.channels, python.pip_options,
// spark.repositories.
const std::vector<std::string>& ordered_definition_lists();

} // namespace envstore::test
