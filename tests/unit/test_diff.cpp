// diff_definitions: every kind of change, field by field, matched as the
// canonical form matches packages; element_lines for the Git textconv.

#include "support/valid_fixtures.hpp"

#include "envstore/diff.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace envstore;
using test::parse_valid;

namespace {

const std::string k_base = "name: app\n"
                           "runtime: python\n"
                           "platforms: [linux-64]\n"
                           "python:\n"
                           "  version: \"3.11\"\n"
                           "  channels: [conda-forge, defaults]\n"
                           "  conda: [\"numpy>=1.26\", pandas]\n"
                           "  pip: [\"requests>=2.31\"]\n";

Definition app(const std::string& text)
{
    return parse_valid(text, "app");
}

std::vector<Change> diff_texts_of(const std::string& before, const std::string& after)
{
    return diff_definitions(app(before), app(after));
}

Change added(std::string field, std::string item, std::string after)
{
    return {ChangeKind::added, std::move(field), std::move(item), std::nullopt, std::move(after)};
}

Change removed(std::string field, std::string item, std::string before)
{
    return {
        ChangeKind::removed, std::move(field), std::move(item), std::move(before), std::nullopt};
}

Change changed(std::string field, std::string item, std::string before, std::string after)
{
    return {ChangeKind::changed,
            std::move(field),
            std::move(item),
            std::move(before),
            std::move(after)};
}

Change reordered(std::string field, std::string before, std::string after)
{
    return {ChangeKind::reordered, std::move(field), {}, std::move(before), std::move(after)};
}

} // namespace

TEST_CASE("Equal definitions have no changes, however they are written", "[diff]")
{
    std::string rewritten = "python:\n"
                            "  pip: [\"requests >= 2.31\"]\n"
                            "  conda: [pandas, \"numpy >=1.26\"]\n"
                            "  channels: [conda-forge, defaults]\n"
                            "  version: \"3.11\"\n"
                            "platforms: [linux-64]\n"
                            "name: app\n";
    CHECK(diff_texts_of(k_base, k_base).empty());
    CHECK(diff_texts_of(k_base, rewritten).empty());
}

TEST_CASE("Conda packages are added, removed and changed by lowercase name", "[diff]")
{
    std::string after = k_base;
    after.replace(
        after.find("conda: [\"numpy>=1.26\", pandas]"), 30, "conda: [\"NumPy>=2.0\", scipy=1.11]");
    CHECK(diff_texts_of(k_base, after) ==
          std::vector<Change>{changed("python.conda", "numpy", "numpy>=1.26", "NumPy>=2.0"),
                              removed("python.conda", "pandas", "pandas"),
                              added("python.conda", "scipy", "scipy=1.11")});
}

TEST_CASE("Pip packages match by their PEP 503 name, apart from conda's", "[diff]")
{
    std::string before = k_base + "  pip_options: [--no-cache-dir]\n";
    std::string after = k_base;
    after.replace(after.find("pip: [\"requests>=2.31\"]"),
                  23,
                  "pip: [\"Requests[socks]>=2.32\", Flask_SQLAlchemy, numpy==2.0]");
    before.replace(before.find("pip: [\"requests>=2.31\"]"),
                   23,
                   "pip: [\"requests>=2.31\", flask-sqlalchemy]");
    CHECK(diff_texts_of(before, after) ==
          std::vector<Change>{
              changed("python.pip", "flask-sqlalchemy", "flask-sqlalchemy", "Flask_SQLAlchemy"),
              added("python.pip", "numpy", "numpy==2.0"),
              changed("python.pip", "requests", "requests>=2.31", "Requests[socks]>=2.32"),
              removed("python.pip_options", "--no-cache-dir", "--no-cache-dir")});
}

