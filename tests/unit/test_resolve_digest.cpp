// Equal resolved environments share one digest: chains that merge to the same
// content, however they got there, give the same resolved digest; chains that
// merge to different content do not.

#include "support/digest_fixtures.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "envstore/canonical.hpp"
#include "envstore/resolve.hpp"
#include "envstore/versions.hpp"
#include "envstore/workspace.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace envstore;
using namespace envstore::test;

namespace {

Definition parse_text(const std::string& text)
{
    ParseResult result = parse_definition(text, "environments/chain/environment.yaml");
    for (const Diagnostic& diagnostic : result.errors) {
        FAIL(format_diagnostic(diagnostic));
    }
    REQUIRE(result.definition);
    return *result.definition;
}

// Merges `texts`, the root of the chain first, as `resolve` does step by step.
Definition merge_chain(const std::vector<std::string>& texts)
{
    Definition merged = parse_text(texts.front());
    for (std::size_t at = 1; at < texts.size(); ++at) {
        merged = merge_definitions(merged, parse_text(texts[at]));
    }
    return merged;
}

std::string chain_digest(const std::vector<std::string>& texts)
{
    return definition_digest(merge_chain(texts));
}

} // namespace

TEST_CASE("chains that merge to the same content share one digest", "[digest][resolve]")
{
    SECTION("a child's spec replaces the base's")
    {
        std::string one = chain_digest({"name: a\npython: {conda: [numpy>=1.24, pandas]}\n",
                                        "name: b\nextends: a\npython: {conda: [numpy>=1.26]}\n"});
        std::string other = chain_digest({"name: c\npython: {conda: [numpy>=1.26]}\n",
                                          "name: d\nextends: c\npython: {conda: [pandas]}\n"});
        std::string flat = chain_digest({"name: e\npython: {conda: [pandas, numpy>=1.26]}\n"});
        CHECK(one == other);
        CHECK(one == flat);
    }
    SECTION("removed packages are as good as never inherited")
    {
        std::string one =
            chain_digest({"name: a\npython: {conda: [numpy, pytorch], pip: [rich, requests]}\n",
                          "name: b\nextends: a\npython: {remove: [PyTorch, Rich]}\n"});
        std::string flat = chain_digest({"name: c\npython: {conda: [numpy], pip: [requests]}\n"});
        CHECK(one == flat);
    }
    SECTION("a variable set to null is as good as never set")
    {
        std::string one = chain_digest({"name: a\nvariables: {A: \"1\", B: \"2\"}\n",
                                        "name: b\nextends: a\nvariables: {B: null, C: \"3\"}\n"});
        std::string other = chain_digest(
            {"name: c\nvariables: {A: \"1\"}\n", "name: d\nextends: c\nvariables: {C: \"3\"}\n"});
        CHECK(one == other);
    }
    SECTION("channels: the child's first, then the base's it does not repeat")
    {
        std::string one =
            chain_digest({"name: a\npython: {channels: [conda-forge, defaults]}\n",
                          "name: b\nextends: a\npython: {channels: [nvidia, conda-forge]}\n"});
        std::string flat =
            chain_digest({"name: c\npython: {channels: [nvidia, conda-forge, defaults]}\n"});
        CHECK(one == flat);
    }
    SECTION("a Dockerfile replaces an inherited image")
    {
        std::string one = chain_digest(
            {"name: a\ndocker: {base_image: ubuntu:22.04, apt: [curl, git], gpu: true}\n",
             "name: b\nextends: a\ndocker: {base_dockerfile: Dockerfile, apt: [curl=7.88.1]}\n"});
        std::string flat = chain_digest({"name: c\ndocker: {base_dockerfile: Dockerfile, apt: "
                                         "[git, curl=7.88.1], gpu: true}\n"});
        CHECK(one == flat);
    }
    SECTION("Spark repositories and packages")
    {
        std::string one = chain_digest(
            {"name: a\nruntime: spark\nspark: {repositories: [https://r1/m2], packages: [g:a:1]}\n",
             "name: b\nextends: a\nruntime: spark\nspark: {repositories: [https://r2/m2], "
             "packages: [g:a:2]}\n"});
        std::string flat = chain_digest({"name: c\nruntime: spark\nspark: {repositories: "
                                         "[https://r2/m2, https://r1/m2], packages: [g:a:2]}\n"});
        CHECK(one == flat);
    }
    SECTION("three steps and two steps")
    {
        std::string three = chain_digest(
            {"name: a\nplatforms: [linux-64, osx-arm64]\npython: {version: \"3.10\"}\n",
             "name: b\nextends: a\nplatforms: [linux-64]\npython: {conda: [numpy]}\n",
             "name: c\nextends: b\npython: {version: \"3.11\"}\nmetadata: {team: x}\n"});
        std::string two =
            chain_digest({"name: d\npython: {version: \"3.12\", conda: [numpy]}\n",
                          "name: e\nextends: d\nplatforms: [linux-64]\npython: {version: "
                          "\"3.11\"}\nx-note: other words\n"});
        CHECK(three == two);
    }
}

TEST_CASE("chains that merge to different content have different digests", "[digest][resolve]")
{
    std::string base = "name: a\npython: {channels: [conda-forge], conda: [numpy>=1.24]}\n";
    std::string child = "name: b\npython: {channels: [nvidia], conda: [numpy>=1.26]}\n";

    // The same two definitions, the other way round: the other one's spec and
    // channel win.
    CHECK(chain_digest({base, "extends: a\n" + child}) !=
          chain_digest({child, "extends: b\n" + base}));
    CHECK(chain_digest({base, "extends: a\n" + child}) != definition_digest(parse_text(child)));
}

TEST_CASE("resolve gives the chain fixture the digest of its merge", "[digest][resolve]")
{
    apply_test_environment();
    TempDir temp;
    Workspace workspace = Workspace::init(temp / "ws");
    for (std::string name : {"py-base", "ml-base", "finetune"}) {
        write_file(workspace.root() / "environments" / name / "environment.yaml",
                   digest_fixture_file(name + ".yaml"));
        register_definitions(workspace, {name}, "Add " + name);
    }

    ResolvedDefinition resolved = resolve(workspace, parse_reference("finetune@v1"));
    GoldenDigests golden = read_golden_digests();
    CHECK(resolved.digest == golden.by_id["finetune.resolved"]);
    CHECK(resolved.digest == definition_digest(merge_finetune_chain()));
    CHECK(definition_digest(resolved.definition) == resolved.digest);
}
