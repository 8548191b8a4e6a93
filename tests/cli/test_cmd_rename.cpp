// envstore rename OLD NEW: moves the folder, rewrites only the value of
// `name:`, commits, registers NEW@v1 with OLD as its origin and archives OLD
// with a pointer to NEW. OLD's versions stay readable.

#include "support/git_judge.hpp"
#include "support/line_ends.hpp"
#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

// A definition of beta with comments, odd spacing and a nested `name` key
// before the top-level one; `name_line` is the top-level `name:` line.
std::string commented_definition(std::string_view name_line)
{
    return fmt::format("# Team beta: training jobs.\n"
                       "metadata: {{name: beta, team: ml}}\n"
                       "{}\n"
                       "description: beta things   # shown by list\n"
                       "runtime: python\n"
                       "platforms: [linux-64]\n"
                       "\n"
                       "python:\n"
                       "  version:   \"3.11\"   # pinned\n"
                       "  channels: [conda-forge]\n"
                       "  conda: [\"numpy>=1.26\"]\n",
                       name_line);
}

// Everything that must not change when a rename is refused.
struct WorkspaceState
{
    std::string head;
    std::string tags;
    std::string folder;
};

WorkspaceState state_of(const TestWorkspace& workspace)
{
    return {git_text(workspace, {"rev-parse", "HEAD"}),
            git_text(workspace, {"tag", "-l"}),
            workspace.read("environments/beta/environment.yaml")};
}

void check_unchanged(const TestWorkspace& workspace, const WorkspaceState& before)
{
    WorkspaceState after = state_of(workspace);
    CHECK(after.head == before.head);
    CHECK(after.tags == before.tags);
    CHECK(after.folder == before.folder);
    CHECK(git_text(workspace, {"status", "--porcelain"}).empty());
}

} // namespace

