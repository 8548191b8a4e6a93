// blame(): each element of a version blamed on the version that gave it its
// current value, over real histories with several authors; git reads the
// taggers and dates back as the judge.

#include "support/in_process.hpp"

#include "envstore/blame.hpp"
#include "envstore/versions.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using envstore::Blame;
using envstore::BlameEntry;
using envstore::BlameForm;
using envstore::ErrorCode;
using envstore::parse_reference;
using envstore::test::error_from;

namespace {

class History : public envstore::test::InProcessWorkspace
{
public:
    Blame blame(const std::string& reference, BlameForm form = BlameForm::written) const
    {
        return envstore::blame(workspace(), parse_reference(reference), form);
    }
};

std::string train(const std::string& conda, const std::string& variables = "A: \"1\"")
{
    return "name: train\n"
           "description: training\n"
           "python:\n"
           "  version: \"3.11\"\n"
           "  channels: [conda-forge]\n"
           "  conda: [" +
           conda +
           "]\n"
           "variables: {" +
           variables + "}\n";
}

// Element key -> the tag that introduced it ("" when not registered).
std::map<std::string, std::string> introduced_tags(const Blame& result)
{
    std::map<std::string, std::string> tags;
    for (const BlameEntry& entry : result.entries) {
        tags[entry.key] = entry.introduced ? entry.introduced->tag_name : "";
    }
    return tags;
}

const BlameEntry& entry_of(const Blame& result, const std::string& key)
{
    for (const BlameEntry& entry : result.entries) {
        if (entry.key == key) {
            return entry;
        }
    }
    FAIL("no element " << key);
    throw std::logic_error("unreachable");
}

// v1 by Ada; v2 by Bob changes numpy and removes scipy; v3 by Cy adds scipy
// back (with the same spec as in v1) and adds pandas.
void three_versions(History& store)
{
    store.register_as("train", "Ada", train("numpy=1.26, scipy=1.11"));
    store.register_as("train", "Bob", train("numpy=2.1"), "Bob was here");
    store.register_as("train", "Cy", train("numpy=2.1, scipy=1.11, pandas=2.2"));
}

} // namespace

TEST_CASE("blame names the version that gave each element its value", "[unit][blame]")
{
    History store;
    three_versions(store);

    SECTION("every element of the newest version, with the version after its last change")
    {
        Blame result = store.blame("train@v3");
        CHECK(result.version == 3);
        CHECK(result.reference.to_string() == "train@v3");
        CHECK(introduced_tags(result) == std::map<std::string, std::string>{
                                             {"description", "train@v1"},
                                             {"managed", "train@v1"},
                                             {"name", "train@v1"},
                                             {"python.channels", "train@v1"},
                                             {"python.channels/conda-forge", "train@v1"},
                                             {"python.conda/numpy", "train@v2"},
                                             {"python.conda/pandas", "train@v3"},
                                             {"python.conda/scipy", "train@v3"},
                                             {"python.version", "train@v1"},
                                             {"runtime", "train@v1"},
                                             {"variables/A", "train@v1"},
                                         });
        CHECK(entry_of(result, "python.conda/numpy").value == "numpy=2.1");
        CHECK(result.renamed_from.empty());
        CHECK(result.history_stop.empty());
    }
    SECTION("the tagger and date are the version's, as git reads them")
    {
        Blame result = store.blame("train@v3");
        const auto& numpy = *entry_of(result, "python.conda/numpy").introduced;
        CHECK(numpy.tagger.name == "Bob");
        CHECK(numpy.tagger.email == "Bob@example.org");
        CHECK(numpy.message == "Bob was here");
        CHECK(numpy.commit == store.git({"rev-parse", "train@v2^{commit}"}));
        CHECK(std::to_string(numpy.tagger.time) + " +0000" ==
              store.git({"for-each-ref", "--format=%(taggerdate:raw)", "refs/tags/train@v2"}));
        CHECK(entry_of(result, "variables/A").introduced->tagger.name == "Ada");
        CHECK(entry_of(result, "python.conda/scipy").introduced->tagger.name == "Cy");
    }
    SECTION("an older version leaves out what came later")
    {
        Blame result = store.blame("train@v2");
        auto tags = introduced_tags(result);
        CHECK_FALSE(tags.contains("python.conda/scipy"));
        CHECK_FALSE(tags.contains("python.conda/pandas"));
        CHECK(tags.at("python.conda/numpy") == "train@v2");
        CHECK(tags.at("variables/A") == "train@v1");
    }
    SECTION("latest and a label name the version they point at")
    {
        envstore::set_label(store.workspace(), parse_reference("train@v2"), "prod");
        CHECK(introduced_tags(store.blame("train@prod")) ==
              introduced_tags(store.blame("train@v2")));
        CHECK(store.blame("train@prod").version == 2);
        CHECK(introduced_tags(store.blame("train@latest")) ==
              introduced_tags(store.blame("train@v3")));
    }
}

