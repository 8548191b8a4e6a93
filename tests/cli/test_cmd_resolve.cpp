// envstore resolve: inheritance chains applied, cycles and bad removals
// refused, and what a version meant when it was registered kept for ever,
// whatever its bases do afterwards (the records checked with git itself).

#include "support/workspace_fixture.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace envstore::test;

namespace {

const char* k_root = "name: root\n"
                     "python:\n"
                     "  version: \"3.11\"\n"
                     "  channels: [conda-forge]\n"
                     "  conda: [numpy=1.26, scipy]\n"
                     "variables: {OMP_NUM_THREADS: \"4\"}\n";

const char* k_mid = "name: mid\n"
                    "extends: root@latest\n"
                    "python:\n"
                    "  conda: [pandas=2.2]\n"
                    "  pip: [tqdm]\n";

const char* k_leaf = "name: leaf\n"
                     "extends: mid@latest\n"
                     "python:\n"
                     "  channels: [pytorch]\n"
                     "  conda: [numpy=2.1]\n"
                     "  remove: [scipy]\n"
                     "variables: {OMP_NUM_THREADS: ~, HF_HOME: /cache}\n";

// The canonical body of leaf over mid over root, as the files above give it.
const char* k_leaf_body = "name: \"leaf\"\n"
                          "runtime: \"python\"\n"
                          "managed: true\n"
                          "python:\n"
                          "  version: \"3.11\"\n"
                          "  channels:\n"
                          "    - \"pytorch\"\n"
                          "    - \"conda-forge\"\n"
                          "  conda:\n"
                          "    - \"numpy=2.1\"\n"
                          "    - \"pandas=2.2\"\n"
                          "  pip:\n"
                          "    - \"tqdm\"\n"
                          "variables:\n"
                          "  HF_HOME: \"/cache\"\n";

std::string ok_out(const TestWorkspace& ws, const std::vector<std::string>& args)
{
    RunResult result = ws.envstore(args);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

// Lines of `text` starting with `prefix`.
std::string lines_with(const std::string& text, const std::string& prefix)
{
    std::string found;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        std::string line = text.substr(at, end - at);
        if (line.starts_with(prefix)) {
            found += line + "\n";
        }
        at = end == std::string::npos ? text.size() : end + 1;
    }
    return found;
}

// root, mid and leaf written and registered in that order.
struct Chain
{
    TestWorkspace ws;

    Chain()
    {
        for (auto [name, text] : {std::pair{"root", k_root}, {"mid", k_mid}, {"leaf", k_leaf}}) {
            ws.write_definition(name, text);
            run_ok(ws, {"register", name});
        }
    }

    std::string digest(const std::string& reference) const
    {
        auto json = nlohmann::json::parse(ok_out(ws, {"--json", "resolve", reference}));
        return json["digest"];
    }
};

} // namespace

TEST_CASE("resolve applies a chain of bases to the working tree", "[cli][resolve]")
{
    Chain chain;
    std::string out = ok_out(chain.ws, {"resolve", "leaf"});
    std::string digest = chain.digest("leaf");
    CHECK(out == fmt::format("# resolved: leaf\n"
                             "# digest: {}\n"
                             "# base: mid@latest -> mid@v1\n"
                             "# base: root@latest -> root@v1 (recorded by mid@v1)\n{}",
                             digest,
                             k_leaf_body));
    CHECK(ok_out(chain.ws, {"-q", "resolve", "leaf"}) == k_leaf_body);
}

TEST_CASE("resolve --json carries the reference, version, commit, digest, bases and origins",
          "[cli][resolve]")
{
    Chain chain;
    auto json = nlohmann::json::parse(ok_out(chain.ws, {"resolve", "leaf@v1", "--format", "json"}));
    CHECK(json["format"] == 1);
    CHECK(json["reference"] == "leaf@v1");
    CHECK(json["version"] == 1);
    CHECK(json["commit"] == chain.ws.git({"rev-parse", "leaf@v1^{commit}"}).out.substr(0, 40));
    CHECK(json["canonical_version"] == 1);
    REQUIRE(json["bases"].size() == 2);
    CHECK(json["bases"][0]["requested"] == "mid@latest");
    CHECK(json["bases"][0]["resolved"] == "mid@v1");
    CHECK(json["bases"][0]["recorded"] == true);
    CHECK(json["bases"][0]["recorded_by"] == "leaf@v1");
    CHECK(json["bases"][0]["today"].is_null());
    CHECK(json["bases"][1]["resolved"] == "root@v1");
    CHECK(json["definition"]["python"]["conda"] == nlohmann::json({"numpy=2.1", "pandas=2.2"}));
    // Each element says which definition wrote it, and where.
    CHECK(json["origins"]["python.conda/numpy"] ==
          nlohmann::json({{"environment", "leaf@v1"},
                          {"file", "environments/leaf/environment.yaml"},
                          {"line", 5},
                          {"column", 11}}));
    CHECK(json["origins"]["python.conda/pandas"]["environment"] == "mid@v1");
    CHECK(json["origins"]["python.version"]["environment"] == "root@v1");
    CHECK(json["origins"]["python.version"]["line"] == 3);
    CHECK_FALSE(json["origins"].contains("python.conda/scipy"));
}

