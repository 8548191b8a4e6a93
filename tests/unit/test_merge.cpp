// merge_definitions: each merge rule of docs/resolve.md, on definitions parsed
// from YAML, compared through the canonical form.

#include "envstore/canonical.hpp"
#include "envstore/error.hpp"
#include "envstore/resolve.hpp"

#include <catch2/catch.hpp>

#include <string>

using envstore::canonical_yaml;
using envstore::Definition;
using envstore::load_definition;
using envstore::merge_definitions;

namespace {

Definition parse(const std::string& name, const std::string& body)
{
    return load_definition(
        "name: " + name + "\n" + body, "environments/" + name + "/environment.yaml", name);
}

// The canonical YAML of `child` merged over `base`, without the name line.
std::string merged(const std::string& base, const std::string& child)
{
    Definition result =
        merge_definitions(parse("base", base), parse("child", "extends: base\n" + child));
    std::string text = canonical_yaml(result);
    return text.substr(text.find('\n') + 1);
}

} // namespace

TEST_CASE("the child's scalars win and the base's fill in", "[unit][merge]")
{
    std::string base = "description: the base\nruntime: docker\nmanaged: true\n"
                       "python: {version: \"3.10\"}\n"
                       "docker: {base_image: ubuntu:22.04, gpu: true, shm_size: 1g}\n";
    CHECK(merged(base, "python: {version: \"3.12\"}\ndocker: {shm_size: 2g}\n") ==
          "extends: \"base\"\n"
          "runtime: \"docker\"\n"
          "managed: true\n"
          "python:\n"
          "  version: \"3.12\"\n"
          "docker:\n"
          "  base_image: \"ubuntu:22.04\"\n"
          "  gpu: true\n"
          "  shm_size: \"2g\"\n");
}

TEST_CASE("name and description belong to the child", "[unit][merge]")
{
    Definition result = merge_definitions(parse("base", "description: the base\n"),
                                          parse("child", "extends: base\n"));
    CHECK(result.name == "child");
    CHECK_FALSE(result.description);
    CHECK(result.extends == "base");
}

TEST_CASE("channels keep the child's first, then the base's, without duplicates", "[unit][merge]")
{
    CHECK(merged("python: {channels: [conda-forge, defaults]}\n",
                 "python: {channels: [pytorch, nvidia, conda-forge]}\n") ==
          "extends: \"base\"\nruntime: \"python\"\nmanaged: true\npython:\n  channels:\n"
          "    - \"pytorch\"\n    - \"nvidia\"\n    - \"conda-forge\"\n    - \"defaults\"\n");
}

TEST_CASE("packages merge by name, the child's spec replacing the base's", "[unit][merge]")
{
    SECTION("conda, names compared in lowercase")
    {
        CHECK(
            merged("python: {conda: [numpy=1.26, PyYAML, scipy>=1.11]}\n",
                   "python: {conda: [numpy=2.1, pyyaml=6.0, pandas]}\n") ==
            "extends: \"base\"\nruntime: \"python\"\nmanaged: true\npython:\n  conda:\n"
            "    - \"numpy=2.1\"\n    - \"pandas\"\n    - \"pyyaml=6.0\"\n    - \"scipy>=1.11\"\n");
    }
    SECTION("pip, names compared as PEP 503 normalises them")
    {
        CHECK(merged("python: {pip: [Flask_SQLAlchemy==3.0, requests]}\n",
                     "python: {pip: [flask-sqlalchemy==3.1]}\n") ==
              "extends: \"base\"\nruntime: \"python\"\nmanaged: true\npython:\n  pip:\n"
              "    - \"flask-sqlalchemy==3.1\"\n    - \"requests\"\n");
    }
    SECTION("a conda and a pip package of one name are different packages")
    {
        CHECK(merged("python: {conda: [numpy=1.26]}\n", "python: {pip: [numpy==2.1.0]}\n") ==
              "extends: \"base\"\nruntime: \"python\"\nmanaged: true\npython:\n  conda:\n"
              "    - \"numpy=1.26\"\n  pip:\n    - \"numpy==2.1.0\"\n");
    }
    SECTION("apt packages by name, spark packages by group and artifact")
    {
        CHECK(merged("runtime: spark\ndocker: {apt: [curl=7.88, libgl1]}\n"
                     "spark: {packages: [\"org.a:x:1.0\", \"org.b:y:2.0\"]}\n",
                     "docker: {apt: [curl=8.0]}\nspark: {packages: [\"org.a:x:1.1\"]}\n") ==
              "extends: \"base\"\nruntime: \"spark\"\nmanaged: true\ndocker:\n  apt:\n"
              "    - \"curl=8.0\"\n    - \"libgl1\"\n  gpu: false\nspark:\n  packages:\n"
              "    - \"org.a:x:1.1\"\n    - \"org.b:y:2.0\"\n");
    }
}

