#include "support/line_ends.hpp"
#include "support/temp_dir.hpp"
#include "yaml/yaml_reader.hpp"

#include "envstore/definition.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

// Each rule of `validation_rules()` has fixtures in tests/data/rules/: either
// RULE.yaml or RULE--VARIANT.yaml, each beside a RULE[--VARIANT].expected file
// holding every diagnostic the fixture raises, formatted by
// `format_diagnostic` and each followed by a line end. A fixture is read as
// environments/RULE/environment.yaml with the expected name RULE, so a fixture
// writes `name: RULE` unless its rule is about the name. Every diagnostic of a
// fixture must carry the fixture's rule, so each fixture shows one rule only.

using namespace envstore;
namespace fs = std::filesystem;
using test::with_crlf;

namespace {

std::string rule_of_fixture(const fs::path& fixture)
{
    std::string stem = fixture.stem().string();
    return stem.substr(0, stem.find("--"));
}

std::vector<fs::path> all_fixtures()
{
    std::vector<fs::path> fixtures;
    for (const auto& entry : fs::directory_iterator(test::data_path("rules"))) {
        if (entry.path().extension() == ".yaml") {
            fixtures.push_back(entry.path());
        }
    }
    std::sort(fixtures.begin(), fixtures.end());
    return fixtures;
}

std::vector<fs::path> fixtures_of(std::string_view rule)
{
    std::vector<fs::path> fixtures = all_fixtures();
    std::erase_if(fixtures,
                  [&](const fs::path& fixture) { return rule_of_fixture(fixture) != rule; });
    return fixtures;
}

ParseResult parse_as_fixture(std::string_view text, const std::string& rule)
{
    return parse_definition(text, "environments/" + rule + "/environment.yaml", rule);
}

std::string format_all(const std::vector<Diagnostic>& diagnostics)
{
    std::string out;
    for (const Diagnostic& diagnostic : diagnostics) {
        out += format_diagnostic(diagnostic) + "\n";
    }
    return out;
}

std::set<std::string> rule_ids()
{
    std::set<std::string> ids;
    for (const ValidationRule& rule : validation_rules()) {
        ids.emplace(rule.id);
    }
    return ids;
}

} // namespace

TEST_CASE("every validation rule has fixtures that raise exactly their diagnostics", "[rules]")
{
    for (const ValidationRule& rule : validation_rules()) {
        std::string id(rule.id);
        std::vector<fs::path> fixtures = fixtures_of(id);
        if (fixtures.empty()) {
            FAIL_CHECK("rule \"" << id << "\" has no fixture tests/data/rules/" << id << ".yaml");
        }
        for (const fs::path& fixture : fixtures) {
            INFO(fixture.filename().string());
            fs::path expected_file = fs::path(fixture).replace_extension(".expected");
            REQUIRE(fs::exists(expected_file));

            ParseResult result = parse_as_fixture(test::read_file(fixture), id);
            CHECK_FALSE(result.definition);
            CHECK_FALSE(result.errors.empty());
            CHECK(format_all(result.errors) == test::read_file(expected_file));
            for (const Diagnostic& diagnostic : result.errors) {
                CHECK(diagnostic.rule == id);
            }
        }
    }
}

TEST_CASE("every rule fixture belongs to a listed rule", "[rules]")
{
    std::set<std::string> ids = rule_ids();
    for (const auto& entry : fs::directory_iterator(test::data_path("rules"))) {
        INFO(entry.path().filename().string());
        CHECK(ids.count(rule_of_fixture(entry.path())) == 1);
        std::string extension = entry.path().extension().string();
        CHECK((extension == ".yaml" || extension == ".expected"));
        CHECK(fs::exists(fs::path(entry.path()).replace_extension(".yaml")));
    }
}

TEST_CASE("validation rules have unique ids and a summary each", "[rules]")
{
    const auto& rules = validation_rules();
    CHECK(rule_ids().size() == rules.size());
    for (const ValidationRule& rule : rules) {
        INFO(rule.id);
        CHECK_FALSE(rule.summary.empty());
        CHECK(rule.summary.find('\n') == std::string_view::npos);
    }
}

