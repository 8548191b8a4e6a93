#include "support/git_judge.hpp"
#include "support/in_process.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "envstore/definition.hpp"
#include "envstore/error.hpp"
#include "envstore/workspace.hpp"

#include <catch2/catch.hpp>
#include <git2.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace fs = std::filesystem;
using envstore::ErrorCode;
using envstore::Workspace;
using envstore::test::error_from;
using envstore::test::git_output;
using envstore::test::read_file;
using envstore::test::TempDir;
using envstore::test::write_file;

namespace {

// Makes libgit2 find no Git identity while alive: an empty HOME and no
// GIT_AUTHOR_* variables.
class NoIdentity
{
public:
    explicit NoIdentity(const fs::path& empty_home)
    {
        for (int level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM}) {
            git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, empty_home.c_str());
        }
    }
    ~NoIdentity() { envstore::test::apply_test_environment(); }
    NoIdentity(const NoIdentity&) = delete;
    NoIdentity& operator=(const NoIdentity&) = delete;
};

constexpr const char* k_settings_text = "# envstore workspace settings\n"
                                        "# format: the layout version of this workspace.\n"
                                        "# min_envstore: the oldest envstore release that can "
                                        "read it.\n"
                                        "format: 1\n"
                                        "min_envstore: 0.1.0\n";

constexpr const char* k_gitattributes_text =
    "# Keep definitions byte-identical on every clone, whatever core.autocrlf says.\n"
    "environments/** text eol=lf\n"
    "envstore.yaml text eol=lf\n";

} // namespace

TEST_CASE("Workspace::init makes a repository with one commit on main", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    fs::path root = temp / "ws";

    Workspace workspace = Workspace::init(root);
    CHECK(workspace.root() == root);
    CHECK(fs::equivalent(workspace.git_dir(), root / ".git"));
    CHECK(read_file(root / "envstore.yaml") == k_settings_text);
    CHECK(read_file(root / ".gitattributes") == k_gitattributes_text);
    CHECK(fs::is_directory(root / "environments"));

    CHECK(git_output(root, {"log", "--format=%s|%an <%ae>|%cn"}) ==
          "Initialise envstore workspace|Test Author <author@example.org>|Test Author\n");
    CHECK(git_output(root, {"symbolic-ref", "HEAD"}) == "refs/heads/main\n");
    CHECK(git_output(root, {"ls-tree", "-r", "--name-only", "HEAD"}) ==
          ".gitattributes\nenvstore.yaml\n");
    CHECK(git_output(root, {"status", "--porcelain"}).empty());
    CHECK(envstore::test::git(root, {"fsck", "--strict"}).exit_code == 0);
}

TEST_CASE("Workspace::init refuses a folder that is already a workspace", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    Workspace::init(temp / "ws");

    auto error = error_from([&] { Workspace::init(temp / "ws"); });
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::invalid_input);
    CHECK(error->message() ==
          "\"" + (temp / "ws").string() + "\" is already an envstore workspace");
    CHECK(git_output(temp / "ws", {"rev-list", "--count", "HEAD"}) == "1\n");
}

TEST_CASE("Workspace::init in an existing repository builds on HEAD and keeps the index",
          "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    fs::path root = temp / "repo";
    git_output(temp.path(), {"init", "-q", "repo"});
    write_file(root / "README", "hello\n");
    write_file(root / ".gitattributes", "*.png binary");
    git_output(root, {"add", "README", ".gitattributes"});
    git_output(root, {"commit", "-q", "-m", "first"});
    write_file(root / "staged.txt", "staged\n");
    git_output(root, {"add", "staged.txt"});

    Workspace::init(root);
    CHECK(git_output(root, {"log", "--format=%s"}) == "Initialise envstore workspace\nfirst\n");
    CHECK(git_output(root, {"ls-tree", "-r", "--name-only", "HEAD"}) ==
          ".gitattributes\nREADME\nenvstore.yaml\n");
    // What the user had staged stays staged and out of envstore's commit.
    CHECK(git_output(root, {"diff", "--cached", "--name-only"}) == "staged.txt\n");
    CHECK(read_file(root / ".gitattributes") ==
          std::string("*.png binary\n") + k_gitattributes_text);
    CHECK(git_output(root, {"show", "HEAD:.gitattributes"}) == read_file(root / ".gitattributes"));
    CHECK(envstore::test::git(root, {"fsck", "--strict"}).exit_code == 0);
}

