#include "envstore/workspace.hpp"

#include "fault_points.hpp"
#include "file_io.hpp"
#include "workspace_impl.hpp"

#include "envstore/names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace fs = std::filesystem;

namespace {

constexpr const char* k_settings_text = R"(# envstore workspace settings
# format: the layout version of this workspace.
# min_envstore: the oldest envstore release that can read it.
format: 1
min_envstore: 0.1.0
)";

constexpr const char* k_gitattributes_text =
    R"(# Keep definitions byte-identical on every clone, whatever core.autocrlf says.
environments/** text eol=lf
envstore.yaml text eol=lf
)";

// Extensions this libgit2 either refuses or would silently ignore.
void check_extensions(git_repository* repository)
{
    git_config* raw = nullptr;
    git::check(git_repository_config_snapshot(&raw, repository),
               "cannot read the Git configuration");
    git::Config config(raw);

    std::vector<std::string> found;
    // A plain walk rather than git_config_foreach_match: libgit2's regex path
    // leaks PCRE2 match data on Debian 12, which LeakSanitizer reports.
    git_config_foreach(
        config.get(),
        [](const git_config_entry* entry, void* payload) {
        std::string_view name = entry->name;
        std::string_view value = entry->value != nullptr ? entry->value : "";
        bool extension = name.starts_with("extensions.") && name != "extensions.noop";
        bool promisor =
            name.starts_with("remote.") && name.ends_with(".promisor") && value != "false";
        if (extension || promisor) {
            auto& out = *static_cast<std::vector<std::string>*>(payload);
            out.push_back(fmt::format("{}={}", name, value));
        }
        return 0;
        },
        &found);
    if (found.empty()) {
        return;
    }
    throw Error(
        ErrorCode::repository,
        fmt::format("the repository uses Git features envstore cannot handle: {}",
                    fmt::join(found, ", ")),
        "envstore uses libgit2 1.5, which supports none of reftable, worktreeConfig, "
        "partial clones or SHA-256 repositories; use a full clone without these extensions");
}

void check_usable(git_repository* repository)
{
    if (git_repository_is_bare(repository)) {
        throw Error(ErrorCode::repository,
                    "the repository is bare: a workspace needs a working tree",
                    "clone it with git clone and work in the clone");
    }
    if (git_repository_is_shallow(repository) == 1) {
        throw Error(
            ErrorCode::repository,
            "the repository is a shallow clone: its history and version tags are incomplete",
            "run: git fetch --unshallow --tags (in CI, check out with full depth, e.g. "
            "fetch-depth: 0)");
    }
    check_extensions(repository);
}

void check_settings(const fs::path& root)
{
    std::string text = read_file_bytes(root / k_settings_file);
    // The settings file is ours and tiny; only the format line matters here.
    auto at = text.find("\nformat:");
    if (text.starts_with("format:")) {
        at = 0;
    }
    if (at == std::string::npos) {
        return;
    }
    int format = std::atoi(text.c_str() + text.find(':', at) + 1);
    if (format > k_workspace_format) {
        throw Error(ErrorCode::repository,
                    fmt::format("the workspace has format {}, newer than this envstore reads ({})",
                                format,
                                k_workspace_format),
                    "upgrade envstore to the release named by min_envstore in envstore.yaml");
    }
}

// libgit2 refused a repository: says why, with a hint when an extension it
// does not support is the reason.
[[noreturn]] void throw_unusable(const std::string& context)
{
    std::string message = git::last_error_message();
    bool extension = message.find("extension") != std::string::npos;
    throw Error(ErrorCode::repository,
                fmt::format("{}: {}", context, message),
                extension ? "envstore uses libgit2 1.5: use a repository without this extension"
                          : "");
}

git::Repository open_repository(const fs::path& start)
{
    git::ensure_initialized();
    git_buf found = GIT_BUF_INIT;
    int result = git_repository_discover(&found, start.c_str(), 0, nullptr);
    if (result == GIT_ENOTFOUND) {
        throw Error(
            ErrorCode::not_found,
            fmt::format("not an envstore workspace (or any parent folder): \"{}\"", start.string()),
            "run envstore init to create one, or envstore -C DIR to name one");
    }
    git::check(result, "cannot look for a repository");
    std::string git_dir(found.ptr, found.size);
    git_buf_dispose(&found);

    git_repository* raw = nullptr;
    result = git_repository_open_ext(&raw, git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
    if (result < 0) {
        throw_unusable(fmt::format("cannot open the repository at \"{}\"", git_dir));
    }
    return git::Repository(raw);
}

// The first commit's tree: HEAD's tree, if there is one, plus the two new files.
// Built apart from the repository's index, so that whatever a user had staged
// in an existing repository stays staged rather than slipping into this commit.
git_oid initial_tree(git_repository* repository, const git::Commit& parent)
{
    git_index* raw_index = nullptr;
    git::check(git_index_new(&raw_index), "cannot create an index");
    git::Index index(raw_index);
    if (parent) {
        git::Tree parent_tree = commit_tree(parent.get());
        git::check(git_index_read_tree(index.get(), parent_tree.get()), "cannot read HEAD's tree");
    }
    for (const char* path : {k_settings_file, ".gitattributes"}) {
        git_index_entry entry{};
        entry.mode = GIT_FILEMODE_BLOB;
        entry.path = path;
        git::check(git_blob_create_from_workdir(&entry.id, repository, path),
                   fmt::format("cannot add \"{}\"", path));
        git::check(git_index_add(index.get(), &entry), fmt::format("cannot add \"{}\"", path));
    }
    git_oid tree_id;
    git::check(git_index_write_tree_to(&tree_id, index.get(), repository), "cannot write the tree");
    return tree_id;
}

// Stages the two new files so that git status shows the workspace clean.
void stage_initial_files(git_repository* repository)
{
    git_index* raw_index = nullptr;
    git::check(git_repository_index(&raw_index, repository), "cannot open the index");
    git::Index index(raw_index);
    for (const char* path : {k_settings_file, ".gitattributes"}) {
        git::check(git_index_add_bypath(index.get(), path), fmt::format("cannot add \"{}\"", path));
    }
    git::check(git_index_write(index.get()), "cannot write the index");
}

void commit_initial_files(git_repository* repository, const git_signature* signature)
{
    git::Commit parent;
    git_oid parent_id;
    if (git_reference_name_to_id(&parent_id, repository, "HEAD") == 0) {
        git_commit* raw_parent = nullptr;
        git::check(git_commit_lookup(&raw_parent, repository, &parent_id), "cannot read HEAD");
        parent.reset(raw_parent);
    }
    git_oid tree_id = initial_tree(repository, parent);
    git_tree* raw_tree = nullptr;
    git::check(git_tree_lookup(&raw_tree, repository, &tree_id), "cannot read the tree");
    git::Tree tree(raw_tree);

    const git_commit* parents[] = {parent.get()};
    git_oid commit_id;
    git::check(git_commit_create(&commit_id,
                                 repository,
                                 "HEAD",
                                 signature,
                                 signature,
                                 nullptr,
                                 "Initialise envstore workspace\n",
                                 tree.get(),
                                 parent ? 1 : 0,
                                 parents),
               "cannot make the first commit");
    stage_initial_files(repository);
}

// An existing .gitattributes keeps its lines; the workspace's are appended.
std::string merged_gitattributes(const fs::path& path)
{
    if (!fs::exists(path)) {
        return k_gitattributes_text;
    }
    std::string text = read_file_bytes(path);
    if (!text.empty() && !text.ends_with('\n')) {
        text += '\n';
    }
    return text + k_gitattributes_text;
}

} // namespace

Workspace::Workspace(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

Workspace Workspace::init(const fs::path& dir)
{
    git::ensure_initialized();
    // Check everything that can fail before anything is written.
    git::Signature signature = git::default_signature(nullptr);
    fs::path root = fs::absolute(dir).lexically_normal();
    if (fs::exists(root / k_settings_file)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" is already an envstore workspace", root.string()));
    }

    git_repository_init_options options = GIT_REPOSITORY_INIT_OPTIONS_INIT;
    options.flags = GIT_REPOSITORY_INIT_MKPATH;
    options.initial_head = "main";
    git_repository* raw = nullptr;
    if (git_repository_init_ext(&raw, root.c_str(), &options) < 0) {
        throw_unusable(fmt::format("cannot create a repository in \"{}\"", root.string()));
    }
    git::Repository repository(raw);
    check_usable(repository.get());

    write_file_atomically(root / k_settings_file, k_settings_text);
    write_file_atomically(root / ".gitattributes", merged_gitattributes(root / ".gitattributes"));
    fs::create_directories(root / k_environments_dir);
    commit_initial_files(repository.get(), signature.get());

    auto impl = std::make_unique<Impl>();
    impl->repository = std::move(repository);
    impl->root = root;
    return Workspace(std::move(impl));
}

Workspace Workspace::discover(const fs::path& start)
{
    fault_point("open-workspace");
    git::Repository repository = open_repository(start);
    check_usable(repository.get());
    fs::path root = fs::path(git_repository_workdir(repository.get())).lexically_normal();
    if (root.has_filename() == false) {
        root = root.parent_path();
    }
    if (!fs::exists(root / k_settings_file)) {
        throw Error(ErrorCode::not_found,
                    fmt::format("\"{}\" is a Git repository but not an envstore workspace: it has "
                                "no {}",
                                root.string(),
                                k_settings_file),
                    "run envstore init in it to make it one");
    }
    check_settings(root);

    auto impl = std::make_unique<Impl>();
    impl->repository = std::move(repository);
    impl->root = root;
    return Workspace(std::move(impl));
}

const fs::path& Workspace::root() const
{
    return m_impl->root;
}

fs::path Workspace::git_dir() const
{
    return fs::path(git_repository_path(m_impl->repo())).lexically_normal();
}

std::string Workspace::definition_path(std::string_view name)
{
    return fmt::format("{}/{}/{}", k_environments_dir, name, k_definition_file);
}

std::string Workspace::folder_path(std::string_view name)
{
    return fmt::format("{}/{}", k_environments_dir, name);
}

std::vector<std::string> Workspace::working_tree_names() const
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(root() / k_environments_dir, error)) {
        if (entry.is_directory() && fs::is_regular_file(entry.path() / k_definition_file)) {
            names.push_back(entry.path().filename().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

namespace {

[[noreturn]] void throw_unknown_environment(const Workspace& workspace, std::string_view name)
{
    std::vector<std::string> names = workspace.working_tree_names();
    std::string hint;
    if (auto close = closest_match(name, names)) {
        hint = fmt::format("did you mean \"{}\"?", *close);
    } else if (!names.empty()) {
        hint = fmt::format("environments in the working tree: {}", fmt::join(names, ", "));
    }
    throw Error(ErrorCode::not_found,
                fmt::format("no environment \"{}\" in the working tree (no {})",
                            name,
                            Workspace::definition_path(name)),
                hint);
}

void check_name_for_path(std::string_view name)
{
    if (auto problem = check_environment_name(name)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid environment name \"{}\": {}", name, *problem));
    }
}

} // namespace

std::string Workspace::read_working_tree_definition(std::string_view name) const
{
    check_name_for_path(name);
    fs::path path = root() / definition_path(name);
    if (!fs::is_regular_file(path)) {
        throw_unknown_environment(*this, name);
    }
    return read_file_bytes(path);
}

FolderFiles Workspace::read_working_tree_folder(std::string_view name) const
{
    check_name_for_path(name);
    fs::path folder = root() / folder_path(name);
    if (!fs::is_regular_file(folder / k_definition_file)) {
        throw_unknown_environment(*this, name);
    }

    FolderFiles files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        std::string relative = entry.path().lexically_relative(folder).generic_string();
        std::string workspace_path = folder_path(name) + "/" + relative;
        int ignored = 0;
        git_ignore_path_is_ignored(&ignored, m_impl->repo(), workspace_path.c_str());
        if (ignored == 1) {
            continue;
        }
        if (entry.is_symlink()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("\"{}\" is a symbolic link: environment folders may hold only "
                                    "regular files and folders",
                                    workspace_path));
        }
        if (entry.is_regular_file()) {
            files[relative] = read_file_bytes(entry.path());
        }
    }
    return files;
}

} // namespace envstore