TEST_CASE("blame of the working tree marks what is not registered", "[unit][blame]")
{
    History store;
    three_versions(store);
    store.write("train", train("numpy=2.1, scipy=1.11, pandas=2.2", "A: \"2\", B: \"3\""));

    Blame result = store.blame("train");
    CHECK_FALSE(result.version);
    CHECK_FALSE(entry_of(result, "variables/A").introduced);
    CHECK_FALSE(entry_of(result, "variables/B").introduced);
    CHECK(entry_of(result, "python.conda/numpy").introduced->tag_name == "train@v2");

    SECTION("a NAME without a working-tree definition is its latest version")
    {
        std::filesystem::remove_all(store.root() / "environments" / "train");
        Blame latest = store.blame("train");
        CHECK(latest.version == 3);
        CHECK(latest.reference.to_string() == "train@latest");
    }
    SECTION("a NAME without versions is all unregistered")
    {
        store.write("serve", train("flask").replace(6, 5, "serve"));
        for (const BlameEntry& entry : store.blame("serve").entries) {
            CHECK_FALSE(entry.introduced);
        }
    }
}

TEST_CASE("blame follows a rename into the old name's versions", "[unit][blame]")
{
    History store;
    store.register_as("train", "Ada", train("numpy=1.26"));
    store.register_as("train", "Bob", train("numpy=2.1"));
    envstore::rename_environment(store.workspace(), "train", "trainer");

    Blame result = store.blame("trainer@v1");
    CHECK(result.renamed_from == std::vector<std::string>{"train@v2"});
    CHECK(entry_of(result, "name").introduced->tag_name == "trainer@v1");
    CHECK(entry_of(result, "python.conda/numpy").introduced->tag_name == "train@v2");
    CHECK(entry_of(result, "python.conda/numpy").introduced->name == "train");
    CHECK(entry_of(result, "variables/A").introduced->tag_name == "train@v1");
}

TEST_CASE("blame --resolved blames inherited elements and names their base", "[unit][blame]")
{
    History store;
    store.register_as("base", "Ada", train("numpy=1.26").replace(6, 5, "base"));
    store.register_as("leaf", "Ada", "name: leaf\nextends: base@latest\nvariables: {L: x}\n");
    store.register_as("base", "Bob", train("numpy=2.1").replace(6, 5, "base"));
    // Unchanged, but its base moved: leaf@v2 is made on base@v2.
    store.register_as("leaf", "Cy", "name: leaf\nextends: base@latest\nvariables: {L: x}\n");

    Blame resolved = store.blame("leaf@v2", BlameForm::resolved);
    CHECK(resolved.form == BlameForm::resolved);
    const BlameEntry& numpy = entry_of(resolved, "python.conda/numpy");
    CHECK(numpy.value == "numpy=2.1");
    CHECK(numpy.introduced->tag_name == "leaf@v2");
    CHECK(numpy.inherited_from == "base@v2");
    CHECK(entry_of(resolved, "variables/A").introduced->tag_name == "leaf@v1");
    // Unchanged since leaf@v1, but provided by the base leaf@v2 uses.
    CHECK(entry_of(resolved, "variables/A").inherited_from == "base@v2");
    CHECK(entry_of(resolved, "variables/L").inherited_from.empty());
    CHECK_FALSE(introduced_tags(resolved).contains("extends"));

    Blame written = store.blame("leaf@v2");
    CHECK(entry_of(written, "extends").value == "base@latest");
    CHECK_FALSE(introduced_tags(written).contains("python.conda/numpy"));
    for (const BlameEntry& entry : written.entries) {
        CHECK(entry.introduced->tag_name == "leaf@v1");
        CHECK(entry.inherited_from.empty());
    }
}

TEST_CASE("blame refuses what it cannot follow", "[unit][blame]")
{
    History store;
    three_versions(store);
    auto code_of = [&](const std::string& reference) {
        auto error = error_from([&] { store.blame(reference); });
        REQUIRE(error);
        return error->code();
    };
    CHECK(code_of("train@v9") == ErrorCode::not_found);
    CHECK(code_of("train@nolabel") == ErrorCode::not_found);
    CHECK(code_of("nosuch") == ErrorCode::not_found);
    CHECK(code_of("nosuch@latest") == ErrorCode::not_found);
    std::string commit = store.git({"rev-parse", "train@v1^{commit}"});
    CHECK(code_of("train@" + commit) == ErrorCode::invalid_input);
    CHECK(code_of("curated/no-such-base@v1") == ErrorCode::not_found);
}
