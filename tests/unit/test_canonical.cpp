#include "support/valid_fixtures.hpp"

#include "envstore/canonical.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace envstore;
using test::load_valid_fixture;
using test::parse_valid;

namespace {

std::string double_quoted(const std::string& text)
{
    return "\"" + text + "\"";
}

// Writes a definition whose meaning never changes but whose key order, order
// of unordered lists and list style change with every draw of `random`.
class ShuffledDefinition
{
public:
    explicit ShuffledDefinition(std::mt19937& random) : m_random(random) {}

    std::string text()
    {
        std::vector<std::string> fields = {
            "name: shuffled\n",
            "runtime: spark\n",
            "managed: true\n",
            list("platforms", {"linux-64", "linux-aarch64", "osx-arm64"}, 0, true),
            section("python", python_fields()),
            section("variables", {"A: \"1\"\n", "B: null\n", "C: \"${C}\"\n", "D: 0\n"}),
            section("docker", docker_fields()),
            section("spark",
                    {list("repositories",
                          {"https://r1.example.org/m2", "https://r2.example.org/m2"},
                          2,
                          false),
                     list("packages", {"a.b:c:1.0", "d.e:f:2.0", "g:h:3"}, 2, true)}),
            section("metadata", {"team: vision\n", "owner: ml-platform\n"}),
            "x-b: \"1\"\n",
            section("x-a", {"k: v\n", "j: w\n"}),
        };
        return join(fields);
    }

private:
    std::vector<std::string> python_fields()
    {
        return {
            "version: \"3.11\"\n",
            list("channels", {"conda-forge", "nvidia"}, 2, false),
            list("conda", {"numpy>=1.26", "pytorch=2.1.*", "scipy", "pandas<3"}, 2, true),
            list(
                "pip", {"transformers>=4.35,<5", "accelerate[torch]==0.24.1", "requests"}, 2, true),
            list("pip_options",
                 {"--extra-index-url https://example.org/simple", "--no-cache-dir"},
                 2,
                 false),
        };
    }

    std::vector<std::string> docker_fields()
    {
        return {
            "base_image: ubuntu:22.04\n",
            list("apt", {"libgl1", "curl", "git"}, 2, true),
            "gpu: true\n",
            "shm_size: 2g\n",
            section("registry",
                    {"address: r.example.org\n", "username_env: U\n", "password_env: P\n"}),
        };
    }

    std::string
    list(const std::string& key, std::vector<std::string> items, int indent, bool unordered)
    {
        if (unordered) {
            std::shuffle(items.begin(), items.end(), m_random);
        }
        for (std::string& item : items) {
            item = double_quoted(item);
        }
        if (m_random() % 2 == 0) {
            return fmt::format("{}: [{}]\n", key, fmt::join(items, ", "));
        }
        std::string block = key + ":\n";
        for (const std::string& item : items) {
            block += fmt::format("{}- {}\n", std::string(indent, ' '), item);
        }
        return block;
    }

    // A mapping whose fields come in a random order, indented under `key`.
    std::string section(const std::string& key, std::vector<std::string> fields)
    {
        std::string block = key + ":\n";
        std::string body = join(std::move(fields));
        std::size_t start = 0;
        while (start < body.size()) {
            std::size_t end = body.find('\n', start);
            block += "  " + body.substr(start, end - start + 1);
            start = end + 1;
        }
        return block;
    }

    std::string join(std::vector<std::string> fields)
    {
        std::shuffle(fields.begin(), fields.end(), m_random);
        std::string text;
        for (const std::string& field : fields) {
            text += field;
        }
        return text;
    }

    std::mt19937& m_random;
};

} // namespace

