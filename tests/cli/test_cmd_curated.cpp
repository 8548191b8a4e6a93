// envstore curated list/show, and the read commands given curated references:
// the catalog the build made, judged with git; writes refused; a missing
// catalog; an installed envstore finding its catalog under PREFIX/share.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>

using namespace envstore::test;
namespace fs = std::filesystem;

namespace {

const fs::path k_catalog = ENVSTORE_CURATED_BUILT;

// A definition of the catalog at `tag` ("spark@v1"), as git prints it.
std::string catalog_show(const std::string& tag)
{
    std::string name = tag.substr(0, tag.find('@'));
    return git_output(k_catalog,
                      {"show", fmt::format("{}:environments/{}/environment.yaml", tag, name)});
}

std::string catalog_commit(const std::string& tag)
{
    return git_text(k_catalog, {"rev-parse", tag + "^{commit}"});
}

std::string catalog_digest(const std::string& tag)
{
    return git_trimmed(k_catalog,
                       {"for-each-ref",
                        "--format=%(contents:trailers:key=Envstore-Digest,valueonly)",
                        "refs/tags/" + tag});
}

const char* const k_list_text =
    "NAME          LATEST  DESCRIPTION\n"
    "python-3.10   v2      Minimal Python 3.10 with pip, from conda-forge, on Ubuntu 22.04 with "
    "Open MPI\n"
    "python-3.11   v3      Minimal Python 3.11 with pip, from conda-forge, on Ubuntu 22.04 with "
    "Open MPI\n"
    "python-3.12   v3      Minimal Python 3.12 with pip, from conda-forge, on Ubuntu 24.04 with "
    "Open MPI\n"
    "pytorch-cpu   v2      PyTorch 2.8 with torchvision and torchaudio on CPU, over the "
    "scientific stack\n"
    "pytorch-cuda  v2      PyTorch 2.8 on CUDA 12.8 with cuDNN, over the scientific stack\n"
    "scientific    v3      NumPy, SciPy, pandas, Matplotlib, scikit-learn and JupyterLab on "
    "Python 3.11\n"
    "spark         v2      Apache Spark 4.0 with PySpark, Delta Lake and Arrow, on Java 21\n"
    "tensorflow    v2      TensorFlow 2.19 with Keras 3 and TensorBoard, over the scientific "
    "stack\n";

const std::string k_read_only_hint_start = "hint: build on it in your own environment with";

} // namespace

