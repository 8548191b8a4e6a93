// A change of any field that builds changes the digest; a change of the
// fields the digest leaves out (name, description, extends, metadata, x-)
// changes the canonical form only. The fields come from docs/schema.md and
// from the element keys of the digest fixtures, so a new field without a
// mutation case below fails "every field of the schema has a mutation case".

#include "support/digest_fixtures.hpp"
#include "support/temp_dir.hpp"

#include "envstore/canonical.hpp"
#include "envstore/resolve.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace envstore;
using namespace envstore::test;

namespace {

// One change of one field of a fixture: `find`, which its text holds exactly
// once, becomes `replace`; or, where no valid text can say it (a setting that
// another rule ties to a second one), `change` edits the parsed definition.
struct Mutation
{
    std::string field; // as docs/schema.md names it: "python.conda", "x-..."
    std::string fixture;
    std::string find;
    std::string replace;
    std::function<void(Definition&)> change = {};
};

const std::set<std::string> k_left_out_of_digest = {
    "name", "description", "extends", "metadata", "x-..."};

// clang-format off
const std::vector<Mutation> k_mutations = {
    {"name", "train-cuda", "name: train-cuda", "name: train-cuda-2"},
    {"description", "train-cuda", "on one A100", "on two A100s"},
    {"extends", "finetune", "ml-base@latest", "ml-base@v2"},
    {"runtime", "train-cuda", "runtime: python", "runtime: docker"},
    {"runtime", "docker-only", "runtime: docker", "runtime: python"},
    {"managed", "user-managed", "", "", [](Definition& d) { d.managed = true; }},
    {"managed", "train-cuda", "", "", [](Definition& d) { d.managed = false; }},
    {"platforms", "train-cuda", "[linux-64]", "[linux-64, linux-aarch64]"},
    {"platforms", "user-managed", ", osx-64]", "]"},
    {"python.version", "train-cuda", "\"3.11\"", "\"3.12\""},
    {"python.version", "user-managed", "3.11.8", "3.11.9"},
    {"python.interpreter", "user-managed", "/opt/analytics/bin/python3.11", "/usr/bin/python3"},
    {"python.channels", "train-cuda", "nvidia, conda-forge]", "nvidia, conda-forge, bioconda]"},
    {"python.channels", "train-cuda", "[pytorch, nvidia,", "[nvidia, pytorch,"},
    {"python.channels", "spark-features", "channels: [conda-forge]", "channels: [defaults]"},
    {"python.conda", "train-cuda", "torchvision>=0.17", "torchvision>=0.18"},
    {"python.conda", "train-cuda", "numpy>=1.26,<2", "numpy>=1.26,<3"},
    {"python.conda", "train-cuda", "cudnn 8.9.* cuda12*", "cudnn 8.9.* cuda11*"},
    {"python.conda", "train-cuda", "conda-forge::pillow", "pillow"},
    {"python.conda", "train-cuda", "    - pytorch-cuda=12.1\n", ""},
    {"python.conda", "spark-features", "pyarrow>=14,", "pyarrow>=14, polars,"},
    {"python.pip", "train-cuda", "accelerate==0.27.2", "accelerate==0.28.0"},
    {"python.pip", "train-cuda", "[torch,sentencepiece]", "[torch]"},
    {"python.pip", "train-cuda", "accelerate==0.27.2", "accelerate==0.27.2 --hash=sha256:" + std::string(64, 'a')},
    {"python.pip", "train-cuda", "platform_system == \"Linux\"", "platform_system == \"Darwin\""},
    {"python.pip", "train-cuda", "wandb>=0.16 ; platform_system == \"Linux\"", "wandb>=0.16"},
    {"python.pip", "train-cuda", "- timm\n",
     "- timm @ https://files.example.org/timm-0.9.16-py3-none-any.whl\n"},
    {"python.pip", "train-cuda", "    - datasets>=2.17\n", ""},
    {"python.pip", "annotated", "[plotly==5.19.0]", "[plotly==5.19.0, kaleido]"},
    {"python.pip_options", "train-cuda", "--no-cache-dir", "--no-deps"},
    {"python.pip_options", "py-base", "[--no-cache-dir]", "[--no-cache-dir, --pre]"},
    {"python.pip_options", "train-cuda",
     "    - --extra-index-url https://download.pytorch.org/whl/cu121\n    - --no-cache-dir\n",
     "    - --no-cache-dir\n    - --extra-index-url https://download.pytorch.org/whl/cu121\n"},
    {"python.remove", "finetune", "remove: [ipykernel, rich]", "remove: [ipykernel]"},
    {"python.remove", "finetune", "remove: [ipykernel, rich]", "remove: [ipykernel, rich, scipy]"},
    {"variables", "train-cuda", "  NCCL_DEBUG: WARN\n",
     "  NCCL_DEBUG: WARN\n  NCCL_P2P_DISABLE: \"1\"\n"},
    {"variables", "train-cuda", "NCCL_DEBUG: WARN", "NCCL_DEBUG: INFO"},
    {"variables", "train-cuda", "  NCCL_DEBUG: WARN\n", ""},
    {"variables", "train-cuda", "NCCL_DEBUG: WARN", "NCCL_DEBUG: null"},
    {"variables", "user-managed", "HTTP_PROXY: ~", "HTTP_PROXY: \"\""},
    {"variables", "user-managed", "  LD_PRELOAD: null\n", ""},
    {"variables", "train-cuda", "PYTHONHASHSEED: 0", "PYTHONHASHSEED: \"00\""},
    {"docker.base_image", "train-cuda", "cudnn8-runtime-ubuntu22.04", "cudnn8-devel-ubuntu22.04"},
    {"docker.base_dockerfile", "docker-only", "Dockerfile.scoring", "Dockerfile.batch"},
    {"docker.apt", "train-cuda", "ffmpeg]", "ffmpeg, vim]"},
    {"docker.apt", "docker-only", "tzdata=2024a-0+deb12u1", "tzdata=2024b-0+deb12u1"},
    {"docker.apt", "docker-only", "libc6:i386", "libc6:amd64"},
    {"docker.gpu", "train-cuda", "gpu: true", "gpu: false"},
    {"docker.gpu", "docker-only", "gpu: false", "gpu: true"},
    {"docker.shm_size", "train-cuda", "shm_size: 16g", "shm_size: 16m"},
    {"docker.registry.address", "train-cuda", "address: nvcr.io", "address: ghcr.io"},
    {"docker.registry.username_env", "docker-only", "REGISTRY_USER", "REGISTRY_LOGIN"},
    {"docker.registry.password_env", "docker-only", "    password_env: REGISTRY_PASSWORD\n", ""},
    {"spark.repositories", "spark-features", "    - https://packages.confluent.io/maven/\n", ""},
    {"spark.repositories", "spark-features", "maven.org/maven2", "maven.org/maven3"},
    {"spark.packages", "spark-features", "delta-spark_2.12:3.1.0", "delta-spark_2.12:3.2.0"},
    {"spark.packages", "spark-features", "    - org.apache.spark:spark-avro_2.12:3.5.0\n", ""},
    {"metadata", "train-cuda", "owner: alice", "owner: carol"},
    {"metadata", "train-cuda", "  owner: alice\n", ""},
    {"metadata", "annotated", "  ticket: DATA-1234\n", "  ticket: DATA-1234\n  tier: gold\n"},
    {"x-...", "annotated", "x-owner: analytics-platform", "x-owner: data-platform"},
    {"x-...", "annotated", "[carol, alice, bob]", "[alice, bob, carol]"},
    {"x-...", "annotated", "x-empty: {}\n", ""},
    {"x-...", "finetune", "", "", [](Definition& d) { d.extensions["x-added"] = "\"1\""; }},
};
// clang-format on

// The text between the first two backticks of `line`.
std::string first_code(const std::string& line)
{
    std::size_t open = line.find('`');
    return line.substr(open + 1, line.find('`', open + 1) - open - 1);
}

// The fields of the tables of docs/schema.md ("python.conda"), without the
// sections that have tables of their own ("python", "docker.registry").
std::set<std::string> documented_fields()
{
    std::istringstream lines(read_file(data_path("../../docs/schema.md")));
    std::set<std::string> fields;
    std::optional<std::string> prefix;
    std::string line;
    while (std::getline(lines, line)) {
        if (line == "## Top-level fields") {
            prefix = "";
        } else if (prefix && line.starts_with("## ")) {
            break;
        } else if (prefix && (line.starts_with("### `") || line.starts_with("`docker."))) {
            prefix = first_code(line) + ".";
        } else if (prefix && line.starts_with("| `")) {
            fields.insert(*prefix + first_code(line));
        }
    }
    std::set<std::string> leaves;
    for (const std::string& field : fields) {
        auto below = fields.lower_bound(field + ".");
        if (below == fields.end() || !below->starts_with(field + ".")) {
            leaves.insert(field);
        }
    }
    return leaves;
}

// The field of an element key: "python.conda/numpy" -> "python.conda".
std::string field_of(const std::string& element)
{
    return element.starts_with("x-") ? "x-..." : element.substr(0, element.find('/'));
}

std::set<std::string> fixture_fields()
{
    std::set<std::string> fields;
    for (const std::string& name : digest_fixture_names()) {
        for (const auto& [element, value] : definition_elements(load_digest_fixture(name))) {
            fields.insert(field_of(element));
        }
    }
    return fields;
}

// The fixture after `mutation`, parsed without the check of its folder's name.
std::optional<Definition> mutated(const Mutation& mutation)
{
    std::string text = digest_fixture_file(mutation.fixture + ".yaml");
    if (!mutation.change) {
        std::size_t at = text.find(mutation.find);
        REQUIRE(at != std::string::npos);
        REQUIRE(text.find(mutation.find, at + 1) == std::string::npos);
        text.replace(at, mutation.find.size(), mutation.replace);
    }
    ParseResult result = parse_definition(text, "environments/mutated/environment.yaml");
    for (const Diagnostic& diagnostic : result.errors) {
        FAIL_CHECK(format_diagnostic(diagnostic));
    }
    if (result.definition && mutation.change) {
        mutation.change(*result.definition);
    }
    return result.definition;
}

std::string describe(const Mutation& mutation)
{
    if (mutation.change) {
        return mutation.field + " in " + mutation.fixture + ", changed in the parsed definition";
    }
    return mutation.field + " in " + mutation.fixture + ": \"" + mutation.find + "\" -> \"" +
           mutation.replace + "\"";
}

} // namespace

