#include "git/git.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <ctime>

namespace envstore::git {
namespace {

// A cursor over the date text; each reader consumes what it matched.
struct Cursor
{
    std::string_view text;

    bool take(char c)
    {
        if (text.empty() || text.front() != c) {
            return false;
        }
        text.remove_prefix(1);
        return true;
    }

    void skip_spaces()
    {
        while (take(' ')) {
        }
    }

    // Exactly `digits` digits (when 0: all the digits there are, at least one).
    std::optional<std::int64_t> number(std::size_t digits = 0)
    {
        std::size_t length = 0;
        while (length < text.size() && (digits == 0 || length < digits) && text[length] >= '0' &&
               text[length] <= '9') {
            ++length;
        }
        if (length == 0 || (digits != 0 && length != digits)) {
            return std::nullopt;
        }
        std::int64_t value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + length, value);
        if (error != std::errc()) {
            return std::nullopt;
        }
        text.remove_prefix(length);
        return value;
    }
};

// "+HHMM", "+HH:MM", "+HH" or "Z", as minutes east of UTC.
std::optional<int> read_zone(Cursor& cursor)
{
    if (cursor.take('Z')) {
        return 0;
    }
    int sign = cursor.take('+') ? 1 : cursor.take('-') ? -1 : 0;
    if (sign == 0) {
        return std::nullopt;
    }
    auto hours = cursor.number(2);
    if (!hours) {
        return std::nullopt;
    }
    cursor.take(':');
    auto minutes = cursor.text.empty() ? std::optional<std::int64_t>(0) : cursor.number(2);
    if (!minutes || *hours > 14 || *minutes > 59) {
        return std::nullopt;
    }
    return sign * static_cast<int>(*hours * 60 + *minutes);
}

// "HH:MM:SS" with an optional fraction, which is dropped as git drops it.
bool read_clock(Cursor& cursor, std::tm& fields)
{
    auto hour = cursor.number(2);
    auto minute = cursor.take(':') ? cursor.number(2) : std::nullopt;
    auto second = cursor.take(':') ? cursor.number(2) : std::nullopt;
    if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) {
        return false;
    }
    if (cursor.take('.') && !cursor.number()) {
        return false;
    }
    fields.tm_hour = static_cast<int>(*hour);
    fields.tm_min = static_cast<int>(*minute);
    fields.tm_sec = static_cast<int>(*second);
    return true;
}

bool set_day(std::tm& fields, std::int64_t year, std::int64_t month, std::int64_t day)
{
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
        return false;
    }
    fields.tm_year = static_cast<int>(year - 1900);
    fields.tm_mon = static_cast<int>(month - 1);
    fields.tm_mday = static_cast<int>(day);
    return true;
}

// Seconds since the epoch of `fields` read in `zone` (minutes east of UTC),
// or in the local time zone when there is none, as git reads such dates.
git_time to_git_time(std::tm fields, std::optional<int> zone)
{
    std::int64_t utc = timegm(&fields);
    if (zone) {
        return {utc - *zone * 60, *zone, *zone < 0 ? '-' : '+'};
    }
    fields.tm_isdst = -1;
    std::int64_t local = std::mktime(&fields);
    int offset = static_cast<int>((utc - local) / 60);
    return {local, offset, offset < 0 ? '-' : '+'};
}

// "@SECONDS +ZZZZ" or "SECONDS +ZZZZ": git's own format.
std::optional<git_time> read_raw(Cursor cursor)
{
    cursor.take('@');
    auto seconds = cursor.number();
    cursor.skip_spaces();
    auto zone = cursor.text.empty() ? std::optional<int>(0) : read_zone(cursor);
    if (!seconds || !zone || !cursor.text.empty()) {
        return std::nullopt;
    }
    return git_time{*seconds, *zone, *zone < 0 ? '-' : '+'};
}

// "YYYY-MM-DDTHH:MM:SS" (or a space for T), then an optional zone.
std::optional<git_time> read_iso(Cursor cursor)
{
    std::tm fields{};
    auto year = cursor.number(4);
    auto month = cursor.take('-') ? cursor.number(2) : std::nullopt;
    auto day = cursor.take('-') ? cursor.number(2) : std::nullopt;
    if (!year || !month || !day || !set_day(fields, *year, *month, *day)) {
        return std::nullopt;
    }
    if ((!cursor.take('T') && !cursor.take(' ')) || !read_clock(cursor, fields)) {
        return std::nullopt;
    }
    cursor.skip_spaces();
    std::optional<int> zone;
    if (!cursor.text.empty() && !(zone = read_zone(cursor))) {
        return std::nullopt;
    }
    if (!cursor.text.empty()) {
        return std::nullopt;
    }
    return to_git_time(fields, zone);
}

// RFC 2822: "[Thu, ]07 Apr 2005 22:13:13 +0200", as git log prints dates.
std::optional<git_time> read_rfc2822(Cursor cursor)
{
    static constexpr std::array<std::string_view, 12> k_months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (auto comma = cursor.text.find(','); comma != std::string_view::npos) {
        cursor.text.remove_prefix(comma + 1);
        cursor.skip_spaces();
    }
    auto day = cursor.number();
    cursor.skip_spaces();
    std::int64_t month = 0;
    for (std::size_t i = 0; i < k_months.size() && month == 0; ++i) {
        if (cursor.text.starts_with(k_months[i])) {
            month = static_cast<std::int64_t>(i) + 1;
            cursor.text.remove_prefix(3);
        }
    }
    cursor.skip_spaces();
    auto year = cursor.number(4);
    std::tm fields{};
    if (!day || !year || !set_day(fields, *year, month, *day)) {
        return std::nullopt;
    }
    cursor.skip_spaces();
    if (!read_clock(cursor, fields)) {
        return std::nullopt;
    }
    cursor.skip_spaces();
    auto zone = read_zone(cursor);
    if (!zone || !cursor.text.empty()) {
        return std::nullopt;
    }
    return to_git_time(fields, zone);
}

} // namespace

git_time parse_date(std::string_view text, std::string_view source)
{
    for (auto reader : {read_raw, read_iso, read_rfc2822}) {
        if (auto when = reader(Cursor{text})) {
            return *when;
        }
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("invalid date in {}: \"{}\"", source, text),
                "write \"@SECONDS +ZZZZ\", ISO 8601 (\"2025-03-03T09:00:00Z\") or RFC 2822 "
                "(\"Mon, 3 Mar 2025 09:00:00 +0000\")");
}

} // namespace envstore::git
