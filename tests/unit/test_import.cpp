// import_file on small inline files: each conda and requirements form it
// reads, the warnings it gives for what a definition does not carry, and the
// errors (with file, line and column) for what it refuses.

#include "support/temp_dir.hpp"

#include "envstore/import.hpp"

#include <catch2/catch.hpp>

using namespace envstore;
using namespace envstore::test;
namespace fs = std::filesystem;

namespace {

const std::string k_hash_a = "sha256:" + std::string(64, 'a');
const std::string k_hash_b = "sha256:" + std::string(64, 'b');

ImportResult import_text(const TempDir& dir,
                         const std::string& name,
                         const std::string& text,
                         ImportOptions options = {})
{
    write_file(dir / name, text);
    if (options.name.empty()) {
        options.name = "imported";
    }
    return import_file(dir / name, options);
}

// The definition's lists come in canonical order (sorted by name).
std::vector<std::string> conda_specs(const ImportResult& result)
{
    std::vector<std::string> specs;
    for (const CondaSpec& spec : result.definition.python->conda) {
        specs.push_back(spec.to_string());
    }
    return specs;
}

std::vector<std::string> pip_requirements(const ImportResult& result)
{
    std::vector<std::string> lines;
    for (const PipRequirement& requirement : result.definition.python->pip) {
        lines.push_back(requirement.to_string());
    }
    return lines;
}

// "LINE:COLUMN rule: message" of each warning.
std::vector<std::string> warnings(const ImportResult& result)
{
    std::vector<std::string> lines;
    for (const Diagnostic& warning : result.warnings) {
        lines.push_back(std::to_string(warning.location->line) + ":" +
                        std::to_string(warning.location->column) + " " + warning.rule + ": " +
                        warning.message);
    }
    return lines;
}

// The error import_file throws, as "file:line:column: message".
std::string import_error(const TempDir& dir, const std::string& name, const std::string& text)
{
    try {
        import_text(dir, name, text);
    } catch (const Error& error) {
        REQUIRE(error.code() == ErrorCode::invalid_input);
        if (!error.location()) {
            return error.message();
        }
        return fs::path(error.location()->path).filename().string() + ":" +
               std::to_string(error.location()->line) + ":" +
               std::to_string(error.location()->column) + ": " + error.message();
    }
    return "";
}

} // namespace

TEST_CASE("import reads conda env export output: build strings kept, prefix dropped",
          "[import][conda]")
{
    TempDir dir;
    ImportResult result = import_text(dir,
                                      "environment.yml",
                                      "name: base\n"
                                      "channels:\n"
                                      "  - conda-forge\n"
                                      "  - https://conda.example.org/private\n"
                                      "dependencies:\n"
                                      "  - _libgcc_mutex=0.1=conda_forge\n"
                                      "  - numpy=1.26.4=py311h64a7726_0\n"
                                      "  - bioconda::samtools=1.19\n"
                                      "  - python=3.11.8=hab00c5b_0_cpython\n"
                                      "prefix: /home/me/miniconda3\n");
    CHECK(result.format == ImportFormat::conda);
    CHECK(result.definition.name == "imported");
    CHECK(result.definition.python->channels ==
          std::vector<std::string>{"conda-forge", "https://conda.example.org/private"});
    CHECK(conda_specs(result) == std::vector<std::string>{"_libgcc_mutex 0.1 conda_forge",
                                                          "numpy 1.26.4 py311h64a7726_0",
                                                          "python 3.11.8 hab00c5b_0_cpython",
                                                          "bioconda::samtools=1.19"});
    CHECK(warnings(result) ==
          std::vector<std::string>{"10:1 import-note: \"prefix\" is dropped: it names a folder "
                                   "on the machine that exported the file"});
    CHECK(result.files_read == std::vector<std::string>{(dir / "environment.yml").string()});
}

TEST_CASE("import reads --from-history output, variables and the file's name", "[import][conda]")
{
    TempDir dir;
    write_file(dir / "environment.yml",
               "name: numlab\n"
               "channels: [conda-forge]\n"
               "dependencies:\n"
               "  - matplotlib[version='<=3.5']\n"
               "  - nodejs[version='>=10.0']\n"
               "  - xarray\n"
               "variables:\n"
               "  OMP_NUM_THREADS: 8\n"
               "  PYTHONPATH: a;b\n");
    ImportResult result = import_file(dir / "environment.yml", {});
    CHECK(result.definition.name == "numlab");
    CHECK(conda_specs(result) ==
          std::vector<std::string>{"matplotlib<=3.5", "nodejs>=10.0", "xarray"});
    CHECK(result.definition.variables.at("OMP_NUM_THREADS") == "8");
    CHECK(result.definition.variables.at("PYTHONPATH") == "a;b");
    CHECK(result.warnings.empty());
    CHECK(result.text.rfind("# Imported by envstore import from environment.yml (conda).\n"
                            "name: \"numlab\"\n",
                            0) == 0);
}

