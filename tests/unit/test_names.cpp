#include "envstore/names.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using envstore::check_environment_name;
using envstore::check_label_name;
using envstore::closest_match;
using envstore::edit_distance;

TEST_CASE("environment names that are valid", "[names]")
{
    for (const char* name : {"train",
                             "train-gpu",
                             "py3.11",
                             "a",
                             "0day",
                             "base_cuda-12.1",
                             "x.lock.y",
                             "curated-vision"}) {
        INFO(name);
        CHECK_FALSE(check_environment_name(name));
    }
    CHECK_FALSE(check_environment_name(std::string(64, 'a')));
}

TEST_CASE("environment names that are refused say why", "[names]")
{
    auto reason = [](std::string_view name) { return check_environment_name(name).value_or(""); };

    CHECK(reason("") == "the name is empty");
    CHECK(reason(std::string(65, 'a')) == "longer than 64 characters");
    CHECK(reason("Train") ==
          "\"T\" is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")");
    CHECK(reason("train gpu") ==
          "byte 0x20 is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")");
    CHECK(reason("caf\xc3\xa9") ==
          "byte 0xc3 is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")");
    CHECK(reason("a/b") ==
          "\"/\" is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")");
    CHECK(reason("-train") == "must start with a lowercase letter or a digit");
    CHECK(reason(".train") == "must start with a lowercase letter or a digit");
    CHECK(reason("_train") == "must start with a lowercase letter or a digit");
    CHECK(reason("a..b") == "must not contain \"..\"");
    CHECK(reason("train.") == "must not end with \".\"");
    CHECK(reason("train.lock") == "must not end with \".lock\"");
    CHECK(reason("curated") == "\"curated\" is reserved");
}

TEST_CASE("label names follow the name rules and never read as another reference", "[names]")
{
    auto reason = [](std::string_view label) { return check_label_name(label).value_or(""); };

    SECTION("valid labels")
    {
        for (const char* label : {"prod",
                                  "staging",
                                  "v",
                                  "v1a",
                                  "va1",
                                  "latest-stable",
                                  "curated",
                                  "abcdef",
                                  "deadbeefx",
                                  "release-2024.05"}) {
            INFO(label);
            CHECK_FALSE(check_label_name(label));
        }
    }
    SECTION("versions, latest and commit ids")
    {
        CHECK(reason("v1") == "\"v1\" reads as a version number");
        CHECK(reason("v0042") == "\"v0042\" reads as a version number");
        CHECK(reason("12") == "\"12\" reads as a version number");
        CHECK(reason("latest") == "\"latest\" always means the newest version");
        CHECK(reason("deadbee") == "\"deadbee\" reads as a commit id");
        CHECK(reason(std::string(40, 'f')) ==
              "\"" + std::string(40, 'f') + "\" reads as a commit id");
    }
    SECTION("hex words outside the commit id lengths are labels")
    {
        CHECK_FALSE(check_label_name("cafe"));
        CHECK_FALSE(check_label_name(std::string(41, 'a')));
    }
    SECTION("the reserved word and the character rules")
    {
        CHECK(reason("archive") == "\"archive\" is reserved");
        CHECK(reason("Prod") ==
              "\"P\" is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")");
        CHECK(reason("prod.lock") == "must not end with \".lock\"");
        CHECK(reason("") == "the name is empty");
    }
}

TEST_CASE("edit distance counts insertions, deletions and substitutions", "[names]")
{
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("python", "python") == 0);
    CHECK(edit_distance("pyhton", "python") == 2);
    CHECK(edit_distance("chanels", "channels") == 1);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("flaw", "lawn") == 2);
}

TEST_CASE("closest match suggests only near candidates", "[names]")
{
    std::vector<std::string> fields = {"name", "python", "platforms", "docker", "spark"};

    CHECK(closest_match("pyhton", fields) == "python");
    CHECK(closest_match("platform", fields) == "platforms");
    CHECK(closest_match("dokcer", fields) == "docker");
    CHECK_FALSE(closest_match("kubernetes", fields));
    CHECK_FALSE(closest_match("x", fields));
}
