// The export writers: what each format writes for a definition, the warnings
// for what it cannot carry, the values it refuses, and conda files read back
// by PyYAML and yaml-cpp with every value the exact string it was.

#include "support/export_readers.hpp"

#include "envstore/export.hpp"

#include <catch2/catch.hpp>

using namespace envstore;

namespace {

ResolvedDefinition resolved_of(Definition definition)
{
    ResolvedDefinition resolved;
    resolved.definition = std::move(definition);
    return resolved;
}

Definition train()
{
    Definition definition;
    definition.name = "train";
    definition.description = "Training: GPU";
    PythonSettings python;
    python.version = "3.10";
    python.channels = {"conda-forge", "nvidia"};
    python.conda = {parse_conda_spec("numpy>=1.26"), parse_conda_spec("pytorch=2.1.*")};
    python.pip = {parse_pip_requirement("requests>=2.31"),
                  parse_pip_requirement("accelerate[torch]==0.24.1")};
    python.pip_options = {"--extra-index-url https://example.org/simple"};
    definition.python = python;
    definition.variables = {{"OMP_NUM_THREADS", "8"}, {"ON", "no"}, {"GONE", std::nullopt}};
    definition.metadata = {{"team", "vision"}};
    return definition;
}

std::vector<std::string> rules_and_messages(const ExportResult& result)
{
    std::vector<std::string> found;
    for (const Diagnostic& warning : result.warnings) {
        found.push_back(warning.rule + ": " + warning.message);
    }
    return found;
}

// The content of the one file of `result`, after checking its path.
std::string single_file(const ExportResult& result, const std::string& path)
{
    REQUIRE(result.files.size() == 1);
    CHECK(result.files[0].path == path);
    return result.files[0].content;
}

} // namespace

TEST_CASE("export_conda writes name, channels, dependencies with a nested pip list, variables")
{
    ExportResult result = export_conda(resolved_of(train()));
    CHECK(single_file(result, "environment.yml") ==
          "name: \"train\"\n"
          "channels:\n"
          "  - \"conda-forge\"\n"
          "  - \"nvidia\"\n"
          "dependencies:\n"
          "  - \"python=3.10\"\n"
          "  - \"numpy>=1.26\"\n"
          "  - \"pytorch=2.1.*\"\n"
          "  - \"pip\"\n"
          "  - pip:\n"
          "      - \"--extra-index-url https://example.org/simple\"\n"
          "      - \"requests>=2.31\"\n"
          "      - \"accelerate[torch]==0.24.1\"\n"
          "variables:\n"
          "  OMP_NUM_THREADS: \"8\"\n"
          "  \"ON\": \"no\"\n");
    CHECK(result.warnings.empty());
}

TEST_CASE("export_conda adds no pip or python spec that python.conda already has")
{
    Definition definition = train();
    definition.python->conda.push_back(parse_conda_spec("pip>=23"));
    definition.python->conda.push_back(parse_conda_spec("python>=3.10,<3.12"));
    ExportResult result = export_conda(resolved_of(definition));
    const std::string& text = result.files[0].content;
    CHECK(text.find("\"python=3.10\"") == std::string::npos);
    CHECK(text.find("  - \"pip\"\n") == std::string::npos);
    CHECK(text.find("\"pip>=23\"") != std::string::npos);
    CHECK(rules_and_messages(result) ==
          std::vector<std::string>{"not-exported: \"python.version\" 3.10 is not exported: "
                                   "python.conda has its own python spec"});
}

TEST_CASE("export_conda leaves out a variable that names another, and warns about it")
{
    Definition definition = train();
    definition.variables = {{"HF_TOKEN", "${HF_TOKEN}"}, {"PART", "a${B}"}};
    ExportResult result = export_conda(resolved_of(definition));
    CHECK(result.files[0].content.ends_with("variables:\n  PART: \"a${B}\"\n"));
    CHECK(rules_and_messages(result) ==
          std::vector<std::string>{"not-exported: variable \"HF_TOKEN\" is not exported: conda "
                                   "would set it to the text \"${HF_TOKEN}\", not to the value "
                                   "it names"});
}

TEST_CASE("export_conda always writes dependencies, and warns about a name conda refuses")
{
    Definition definition;
    definition.name = "base";
    ExportResult result = export_conda(resolved_of(definition));
    CHECK(result.files[0].content == "name: \"base\"\ndependencies: []\n");
    REQUIRE(result.warnings.size() == 1);
    CHECK(result.warnings[0].rule == "conda-reserved-name");
    CHECK(export_azureml(resolved_of(definition)).warnings[0].rule == "missing-image");
}

