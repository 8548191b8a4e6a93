#include "envstore/error.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <utility>
#include <vector>

using envstore::Diagnostic;
using envstore::Error;
using envstore::ErrorCode;
using envstore::SourceLocation;

namespace {

Diagnostic
located(std::string message, int line, int column, std::string line_text, std::string hint = {})
{
    return Diagnostic{
        "unknown-field",
        std::move(message),
        SourceLocation{"environments/train/environment.yaml", line, column, std::move(line_text)},
        std::move(hint)};
}

} // namespace

TEST_CASE("exit_code_of maps every error code to its documented status", "[unit][error]")
{
    const std::vector<std::pair<ErrorCode, int>> table{
        {ErrorCode::usage, 2},
        {ErrorCode::invalid_input, 3},
        {ErrorCode::not_found, 4},
        {ErrorCode::conflict, 5},
        {ErrorCode::remote, 6},
        {ErrorCode::repository, 8},
        {ErrorCode::internal, 9},
    };
    std::set<int> statuses;
    for (const auto& [code, status] : table) {
        INFO(envstore::name_of(code));
        CHECK(envstore::exit_code_of(code) == status);
        statuses.insert(envstore::exit_code_of(code));
    }
    // 0 is success and 1 means "differences found": no error may use them.
    CHECK(statuses.size() == table.size());
    CHECK_FALSE(statuses.contains(0));
    CHECK_FALSE(statuses.contains(1));
}

TEST_CASE("name_of gives the stable snake_case name of each error code", "[unit][error]")
{
    CHECK(envstore::name_of(ErrorCode::usage) == "usage");
    CHECK(envstore::name_of(ErrorCode::invalid_input) == "invalid_input");
    CHECK(envstore::name_of(ErrorCode::not_found) == "not_found");
    CHECK(envstore::name_of(ErrorCode::conflict) == "conflict");
    CHECK(envstore::name_of(ErrorCode::remote) == "remote");
    CHECK(envstore::name_of(ErrorCode::repository) == "repository");
    CHECK(envstore::name_of(ErrorCode::internal) == "internal");
}

TEST_CASE("a value outside ErrorCode is reported as internal", "[unit][error]")
{
    // Only a corrupted value can get here; the CLI must still exit with a documented status.
    auto corrupt = static_cast<ErrorCode>(42);
    CHECK(envstore::exit_code_of(corrupt) == 9);
    CHECK(envstore::name_of(corrupt) == "internal");
}

TEST_CASE("format_diagnostic without a location prints the message and hint only", "[unit][error]")
{
    Diagnostic plain{"missing-field", "the definition has no name", std::nullopt, ""};
    CHECK(envstore::format_diagnostic(plain) == "the definition has no name");

    plain.hint = "add name: train";
    CHECK(envstore::format_diagnostic(plain) ==
          "the definition has no name\nhint: add name: train");
}

TEST_CASE("format_diagnostic puts a caret under the column", "[unit][error]")
{
    SECTION("a caret under the first column")
    {
        auto diagnostic = located("unknown field \"nmae\"", 1, 1, "nmae: train");
        CHECK(envstore::format_diagnostic(diagnostic) ==
              "environments/train/environment.yaml:1:1: unknown field \"nmae\"\n"
              "    nmae: train\n"
              "    ^");
    }
    SECTION("a caret further along the line, with a hint")
    {
        auto diagnostic = located(
            "unknown field \"verison\"", 7, 3, "  verison: \"3.11\"", "did you mean \"version\"?");
        CHECK(envstore::format_diagnostic(diagnostic) ==
              "environments/train/environment.yaml:7:3: unknown field \"verison\"\n"
              "      verison: \"3.11\"\n"
              "      ^\n"
              "hint: did you mean \"version\"?");
    }
    SECTION("tabs before the column are kept so the caret lines up on a terminal")
    {
        auto diagnostic = located("bad value", 4, 4, "\t\tx: 1");
        CHECK(envstore::format_diagnostic(diagnostic) ==
              "environments/train/environment.yaml:4:4: bad value\n"
              "    \t\tx: 1\n"
              "    \t\t ^");
    }
    SECTION("a column past the end of the line puts the caret just after it")
    {
        auto diagnostic = located("the line ends too early", 2, 20, "abc");
        CHECK(envstore::format_diagnostic(diagnostic) ==
              "environments/train/environment.yaml:2:20: the line ends too early\n"
              "    abc\n"
              "       ^");
    }
    SECTION("without the line's text there is no caret line")
    {
        auto diagnostic = located("the file ends inside a list", 9, 1, "");
        CHECK(envstore::format_diagnostic(diagnostic) ==
              "environments/train/environment.yaml:9:1: the file ends inside a list");
    }
}