TEST_CASE("Workspace::init without a Git identity writes nothing", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    fs::create_directories(temp / "empty-home");
    fs::path root = temp / "ws";

    SECTION("no identity anywhere")
    {
        NoIdentity no_identity(temp / "empty-home");
        auto error = error_from([&] { Workspace::init(root); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->message() == "no Git identity is configured");
        CHECK(error->hint() == "run: git config --global user.name \"Your Name\" && "
                               "git config --global user.email you@example.org");
        CHECK_FALSE(fs::exists(root));
    }
    SECTION("GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL are enough")
    {
        NoIdentity no_identity(temp / "empty-home");
        setenv("GIT_AUTHOR_NAME", "Env Author", 1);
        setenv("GIT_AUTHOR_EMAIL", "env@example.org", 1);
        Workspace::init(root);
        CHECK(git_output(root, {"log", "--format=%an <%ae>"}) == "Env Author <env@example.org>\n");
    }
}

TEST_CASE("Workspace::discover finds the workspace from a subfolder", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    Workspace::init(temp / "ws");
    fs::create_directories(temp / "ws/environments/train/files");

    for (fs::path start :
         {temp / "ws", temp / "ws/environments", temp / "ws/environments/train/files"}) {
        INFO(start.string());
        Workspace workspace = Workspace::discover(start);
        CHECK(workspace.root() == temp / "ws");
        CHECK(fs::equivalent(workspace.git_dir(), temp / "ws/.git"));
    }
}

TEST_CASE("Workspace::discover refuses what is not a usable workspace", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;

    SECTION("outside any repository")
    {
        fs::create_directories(temp / "plain");
        auto error = error_from([&] { Workspace::discover(temp / "plain"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "not an envstore workspace (or any parent folder): \"" +
                                      (temp / "plain").string() + "\"");
        CHECK(error->hint() == "run envstore init to create one, or envstore -C DIR to name one");
    }
    SECTION("a Git repository without envstore.yaml")
    {
        git_output(temp.path(), {"init", "-q", "repo"});
        auto error = error_from([&] { Workspace::discover(temp / "repo"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "\"" + (temp / "repo").string() +
                                      "\" is a Git repository but not an envstore workspace: it "
                                      "has no envstore.yaml");
        CHECK(error->hint() == "run envstore init in it to make it one");
    }
    SECTION("a shallow clone")
    {
        Workspace::init(temp / "ws");
        git_output(temp / "ws", {"commit", "-q", "--allow-empty", "-m", "second"});
        git_output(temp.path(),
                   {"clone", "-q", "--depth", "1", "file://" + (temp / "ws").string(), "clone"});
        auto error = error_from([&] { Workspace::discover(temp / "clone"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::repository);
        CHECK(error->message() ==
              "the repository is a shallow clone: its history and version tags are incomplete");
        CHECK(error->hint() == "run: git fetch --unshallow --tags (in CI, check out with full "
                               "depth, e.g. fetch-depth: 0)");
    }
    SECTION("a bare repository")
    {
        git_output(temp.path(), {"init", "-q", "--bare", "bare.git"});
        auto error = error_from([&] { Workspace::discover(temp / "bare.git"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::repository);
        CHECK(error->message() == "the repository is bare: a workspace needs a working tree");
        CHECK(error->hint() == "clone it with git clone and work in the clone");
    }
    SECTION("a partial clone, which libgit2 1.5 would read as if complete")
    {
        Workspace::init(temp / "ws");
        git_output(temp / "ws", {"config", "remote.origin.promisor", "true"});
        auto error = error_from([&] { Workspace::discover(temp / "ws"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::repository);
        CHECK(error->message() == "the repository uses Git features envstore cannot handle: "
                                  "remote.origin.promisor=true");
        CHECK(error->hint() == "envstore uses libgit2 1.5, which supports none of reftable, "
                               "worktreeConfig, partial clones or SHA-256 repositories; use a "
                               "full clone without these extensions");
    }
    SECTION("an extension libgit2 refuses")
    {
        Workspace::init(temp / "ws");
        git_output(temp / "ws", {"config", "core.repositoryformatversion", "1"});
        git_output(temp / "ws", {"config", "extensions.worktreeConfig", "true"});
        auto error = error_from([&] { Workspace::discover(temp / "ws"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::repository);
        CHECK(error->message() == "cannot open the repository at \"" +
                                      (temp / "ws/.git/").string() +
                                      "\": unsupported extension name extensions.worktreeconfig");
        CHECK(error->hint() ==
              "envstore uses libgit2 1.5: use a repository without this extension");
    }
    SECTION("a workspace format newer than this release")
    {
        Workspace::init(temp / "ws");
        write_file(temp / "ws/envstore.yaml", "format: 2\nmin_envstore: 9.0.0\n");
        auto error = error_from([&] { Workspace::discover(temp / "ws"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::repository);
        CHECK(error->message() == "the workspace has format 2, newer than this envstore reads (1)");
        CHECK(error->hint() ==
              "upgrade envstore to the release named by min_envstore in envstore.yaml");
    }
}

TEST_CASE("working_tree_names lists folders with a definition, sorted", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    Workspace workspace = Workspace::init(temp / "ws");
    CHECK(workspace.working_tree_names().empty());

    for (const char* name : {"train", "base", "serve-gpu"}) {
        write_file(temp / "ws/environments" / name / "environment.yaml", "name: x\n");
    }
    write_file(temp / "ws/environments/notes/README.md", "no definition here\n");
    fs::create_directories(temp / "ws/environments/empty");
    fs::create_directories(temp / "ws/environments/odd/environment.yaml");
    write_file(temp / "ws/environments/environment.yaml", "name: stray\n");

    CHECK(workspace.working_tree_names() == std::vector<std::string>{"base", "serve-gpu", "train"});
}

TEST_CASE("read_working_tree_definition names what exists when NAME does not", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    Workspace workspace = Workspace::init(temp / "ws");
    write_file(temp / "ws/environments/train/environment.yaml", "name: train\r\n");
    write_file(temp / "ws/environments/serve/environment.yaml", "name: serve\n");

    CHECK(workspace.read_working_tree_definition("train") == "name: train\r\n");

    SECTION("a close name is suggested")
    {
        auto error = error_from([&] { workspace.read_working_tree_definition("trian"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "no environment \"trian\" in the working tree (no "
                                  "environments/trian/environment.yaml)");
        CHECK(error->hint() == "did you mean \"train\"?");
    }
    SECTION("otherwise every environment is listed")
    {
        auto error = error_from([&] { workspace.read_working_tree_folder("inference"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->hint() == "environments in the working tree: serve, train");
    }
    SECTION("a name that could escape environments/ is refused before any file is read")
    {
        auto error = error_from([&] { workspace.read_working_tree_definition("../ws"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->message() == "invalid environment name \"../ws\": \"/\" is not allowed (use "
                                  "lowercase letters, digits, \".\", \"_\" and \"-\")");
    }
}

TEST_CASE("read_working_tree_folder reads regular files and leaves ignored ones out",
          "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    Workspace workspace = Workspace::init(temp / "ws");
    fs::path folder = temp / "ws/environments/train";
    write_file(folder / "environment.yaml", "name: train\n");
    write_file(folder / "requirements/base.txt", "numpy\n");
    write_file(folder / "requirements/deep/extra.txt", "scipy\r\n");
    write_file(folder / ".gitignore", "*.pyc\nbuild/\n");
    write_file(folder / "cache.pyc", "\x01\x02");
    write_file(folder / "build/out.txt", "built\n");
    write_file(temp / "ws/.gitignore", "*.log\n");
    write_file(folder / "debug.log", "log\n");
    fs::create_directories(folder / "empty");

    envstore::FolderFiles files = workspace.read_working_tree_folder("train");
    CHECK(files == envstore::FolderFiles{{".gitignore", "*.pyc\nbuild/\n"},
                                         {"environment.yaml", "name: train\n"},
                                         {"requirements/base.txt", "numpy\n"},
                                         {"requirements/deep/extra.txt", "scipy\r\n"}});

    SECTION("a symbolic link is refused")
    {
        fs::create_symlink("requirements/base.txt", folder / "link.txt");
        auto error = error_from([&] { workspace.read_working_tree_folder("train"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->message() == "\"environments/train/link.txt\" is a symbolic link: environment "
                                  "folders may hold only regular files and folders");
    }
    SECTION("a symbolic link to a folder is refused, not followed")
    {
        fs::create_directory_symlink(temp.path(), folder / "requirements/outside");
        auto error = error_from([&] { workspace.read_working_tree_folder("train"); });
        REQUIRE(error);
        CHECK(error->message() ==
              "\"environments/train/requirements/outside\" is a symbolic link: environment "
              "folders may hold only regular files and folders");
    }
    SECTION("an ignored symbolic link is left out like any ignored file")
    {
        fs::create_symlink("/etc/passwd", folder / "secret.log");
        CHECK(workspace.read_working_tree_folder("train") == files);
    }
}

TEST_CASE("create_definition writes a valid template", "[unit][workspace]")
{
    envstore::test::apply_test_environment();
    TempDir temp;
    Workspace workspace = Workspace::init(temp / "ws");

    SECTION("the python template")
    {
        std::string path = envstore::create_definition(workspace, "train", {});
        CHECK(path == "environments/train/environment.yaml");
        CHECK(read_file(temp / "ws" / path) == "name: train\n"
                                               "description: \"\"\n"
                                               "runtime: python\n"
                                               "platforms: [linux-64]\n"
                                               "python:\n"
                                               "  version: \"3.11\"\n"
                                               "  channels: [conda-forge]\n"
                                               "  conda: []\n"
                                               "  pip: []\n");
        CHECK(workspace.working_tree_names() == std::vector<std::string>{"train"});
    }
    SECTION("options shape the template, which always validates")
    {
        envstore::create_definition(workspace, "serve", {"base@v2", "docker", "3.12"});
        std::string text = read_file(temp / "ws/environments/serve/environment.yaml");
        CHECK(text == "name: serve\n"
                      "description: \"\"\n"
                      "extends: base@v2\n"
                      "runtime: docker\n"
                      "platforms: [linux-64]\n"
                      "docker:\n"
                      "  base_image: ubuntu:22.04\n");
        envstore::Definition definition =
            envstore::load_definition(text, "environments/serve/environment.yaml", "serve");
        CHECK(definition.extends == "base@v2");

        envstore::create_definition(workspace, "etl", {"", "spark", "3.10"});
        text = read_file(temp / "ws/environments/etl/environment.yaml");
        CHECK_THAT(text, Catch::Contains("  version: \"3.10\"\n"));
        CHECK_THAT(text, Catch::EndsWith("spark:\n  packages: []\n"));
    }
    SECTION("an existing definition is kept")
    {
        write_file(temp / "ws/environments/train/environment.yaml", "name: train # mine\n");
        auto error = error_from([&] { envstore::create_definition(workspace, "train", {}); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->message() == "\"environments/train/environment.yaml\" already exists");
        CHECK(error->hint() == "edit it, or choose another name");
        CHECK(read_file(temp / "ws/environments/train/environment.yaml") == "name: train # mine\n");
    }
    SECTION("a bad name writes nothing")
    {
        auto error = error_from([&] { envstore::create_definition(workspace, "Train", {}); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->message() == "invalid environment name \"Train\": \"T\" is not allowed (use "
                                  "lowercase letters, digits, \".\", \"_\" and \"-\")");
        CHECK(fs::is_empty(temp / "ws/environments"));
    }
    SECTION("an invalid template (a bad python version) writes nothing")
    {
        auto error = error_from([&] {
            envstore::create_definition(workspace, "bad", {"", "python", "three"});
        });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK_FALSE(fs::exists(temp / "ws/environments/bad"));
    }
}