TEST_CASE("rename changes only the value of name, keeping every other byte", "[cli][rename]")
{
    auto [original_line, renamed_line] = GENERATE(table<std::string, std::string>({
        {"name: \"beta\"   # the folder's name", "name: \"gamma\"   # the folder's name"},
        {"name: 'beta'", "name: 'gamma'"},
        {"name:    beta  # plain", "name:    gamma  # plain"},
        {"name: beta", "name: gamma"},
    }));
    // The repository stores definitions with LF (init's .gitattributes); the
    // working tree keeps the line ends it had.
    bool crlf = GENERATE(false, true);
    INFO(original_line << (crlf ? " (CRLF)" : " (LF)"));
    std::string stored_original = commented_definition(original_line);
    std::string stored_expected = commented_definition(renamed_line);
    std::string original = crlf ? with_crlf(stored_original) : stored_original;
    std::string expected = crlf ? with_crlf(stored_expected) : stored_expected;
    TestWorkspace workspace;
    workspace.write_definition("beta", original);
    run_ok(workspace, {"register", "beta"});

    RunResult result = workspace.envstore({"rename", "beta", "gamma"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "Renamed beta to gamma: registered gamma@v1; beta is archived\n");
    CHECK(workspace.read("environments/gamma/environment.yaml") == expected);
    CHECK(workspace.git({"show", "gamma@v1:environments/gamma/environment.yaml"}).out ==
          stored_expected);
    CHECK(workspace.envstore({"show", "gamma@v1"}).out == stored_expected);
    CHECK(workspace.envstore({"show", "beta@v1"}).out == stored_original);
    CHECK(git_text(workspace, {"status", "--porcelain"}).empty());
}

TEST_CASE("rename moves the folder, commits, registers NEW@v1 and archives OLD", "[cli][rename]")
{
    TestWorkspace workspace;
    std::string original = commented_definition("name: \"beta\"  # quoted");
    workspace.write_definition("beta", minimal_definition("beta"));
    run_ok(workspace, {"register", "beta"});
    workspace.write_definition("beta", original);
    envstore::test::write_file(workspace.root() / "environments/beta/notes.txt", "kept as is\n");
    run_ok(workspace, {"register", "beta"});
    std::string v1 = workspace.envstore({"show", "beta@v1"}).out;
    std::string parent = git_text(workspace, {"rev-parse", "HEAD"});

    RunResult result = workspace.envstore({"rename", "beta", "gamma"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "Renamed beta to gamma: registered gamma@v1; beta is archived\n");

    // The working tree and the commit, judged by git.
    CHECK_FALSE(std::filesystem::exists(workspace.root() / "environments/beta"));
    CHECK(workspace.read("environments/gamma/notes.txt") == "kept as is\n");
    CHECK(git_text(workspace, {"log", "-1", "--format=%s"}) == "Rename beta to gamma");
    CHECK(git_text(workspace, {"rev-parse", "HEAD^"}) == parent);
    CHECK(git_text(workspace, {"ls-tree", "-r", "--name-only", "HEAD", "environments"}) ==
          "environments/gamma/environment.yaml\nenvironments/gamma/notes.txt");
    CHECK(git_text(workspace, {"show", "--format=", "--name-status", "--no-renames", "HEAD"}) ==
          "D\tenvironments/beta/environment.yaml\n"
          "D\tenvironments/beta/notes.txt\n"
          "A\tenvironments/gamma/environment.yaml\n"
          "A\tenvironments/gamma/notes.txt");
    CHECK(git_text(workspace, {"rev-parse", "gamma@v1^{commit}"}) ==
          git_text(workspace, {"rev-parse", "HEAD"}));
    CHECK(git_text(workspace, {"status", "--porcelain"}).empty());
    CHECK(workspace.git({"fsck", "--strict"}).exit_code == 0);

    // NEW@v1 records where it came from; log says so.
    CHECK(git_text(workspace, {"cat-file", "-p", "gamma@v1"})
              .ends_with("\nEnvstore-Origin: beta@v2"));
    RunResult log = workspace.envstore({"log", "gamma"});
    CHECK(log.exit_code == 0);
    CHECK(log.out.ends_with("\n    Rename beta to gamma (renamed from beta@v2)\n"));
    RunResult log_json = workspace.envstore({"--json", "log", "gamma"});
    CHECK(Json::parse(log_json.out)["versions"][0]["origin"] == "beta@v2");

    // OLD is archived with a pointer to NEW, and its versions stay readable.
    CHECK(git_text(workspace, {"tag", "-l", "beta#*"}) == "beta#archive#1");
    CHECK(git_text(workspace, {"cat-file", "-p", "beta#archive#1"})
              .ends_with("\n\nArchive beta: renamed to gamma\n\n"
                         "Envstore-Environment: beta\n"
                         "Envstore-Action: archive\n"
                         "Envstore-Renamed-To: gamma\n"
                         "Envstore-Sequence: 1"));
    RunResult list = workspace.envstore({"list", "--all"});
    CHECK(list.out == "NAME   LATEST   LABELS                DESCRIPTION\n"
                      "beta   v2       -                     [renamed to gamma] beta things\n"
                      "gamma  v1       -                     beta things\n");
    CHECK(workspace.envstore({"show", "beta@v1"}).out == v1);
    CHECK(workspace.envstore({"show", "beta@v2"}).out == original);
    CHECK(workspace.envstore({"show", "beta@latest"}).out == original);
}

TEST_CASE("rename prints JSON", "[cli][rename]")
{
    TestWorkspace workspace;
    workspace.write_minimal("beta");
    run_ok(workspace, {"register", "beta"});

    RunResult result = workspace.envstore({"--json", "rename", "beta", "gamma"});
    CHECK(result.exit_code == 0);
    Json document = Json::parse(result.out);
    Json expected = {{"format", 1},
                     {"from", "beta"},
                     {"version",
                      {{"name", "gamma"},
                       {"version", 1},
                       {"tag", "gamma@v1"},
                       {"created", true},
                       {"commit", git_text(workspace, {"rev-parse", "HEAD"})},
                       {"digest", document["version"]["digest"]},
                       {"resolved_digest", nullptr}}}};
    CHECK(document == expected);
    // Renaming changes no build setting: the digest is OLD's.
    CHECK(document["version"]["digest"] ==
          Json::parse(workspace.envstore({"--json", "log", "beta"}).out)["versions"][0]["digest"]);
}

TEST_CASE("rename of an environment without versions records the bare name as origin",
          "[cli][rename]")
{
    TestWorkspace workspace;
    workspace.write_minimal("beta");

    RunResult result = workspace.envstore({"rename", "beta", "gamma"});
    CHECK(result.exit_code == 0);
    CHECK(git_text(workspace, {"cat-file", "-p", "gamma@v1"}).ends_with("\nEnvstore-Origin: beta"));
    CHECK(git_text(workspace, {"ls-tree", "-r", "--name-only", "HEAD", "environments"}) ==
          "environments/gamma/environment.yaml");
    std::string expected = minimal_definition("beta");
    expected.replace(0, std::string("name: beta").size(), "name: gamma");
    CHECK(workspace.read("environments/gamma/environment.yaml") == expected);
    CHECK(git_text(workspace, {"status", "--porcelain"}).empty());

    // Nothing is left of beta to archive: no versions, no folder.
    CHECK(git_text(workspace, {"tag", "-l"}) == "gamma@v1");
    CHECK(workspace.envstore({"list", "--all"}).out ==
          "NAME   LATEST   LABELS                DESCRIPTION\n"
          "gamma  v1       -                     test environment beta\n");
}

TEST_CASE("rename is refused, with nothing written, when NEW exists or is invalid", "[cli][rename]")
{
    TestWorkspace workspace;
    workspace.write_minimal("beta");
    workspace.write_minimal("gamma");
    run_ok(workspace, {"register", "beta", "gamma"});
    workspace.write_minimal("draft");
    run_ok(workspace, {"commit", "draft"});
    WorkspaceState before = state_of(workspace);

    auto [new_name, message] = GENERATE(table<std::string, std::string>({
        {"gamma", "environment \"gamma\" already exists"},
        {"draft", "environment \"draft\" already exists"},
        {"Gamma",
         "invalid environment name \"Gamma\": \"G\" is not allowed (use lowercase "
         "letters, digits, \".\", \"_\" and \"-\")"},
        {"curated", "invalid environment name \"curated\": \"curated\" is reserved"},
        {"x.lock", "invalid environment name \"x.lock\": must not end with \".lock\""},
        {"a@v1",
         "invalid environment name \"a@v1\": \"@\" is not allowed (use lowercase "
         "letters, digits, \".\", \"_\" and \"-\")"},
    }));
    RunResult result = workspace.envstore({"rename", "beta", new_name});
    CHECK(result.exit_code == 3);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: " + message + "\n");
    check_unchanged(workspace, before);
}

TEST_CASE("rename of an archived environment is refused until it is restored", "[cli][rename]")
{
    TestWorkspace workspace;
    workspace.write_minimal("beta");
    run_ok(workspace, {"register", "beta"});
    run_ok(workspace, {"archive", "beta"});
    WorkspaceState before = state_of(workspace);

    RunResult result = workspace.envstore({"rename", "beta", "gamma"});
    CHECK(result.exit_code == 3);
    CHECK(result.err == "envstore: error: \"beta\" is archived\n"
                        "hint: run envstore restore beta first\n");
    check_unchanged(workspace, before);

    run_ok(workspace, {"restore", "beta"});
    CHECK(workspace.envstore({"rename", "beta", "gamma"}).exit_code == 0);
}

TEST_CASE("rename of an environment renamed before is refused: it is archived", "[cli][rename]")
{
    TestWorkspace workspace;
    workspace.write_minimal("beta");
    run_ok(workspace, {"register", "beta"});
    run_ok(workspace, {"rename", "beta", "gamma"});
    std::string tags = git_text(workspace, {"tag", "-l"});

    RunResult again = workspace.envstore({"rename", "beta", "delta"});
    CHECK(again.exit_code == 3);
    CHECK(again.err == "envstore: error: \"beta\" is archived\n"
                       "hint: run envstore restore beta first\n");
    RunResult back = workspace.envstore({"rename", "gamma", "beta"});
    CHECK(back.exit_code == 3);
    CHECK(back.err == "envstore: error: environment \"beta\" already exists\n");
    CHECK(git_text(workspace, {"tag", "-l"}) == tags);
    CHECK_FALSE(std::filesystem::exists(workspace.root() / "environments/delta"));
}

TEST_CASE("rename of an unknown environment is not found", "[cli][rename]")
{
    TestWorkspace workspace;
    workspace.write_minimal("beta");
    run_ok(workspace, {"register", "beta"});
    std::string head = git_text(workspace, {"rev-parse", "HEAD"});

    RunResult result = workspace.envstore({"rename", "betta", "gamma"});
    CHECK(result.exit_code == 4);
    CHECK(result.out.empty());
    CHECK(result.err == "envstore: error: no environment \"betta\" in the working tree "
                        "(no environments/betta/environment.yaml)\n"
                        "hint: did you mean \"beta\"?\n");
    CHECK(git_text(workspace, {"rev-parse", "HEAD"}) == head);
    CHECK(git_text(workspace, {"tag", "-l"}) == "beta@v1");
}