TEST_CASE("Error keeps its code, message and hint", "[unit][error]")
{
    Error error(ErrorCode::not_found, "no version \"train@v9\"", "train has versions v1 to v3");
    CHECK(error.code() == ErrorCode::not_found);
    CHECK(error.message() == "no version \"train@v9\"");
    CHECK(std::string(error.what()) == "no version \"train@v9\"");
    CHECK(error.hint() == "train has versions v1 to v3");
    CHECK(error.rule().empty());
    CHECK_FALSE(error.location());
    CHECK(error.details().empty());
}

TEST_CASE("Error from one diagnostic takes its rule, location and hint", "[unit][error]")
{
    Error error(located("unknown field \"nmae\"", 1, 1, "nmae: train", "did you mean \"name\"?"));
    CHECK(error.code() == ErrorCode::invalid_input);
    CHECK(error.message() == "unknown field \"nmae\"");
    CHECK(error.rule() == "unknown-field");
    CHECK(error.hint() == "did you mean \"name\"?");
    REQUIRE(error.location());
    CHECK(error.location()->path == "environments/train/environment.yaml");
    CHECK(error.location()->line == 1);
    CHECK(error.location()->column == 1);
    CHECK(error.location()->line_text == "nmae: train");
    REQUIRE(error.details().size() == 1);
    CHECK(error.details()[0].message == "unknown field \"nmae\"");
}

TEST_CASE("Error with several details is summarised by its own message", "[unit][error]")
{
    SECTION("several details: no single rule, location or hint")
    {
        std::vector<Diagnostic> details{located("first", 1, 1, "a: 1", "hint one"),
                                        located("second", 2, 1, "b: 2", "hint two")};
        Error error(
            ErrorCode::invalid_input, "definitions are invalid: nothing was written", details);
        CHECK(error.code() == ErrorCode::invalid_input);
        CHECK(error.message() == "definitions are invalid: nothing was written");
        CHECK(error.rule().empty());
        CHECK(error.hint().empty());
        CHECK_FALSE(error.location());
        REQUIRE(error.details().size() == 2);
        CHECK(error.details()[0].message == "first");
        CHECK(error.details()[1].message == "second");
    }
    SECTION("one detail: its rule, location and hint become the error's")
    {
        Error error(ErrorCode::invalid_input,
                    "a definition is invalid: nothing was written",
                    std::vector<Diagnostic>{located("only", 3, 5, "    x: 1", "fix it")});
        CHECK(error.message() == "a definition is invalid: nothing was written");
        CHECK(error.rule() == "unknown-field");
        CHECK(error.hint() == "fix it");
        REQUIRE(error.location());
        CHECK(error.location()->line == 3);
        CHECK(error.location()->column == 5);
    }
    SECTION("no details at all")
    {
        Error error(ErrorCode::conflict, "the workspace is locked", std::vector<Diagnostic>{});
        CHECK(error.code() == ErrorCode::conflict);
        CHECK(error.details().empty());
        CHECK_FALSE(error.location());
    }
}
