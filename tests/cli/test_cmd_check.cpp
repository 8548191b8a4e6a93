// envstore check: validation, policy and "behind its latest version" over the
// whole working tree, in text, JSON and GitHub annotations, with exit codes.

#include "cli/policy_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

// Three definitions: serve is clean, bad is invalid, train breaks the policy
// (pycrypto on line 8, column 7).
void write_findings(const TestWorkspace& ws)
{
    set_policy(ws, "policy:\n  channels: [conda-forge]\n  forbidden_packages: [pycrypto]\n");
    ws.write_minimal("serve");
    ws.write_definition("bad", "name: bad\nruntime: pyhton\n");
    ws.write_definition("train", with_pycrypto("train"));
}

// train@v2 registered on main, after the branch `other` was made at train@v1;
// HEAD is `other`.
void make_behind(const TestWorkspace& ws)
{
    register_version(ws, "train", 1);
    git_text(ws, {"branch", "other"});
    register_version(ws, "train", 2);
    git_text(ws, {"switch", "-q", "other"});
}

const std::string k_behind_message = "train: the working tree is behind train@v2 (registered on "
                                     "a branch this one does not contain)";
const std::string k_behind_hint = "merge the branch that holds train@v2 first (git branch -a "
                                  "--contains train@v2 names it), then change the definition "
                                  "from there";

} // namespace