TEST_CASE("import reads a conda file's pip section with includes, options, URLs and -e",
          "[import][conda][pip]")
{
    TempDir dir;
    write_file(dir / "requirements" / "base.txt", "# base\nrequests>=2.31\n");
    ImportResult result =
        import_text(dir,
                    "environment.yml",
                    "dependencies:\n"
                    "  - pip\n"
                    "  - pip:\n"
                    "    - --extra-index-url https://pypi.example.org/simple\n"
                    "    - --pre\n"
                    "    - -r requirements/base.txt\n"
                    "    - -e git+https://github.com/org/tool.git@v1#egg=tool\n"
                    "    - -e .\n"
                    "    - https://example.org/files/gradio-4.37.2-py3-none-any.whl\n"
                    "    - git+https://github.com/org/submitit\n"
                    "  - sel(win): pywin32\n"
                    "category: main\n");
    CHECK(result.definition.python->pip_options ==
          std::vector<std::string>{"--extra-index-url https://pypi.example.org/simple", "--pre"});
    CHECK(pip_requirements(result) ==
          std::vector<std::string>{"gradio @ https://example.org/files/"
                                   "gradio-4.37.2-py3-none-any.whl",
                                   "requests>=2.31",
                                   "submitit @ git+https://github.com/org/submitit",
                                   "tool @ git+https://github.com/org/tool.git@v1#egg=tool"});
    CHECK(result.files_read.back() == (dir / "requirements/base.txt").string());
    CHECK(warnings(result) ==
          std::vector<std::string>{
              "7:7 import-note: \"git+https://github.com/org/tool.git@v1#egg=tool\" is installed "
              "from its URL, not in editable mode",
              "8:7 import-not-carried: editable install of the local folder \".\" is not carried",
              "10:7 import-note: the project name \"submitit\" is guessed from the URL",
              "11:5 import-not-carried: platform selector \"sel(win)\" is not carried: "
              "\"pywin32\" is left out",
              "12:1 import-not-carried: field \"category\" is not carried"});
}

TEST_CASE("import reads requirements files as pip reads them", "[import][pip]")
{
    TempDir dir;
    ImportResult result = import_text(
        dir,
        "requirements.txt",
        "# a comment\n"
        "-i https://pypi.example.org/simple\n"
        "--find-links=https://download.example.org/whl\n"
        "--trusted-host pypi.example.org\n"
        "numpy==1.26.4 \\\n"
        "    --hash=" +
            k_hash_b + " \\\n    --hash=" + k_hash_a +
            "\n"
            "    # via pandas\n"
            "torch >=2.1.0, <2.10.0  # inline comment\n"
            "accelerate[torch,Sentencepiece]==0.24.1\n"
            "pywin32; platform_system == \"Windows\"\n"
            "clip @ git+https://github.com/openai/CLIP.git\n"
            "https://example.org/llama-0.1+cu124-py3-none-any.whl; sys_platform == 'linux'\n"
            "-c constraints.txt\n"
            "numpy>=2\n"
            "kornia==0.6 --config-settings=x=y\n");
    CHECK(result.format == ImportFormat::pip);
    CHECK(result.definition.python->pip_options ==
          std::vector<std::string>{"--index-url https://pypi.example.org/simple",
                                   "--find-links https://download.example.org/whl",
                                   "--trusted-host pypi.example.org"});
    CHECK(pip_requirements(result) ==
          std::vector<std::string>{"accelerate[sentencepiece,torch]==0.24.1",
                                   "clip @ git+https://github.com/openai/CLIP.git",
                                   "kornia==0.6",
                                   "llama @ https://example.org/llama-0.1+cu124-py3-none-any.whl ; "
                                   "sys_platform == \"linux\"",
                                   "numpy==1.26.4 --hash=" + k_hash_a + " --hash=" + k_hash_b,
                                   "pywin32; platform_system == \"Windows\"",
                                   "torch<2.10.0,>=2.1.0"});
    CHECK(warnings(result) ==
          std::vector<std::string>{
              "14:1 import-not-carried: constraints file \"constraints.txt\" is not carried",
              "15:1 import-not-carried: second requirement \"numpy>=2\" for pip package \"numpy\" "
              "is not "
              "carried (first at " +
                  (dir / "requirements.txt").string() + ":5)",
              "16:1 import-not-carried: requirement option \"--config-settings=x=y\" is not "
              "carried"});
}

