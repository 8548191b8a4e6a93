#include "envstore/error.hpp"
#include "envstore/package_spec.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

using envstore::CondaSpec;
using envstore::parse_conda_spec;

namespace {

namespace fs = std::filesystem;

// The message of the `invalid_input` error that parsing `text` raises; "" when it parses.
std::string conda_error(std::string_view text)
{
    try {
        parse_conda_spec(text);
    } catch (const envstore::Error& error) {
        const bool invalid_input = error.code() == envstore::ErrorCode::invalid_input;
        return invalid_input ? error.message() : "unexpected error code: " + error.message();
    }
    return "";
}

std::string invalid(std::string_view text, std::string_view detail)
{
    return "invalid conda match spec \"" + std::string(text) + "\": " + std::string(detail);
}

struct Expected
{
    std::string_view text;
    std::string_view channel;
    std::string_view name;
    std::string_view version;
    std::string_view build;
    std::string_view normalised;
};

// Conda dependency lists: `dependencies` in conda files, `condaDependencies` in
// AzureML environment JSON.
void collect_conda_specs(const YAML::Node& node, std::vector<std::string>& specs)
{
    if (node.IsSequence()) {
        for (const auto& item : node) {
            collect_conda_specs(item, specs);
        }
    }
    if (!node.IsMap()) {
        return;
    }
    for (const auto& item : node) {
        const auto key = item.first.as<std::string>("");
        if ((key == "dependencies" || key == "condaDependencies") && item.second.IsSequence()) {
            for (const auto& entry : item.second) {
                if (entry.IsScalar()) {
                    specs.push_back(entry.as<std::string>());
                }
            }
        }
        collect_conda_specs(item.second, specs);
    }
}

bool is_yaml_or_json(const fs::path& path)
{
    const auto extension = path.extension();
    return extension == ".yml" || extension == ".yaml" || extension == ".json";
}

} // namespace

TEST_CASE("conda match specs parse into channel, name, version and build", "[package_spec][conda]")
{
    const Expected cases[] = {
        {"numpy", "", "numpy", "", "", "numpy"},
        {"numpy>=1.26", "", "numpy", ">=1.26", "", "numpy>=1.26"},
        {"numpy >=1.26,<2", "", "numpy", ">=1.26,<2", "", "numpy>=1.26,<2"},
        {"pytorch=2.1.*", "", "pytorch", "=2.1.*", "", "pytorch=2.1.*"},
        {"pytorch=2.1", "", "pytorch", "=2.1", "", "pytorch=2.1"},
        {"numpy==1.26.4", "", "numpy", "==1.26.4", "", "numpy==1.26.4"},
        {"numpy 1.26.* py311*", "", "numpy", "1.26.*", "py311*", "numpy 1.26.* py311*"},
        {"numpy=1.26.4=py311h64a7726_0",
         "",
         "numpy",
         "1.26.4",
         "py311h64a7726_0",
         "numpy 1.26.4 py311h64a7726_0"},
        {"numpy==1.26.4=py311_0", "", "numpy", "1.26.4", "py311_0", "numpy 1.26.4 py311_0"},
        {"numpy 1.26.4=py311_0", "", "numpy", "1.26.4", "py311_0", "numpy 1.26.4 py311_0"},
        {"numpy >=1.0,<2.0 =py34_0",
         "",
         "numpy",
         ">=1.0,<2.0",
         "py34_0",
         "numpy >=1.0,<2.0 py34_0"},
        {"libarchive>=3.8 lgpl_*", "", "libarchive", ">=3.8", "lgpl_*", "libarchive >=3.8 lgpl_*"},
        {"conda-forge::numpy>=1.26", "conda-forge", "numpy", ">=1.26", "", ""},
        {"conda-forge/linux-64::numpy", "conda-forge/linux-64", "numpy", "", "", ""},
        {"https://104.17.92.24:443::flask=1.0.2",
         "https://104.17.92.24:443",
         "flask",
         "=1.0.2",
         "",
         "https://104.17.92.24:443::flask=1.0.2"},
        {"numpy[version='>=1.26',build=py*]", "", "numpy", ">=1.26", "py*", "numpy >=1.26 py*"},
        {"matplotlib[version='<=3.5']", "", "matplotlib", "<=3.5", "", "matplotlib<=3.5"},
        {"numpy>=1.26|<1.20", "", "numpy", ">=1.26|<1.20", "", "numpy>=1.26|<1.20"},
        {"python 3.11.*", "", "python", "3.11.*", "", "python 3.11.*"},
        {"openssl !=1.1.1a", "", "openssl", "!=1.1.1a", "", "openssl!=1.1.1a"},
        {"numpy ~=1.26", "", "numpy", "~=1.26", "", "numpy~=1.26"},
        {"_libgcc_mutex=0.1=conda_forge",
         "",
         "_libgcc_mutex",
         "0.1",
         "conda_forge",
         "_libgcc_mutex 0.1 conda_forge"},
        {"ruamel.yaml.clib=0.2.2", "", "ruamel.yaml.clib", "=0.2.2", "", ""},
        {"r-caret=7.0_1", "", "r-caret", "=7.0_1", "", ""},
        {"jpeg=9d=h36c2ea0_0", "", "jpeg", "9d", "h36c2ea0_0", "jpeg 9d h36c2ea0_0"},
        {"pytorch=1.10.2=py3.7_cuda11.3_cudnn8_0",
         "",
         "pytorch",
         "1.10.2",
         "py3.7_cuda11.3_cudnn8_0",
         "pytorch 1.10.2 py3.7_cuda11.3_cudnn8_0"},
        {"fonts-conda-ecosystem=1=0",
         "",
         "fonts-conda-ecosystem",
         "1",
         "0",
         "fonts-conda-ecosystem 1 0"},
        // `*` stands for any version or build, which an empty field already says.
        {"numpy * *", "", "numpy", "", "", "numpy"},
        {"numpy[build=py*]", "", "numpy", "", "py*", "numpy * py*"},
        // With the build in brackets conda keeps `=1.26` fuzzy, as `1.26.*`.
        {"numpy=1.26[build=py*]", "", "numpy", "1.26.*", "py*", "numpy 1.26.* py*"},
    };
    for (const auto& expected : cases) {
        CAPTURE(expected.text);
        const CondaSpec spec = parse_conda_spec(expected.text);
        CHECK(spec.channel == expected.channel);
        CHECK(spec.name == expected.name);
        CHECK(spec.version == expected.version);
        CHECK(spec.build == expected.build);
        CHECK(spec.brackets.empty());
        const bool same_text = expected.normalised.empty();
        CHECK(spec.to_string() == (same_text ? expected.text : expected.normalised));
        CHECK(parse_conda_spec(spec.to_string()) == spec);
    }
}

