// The policy on what real projects write: the index options of the corpus's
// requirements files and the base images of its Azure ML definitions.

#include "support/temp_dir.hpp"

#include "envstore/policy.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

using namespace envstore;
namespace fs = std::filesystem;

namespace {

// Every line of every file under `folder` that matches `pattern`, trimmed, with
// the first capture group of each.
std::set<std::pair<std::string, std::string>> corpus_matches(const fs::path& folder,
                                                             const std::regex& pattern)
{
    std::set<std::pair<std::string, std::string>> found;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::istringstream lines(test::read_file(entry.path()));
        for (std::string line; std::getline(lines, line);) {
            std::smatch match;
            if (std::regex_search(line, match, pattern)) {
                found.emplace(match[0].str(), match[1].str());
            }
        }
    }
    return found;
}

ResolvedDefinition with_python(const PythonSettings& python)
{
    ResolvedDefinition resolved;
    resolved.definition.name = "corpus";
    resolved.definition.python = python;
    return resolved;
}

ResolvedDefinition with_image(const std::string& image)
{
    ResolvedDefinition resolved;
    resolved.definition.name = "corpus";
    resolved.definition.docker = DockerSettings{};
    resolved.definition.docker->base_image = image;
    return resolved;
}

} // namespace

TEST_CASE("policy-pip-index finds every index option of the corpus", "[policy][corpus]")
{
    const fs::path corpus = ENVSTORE_CORPUS;
    if (!fs::is_directory(corpus)) {
        WARN("corpus folder " << corpus.string() << " is absent: skipping");
        return;
    }
    const std::regex option(
        R"((?:-i|--index-url|--extra-index-url|-f|--find-links)[ =](https?://[^ \r]+))");
    auto options = corpus_matches(corpus, option);
    REQUIRE(options.size() >= 5);

    // No pip packages: only the option itself is a source to check.
    for (const auto& [entry, url] : options) {
        INFO(entry);
        PythonSettings python;
        python.pip_options = {entry};
        Policy policy;
        policy.pip_indexes = std::vector<std::string>{};

        auto refused = evaluate_policy(policy, with_python(python));
        REQUIRE(refused.size() == 1);
        CHECK(refused[0].rule == "policy-pip-index");
        CHECK(refused[0].message.find("\"" + url + "\"") != std::string::npos);

        policy.pip_indexes->push_back(url);
        CHECK(evaluate_policy(policy, with_python(python)).empty());
    }
}

TEST_CASE("policy-base-image on the base images of the corpus", "[policy][corpus]")
{
    const fs::path corpus = fs::path(ENVSTORE_CORPUS) / "azureml";
    if (!fs::is_directory(corpus)) {
        WARN("corpus folder " << corpus.string() << " is absent: skipping");
        return;
    }
    const std::regex image(R"((?:^\s*image:|"baseImage":)\s*"?([a-z0-9][^\s",]*))");
    auto images = corpus_matches(corpus, image);
    REQUIRE(images.size() >= 5);

    Policy policy;
    policy.base_images = std::vector<std::string>{"mcr.microsoft.com/azureml/*"};
    int allowed = 0;
    for (const auto& [line, name] : images) {
        INFO(line);
        bool from_azureml = name.starts_with("mcr.microsoft.com/azureml/");
        allowed += from_azureml ? 1 : 0;
        CHECK(evaluate_policy(policy, with_image(name)).empty() == from_azureml);
    }
    CHECK(allowed >= 5);
    CHECK(allowed < static_cast<int>(images.size()));
}