TEST_CASE("curated list shows each curated environment with its latest version", "[cli][curated]")
{
    TempDir outside;
    SECTION("text")
    {
        RunResult result = envstore::test::envstore(outside.path(), {"curated", "list"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == k_list_text);
        CHECK(result.err.empty());
    }
    SECTION("json")
    {
        RunResult result = envstore::test::envstore(outside.path(), {"curated", "list", "--json"});
        CHECK(result.exit_code == 0);
        auto document = nlohmann::ordered_json::parse(result.out);
        CHECK(document.begin().key() == "format");
        CHECK(document["format"] == 1);
        REQUIRE(document["environments"].size() == 8);
        CHECK(
            document["environments"][1] ==
            nlohmann::ordered_json{
                {"name", "python-3.11"},
                {"reference", "curated/python-3.11@v3"},
                {"latest", 3},
                {"description",
                 "Minimal Python 3.11 with pip, from conda-forge, on Ubuntu 22.04 with Open MPI"}});
    }
}

TEST_CASE("curated show prints a version as stored with its version, commit and digest",
          "[cli][curated]")
{
    TempDir outside;
    SECTION("text, with or without the curated/ prefix")
    {
        std::string expected = fmt::format("# curated/python-3.11@v2  commit {}  {}\n{}",
                                           catalog_commit("python-3.11@v2").substr(0, 12),
                                           catalog_digest("python-3.11@v2"),
                                           catalog_show("python-3.11@v2"));
        for (const char* reference : {"python-3.11@v2", "curated/python-3.11@v2"}) {
            RunResult result =
                envstore::test::envstore(outside.path(), {"curated", "show", reference});
            CHECK(result.exit_code == 0);
            CHECK(result.out == expected);
        }
    }
    SECTION("a bare name is its latest version")
    {
        RunResult result =
            envstore::test::envstore(outside.path(), {"curated", "show", "scientific"});
        CHECK(result.exit_code == 0);
        CHECK(result.out.starts_with("# curated/scientific@v3  commit "));
        CHECK(result.out.ends_with(catalog_show("scientific@v3")));
    }
    SECTION("json")
    {
        RunResult result =
            envstore::test::envstore(outside.path(), {"--json", "curated", "show", "spark@v1"});
        CHECK(result.exit_code == 0);
        CHECK(nlohmann::ordered_json::parse(result.out) ==
              nlohmann::ordered_json{{"format", 1},
                                     {"reference", "curated/spark@v1"},
                                     {"name", "spark"},
                                     {"version", 1},
                                     {"tag", "spark@v1"},
                                     {"commit", catalog_commit("spark@v1")},
                                     {"digest", catalog_digest("spark@v1")},
                                     {"content", catalog_show("spark@v1")}});
    }
    SECTION("a commit or a label")
    {
        for (const char* reference : {"spark@1a2b3c4d", "curated/spark@prod"}) {
            RunResult result =
                envstore::test::envstore(outside.path(), {"curated", "show", reference});
            CHECK(result.exit_code == 3);
            CHECK(result.err ==
                  fmt::format("envstore: error: curated show takes NAME, NAME@vN or NAME@latest, "
                              "not \"{}\"\n",
                              reference));
        }
    }
    SECTION("no subcommand")
    {
        RunResult result = envstore::test::envstore(outside.path(), {"curated"});
        CHECK(result.exit_code == 2);
        CHECK(result.err == "envstore: error: curated needs a subcommand: list or show\n"
                            "hint: run envstore curated --help\n");
    }
    SECTION("unknown")
    {
        RunResult result =
            envstore::test::envstore(outside.path(), {"curated", "show", "pytorch@v1"});
        CHECK(result.exit_code == 4);
        CHECK(result.out.empty());
        CHECK(result.err == "envstore: error: unknown reference \"curated/pytorch@v1\"\n"
                            "hint: the curated catalog has no \"pytorch\": envstore curated list "
                            "shows what it has\n");
    }
}

TEST_CASE("show and log read curated references, in or outside a workspace", "[cli][curated]")
{
    TestWorkspace ws;
    TempDir outside;
    SECTION("show")
    {
        for (const fs::path& cwd : {ws.root(), outside.path()}) {
            RunResult result = envstore::test::envstore(cwd, {"show", "curated/tensorflow@v1"});
            CHECK(result.exit_code == 0);
            CHECK(result.out == catalog_show("tensorflow@v1"));
        }
        RunResult json = ws.envstore({"--json", "show", "curated/tensorflow"});
        CHECK(json.exit_code == 0);
        auto document = nlohmann::json::parse(json.out);
        CHECK(document["reference"] == "curated/tensorflow");
        CHECK(document["version"] == 2);
        CHECK(document["digest"] == catalog_digest("tensorflow@v2"));
    }
    SECTION("log")
    {
        RunResult result = envstore::test::envstore(outside.path(), {"log", "curated/python-3.10"});
        CHECK(result.exit_code == 0);
        CHECK(result.out ==
              fmt::format("curated/python-3.10@v2  2025-07-07 09:00:00 +0000  envstore curated "
                          "catalog <curated@envstore.invalid>  {}\n"
                          "    Python patch releases, pip 25.1.1, setuptools 80.9\n"
                          "curated/python-3.10@v1  2025-03-03 09:00:00 +0000  envstore curated "
                          "catalog <curated@envstore.invalid>  {}\n"
                          "    Minimal Python 3.10, 3.11 and 3.12 from conda-forge\n",
                          catalog_digest("python-3.10@v2"),
                          catalog_digest("python-3.10@v1")));
        RunResult json = ws.envstore({"--json", "log", "curated/spark"});
        auto document = nlohmann::json::parse(json.out);
        CHECK(document["name"] == "curated/spark");
        REQUIRE(document["versions"].size() == 2);
        CHECK(document["versions"][0]["commit"] == catalog_commit("spark@v2"));
    }
    SECTION("unknown")
    {
        RunResult result = envstore::test::envstore(outside.path(), {"log", "curated/sparc"});
        CHECK(result.exit_code == 4);
        CHECK(result.err == "envstore: error: no curated environment \"sparc\"\n"
                            "hint: envstore curated list shows them\n");
    }
}

TEST_CASE("write commands refuse curated environments with exit 3 and a hint", "[cli][curated]")
{
    TestWorkspace ws;
    std::string catalog_refs = git_text(k_catalog, {"for-each-ref"});
    const std::vector<std::vector<std::string>> commands = {
        {"register", "curated/python-3.11"},
        {"commit", "curated/python-3.11"},
        {"tag", "curated/python-3.11"},
        {"label", "curated/python-3.11@v2", "prod"},
        {"archive", "curated/python-3.11"},
        {"restore", "curated/python-3.11"},
        {"rename", "curated/python-3.11", "mine"},
        {"create", "curated/python-3.11"},
    };
    for (const auto& args : commands) {
        INFO(args[0]);
        RunResult result = ws.envstore(args);
        CHECK(result.exit_code == 3);
        CHECK(result.err.starts_with(
            fmt::format("envstore: error: the curated catalog is read-only: cannot {} \"{}\"\n",
                        args[0],
                        args[1])));
        CHECK(result.err.find(k_read_only_hint_start) != std::string::npos);
    }
    RunResult rename = ws.envstore({"rename", "mine", "curated/python-3.11"});
    CHECK(rename.exit_code == 3);
    CHECK(rename.err == "envstore: error: the curated catalog is read-only: cannot rename to "
                        "\"curated/python-3.11\"\n"
                        "hint: build on it in your own environment with \"extends: "
                        "curated/python-3.11@vN\" (envstore curated list shows the versions)\n");

    CHECK(ws.git({"tag", "-l"}).out.empty());
    CHECK(git_text(ws, {"rev-list", "--count", "HEAD"}) == "1");
    CHECK(git_text(k_catalog, {"for-each-ref"}) == catalog_refs);
    RunOptions no_lock; // tests read the catalog in parallel
    no_lock.env = {{"GIT_OPTIONAL_LOCKS", "0"}};
    CHECK(git_text(k_catalog, {"status", "--porcelain"}, no_lock).empty());
}

TEST_CASE("a missing catalog is reported as not found, naming where it was looked for",
          "[cli][curated]")
{
    TempDir empty;
    RunOptions options;
    options.env = {{"ENVSTORE_CURATED_DIR", empty.path().string()}};
    std::string expected =
        fmt::format("envstore: error: no curated catalog found: looked in \"{}\"\n"
                    "hint: ENVSTORE_CURATED_DIR must name the folder holding the catalog "
                    "(share/envstore/curated in the build or install tree)\n",
                    empty.path().string());
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"curated", "list"}, {"show", "curated/python-3.11@v1"}, {"log", "curated/spark"}}) {
        INFO(args[0]);
        RunResult result = envstore_with(empty.path(), args, options);
        CHECK(result.exit_code == 4);
        CHECK(result.err == expected);
    }
}

