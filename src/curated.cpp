#include "envstore/curated.hpp"

#include "git/git.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <memory>

namespace envstore {
namespace fs = std::filesystem;
namespace {

fs::path executable_folder()
{
    std::error_code error;
    fs::path executable = fs::read_symlink("/proc/self/exe", error);
    return error ? fs::path() : executable.parent_path();
}

bool holds_catalog(const fs::path& dir)
{
    std::error_code error;
    return fs::is_regular_file(dir / k_settings_file, error) && fs::exists(dir / ".git", error);
}

// The catalog is installed by whoever installed the binary, often another
// user than the one running it, and it is only ever read: libgit2's check
// that a repository belongs to the current user does not apply to it.
Workspace open_catalog(const fs::path& dir)
{
    git::ensure_initialized();
    int validate = 1;
    git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &validate);
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    try {
        Workspace catalog = Workspace::discover(dir);
        git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, validate);
        return catalog;
    } catch (...) {
        git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, validate);
        throw;
    }
}

[[noreturn]] void throw_missing(const std::vector<fs::path>& searched)
{
    std::vector<std::string> names;
    for (const auto& dir : searched) {
        names.push_back(fmt::format("\"{}\"", dir.string()));
    }
    bool from_variable = std::getenv(k_curated_dir_variable) != nullptr;
    throw Error(ErrorCode::not_found,
                fmt::format("no curated catalog found: looked in {}", fmt::join(names, ", ")),
                from_variable ? fmt::format("{} must name the folder holding the catalog "
                                            "(share/envstore/curated in the build or install tree)",
                                            k_curated_dir_variable)
                              : "the catalog is made by the build and installed beside the binary; "
                                "reinstall envstore or set " +
                                    std::string(k_curated_dir_variable));
}

} // namespace

std::vector<fs::path> curated_catalog_candidates()
{
    const char* variable = std::getenv(k_curated_dir_variable);
    if (variable != nullptr && *variable != '\0') {
        return {fs::absolute(variable).lexically_normal()};
    }
    fs::path folder = executable_folder();
    if (folder.empty()) {
        return {};
    }
    return {(folder / ".." / "share" / "envstore" / "curated").lexically_normal(),
            folder / "share" / "envstore" / "curated"};
}

const Workspace& open_curated_catalog()
{
    // Workspaces stay at one address for the life of the process.
    static std::map<fs::path, std::unique_ptr<Workspace>> opened;
    std::vector<fs::path> candidates = curated_catalog_candidates();
    for (const auto& dir : candidates) {
        if (!holds_catalog(dir)) {
            continue;
        }
        auto& slot = opened[dir];
        if (!slot) {
            slot = std::make_unique<Workspace>(open_catalog(dir));
        }
        return *slot;
    }
    throw_missing(candidates);
}

StoredDefinition resolve_curated_reference(const Reference& reference)
{
    Reference inside = reference;
    inside.curated = false;
    if (inside.kind == ReferenceKind::working_tree) {
        inside.kind = ReferenceKind::latest;
    }
    const Workspace& catalog = open_curated_catalog();
    try {
        StoredDefinition stored = resolve_reference(catalog, inside);
        stored.reference = reference;
        return stored;
    } catch (const Error& error) {
        if (error.code() != ErrorCode::not_found) {
            throw;
        }
        bool known = latest_version(catalog, inside.name).has_value();
        throw Error(ErrorCode::not_found,
                    fmt::format("unknown reference \"{}\"", reference.to_string()),
                    known ? error.hint()
                          : fmt::format("the curated catalog has no \"{}\": envstore curated "
                                        "list shows what it has",
                                        inside.name));
    }
}

void refuse_curated_write(std::string_view command, std::string_view argument)
{
    if (!argument.starts_with(k_curated_prefix)) {
        return;
    }
    std::string name(argument.substr(k_curated_prefix.size()));
    name = name.substr(0, name.find('@'));
    throw Error(
        ErrorCode::invalid_input,
        fmt::format("the curated catalog is read-only: cannot {} \"{}\"", command, argument),
        fmt::format("build on it in your own environment with "
                    "\"extends: curated/{}@vN\" (envstore curated list shows the versions)",
                    name));
}

} // namespace envstore
