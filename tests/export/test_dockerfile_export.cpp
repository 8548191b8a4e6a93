// The Dockerfile export: its steps and their order, the build context, the
// warnings for what it does not carry and the refusals of what it cannot.

#include "export/dockerfile_judge.hpp"
#include "support/temp_dir.hpp"

#include "envstore/export_dockerfile.hpp"

#include <catch2/catch.hpp>

using namespace envstore;
using namespace envstore::test;

namespace {

const std::string k_full = R"(name: train
description: training
platforms: [linux-64]
python:
  version: "3.11"
  channels: [conda-forge]
  conda: ["numpy>=1.26"]
  pip: ["requests>=2.31", "accelerate[torch]==0.24.1"]
  pip_options: ["--extra-index-url https://example.org/simple"]
variables: {OMP_NUM_THREADS: "8", HF_TOKEN: "${HF_TOKEN}"}
docker:
  base_image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest
  apt: [libgl1, curl]
  gpu: true
  shm_size: 2g
  registry: {address: myregistry.azurecr.io}
metadata: {team: vision}
)";

DockerfileExport export_yaml(const std::string& yaml,
                             const std::optional<std::string>& base = std::nullopt)
{
    return export_dockerfile(resolved_from_yaml(yaml), test_conda_file, base);
}

std::string messages(const std::vector<Diagnostic>& warnings)
{
    std::string all;
    for (const Diagnostic& warning : warnings) {
        all += warning.message + "\n";
    }
    return all;
}

// The message of the Error that exporting `yaml` throws, with its line.
std::string refusal(const std::string& yaml)
{
    try {
        export_yaml(yaml);
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::invalid_input);
        return error.message() + " @" +
               std::to_string(error.location() ? error.location()->line : 0);
    }
    FAIL("the export did not refuse");
    return {};
}

} // namespace

TEST_CASE("the steps come in cache order: base, user, apt, conda, pip, variables, labels",
          "[export][dockerfile]")
{
    DockerfileExport out = export_yaml(k_full);
    const std::string& file = out.dockerfile;
    std::vector<std::string> steps = {
        "FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\n",
        "useradd",
        "apt-get install -y --no-install-recommends \\\n        'libgl1' \\\n        'curl'",
        "rm -rf /var/lib/apt/lists/*",
        "COPY environment.yml /tmp/envstore/environment.yml",
        "ENV PATH=/opt/envstore/env/bin:$PATH",
        "pip install",
        "ENV OMP_NUM_THREADS='8'",
        "USER envstore",
        "LABEL envstore.digest=",
    };
    std::size_t at = 0;
    for (const std::string& step : steps) {
        std::size_t found = file.find(step, at);
        INFO(file << "\nstep: " << step);
        REQUIRE(found != std::string::npos);
        at = found;
    }
    CHECK(file.find(resolved_from_yaml(k_full).digest) != std::string::npos);
    CHECK(file.find("HF_TOKEN") == std::string::npos);
}

TEST_CASE("the conda file is written without the pip side, variables or name",
          "[export][dockerfile]")
{
    std::optional<Definition> given;
    CondaFileWriter spy = [&](const ResolvedDefinition& resolved) {
        given = resolved.definition;
        return std::string("name: envstore\n");
    };
    DockerfileExport out = export_dockerfile(resolved_from_yaml(k_full), spy);
    REQUIRE(given);
    CHECK(given->name == "envstore");
    CHECK(given->python->pip.empty());
    CHECK(given->python->pip_options.empty());
    CHECK(given->variables.empty());
    CHECK(given->metadata.empty());
    REQUIRE(given->python->conda.size() == 2);
    CHECK(given->python->conda[1].to_string() == "pip");
    REQUIRE(out.context_files.size() == 1);
    CHECK(out.context_files[0] ==
          std::pair<std::string, std::string>("environment.yml", "name: envstore\n"));
}

TEST_CASE("identical environments give identical Dockerfiles: name and version are build "
          "arguments",
          "[export][dockerfile]")
{
    std::string other = k_full;
    other.replace(other.find("name: train"), 11, "name: serve");
    other.replace(other.find("team: vision"), 12, "team: nlp");
    DockerfileExport first = export_yaml(k_full);
    DockerfileExport second = export_yaml(other);
    CHECK(first.dockerfile == second.dockerfile);
    CHECK(first.context_files == second.context_files);
    CHECK(first.dockerfile.find("train") == std::string::npos);
    CHECK(first.build_args ==
          std::vector<std::pair<std::string, std::string>>{{"ENVSTORE_NAME", "train"}});
}

TEST_CASE("what a Dockerfile does not carry is named in a warning", "[export][dockerfile]")
{
    std::string warnings = messages(export_yaml(k_full).warnings);
    CHECK_THAT(warnings, Catch::Contains("variable HF_TOKEN takes its value where it runs"));
    CHECK_THAT(warnings, Catch::Contains("docker.gpu"));
    CHECK_THAT(warnings, Catch::Contains("--shm-size 2g"));
    CHECK_THAT(warnings, Catch::Contains("log in to myregistry.azurecr.io"));
    CHECK_THAT(warnings, Catch::Contains("platforms are not carried"));

    std::string plain = messages(export_yaml("name: x\npython: {conda: [numpy]}\n").warnings);
    CHECK_THAT(plain, Catch::Contains("builds from mambaorg/micromamba:1.5.8"));

    DockerfileExport other = export_yaml("name: x\nruntime: spark\nmanaged: false\n"
                                         "python: {interpreter: /usr/bin/python3}\n"
                                         "spark: {packages: [\"a:b:1\"]}\n"
                                         "variables: {GONE: null}\n");
    std::string rest = messages(other.warnings);
    CHECK_THAT(rest, Catch::Contains("variable GONE is null: not set"));
    CHECK_THAT(rest, Catch::Contains("spark packages and repositories are not installed"));
    CHECK_THAT(rest, Catch::Contains("a user-managed environment: nothing is installed"));
    CHECK(other.context_files.empty());
    CHECK(other.dockerfile.find("pip") == std::string::npos);
    CHECK(other.dockerfile.find("GONE") == std::string::npos);
}

