// Digest stability: golden digests and canonical YAML of fixed fixtures, and
// random spellings of the same definitions that must keep them.
//
// The golden values in tests/data/digest/ (digests.txt, *.canonical.yaml,
// finetune.resolved.yaml) must never change without bumping
// k_canonical_version: stored digests are compared with newly computed ones,
// and a silent change would make equal environments look different. When the
// canonical form changes on purpose, bump the version, update
// docs/canonical-form.md, then write the new values and the new
// "canonical-version:" line into the test data.

#include "support/digest_fixtures.hpp"
#include "support/valid_fixtures.hpp"
#include "support/yaml_variants.hpp"

#include "envstore/canonical.hpp"
#include "envstore/resolve.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace envstore;
using namespace envstore::test;

namespace {

constexpr std::uint32_t k_default_seed = 20261203;
constexpr std::uint32_t k_spellings_per_fixture = 150;

// ENVSTORE_DIGEST_SEED replays (or explores) other draws.
std::uint32_t first_seed()
{
    const char* seed = std::getenv("ENVSTORE_DIGEST_SEED");
    return seed ? static_cast<std::uint32_t>(std::stoul(seed)) : k_default_seed;
}

std::string replay_hint(const std::string& name, std::uint32_t seed)
{
    return "fixture " + name + ", seed " + std::to_string(seed) +
           " (ENVSTORE_DIGEST_SEED=" + std::to_string(seed) +
           " makes it the first spelling of each fixture)";
}

struct Reading
{
    std::string digest;
    std::string yaml;
    std::string elements; // what diff, blame and policy see
};

std::string elements_text(const Definition& definition)
{
    std::string text;
    for (const auto& [key, value] : definition_elements(definition)) {
        text += key + "=" + value.value_or("(null)") + "\n";
    }
    return text;
}

// Parses a spelling of fixture `name`; fails the check, with every
// diagnostic, when it does not parse.
std::optional<Reading> read_spelling(const std::string& text, const std::string& name)
{
    ParseResult result = parse_definition(text, "environments/" + name + "/environment.yaml", name);
    for (const Diagnostic& diagnostic : result.errors) {
        FAIL_CHECK(format_diagnostic(diagnostic));
    }
    if (!result.definition) {
        return std::nullopt;
    }
    const Definition& definition = *result.definition;
    return Reading{
        definition_digest(definition), canonical_yaml(definition), elements_text(definition)};
}

std::vector<std::string> priority_list(const Definition& definition, const std::string& list)
{
    if (list == "python.channels" && definition.python) {
        return definition.python->channels;
    }
    if (list == "python.pip_options" && definition.python) {
        return definition.python->pip_options;
    }
    if (list == "spark.repositories" && definition.spark) {
        return definition.spark->repositories;
    }
    return {};
}

// What the spellings did, to show that none of the variations was left out.
struct Variety
{
    std::set<std::string> texts;
    int crlf = 0;
    int bom = 0;
    int marker = 0;
    int comments = 0;
    int flow = 0;
    int single_quotes = 0;
    int block_scalars = 0;
    // Both orders of two keys and of two unordered list entries were written.
    std::set<bool> key_orders;
    std::set<bool> entry_orders;

    void add(const std::string& text)
    {
        texts.insert(text);
        add_order(key_orders, text, "runtime", "platforms");
        add_order(entry_orders, text, "pandas>=2.2", "matplotlib-base");
        crlf += text.find("\r\n") != std::string::npos;
        bom += text.starts_with("\xEF\xBB\xBF");
        marker +=
            text.find("---\n") != std::string::npos || text.find("---\r\n") != std::string::npos;
        comments += text.find('#') != std::string::npos;
        flow += text.find(": [") != std::string::npos || text.find(": {") != std::string::npos;
        single_quotes += text.find('\'') != std::string::npos;
        block_scalars +=
            text.find(">-") != std::string::npos || text.find("|-") != std::string::npos;
    }

    // Escapes may hide either text: then the spelling says nothing of their order.
    static void add_order(std::set<bool>& orders,
                          const std::string& text,
                          const std::string& first,
                          const std::string& second)
    {
        std::size_t one = text.find(first);
        std::size_t other = text.find(second);
        if (one != std::string::npos && other != std::string::npos) {
            orders.insert(one < other);
        }
    }
};

} // namespace

TEST_CASE("the digest fixtures keep their golden digests and canonical YAML", "[digest]")
{
    GoldenDigests golden = read_golden_digests();
    REQUIRE(golden.canonical_version == k_canonical_version);

    std::set<std::string> expected_ids = {"finetune.resolved"};
    for (const std::string& name : digest_fixture_names()) {
        INFO(name);
        expected_ids.insert(name);
        Definition definition = load_digest_fixture(name);
        CHECK(definition_digest(definition) == golden.by_id[name]);
        CHECK(canonical_yaml(definition) == digest_fixture_file(name + ".canonical.yaml"));
        // The canonical YAML is a definition too, with the same digest.
        Definition again = parse_valid(digest_fixture_file(name + ".canonical.yaml"), name);
        CHECK(definition_digest(again) == golden.by_id[name]);
        CHECK(canonical_yaml(again) == canonical_yaml(definition));
    }
    // Every fixture has a golden digest, and every golden digest a fixture.
    std::set<std::string> ids;
    for (const auto& [id, digest] : golden.by_id) {
        ids.insert(id);
    }
    CHECK(ids == expected_ids);
    CHECK(ids.size() == 9);
}

