// envstore init: a new repository with its settings, attributes and first
// commit, judged by the git CLI; refusals leave nothing behind.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace envstore::test;
namespace fs = std::filesystem;

namespace {

const std::string k_no_identity = "envstore: error: no Git identity is configured\n"
                                  "hint: run: git config --global user.name \"Your Name\" && "
                                  "git config --global user.email you@example.org\n";

void check_fsck(const fs::path& dir)
{
    RunResult fsck = git(dir, {"fsck", "--strict"});
    INFO(fsck.out << fsck.err);
    CHECK(fsck.exit_code == 0);
}

RunResult envstore_in(const fs::path& cwd, const std::vector<std::string>& args)
{
    return envstore::test::envstore(cwd, args);
}

// Run options giving a HOME (and XDG folder) without any Git configuration.
RunOptions empty_home(const TempDir& home)
{
    return {
        .cwd = {},
        .env = {{"HOME", home.path().string()}, {"XDG_CONFIG_HOME", (home / ".config").string()}},
        .unset = {},
        .input = {}};
}

// A plain Git repository on branch master with one commit, a staged file and
// an untracked one, as a user's existing project might be.
void make_plain_repository(const fs::path& dir)
{
    REQUIRE(
        git(dir.parent_path(), {"init", "-q", "-b", "master", dir.filename().string()}).exit_code ==
        0);
    write_file(dir / "readme", "hello\n");
    write_file(dir / ".gitattributes", "*.png binary\n");
    REQUIRE(git(dir, {"add", "readme", ".gitattributes"}).exit_code == 0);
    REQUIRE(git(dir, {"commit", "-q", "-m", "first"}).exit_code == 0);
    write_file(dir / "staged.txt", "staged\n");
    REQUIRE(git(dir, {"add", "staged.txt"}).exit_code == 0);
    write_file(dir / "untracked.txt", "untracked\n");
}

} // namespace

TEST_CASE("init creates a repository with settings, attributes and a first commit on main",
          "[cli][init]")
{
    TempDir temp;
    fs::path root = temp / "ws";

    RunResult result = envstore_in(temp.path(), {"init", "ws"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == fmt::format("Initialised envstore workspace in {}\n", root.string()));
    CHECK(result.err.empty());

    std::string settings = read_file(root / "envstore.yaml");
    CHECK_THAT(settings, Catch::Contains("\nformat: 1\n"));
    CHECK_THAT(settings, Catch::Contains("\nmin_envstore: 0.1.0\n"));
    CHECK(fs::is_directory(root / "environments"));

    CHECK(git_text(root, {"symbolic-ref", "HEAD"}) == "refs/heads/main");
    CHECK(git_text(root, {"log", "--format=%s|%an <%ae>"}) ==
          "Initialise envstore workspace|Test Author <author@example.org>");
    CHECK(git_text(root, {"ls-tree", "-r", "--name-only", "HEAD"}) ==
          ".gitattributes\nenvstore.yaml");
    CHECK(git(root, {"show", "HEAD:envstore.yaml"}).out == settings);
    CHECK(git(root, {"status", "--porcelain"}).out.empty());
    check_fsck(root);
}

TEST_CASE("init writes attributes that keep definitions LF on every clone", "[cli][init]")
{
    TestWorkspace ws;
    std::string definition = "environments/train/environment.yaml";

    // git itself is the judge of what the attributes mean.
    CHECK(ws.git({"check-attr", "text", "eol", "--", definition, "envstore.yaml"}).out ==
          definition + ": text: set\n" + definition + ": eol: lf\n" +
              "envstore.yaml: text: set\nenvstore.yaml: eol: lf\n");

    SECTION("a clone with core.autocrlf=true still checks out LF")
    {
        ws.write_minimal("train");
        REQUIRE(ws.envstore({"commit"}).exit_code == 0);
        fs::path clone = ws.temp() / "clone";
        RunResult cloned =
            git(ws.temp().path(),
                {"-c", "core.autocrlf=true", "clone", "-q", ws.root().string(), clone.string()});
        REQUIRE(cloned.exit_code == 0);
        CHECK(read_file(clone / definition) == minimal_definition("train"));
    }
}

TEST_CASE("init takes its folder from DIR, -C or the current folder", "[cli][init]")
{
    TempDir temp;
    fs::path expected;
    RunResult result;

    SECTION("DIR is made with its parents")
    {
        expected = temp / "a/b/ws";
        result = envstore_in(temp.path(), {"init", "a/b/ws"});
    }
    SECTION("-C names the folder")
    {
        expected = temp / "here";
        fs::create_directories(expected);
        result = envstore_in(temp.path(), {"-C", expected.string(), "init"});
    }
    SECTION("-C and DIR combine")
    {
        expected = temp / "base/ws";
        fs::create_directories(temp / "base");
        result = envstore_in(temp.path(), {"-C", "base", "init", "ws"});
    }
    SECTION("no DIR: the current folder")
    {
        expected = temp / "cwd";
        fs::create_directories(expected);
        result = envstore_in(expected, {"init"});
    }

    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == fmt::format("Initialised envstore workspace in {}\n", expected.string()));
    CHECK(fs::is_regular_file(expected / "envstore.yaml"));
    CHECK(git_text(expected, {"rev-parse", "--show-toplevel"}) == expected.string());
    check_fsck(expected);
}