TEST_CASE("every field of the schema has a mutation case", "[digest]")
{
    std::set<std::string> documented = documented_fields();
    std::set<std::string> in_fixtures = fixture_fields();
    std::set<std::string> mutated_fields;
    for (const Mutation& mutation : k_mutations) {
        mutated_fields.insert(mutation.field);
    }

    // Guards against a change of docs/schema.md that this reading misses.
    CHECK(documented.size() >= 25);
    CHECK(documented.contains("docker.registry.password_env"));
    CHECK(documented.contains("x-..."));

    for (const std::string& field : documented) {
        INFO("documented in docs/schema.md: " << field);
        CHECK(mutated_fields.contains(field));
        CHECK(in_fixtures.contains(field));
    }
    for (const std::string& field : in_fixtures) {
        INFO("an element of a digest fixture: " << field);
        CHECK(mutated_fields.contains(field));
    }
    for (const std::string& field : mutated_fields) {
        INFO("a mutation case names: " << field);
        CHECK((documented.contains(field) || in_fixtures.contains(field)));
    }
}

TEST_CASE("a mutation of each build-relevant field changes the digest", "[digest]")
{
    for (const Mutation& mutation : k_mutations) {
        if (k_left_out_of_digest.contains(mutation.field)) {
            continue;
        }
        INFO(describe(mutation));
        Definition original = load_digest_fixture(mutation.fixture);
        std::optional<Definition> changed = mutated(mutation);
        REQUIRE(changed);
        CHECK(definition_digest(*changed) != definition_digest(original));
        CHECK(canonical_yaml(*changed) != canonical_yaml(original));
    }
}

TEST_CASE("a mutation of a field the digest leaves out keeps the digest", "[digest]")
{
    int cases = 0;
    for (const Mutation& mutation : k_mutations) {
        if (!k_left_out_of_digest.contains(mutation.field)) {
            continue;
        }
        INFO(describe(mutation));
        Definition original = load_digest_fixture(mutation.fixture);
        std::optional<Definition> changed = mutated(mutation);
        REQUIRE(changed);
        CHECK(definition_digest(*changed) == definition_digest(original));
        CHECK(canonical_yaml(*changed) != canonical_yaml(original));
        ++cases;
    }
    CHECK(cases >= static_cast<int>(k_left_out_of_digest.size()));
}
