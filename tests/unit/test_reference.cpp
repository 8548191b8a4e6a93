#include "envstore/error.hpp"
#include "envstore/reference.hpp"

#include <catch2/catch.hpp>

#include <string>

using envstore::ErrorCode;
using envstore::parse_reference;
using envstore::Reference;
using envstore::ReferenceKind;

namespace {

// The message of the Error(invalid_input) that parsing `text` throws, or a
// note saying that it did not throw one.
std::string refusal(std::string_view text)
{
    try {
        Reference reference = parse_reference(text);
        return "accepted as " + reference.to_string();
    } catch (const envstore::Error& error) {
        if (error.code() != ErrorCode::invalid_input) {
            return "wrong code " + std::string(envstore::name_of(error.code()));
        }
        return error.message();
    }
}

const char* k_bad_characters =
    "is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")";

} // namespace

TEST_CASE("a bare name refers to the working tree", "[unit][reference]")
{
    Reference reference = parse_reference("train");
    CHECK(reference.name == "train");
    CHECK(reference.kind == ReferenceKind::working_tree);
    CHECK(reference.version == 0);
    CHECK(reference.value.empty());
    CHECK(reference.to_string() == "train");
}

TEST_CASE("versions are written NAME@vN or NAME@N", "[unit][reference]")
{
    SECTION("with a v")
    {
        Reference reference = parse_reference("train@v3");
        CHECK(reference.name == "train");
        CHECK(reference.kind == ReferenceKind::version);
        CHECK(reference.version == 3);
        CHECK(reference.value.empty());
    }
    SECTION("digits only")
    {
        Reference reference = parse_reference("train@3");
        CHECK(reference.kind == ReferenceKind::version);
        CHECK(reference.version == 3);
        CHECK(reference.to_string() == "train@v3");
    }
    SECTION("seven digits are a version, never a commit: a commit prefix needs a letter")
    {
        Reference reference = parse_reference("train@1234567");
        CHECK(reference.kind == ReferenceKind::version);
        CHECK(reference.version == 1234567);
    }
    SECTION("leading zeros are accepted and dropped from the normal form")
    {
        Reference reference = parse_reference("train@v007");
        CHECK(reference.kind == ReferenceKind::version);
        CHECK(reference.version == 7);
        CHECK(reference.to_string() == "train@v7");
    }
}

TEST_CASE("version 0 and numbers too large are refused", "[unit][reference]")
{
    CHECK(refusal("train@v0") == "invalid reference \"train@v0\": version numbers start at 1");
    CHECK(refusal("train@0") == "invalid reference \"train@0\": version numbers start at 1");
    CHECK(refusal("train@v000") == "invalid reference \"train@v000\": version numbers start at 1");
    CHECK(refusal("train@v99999999999") ==
          "invalid reference \"train@v99999999999\": version number 99999999999 is too large");
}

TEST_CASE("NAME@latest names the newest version", "[unit][reference]")
{
    Reference reference = parse_reference("train@latest");
    CHECK(reference.kind == ReferenceKind::latest);
    CHECK(reference.name == "train");
    CHECK(reference.value.empty());
    CHECK(reference.to_string() == "train@latest");
}

TEST_CASE("7 to 40 lowercase hex digits with a letter are a commit", "[unit][reference]")
{
    for (std::string hex :
         {"abcdef1", "deadbeef", "0123456789abcdef0123456789abcdef01234567", "1234567890a"}) {
        INFO(hex);
        Reference reference = parse_reference("train@" + hex);
        CHECK(reference.kind == ReferenceKind::commit);
        CHECK(reference.value == hex);
        CHECK(reference.to_string() == "train@" + hex);
    }
}

TEST_CASE("what is not a version, latest or a commit is a label", "[unit][reference]")
{
    SECTION("an ordinary label")
    {
        Reference reference = parse_reference("train@prod");
        CHECK(reference.kind == ReferenceKind::label);
        CHECK(reference.value == "prod");
        CHECK(reference.to_string() == "train@prod");
    }
    SECTION("six hex digits are too short for a commit, so they are a label")
    {
        Reference reference = parse_reference("train@abcdef");
        CHECK(reference.kind == ReferenceKind::label);
        CHECK(reference.value == "abcdef");
    }
    SECTION("41 hex digits are too long for a commit; check_label_name accepts them as a label")
    {
        std::string hex(41, 'a');
        Reference reference = parse_reference("train@" + hex);
        CHECK(reference.kind == ReferenceKind::label);
        CHECK(reference.value == hex);
    }
    SECTION("a lone v and words starting with v or latest are labels")
    {
        CHECK(parse_reference("train@v").kind == ReferenceKind::label);
        CHECK(parse_reference("train@v1a").kind == ReferenceKind::label);
        CHECK(parse_reference("train@latest-gpu").kind == ReferenceKind::label);
        CHECK(parse_reference("train@release.2024-01").value == "release.2024-01");
    }
}