TEST_CASE("validation rules keep a stable order, the reader's rules first", "[rules]")
{
    std::vector<std::string> ids;
    for (const ValidationRule& rule : validation_rules()) {
        ids.emplace_back(rule.id);
    }
    CHECK(ids == std::vector<std::string>{
                     std::string(yaml::k_rule_yaml_syntax),
                     std::string(yaml::k_rule_yaml_encoding),
                     std::string(yaml::k_rule_yaml_duplicate_key),
                     std::string(yaml::k_rule_yaml_tag),
                     std::string(yaml::k_rule_yaml_alias),
                     std::string(yaml::k_rule_yaml_limit),
                     "empty-definition",
                     "wrong-type",
                     "unknown-field",
                     "missing-field",
                     "empty-value",
                     "invalid-name",
                     "reserved-name",
                     "name-mismatch",
                     "invalid-extends",
                     "invalid-runtime",
                     "invalid-boolean",
                     "unknown-platform",
                     "invalid-python-version",
                     "invalid-conda-spec",
                     "invalid-pip-requirement",
                     "duplicate-package",
                     "duplicate-entry",
                     "invalid-variable-name",
                     "invalid-shm-size",
                     "invalid-apt-package",
                     "invalid-file-reference",
                     "invalid-spark-package",
                     "conflicting-settings",
                     "inline-secret",
                 });
}

// The fixture yaml-limit.yaml covers the depth limit; these two limits need
// inputs too large for a fixture file.
TEST_CASE("definitions past the size and node limits are refused", "[rules]")
{
    SECTION("more than 1 MiB")
    {
        std::string text = "name: yaml-limit\ndescription: " + std::string(1024 * 1024, 'a');
        ParseResult result = parse_as_fixture(text, "yaml-limit");
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].rule == "yaml-limit");
        CHECK_FALSE(result.definition);
    }
    SECTION("more than 100000 nodes")
    {
        std::string text = "name: yaml-limit\nx-many: [";
        for (int i = 0; i < 100000; ++i) {
            text += "1,";
        }
        text += "1]\n";
        ParseResult result = parse_as_fixture(text, "yaml-limit");
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].rule == "yaml-limit");
        CHECK(result.errors[0].message == "more than 100000 nodes");
    }
}

TEST_CASE("rule fixtures report the same with CRLF line ends and a byte-order mark", "[rules]")
{
    for (const fs::path& fixture : all_fixtures()) {
        std::string rule = rule_of_fixture(fixture);
        // Its message counts bytes from the start of the file.
        if (rule == yaml::k_rule_yaml_encoding) {
            continue;
        }
        INFO(fixture.filename().string());
        std::string text = test::read_file(fixture);
        std::string expected = format_all(parse_as_fixture(text, rule).errors);

        CHECK(format_all(parse_as_fixture(with_crlf(text), rule).errors) == expected);
        CHECK(format_all(parse_as_fixture("\xEF\xBB\xBF" + text, rule).errors) == expected);
    }
}

TEST_CASE("parsing never throws on real-world environment files", "[rules]")
{
    fs::path corpus = ENVSTORE_CORPUS;
    if (!fs::is_directory(corpus)) {
        WARN("skipped: no corpus at " << corpus.string());
        return;
    }
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
        std::string extension = entry.path().extension().string();
        if (!entry.is_regular_file() || (extension != ".yml" && extension != ".yaml")) {
            continue;
        }
        INFO(entry.path().string());
        ParseResult result;
        CHECK_NOTHROW(result = parse_as_fixture(test::read_file(entry.path()), "corpus"));
        // They are other tools' formats: each is refused, and says where.
        CHECK_FALSE(result.definition);
        for (const Diagnostic& diagnostic : result.errors) {
            CHECK(rule_ids().count(diagnostic.rule) == 1);
            CHECK(diagnostic.location);
        }
        ++files;
    }
    CHECK(files > 50);
}