TEST_CASE("conda match specs keep other bracket items sorted", "[package_spec][conda]")
{
    const CondaSpec spec = parse_conda_spec("numpy[md5=abc, license=\"BSD 3\" subdir=linux-64]");
    using Item = std::pair<std::string, std::string>;
    CHECK(spec.brackets ==
          std::vector<Item>{{"license", "BSD 3"}, {"md5", "abc"}, {"subdir", "linux-64"}});
    CHECK(spec.version.empty());
    CHECK(spec.to_string() == "numpy[license='BSD 3',md5=abc,subdir=linux-64]");
    CHECK(parse_conda_spec(spec.to_string()) == spec);

    const CondaSpec versioned = parse_conda_spec("conda-forge::numpy>=1.26[fn='x,y.conda']");
    CHECK(versioned.to_string() == "conda-forge::numpy>=1.26[fn='x,y.conda']");
    CHECK(parse_conda_spec(versioned.to_string()) == versioned);
}

TEST_CASE("conda match specs that differ only in blanks normalise alike", "[package_spec][conda]")
{
    SECTION("version constraints")
    {
        for (const auto* text : {"numpy>=1.26,<2",
                                 "numpy >=1.26,<2",
                                 "  numpy  >= 1.26 , < 2  ",
                                 "numpy\t>=1.26,\t<2",
                                 "numpy[version=' >= 1.26, <2 ']"}) {
            CAPTURE(text);
            CHECK(parse_conda_spec(text).to_string() == "numpy>=1.26,<2");
        }
    }
    SECTION("version and build")
    {
        for (const auto* text : {"numpy 1.26.* py311*",
                                 "numpy   1.26.*   py311*",
                                 " numpy 1.26.*\tpy311* ",
                                 "numpy[ version = 1.26.* , build = py311* ]"}) {
            CAPTURE(text);
            CHECK(parse_conda_spec(text).to_string() == "numpy 1.26.* py311*");
        }
    }
    SECTION("channel")
    {
        for (const auto* text : {"conda-forge::numpy=1.2", "conda-forge :: numpy = 1.2"}) {
            CAPTURE(text);
            CHECK(parse_conda_spec(text).to_string() == "conda-forge::numpy=1.2");
        }
    }
}

