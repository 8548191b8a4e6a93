// Finding the workspace as git finds a repository, and refusing repositories
// envstore (through libgit2 1.5) cannot use safely: exit 8 naming why.
//
// What libgit2 1.5 does by itself: it knows only the `noop` extension. With
// core.repositoryformatversion=1 it refuses to open a repository using any
// other ("unsupported extension name extensions.x"); with version 0 it opens
// it and ignores the extension, so envstore reads the configuration itself.
// Shallow and bare repositories open fine and are refused by envstore.

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

const std::string k_extension_hint =
    "hint: envstore uses libgit2 1.5, which supports none of reftable, worktreeConfig, partial "
    "clones or SHA-256 repositories; use a full clone without these extensions\n";

const std::string k_open_hint =
    "hint: envstore uses libgit2 1.5: use a repository without this extension\n";

RunResult envstore_in(const fs::path& cwd, const std::vector<std::string>& args)
{
    return envstore::test::envstore(cwd, args);
}

void git_ok(const fs::path& cwd, const std::vector<std::string>& args)
{
    RunResult result = git(cwd, args);
    INFO("git " << fmt::format("{}", fmt::join(args, " ")) << ": " << result.err);
    REQUIRE(result.exit_code == 0);
}

// A workspace with two commits (init, then one definition), cloned to `dir`
// with `clone_args` added to git clone.
fs::path clone_of(const TestWorkspace& ws,
                  const std::string& dir,
                  const std::vector<std::string>& clone_args)
{
    ws.write_minimal("train");
    REQUIRE(ws.envstore({"commit"}).exit_code == 0);
    std::vector<std::string> args{"clone", "-q"};
    args.insert(args.end(), clone_args.begin(), clone_args.end());
    args.push_back("file://" + ws.root().string());
    args.push_back(dir);
    git_ok(ws.temp().path(), args);
    return ws.temp() / dir;
}

// A plain full clone of the workspace, which envstore accepts.
fs::path usable_clone(const TestWorkspace& ws, const std::string& dir)
{
    fs::path clone = clone_of(ws, dir, {});
    RunResult status = envstore_in(clone, {"status"});
    INFO(status.err);
    REQUIRE(status.exit_code == 0);
    return clone;
}

void check_refused(const fs::path& dir, const std::string& err)
{
    for (const std::string command : {"status", "validate", "commit"}) {
        INFO("envstore " << command);
        RunResult result = envstore_in(dir, {command});
        CHECK(result.exit_code == 8);
        CHECK(result.out.empty());
        CHECK(result.err == err);
    }
}

std::string git_dir_of(const fs::path& root)
{
    return (fs::canonical(root) / ".git/").string();
}

} // namespace

TEST_CASE("commands find the workspace from a subfolder, as git does", "[cli][repository]")
{
    TestWorkspace ws;
    ws.write_minimal("train");
    fs::path sub = ws.root() / "environments/train";
    std::string expected = "new        train (uncommitted)\n";

    CHECK(envstore_in(sub, {"status"}).out == expected);
    CHECK(envstore_in(ws.temp().path(), {"-C", "ws/environments/train", "status"}).out == expected);
    RunResult commit = envstore_in(sub, {"commit"});
    INFO(commit.err);
    CHECK(commit.exit_code == 0);
    CHECK(ws.git({"ls-tree", "-r", "--name-only", "HEAD", "environments"}).out ==
          "environments/train/environment.yaml\n");
}

