// find_outdated(): working-tree environments pinned to an old version of
// their base, what changed in the resolved base since, and which version of
// the base made each change; bases that cannot be checked are listed, not fatal.

#include "support/in_process.hpp"

#include "envstore/outdated.hpp"
#include "envstore/versions.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using envstore::BaseChange;
using envstore::ErrorCode;
using envstore::OutdatedReport;
using envstore::test::error_from;

namespace {

class Bases : public envstore::test::InProcessWorkspace
{
public:
    // A working-tree environment extending `extends`.
    void extend(const std::string& name, const std::string& extends) const
    {
        write(name, "name: " + name + "\nextends: " + extends + "\nvariables: {OWN: x}\n");
    }

    OutdatedReport check(const std::vector<std::string>& names = {}) const
    {
        return envstore::find_outdated(workspace(), names);
    }
};

std::string base(const std::string& conda, const std::string& threads)
{
    return "name: base\n"
           "python:\n"
           "  version: \"3.11\"\n"
           "  channels: [conda-forge]\n"
           "  conda: [" +
           conda + "]\nvariables: {OMP_NUM_THREADS: \"" + threads + "\"}\n";
}

// base@v1 by Ada; v2 by Bob: numpy 2.1, pandas added; v3 by Cy: scipy
// removed, threads 8.
void three_bases(Bases& store)
{
    store.register_as("base", "Ada", base("numpy=1.26, scipy=1.11", "4"));
    store.register_as("base", "Bob", base("numpy=2.1, scipy=1.11, pandas=2.2", "4"));
    store.register_as("base", "Cy", base("numpy=2.1, pandas=2.2", "8"));
}

std::vector<std::string> names_of(const auto& entries)
{
    std::vector<std::string> names;
    for (const auto& entry : entries) {
        names.push_back(entry.name);
    }
    return names;
}

std::string describe(const BaseChange& base_change)
{
    const envstore::Change& change = base_change.change;
    return std::string(envstore::name_of(change.kind)) + " " + change.key() + " " +
           change.before.value_or("-") + " " + change.after.value_or("-") + " " +
           (base_change.changed_in
                ? base_change.changed_in->tag_name + " " + base_change.changed_in->tagger.name
                : std::string("?"));
}

} // namespace

TEST_CASE("outdated lists what changed in a pinned base since its pin", "[unit][outdated]")
{
    Bases store;
    three_bases(store);
    store.extend("train", "base@v1");

    OutdatedReport report = store.check();
    REQUIRE(report.outdated.size() == 1);
    const auto& train = report.outdated[0];
    CHECK(train.name == "train");
    CHECK(train.extends == "base@v1");
    CHECK(train.base == "base");
    CHECK(train.pinned == 1);
    CHECK(train.newest == 3);
    std::vector<std::string> changes;
    for (const BaseChange& change : train.changes) {
        changes.push_back(describe(change));
    }
    CHECK(changes == std::vector<std::string>{
                         "changed python.conda/numpy numpy=1.26 numpy=2.1 base@v2 Bob",
                         "added python.conda/pandas - pandas=2.2 base@v2 Bob",
                         "removed python.conda/scipy scipy=1.11 - base@v3 Cy",
                         "changed variables/OMP_NUM_THREADS 4 8 base@v3 Cy",
                     });
    CHECK(train.changes[0].changed_in->commit == store.git({"rev-parse", "base@v2^{commit}"}));
    CHECK(report.current.empty());
    CHECK(report.unchecked.empty());

    SECTION("a pin one version back compares with that version only")
    {
        store.extend("train", "base@v2");
        OutdatedReport from_v2 = store.check();
        const auto& changes_v2 = from_v2.outdated.at(0).changes;
        REQUIRE(changes_v2.size() == 2);
        CHECK(describe(changes_v2[0]) == "removed python.conda/scipy scipy=1.11 - base@v3 Cy");
    }
    SECTION("a change undone later is no change")
    {
        store.register_as("base", "Dee", base("numpy=1.26, scipy=1.11", "4"));
        store.extend("train", "base@v1");
        OutdatedReport undone = store.check();
        const auto& item = undone.outdated.at(0);
        CHECK(item.newest == 4);
        CHECK(item.changes.empty());
    }
}