TEST_CASE("an installed envstore finds its catalog under PREFIX/share", "[cli][curated]")
{
    TempDir prefix;
    RunResult install =
        run({ENVSTORE_CMAKE, "--install", ENVSTORE_BUILD_DIR, "--prefix", prefix.path().string()});
    INFO(install.err);
    REQUIRE(install.exit_code == 0);

    fs::path installed = prefix / "share/envstore/curated";
    CHECK(git_text(installed, {"fsck", "--strict", "--no-dangling"}).empty());
    CHECK(git_text(installed, {"for-each-ref"}) == git_text(k_catalog, {"for-each-ref"}));
    RunOptions in_prefix;
    in_prefix.cwd = prefix.path();
    RunResult result = run({(prefix / "bin/envstore").string(), "curated", "list"}, in_prefix);
    CHECK(result.exit_code == 0);
    CHECK(result.out == k_list_text);
}

TEST_CASE("a user environment extending a curated version resolves through the catalog",
          "[cli][curated][resolve]")
{
    TestWorkspace ws;
    ws.write_definition("train",
                        "name: train\n"
                        "extends: curated/scientific@v2\n"
                        "python:\n"
                        "  conda: [numpy=2.2.6]\n"
                        "  remove: [jupyterlab]\n");
    run_ok(ws, {"register", "train"});
    CHECK(git_trimmed(ws,
                      {"for-each-ref",
                       "--format=%(contents:trailers:key=Envstore-Base,valueonly)",
                       "refs/tags/train@v1"}) == "curated/scientific@v2 curated/scientific@v2\n"
                                                 "python-3.11@v2 curated/python-3.11@v2");

    RunResult result = ws.envstore({"--json", "resolve", "train@v1"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    auto json = nlohmann::json::parse(result.out);
    REQUIRE(json["bases"].size() == 2);
    CHECK(json["bases"][0]["resolved"] == "curated/scientific@v2");
    CHECK(json["bases"][0]["commit"] == catalog_commit("scientific@v2"));
    CHECK(json["bases"][1]["resolved"] == "curated/python-3.11@v2");
    const auto& python = json["definition"]["python"];
    CHECK(python["version"] == "3.11.13");
    CHECK(python["conda"][2] == "numpy=2.2.6"); // sorted, jupyterlab removed
    CHECK(std::find(python["conda"].begin(), python["conda"].end(), "jupyterlab=4.4.4") ==
          python["conda"].end());
    CHECK(json["definition"]["docker"]["base_image"] ==
          "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04");
    CHECK(json["origins"]["python.conda/scipy"]["environment"] == "curated/scientific@v2");
    CHECK(json["origins"]["python.conda/numpy"]["environment"] == "train@v1");

    RunResult outside = ws.envstore({"resolve", "curated/scientific@v2", "-q"});
    CHECK(outside.exit_code == 0);
    CHECK(outside.out.starts_with("name: \"scientific\"\n"));
}

TEST_CASE("a catalog owned by another user is read all the same", "[cli][curated]")
{
    if (geteuid() != 0) {
        WARN("skipped: giving the catalog to another user needs root");
        return;
    }
    TempDir temp;
    fs::path copy = temp / "curated";
    fs::copy(k_catalog, copy, fs::copy_options::recursive);
    REQUIRE(run({"chown", "-R", "65534:65534", copy.string()}).exit_code == 0);

    RunOptions options;
    options.env = {{"ENVSTORE_CURATED_DIR", copy.string()}};
    RunResult result = envstore_with(temp.path(), {"curated", "list"}, options);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out == k_list_text);
    // A workspace of another user stays refused, as git refuses it.
    CHECK(envstore_with(temp.path(), {"-C", copy.string(), "list"}, {}).exit_code == 8);
}
