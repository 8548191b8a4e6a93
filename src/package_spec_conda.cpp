// Conda match specs: `[channel::]name[ version[ build]][[key=value,...]]`, with the
// `name=version=build` shorthand, read the way conda and mamba read them.

#include "package_spec_util.hpp"

#include "envstore/package_spec.hpp"

#include <algorithm>
#include <optional>

namespace envstore {
namespace {

using spec_text::is_alnum;
using spec_text::is_digit;
using spec_text::is_name_char;
using spec_text::is_operator_char;
using spec_text::is_space;
using spec_text::quoted;
using spec_text::trim;

constexpr std::string_view k_what = "conda match spec";
constexpr std::string_view k_operators[] = {"==", "!=", "<=", ">=", "<", ">", "~=", "="};

bool is_version_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '*' || c == '!';
}

bool is_build_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '*';
}

bool is_channel_char(char c)
{
    return is_alnum(c) || std::string_view("-_./:@+~%").find(c) != std::string_view::npos;
}

bool is_bracket_key_char(char c)
{
    return is_alnum(c) || c == '_' || c == '-';
}

// The `1.2` of a version written `=1.2` or `==1.2`; empty for any other version.
// Conda reads `=1.2` as "1.2.*", but next to a build (`=1.2=py311_0`) as exactly 1.2.
std::string_view equals_operand(std::string_view version)
{
    if (version.empty() || version.front() != '=') {
        return {};
    }
    const std::string_view operand = version.substr(version.rfind("==", 0) == 0 ? 2 : 1);
    if (operand.find_first_of("=<>!~,|") != std::string_view::npos) {
        return {};
    }
    return operand;
}

std::size_t skip_blanks(std::string_view text, std::size_t i)
{
    while (i < text.size() && is_space(text[i])) {
        ++i;
    }
    return i;
}

// Reads the bracket value at `i`: quoted, or up to the next `,` or blank.
std::string_view read_bracket_value(std::string_view items, std::size_t& i)
{
    if (i < items.size() && (items[i] == '\'' || items[i] == '"')) {
        // The brackets were only accepted with every quote closed.
        const std::size_t close = items.find(items[i], i + 1);
        const std::string_view value = trim(items.substr(i + 1, close - i - 1));
        i = close + 1;
        return value;
    }
    const std::size_t start = i;
    while (i < items.size() && items[i] != ',' && !is_space(items[i])) {
        ++i;
    }
    return items.substr(start, i - start);
}

// Drops blanks that touch an operator, `,` or `|`, so `>= 1.5 , < 2` reads
// `>=1.5,<2`; a blank between two words stays (one) and separates the build.
std::string compact_blanks(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!is_space(text[i])) {
            out += text[i];
            continue;
        }
        std::size_t next = i;
        while (next < text.size() && is_space(text[next])) {
            ++next;
        }
        i = next - 1;
        if (out.empty() || next == text.size()) {
            continue;
        }
        const char before = out.back();
        const char after = text[next];
        const bool joins = is_operator_char(before) || before == ',' || before == '|' ||
                           after == ',' || after == '|';
        if (!joins) {
            out += ' ';
        }
    }
    return out;
}

// A bracket value as it must be written to read back the same.
std::string format_bracket_value(std::string_view value)
{
    const bool bare = std::all_of(value.begin(), value.end(), [](char c) {
        return is_alnum(c) || std::string_view("._*+-").find(c) != std::string_view::npos;
    });
    if (bare) {
        return std::string(value);
    }
    const char quote = value.find('\'') == std::string_view::npos ? '\'' : '"';
    return quote + std::string(value) + quote;
}

class SpecParser
{
public:
    explicit SpecParser(std::string_view text) : m_text(text) {}

    CondaSpec parse();

private:
    [[noreturn]] void fail(std::string_view detail) const
    {
        spec_text::throw_invalid(k_what, m_text, detail);
    }

    std::string_view take_brackets(std::string_view text);
    std::size_t find_closing_bracket(std::string_view text, std::size_t open) const;
    void read_bracket_items(std::string_view items);
    void add_bracket_item(std::string key, std::string value);
    std::string_view take_channel(std::string_view text);
    std::string_view take_name(std::string_view text);
    void take_version_and_build(std::string_view text);
    void split_equals_build(std::string& version, std::string& build) const;
    void merge_brackets();
    void check_version(std::string_view version) const;
    void check_constraint(std::string_view constraint, std::string_view version) const;
    void check_build(std::string_view build) const;

    std::string_view m_text;
    CondaSpec m_spec;
    std::optional<std::string> m_bracket_version;
    std::optional<std::string> m_bracket_build;
};

CondaSpec SpecParser::parse()
{
    std::string_view rest = trim(m_text);
    if (rest.empty()) {
        fail("missing package name");
    }
    rest = take_brackets(rest);
    rest = take_channel(rest);
    rest = take_name(rest);
    take_version_and_build(rest);
    merge_brackets();
    std::sort(m_spec.brackets.begin(), m_spec.brackets.end());
    return m_spec;
}