TEST_CASE("outdated sorts environments by how they pin their base", "[unit][outdated]")
{
    Bases store;
    three_bases(store);
    store.extend("at-newest", "base@v3");
    store.extend("follows", "base@latest");
    store.extend("labelled", "base@prod");
    store.extend("old", "base@v2");
    store.write("plain", "name: plain\nvariables: {A: b}\n");
    envstore::set_label(store.workspace(), envstore::parse_reference("base@v1"), "prod");

    OutdatedReport report = store.check();
    CHECK(names_of(report.outdated) == std::vector<std::string>{"old"});
    CHECK(names_of(report.current) == std::vector<std::string>{"at-newest"});
    CHECK(names_of(report.followed) == std::vector<std::string>{"follows", "labelled"});
    CHECK(report.followed[1].extends == "base@prod");
    CHECK(report.unchecked.empty());

    SECTION("only the named environments are checked")
    {
        OutdatedReport named = store.check({"at-newest", "follows"});
        CHECK(named.outdated.empty());
        CHECK(names_of(named.current) == std::vector<std::string>{"at-newest"});
        CHECK(names_of(named.followed) == std::vector<std::string>{"follows"});
    }
    SECTION("a named environment without a working-tree definition is not found")
    {
        auto error = error_from([&] { store.check({"old", "nosuch"}); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
    }
}

TEST_CASE("outdated lists bases it cannot check and checks the others", "[unit][outdated]")
{
    Bases store;
    three_bases(store);
    store.extend("future", "base@v9");
    store.extend("ghost", "nobase@v1");
    store.extend("catalog", "curated/no-such-base@v1");
    store.write("broken", "name: broken\nextends: base@v1\nbogus: 1\n");
    store.extend("old", "base@v1");

    OutdatedReport report = store.check();
    CHECK(names_of(report.outdated) == std::vector<std::string>{"old"});
    REQUIRE(names_of(report.unchecked) ==
            std::vector<std::string>{"broken", "catalog", "future", "ghost"});

    const auto& broken = report.unchecked[0];
    CHECK(broken.code == ErrorCode::invalid_input);
    CHECK(broken.extends.empty());
    CHECK(broken.reason == "environments/broken/environment.yaml:3:1: unknown field \"bogus\"");

    const auto& curated = report.unchecked[1];
    CHECK(curated.code == ErrorCode::not_found);
    CHECK(curated.extends == "curated/no-such-base@v1");
    // Without a catalog in this build, or with one that lacks it: not found either way.
    CHECK_THAT(curated.reason, Catch::Contains("curated/no-such-base"));

    CHECK(report.unchecked[2].reason == "unknown reference \"base@v9\"");
    CHECK(report.unchecked[2].hint == "\"base\" has versions v1 to v3 and no labels");
    CHECK(report.unchecked[3].reason == "unknown reference \"nobase@v1\"");
    CHECK(report.unchecked[3].hint == "\"nobase\" has no versions and no labels");
}

TEST_CASE("outdated reports a reordered channel list as the diff does", "[unit][outdated]")
{
    Bases store;
    auto channels = [](const std::string& list) {
        return "name: base\npython:\n  version: \"3.11\"\n  channels: [" + list + "]\n";
    };
    store.register_as("base", "Ada", channels("conda-forge, bioconda"));
    store.register_as("base", "Bob", channels("bioconda, conda-forge"));
    store.register_as("base", "Cyd", channels("bioconda, conda-forge, defaults"));
    store.extend("train", "base@v1");

    // The order is one element, "python.channels", whose newest value (all
    // three channels) came with v3.
    OutdatedReport report = store.check();
    std::vector<std::string> changes;
    for (const BaseChange& change : report.outdated.at(0).changes) {
        changes.push_back(describe(change));
    }
    CHECK(changes == std::vector<std::string>{
                         "added python.channels/defaults - defaults base@v3 Cyd",
                         "reordered python.channels conda-forge, bioconda bioconda, conda-forge "
                         "base@v3 Cyd",
                     });
}
