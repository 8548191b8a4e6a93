// envstore export: a version and a resolved child exported as conda, pip and
// Azure ML files, to stdout, to a file written whole, and as JSON; warnings
// located where the setting was written; errors with their exit codes and
// nothing written.

#include "support/export_readers.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

const char* k_base = "name: base\n"
                     "python:\n"
                     "  version: \"3.10\"\n"
                     "  channels: [conda-forge]\n"
                     "  conda: [numpy=1.26, scipy]\n"
                     "variables: {OMP_NUM_THREADS: \"4\", MODE: \"no\"}\n";

const char* k_child = "name: child\n"
                      "extends: base@v1\n"
                      "python:\n"
                      "  conda: [pandas=2.2]\n"
                      "  pip: [\"requests>=2.31\"]\n"
                      "  pip_options: [\"--extra-index-url https://example.org/simple\"]\n"
                      "  remove: [scipy]\n"
                      "docker:\n"
                      "  base_image: ubuntu:22.04\n"
                      "  apt: [libgl1]\n";

const char* k_base_conda = "name: \"base\"\n"
                           "channels:\n"
                           "  - \"conda-forge\"\n"
                           "dependencies:\n"
                           "  - \"python=3.10\"\n"
                           "  - \"numpy=1.26\"\n"
                           "  - \"scipy\"\n"
                           "variables:\n"
                           "  MODE: \"no\"\n"
                           "  OMP_NUM_THREADS: \"4\"\n";

const char* k_child_conda = "name: \"child\"\n"
                            "channels:\n"
                            "  - \"conda-forge\"\n"
                            "dependencies:\n"
                            "  - \"python=3.10\"\n"
                            "  - \"numpy=1.26\"\n"
                            "  - \"pandas=2.2\"\n"
                            "  - \"pip\"\n"
                            "  - pip:\n"
                            "      - \"--extra-index-url https://example.org/simple\"\n"
                            "      - \"requests>=2.31\"\n"
                            "variables:\n"
                            "  MODE: \"no\"\n"
                            "  OMP_NUM_THREADS: \"4\"\n";

struct Family
{
    TestWorkspace ws;

    Family()
    {
        register_definition(ws, "base", k_base);
        ws.write_definition("child", k_child);
    }
};

RunResult export_ok(const TestWorkspace& ws, const std::vector<std::string>& args)
{
    std::vector<std::string> full = {"export"};
    full.insert(full.end(), args.begin(), args.end());
    RunResult result = ws.envstore(full);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result;
}

} // namespace

TEST_CASE("export writes a version as a conda environment file on stdout", "[cli][export]")
{
    Family family;
    RunResult result = export_ok(family.ws, {"base@v1", "--format", "conda"});
    CHECK(result.out == k_base_conda);
    CHECK(result.err == "envstore: warning: conda refuses the environment name \"base\"\n"
                        "hint: name the environment when you create it: conda env create -n "
                        "NAME\n");
}

TEST_CASE("export writes the resolved child: bases applied, removals made", "[cli][export]")
{
    Family family;
    RunResult result = export_ok(family.ws, {"child", "--format", "conda"});
    CHECK(result.out == k_child_conda);
    // The docker settings the conda format cannot carry are named, where written.
    CHECK(result.err ==
          "envstore: warning: environments/child/environment.yaml:9:15: \"docker.base_image\" is "
          "not exported: the conda format cannot carry it\n"
          "      base_image: ubuntu:22.04\n"
          "                  ^\n"
          "envstore: warning: environments/child/environment.yaml:10:9: \"docker.apt\" is not "
          "exported: the conda format cannot carry it\n"
          "      apt: [libgl1]\n"
          "            ^\n");
}