// Reads a trailing `[key=value,...]` section into the spec and returns what precedes it.
std::string_view SpecParser::take_brackets(std::string_view text)
{
    const std::size_t open = text.find('[');
    if (open == std::string_view::npos) {
        if (text.find(']') != std::string_view::npos) {
            fail("unmatched \"]\"");
        }
        return text;
    }
    const std::size_t close = find_closing_bracket(text, open);
    const std::string_view after = trim(text.substr(close + 1));
    if (!after.empty()) {
        fail(fmt::format("unexpected {} after \"]\"", quoted(after)));
    }
    read_bracket_items(text.substr(open + 1, close - open - 1));
    return text.substr(0, open);
}

std::size_t SpecParser::find_closing_bracket(std::string_view text, std::size_t open) const
{
    char quote = 0;
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == ']') {
            return i;
        } else if (c == '[') {
            fail("nested \"[\" in brackets");
        }
    }
    fail(quote != 0 ? "unclosed quote in brackets" : "unclosed \"[\" in brackets");
}

// Items are `key=value` or `key='value'`, separated by `,` or blanks.
void SpecParser::read_bracket_items(std::string_view items)
{
    std::size_t i = skip_blanks(items, 0);
    while (i < items.size()) {
        const std::size_t key_start = i;
        while (i < items.size() && is_bracket_key_char(items[i])) {
            ++i;
        }
        const std::string key(items.substr(key_start, i - key_start));
        if (key.empty()) {
            fail(fmt::format("expected a key in brackets, found {}", quoted(items.substr(i))));
        }
        i = skip_blanks(items, i);
        if (i == items.size() || items[i] != '=') {
            fail(fmt::format("missing \"=\" after {} in brackets", quoted(key)));
        }
        i = skip_blanks(items, i + 1);

        const std::string_view value = read_bracket_value(items, i);
        if (value.empty()) {
            fail(fmt::format("empty value for {} in brackets", quoted(key)));
        }
        add_bracket_item(key, std::string(value));

        i = skip_blanks(items, i);
        if (i < items.size() && items[i] == ',') {
            i = skip_blanks(items, i + 1);
            if (i == items.size()) {
                fail("trailing \",\" in brackets");
            }
        }
    }
}

void SpecParser::add_bracket_item(std::string key, std::string value)
{
    const auto same_key = [&](const auto& item) { return item.first == key; };
    const bool seen = (key == "version" && m_bracket_version) ||
                      (key == "build" && m_bracket_build) ||
                      std::any_of(m_spec.brackets.begin(), m_spec.brackets.end(), same_key);
    if (seen) {
        fail(fmt::format("duplicate key {} in brackets", quoted(key)));
    }
    if (key == "version") {
        m_bracket_version = compact_blanks(value);
    } else if (key == "build") {
        m_bracket_build = std::move(value);
    } else {
        m_spec.brackets.emplace_back(std::move(key), std::move(value));
    }
}

std::string_view SpecParser::take_channel(std::string_view text)
{
    const std::size_t separator = text.find("::");
    if (separator == std::string_view::npos) {
        return text;
    }
    const std::string_view channel = trim(text.substr(0, separator));
    if (channel.empty()) {
        fail("empty channel before \"::\"");
    }
    for (const char c : channel) {
        if (!is_channel_char(c)) {
            fail(fmt::format("invalid character {} in channel {}", quoted(c), quoted(channel)));
        }
    }
    m_spec.channel = std::string(channel);
    return text.substr(separator + 2);
}

// The name runs up to the first blank or operator; what follows is the version.
std::string_view SpecParser::take_name(std::string_view text)
{
    text = trim(text);
    std::size_t end = 0;
    while (end < text.size() && !is_space(text[end]) && !is_operator_char(text[end])) {
        ++end;
    }
    const std::string_view name = text.substr(0, end);
    if (name.empty()) {
        fail("missing package name");
    }
    for (const char c : name) {
        if (!is_name_char(c)) {
            fail(fmt::format("invalid character {} in package name {}", quoted(c), quoted(name)));
        }
    }
    m_spec.name = std::string(name);
    return text.substr(end);
}