TEST_CASE("init -C with a missing folder fails", "[cli][init]")
{
    TempDir temp;
    RunResult result = envstore_in(temp.path(), {"-C", "missing", "init"});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: cannot change to \"missing\": no such folder\n");
    CHECK_FALSE(fs::exists(temp / "missing"));
}

TEST_CASE("init refuses a folder that is already a workspace", "[cli][init]")
{
    TestWorkspace ws;
    std::string head = git_text(ws.root(), {"rev-parse", "HEAD"});
    std::string message =
        fmt::format("\"{}\" is already an envstore workspace", ws.root().string());

    SECTION("text")
    {
        RunResult result = ws.envstore({"init"});
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == "envstore: error: " + message + "\n");
    }
    SECTION("JSON")
    {
        RunResult result = ws.envstore({"--json", "init"});
        CHECK(result.exit_code == 3);
        CHECK(result.out == fmt::format("{{\n  \"format\": 1,\n  \"error\": {{\n"
                                        "    \"code\": \"invalid_input\",\n"
                                        "    \"exit_code\": 3,\n"
                                        "    \"message\": \"\\\"{}\\\" is already an envstore "
                                        "workspace\"\n  }}\n}}\n",
                                        ws.root().string()));
        CHECK(result.err == "envstore: error: " + message + "\n");
    }

    CHECK(git_text(ws.root(), {"rev-parse", "HEAD"}) == head);
    CHECK(git_text(ws.root(), {"rev-list", "--count", "HEAD"}) == "1");
}

TEST_CASE("init in an existing Git repository keeps its history and staged changes", "[cli][init]")
{
    TempDir temp;
    fs::path root = temp / "project";
    make_plain_repository(root);
    std::string first = git_text(root, {"rev-parse", "HEAD"});

    RunResult result = envstore_in(root, {"init"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);

    CHECK(git_text(root, {"rev-parse", "HEAD^"}) == first);
    CHECK(git_text(root, {"symbolic-ref", "HEAD"}) == "refs/heads/master");
    CHECK(git_text(root, {"log", "--format=%s"}) == "Initialise envstore workspace\nfirst");
    // The staged file is not swept into envstore's commit; it stays staged.
    CHECK(git_text(root, {"ls-tree", "-r", "--name-only", "HEAD"}) ==
          ".gitattributes\nenvstore.yaml\nreadme");
    CHECK(git(root, {"status", "--porcelain"}).out == "A  staged.txt\n?? untracked.txt\n");
    // The project's own attributes are kept, the workspace's added.
    std::string attributes = read_file(root / ".gitattributes");
    CHECK(attributes.starts_with("*.png binary\n"));
    CHECK_THAT(attributes, Catch::Contains("\nenvironments/** text eol=lf\n"));
    CHECK(git_text(root, {"check-attr", "binary", "--", "a.png"}) == "a.png: binary: set");
    check_fsck(root);

    RunResult status = envstore_in(root, {"status"});
    CHECK(status.exit_code == 0);
}

TEST_CASE("init without a Git identity fails and creates nothing", "[cli][init]")
{
    TempDir temp;
    TempDir home;

    SECTION("a new folder is not made")
    {
        RunResult result = envstore_with(temp.path(), {"init", "ws"}, empty_home(home));
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == k_no_identity);
        CHECK_FALSE(fs::exists(temp / "ws"));
    }
    SECTION("an existing folder gets no .git")
    {
        fs::create_directories(temp / "ws");
        RunResult result = envstore_with(temp / "ws", {"init"}, empty_home(home));
        CHECK(result.exit_code == 3);
        CHECK(result.err == k_no_identity);
        CHECK(fs::is_empty(temp / "ws"));
    }
    SECTION("JSON")
    {
        RunResult result = envstore_with(temp.path(), {"--json", "init", "ws"}, empty_home(home));
        CHECK(result.exit_code == 3);
        CHECK(result.out ==
              "{\n  \"format\": 1,\n  \"error\": {\n    \"code\": \"invalid_input\",\n"
              "    \"exit_code\": 3,\n    \"message\": \"no Git identity is configured\",\n"
              "    \"hint\": \"run: git config --global user.name \\\"Your Name\\\" && "
              "git config --global user.email you@example.org\"\n  }\n}\n");
        CHECK_FALSE(fs::exists(temp / "ws"));
    }
}

TEST_CASE("init takes the identity from GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL", "[cli][init]")
{
    TempDir temp;
    TempDir home;
    RunOptions options = empty_home(home);
    options.env["GIT_AUTHOR_NAME"] = "Env Author";
    options.env["GIT_AUTHOR_EMAIL"] = "env@example.org";

    RunResult result = envstore_with(temp.path(), {"init", "ws"}, options);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(git_text(temp / "ws", {"log", "--format=%an <%ae>|%cn <%ce>"}) ==
          "Env Author <env@example.org>|Env Author <env@example.org>");
}

TEST_CASE("init --json prints the workspace", "[cli][init]")
{
    TempDir temp;
    RunResult result = envstore_in(temp.path(), {"--json", "init", "ws"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == fmt::format("{{\n  \"format\": 1,\n  \"workspace\": \"{}\"\n}}\n",
                                    (temp / "ws").string()));
    CHECK(result.err.empty());
}