TEST_CASE("python.remove drops inherited packages by name", "[unit][merge]")
{
    SECTION("conda and pip alike")
    {
        CHECK(merged("python: {conda: [numpy, SciPy], pip: [tqdm, requests]}\n",
                     "python: {remove: [scipy, TQDM]}\n") ==
              "extends: \"base\"\nruntime: \"python\"\nmanaged: true\npython:\n  conda:\n"
              "    - \"numpy\"\n  pip:\n    - \"requests\"\n");
    }
    SECTION("a removed package may be added back with another spec")
    {
        CHECK(merged("python: {conda: [numpy=1.26]}\n",
                     "python: {remove: [numpy], pip: [numpy==2.1.0]}\n") ==
              "extends: \"base\"\nruntime: \"python\"\nmanaged: true\npython:\n  pip:\n"
              "    - \"numpy==2.1.0\"\n");
    }
    SECTION("removing what nothing provides is an error at the removal")
    {
        try {
            merge_definitions(parse("base", "python: {conda: [numpy]}\n"),
                              parse("child", "extends: base\npython:\n  remove: [numpy, torch]\n"));
            FAIL("no error");
        } catch (const envstore::Error& error) {
            CHECK(error.code() == envstore::ErrorCode::invalid_input);
            CHECK(error.rule() == "remove-not-inherited");
            CHECK(error.message() ==
                  "\"python.remove\" names \"torch\", which \"child\" does not inherit from "
                  "\"base\"");
            REQUIRE(error.location());
            CHECK(error.location()->path == "environments/child/environment.yaml");
            CHECK(error.location()->line == 4);
            CHECK(error.location()->column == 19);
        }
    }
}

TEST_CASE("variables and metadata merge by key, and a null variable is removed", "[unit][merge]")
{
    CHECK(merged("variables: {A: \"1\", B: \"2\", C: \"3\"}\nmetadata: {team: x, owner: y}\n",
                 "variables: {B: ~, C: \"30\", D: \"4\"}\nmetadata: {team: z}\n") ==
          "extends: \"base\"\nruntime: \"python\"\nmanaged: true\nvariables:\n  A: \"1\"\n"
          "  C: \"30\"\n  D: \"4\"\nmetadata:\n  owner: \"y\"\n  team: \"z\"\n");
}

TEST_CASE("an image and a Dockerfile replace each other", "[unit][merge]")
{
    CHECK(
        merged("docker: {base_image: ubuntu:22.04}\n", "docker: {base_dockerfile: Dockerfile}\n") ==
        "extends: \"base\"\nruntime: \"python\"\nmanaged: true\ndocker:\n"
        "  base_dockerfile: \"Dockerfile\"\n  gpu: false\n");
}

TEST_CASE("platforms written by the child replace the base's", "[unit][merge]")
{
    CHECK(merged("platforms: [linux-64, osx-arm64]\n", "platforms: [linux-aarch64]\n") ==
          "extends: \"base\"\nruntime: \"python\"\nmanaged: true\nplatforms:\n"
          "  - \"linux-aarch64\"\n");
    CHECK(merged("platforms: [linux-64]\n", "") ==
          "extends: \"base\"\nruntime: \"python\"\nmanaged: true\nplatforms:\n  - \"linux-64\"\n");
}