void SpecParser::take_version_and_build(std::string_view text)
{
    const std::string words = compact_blanks(text);
    if (words.empty()) {
        return;
    }
    const std::size_t blank = words.find(' ');
    std::string version = words.substr(0, blank);
    std::string build = blank == std::string::npos ? "" : words.substr(blank + 1);
    if (build.find(' ') != std::string::npos) {
        fail(fmt::format("unexpected {} after the build string",
                         quoted(build.substr(build.find(' ') + 1))));
    }

    const char first = version.front();
    if (!is_operator_char(first) && !is_digit(first) && first != '*') {
        fail(fmt::format("unexpected {} after package name {} (a version starts with a digit, "
                         "\"*\" or an operator)",
                         quoted(version),
                         quoted(m_spec.name)));
    }
    if (blank == std::string::npos) {
        split_equals_build(version, build);
    } else if (build.front() == '=' && build.rfind("==", 0) != 0) {
        build.erase(0, 1);
        if (build.empty()) {
            fail("missing build string after \"=\"");
        }
    }

    check_version(version);
    check_build(build);
    const std::string_view exact = equals_operand(version);
    if (!build.empty() && !exact.empty()) {
        version = std::string(exact);
    }
    m_spec.version = version == "*" ? "" : version;
    m_spec.build = build == "*" ? "" : build;
}

// `=1.2=py311_0` and `1.2=py311_0`: the last `=` that does not end an operator,
// `,` or `|` starts the build string.
void SpecParser::split_equals_build(std::string& version, std::string& build) const
{
    const std::size_t equals = version.rfind('=');
    if (equals == std::string::npos || equals == 0) {
        return;
    }
    const char before = version[equals - 1];
    if (is_operator_char(before) || before == ',' || before == '|') {
        return;
    }
    build = version.substr(equals + 1);
    version.erase(equals);
    if (build.empty()) {
        fail("missing build string after \"=\"");
    }
}

// Brackets give the version or build only where the rest of the spec does not.
void SpecParser::merge_brackets()
{
    if (m_bracket_version) {
        if (!m_spec.version.empty()) {
            fail("version given both after the name and in brackets");
        }
        check_version(*m_bracket_version);
        m_spec.version = *m_bracket_version == "*" ? "" : *m_bracket_version;
    }
    if (m_bracket_build) {
        if (!m_spec.build.empty()) {
            fail("build string given both after the name and in brackets");
        }
        check_build(*m_bracket_build);
        m_spec.build = *m_bracket_build == "*" ? "" : *m_bracket_build;
    }

    // Conda reads `=1.2` as "1.2.*" here, the build coming from brackets. Spell it
    // so, since `name =1.2 build` would read back as exactly 1.2.
    std::string& version = m_spec.version;
    const std::string exact(equals_operand(version));
    if (m_spec.build.empty() || exact.empty()) {
        return;
    }
    const bool fuzzy = version.rfind("==", 0) != 0 && exact.back() != '*';
    version = fuzzy ? exact + ".*" : exact;
}

// A version is constraints joined by `,` (and) and `|` (or).
void SpecParser::check_version(std::string_view version) const
{
    std::size_t start = 0;
    while (true) {
        const std::size_t end = version.find_first_of(",|", start);
        check_constraint(version.substr(start, end - start), version);
        if (end == std::string_view::npos) {
            return;
        }
        start = end + 1;
    }
}

void SpecParser::check_constraint(std::string_view constraint, std::string_view version) const
{
    if (constraint.empty()) {
        fail(fmt::format("empty constraint in version {}", quoted(version)));
    }
    std::size_t length = 0;
    while (length < constraint.size() && is_operator_char(constraint[length])) {
        ++length;
    }
    const std::string_view op = constraint.substr(0, length);
    const std::string_view value = constraint.substr(length);
    if (!op.empty() &&
        std::find(std::begin(k_operators), std::end(k_operators), op) == std::end(k_operators)) {
        fail(fmt::format("unknown version operator {}", quoted(op)));
    }
    if (value.empty()) {
        fail(fmt::format("missing version after {}", quoted(op)));
    }
    for (const char c : value) {
        if (!is_version_char(c)) {
            fail(fmt::format("invalid character {} in version {}", quoted(c), quoted(version)));
        }
    }
}

void SpecParser::check_build(std::string_view build) const
{
    if (!build.empty() && is_operator_char(build.front())) {
        fail(fmt::format("unexpected {}: join version constraints with \",\" or \"|\"",
                         quoted(build)));
    }
    for (const char c : build) {
        if (!is_build_char(c)) {
            fail(fmt::format("invalid character {} in build string {}", quoted(c), quoted(build)));
        }
    }
}

} // namespace

std::string CondaSpec::to_string() const
{
    std::string out = channel.empty() ? name : channel + "::" + name;
    if (!build.empty()) {
        out += " " + (version.empty() ? std::string("*") : version) + " " + build;
    } else if (!version.empty()) {
        out += (is_operator_char(version.front()) ? "" : " ") + version;
    }
    if (brackets.empty()) {
        return out;
    }
    out += '[';
    for (const auto& [key, value] : brackets) {
        out += (out.back() == '[' ? "" : ",") + key + "=" + format_bracket_value(value);
    }
    return out + ']';
}

CondaSpec parse_conda_spec(std::string_view text)
{
    return SpecParser(text).parse();
}

} // namespace envstore