TEST_CASE("Channel order is reported apart from channels added or removed", "[diff]")
{
    auto with_channels = [](const std::string& channels) {
        std::string text = k_base;
        text.replace(text.find("[conda-forge, defaults]"), 23, channels);
        return text;
    };

    SECTION("only the order changed")
    {
        CHECK(diff_texts_of(k_base, with_channels("[defaults, conda-forge]")) ==
              std::vector<Change>{
                  reordered("python.channels", "conda-forge, defaults", "defaults, conda-forge")});
    }
    SECTION("a channel added in front keeps the others' order")
    {
        CHECK(diff_texts_of(k_base, with_channels("[nvidia, conda-forge, defaults]")) ==
              std::vector<Change>{added("python.channels", "nvidia", "nvidia")});
    }
    SECTION("a channel removed and the rest reordered")
    {
        std::string before = with_channels("[conda-forge, defaults, bioconda]");
        CHECK(diff_texts_of(before, with_channels("[defaults, conda-forge]")) ==
              std::vector<Change>{
                  removed("python.channels", "bioconda", "bioconda"),
                  reordered("python.channels", "conda-forge, defaults", "defaults, conda-forge")});
    }
}

TEST_CASE("Python version, platforms and interpreter are compared as written", "[diff]")
{
    std::string after = k_base;
    after.replace(after.find("\"3.11\""), 6, "\"3.12\"");
    after.replace(after.find("[linux-64]"), 10, "[linux-aarch64, linux-64]");
    CHECK(diff_texts_of(k_base, after) ==
          std::vector<Change>{added("platforms", "linux-aarch64", "linux-aarch64"),
                              changed("python.version", "", "3.11", "3.12")});

    std::string local = "name: app\nmanaged: false\npython: {interpreter: /usr/bin/python3}\n";
    std::string moved = "name: app\nmanaged: false\npython: {interpreter: /opt/python3}\n";
    CHECK(
        diff_texts_of(local, moved) ==
        std::vector<Change>{changed("python.interpreter", "", "/usr/bin/python3", "/opt/python3")});
}

TEST_CASE("Docker fields: base image, apt packages by name, gpu, shm_size, registry", "[diff]")
{
    std::string before = "name: app\n"
                         "runtime: docker\n"
                         "docker:\n"
                         "  base_image: ubuntu:22.04\n"
                         "  apt: [libgl1=1.2, curl, git]\n";
    std::string after = "name: app\n"
                        "runtime: docker\n"
                        "docker:\n"
                        "  base_image: ubuntu:24.04\n"
                        "  apt: [libgl1=1.3, curl, wget]\n"
                        "  gpu: true\n"
                        "  shm_size: 2g\n"
                        "  registry: {address: example.azurecr.io, username_env: REG_USER}\n";
    CHECK(diff_texts_of(before, after) ==
          std::vector<Change>{changed("docker.base_image", "", "ubuntu:22.04", "ubuntu:24.04"),
                              removed("docker.apt", "git", "git"),
                              changed("docker.apt", "libgl1", "libgl1=1.2", "libgl1=1.3"),
                              added("docker.apt", "wget", "wget"),
                              changed("docker.gpu", "", "false", "true"),
                              added("docker.shm_size", "", "2g"),
                              added("docker.registry.address", "", "example.azurecr.io"),
                              added("docker.registry.username_env", "", "REG_USER")});

    std::string built = "name: app\nruntime: docker\ndocker: {base_dockerfile: Dockerfile}\n";
    CHECK(diff_texts_of(before, built) ==
          std::vector<Change>{removed("docker.base_image", "", "ubuntu:22.04"),
                              added("docker.base_dockerfile", "", "Dockerfile"),
                              removed("docker.apt", "curl", "curl"),
                              removed("docker.apt", "git", "git"),
                              removed("docker.apt", "libgl1=1.2", "libgl1=1.2")});
}

TEST_CASE("Variables are added, removed, changed and set to null", "[diff]")
{
    std::string before = k_base + "variables: {OMP_NUM_THREADS: \"8\", MODE: fast, OLD: x}\n";
    std::string after = k_base + "variables: {OMP_NUM_THREADS: \"16\", MODE: fast, LD_PRELOAD: "
                                 "null, NEW: \"\"}\n";
    CHECK(diff_texts_of(before, after) ==
          std::vector<Change>{added("variables", "LD_PRELOAD", "null"),
                              added("variables", "NEW", ""),
                              removed("variables", "OLD", "x"),
                              changed("variables", "OMP_NUM_THREADS", "8", "16")});
}