TEST_CASE("conda match specs reject malformed input with a precise message",
          "[package_spec][conda]")
{
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"", "missing package name"},
        {"   ", "missing package name"},
        {">=1.0", "missing package name"},
        {"conda-forge::", "missing package name"},
        {"::numpy", "empty channel before \"::\""},
        {"conda forge::numpy", "invalid character \" \" in channel \"conda forge\""},
        {"nu$mpy", "invalid character \"$\" in package name \"nu$mpy\""},
        {"num py",
         "unexpected \"py\" after package name \"num\" (a version starts with a digit, \"*\" or "
         "an operator)"},
        {"numpy>>1", "unknown version operator \">>\""},
        {"numpy=>1", "unknown version operator \"=>\""},
        {"numpy=", "missing version after \"=\""},
        {"numpy >=", "missing version after \">=\""},
        {"numpy>=1.0,,<2", "empty constraint in version \">=1.0,,<2\""},
        {"numpy>=1.0|", "empty constraint in version \">=1.0|\""},
        {"numpy>=1.0;<2", "invalid character \";\" in version \">=1.0;<2\""},
        {"numpy >=1.0 <2", "unexpected \"<2\": join version constraints with \",\" or \"|\""},
        {"numpy 1.0 py 3", "unexpected \"3\" after the build string"},
        {"numpy=1.0=", "missing build string after \"=\""},
        {"numpy 1.0 =", "missing build string after \"=\""},
        {"numpy 1.0 py-3", "invalid character \"-\" in build string \"py-3\""},
        {"numpy[version=1", "unclosed \"[\" in brackets"},
        {"numpy[version='1]", "unclosed quote in brackets"},
        {"numpy]", "unmatched \"]\""},
        {"numpy[[version=1]]", "nested \"[\" in brackets"},
        {"numpy[version=1] 2.0", "unexpected \"2.0\" after \"]\""},
        {"numpy[version]", "missing \"=\" after \"version\" in brackets"},
        {"numpy[version='']", "empty value for \"version\" in brackets"},
        {"numpy[=1]", "expected a key in brackets, found \"=1\""},
        {"numpy[version=1,]", "trailing \",\" in brackets"},
        {"numpy[md5=a,md5=b]", "duplicate key \"md5\" in brackets"},
        {"numpy>=1[version=2]", "version given both after the name and in brackets"},
        {"numpy 1 py*[build=py*]", "build string given both after the name and in brackets"},
        {"numpy[version='>>1']", "unknown version operator \">>\""},
    };
    for (const auto& [text, detail] : cases) {
        CAPTURE(text);
        CHECK(conda_error(text) == invalid(text, detail));
    }
}

TEST_CASE("every conda dependency in the corpus parses", "[package_spec][conda]")
{
    const fs::path corpus = ENVSTORE_CORPUS;
    if (!fs::is_directory(corpus / "conda")) {
        WARN("corpus folder " << corpus.string() << "/conda is absent: skipping");
        return;
    }
    // repo2docker keeps this file as an example of a broken environment: it is not YAML.
    const fs::path not_yaml = corpus / "conda/repo2docker_venv-binder-dir__environment.yml";

    std::size_t parsed = 0;
    for (const auto* folder : {"conda", "azureml"}) {
        for (const auto& entry : fs::recursive_directory_iterator(corpus / folder)) {
            if (!entry.is_regular_file() || !is_yaml_or_json(entry.path())) {
                continue;
            }
            CAPTURE(entry.path().string());
            if (entry.path() == not_yaml) {
                CHECK_THROWS_AS(YAML::LoadFile(entry.path().string()), YAML::Exception);
                continue;
            }
            std::vector<std::string> specs;
            collect_conda_specs(YAML::LoadFile(entry.path().string()), specs);
            for (const auto& text : specs) {
                CAPTURE(text);
                CHECK(conda_error(text).empty());
                if (conda_error(text).empty()) {
                    const CondaSpec spec = parse_conda_spec(text);
                    CHECK(parse_conda_spec(spec.to_string()) == spec);
                    ++parsed;
                }
            }
        }
    }
    CHECK(parsed >= 1000);
}
