#include "support/line_ends.hpp"
#include "support/temp_dir.hpp"
#include "support/valid_fixtures.hpp"

#include "envstore/canonical.hpp"
#include "envstore/definition.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace envstore;
namespace fs = std::filesystem;
using test::load_valid_fixture;
using test::valid_fixture_text;
using test::with_crlf;

namespace {

// The valid fixtures are named after their environment: valid/NAME.yaml is
// read as environments/NAME/environment.yaml.
ParseResult parse_valid_fixture(const std::string& name, std::string_view text)
{
    return parse_definition(text, "environments/" + name + "/environment.yaml", name);
}

std::vector<std::string> valid_fixture_names()
{
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(test::data_path("valid"))) {
        if (entry.path().extension() == ".yaml") {
            names.push_back(entry.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

ParseResult parse_text(std::string_view text, std::string_view expected_name = "train")
{
    return parse_definition(text, "environments/train/environment.yaml", expected_name);
}

std::vector<std::string> rules_of(const ParseResult& result)
{
    std::vector<std::string> rules;
    for (const Diagnostic& diagnostic : result.errors) {
        rules.push_back(diagnostic.rule);
    }
    return rules;
}

} // namespace

TEST_CASE("every valid fixture parses without diagnostics", "[definition]")
{
    std::vector<std::string> names = valid_fixture_names();
    CHECK(names.size() >= 5);
    for (const std::string& name : names) {
        INFO("tests/data/valid/" << name << ".yaml");
        ParseResult result = parse_valid_fixture(name, valid_fixture_text(name));
        for (const Diagnostic& diagnostic : result.errors) {
            FAIL_CHECK(format_diagnostic(diagnostic));
        }
        CHECK(result.definition);
    }
}

TEST_CASE("CRLF line ends and a byte-order mark do not change what a definition says",
          "[definition]")
{
    for (const std::string& name : valid_fixture_names()) {
        INFO("tests/data/valid/" << name << ".yaml");
        std::string text = valid_fixture_text(name);
        ParseResult plain = parse_valid_fixture(name, text);
        REQUIRE(plain.definition);
        std::string expected = canonical_json(*plain.definition);

        for (const std::string& variant :
             {with_crlf(text), "\xEF\xBB\xBF" + text, "\xEF\xBB\xBF" + with_crlf(text)}) {
            ParseResult result = parse_valid_fixture(name, variant);
            CHECK(result.errors.empty());
            REQUIRE(result.definition);
            CHECK(canonical_json(*result.definition) == expected);
        }
    }
}

TEST_CASE("the schema example reads into the model field by field", "[definition]")
{
    Definition definition = load_valid_fixture("train-gpu");

    CHECK(definition.name == "train-gpu");
    CHECK(definition.description == "PyTorch training on CUDA 12");
    CHECK(definition.extends == "base-cuda@v2");
    CHECK(definition.runtime == Runtime::python);
    CHECK(definition.managed == true);
    CHECK(definition.platforms == std::vector<std::string>{"linux-64"});

    REQUIRE(definition.python);
    const PythonSettings& python = *definition.python;
    CHECK(python.version == "3.11");
    CHECK_FALSE(python.interpreter);
    CHECK(python.channels == std::vector<std::string>{"conda-forge", "nvidia"});
    REQUIRE(python.conda.size() == 2);
    CHECK(python.conda[0].name == "numpy");
    CHECK(python.conda[1].to_string() == "pytorch=2.1.*");
    REQUIRE(python.pip.size() == 2);
    CHECK(python.pip[0].name == "transformers");
    CHECK(python.pip[1].extras == std::vector<std::string>{"torch"});
    CHECK(python.pip_options ==
          std::vector<std::string>{"--extra-index-url https://example.org/simple"});

    CHECK(definition.variables.at("OMP_NUM_THREADS") == "8");
    CHECK(definition.variables.at("HF_TOKEN") == "${HF_TOKEN}");

    REQUIRE(definition.docker);
    const DockerSettings& docker = *definition.docker;
    CHECK(docker.base_image == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04");
    CHECK_FALSE(docker.base_dockerfile);
    CHECK(docker.apt == std::vector<std::string>{"libgl1"});
    CHECK(docker.gpu == true);
    CHECK(docker.shm_size == "2g");
    REQUIRE(docker.registry);
    CHECK(docker.registry->address == "myregistry.azurecr.io");
    CHECK(docker.registry->username_env == "REG_USER");
    CHECK(docker.registry->password_env == "REG_PASS");

    CHECK_FALSE(definition.spark);
    CHECK(definition.metadata == std::map<std::string, std::string>{{"team", "vision"}});
    CHECK(definition.extensions.empty());
}

TEST_CASE("fields left out stay empty rather than defaulted", "[definition]")
{
    Definition definition = load_valid_fixture("minimal");

    CHECK(definition.name == "minimal");
    CHECK_FALSE(definition.description);
    CHECK_FALSE(definition.runtime);
    CHECK_FALSE(definition.managed);
    CHECK_FALSE(definition.python);
    CHECK_FALSE(definition.docker);
    CHECK(definition.variables.empty());
}

TEST_CASE("scalars keep the text written in the file", "[definition]")
{
    SECTION("an unquoted python version is not read as a number")
    {
        Definition definition = load_valid_fixture("spark-etl");
        REQUIRE(definition.python);
        CHECK(definition.python->version == "3.10");
        CHECK(definition.metadata.at("cost-center") == "4711");
    }
    SECTION("an unquoted number as a variable value")
    {
        ParseResult result = parse_text("name: train\nvariables: {RANK: 0, RATE: 1e3}\n");
        REQUIRE(result.definition);
        CHECK(result.definition->variables.at("RANK") == "0");
        CHECK(result.definition->variables.at("RATE") == "1e3");
    }
}

TEST_CASE("a null variable removes an inherited one", "[definition]")
{
    Definition definition = load_valid_fixture("local-python");

    CHECK(definition.variables.at("LD_PRELOAD") == std::nullopt);
    CHECK(definition.variables.at("HTTP_PROXY") == std::nullopt);
    CHECK(definition.variables.at("PYTHONHASHSEED") == "0");
    CHECK(definition.variables.at("DATABASE_PASSWORD") == "${DATABASE_PASSWORD}");
}

TEST_CASE("x- fields are kept as compact JSON", "[definition]")
{
    Definition definition = load_valid_fixture("local-python");

    CHECK(definition.extensions ==
          std::map<std::string, std::string>{
              {"x-owner", "\"research-platform\""},
              {"x-review", "{\"approvers\":[\"alice\",\"bob\"],\"required\":\"true\"}"}});
}

TEST_CASE("referenced files name the files of the folder a definition uses", "[definition]")
{
    CHECK(load_valid_fixture("docker-build").referenced_files() ==
          std::vector<std::string>{"docker/Dockerfile.base"});
    CHECK(load_valid_fixture("train-gpu").referenced_files().empty());
    CHECK(load_valid_fixture("minimal").referenced_files().empty());
}

TEST_CASE("every problem is reported, in the order of the file", "[definition]")
{
    ParseResult result = parse_text("runtime: pyton\n"
                                    "platforms: [linux64]\n"
                                    "pyhton: {}\n"
                                    "name: Train\n"
                                    "managed: no\n");

    CHECK_FALSE(result.definition);
    CHECK(rules_of(result) == std::vector<std::string>{"invalid-runtime",
                                                       "unknown-platform",
                                                       "unknown-field",
                                                       "invalid-name",
                                                       "invalid-boolean"});
}

TEST_CASE("the folder name check is skipped without an expected name", "[definition]")
{
    CHECK(parse_text("name: other\n", "").definition);
    CHECK(rules_of(parse_text("name: other\n")) == std::vector<std::string>{"name-mismatch"});
}

TEST_CASE("a password field is reported once, as a secret", "[definition]")
{
    ParseResult result = parse_text("name: train\npassword: hunter2\n");

    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].rule == "inline-secret");
    CHECK(result.errors[0].message == "secret written inline: \"password\"");
}

TEST_CASE("secrets are refused wherever they are written inline", "[definition]")
{
    auto secret_count = [](std::string_view text) {
        auto rules = rules_of(parse_text(text));
        return std::count(rules.begin(), rules.end(), "inline-secret");
    };

    SECTION("a variable reference is the only value a secret variable may have")
    {
        CHECK(secret_count("name: train\nvariables: {API_KEY: \"${API_KEY}\"}\n") == 0);
        CHECK(secret_count("name: train\nvariables: {API_KEY: \"${OTHER_NAME}\"}\n") == 0);
        CHECK(secret_count("name: train\nvariables: {API_KEY: \"x${API_KEY}\"}\n") == 1);
        CHECK(secret_count("name: train\nvariables: {API_KEY: \"$API_KEY\"}\n") == 1);
        CHECK(secret_count("name: train\nvariables: {my_secret_value: abc}\n") == 1);
        CHECK(secret_count("name: train\nvariables: {TOKENIZER: bert}\n") == 0);
        CHECK(secret_count("name: train\nvariables: {KEYBOARD: us}\n") == 0);
    }
    SECTION("a URL with a user but no password is not a secret")
    {
        CHECK(secret_count("name: train\npython:\n  pip:\n"
                           "    - lib @ git+ssh://git@github.com/org/lib.git\n") == 0);
        CHECK(secret_count("name: train\ndescription: mail ops@example.org\n") == 0);
    }
    SECTION("a password anywhere in a URL, in any field")
    {
        CHECK(secret_count("name: train\ndescription: see https://a:b@example.org\n") == 1);
        CHECK(secret_count("name: train\nvariables:\n"
                           "  PIP_INDEX_URL: https://u:p@pypi.example.org/simple\n") == 1);
        CHECK(secret_count("name: train\nvariables:\n"
                           "  PIP_INDEX_URL: https://u:${P}@pypi.example.org/simple\n") == 0);
    }
    SECTION("a channel token in a conda spec")
    {
        CHECK(secret_count("name: train\npython:\n  conda:\n"
                           "    - https://conda.anaconda.org/t/tk-123/ch::numpy\n") == 1);
    }
}

TEST_CASE("a spark section of the wrong type is not also a conflict", "[definition]")
{
    ParseResult result = parse_text("name: train\nspark: [a]\n");

    CHECK(rules_of(result) == std::vector<std::string>{"wrong-type"});
}

TEST_CASE("settings whose own value is invalid add no conflicts", "[definition]")
{
    CHECK(rules_of(parse_text("name: train\nruntime: sprak\nspark: {packages: [a:b:1]}\n")) ==
          std::vector<std::string>{"invalid-runtime"});
    CHECK(rules_of(parse_text("name: train\nmanaged: off\npython: {conda: [numpy]}\n")) ==
          std::vector<std::string>{"invalid-boolean"});
}

TEST_CASE("load_definition throws every diagnostic of an invalid definition", "[definition]")
{
    const std::string path = "environments/train/environment.yaml";

    SECTION("one problem: its own message and location")
    {
        try {
            load_definition("name: train\nruntime: pyton\n", path, "train");
            FAIL("no error thrown");
        } catch (const Error& error) {
            CHECK(error.code() == ErrorCode::invalid_input);
            CHECK(error.message() == "unknown runtime \"pyton\"");
            CHECK(error.rule() == "invalid-runtime");
            REQUIRE(error.location());
            CHECK(error.location()->line == 2);
            CHECK(error.location()->column == 10);
            CHECK(error.details().size() == 1);
        }
    }
    SECTION("several problems: a count, and each in the details")
    {
        try {
            load_definition("name: train\nruntime: pyton\nmanaged: no\n", path, "train");
            FAIL("no error thrown");
        } catch (const Error& error) {
            CHECK(error.code() == ErrorCode::invalid_input);
            CHECK(error.message() ==
                  "invalid definition \"environments/train/environment.yaml\": 2 problems");
            CHECK(error.details().size() == 2);
        }
    }
    SECTION("a valid definition loads")
    {
        CHECK(load_definition("name: train\n", path, "train").name == "train");
    }
}

TEST_CASE("runtimes have stable names", "[definition]")
{
    CHECK(name_of(Runtime::python) == "python");
    CHECK(name_of(Runtime::spark) == "spark");
    CHECK(name_of(Runtime::docker) == "docker");
}