TEST_CASE("a version resolves with the bases recorded when it was registered", "[cli][resolve]")
{
    Chain chain;
    std::string before = ok_out(chain.ws, {"-q", "resolve", "leaf@v1"});
    std::string digest_before = chain.digest("leaf@v1");

    // The record, as git itself reads the tag.
    std::string tag = chain.ws.git({"cat-file", "-p", "leaf@v1"}).out;
    CHECK(lines_with(tag, "Envstore-Base:") ==
          "Envstore-Base: mid@latest mid@v1\nEnvstore-Base: root@latest root@v1\n");
    CHECK(lines_with(tag, "Envstore-Resolved-Digest:") ==
          "Envstore-Resolved-Digest: " + digest_before + "\n");

    // root moves on; mid@latest now means something else.
    chain.ws.write_definition("root", std::string(k_root) + "docker: {base_image: ubuntu:24.04}\n");
    run_ok(chain.ws, {"register", "root"});
    run_ok(chain.ws, {"register", "mid"});

    SECTION("the old version prints byte for byte as before, and says the base moved")
    {
        CHECK(ok_out(chain.ws, {"-q", "resolve", "leaf@v1"}) == before);
        CHECK(chain.digest("leaf@v1") == digest_before);
        std::string out = ok_out(chain.ws, {"resolve", "leaf@v1"});
        CHECK(lines_with(out, "# base:") ==
              "# base: mid@latest -> mid@v1 (recorded by leaf@v1; mid@latest is mid@v2 today)\n"
              "# base: root@latest -> root@v1 (recorded by leaf@v1; root@latest is root@v2 "
              "today)\n");
    }
    SECTION("the working tree takes today's bases, each version base its own record")
    {
        CHECK(ok_out(chain.ws, {"-q", "resolve", "leaf"}) != before);
        CHECK(lines_with(ok_out(chain.ws, {"resolve", "leaf"}), "# base:") ==
              "# base: mid@latest -> mid@v2\n"
              "# base: root@latest -> root@v2 (recorded by mid@v2)\n");
    }
    SECTION("registering the unchanged file again makes a version on the new bases")
    {
        CHECK(ok_out(chain.ws, {"register", "leaf"}).starts_with("Registered leaf@v2"));
        std::string tag2 = chain.ws.git({"cat-file", "-p", "leaf@v2"}).out;
        CHECK(lines_with(tag2, "Envstore-Base:") ==
              "Envstore-Base: mid@latest mid@v2\nEnvstore-Base: root@latest root@v2\n");
        CHECK(ok_out(chain.ws, {"register", "leaf"}) ==
              "leaf unchanged since leaf@v2: no new version\n");
    }
}

TEST_CASE("a label base is recorded at the version it pointed to", "[cli][resolve]")
{
    TestWorkspace ws;
    register_version(ws, "base", 1);
    register_version(ws, "base", 2);
    run_ok(ws, {"label", "base@v1", "prod"});
    ws.write_definition("app", "name: app\nextends: base@prod\n");
    run_ok(ws, {"register", "app"});
    run_ok(ws, {"label", "base@v2", "prod"});

    auto json = nlohmann::json::parse(ok_out(ws, {"--json", "resolve", "app@v1"}));
    CHECK(json["bases"][0]["resolved"] == "base@v1");
    CHECK(json["bases"][0]["today"] == "base@v2");
    CHECK(json["definition"]["metadata"]["build"] == "1");
}

TEST_CASE("a base named without @ is read beside the version, at its commit", "[cli][resolve]")
{
    TestWorkspace ws;
    ws.write_minimal("base", "variables: {STAGE: one}");
    ws.write_definition("app", "name: app\nextends: base\n");
    std::string head = ws.git({"rev-parse", "HEAD"}).out;
    RunResult alone = ws.envstore({"register", "app"});
    CHECK(alone.exit_code == 3);
    CHECK(alone.err == "envstore: error: \"app\" extends \"base\", whose changes are not "
                       "committed: nothing was written\n"
                       "hint: register both (envstore register app base), or extend a version: "
                       "base@vN\n");
    CHECK(ws.git({"rev-parse", "HEAD"}).out == head);
    run_ok(ws, {"commit", "base"});
    run_ok(ws, {"register", "app"});
    std::string commit = ws.git({"rev-parse", "app@v1^{commit}"}).out.substr(0, 40);
    CHECK(lines_with(ws.git({"cat-file", "-p", "app@v1"}).out, "Envstore-Base:") ==
          fmt::format("Envstore-Base: base base@{}\n", commit));

    ws.write_minimal("base", "variables: {STAGE: two}");
    auto old = nlohmann::json::parse(ok_out(ws, {"--json", "resolve", "app@v1"}));
    CHECK(old["definition"]["variables"]["STAGE"] == "one");
    auto now = nlohmann::json::parse(ok_out(ws, {"--json", "resolve", "app"}));
    CHECK(now["definition"]["variables"]["STAGE"] == "two");
    CHECK(now["bases"][0]["resolved"] == "base");
}

