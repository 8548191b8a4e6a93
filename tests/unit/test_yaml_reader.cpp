#include "support/temp_dir.hpp"
#include "yaml/yaml_reader.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

using envstore::Error;
using envstore::ErrorCode;
namespace yaml = envstore::yaml;

namespace {

// "line:column: rule: message" for the error `text` raises, or "parsed".
std::string refusal_of(std::string_view text, const yaml::Limits& limits = {})
{
    try {
        yaml::parse(text, "env.yml", limits);
    } catch (const Error& error) {
        if (!error.location()) {
            return fmt::format("?: {}: {}", error.rule(), error.message());
        }
        const auto& where = *error.location();
        return fmt::format(
            "{}:{}: {}: {}", where.line, where.column, error.rule(), error.message());
    }
    return "parsed";
}

std::string position_of(const yaml::Node& node)
{
    return fmt::format("{}:{}", node.mark.line, node.mark.column);
}

// The value under `key` of `node`, failing the test when it is missing.
const yaml::Node& at(const yaml::Node& node, std::string_view key)
{
    const yaml::Node* value = node.find(key);
    REQUIRE(value != nullptr);
    return *value;
}

// Hostile inputs must be refused without a hang or an explosion of work. This
// bound only catches those: it is deliberately loose, since tests run on a
// loaded 2-core machine, in debug and sanitizer builds. Speed itself is
// measured in bench/, never here.
constexpr double k_hang_bound_seconds = 10.0;

template <typename Step> double seconds_taken(Step step)
{
    auto start = std::chrono::steady_clock::now();
    step();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Compares two trees: kinds, texts, quoting and positions.
void check_same_tree(const yaml::Node& left, const yaml::Node& right)
{
    CHECK(left.kind == right.kind);
    CHECK(left.text == right.text);
    CHECK(left.quoted == right.quoted);
    CHECK(position_of(left) == position_of(right));
    REQUIRE(left.items.size() == right.items.size());
    REQUIRE(left.entries.size() == right.entries.size());
    for (std::size_t i = 0; i < left.items.size(); ++i) {
        check_same_tree(left.items[i], right.items[i]);
    }
    for (std::size_t i = 0; i < left.entries.size(); ++i) {
        check_same_tree(left.entries[i].first, right.entries[i].first);
        check_same_tree(left.entries[i].second, right.entries[i].second);
    }
}

constexpr std::string_view k_environment = "name: demo\n"
                                           "channels:\n"
                                           "  - conda-forge\n"
                                           "dependencies:\n"
                                           "  - python=3.10\n"
                                           "  - pip:\n"
                                           "      - requests>=2\n"
                                           "variables: {A: '1', B: \"x y\"}\n";

} // namespace

TEST_CASE("yaml reader builds nested structures with positions", "[yaml]")
{
    yaml::Document document = yaml::parse(k_environment, "env.yml");

    const yaml::Node& root = document.root;
    REQUIRE(root.is_mapping());
    REQUIRE(root.entries.size() == 4);
    CHECK(root.entries[0].first.text == "name");
    CHECK(root.entries[1].first.text == "channels");
    CHECK(root.entries[2].first.text == "dependencies");
    CHECK(root.entries[3].first.text == "variables");
    CHECK(at(root, "name").text == "demo");
    CHECK(position_of(at(root, "name")) == "1:7");
    CHECK(root.find("missing") == nullptr);

    const yaml::Node& dependencies = at(root, "dependencies");
    REQUIRE(dependencies.is_sequence());
    REQUIRE(dependencies.items.size() == 2);
    CHECK(dependencies.items[0].text == "python=3.10");
    CHECK(position_of(dependencies.items[0]) == "5:5");
    const yaml::Node& pip = at(dependencies.items[1], "pip");
    REQUIRE(pip.is_sequence());
    REQUIRE(pip.items.size() == 1);
    CHECK(pip.items[0].text == "requests>=2");
    CHECK(position_of(pip.items[0]) == "7:9");

    const yaml::Node& variables = at(root, "variables");
    CHECK(variables.is_mapping());
    CHECK(at(variables, "A").text == "1");
    CHECK(at(variables, "A").quoted);
    CHECK(at(variables, "B").text == "x y");
    CHECK(position_of(at(variables, "B")) == "8:24");

    CHECK(document.lines.size() == 8);
    CHECK(document.lines[4] == "  - python=3.10");
}

TEST_CASE("yaml reader keeps every scalar's text", "[yaml]")
{
    yaml::Document document = yaml::parse("version: 3.10\n"
                                          "quoted: \"3.10\"\n"
                                          "octal: 0o17\n"
                                          "flag: yes\n"
                                          "float: 1e3\n"
                                          "single: 'it''s'\n"
                                          "literal: |\n"
                                          "  one\n"
                                          "  two\n"
                                          "folded: >\n"
                                          "  one\n"
                                          "  two\n",
                                          "env.yml");
    const yaml::Node& root = document.root;

    CHECK(at(root, "version").text == "3.10");
    CHECK_FALSE(at(root, "version").quoted);
    CHECK(at(root, "quoted").text == "3.10");
    CHECK(at(root, "quoted").quoted);
    CHECK(at(root, "octal").text == "0o17");
    CHECK(at(root, "flag").text == "yes");
    CHECK(at(root, "float").text == "1e3");
    CHECK_FALSE(at(root, "float").quoted);
    CHECK(at(root, "single").text == "it's");
    CHECK(at(root, "single").quoted);
    CHECK(at(root, "literal").text == "one\ntwo\n");
    CHECK(at(root, "literal").quoted);
    CHECK(position_of(at(root, "literal")) == "7:10");
    CHECK(at(root, "folded").text == "one two\n");
    CHECK(at(root, "folded").quoted);
}

TEST_CASE("yaml reader reads nulls", "[yaml]")
{
    yaml::Document document = yaml::parse("a: ~\n"
                                          "b: null\n"
                                          "c: Null\n"
                                          "d: NULL\n"
                                          "e:\n"
                                          "f: 'null'\n"
                                          "g: nullable\n"
                                          "list:\n"
                                          "  -\n"
                                          "  - x\n",
                                          "env.yml");
    const yaml::Node& root = document.root;

    for (std::string_view key : {"a", "b", "c", "d", "e"}) {
        INFO(key);
        CHECK(at(root, key).is_null());
    }
    CHECK(position_of(at(root, "b")) == "2:4");
    CHECK(at(root, "f").is_scalar());
    CHECK(at(root, "f").text == "null");
    CHECK(at(root, "g").is_scalar());

    SECTION("an empty value is placed just after its indicator")
    {
        CHECK(position_of(at(root, "e")) == "5:3");
        const yaml::Node& list = at(root, "list");
        REQUIRE(list.items.size() == 2);
        CHECK(list.items[0].is_null());
        CHECK(position_of(list.items[0]) == "9:4");
    }

    SECTION("an empty document has a null root")
    {
        CHECK(yaml::parse("", "env.yml").root.is_null());
        CHECK(yaml::parse("# only a comment\n", "env.yml").root.is_null());
        CHECK(yaml::parse("---\n", "env.yml").root.is_null());
    }
}

TEST_CASE("yaml reader turns parser errors into located diagnostics", "[yaml]")
{
    SECTION("yaml-cpp's own message, lowercased")
    {
        CHECK(refusal_of("a:\n  - b\n  c: 1\n") ==
              "3:3: yaml-syntax: invalid YAML: end of map not found");
        CHECK(refusal_of("a: [1, 2\n") ==
              "2:1: yaml-syntax: invalid YAML: end of sequence flow not found");
        CHECK(refusal_of("a: b: c\n") == "1:5: yaml-syntax: invalid YAML: illegal map value");
    }

    SECTION("the diagnostic carries the path, the line text and invalid_input")
    {
        try {
            yaml::parse("name: x\na: b: c\n", "dir/env.yml");
            FAIL("parse accepted invalid YAML");
        } catch (const Error& error) {
            CHECK(error.code() == ErrorCode::invalid_input);
            REQUIRE(error.location());
            CHECK(error.location()->path == "dir/env.yml");
            CHECK(error.location()->line_text == "a: b: c");
            CHECK(error.details().size() == 1);
        }
    }

    SECTION("an unclosed quote, which yaml-cpp accepts before a line end")
    {
        CHECK(refusal_of("a: \"x\nb: 1\n") ==
              "1:4: yaml-syntax: invalid YAML: end of quoted scalar not found");
        CHECK(refusal_of("a: 'it''s\n") ==
              "1:4: yaml-syntax: invalid YAML: end of quoted scalar not found");
        CHECK(refusal_of("a: \"x\\\"\"\n") == "parsed");
    }

    SECTION("more than one document")
    {
        CHECK(refusal_of("---\na: 1\n---\nb: 2\n") ==
              "3:1: yaml-syntax: more than one YAML document");
        CHECK(refusal_of("a: 1\n---\n") == "2:1: yaml-syntax: more than one YAML document");
        CHECK(refusal_of("---\na: 1\n...\n") == "parsed");
    }

    SECTION("keys that are not scalars")
    {
        CHECK(refusal_of("? [a]\n: 1\n") == "1:3: yaml-syntax: mapping keys must be scalars");
        CHECK(refusal_of("{x: 1, {a: 1}: 2}\n") ==
              "1:8: yaml-syntax: mapping keys must be scalars");
        CHECK(refusal_of("~: 1\n") == "1:1: yaml-syntax: mapping keys must not be null or empty");
        CHECK(refusal_of("{: 1}\n") == "1:2: yaml-syntax: mapping keys must not be null or empty");
    }
}

TEST_CASE("yaml reader refuses duplicate keys", "[yaml]")
{
    CHECK(refusal_of("name: x\n"
                     "dependencies:\n"
                     "  python: 3.10\n"
                     "  numpy: 1\n"
                     "  python: 3.11\n") ==
          "5:3: yaml-duplicate-key: duplicate key \"python\" (first at line 3)");
    CHECK(refusal_of("{a: 1, \"a\": 2}\n") ==
          "1:8: yaml-duplicate-key: duplicate key \"a\" (first at line 1)");
    CHECK(refusal_of("- a: 1\n- a: 2\n") == "parsed");
}

TEST_CASE("yaml reader refuses explicit tags", "[yaml]")
{
    CHECK(refusal_of("- !numpy\n") == "1:3: yaml-tag: YAML tags are not allowed: \"!numpy\"");
    CHECK(refusal_of("a: !!str 1\n") == "1:4: yaml-tag: YAML tags are not allowed: \"!!str\"");
    CHECK(refusal_of("a: !!python/object:os.system {}\n") ==
          "1:4: yaml-tag: YAML tags are not allowed: \"!!python/object:os.system\"");
    CHECK(refusal_of("[x, !numpy y]\n") == "1:5: yaml-tag: YAML tags are not allowed: \"!numpy\"");
    CHECK(refusal_of("a: !!map\n  b: 1\n") ==
          "1:4: yaml-tag: YAML tags are not allowed: \"!!map\"");
    CHECK(refusal_of("a: ! x\n") == "1:4: yaml-tag: YAML tags are not allowed: \"!\"");
    CHECK(refusal_of("a: \"!numpy\"\nb: x!y\n") == "parsed");
}

TEST_CASE("yaml reader refuses anchors and aliases", "[yaml]")
{
    CHECK(refusal_of("a: &base 1\n") ==
          "1:4: yaml-alias: YAML anchors and aliases are not allowed");
    CHECK(refusal_of("a: &base\n  x: 1\n") ==
          "1:4: yaml-alias: YAML anchors and aliases are not allowed");
    CHECK(refusal_of("- x\n- *base\n") ==
          "2:3: yaml-alias: YAML anchors and aliases are not allowed");
    CHECK(refusal_of("a: x&y*z\n") == "parsed");
}

TEST_CASE("yaml reader refuses text that is not UTF-8", "[yaml]")
{
    SECTION("invalid UTF-8")
    {
        CHECK(refusal_of("name: x\nb: caf\xE9\n") ==
              "2:7: yaml-encoding: invalid UTF-8 at byte 15");
        CHECK(refusal_of("a: \xC0\xAF\n") == "1:4: yaml-encoding: invalid UTF-8 at byte 4");
        CHECK(refusal_of("a: \xED\xA0\x80\n") == "1:4: yaml-encoding: invalid UTF-8 at byte 4");
        CHECK(refusal_of("a: \xE2\x82") == "1:4: yaml-encoding: invalid UTF-8 at byte 4");
        CHECK(refusal_of("a: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x8D\n") == "parsed");
    }

    SECTION("a NUL byte")
    {
        CHECK(refusal_of(std::string_view("a: 1\r\nb: x\0y\n", 13)) ==
              "2:5: yaml-encoding: NUL byte in file");
    }

    SECTION("the line is shown with the bad bytes replaced")
    {
        try {
            yaml::parse("a: caf\xE9!\n", "env.yml");
            FAIL("parse accepted invalid UTF-8");
        } catch (const Error& error) {
            REQUIRE(error.location());
            CHECK(error.location()->line_text == "a: caf?!");
            CHECK(error.hint() == "definition files must be UTF-8 text");
        }
    }
}

TEST_CASE("yaml reader reads CRLF, CR and a byte-order mark as plain LF text", "[yaml]")
{
    const std::string lf(k_environment);
    std::string crlf;
    std::string cr;
    for (char c : lf) {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        cr += c == '\n' ? '\r' : c;
    }
    yaml::Document expected = yaml::parse(lf, "env.yml");

    SECTION("CRLF with a byte-order mark")
    {
        yaml::Document document = yaml::parse("\xEF\xBB\xBF" + crlf, "env.yml");
        CHECK(document.text == lf);
        CHECK(document.lines == expected.lines);
        check_same_tree(document.root, expected.root);
    }

    SECTION("lone CR")
    {
        yaml::Document document = yaml::parse(cr, "env.yml");
        CHECK(document.text == lf);
        check_same_tree(document.root, expected.root);
    }

    SECTION("errors are located in the normalised text")
    {
        CHECK(refusal_of("\xEF\xBB\xBF"
                         "a: 1\r\na: 2\r\n") ==
              "2:1: yaml-duplicate-key: duplicate key \"a\" (first at line 1)");
        CHECK(refusal_of("\xEF\xBB\xBF"
                         "a: \xFF\r\n") == "1:4: yaml-encoding: invalid UTF-8 at byte 7");
    }
}

TEST_CASE("yaml reader refuses inputs past its limits", "[yaml]")
{
    SECTION("size")
    {
        std::string text = "a: " + std::string(1024 * 1024, 'x');
        CHECK(refusal_of(text) == "1:1: yaml-limit: file is larger than 1048576 bytes");
        CHECK(refusal_of("a: 12345\n", yaml::Limits{.max_bytes = 8}) ==
              "1:1: yaml-limit: file is larger than 8 bytes");
        CHECK(refusal_of("a: 1234\n", yaml::Limits{.max_bytes = 8}) == "parsed");
    }

    SECTION("depth")
    {
        std::string flow(64, '[');
        flow += std::string(64, ']');
        CHECK(refusal_of(flow) == "parsed");
        CHECK(refusal_of("[" + flow + "]") == "1:65: yaml-limit: nesting deeper than 64 levels");
        CHECK(refusal_of("a:\n  b:\n    c: 1\n", yaml::Limits{.max_depth = 2}) ==
              "3:5: yaml-limit: nesting deeper than 2 levels");
    }

    SECTION("depth past yaml-cpp's own bound still reads as a limit")
    {
        std::string flow = std::string(600, '[') + std::string(600, ']');
        CHECK(refusal_of(flow, yaml::Limits{.max_depth = 1000}) ==
              "1:499: yaml-limit: nesting deeper than 498 levels");
    }

    SECTION("nodes")
    {
        CHECK(refusal_of("[1, 2, 3]\n", yaml::Limits{.max_nodes = 3}) ==
              "1:8: yaml-limit: more than 3 nodes");
        CHECK(refusal_of("{a: 1}\n", yaml::Limits{.max_nodes = 3}) == "parsed");
    }
}

TEST_CASE("yaml reader refuses huge inputs quickly", "[yaml]")
{
    SECTION("a 64 MiB scalar")
    {
        std::string text = "a: " + std::string(64 * 1024 * 1024, 'x') + "\n";
        std::string refusal;
        CHECK(seconds_taken([&] { refusal = refusal_of(text); }) < k_hang_bound_seconds);
        CHECK(refusal == "1:1: yaml-limit: file is larger than 1048576 bytes");
    }

    SECTION("a million keys")
    {
        std::string text;
        for (int i = 0; i < 1000000; ++i) {
            text += fmt::format("k{}: {}\n", i, i);
        }
        std::string refusal;
        CHECK(seconds_taken([&] { refusal = refusal_of(text); }) < k_hang_bound_seconds);
        CHECK(refusal == "1:1: yaml-limit: file is larger than 1048576 bytes");

        yaml::Limits roomy{.max_bytes = text.size()};
        CHECK(seconds_taken([&] { refusal = refusal_of(text, roomy); }) < k_hang_bound_seconds);
        CHECK(refusal == "50000:9: yaml-limit: more than 100000 nodes");
    }

    SECTION("200,000 levels of flow nesting")
    {
        std::string text = std::string(200000, '[') + std::string(200000, ']') + "\n";
        std::string refusal;
        CHECK(seconds_taken([&] { refusal = refusal_of(text); }) < k_hang_bound_seconds);
        CHECK(refusal == "1:65: yaml-limit: nesting deeper than 64 levels");
    }

    SECTION("200,000 unclosed brackets")
    {
        // yaml-cpp reads each unclosed `[` as a possible mapping key, so each
        // one opens a mapping and a sequence: two levels per bracket.
        std::string text = std::string(200000, '[') + "\n";
        std::string refusal;
        CHECK(seconds_taken([&] { refusal = refusal_of(text); }) < k_hang_bound_seconds);
        CHECK(refusal == "1:33: yaml-limit: nesting deeper than 64 levels");
    }

    SECTION("200,000 levels of block nesting")
    {
        std::string text;
        for (int i = 0; i < 200000; ++i) {
            text += "- ";
        }
        text += "x\n";
        std::string refusal;
        CHECK(seconds_taken([&] { refusal = refusal_of(text); }) < k_hang_bound_seconds);
        CHECK(refusal == "1:129: yaml-limit: nesting deeper than 64 levels");
    }

    SECTION("block nesting by indentation")
    {
        std::string text;
        for (int i = 0; i < 1400; ++i) {
            text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
        }
        std::string refusal;
        CHECK(seconds_taken([&] { refusal = refusal_of(text); }) < k_hang_bound_seconds);
        CHECK(refusal == "65:65: yaml-limit: nesting deeper than 64 levels");
    }
}

TEST_CASE("yaml document locates marks with their line", "[yaml]")
{
    yaml::Document document = yaml::parse("a: 1\nbb: [x, y]\n", "some/env.yml");

    envstore::SourceLocation where = document.locate(yaml::Mark{2, 6});
    CHECK(where.path == "some/env.yml");
    CHECK(where.line == 2);
    CHECK(where.column == 6);
    CHECK(where.line_text == "bb: [x, y]");
    CHECK(document.locate(yaml::Mark{3, 1}).line_text.empty());
}

TEST_CASE("yaml reader reads the real-world corpus", "[yaml]")
{
    const std::filesystem::path corpus = ENVSTORE_CORPUS;
    if (!std::filesystem::is_directory(corpus)) {
        WARN("corpus folder " << corpus.string() << " is absent: skipping");
        return;
    }
    // Files of the corpus this reader refuses, with the refusal.
    const std::map<std::string, std::string> expected_refusals = {
        {"conda/repo2docker_venv-binder-dir__environment.yml",
         "3:3: yaml-syntax: invalid YAML: end of map not found"},
    };

    std::map<std::string, std::string> refusals;
    int parsed = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
        std::string extension = entry.path().extension().string();
        if (!entry.is_regular_file() || (extension != ".yml" && extension != ".yaml")) {
            continue;
        }
        std::string name = entry.path().lexically_relative(corpus).generic_string();
        std::string refusal = refusal_of(envstore::test::read_file(entry.path()));
        if (refusal == "parsed") {
            ++parsed;
            continue;
        }
        refusals[name] = refusal;
    }

    for (const auto& [name, refusal] : refusals) {
        UNSCOPED_INFO(name << ": " << refusal);
    }
    CHECK(refusals == expected_refusals);
    CHECK(parsed >= 70);
}