TEST_CASE("SHA-256 matches the published test vectors", "[canonical]")
{
    CHECK(sha256_hex("") ==
          "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") ==
          "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("the digest hashes the version line and the build-relevant JSON", "[canonical]")
{
    Definition definition = load_valid_fixture("minimal");

    CHECK(definition_digest(definition) ==
          sha256_hex("envstore-canonical-v1\n{\"runtime\":\"python\",\"managed\":true}"));
}

// Golden digests of the valid fixtures. They pin the canonical form: if one of
// them changes, the canonical form changed, and k_canonical_version must be
// bumped (with docs/canonical-form.md) before the new values are written here.
TEST_CASE("digests of the valid fixtures are fixed", "[canonical]")
{
    REQUIRE(k_canonical_version == 1);
    CHECK(definition_digest(load_valid_fixture("minimal")) ==
          "sha256:7f08423e4be51bcedd2c6875c1fc352600320019bf4c4499ba8b909807077373");
    CHECK(definition_digest(load_valid_fixture("train-gpu")) ==
          "sha256:5455552b580c7fb7884a595a1e9380227d9e9967f387c009eecb9a9157d7ecaf");
    CHECK(definition_digest(load_valid_fixture("spark-etl")) ==
          "sha256:d4ec104c53c1a24ea90ab6dcc4d0ff334c3bd220081a0e736b52dce6f8f45282");
    CHECK(definition_digest(load_valid_fixture("local-python")) ==
          "sha256:5665424f55b053856021e23398bb7c2299b5c2f8eb93d1f504642d7ff8785b02");
    CHECK(definition_digest(load_valid_fixture("docker-build")) ==
          "sha256:ceba2683ffa02b2d5e446490bf9423e8eb792c9a482e58e9634b4a5b26cacbf5");
}

TEST_CASE("the canonical YAML of the schema example", "[canonical]")
{
    CHECK(canonical_yaml(load_valid_fixture("train-gpu")) ==
          R"(name: "train-gpu"
description: "PyTorch training on CUDA 12"
extends: "base-cuda@v2"
runtime: "python"
managed: true
platforms:
  - "linux-64"
python:
  version: "3.11"
  channels:
    - "conda-forge"
    - "nvidia"
  conda:
    - "numpy>=1.26"
    - "pytorch=2.1.*"
  pip:
    - "accelerate[torch]==0.24.1"
    - "transformers<5,>=4.35"
  pip_options:
    - "--extra-index-url https://example.org/simple"
variables:
  HF_TOKEN: "${HF_TOKEN}"
  OMP_NUM_THREADS: "8"
docker:
  base_image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
  apt:
    - "libgl1"
  gpu: true
  shm_size: "2g"
  registry:
    address: "myregistry.azurecr.io"
    username_env: "REG_USER"
    password_env: "REG_PASS"
metadata:
  team: "vision"
)");
}

TEST_CASE("the canonical JSON follows the same order on one line", "[canonical]")
{
    CHECK(canonical_json(load_valid_fixture("local-python")) ==
          R"({"name":"local-python","description":"The cluster's system Python",)"
          R"("runtime":"python","managed":false,"platforms":["linux-64","osx-arm64"],)"
          R"("python":{"version":"3.11.6","interpreter":"/opt/conda/bin/python"},)"
          R"("variables":{"DATABASE_PASSWORD":"${DATABASE_PASSWORD}","HTTP_PROXY":null,)"
          R"("LD_PRELOAD":null,"PYTHONHASHSEED":"0"},"x-owner":"research-platform",)"
          R"("x-review":{"approvers":["alice","bob"],"required":"true"}})");
}

TEST_CASE("the canonical YAML reads back to the same definition", "[canonical]")
{
    for (const char* name : {"minimal", "train-gpu", "spark-etl", "local-python", "docker-build"}) {
        INFO(name);
        Definition definition = load_valid_fixture(name);
        Definition again = parse_valid(canonical_yaml(definition), name);
        CHECK(canonical_json(again) == canonical_json(definition));
        CHECK(canonical_yaml(again) == canonical_yaml(definition));
    }
}

TEST_CASE("reordering keys and unordered lists never changes the canonical form", "[canonical]")
{
    std::mt19937 random(20240517);
    ShuffledDefinition shuffled(random);
    std::string first_text = shuffled.text();
    Definition first = parse_valid(first_text, "shuffled");
    std::string digest = definition_digest(first);
    std::string yaml = canonical_yaml(first);

    std::set<std::string> texts = {first_text};
    for (int round = 0; round < 200; ++round) {
        std::string text = shuffled.text();
        texts.insert(text);
        INFO(text);
        Definition definition = parse_valid(text, "shuffled");
        CHECK(definition_digest(definition) == digest);
        CHECK(canonical_yaml(definition) == yaml);
    }
    // The draws did write the definition in many different ways.
    CHECK(texts.size() > 190);
}

TEST_CASE("defaults and empty sections do not change the digest", "[canonical]")
{
    std::string digest = definition_digest(parse_valid("name: env\n", "env"));

    for (const char* text : {"name: env\nruntime: python\n",
                             "name: env\nmanaged: true\n",
                             "name: env\nplatforms: []\n",
                             "name: env\npython: {}\n",
                             "name: env\npython: {channels: [], conda: []}\n",
                             "name: env\ndocker: {}\n",
                             "name: env\ndocker: {gpu: false}\n",
                             "name: env\nvariables: {}\n"}) {
        INFO(text);
        Definition definition = parse_valid(text, "env");
        CHECK(definition_digest(definition) == digest);
        CHECK(canonical_yaml(definition) == "name: \"env\"\nruntime: \"python\"\nmanaged: true\n");
    }
}

TEST_CASE("a docker section always states gpu", "[canonical]")
{
    Definition definition = parse_valid("name: env\ndocker: {base_image: ubuntu}\n", "env");

    CHECK(canonical_json(definition) == R"({"name":"env","runtime":"python","managed":true,)"
                                        R"("docker":{"base_image":"ubuntu","gpu":false}})");
}

TEST_CASE("changing any build-relevant field changes the digest", "[canonical]")
{
    std::mt19937 random(7);
    const Definition base = parse_valid(ShuffledDefinition(random).text(), "shuffled");
    const std::string digest = definition_digest(base);

    std::vector<std::pair<const char*, std::function<void(Definition&)>>> changes = {
        {"runtime", [](Definition& d) { d.runtime = Runtime::docker; }},
        {"managed", [](Definition& d) { d.managed = false; }},
        {"platforms", [](Definition& d) { d.platforms.push_back("win-64"); }},
        {"python.version", [](Definition& d) { d.python->version = "3.12"; }},
        {"python.interpreter", [](Definition& d) { d.python->interpreter = "/usr/bin/python3"; }},
        {"python.channels order",
         [](Definition& d) { std::swap(d.python->channels[0], d.python->channels[1]); }},
        {"python.conda", [](Definition& d) { d.python->conda[0].version = ">=2"; }},
        {"python.pip", [](Definition& d) { d.python->pip.pop_back(); }},
        {"python.pip_options order",
         [](Definition& d) { std::swap(d.python->pip_options[0], d.python->pip_options[1]); }},
        {"variables value", [](Definition& d) { d.variables["A"] = "2"; }},
        {"variables null to empty", [](Definition& d) { d.variables["B"] = ""; }},
        {"variables added", [](Definition& d) { d.variables["E"] = "1"; }},
        {"docker.base_image", [](Definition& d) { d.docker->base_image = "ubuntu:24.04"; }},
        {"docker.base_dockerfile", [](Definition& d) { d.docker->base_dockerfile = "Dockerfile"; }},
        {"docker.apt", [](Definition& d) { d.docker->apt.push_back("vim"); }},
        {"docker.gpu", [](Definition& d) { d.docker->gpu = false; }},
        {"docker.shm_size", [](Definition& d) { d.docker->shm_size = "4g"; }},
        {"docker.registry.address", [](Definition& d) { d.docker->registry->address = "x.io"; }},
        {"docker.registry.username_env",
         [](Definition& d) { d.docker->registry->username_env = "OTHER"; }},
        {"docker.registry.password_env",
         [](Definition& d) { d.docker->registry->password_env.reset(); }},
        {"spark.repositories order",
         [](Definition& d) { std::swap(d.spark->repositories[0], d.spark->repositories[1]); }},
        {"spark.packages", [](Definition& d) { d.spark->packages.push_back("x:y:1"); }},
    };
    for (auto& [field, change] : changes) {
        INFO(field);
        Definition changed = base;
        change(changed);
        CHECK(definition_digest(changed) != digest);
    }
}

TEST_CASE("changing what does not build leaves the digest alone", "[canonical]")
{
    const Definition base = load_valid_fixture("train-gpu");
    const std::string digest = definition_digest(base);

    std::vector<std::pair<const char*, std::function<void(Definition&)>>> changes = {
        {"name", [](Definition& d) { d.name = "renamed"; }},
        {"description", [](Definition& d) { d.description = "something else"; }},
        {"extends", [](Definition& d) { d.extends = "base-cuda@v3"; }},
        {"metadata", [](Definition& d) { d.metadata["owner"] = "someone"; }},
        {"extensions", [](Definition& d) { d.extensions["x-note"] = "\"hi\""; }},
    };
    for (auto& [field, change] : changes) {
        INFO(field);
        Definition changed = base;
        change(changed);
        CHECK(definition_digest(changed) == digest);
        CHECK(canonical_json(changed) != canonical_json(base));
    }
}

TEST_CASE("canonical YAML quotes what a reader could take for something else", "[canonical]")
{
    Definition definition = parse_valid("name: env\n"
                                        "python: {version: 3.10}\n"
                                        "variables: {\"ON\": \"no\", PLAIN: 010}\n"
                                        "metadata: {\"yes\": \"null\", \"a key\": \"x\\ty\"}\n"
                                        "x-empty: []\n"
                                        "x-nothing: {}\n",
                                        "env");

    CHECK(canonical_yaml(definition) == R"(name: "env"
runtime: "python"
managed: true
python:
  version: "3.10"
variables:
  "ON": "no"
  PLAIN: "010"
metadata:
  "a key": "x\ty"
  "yes": "null"
x-empty: []
x-nothing: {}
)");
}

TEST_CASE("extension values come out with their keys sorted", "[canonical]")
{
    Definition definition = load_valid_fixture("minimal");
    definition.extensions["x-order"] = R"({"b":["2","1"],"a":{"d":null,"c":"3"}})";

    CHECK(canonical_json(definition) == R"({"name":"minimal","runtime":"python","managed":true,)"
                                        R"("x-order":{"a":{"c":"3","d":null},"b":["2","1"]}})");
}

TEST_CASE("an extension that does not hold JSON is refused", "[canonical]")
{
    Definition definition = load_valid_fixture("minimal");
    definition.extensions["x-broken"] = "{not json";

    CHECK_THROWS_MATCHES(canonical_json(definition),
                         Error,
                         Catch::Message("extension field \"x-broken\" does not hold JSON"));
}
