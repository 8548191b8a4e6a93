#pragma once

// A workspace: a Git repository holding environment definitions under
// `environments/NAME/environment.yaml` and settings in `envstore.yaml`.

#include "envstore/definition.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace envstore {

inline constexpr int k_workspace_format = 1;
inline constexpr const char* k_settings_file = "envstore.yaml";
inline constexpr const char* k_environments_dir = "environments";
inline constexpr const char* k_definition_file = "environment.yaml";

// The files of one environment's folder: path relative to the folder -> bytes.
using FolderFiles = std::map<std::string, std::string>;

class Workspace
{
public:
    // Creates a Git repository in `dir` (made if missing) with `envstore.yaml`,
    // `.gitattributes`, an `environments/` folder and a first commit on `main`.
    // In an existing Git repository, the first commit holds HEAD's tree plus
    // the new files; what was staged stays staged. Throws `Error(invalid_input)`
    // when `dir` is already a workspace or no Git identity is configured; then
    // nothing is written.
    static Workspace init(const std::filesystem::path& dir);

    // Opens the workspace containing `start`, searching parent folders as git
    // does. Throws `Error(not_found)` outside a workspace, and
    // `Error(repository)` for a repository this libgit2 cannot use safely
    // (shallow clones, unsupported extensions, bare repositories).
    static Workspace discover(const std::filesystem::path& start);

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    ~Workspace();

    // The working tree's top folder.
    const std::filesystem::path& root() const;
    // The repository's Git folder.
    std::filesystem::path git_dir() const;

    // "environments/NAME/environment.yaml", relative to `root()`.
    static std::string definition_path(std::string_view name);
    // "environments/NAME", relative to `root()`.
    static std::string folder_path(std::string_view name);

    // Names of the folders under `environments/` that hold a definition file,
    // sorted.
    std::vector<std::string> working_tree_names() const;
    // The bytes of NAME's definition file in the working tree. Throws
    // `Error(not_found)` listing the environments that exist.
    std::string read_working_tree_definition(std::string_view name) const;
    // The whole folder of NAME in the working tree (regular files, recursive,
    // ignored files left out). Throws like `read_working_tree_definition`.
    FolderFiles read_working_tree_folder(std::string_view name) const;

    struct Impl;
    Impl& impl() const { return *m_impl; }

private:
    explicit Workspace(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// The definition template that `envstore create` writes.
struct CreateOptions
{
    std::string extends;
    std::string runtime = "python";
    std::string python_version = "3.11";
};

// Writes `environments/NAME/environment.yaml` in the working tree, validated
// before it is written. Throws `Error(invalid_input)` for a bad name or when
// the definition exists. Returns its workspace path.
std::string
create_definition(const Workspace& workspace, std::string_view name, const CreateOptions& options);

} // namespace envstore