TEST_CASE("outside any repository commands fail with exit 4", "[cli][repository]")
{
    TempDir temp;
    fs::path start = fs::canonical(temp.path());
    std::string message =
        fmt::format("not an envstore workspace (or any parent folder): \"{}\"", start.string());
    std::string hint = "run envstore init to create one, or envstore -C DIR to name one";

    for (const std::string command : {"status", "validate", "commit", "create"}) {
        INFO("envstore " << command);
        std::vector<std::string> args{command};
        if (command == "create") {
            args.push_back("train");
        }
        RunResult result = envstore_in(start, args);
        CHECK(result.exit_code == 4);
        CHECK(result.out.empty());
        CHECK(result.err == fmt::format("envstore: error: {}\nhint: {}\n", message, hint));
    }
    CHECK(fs::is_empty(start));

    RunResult json = envstore_in(start, {"--json", "status"});
    Json expected = {
        {"format", 1},
        {"error", {{"code", "not_found"}, {"exit_code", 4}, {"message", message}, {"hint", hint}}}};
    CHECK(json.out == expected.dump(2) + "\n");
}

TEST_CASE("a Git repository without envstore.yaml is not a workspace", "[cli][repository]")
{
    TempDir temp;
    fs::path root = fs::canonical(temp.path()) / "plain";
    git_ok(temp.path(), {"init", "-q", "plain"});
    fs::create_directories(root / "sub");

    for (const fs::path& cwd : {root, root / "sub"}) {
        RunResult result = envstore_in(cwd, {"status"});
        CHECK(result.exit_code == 4);
        CHECK(result.err == fmt::format("envstore: error: \"{}\" is a Git repository but not an "
                                        "envstore workspace: it has no envstore.yaml\n"
                                        "hint: run envstore init in it to make it one\n",
                                        root.string()));
    }
}

TEST_CASE("a shallow clone is refused", "[cli][repository]")
{
    TestWorkspace ws;
    usable_clone(ws, "full");
    fs::path clone = clone_of(ws, "shallow", {"--depth", "1"});
    REQUIRE(git(clone, {"rev-parse", "--is-shallow-repository"}).out == "true\n");
    std::string head = git(clone, {"rev-parse", "HEAD"}).out;

    check_refused(clone,
                  "envstore: error: the repository is a shallow clone: its history and version "
                  "tags are incomplete\n"
                  "hint: run: git fetch --unshallow --tags (in CI, check out with full depth, "
                  "e.g. fetch-depth: 0)\n");
    CHECK(git(clone, {"rev-parse", "HEAD"}).out == head);

    SECTION("after git fetch --unshallow it is accepted")
    {
        git_ok(clone, {"fetch", "-q", "--unshallow", "--tags"});
        CHECK(envstore_in(clone, {"status"}).exit_code == 0);
    }
}

TEST_CASE("a repository with extensions.worktreeConfig is refused", "[cli][repository]")
{
    TestWorkspace ws;
    fs::path clone = usable_clone(ws, "clone");
    git_ok(clone, {"config", "extensions.worktreeConfig", "true"});

    SECTION("format version 0: envstore finds it in the configuration")
    {
        check_refused(clone,
                      "envstore: error: the repository uses Git features envstore cannot handle: "
                      "extensions.worktreeconfig=true\n" +
                          k_extension_hint);
    }
    SECTION("format version 1: libgit2 refuses to open it")
    {
        git_ok(clone, {"config", "core.repositoryformatversion", "1"});
        check_refused(clone,
                      fmt::format("envstore: error: cannot open the repository at \"{}\": "
                                  "unsupported extension name extensions.worktreeconfig\n",
                                  git_dir_of(clone)) +
                          k_open_hint);
    }
}

