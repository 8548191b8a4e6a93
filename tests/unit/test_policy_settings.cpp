// parse_policy: the `policy:` section of envstore.yaml read strictly, every
// problem with its exact place in the file.

#include "envstore/policy.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace envstore;

namespace {

const std::string k_head = "format: 1\nmin_envstore: 0.1.0\n";

// Every diagnostic of reading `text`, formatted, each with its rule first.
std::vector<std::string> errors_of(const std::string& text)
{
    std::vector<std::string> out;
    for (const auto& error : parse_policy(text).errors) {
        out.push_back(error.rule + " " + format_diagnostic(error));
    }
    return out;
}

using Strings = std::vector<std::string>;

} // namespace

TEST_CASE("parse_policy reads every list of the policy", "[policy][settings]")
{
    PolicyReadResult read = parse_policy(k_head + "policy:\n"
                                                  "  channels: [conda-forge, nvidia]\n"
                                                  "  forbidden_packages: [pycrypto]\n"
                                                  "  pinned_packages: [numpy, \"torch*\"]\n"
                                                  "  base_images: [\"nvidia/cuda:12.*\"]\n"
                                                  "  pip_indexes: []\n");
    REQUIRE(read.errors.empty());
    REQUIRE(read.policy);
    CHECK(read.policy->channels == Strings{"conda-forge", "nvidia"});
    CHECK(read.policy->forbidden_packages == Strings{"pycrypto"});
    CHECK(read.policy->pinned_packages == Strings{"numpy", "torch*"});
    CHECK(read.policy->base_images == Strings{"nvidia/cuda:12.*"});
    CHECK(read.policy->pip_indexes == Strings{});
    CHECK_FALSE(read.policy->empty());
}

TEST_CASE("parse_policy without a policy section", "[policy][settings]")
{
    SECTION("the settings init writes")
    {
        PolicyReadResult read = parse_policy("# envstore workspace settings\n" + k_head);
        CHECK(read.errors.empty());
        CHECK_FALSE(read.policy);
    }
    SECTION("an empty file")
    {
        CHECK_FALSE(parse_policy("").policy);
    }
    SECTION("an empty policy sets no rule")
    {
        PolicyReadResult read = parse_policy(k_head + "policy: {}\n");
        REQUIRE(read.policy);
        CHECK(read.policy->empty());
        CHECK_FALSE(read.policy->channels);
    }
}

TEST_CASE("parse_policy reports every problem at its place", "[policy][settings]")
{
    SECTION("unknown keys, with a suggestion")
    {
        CHECK(errors_of(k_head + "polcy:\n  channels: [conda-forge]\n") ==
              Strings{"unknown-field envstore.yaml:3:1: unknown field \"polcy\"\n"
                      "    polcy:\n"
                      "    ^\n"
                      "hint: did you mean \"policy\"?"});
        CHECK(errors_of(k_head + "policy:\n  chanels: [conda-forge]\n  forbiden: [x]\n") ==
              Strings{"unknown-field envstore.yaml:4:3: unknown field \"chanels\" in \"policy\"\n"
                      "      chanels: [conda-forge]\n"
                      "      ^\n"
                      "hint: did you mean \"channels\"?",
                      "unknown-field envstore.yaml:5:3: unknown field \"forbiden\" in \"policy\"\n"
                      "      forbiden: [x]\n"
                      "      ^"});
    }
    SECTION("wrong types")
    {
        CHECK(errors_of(k_head + "policy: [conda-forge]\n") ==
              Strings{"wrong-type envstore.yaml:3:9: \"policy\" must be a mapping\n"
                      "    policy: [conda-forge]\n"
                      "            ^"});
        CHECK(errors_of(k_head + "policy:\n  channels: conda-forge\n  base_images: [[a]]\n") ==
              Strings{"wrong-type envstore.yaml:4:13: \"policy.channels\" must be a list of "
                      "strings\n"
                      "      channels: conda-forge\n"
                      "                ^",
                      "wrong-type envstore.yaml:5:17: \"policy.base_images\" must be a list of "
                      "strings\n"
                      "      base_images: [[a]]\n"
                      "                    ^"});
    }
    SECTION("bad entries")
    {
        CHECK(errors_of(k_head + "policy:\n"
                                 "  pinned_packages: [numpy, \"numpy>=1.26\", \"\"]\n"
                                 "  pip_indexes: [\"https://a b\"]\n"
                                 "  channels: [conda-forge, conda-forge]\n") ==
              Strings{"invalid-policy envstore.yaml:4:28: invalid package name \"numpy>=1.26\" "
                      "in \"policy.pinned_packages\"\n"
                      "      pinned_packages: [numpy, \"numpy>=1.26\", \"\"]\n"
                      "                               ^\n"
                      "hint: give a package name or a glob pattern over names, without a version",
                      "empty-value envstore.yaml:4:43: empty value for "
                      "\"policy.pinned_packages\"\n"
                      "      pinned_packages: [numpy, \"numpy>=1.26\", \"\"]\n"
                      "                                              ^",
                      "invalid-policy envstore.yaml:5:17: \"policy.pip_indexes\" entries cannot "
                      "contain blanks: \"https://a b\"\n"
                      "      pip_indexes: [\"https://a b\"]\n"
                      "                    ^",
                      "duplicate-entry envstore.yaml:6:27: duplicate entry \"conda-forge\" "
                      "(first at line 6)\n"
                      "      channels: [conda-forge, conda-forge]\n"
                      "                              ^"});
    }
    SECTION("YAML the reader refuses")
    {
        CHECK(errors_of(k_head + "policy:\n  channels: [a]\n  channels: [b]\n") ==
              Strings{"yaml-duplicate-key envstore.yaml:5:3: duplicate key \"channels\" (first at "
                      "line 4)\n"
                      "      channels: [b]\n"
                      "      ^"});
    }
    SECTION("a result with errors has no policy")
    {
        CHECK_FALSE(parse_policy(k_head + "policy:\n  chanels: [a]\n").policy);
    }
}
