// Builds the curated catalog from `curated/`: replays `curated/history` into a
// new workspace, one commit per step at the step's fixed date and with a fixed
// identity, so that the same sources give the same commit and tag ids on every
// machine. Run by the build; see docs/curated.md.
//
// Usage: envstore_make_curated SOURCE_DIR OUTPUT_DIR

#include "envstore/error.hpp"
#include "envstore/reference.hpp"
#include "envstore/versions.hpp"
#include "envstore/workspace.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using envstore::Error;
using envstore::ErrorCode;

constexpr const char* k_identity_name = "envstore curated catalog";
constexpr const char* k_identity_email = "curated@envstore.invalid";

struct Step
{
    int line = 0; // where the step starts in the history file
    std::string date;
    std::vector<envstore::Reference> versions;
    std::string message;
};

[[noreturn]] void throw_at(const fs::path& file, int line, const std::string& message)
{
    throw Error(ErrorCode::invalid_input, fmt::format("{}:{}: {}", file.string(), line, message));
}

std::string read_bytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::not_found, fmt::format("cannot read \"{}\"", path.string()));
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::vector<envstore::Reference> parse_versions(const fs::path& file, int line, std::string text)
{
    std::vector<envstore::Reference> versions;
    std::istringstream words(text);
    for (std::string word; words >> word;) {
        envstore::Reference reference = envstore::parse_reference(word);
        if (reference.kind != envstore::ReferenceKind::version || reference.curated) {
            throw_at(file, line, fmt::format("\"{}\" is not NAME@vN", word));
        }
        versions.push_back(reference);
    }
    return versions;
}

void finish_step(const fs::path& file, std::vector<Step>& steps, Step& step)
{
    if (step.line == 0) {
        return;
    }
    if (step.date.empty() || step.versions.empty() || step.message.empty()) {
        throw_at(file, step.line, "a step needs date, versions and message");
    }
    steps.push_back(step);
    step = Step();
}

// Steps are blocks of `key: value` lines separated by blank lines; `#` starts
// a comment line.
std::vector<Step> read_history(const fs::path& file)
{
    std::istringstream in(read_bytes(file));
    std::vector<Step> steps;
    Step step;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty()) {
            finish_step(file, steps, step);
            continue;
        }
        if (line.starts_with('#')) {
            continue;
        }
        auto colon = line.find(": ");
        std::string key = line.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 2);
        step.line = step.line == 0 ? number : step.line;
        if (key == "date") {
            step.date = value;
        } else if (key == "versions") {
            step.versions = parse_versions(file, number, value);
        } else if (key == "message") {
            step.message = value;
        } else {
            throw_at(file, number, fmt::format("unknown line \"{}\"", line));
        }
    }
    finish_step(file, steps, step);
    return steps;
}

fs::path version_file(const fs::path& source, const envstore::Reference& version)
{
    return source / version.name / fmt::format("v{}.yaml", version.version);
}

// Every NAME/vN.yaml must be named by a step: a file left out would never ship.
void check_every_file_used(const fs::path& source, const std::vector<Step>& steps)
{
    std::set<fs::path> used;
    for (const auto& step : steps) {
        for (const auto& version : step.versions) {
            used.insert(version_file(source, version));
        }
    }
    for (const auto& entry : fs::recursive_directory_iterator(source)) {
        if (entry.path().extension() == ".yaml" && !used.contains(entry.path())) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("\"{}\" is named by no step of the history", entry.path().string()));
        }
    }
}

// Nothing of the machine's Git setup may reach the catalog's objects.
void isolate_from_user_configuration(const fs::path& empty_dir)
{
    git_libgit2_init();
    for (int level : {GIT_CONFIG_LEVEL_SYSTEM,
                      GIT_CONFIG_LEVEL_XDG,
                      GIT_CONFIG_LEVEL_GLOBAL,
                      GIT_CONFIG_LEVEL_PROGRAMDATA}) {
        git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, empty_dir.c_str());
    }
    setenv("GIT_AUTHOR_NAME", k_identity_name, 1);
    setenv("GIT_AUTHOR_EMAIL", k_identity_email, 1);
}

void set_date(const std::string& date)
{
    setenv("GIT_AUTHOR_DATE", date.c_str(), 1);
    setenv("GIT_COMMITTER_DATE", date.c_str(), 1);
}

void replay(const envstore::Workspace& workspace, const fs::path& source, const Step& step)
{
    set_date(step.date);
    std::vector<std::string> names;
    for (const auto& version : step.versions) {
        fs::path target = workspace.root() / envstore::Workspace::definition_path(version.name);
        fs::create_directories(target.parent_path());
        std::ofstream(target, std::ios::binary) << read_bytes(version_file(source, version));
        names.push_back(version.name);
    }

    std::vector<envstore::TagResult> results;
    try {
        results = envstore::register_definitions(workspace, names, step.message);
    } catch (const Error& error) {
        throw Error(error.code(),
                    fmt::format("step of {}: {}", step.date, error.message()),
                    error.details());
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& asked = step.versions[i];
        if (!results[i].created || results[i].version != asked.version) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("step of {} made {}{}, not {}",
                                    step.date,
                                    results[i].tag_name,
                                    results[i].created ? "" : " (unchanged)",
                                    asked.to_string()),
                        "number versions of an environment from 1, in the order of the steps, "
                        "and change each new version");
        }
    }
}

void build_catalog(const fs::path& source, const fs::path& output)
{
    std::vector<Step> steps = read_history(source / "history");
    check_every_file_used(source, steps);
    if (fs::exists(output) && !fs::exists(output / envstore::k_settings_file)) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("\"{}\" exists and is not a catalog: not replacing it", output.string()));
    }

    fs::path partial = output.string() + ".partial";
    fs::path empty = output.string() + ".no-config";
    fs::remove_all(partial);
    fs::create_directories(empty);
    isolate_from_user_configuration(empty);
    set_date(steps.front().date);
    {
        envstore::Workspace workspace = envstore::Workspace::init(partial);
        for (const auto& step : steps) {
            replay(workspace, source, step);
        }
    }
    fs::remove_all(output);
    fs::rename(partial, output);
    fs::remove_all(empty);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        fmt::print(stderr, "usage: envstore_make_curated SOURCE_DIR OUTPUT_DIR\n");
        return 2;
    }
    try {
        build_catalog(fs::absolute(argv[1]), fs::absolute(argv[2]));
        return 0;
    } catch (const Error& error) {
        fmt::print(stderr, "envstore_make_curated: error: {}\n", error.what());
        for (const auto& detail : error.details()) {
            fmt::print(stderr, "{}\n", envstore::format_diagnostic(detail));
        }
        if (!error.hint().empty()) {
            fmt::print(stderr, "hint: {}\n", error.hint());
        }
        return 1;
    } catch (const std::exception& error) {
        fmt::print(stderr, "envstore_make_curated: error: {}\n", error.what());
        return 1;
    }
}