TEST_CASE("the merged chain keeps its golden digest and canonical YAML", "[digest]")
{
    GoldenDigests golden = read_golden_digests();
    REQUIRE(golden.canonical_version == k_canonical_version);
    Definition resolved = merge_finetune_chain();

    CHECK(definition_digest(resolved) == golden.by_id["finetune.resolved"]);
    CHECK(canonical_yaml(resolved) == digest_fixture_file("finetune.resolved.yaml"));
}

TEST_CASE("random spellings of each fixture keep its digest, canonical YAML and elements",
          "[digest]")
{
    const std::uint32_t seed = first_seed();
    Variety variety;
    int spellings = 0;

    for (const std::string& name : digest_fixture_names()) {
        Definition golden = load_digest_fixture(name);
        std::string digest = definition_digest(golden);
        std::string yaml = canonical_yaml(golden);
        std::string elements = elements_text(golden);
        YamlVariants variants(
            digest_fixture_file(name + ".yaml"), name, definition_variant_rules());

        for (std::uint32_t round = 0; round < k_spellings_per_fixture; ++round) {
            std::string text = variants.write(seed + round);
            variety.add(text);
            ++spellings;
            INFO(replay_hint(name, seed + round) << "\n" << visible(text));
            std::optional<Reading> reading = read_spelling(text, name);
            bool same = reading && reading->digest == digest && reading->yaml == yaml &&
                        reading->elements == elements;
            if (!same) {
                CHECK((reading ? reading->digest : "no digest") == digest);
                CHECK((reading ? reading->yaml : "no canonical YAML") == yaml);
                CHECK((reading ? reading->elements : "no elements") == elements);
                break; // one failing spelling per fixture says enough
            }
        }
    }

    CHECK(spellings >= 1000);
    CHECK(variety.texts.size() == static_cast<std::size_t>(spellings));
    CHECK(variety.crlf > 0);
    CHECK(variety.bom > 0);
    CHECK(variety.marker > 0);
    CHECK(variety.comments > 0);
    CHECK(variety.flow > 0);
    CHECK(variety.single_quotes > 0);
    CHECK(variety.block_scalars > 0);
    CHECK(variety.key_orders.size() == 2);
    CHECK(variety.entry_orders.size() == 2);
}

TEST_CASE("reordering a list whose order is a priority changes the digest", "[digest]")
{
    const std::uint32_t seed = first_seed();
    std::set<std::string> reordered;

    for (const std::string& name : digest_fixture_names()) {
        Definition golden = load_digest_fixture(name);
        std::string digest = definition_digest(golden);
        std::string yaml = canonical_yaml(golden);
        for (const std::string& list : ordered_definition_lists()) {
            if (priority_list(golden, list).size() < 2) {
                continue; // nothing to reorder
            }
            VariantRules rules = definition_variant_rules();
            rules.reversed_lists.insert(list);
            std::string text =
                YamlVariants(digest_fixture_file(name + ".yaml"), name, rules).write(seed);
            INFO(replay_hint(name, seed) << ", " << list << " reversed\n" << visible(text));
            std::optional<Reading> reading = read_spelling(text, name);
            REQUIRE(reading);
            CHECK(reading->digest != digest);
            CHECK(reading->yaml != yaml);
            reordered.insert(list);
        }
    }
    CHECK(reordered == std::set<std::string>(ordered_definition_lists().begin(),
                                             ordered_definition_lists().end()));
}

TEST_CASE("equivalent spellings of a package spec keep the digest", "[digest]")
{
    auto digest_of = [](const std::string& list, const std::string& spec) {
        return definition_digest(parse_valid(
            "name: env\npython:\n  " + list + ":\n    - >-\n      " + spec + "\n", "env"));
    };
    const std::vector<std::tuple<std::string, std::string, std::string>> pairs = {
        {"pip", "transformers>=4.35,<5", "transformers <5, >=4.35"},
        {"pip", "requests>=2.31", "requests >= 2.31"},
        {"pip", "accelerate[torch,deepspeed]==0.27", "accelerate[deepspeed, torch]==0.27"},
        {"pip", "tomli; python_version < '3.11'", "tomli ; python_version<\"3.11\""},
        {"pip", "pywin32; sys.platform == 'win32'", "pywin32; sys_platform == \"win32\""},
        {"conda", "numpy>=1.26", "numpy >=1.26"},
        {"conda", "numpy>=1.26", "numpy[version='>=1.26']"},
        {"conda", "numpy", "numpy *"},
        {"conda", "numpy=1.26.4=py311_0", "numpy 1.26.4 py311_0"},
    };
    for (const auto& [list, one, other] : pairs) {
        INFO(list << ": " << one << " and " << other);
        CHECK(digest_of(list, one) == digest_of(list, other));
    }
    CHECK(digest_of("pip", "requests>=2.31") != digest_of("pip", "requests>=2.32"));
}