TEST_CASE("a base Dockerfile is copied whole into the context and built first",
          "[export][dockerfile]")
{
    std::string yaml = "name: x\ndocker: {base_dockerfile: docker/Dockerfile}\n"
                       "python: {conda: [numpy]}\n";
    std::string base = "# escape=`\nFROM ubuntu:22.04\nRUN echo `\n  hi\n";
    DockerfileExport out = export_yaml(yaml, base);
    CHECK_THAT(out.dockerfile,
               Catch::Contains("ARG ENVSTORE_BASE_IMAGE\nFROM ${ENVSTORE_BASE_IMAGE}\n"));
    CHECK(out.context_files.at(0) == std::pair<std::string, std::string>("base.Dockerfile", base));
    CHECK(out.build_args.at(0) ==
          std::pair<std::string, std::string>("ENVSTORE_BASE_IMAGE", "envstore-base/x:working"));

    try {
        export_yaml(yaml);
        FAIL("exported without the base Dockerfile's content");
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::usage);
        CHECK_THAT(error.message(), Catch::Contains("docker/Dockerfile"));
    }
}

TEST_CASE("a variable value with a line break is refused, naming the variable",
          "[export][dockerfile]")
{
    CHECK(refusal("name: x\nvariables:\n  GREETING: \"a\\nRUN touch /pwned\"\n") ==
          "the value of variable GREETING holds a line feed, which a Dockerfile cannot carry @3");
    CHECK(refusal("name: x\nvariables:\n  CR: \"a\\rb\"\n") ==
          "the value of variable CR holds a carriage return, which a Dockerfile cannot carry @3");
}

TEST_CASE("a NUL byte in a variable is refused, by the reader or the export",
          "[export][dockerfile]")
{
    ParseResult parsed = parse_definition("name: x\nvariables:\n  Z: \"a\\0b\"\n", "x.yaml");
    if (parsed.definition) {
        CHECK(refusal("name: x\nvariables:\n  Z: \"a\\0b\"\n") ==
              "the value of variable Z holds a NUL byte, which a Dockerfile cannot carry @3");
    } else {
        CHECK_FALSE(parsed.errors.empty());
    }
}

TEST_CASE("pip options that cannot be carried are refused, naming the option",
          "[export][dockerfile]")
{
    std::string head = "name: x\npython:\n  pip: [requests]\n  pip_options:\n    - ";
    CHECK(refusal(head + "\"--index-url 'https://example.org\"\n") ==
          "pip option \"--index-url 'https://example.org\" has an unclosed quote or ends with a "
          "backslash @5");
    CHECK(refusal(head + "\"--pre \\\\\"\n") ==
          "pip option \"--pre \\\" has an unclosed quote or ends with a backslash @5");
    CHECK(refusal(head + "\"--pre\\n--index-url x\"\n") ==
          "pip option holds a line feed, which a Dockerfile cannot carry @5");
}

TEST_CASE("a base image that is not an image reference is refused", "[export][dockerfile]")
{
    for (std::string image : {"\"ubuntu:22.04 AS x\"",
                              "\"ubuntu\\nRUN touch /pwned\"",
                              "\"${BASE}\"",
                              "\"ubuntu:$(id)\"",
                              "\"Ubuntu\""}) {
        INFO(image);
        CHECK_THAT(refusal("name: x\ndocker:\n  base_image: " + image + "\n"),
                   Catch::StartsWith("docker.base_image") && Catch::EndsWith("@3"));
    }
    for (std::string image :
         std::vector<std::string>{"ubuntu",
                                  "localhost:5000/a/b_c:1.0-rc",
                                  "ghcr.io/org/img@sha256:" + std::string(64, 'a')}) {
        INFO(image);
        CHECK_THAT(export_yaml("name: x\ndocker: {base_image: \"" + image + "\"}\n").dockerfile,
                   Catch::Contains("\nFROM " + image + "\n"));
    }
}

TEST_CASE("the build context holds the Dockerfile and the files it copies, byte for byte",
          "[export][dockerfile]")
{
    std::string yaml = "name: x\ndocker: {base_dockerfile: docker/Dockerfile}\n"
                       "python: {conda: [numpy]}\n";
    DockerfileExport out = export_yaml(yaml, std::string("FROM debian\r\nRUN true\n"));
    TempDir dir;
    write_file(dir / "context" / "keep.txt", "kept");
    auto written = write_build_context(out, dir / "context");
    CHECK(written.size() == 3);
    CHECK(read_file(dir / "context" / "Dockerfile") == out.dockerfile);
    CHECK(read_file(dir / "context" / "base.Dockerfile") == "FROM debian\r\nRUN true\n");
    CHECK(read_file(dir / "context" / "environment.yml") == out.context_files.at(1).second);
    CHECK(read_file(dir / "context" / "keep.txt") == "kept");

    write_file(dir / "file", "");
    CHECK_THROWS_AS(write_build_context(out, dir / "file" / "context"), Error);
}
