// The policy of envstore.yaml applied by validate, commit, register and tag:
// a violation exits 3 with its place, and git shows that nothing was written.

#include "cli/policy_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace envstore::test;
using Json = nlohmann::ordered_json;

namespace {

const std::string k_forbid_pycrypto = "policy:\n  forbidden_packages: [pycrypto]\n";

const std::string k_train_error =
    "envstore: error: environments/train/environment.yaml:9:7: conda package \"pycrypto\" is "
    "forbidden by the policy\n"
    "        - pycrypto\n"
    "          ^\n"
    "hint: remove it: policy.forbidden_packages in envstore.yaml forbids it\n";

// What git knows of the repository: HEAD, the tags, the index and working tree.
std::string repository_state(const TestWorkspace& ws)
{
    return git_output(ws.root(), {"rev-parse", "HEAD"}) + git_output(ws.root(), {"tag", "-l"}) +
           git_output(ws.root(), {"status", "--porcelain"});
}

} // namespace

TEST_CASE("validate applies the policy of envstore.yaml", "[cli][policy]")
{
    TestWorkspace ws;
    ws.write_definition("train", with_pycrypto("train", "description: x\n"));
    ws.write_minimal("serve");

    SECTION("no policy: valid")
    {
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 0);
    }
    SECTION("a violation exits 3 and names the rule's place")
    {
        set_policy(ws, k_forbid_pycrypto);
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 3);
        CHECK(result.out == "ok       serve\ninvalid  train (1 error)\n");
        CHECK(result.err == k_train_error);
    }
    SECTION("in JSON, with the rule id")
    {
        set_policy(ws, k_forbid_pycrypto);
        RunResult result = ws.envstore({"--json", "validate", "train"});
        CHECK(result.exit_code == 3);
        Json error = Json::parse(result.out)["definitions"][0]["errors"][0];
        CHECK(error["rule"] == "policy-forbidden-package");
        CHECK(error["line"] == 9);
        CHECK(error["column"] == 7);
    }
    SECTION("an invalid policy is an error of envstore.yaml")
    {
        set_policy(ws, "policy:\n  forbiden_packages: [pycrypto]\n");
        RunResult result = ws.envstore({"validate"});
        CHECK(result.exit_code == 3);
        CHECK(result.out.empty());
        CHECK(result.err == "envstore: error: envstore.yaml:7:3: unknown field "
                            "\"forbiden_packages\" in \"policy\"\n"
                            "      forbiden_packages: [pycrypto]\n"
                            "      ^\n"
                            "hint: did you mean \"forbidden_packages\"?\n");
    }
}

TEST_CASE("commit, register and tag refuse a violation and write nothing", "[cli][policy]")
{
    TestWorkspace ws;
    set_policy(ws, k_forbid_pycrypto);
    ws.write_definition("train", with_pycrypto("train"));
    std::string before = repository_state(ws);
    // With one diagnostic, the error is that diagnostic (docs/exit-codes.md).
    std::string summary = "envstore: error: environments/train/environment.yaml:8:7: conda "
                          "package \"pycrypto\" is forbidden by the policy\n" +
                          k_train_error.substr(k_train_error.find('\n') + 1);

    SECTION("commit")
    {
        RunResult result = ws.envstore({"commit", "train"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == summary);
    }
    SECTION("register")
    {
        RunResult result = ws.envstore({"register", "train", "-m", "first"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == summary);
    }
    SECTION("register of two definitions, every violation listed")
    {
        ws.write_definition("serve", with_pycrypto("serve", "description: x\n"));
        before = repository_state(ws);
        RunResult result = ws.envstore({"register", "serve", "train"});
        CHECK(result.exit_code == 3);
        CHECK(result.err ==
              "envstore: error: definitions break the policy of envstore.yaml: nothing was "
              "written\n"
              "environments/serve/environment.yaml:9:7: conda package \"pycrypto\" is "
              "forbidden by the policy\n"
              "        - pycrypto\n"
              "          ^\n"
              "hint: remove it: policy.forbidden_packages in envstore.yaml forbids it\n"
              "environments/train/environment.yaml:8:7: conda package \"pycrypto\" is "
              "forbidden by the policy\n"
              "        - pycrypto\n"
              "          ^\n"
              "hint: remove it: policy.forbidden_packages in envstore.yaml forbids it\n");
    }
    SECTION("register in JSON")
    {
        RunResult result = ws.envstore({"--json", "register", "train"});
        CHECK(result.exit_code == 3);
        Json error = Json::parse(result.out)["error"];
        CHECK(error["code"] == "invalid_input");
        CHECK(error["details"][0]["rule"] == "policy-forbidden-package");
    }
    SECTION("tag, of a definition committed by git")
    {
        git_text(ws, {"add", "environments"});
        git_text(ws, {"commit", "-q", "-m", "by hand"});
        before = repository_state(ws);
        RunResult result = ws.envstore({"tag", "train"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == summary);
    }
    CHECK(repository_state(ws) == before);
    CHECK(git_text(ws, {"tag", "-l"}).empty());
}

TEST_CASE("a violation inherited from a base is located in the base", "[cli][policy]")
{
    TestWorkspace ws;
    ws.write_definition("base", with_pycrypto("base"));
    run_ok(ws, {"register", "base"});
    set_policy(ws, k_forbid_pycrypto);
    ws.write_minimal("train", "extends: base@v1");

    SECTION("refused, naming the base's line and version")
    {
        std::string head = git_text(ws, {"rev-parse", "HEAD"});
        RunResult result = ws.envstore({"register", "train"});
        CHECK(result.exit_code == 3);
        CHECK(result.err == "envstore: error: base@v1:environments/base/environment.yaml:8:7: "
                            "conda "
                            "package \"pycrypto\" is forbidden by the policy (inherited from "
                            "base@v1)\n"
                            "        - pycrypto\n"
                            "          ^\n"
                            "hint: drop it with python.remove: [pycrypto], or remove it from the "
                            "base\n");
        CHECK(git_text(ws, {"rev-parse", "HEAD"}) == head);
        CHECK(git_text(ws, {"tag", "-l", "train@*"}).empty());
    }
    SECTION("accepted once the child removes it")
    {
        ws.write_minimal("train", "  remove: [pycrypto]\nextends: base@v1");
        run_ok(ws, {"register", "train"});
        CHECK(git_text(ws, {"tag", "-l", "train@*"}) == "train@v1");
    }
}