TEST_CASE("a partial clone or a promisor remote is refused", "[cli][repository]")
{
    TestWorkspace ws;

    SECTION("git clone --filter=blob:none")
    {
        git_ok(ws.root(), {"config", "uploadpack.allowFilter", "true"});
        fs::path clone = clone_of(ws, "partial", {"--filter=blob:none"});
        REQUIRE(git(clone, {"config", "remote.origin.promisor"}).out == "true\n");
        check_refused(clone,
                      "envstore: error: the repository uses Git features envstore cannot handle: "
                      "remote.origin.promisor=true\n" +
                          k_extension_hint);
    }
    SECTION("extensions.partialClone, format version 0")
    {
        fs::path clone = usable_clone(ws, "clone");
        git_ok(clone, {"config", "extensions.partialClone", "origin"});
        check_refused(clone,
                      "envstore: error: the repository uses Git features envstore cannot handle: "
                      "extensions.partialclone=origin\n" +
                          k_extension_hint);
    }
    SECTION("extensions.partialClone, format version 1")
    {
        fs::path clone = usable_clone(ws, "clone");
        git_ok(clone, {"config", "core.repositoryformatversion", "1"});
        git_ok(clone, {"config", "extensions.partialClone", "origin"});
        check_refused(clone,
                      fmt::format("envstore: error: cannot open the repository at \"{}\": "
                                  "unsupported extension name extensions.partialclone\n",
                                  git_dir_of(clone)) +
                          k_open_hint);
    }
    SECTION("a promisor remote set to false is fine")
    {
        fs::path clone = usable_clone(ws, "clone");
        git_ok(clone, {"config", "remote.origin.promisor", "false"});
        CHECK(envstore_in(clone, {"status"}).exit_code == 0);
    }
}

TEST_CASE("a SHA-256 repository is refused", "[cli][repository]")
{
    TempDir temp;
    fs::path root = fs::canonical(temp.path()) / "sha";
    git_ok(temp.path(), {"init", "-q", "--object-format=sha256", "sha"});
    REQUIRE(git(root, {"rev-parse", "--show-object-format"}).out == "sha256\n");
    std::string why = fmt::format("cannot open the repository at \"{}\": unsupported extension "
                                  "name extensions.objectformat",
                                  git_dir_of(root));

    check_refused(root, "envstore: error: " + why + "\n" + k_open_hint);

    SECTION("init refuses it too, and writes nothing")
    {
        RunResult init = envstore_in(root, {"init"});
        CHECK(init.exit_code == 8);
        CHECK(init.err == fmt::format("envstore: error: cannot create a repository in \"{}\": "
                                      "unsupported extension name extensions.objectformat\n",
                                      root.string()) +
                              k_open_hint);
        CHECK_FALSE(fs::exists(root / "envstore.yaml"));
    }
}

TEST_CASE("a repository with extensions.refStorage=reftable is refused", "[cli][repository]")
{
    TestWorkspace ws;
    fs::path clone = usable_clone(ws, "clone");
    git_ok(clone, {"config", "core.repositoryformatversion", "1"});
    git_ok(clone, {"config", "extensions.refStorage", "reftable"});

    check_refused(clone,
                  fmt::format("envstore: error: cannot open the repository at \"{}\": "
                              "unsupported extension name extensions.refstorage\n",
                              git_dir_of(clone)) +
                      k_open_hint);
}

TEST_CASE("a bare repository is refused", "[cli][repository]")
{
    TestWorkspace ws;
    fs::path bare = clone_of(ws, "bare.git", {"--bare"});
    std::string err = "envstore: error: the repository is bare: a workspace needs a working tree\n"
                      "hint: clone it with git clone and work in the clone\n";

    check_refused(bare, err);
    RunResult with_c = envstore_in(ws.temp().path(), {"-C", "bare.git", "status"});
    CHECK(with_c.exit_code == 8);
    CHECK(with_c.err == err);
}

TEST_CASE("a workspace of a newer format is refused", "[cli][repository]")
{
    TestWorkspace ws;
    std::string settings = ws.read("envstore.yaml");
    auto at = settings.find("\nformat: 1\n");
    REQUIRE(at != std::string::npos);
    settings.replace(at, 11, "\nformat: 2\n");
    write_file(ws.root() / "envstore.yaml", settings);
    ws.write_minimal("train");

    check_refused(ws.root(),
                  "envstore: error: the workspace has format 2, newer than this envstore reads "
                  "(1)\n"
                  "hint: upgrade envstore to the release named by min_envstore in envstore.yaml\n");
    CHECK(ws.git({"rev-list", "--count", "HEAD"}).out == "1\n");
}