TEST_CASE("import refuses what it cannot read, naming file, line and column", "[import]")
{
    TempDir dir;
    CHECK(import_error(dir, "environment.yml", "dependencies:\n  - numpy\n  - scipy>>1.11\n") ==
          "environment.yml:3:5: invalid conda match spec \"scipy>>1.11\": unknown version "
          "operator \">>\"");
    CHECK(import_error(dir, "environment.yml", "dependencies:\n  - numpy\n  bad\n")
              .rfind("environment.yml:3:3: invalid YAML", 0) == 0);
    CHECK(import_error(dir, "env.lock", "# lock\n@EXPLICIT\nhttps://x/numpy-1.0-0.conda\n") ==
          "env.lock:2:1: an explicit conda lock file (@EXPLICIT) cannot be imported");
    CHECK(import_error(dir, "requirements.txt", "numpy\n  accelerate[torch\n") ==
          "requirements.txt:2:3: invalid pip requirement \"accelerate[torch\": unclosed \"[\" "
          "in extras");
    CHECK(import_error(dir, "requirements.txt", "-r missing.txt\n") ==
          "requirements.txt:1:1: cannot read \"" + (dir / "missing.txt").string() +
              "\": no such file");
    CHECK(import_error(dir, "requirements.txt", "--index-url\n") ==
          "requirements.txt:1:1: pip option \"--index-url\" needs a value");
    CHECK(import_error(dir, "requirements.txt", "numpy\n-r requirements.txt\n") ==
          "requirements.txt:2:1: \"" + (dir / "requirements.txt").string() +
              "\" is already being read: the includes form a cycle");
    write_file(dir / "b.txt", "-r a.txt\n");
    CHECK(import_error(dir, "a.txt", "numpy\n-r b.txt\n") ==
          "b.txt:1:1: \"" + (dir / "a.txt").string() +
              "\" is already being read: the includes form a cycle");
    CHECK(import_error(dir, "environment.yml", "variables:\n  MY-VAR: 1\n") ==
          "environment.yml:2:3: invalid variable name \"MY-VAR\"");
    // What only the definition's rules find is still placed in the imported file.
    try {
        import_text(
            dir, "environment.yml", "channels: [conda-forge]\nvariables:\n  API_TOKEN: abc\n");
        FAIL("an inline secret was imported");
    } catch (const Error& error) {
        CHECK(error.message() == "the definition imported from \"" +
                                     (dir / "environment.yml").string() +
                                     "\" would be invalid: nothing was written");
        REQUIRE(error.details().size() == 1);
        CHECK(error.details()[0].rule == "inline-secret");
        CHECK(error.details()[0].location->path == (dir / "environment.yml").string());
        CHECK(error.details()[0].location->line == 3);
        CHECK(error.details()[0].location->line_text == "  API_TOKEN: abc");
    }
}

TEST_CASE("import follows includes only inside the named folder tree", "[import][pip]")
{
    TempDir dir;
    write_file(dir / "shared.txt", "numpy\n");
    write_file(dir / "app" / "requirements.txt", "requests\n-r ../shared.txt\n");

    ImportOptions options;
    options.name = "app";
    try {
        import_file(dir / "app" / "requirements.txt", options);
        FAIL("an include outside the file's folder was followed");
    } catch (const Error& error) {
        CHECK(error.message() == "\"" + (dir / "shared.txt").string() +
                                     "\" is outside the folder tree \"" + (dir / "app").string() +
                                     "\"");
        CHECK(error.location()->line == 2);
    }

    options.root = dir.path();
    ImportResult result = import_file(dir / "app" / "requirements.txt", options);
    CHECK(pip_requirements(result) == std::vector<std::string>{"numpy", "requests"});

    // A symbolic link inside the tree to a file outside it is outside too.
    fs::create_symlink(dir / "shared.txt", dir / "app" / "link.txt");
    write_file(dir / "app" / "linked.txt", "-r link.txt\n");
    options.root.clear();
    CHECK_THROWS_WITH(import_file(dir / "app" / "linked.txt", options),
                      Catch::Contains("is outside the folder tree"));
}

TEST_CASE("import chooses the format by name and content, and azureml and dockerfile wait",
          "[import]")
{
    TempDir dir;
    CHECK(import_text(dir, "env.yaml", "dependencies: [numpy]\n").format == ImportFormat::conda);
    CHECK(import_text(dir, "reqs.in", "numpy\n").format == ImportFormat::pip);
    ImportOptions as_pip;
    as_pip.format = ImportFormat::pip;
    CHECK(import_text(dir, "odd.yml", "numpy\n", as_pip).format == ImportFormat::pip);

    CHECK(import_error(dir, "Dockerfile", "FROM ubuntu:22.04\n") ==
          "importing dockerfile files is not supported yet");
    CHECK(import_error(dir, "azureml_environment.json", "{}\n") ==
          "importing azureml files is not supported yet");
    CHECK(import_error(dir,
                       "env.yml",
                       "$schema: https://azuremlschemas.azureedge.net/x\n"
                       "image: ubuntu\n") == "importing azureml files is not supported yet");
    CHECK(import_format_named("auto") == ImportFormat::detect);
    CHECK(import_format_named("pip") == ImportFormat::pip);
    CHECK(!import_format_named("npm"));
}

TEST_CASE("import keeps a file name with a line end inside the comment line", "[import]")
{
    TempDir dir;
    ImportResult result = import_text(dir, "a\nx-injected: yes\r.txt", "numpy\n");
    CHECK(result.text.rfind("# Imported by envstore import from a?x-injected: yes?.txt (pip).\n"
                            "name: \"imported\"\n",
                            0) == 0);
    CHECK(result.definition.extensions.empty());
}