TEST_CASE("export --format pip writes the options, then the requirements", "[cli][export]")
{
    Family family;
    RunResult result = export_ok(family.ws, {"-q", "child", "--format", "pip"});
    CHECK(result.out == "--extra-index-url https://example.org/simple\nrequests>=2.31\n");
    for (const char* field : {"python.version",
                              "python.channels",
                              "python.conda",
                              "variables",
                              "docker.base_image",
                              "docker.apt"}) {
        CHECK(result.err.find(std::string("\"") + field + "\" is not exported") !=
              std::string::npos);
    }
}

TEST_CASE("export -o replaces the file whole and prints nothing on stdout", "[cli][export]")
{
    Family family;
    std::filesystem::path target = family.ws.temp() / "out" / "environment.yml";
    write_file(target, "old content\n");
    RunResult result =
        export_ok(family.ws, {"base@v1", "--format", "conda", "-o", target.string()});
    CHECK(result.out.empty());
    CHECK(read_file(target) == k_base_conda);
    CHECK(result.err.find("wrote " + target.string()) != std::string::npos);
    // No temporary file is left beside it.
    CHECK(std::distance(std::filesystem::directory_iterator(target.parent_path()),
                        std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("export -o on a failure leaves the file as it was", "[cli][export]")
{
    Family family;
    std::filesystem::path target = family.ws.temp() / "environment.yml";
    write_file(target, "old content\n");
    RunResult unknown =
        family.ws.envstore({"export", "base@v9", "--format", "conda", "-o", target.string()});
    CHECK(unknown.exit_code == 4);
    family.ws.write_definition(
        "bad", "name: bad\npython:\n  pip_options: [\"--index-url https://a\\n-r /etc/passwd\"]\n");
    RunResult refused =
        family.ws.envstore({"export", "bad", "--format", "pip", "-o", target.string()});
    INFO(refused.err);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("\"python.pip_options\" holds a control character") !=
          std::string::npos);
    CHECK(read_file(target) == "old content\n");
}

TEST_CASE("export --format azureml -o writes both files into the folder", "[cli][export]")
{
    Family family;
    std::filesystem::path folder = family.ws.temp() / "azure";
    export_ok(family.ws, {"child", "--format", "azureml", "-o", folder.string()});
    CHECK(read_file(folder / "environment.yaml") ==
          "\"$schema\": \"https://azuremlschemas.azureedge.net/latest/environment.schema.json\"\n"
          "name: \"child\"\n"
          "image: \"ubuntu:22.04\"\n"
          "conda_file: \"conda.yaml\"\n");
    CHECK(read_file(folder / "conda.yaml") == k_child_conda);
}

TEST_CASE("export --json carries the files and the located warnings", "[cli][export]")
{
    Family family;
    RunResult result = export_ok(family.ws, {"--json", "child", "--format", "azureml"});
    CHECK(result.err.empty());
    auto json = nlohmann::json::parse(result.out);
    CHECK(json["format"] == 1);
    REQUIRE(json["files"].size() == 2);
    CHECK(json["files"][0]["path"] == "environment.yaml");
    CHECK(json["files"][1] == nlohmann::json({{"path", "conda.yaml"}, {"content", k_child_conda}}));
    CHECK(json["written"] == nlohmann::json::array());
    REQUIRE(json["warnings"].size() == 1);
    CHECK(json["warnings"][0] ==
          nlohmann::json(
              {{"rule", "not-exported"},
               {"message", "\"docker.apt\" is not exported: the azureml format cannot carry it"},
               {"file", "environments/child/environment.yaml"},
               {"line", 10},
               {"column", 9}}));
}

TEST_CASE("export refuses an unknown reference, format or a missing output", "[cli][export]")
{
    Family family;
    RunResult unknown = family.ws.envstore({"export", "nothing@v1", "--format", "conda"});
    CHECK(unknown.exit_code == 4);
    CHECK(unknown.out.empty());

    RunResult format = family.ws.envstore({"export", "base@v1", "--format", "rpm"});
    CHECK(format.exit_code == 2);
    RunResult missing = family.ws.envstore({"export", "base@v1"});
    CHECK(missing.exit_code == 2);

    RunResult context = family.ws.envstore({"export",
                                            "base@v1",
                                            "--format",
                                            "conda",
                                            "--context",
                                            (family.ws.root() / "ctx").string()});
    CHECK(context.exit_code == 2);
    CHECK(context.err.find("--context is for --format dockerfile") != std::string::npos);
    CHECK(!std::filesystem::exists(family.ws.root() / "ctx"));

    RunResult azureml = family.ws.envstore({"export", "base@v1", "--format", "azureml"});
    CHECK(azureml.exit_code == 2);
    CHECK(azureml.err.find("name a folder with -o") != std::string::npos);
    CHECK(azureml.out.empty());
}

TEST_CASE("export -o is relative to -C, and refuses a folder that does not exist", "[cli][export]")
{
    Family family;
    RunResult relative = run({envstore_binary(),
                              "-C",
                              family.ws.root().string(),
                              "export",
                              "base@v1",
                              "--format",
                              "conda",
                              "-o",
                              "exported.yml"},
                             {family.ws.temp().path(), test_environment(), {}, ""});
    INFO(relative.err);
    REQUIRE(relative.exit_code == 0);
    CHECK(read_file(family.ws.root() / "exported.yml") == k_base_conda);

    std::filesystem::path missing = family.ws.temp() / "missing" / "environment.yml";
    RunResult result =
        family.ws.envstore({"export", "base@v1", "--format", "conda", "-o", missing.string()});
    CHECK(result.exit_code == 4);
    CHECK(result.err.find("no folder") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(missing.parent_path()));
}

TEST_CASE("export keeps hostile variable values exact through PyYAML and yaml-cpp", "[cli][export]")
{
    TestWorkspace ws;
    ws.write_definition("hostile",
                        "name: hostile\n"
                        "python:\n"
                        "  version: 3.10\n"
                        "  channels: [conda-forge]\n"
                        "variables:\n"
                        "  QUOTES: \"it's \\\"quoted\\\"\"\n"
                        "  SUBSHELL: \"$(touch /tmp/canary)\"\n"
                        "  BACKTICKS: \"`id`\"\n"
                        "  DEFAULTED: \"${HOME:-x}\"\n"
                        "  BACKSLASH: \"C:\\\\dir\\\\\"\n"
                        "  LINES: \"one\\ntwo\\r\\nthree\"\n"
                        "  HEREDOC: \"<<EOF\\nRUN rm -rf /\\nEOF\"\n"
                        "  WORDS: \"no\"\n"
                        "  NUMBER: 1e3\n"
                        "  TAB: \"\\tx \"\n");
    auto resolved = nlohmann::json::parse(ws.envstore({"--json", "resolve", "hostile"}).out);
    nlohmann::json variables = resolved["definition"]["variables"];
    REQUIRE(variables.size() == 10);

    RunResult result = ws.envstore({"--json", "export", "hostile", "--format", "conda"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::string conda = nlohmann::json::parse(result.out)["files"][0]["content"];
    INFO(conda);
    nlohmann::json by_yaml_cpp = read_with_yaml_cpp(conda);
    CHECK(by_yaml_cpp["variables"] == variables);
    CHECK(by_yaml_cpp["dependencies"][0] == "python=3.10");
    if (std::optional<nlohmann::json> by_pyyaml = read_with_pyyaml(conda)) {
        CHECK((*by_pyyaml)["variables"] == variables);
        CHECK((*by_pyyaml)["dependencies"][0] == "python=3.10");
    }
    CHECK_FALSE(std::filesystem::exists("/tmp/canary"));
}

TEST_CASE("export --format dockerfile prints the Dockerfile of the resolved child",
          "[cli][export][dockerfile]")
{
    Family family;
    RunResult result = export_ok(family.ws, {"child", "--format", "dockerfile"});
    CHECK(result.out.find("FROM ubuntu:22.04\n") != std::string::npos);
    CHECK(result.out.find("'libgl1'") != std::string::npos);
    CHECK(result.out.find("'requests>=2.31'") != std::string::npos);
    CHECK(result.out.find("ENV OMP_NUM_THREADS='4'\n") != std::string::npos);
    CHECK(result.out.find("COPY environment.yml ") != std::string::npos);
    CHECK(result.err.find("--context DIR writes the whole build context") != std::string::npos);
}

TEST_CASE("export --context writes the Dockerfile and the files it copies",
          "[cli][export][dockerfile]")
{
    Family family;
    std::filesystem::path folder = family.ws.root() / "build" / "child";
    RunResult result =
        export_ok(family.ws, {"child", "--format", "dockerfile", "--context", folder.string()});
    CHECK(result.out.empty());
    CHECK(read_file(folder / "Dockerfile") ==
          export_ok(family.ws, {"child", "--format", "dockerfile"}).out);
    std::string conda = read_file(folder / "environment.yml");
    CHECK(conda.find("\"pandas=2.2\"") != std::string::npos);
    // pip and the variables are steps of their own, not in the conda file.
    CHECK(conda.find("requests") == std::string::npos);
    CHECK(conda.find("OMP_NUM_THREADS") == std::string::npos);
    CHECK(result.err.find("build it with: docker build --build-arg ENVSTORE_NAME=child ") !=
          std::string::npos);

    SECTION("-o and --context together are refused")
    {
        RunResult both = family.ws.envstore({"export",
                                             "child",
                                             "--format",
                                             "dockerfile",
                                             "-o",
                                             "Dockerfile",
                                             "--context",
                                             folder.string()});
        CHECK(both.exit_code == 2);
    }
}

TEST_CASE("export of a version takes its base Dockerfile as registered",
          "[cli][export][dockerfile]")
{
    TestWorkspace ws;
    ws.write_definition("img",
                        "name: img\n"
                        "runtime: docker\n"
                        "docker:\n"
                        "  base_dockerfile: Dockerfile.base\n");
    write_file(ws.root() / "environments/img/Dockerfile.base", "FROM debian:12\n");
    REQUIRE(ws.envstore({"register", "img"}).exit_code == 0);
    write_file(ws.root() / "environments/img/Dockerfile.base", "FROM debian:13\n");

    std::filesystem::path v1 = ws.root() / "out" / "v1";
    export_ok(ws, {"img@v1", "--format", "dockerfile", "--context", v1.string()});
    CHECK(read_file(v1 / "base.Dockerfile") == "FROM debian:12\n");

    std::filesystem::path tree = ws.root() / "out" / "tree";
    export_ok(ws, {"img", "--format", "dockerfile", "--context", tree.string()});
    CHECK(read_file(tree / "base.Dockerfile") == "FROM debian:13\n");
}

TEST_CASE("export --format dockerfile refuses pip hashes it cannot pass to pip",
          "[cli][export][dockerfile]")
{
    TestWorkspace ws;
    ws.write_definition("hashed",
                        "name: hashed\n"
                        "python:\n"
                        "  pip: [\"requests==2.31.0 --hash=sha256:"
                        "58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f\"]\n");
    RunResult result = ws.envstore({"export", "hashed", "--format", "dockerfile"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err.find("\"requests\" has --hash options") != std::string::npos);
    // The requirements file carries them.
    RunResult pip = ws.envstore({"export", "hashed", "--format", "pip"});
    CHECK(pip.exit_code == 0);
    CHECK(pip.out.find("--hash=sha256:58cd2187") != std::string::npos);
}

TEST_CASE("export warns at a base's line as the version read it", "[cli][export]")
{
    Family family;
    // child extends base@v1; the working tree's base has moved on since.
    family.ws.write_definition("base", "name: base\n");
    RunResult result = export_ok(family.ws, {"child", "--format", "pip"});
    CHECK(result.err.find("base@v1:environments/base/environment.yaml:") != std::string::npos);
    CHECK(result.err.find("envstore: warning: environments/base/") == std::string::npos);
}