TEST_CASE("export_conda writes no pip section for pip options without pip packages")
{
    Definition definition = train();
    definition.python->pip.clear();
    ExportResult result = export_conda(resolved_of(definition));
    CHECK(result.files[0].content.find("pip") == std::string::npos);
    CHECK(rules_and_messages(result) ==
          std::vector<std::string>{"not-exported: \"python.pip_options\" is not exported: there "
                                   "are no pip packages to apply them to, and pip given options "
                                   "alone stops with an error"});
}

TEST_CASE("export_conda warns about each build setting it cannot carry")
{
    Definition definition = train();
    definition.platforms = {"linux-64"};
    definition.docker = DockerSettings{};
    definition.docker->base_image = "ubuntu:22.04";
    definition.docker->apt = {"libgl1"};
    definition.docker->gpu = false;
    ExportResult result = export_conda(resolved_of(definition));
    CHECK(rules_and_messages(result) ==
          std::vector<std::string>{
              "not-exported: \"platforms\" is not exported: the conda format cannot carry it",
              "not-exported: \"docker.base_image\" is not exported: the conda format cannot "
              "carry it",
              "not-exported: \"docker.apt\" is not exported: the conda format cannot carry it"});
}

TEST_CASE("export_pip writes the pip options first, then one requirement a line")
{
    ExportResult result = export_pip(resolved_of(train()));
    CHECK(single_file(result, "requirements.txt") ==
          "--extra-index-url https://example.org/simple\n"
          "requests>=2.31\n"
          "accelerate[torch]==0.24.1\n");
    std::vector<std::string> fields;
    for (const Diagnostic& warning : result.warnings) {
        fields.push_back(warning.message.substr(0, warning.message.find(" is not")));
    }
    CHECK(fields ==
          std::vector<std::string>{
              "\"python.version\"", "\"python.channels\"", "\"python.conda\"", "\"variables\""});
}

TEST_CASE("export_pip and export_conda refuse a pip line that pip would read otherwise")
{
    for (const char* option : {"--index-url https://a\n--trusted-host evil",
                               "--no-cache-dir\r",
                               "--index-url https://a #frag",
                               "--index-url https://a\\"}) {
        Definition definition = train();
        definition.python->pip_options = {option};
        INFO(option);
        CHECK_THROWS_AS(export_pip(resolved_of(definition)), Error);
        CHECK_THROWS_AS(export_conda(resolved_of(definition)), Error);
    }
    Definition marker = train();
    marker.python->pip = {parse_pip_requirement("x; platform_version == \"a #b\"")};
    CHECK_THROWS_WITH(export_pip(resolved_of(marker)),
                      Catch::Contains("\"python.pip\" holds \"#\" after a space"));

    Definition definition = train();
    definition.python->pip_options = {"--index-url https://a\n-r /etc/passwd"};
    CHECK_THROWS_WITH(export_pip(resolved_of(definition)),
                      Catch::Contains("\"python.pip_options\" holds a control character"));
}

TEST_CASE("export_azureml writes an SDK v2 environment naming its conda file")
{
    Definition definition = train();
    definition.platforms = {"linux-64", "linux-aarch64"};
    definition.docker = DockerSettings{};
    definition.docker->base_image = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04";
    definition.docker->shm_size = "2g";
    ResolvedDefinition resolved = resolved_of(definition);
    resolved.version = 3;
    ExportResult result = export_azureml(resolved);

    REQUIRE(result.files.size() == 2);
    CHECK(result.files[0].path == "environment.yaml");
    CHECK(result.files[0].content ==
          "\"$schema\": \"https://azuremlschemas.azureedge.net/latest/environment.schema.json\"\n"
          "name: \"train\"\n"
          "version: \"3\"\n"
          "description: \"Training: GPU\"\n"
          "image: \"mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04\"\n"
          "conda_file: \"conda.yaml\"\n"
          "os_type: \"linux\"\n"
          "tags:\n"
          "  team: \"vision\"\n");
    CHECK(result.files[1].path == "conda.yaml");
    CHECK(result.files[1].content == export_conda(resolved).files[0].content);
    CHECK(rules_and_messages(result) ==
          std::vector<std::string>{"not-exported: \"docker.shm_size\" is not exported: the "
                                   "azureml format cannot carry it"});
}

