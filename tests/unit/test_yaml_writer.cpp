// The YAML writer of export: its layout, its escapes, and two independent
// readers (PyYAML, a YAML 1.1 reader as conda uses; yaml-cpp, YAML 1.2)
// reading back every tricky string as exactly that string.

#include "support/export_readers.hpp"
#include "yaml/yaml_writer.hpp"

#include "envstore/error.hpp"

#include <catch2/catch.hpp>

using namespace envstore;
using envstore::yaml::YamlNode;

namespace {

// A document with each tricky string as a list item, as a mapping value and
// as a mapping key, and the JSON that a reader must give for it.
std::pair<std::string, nlohmann::json> tricky_document()
{
    YamlNode values = YamlNode::list();
    YamlNode keyed = YamlNode::map();
    nlohmann::json expected_values = nlohmann::json::array();
    nlohmann::json expected_keyed = nlohmann::json::object();
    for (const std::string& text : test::tricky_strings()) {
        values.add(text);
        keyed.set(text, text);
        expected_values.push_back(text);
        expected_keyed[text] = text;
    }
    YamlNode document = YamlNode::map().set("values", std::move(values));
    document.set("keyed", std::move(keyed));
    nlohmann::json expected = {{"values", expected_values}, {"keyed", expected_keyed}};
    return {yaml::write_yaml(document), expected};
}

} // namespace

TEST_CASE("yaml_quote escapes quotes, backslashes and what a reader would fold or refuse")
{
    CHECK(yaml::yaml_quote("3.10") == "\"3.10\"");
    CHECK(yaml::yaml_quote("no") == "\"no\"");
    CHECK(yaml::yaml_quote("") == "\"\"");
    CHECK(yaml::yaml_quote("q\"b\\") == "\"q\\\"b\\\\\"");
    CHECK(yaml::yaml_quote("a\nb\tc\rd") == "\"a\\nb\\tc\\rd\"");
    CHECK(yaml::yaml_quote(std::string("\0\x1b\x7f", 3)) == "\"\\u0000\\u001B\\u007F\"");
    CHECK(yaml::yaml_quote("\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xef\xbb\xbf") ==
          "\"\\u0085\\u2028\\u2029\\uFEFF\"");
    CHECK(yaml::yaml_quote("caf\xc3\xa9 \xf0\x9f\x98\x80") == "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    CHECK(yaml::yaml_quote(" x ") == "\" x \"");
}

TEST_CASE("yaml_quote refuses text that is not UTF-8")
{
    CHECK_THROWS_AS(yaml::yaml_quote("bad \xff byte"), Error);
    CHECK_THROWS_AS(yaml::yaml_quote("cut \xe2\x80"), Error);
    CHECK_THROWS_AS(yaml::yaml_quote("overlong \xc0\xaf"), Error);
}

TEST_CASE("yaml_key leaves plain only the keys no reader can take for anything else")
{
    CHECK(yaml::yaml_key("name") == "name");
    CHECK(yaml::yaml_key("OMP_NUM_THREADS") == "OMP_NUM_THREADS");
    CHECK(yaml::yaml_key("conda_file") == "conda_file");
    for (const char* word : {"on", "ON", "Y", "n", "No", "null", "True"}) {
        CHECK(yaml::yaml_key(word) == "\"" + std::string(word) + "\"");
    }
    CHECK(yaml::yaml_key("$schema") == "\"$schema\"");
    CHECK(yaml::yaml_key("1x") == "\"1x\"");
    CHECK(yaml::yaml_key("a b") == "\"a b\"");
    CHECK(yaml::yaml_key("") == "\"\"");
}

TEST_CASE("write_yaml writes block style with two-space indents and nested list items")
{
    YamlNode pip = YamlNode::list().add("requests");
    YamlNode dependencies = YamlNode::list().add("numpy").add("pip");
    dependencies.add(YamlNode::map().set("pip", std::move(pip)));
    YamlNode document = YamlNode::map().set("name", "x");
    document.set("dependencies", std::move(dependencies));
    document.set("empty", YamlNode::list());
    document.set("none", YamlNode::map());
    document.set("variables", YamlNode::map().set("A", "1").set("on", "2"));

    CHECK(yaml::write_yaml(document) == "name: \"x\"\n"
                                        "dependencies:\n"
                                        "  - \"numpy\"\n"
                                        "  - \"pip\"\n"
                                        "  - pip:\n"
                                        "      - \"requests\"\n"
                                        "empty: []\n"
                                        "none: {}\n"
                                        "variables:\n"
                                        "  A: \"1\"\n"
                                        "  \"on\": \"2\"\n");
}

TEST_CASE("a list item holding a mapping of several keys keeps them aligned")
{
    YamlNode item = YamlNode::map().set("a", "1").set("b", YamlNode::list().add("x"));
    YamlNode document = YamlNode::map().set("items", YamlNode::list().add(std::move(item)));
    CHECK(yaml::write_yaml(document) == "items:\n"
                                        "  - a: \"1\"\n"
                                        "    b:\n"
                                        "      - \"x\"\n");
    nlohmann::json expected = {{"items", {{{"a", "1"}, {"b", {"x"}}}}}};
    CHECK(test::read_with_yaml_cpp(yaml::write_yaml(document)) == expected);
}

TEST_CASE("a key too long for an implicit key is written as an explicit one")
{
    std::string key(1500, 'k');
    YamlNode document = YamlNode::map().set(key, "v").set("after", YamlNode::list().add("x"));
    std::string text = yaml::write_yaml(document);
    CHECK(text.starts_with("? " + key + "\n: \"v\"\nafter:\n"));
    nlohmann::json expected = {{key, "v"}, {"after", {"x"}}};
    CHECK(test::read_with_yaml_cpp(text) == expected);
    if (std::optional<nlohmann::json> read = test::read_with_pyyaml(text)) {
        CHECK(*read == expected);
    }
}

TEST_CASE("yaml-cpp (YAML 1.2) reads every tricky string back as that string")
{
    auto [text, expected] = tricky_document();
    INFO(text);
    CHECK(test::read_with_yaml_cpp(text) == expected);
}

TEST_CASE("PyYAML (YAML 1.1, as conda reads) reads every tricky string back as that string")
{
    auto [text, expected] = tricky_document();
    INFO(text);
    std::optional<nlohmann::json> read = test::read_with_pyyaml(text);
    if (read) {
        CHECK(*read == expected);
    }
}