TEST_CASE("resolve refuses a cycle, naming the chain", "[cli][resolve]")
{
    TestWorkspace ws;
    ws.write_definition("a", "name: a\nextends: b\n");
    ws.write_definition("b", "name: b\nextends: c\n");
    ws.write_definition("c", "name: c\nextends: a\n");
    RunResult result = ws.envstore({"resolve", "a"});
    CHECK(result.exit_code == 3);
    CHECK(result.err == "envstore: error: a cycle in the \"extends\" chain: a -> b -> c -> a\n"
                        "hint: an environment cannot build on itself\n");
}

TEST_CASE("removing a package that nothing provides is refused at its line", "[cli][resolve]")
{
    TestWorkspace ws;
    register_version(ws, "base", 1);
    ws.write_definition("app", "name: app\nextends: base\npython:\n  remove: [numpy, torch]\n");
    RunResult result = ws.envstore({"resolve", "app"});
    CHECK(result.exit_code == 3);
    CHECK(result.err ==
          "envstore: error: environments/app/environment.yaml:4:19: \"python.remove\" names "
          "\"torch\", which \"app\" does not inherit from \"base\"\n"
          "      remove: [numpy, torch]\n"
          "                      ^\n"
          "hint: remove it from python.remove: no base provides that package\n");

    SECTION("and registering it writes nothing")
    {
        std::string head = ws.git({"rev-parse", "HEAD"}).out;
        CHECK(ws.envstore({"register", "app"}).exit_code == 3);
        CHECK(ws.git({"tag", "-l", "app@*"}).out.empty());
        CHECK(ws.git({"rev-parse", "HEAD"}).out == head);
    }
}

TEST_CASE("an unknown base is not found, and blocks registration", "[cli][resolve]")
{
    TestWorkspace ws;
    register_version(ws, "base", 1);
    ws.write_definition("app", "name: app\nextends: base@v7\n");
    RunResult result = ws.envstore({"resolve", "app"});
    CHECK(result.exit_code == 4);
    CHECK(result.err == "envstore: error: unknown reference \"base@v7\"\n"
                        "hint: \"base\" has version v1 and no labels\n");
    CHECK(ws.envstore({"register", "app"}).exit_code == 4);
    CHECK(ws.git({"tag", "-l", "app@*"}).out.empty());
}

TEST_CASE("a changed record of the resolved digest is caught", "[cli][resolve]")
{
    Chain chain;
    std::string tag = chain.ws.git({"cat-file", "-p", "leaf@v1"}).out;
    std::string message = tag.substr(tag.find("\n\n") + 2);
    std::string recorded = chain.digest("leaf@v1");
    std::string forged = "sha256:" + std::string(64, '0');
    message.replace(message.find(recorded), recorded.size(), forged);
    write_file(chain.ws.root() / "message.txt", message);
    REQUIRE(chain.ws.git({"tag", "-f", "-a", "leaf@v1", "leaf@v1^{commit}", "-F", "message.txt"})
                .exit_code == 0);

    RunResult result = chain.ws.envstore({"resolve", "leaf@v1"});
    CHECK(result.exit_code == 8);
    CHECK(result.err == fmt::format("envstore: error: \"leaf@v1\" resolves to {}, but resolved to "
                                    "{} when it was registered\n"
                                    "hint: a base it was registered with has changed; run "
                                    "envstore doctor\n",
                                    recorded,
                                    forged));
}

TEST_CASE("equal environments resolve to one digest", "[cli][resolve]")
{
    TestWorkspace ws;
    ws.write_definition("one",
                        "name: one\npython: {conda: [scipy, numpy], channels: [conda-forge]}\n");
    ws.write_definition("base", "name: base\npython: {conda: [numpy]}\n");
    ws.write_definition("two",
                        "name: two\nextends: base\n"
                        "python:\n  channels: [conda-forge]\n  conda: [scipy]\n");
    std::string one = ok_out(ws, {"-q", "resolve", "one"});
    std::string two = ok_out(ws, {"-q", "resolve", "two"});
    CHECK(one.substr(one.find('\n')) == two.substr(two.find('\n')));
    auto digest = [&](const char* name) {
        return nlohmann::json::parse(ok_out(ws, {"--json", "resolve", name}))["digest"];
    };
    CHECK(digest("one") == digest("two"));
}