TEST_CASE("export_azureml warns when there is no image, and about mixed platforms")
{
    Definition definition = train();
    definition.platforms = {"linux-64", "osx-arm64"};
    ExportResult result = export_azureml(resolved_of(definition));
    CHECK(result.files[0].content.find("image:") == std::string::npos);
    CHECK(result.files[0].content.find("os_type:") == std::string::npos);
    REQUIRE(result.warnings.size() == 2);
    CHECK(result.warnings[0].rule == "missing-image");
    CHECK(result.warnings[1].message ==
          "\"platforms\" is not exported: the azureml format cannot carry it");
}

TEST_CASE("exported conda and Azure ML files read back as the exact strings, by PyYAML and "
          "yaml-cpp")
{
    Definition definition = train();
    nlohmann::json variables = nlohmann::json::object();
    int count = 0;
    for (const std::string& value : test::tricky_strings()) {
        std::string name = "V" + std::to_string(count++);
        definition.variables[name] = value;
        if (value != "${HF_TOKEN}") { // taken from where it runs: not exported
            variables[name] = value;
        }
    }
    definition.variables.erase("GONE");
    definition.variables["OMP_NUM_THREADS"] = "8";
    variables["OMP_NUM_THREADS"] = "8";
    variables["ON"] = "no";
    definition.description = test::tricky_strings()[0] + " \"described\" \n on";
    definition.metadata = {{"no", "yes"}, {"1e3", "0x1F"}};

    ExportResult conda = export_conda(resolved_of(definition));
    ExportResult azureml = export_azureml(resolved_of(definition));
    nlohmann::json expected_conda = {{"name", "train"},
                                     {"channels", {"conda-forge", "nvidia"}},
                                     {"dependencies",
                                      {"python=3.10",
                                       "numpy>=1.26",
                                       "pytorch=2.1.*",
                                       "pip",
                                       {{"pip",
                                         {"--extra-index-url https://example.org/simple",
                                          "requests>=2.31",
                                          "accelerate[torch]==0.24.1"}}}}},
                                     {"variables", variables}};
    nlohmann::json expected_azureml = {
        {"$schema", "https://azuremlschemas.azureedge.net/latest/environment.schema.json"},
        {"name", "train"},
        {"description", *definition.description},
        {"conda_file", "conda.yaml"},
        {"tags", {{"no", "yes"}, {"1e3", "0x1F"}}}};

    CHECK(test::read_with_yaml_cpp(conda.files[0].content) == expected_conda);
    CHECK(test::read_with_yaml_cpp(azureml.files[0].content) == expected_azureml);
    std::optional<nlohmann::json> by_pyyaml = test::read_with_pyyaml(conda.files[0].content);
    if (by_pyyaml) {
        CHECK(*by_pyyaml == expected_conda);
        CHECK(*test::read_with_pyyaml(azureml.files[0].content) == expected_azureml);
        CHECK(*test::read_with_pyyaml(azureml.files[1].content) == expected_conda);
    }
}

TEST_CASE("pip's own parser reads the exported requirements as meant, and no option it refuses")
{
    Definition definition = train();
    definition.python->pip_options = {"--index-url https://pypi.example.org/simple",
                                      "--extra-index-url=https://${TOKEN}@example.org/simple",
                                      "--no-cache-dir",
                                      "--pre",
                                      "--trusted-host example.org"};
    definition.python->pip.push_back(
        parse_pip_requirement("pkg @ https://example.org/pkg-1.0.tar.gz ; os_name == 'posix'"));
    definition.python->pip.push_back(parse_pip_requirement("Flask_SQLAlchemy[async]>=3"));
    ExportResult result = export_pip(resolved_of(definition));

    REQUIRE(result.warnings.size() == 5); // the option, and the settings pip cannot carry
    CHECK(result.warnings[0].message ==
          "\"--no-cache-dir\" of \"python.pip_options\" is not exported: pip takes it on its "
          "command line only, not in a requirements file");
    std::optional<nlohmann::json> read = test::read_with_pip(result.files[0].content);
    if (!read) {
        return;
    }
    nlohmann::json expected = nlohmann::json::array();
    expected.push_back({{"options", {{"index_url", "https://pypi.example.org/simple"}}}});
    expected.push_back(
        {{"options", {{"extra_index_urls", {"https://${TOKEN}@example.org/simple"}}}}});
    expected.push_back({{"options", {{"pre", true}}}});
    expected.push_back({{"options", {{"trusted_hosts", {"example.org"}}}}});
    for (const PipRequirement& requirement : definition.python->pip) {
        expected.push_back({{"requirement", requirement.to_string()}});
    }
    CHECK(*read == expected);
}