TEST_CASE("check passes a clean workspace with exit 0", "[cli][check]")
{
    TestWorkspace ws;
    SECTION("no definitions")
    {
        RunResult result = ws.envstore({"check"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "checked 0 definitions: no findings\n");
    }
    SECTION("registered and new definitions, within the policy")
    {
        set_policy(ws, "policy:\n  channels: [conda-forge]\n");
        register_version(ws, "train", 1);
        ws.write_minimal("serve");
        RunResult result = ws.envstore({"check"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "checked 2 definitions: no findings\n");
        CHECK(result.err.empty());
    }
}

TEST_CASE("check reports invalid definitions and policy violations", "[cli][check]")
{
    TestWorkspace ws;
    write_findings(ws);

    SECTION("text")
    {
        RunResult result = ws.envstore({"check"});
        CHECK(result.exit_code == 1);
        CHECK(result.out ==
              "environments/bad/environment.yaml:2:10: unknown runtime \"pyhton\" "
              "[invalid-runtime]\n"
              "    runtime: pyhton\n"
              "             ^\n"
              "hint: did you mean \"python\"?\n"
              "environments/train/environment.yaml:8:7: conda package \"pycrypto\" is forbidden "
              "by the policy [policy-forbidden-package]\n"
              "        - pycrypto\n"
              "          ^\n"
              "hint: remove it: policy.forbidden_packages in envstore.yaml forbids it\n"
              "checked 3 definitions: 2 findings\n");
        CHECK(result.err.empty());
    }
    SECTION("JSON, by --json or --format json")
    {
        for (const auto& args : {std::vector<std::string>{"--json", "check"},
                                 std::vector<std::string>{"check", "--format", "json"}}) {
            RunResult result = ws.envstore(args);
            CHECK(result.exit_code == 1);
            Json expected = {
                {"format", 1},
                {"clean", false},
                {"environments", {"bad", "serve", "train"}},
                {"findings",
                 {{{"environment", "bad"},
                   {"rule", "invalid-runtime"},
                   {"message", "unknown runtime \"pyhton\""},
                   {"file", "environments/bad/environment.yaml"},
                   {"line", 2},
                   {"column", 10},
                   {"hint", "did you mean \"python\"?"}},
                  {{"environment", "train"},
                   {"rule", "policy-forbidden-package"},
                   {"message", "conda package \"pycrypto\" is forbidden by the policy"},
                   {"file", "environments/train/environment.yaml"},
                   {"line", 8},
                   {"column", 7},
                   {"hint", "remove it: policy.forbidden_packages in envstore.yaml forbids it"}}}}};
            CHECK(Json::parse(result.out) == expected);
        }
    }
    SECTION("GitHub annotations")
    {
        RunResult result = ws.envstore({"check", "--format", "github"});
        CHECK(result.exit_code == 1);
        CHECK(result.out ==
              "::error file=environments/bad/environment.yaml,line=2,col=10,"
              "title=invalid-runtime::unknown runtime \"pyhton\"%0Ahint: did you mean "
              "\"python\"?\n"
              "::error file=environments/train/environment.yaml,line=8,col=7,"
              "title=policy-forbidden-package::conda package \"pycrypto\" is forbidden by the "
              "policy%0Ahint: remove it: policy.forbidden_packages in envstore.yaml forbids it\n"
              "checked 3 definitions: 2 findings\n");
    }
    SECTION("an unknown format is a usage error")
    {
        RunResult result = ws.envstore({"check", "--format", "xml"});
        CHECK(result.exit_code == 2);
    }
}

TEST_CASE("check reports an invalid envstore.yaml and still checks definitions", "[cli][check]")
{
    TestWorkspace ws;
    set_policy(ws, "polcy:\n  channels: [conda-forge]\n");
    ws.write_definition("bad", "name: bad\nruntime: pyhton\n");

    RunResult result = ws.envstore({"check", "--format", "github"});
    CHECK(result.exit_code == 1);
    CHECK(result.out == "::error file=envstore.yaml,line=6,col=1,title=unknown-field::unknown "
                        "field \"polcy\"%0Ahint: did you mean \"policy\"?\n"
                        "::error file=environments/bad/environment.yaml,line=2,col=10,"
                        "title=invalid-runtime::unknown runtime \"pyhton\"%0Ahint: did you mean "
                        "\"python\"?\n"
                        "checked 1 definition: 2 findings\n");
}

TEST_CASE("check locates an inherited violation in the base's file", "[cli][check]")
{
    TestWorkspace ws;
    ws.write_definition("base", with_pycrypto("base"));
    run_ok(ws, {"register", "base"});
    set_policy(ws, "policy:\n  forbidden_packages: [pycrypto]\n");
    ws.write_minimal("train", "extends: base@v1");
    // base is fixed in the working tree; train still extends base@v1.
    ws.write_minimal("base");

    SECTION("text names the definition that inherits the line")
    {
        RunResult result = ws.envstore({"check"});
        CHECK(result.exit_code == 1);
        CHECK(result.out == "base@v1:environments/base/environment.yaml:8:7: train: conda package "
                            "\"pycrypto\" is forbidden by the policy (inherited from base@v1) "
                            "[policy-forbidden-package]\n"
                            "        - pycrypto\n"
                            "          ^\n"
                            "hint: drop it with python.remove: [pycrypto], or remove it from the "
                            "base\n"
                            "checked 2 definitions: 1 finding\n");
    }
    SECTION("GitHub annotations")
    {
        RunResult result = ws.envstore({"check", "--format", "github"});
        CHECK(result.exit_code == 1);
        // The line is base@v1's, not the working tree's: the annotation
        // goes on the file that inherits it, and names the line.
        CHECK(result.out == "::error file=environments/train/environment.yaml,"
                            "title=policy-forbidden-package::base@v1:environments/base/"
                            "environment.yaml:8:7: conda package \"pycrypto\" is "
                            "forbidden by the policy (inherited from base@v1)%0Ahint: drop it "
                            "with python.remove: [pycrypto], or remove it from the base\n"
                            "checked 2 definitions: 1 finding\n");
    }
    SECTION("JSON")
    {
        RunResult result = ws.envstore({"--json", "check"});
        Json finding = Json::parse(result.out)["findings"][0];
        CHECK(finding["environment"] == "train");
        // Named as git names a file of a revision, so git shows that line.
        CHECK(finding["file"] == "base@v1:environments/base/environment.yaml");
        CHECK(finding["line"] == 8);
        std::string shown = git_text(ws, {"show", finding["file"].get<std::string>()});
        std::istringstream lines(shown);
        std::string line;
        for (int number = 1; number <= 8; ++number) {
            std::getline(lines, line);
        }
        CHECK(line == "    - pycrypto");
    }
}

TEST_CASE("check reports a base that does not exist, with or without a policy", "[cli][check]")
{
    TestWorkspace ws;
    ws.write_minimal("train", "extends: nobase@v2");

    RunResult result = ws.envstore({"check"});
    CHECK(result.exit_code == 1);
    CHECK(result.out == "environments/train/environment.yaml:9:10: cannot resolve extends: "
                        "unknown reference \"nobase@v2\" [unresolved-extends]\n"
                        "    extends: nobase@v2\n"
                        "             ^\n"
                        "hint: \"nobase\" has no versions and no labels\n"
                        "checked 1 definition: 1 finding\n");
}

TEST_CASE("check finds a definition behind a version registered on another branch", "[cli][check]")
{
    TestWorkspace ws;
    make_behind(ws);
    REQUIRE(git_text(ws, {"branch", "--show-current"}) == "other");

    SECTION("text")
    {
        RunResult result = ws.envstore({"check"});
        CHECK(result.exit_code == 1);
        CHECK(result.out == k_behind_message + " [behind-latest]\nhint: " + k_behind_hint +
                                "\nchecked 1 definition: 1 finding\n");
    }
    SECTION("JSON")
    {
        RunResult result = ws.envstore({"--json", "check"});
        CHECK(result.exit_code == 1);
        Json finding = {{"environment", "train"},
                        {"rule", "behind-latest"},
                        {"message", k_behind_message},
                        {"hint", k_behind_hint},
                        {"file", "environments/train/environment.yaml"}};
        CHECK(Json::parse(result.out)["findings"] == Json::array({finding}));
    }
    SECTION("GitHub annotations: the file, without a line")
    {
        RunResult result = ws.envstore({"check", "--format", "github"});
        CHECK(result.exit_code == 1);
        CHECK(result.out ==
              "::error file=environments/train/environment.yaml,title=behind-latest::" +
                  k_behind_message + "%0Ahint: " + k_behind_hint +
                  "\nchecked 1 definition: 1 finding\n");
    }
    SECTION("clean once the branch holding the version is merged")
    {
        git_text(ws, {"merge", "-q", "main"});
        RunResult result = ws.envstore({"check"});
        CHECK(result.exit_code == 0);
        CHECK(result.out == "checked 1 definition: no findings\n");
    }
    SECTION("a detached HEAD, as CI checks out, is judged by its commit")
    {
        git_text(ws, {"checkout", "-q", "--detach", "other"});
        CHECK(ws.envstore({"check"}).exit_code == 1);
        git_text(ws, {"checkout", "-q", "--detach", "main"});
        CHECK(ws.envstore({"check"}).exit_code == 0);
    }
    SECTION("the branch that registered it is not behind")
    {
        git_text(ws, {"switch", "-q", "main"});
        CHECK(ws.envstore({"check"}).exit_code == 0);
    }
}
