// The library's writers apply the policy before anything is written:
// commit_definitions, register_definitions and tag_version, called in-process,
// with git as the judge; and check_workspace over a working tree.

#include "support/in_process.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_fixture.hpp"

#include "envstore/check.hpp"
#include "envstore/policy.hpp"
#include "envstore/versions.hpp"

#include <catch2/catch.hpp>

using namespace envstore;
using test::error_from;

namespace {

class Store : public test::InProcessWorkspace
{
public:
    Store()
    {
        test::write_file(root() / k_settings_file,
                         test::read_file(root() / k_settings_file) +
                             "policy:\n  channels: [conda-forge]\n");
        git({"commit", "-q", "-m", "Policy", k_settings_file});
    }

    // What git knows: HEAD, the tags, the index and working tree.
    std::string state() const
    {
        return git({"rev-parse", "HEAD"}) + "\n" + git({"tag", "-l"}) + "\n" +
               git({"status", "--porcelain"});
    }
};

std::string rules_of(const Error& error)
{
    std::string rules;
    for (const auto& detail : error.details()) {
        rules += detail.rule + " ";
    }
    return rules;
}

} // namespace

TEST_CASE("the writers refuse a policy violation and write nothing", "[policy][apply]")
{
    Store store;
    store.write("train",
                "name: train\nruntime: python\npython:\n  version: \"3.11\"\n"
                "  channels: [conda-forge]\n  conda: [\"pkgs/main::openssl\"]\n");
    std::string before = store.state();

    SECTION("commit_definitions")
    {
        auto error = error_from([&] { commit_definitions(store.workspace(), {"train"}, ""); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->rule() == "policy-channel");
        CHECK(error->message() ==
              "a definition breaks the policy of envstore.yaml: nothing was written");
        REQUIRE(error->details().size() == 1);
        CHECK(error->details()[0].message == "conda package \"openssl\" names channel "
                                             "\"pkgs/main\", which the policy does not allow");
    }
    SECTION("register_definitions")
    {
        auto error = error_from([&] { register_definitions(store.workspace(), {"train"}, ""); });
        REQUIRE(error);
        CHECK(rules_of(*error) == "policy-channel ");
    }
    SECTION("tag_version, of what git committed")
    {
        store.git({"add", "environments"});
        store.git({"commit", "-q", "-m", "by hand"});
        before = store.state();
        auto error = error_from([&] { tag_version(store.workspace(), "train", ""); });
        REQUIRE(error);
        CHECK(rules_of(*error) == "policy-channel ");
    }
    CHECK(store.state() == before);
}

TEST_CASE("check_workspace gathers findings of every kind", "[policy][apply]")
{
    Store store;
    store.write("good", test::minimal_definition("good"));
    store.write("bad", "name: bad\nruntime: pyhton\n");
    store.write("train",
                "name: train\nruntime: python\npython:\n  version: \"3.11\"\n"
                "  channels: [nvidia]\n");

    CheckReport report = check_workspace(store.workspace());
    CHECK(report.environments == std::vector<std::string>{"bad", "good", "train"});
    REQUIRE(report.findings.size() == 2);
    CHECK(report.findings[0].environment == "bad");
    CHECK(report.findings[0].diagnostic.rule == "invalid-runtime");
    CHECK(report.findings[1].environment == "train");
    CHECK(report.findings[1].file == "environments/train/environment.yaml");
    CHECK(report.findings[1].diagnostic.rule == "policy-channel");
    CHECK(report.findings[1].diagnostic.location->line == 5);
    CHECK_FALSE(report.clean());
}
