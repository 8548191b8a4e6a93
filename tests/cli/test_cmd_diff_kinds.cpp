// envstore diff: every kind of change of the issue (packages, channel order,
// Python version, platforms, base image, apt packages, variables, Spark
// packages, other fields), each in text, JSON and markdown, exact.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

const std::string k_full_v1 = "name: full\n"
                              "description: old text\n"
                              "platforms: [linux-64, osx-arm64]\n"
                              "python:\n"
                              "  version: \"3.10\"\n"
                              "  channels: [conda-forge, defaults, bioconda]\n"
                              "  conda: [\"numpy>=1.26\", pandas]\n"
                              "  pip: [\"requests>=2.31\", flask, Old_Lib]\n"
                              "  pip_options: [--no-cache-dir]\n"
                              "variables: {DEBUG: \"1\", MODE: fast}\n"
                              "docker:\n"
                              "  base_image: \"ubuntu:22.04\"\n"
                              "  apt: [curl, \"libgl1=1.2\"]\n"
                              "metadata: {team: vision}\n"
                              "x-owner: alice\n";

const std::string k_full_v2 = "name: full\n"
                              "description: new text\n"
                              "platforms: [linux-64, linux-aarch64]\n"
                              "python:\n"
                              "  version: \"3.11\"\n"
                              "  channels: [defaults, conda-forge]\n"
                              "  conda: [\"NumPy>=2.0\", scipy]\n"
                              "  pip: [\"requests>=2.32\", flask, torch]\n"
                              "  pip_options: [--no-cache-dir, --pre]\n"
                              "variables: {MODE: slow, OMP_NUM_THREADS: \"8\"}\n"
                              "docker:\n"
                              "  base_image: \"ubuntu:24.04\"\n"
                              "  apt: [curl, \"libgl1=1.3\", git]\n"
                              "  gpu: true\n"
                              "metadata: {team: nlp}\n"
                              "x-owner: bob\n";

const std::string k_etl_v1 = "name: etl\n"
                             "runtime: spark\n"
                             "spark:\n"
                             "  repositories: [https://a.example/m2, https://b.example/m2]\n"
                             "  packages: [io.delta:delta-core_2.12:2.4.0, org.x:y:1]\n";

const std::string k_etl_v2 = "name: etl\n"
                             "runtime: spark\n"
                             "spark:\n"
                             "  repositories: [https://b.example/m2, https://a.example/m2]\n"
                             "  packages: [io.delta:delta-core_2.12:2.5.0, org.z:w:2]\n";

// full@v1 and etl@v1 registered, their v2 texts in the working tree.
struct Edited
{
    TestWorkspace ws;

    Edited()
    {
        ws.write_definition("full", k_full_v1);
        ws.write_definition("etl", k_etl_v1);
        run_ok(ws, {"register", "full", "etl"});
        ws.write_definition("full", k_full_v2);
        ws.write_definition("etl", k_etl_v2);
    }

    RunResult diff(const std::string& name, const std::string& format) const
    {
        RunResult result = ws.envstore({"diff", name + "@v1", "--format", format});
        INFO(result.err);
        CHECK(result.exit_code == 0);
        CHECK(result.err.empty());
        return result;
    }
};

// The changes of a JSON report as "KIND KEY: BEFORE -> AFTER" lines, null as "~".
std::vector<std::string> json_changes(const std::string& output)
{
    auto text = [](const nlohmann::json& value) {
        return value.is_null() ? std::string("~") : value.get<std::string>();
    };
    std::vector<std::string> lines;
    auto document = nlohmann::json::parse(output);
    for (const auto& change : document.at("environments").at(0).at("changes")) {
        lines.push_back(fmt::format("{} {}: {} -> {}",
                                    change.at("kind").get<std::string>(),
                                    change.at("key").get<std::string>(),
                                    text(change.at("before")),
                                    text(change.at("after"))));
    }
    return lines;
}

} // namespace

TEST_CASE("diff text shows every kind of change, field by field", "[cli][diff]")
{
    Edited setup;
    CHECK(setup.diff("full", "text").out == "full@v1 -> full (working tree)\n"
                                            "  description: old text -> new text\n"
                                            "  platforms:\n"
                                            "    + linux-aarch64\n"
                                            "    - osx-arm64\n"
                                            "  python.version: 3.10 -> 3.11\n"
                                            "  python.channels:\n"
                                            "    - bioconda\n"
                                            "    order: conda-forge, defaults -> defaults, "
                                            "conda-forge\n"
                                            "  python.conda:\n"
                                            "    ~ numpy>=1.26 -> NumPy>=2.0\n"
                                            "    - pandas\n"
                                            "    + scipy\n"
                                            "  python.pip:\n"
                                            "    - Old_Lib\n"
                                            "    ~ requests>=2.31 -> requests>=2.32\n"
                                            "    + torch\n"
                                            "  python.pip_options:\n"
                                            "    + --pre\n"
                                            "  variables:\n"
                                            "    - DEBUG: 1\n"
                                            "    ~ MODE: fast -> slow\n"
                                            "    + OMP_NUM_THREADS: 8\n"
                                            "  docker.base_image: ubuntu:22.04 -> ubuntu:24.04\n"
                                            "  docker.apt:\n"
                                            "    + git\n"
                                            "    ~ libgl1=1.2 -> libgl1=1.3\n"
                                            "  docker.gpu: false -> true\n"
                                            "  metadata:\n"
                                            "    ~ team: vision -> nlp\n"
                                            "  x-owner: \"alice\" -> \"bob\"\n");
    CHECK(setup.diff("etl", "text").out ==
          "etl@v1 -> etl (working tree)\n"
          "  spark.repositories:\n"
          "    order: https://a.example/m2, https://b.example/m2 -> https://b.example/m2, "
          "https://a.example/m2\n"
          "  spark.packages:\n"
          "    ~ io.delta:delta-core_2.12:2.4.0 -> io.delta:delta-core_2.12:2.5.0\n"
          "    - org.x:y:1\n"
          "    + org.z:w:2\n");
}

