// Fixed dates for what envstore writes: GIT_AUTHOR_DATE and GIT_COMMITTER_DATE
// read as git reads them, and used for commits and version tags, with git as
// the judge of what was written.

#include "git/git.hpp"
#include "support/in_process.hpp"

#include "envstore/versions.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>

using namespace envstore;
using namespace envstore::test;

namespace {

// 2025-03-03 09:00:00 UTC.
constexpr std::int64_t k_monday = 1740992400;

void check_date(const char* text, std::int64_t time, int offset)
{
    INFO(text);
    git_time when = git::parse_date(text, "GIT_AUTHOR_DATE");
    CHECK(when.time == time);
    CHECK(when.offset == offset);
}

// Sets a variable for the life of one test.
struct ScopedVariable
{
    const char* name;
    ScopedVariable(const char* variable, const char* value) : name(variable)
    {
        setenv(variable, value, 1);
    }
    ~ScopedVariable() { unsetenv(name); }
};

} // namespace

TEST_CASE("parse_date reads the forms git accepts", "[git][date]")
{
    SECTION("git's own form")
    {
        check_date("@1740992400 +0000", k_monday, 0);
        check_date("1740992400 +0130", k_monday, 90);
        check_date("@1740992400 -0500", k_monday, -300);
        check_date("@1740992400", k_monday, 0);
    }
    SECTION("ISO 8601")
    {
        check_date("2025-03-03T09:00:00Z", k_monday, 0);
        check_date("2025-03-03 09:00:00 +0000", k_monday, 0);
        check_date("2025-03-03T11:00:00+02:00", k_monday, 120);
        check_date("2025-03-03T04:00:00.250-0500", k_monday, -300);
    }
    SECTION("RFC 2822")
    {
        check_date("Mon, 3 Mar 2025 09:00:00 +0000", k_monday, 0);
        check_date("03 Mar 2025 10:30:00 +0130", k_monday, 90);
    }
}

TEST_CASE("parse_date refuses what is not a date, naming the variable", "[git][date]")
{
    for (const char* text : {"yesterday",
                             "2025-03-03",
                             "2025-13-03T09:00:00Z",
                             "2025-03-03T25:00:00Z",
                             "2025-03-03T09:00:00 CET",
                             "@1740992400 +99",
                             "Mon, 3 Foo 2025 09:00:00 +0000"}) {
        INFO(text);
        auto error = error_from([&] { git::parse_date(text, "GIT_COMMITTER_DATE"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::invalid_input);
        CHECK(error->message() == fmt::format("invalid date in GIT_COMMITTER_DATE: \"{}\"", text));
        CHECK(error->hint() ==
              "write \"@SECONDS +ZZZZ\", ISO 8601 (\"2025-03-03T09:00:00Z\") or RFC 2822 "
              "(\"Mon, 3 Mar 2025 09:00:00 +0000\")");
    }
}

TEST_CASE("commits and version tags carry the date given in the environment", "[git][date]")
{
    InProcessWorkspace ws;
    ws.write("train", "name: train\n");

    SECTION("GIT_COMMITTER_DATE wins over GIT_AUTHOR_DATE")
    {
        ScopedVariable author("GIT_AUTHOR_DATE", "@1 +0000");
        ScopedVariable committer("GIT_COMMITTER_DATE", "2025-03-03T10:30:00+01:30");
        register_definitions(ws.workspace(), {"train"}, "first");
        CHECK(ws.git({"log", "-1", "--format=%ad|%cd", "--date=raw"}) ==
              "1740992400 +0130|1740992400 +0130");
        CHECK(ws.git({"for-each-ref", "--format=%(taggerdate:raw)", "refs/tags/train@v1"}) ==
              "1740992400 +0130");
        CHECK(lookup_version(ws.workspace(), "train", 1).tagger.time == k_monday);
    }
    SECTION("GIT_AUTHOR_DATE alone")
    {
        ScopedVariable author("GIT_AUTHOR_DATE", "@1740992400 +0000");
        register_definitions(ws.workspace(), {"train"}, "first");
        CHECK(ws.git({"log", "-1", "--format=%cd", "--date=raw"}) == "1740992400 +0000");
    }
    SECTION("an invalid date writes nothing")
    {
        ScopedVariable author("GIT_AUTHOR_DATE", "soon");
        auto error = error_from([&] { register_definitions(ws.workspace(), {"train"}, "x"); });
        REQUIRE(error);
        CHECK(error->message() == "invalid date in GIT_AUTHOR_DATE: \"soon\"");
        CHECK(ws.git({"tag", "-l"}).empty());
        CHECK(ws.git({"rev-list", "--count", "HEAD"}) == "1");
    }
}
