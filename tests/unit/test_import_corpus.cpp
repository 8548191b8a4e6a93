// Every conda and pip file of the corpus (../shared/corpus) imports, or is
// listed in tests/data/import/expected-failures.txt with the reason; and what
// was imported matches an independent reading of the file by PyYAML
// (tests/data/import/independent_reading.py): channels, conda and pip package
// names, variables.

#include "support/temp_dir.hpp"

#include "envstore/import.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace envstore;
namespace fs = std::filesystem;

namespace {

struct Facts
{
    std::vector<std::string> channels;
    std::set<std::string> packages; // "conda NAME", "pip NAME", "variable NAME=VALUE"
};

// corpus-relative path -> reason.
std::map<std::string, std::string> expected_failures()
{
    std::ifstream list(test::data_path("import/expected-failures.txt"));
    std::map<std::string, std::string> failures;
    std::string line;
    while (std::getline(list, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::size_t blank = line.find(' ');
        failures[line.substr(0, blank)] = blank == std::string::npos ? "" : line.substr(blank + 1);
    }
    return failures;
}

// The facts the Python reader prints; std::nullopt when python3 (127) or PyYAML (77) is missing.
std::optional<Facts> independent_reading(const fs::path& file, ImportFormat format)
{
    std::string command = "python3 '" + test::data_path("import/independent_reading.py").string() +
                          "' '" + file.string() + "' " + std::string(name_of(format));
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        return std::nullopt;
    }
    std::string output;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
        output.append(buffer, n);
    }
    int status = pclose(pipe);
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 77 || WEXITSTATUS(status) == 127)) {
        return std::nullopt;
    }
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    Facts facts;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("channel ", 0) == 0) {
            facts.channels.push_back(line.substr(8));
        } else {
            facts.packages.insert(line);
        }
    }
    return facts;
}

Facts imported_facts(const Definition& definition)
{
    Facts facts;
    if (definition.python) {
        facts.channels = definition.python->channels;
        for (const CondaSpec& spec : definition.python->conda) {
            std::string name = spec.name;
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
                return static_cast<char>(std::tolower(c));
            });
            facts.packages.insert("conda " + name);
        }
        for (const PipRequirement& requirement : definition.python->pip) {
            if (requirement.url.empty()) {
                facts.packages.insert("pip " + requirement.normalized_name());
            }
        }
    }
    for (const auto& [name, value] : definition.variables) {
        facts.packages.insert("variable " + name + "=" + value.value_or(""));
    }
    return facts;
}

std::vector<fs::path> corpus_files(const fs::path& corpus)
{
    std::vector<fs::path> files;
    for (const char* folder : {"conda", "pip"}) {
        for (const auto& entry : fs::recursive_directory_iterator(corpus / folder)) {
            if (entry.is_regular_file()) {
                files.push_back(entry.path());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

ImportFormat expected_format(const fs::path& file)
{
    std::string extension = file.extension().string();
    bool conda = extension == ".yml" || extension == ".yaml" || extension == ".lock";
    return conda ? ImportFormat::conda : ImportFormat::pip;
}

} // namespace

TEST_CASE("every conda and pip file of the corpus imports, or is listed with its reason",
          "[import][corpus]")
{
    const fs::path corpus = ENVSTORE_CORPUS;
    if (!fs::is_directory(corpus)) {
        WARN("corpus folder " << corpus.string() << " is absent: skipping");
        return;
    }
    auto failures = expected_failures();
    std::set<std::string> seen;
    int compared = 0;

    for (const fs::path& file : corpus_files(corpus)) {
        std::string relative = file.lexically_relative(corpus).string();
        seen.insert(relative);
        bool listed = failures.count(relative) != 0;
        ImportOptions options;
        options.name = "corpus";
        std::optional<ImportResult> result;
        try {
            result = import_file(file, options);
        } catch (const Error& error) {
            if (!listed) {
                FAIL_CHECK(relative << " does not import: " << error.message());
            }
            continue;
        }
        if (listed) {
            FAIL_CHECK(relative << " is listed as failing (" << failures[relative]
                                << ") but imports: remove it from the list");
        }
        CHECK(result->format == expected_format(file));

        auto reading = independent_reading(file, result->format);
        if (!reading) {
            WARN("python3 with PyYAML is not available: " << relative << " not compared");
            continue;
        }
        INFO(relative);
        Facts imported = imported_facts(result->definition);
        CHECK(imported.channels == reading->channels);
        CHECK(imported.packages == reading->packages);
        ++compared;
    }
    for (const auto& [relative, reason] : failures) {
        if (seen.count(relative) == 0) {
            FAIL_CHECK(relative << " is listed as failing but is not in the corpus");
        }
    }
    CHECK(seen.size() >= 70);
    if (compared > 0) {
        CHECK(compared + failures.size() == seen.size());
    }
}