TEST_CASE("a bad environment name is refused with the reason", "[unit][reference]")
{
    CHECK(refusal("") == "invalid reference \"\": the name is empty");
    CHECK(refusal("@v1") == "invalid reference \"@v1\": the name is empty");
    CHECK(refusal("Train@v1") ==
          std::string("invalid reference \"Train@v1\": \"T\" ") + k_bad_characters);
    CHECK(refusal("-train") ==
          "invalid reference \"-train\": must start with a lowercase letter or a digit");
    CHECK(refusal("curated@v1") == "invalid reference \"curated@v1\": \"curated\" is reserved");
    CHECK(refusal("train.lock") == "invalid reference \"train.lock\": must not end with \".lock\"");
}

TEST_CASE("nothing after @ is refused with a hint", "[unit][reference]")
{
    try {
        parse_reference("train@");
        FAIL("train@ was accepted");
    } catch (const envstore::Error& error) {
        CHECK(error.code() == ErrorCode::invalid_input);
        CHECK(error.message() == "invalid reference \"train@\": nothing after \"@\"");
        CHECK(error.hint() == "write NAME@vN, NAME@latest, NAME@COMMIT or NAME@LABEL");
    }
}

TEST_CASE("a bad label is refused with the reason", "[unit][reference]")
{
    CHECK(refusal("train@Prod") ==
          std::string("invalid reference \"train@Prod\": \"P\" ") + k_bad_characters);
    SECTION("uppercase hex is not a commit: ids are written in lowercase")
    {
        CHECK(refusal("train@ABCDEF1") ==
              std::string("invalid reference \"train@ABCDEF1\": \"A\" ") + k_bad_characters);
    }
    SECTION("a second @ is part of the label, and refused there")
    {
        CHECK(refusal("train@v1@prod") ==
              std::string("invalid reference \"train@v1@prod\": \"@\" ") + k_bad_characters);
    }
    CHECK(refusal("train@archive") ==
          "invalid reference \"train@archive\": \"archive\" is reserved");
    CHECK(refusal("train@.prod") ==
          "invalid reference \"train@.prod\": must start with a lowercase letter or a digit");
    CHECK(refusal("train@prod.") == "invalid reference \"train@prod.\": must not end with \".\"");
    CHECK(refusal("train@" + std::string(65, 'p')) ==
          "invalid reference \"train@" + std::string(65, 'p') + "\": longer than 64 characters");
}

TEST_CASE("to_string gives a form that parses back to the same reference", "[unit][reference]")
{
    for (const char* text : {"train",
                             "train@v1",
                             "train@v42",
                             "train@latest",
                             "train@abcdef1",
                             "py3.11-gpu@0123456789abcdef0123456789abcdef01234567",
                             "train@prod",
                             "a@b"}) {
        INFO(text);
        Reference reference = parse_reference(text);
        CHECK(reference.to_string() == text);
        CHECK(parse_reference(reference.to_string()) == reference);
    }
    SECTION("references built in code print the same way")
    {
        Reference label{"serve", ReferenceKind::label, 0, "staging"};
        CHECK(label.to_string() == "serve@staging");
        Reference version{"serve", ReferenceKind::version, 12, ""};
        CHECK(version.to_string() == "serve@v12");
        CHECK(parse_reference("serve@12") == version);
    }
}

TEST_CASE("version_tag_name is NAME@vN", "[unit][reference]")
{
    CHECK(envstore::version_tag_name("train", 1) == "train@v1");
    CHECK(envstore::version_tag_name("py3.11-gpu", 1234) == "py3.11-gpu@v1234");
    CHECK(envstore::version_tag_name("train", 3) == parse_reference("train@3").to_string());
}