TEST_CASE("diff JSON lists every kind of change with its element key", "[cli][diff]")
{
    Edited setup;
    CHECK(json_changes(setup.diff("full", "json").out) ==
          std::vector<std::string>{
              "changed description: old text -> new text",
              "added platforms/linux-aarch64: ~ -> linux-aarch64",
              "removed platforms/osx-arm64: osx-arm64 -> ~",
              "changed python.version: 3.10 -> 3.11",
              "removed python.channels/bioconda: bioconda -> ~",
              "reordered python.channels: conda-forge, defaults -> defaults, conda-forge",
              "changed python.conda/numpy: numpy>=1.26 -> NumPy>=2.0",
              "removed python.conda/pandas: pandas -> ~",
              "added python.conda/scipy: ~ -> scipy",
              "removed python.pip/old-lib: Old_Lib -> ~",
              "changed python.pip/requests: requests>=2.31 -> requests>=2.32",
              "added python.pip/torch: ~ -> torch",
              "added python.pip_options/--pre: ~ -> --pre",
              "removed variables/DEBUG: 1 -> ~",
              "changed variables/MODE: fast -> slow",
              "added variables/OMP_NUM_THREADS: ~ -> 8",
              "changed docker.base_image: ubuntu:22.04 -> ubuntu:24.04",
              "added docker.apt/git: ~ -> git",
              "changed docker.apt/libgl1: libgl1=1.2 -> libgl1=1.3",
              "changed docker.gpu: false -> true",
              "changed metadata/team: vision -> nlp",
              "changed x-owner: \"alice\" -> \"bob\"",
          });
    CHECK(json_changes(setup.diff("etl", "json").out) ==
          std::vector<std::string>{
              "reordered spark.repositories: https://a.example/m2, https://b.example/m2 -> "
              "https://b.example/m2, https://a.example/m2",
              "changed spark.packages/io.delta:delta-core_2.12: io.delta:delta-core_2.12:2.4.0 "
              "-> io.delta:delta-core_2.12:2.5.0",
              "removed spark.packages/org.x:y:1: org.x:y:1 -> ~",
              "added spark.packages/org.z:w:2: ~ -> org.z:w:2",
          });
}

TEST_CASE("diff markdown has one table row per change of every kind", "[cli][diff]")
{
    Edited setup;
    CHECK(setup.diff("full", "markdown").out ==
          "### envstore diff: `full@v1` → `full (working tree)`\n"
          "\n"
          "| Field | Change | Before | After |\n"
          "| --- | --- | --- | --- |\n"
          "| `description` | changed | `old text` | `new text` |\n"
          "| `platforms` | added `linux-aarch64` |  | `linux-aarch64` |\n"
          "| `platforms` | removed `osx-arm64` | `osx-arm64` |  |\n"
          "| `python.version` | changed | `3.10` | `3.11` |\n"
          "| `python.channels` | removed `bioconda` | `bioconda` |  |\n"
          "| `python.channels` | order changed | `conda-forge, defaults` | "
          "`defaults, conda-forge` |\n"
          "| `python.conda` | changed `numpy` | `numpy>=1.26` | `NumPy>=2.0` |\n"
          "| `python.conda` | removed `pandas` | `pandas` |  |\n"
          "| `python.conda` | added `scipy` |  | `scipy` |\n"
          "| `python.pip` | removed `old-lib` | `Old_Lib` |  |\n"
          "| `python.pip` | changed `requests` | `requests>=2.31` | `requests>=2.32` |\n"
          "| `python.pip` | added `torch` |  | `torch` |\n"
          "| `python.pip_options` | added `--pre` |  | `--pre` |\n"
          "| `variables` | removed `DEBUG` | `1` |  |\n"
          "| `variables` | changed `MODE` | `fast` | `slow` |\n"
          "| `variables` | added `OMP_NUM_THREADS` |  | `8` |\n"
          "| `docker.base_image` | changed | `ubuntu:22.04` | `ubuntu:24.04` |\n"
          "| `docker.apt` | added `git` |  | `git` |\n"
          "| `docker.apt` | changed `libgl1` | `libgl1=1.2` | `libgl1=1.3` |\n"
          "| `docker.gpu` | changed | `false` | `true` |\n"
          "| `metadata` | changed `team` | `vision` | `nlp` |\n"
          "| `x-owner` | changed | `\"alice\"` | `\"bob\"` |\n");
    CHECK(setup.diff("etl", "markdown").out ==
          "### envstore diff: `etl@v1` → `etl (working tree)`\n"
          "\n"
          "| Field | Change | Before | After |\n"
          "| --- | --- | --- | --- |\n"
          "| `spark.repositories` | order changed | `https://a.example/m2, https://b.example/m2` "
          "| `https://b.example/m2, https://a.example/m2` |\n"
          "| `spark.packages` | changed `io.delta:delta-core_2.12` | "
          "`io.delta:delta-core_2.12:2.4.0` | `io.delta:delta-core_2.12:2.5.0` |\n"
          "| `spark.packages` | removed `org.x:y:1` | `org.x:y:1` |  |\n"
          "| `spark.packages` | added `org.z:w:2` |  | `org.z:w:2` |\n");
}