TEST_CASE("Spark packages match by group and artifact, repository order counts", "[diff]")
{
    std::string before = "name: app\n"
                         "runtime: spark\n"
                         "spark:\n"
                         "  repositories: [https://a.example/maven, https://b.example/maven]\n"
                         "  packages: [io.delta:delta-core_2.12:2.4.0, org.x:y:1]\n";
    std::string after = "name: app\n"
                        "runtime: spark\n"
                        "spark:\n"
                        "  repositories: [https://b.example/maven, https://a.example/maven]\n"
                        "  packages: [io.delta:delta-core_2.12:2.5.0, org.z:w:2]\n";
    CHECK(diff_texts_of(before, after) ==
          std::vector<Change>{reordered("spark.repositories",
                                        "https://a.example/maven, https://b.example/maven",
                                        "https://b.example/maven, https://a.example/maven"),
                              changed("spark.packages",
                                      "io.delta:delta-core_2.12",
                                      "io.delta:delta-core_2.12:2.4.0",
                                      "io.delta:delta-core_2.12:2.5.0"),
                              removed("spark.packages", "org.x:y:1", "org.x:y:1"),
                              added("spark.packages", "org.z:w:2", "org.z:w:2")});
}

TEST_CASE("Every other field: description, extends, runtime, managed, metadata, x-", "[diff]")
{
    SECTION("a default written out is no change")
    {
        CHECK(diff_texts_of(k_base, k_base + "managed: true\n").empty());
        std::string implicit = k_base;
        implicit.erase(implicit.find("runtime: python\n"), 16);
        CHECK(diff_texts_of(k_base, implicit).empty());
        std::string image = k_base + "docker: {base_image: \"ubuntu:24.04\"}\n";
        CHECK(diff_texts_of(image, k_base + "docker: {base_image: \"ubuntu:24.04\", gpu: false}\n")
                  .empty());
    }
    SECTION("scalars and mappings")
    {
        std::string before = k_base + "description: old\nextends: base@v2\n"
                                      "metadata: {team: vision, ticket: ML-1}\n"
                                      "x-owner: alice\n";
        std::string after = k_base + "description: new\nextends: base@v3\nruntime: docker\n"
                                     "metadata: {team: vision, cost: \"12\"}\n"
                                     "x-review: {required: true}\n";
        after.erase(after.find("runtime: python\n"), 16);
        CHECK(diff_texts_of(before, after) ==
              std::vector<Change>{changed("description", "", "old", "new"),
                                  changed("extends", "", "base@v2", "base@v3"),
                                  changed("runtime", "", "python", "docker"),
                                  added("metadata", "cost", "12"),
                                  removed("metadata", "ticket", "ML-1"),
                                  removed("x-owner", "", "\"alice\""),
                                  added("x-review", "", "{\"required\":\"true\"}")});
    }
    SECTION("python.remove")
    {
        std::string before = k_base + "extends: base@v1\n";
        std::string after = before;
        after.replace(after.find("python:\n"), 8, "python:\n  remove: [scipy]\n");
        CHECK(diff_texts_of(before, after) ==
              std::vector<Change>{added("python.remove", "scipy", "scipy")});
    }
}

TEST_CASE("Changes compare with an empty definition as all added or all removed", "[diff]")
{
    Definition definition = app("name: app\ndescription: d\n");
    CHECK(diff_definitions(Definition{}, definition) ==
          std::vector<Change>{added("name", "", "app"),
                              added("description", "", "d"),
                              added("runtime", "", "python"),
                              added("managed", "", "true")});
    CHECK(diff_definitions(definition, Definition{}).size() == 4);
    CHECK(changed("python.conda", "numpy", "a", "b").key() == "python.conda/numpy");
    CHECK(changed("runtime", "", "a", "b").key() == "runtime");
}

TEST_CASE("element_lines prints one line per element in field order", "[diff]")
{
    std::string text = k_base + "variables: {B: \"2\", A: null}\nx-owner: alice\n";
    CHECK(element_lines(app(text)) == "name: app\n"
                                      "runtime: python\n"
                                      "managed: true\n"
                                      "platforms/linux-64\n"
                                      "python.version: 3.11\n"
                                      "python.channels: conda-forge, defaults\n"
                                      "python.channels/conda-forge\n"
                                      "python.channels/defaults\n"
                                      "python.conda/numpy: numpy>=1.26\n"
                                      "python.conda/pandas\n"
                                      "python.pip/requests: requests>=2.31\n"
                                      "variables/A: null\n"
                                      "variables/B: 2\n"
                                      "x-owner: \"alice\"\n");
}
