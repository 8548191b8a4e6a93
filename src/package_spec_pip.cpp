// PEP 508 requirements: `name[extras] specifiers ; marker` and `name[extras] @ url ; marker`.
// The marker grammar lives in package_spec_marker.cpp.

#include "package_spec_util.hpp"

#include "envstore/package_spec.hpp"

#include <algorithm>
#include <regex>

namespace envstore {
namespace {

using spec_text::is_alnum;
using spec_text::is_alpha;
using spec_text::is_name_char;
using spec_text::is_operator_char;
using spec_text::is_space;
using spec_text::quoted;
using spec_text::trim;

constexpr std::string_view k_what = "pip requirement";
constexpr std::string_view k_operators[] = {"~=", "==", "!=", "<=", ">=", "<", ">", "==="};

// Characters that end a name: what may follow it in the grammar.
bool ends_name(char c)
{
    return is_space(c) || is_operator_char(c) ||
           std::string_view("[(@;,").find(c) != std::string_view::npos;
}

bool ends_version(char c)
{
    return c == ',' || c == ';' || c == ')';
}

bool is_valid_name(std::string_view name)
{
    return !name.empty() && is_alnum(name.front()) && is_alnum(name.back()) &&
           std::all_of(name.begin(), name.end(), is_name_char);
}

// Characters RFC 3986 never allows in a URI; a `"` or `<` usually means a marker
// was glued to the URL without the blank PEP 508 requires before `;`.
bool is_forbidden_in_url(char c)
{
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f ||
           std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos;
}

// PEP 440 public and local versions, in the permissive spelling PEP 440 normalises.
const std::regex& version_pattern()
{
    static const std::regex pattern(R"(v?([0-9]+!)?[0-9]+(\.[0-9]+)*)"
                                    R"(([-_.]?(a|b|c|rc|alpha|beta|pre|preview)([-_.]?[0-9]+)?)?)"
                                    R"((-[0-9]+|[-_.]?(post|rev|r)([-_.]?[0-9]+)?)?)"
                                    R"(([-_.]?dev([-_.]?[0-9]+)?)?)"
                                    R"((\+[a-z0-9]+([-_.][a-z0-9]+)*)?)",
                                    std::regex::icase | std::regex::optimize);
    return pattern;
}

// The release part alone, as in a `==1.2.*` prefix match.
const std::regex& release_pattern()
{
    static const std::regex pattern(R"(v?([0-9]+!)?[0-9]+(\.[0-9]+)*)",
                                    std::regex::icase | std::regex::optimize);
    return pattern;
}

// How many dot-separated numbers the release of a valid version has.
std::size_t count_release_parts(std::string_view version)
{
    const std::size_t epoch = version.find('!');
    std::size_t i = epoch == std::string_view::npos ? 0 : epoch + 1;
    i += i < version.size() && (version[i] == 'v' || version[i] == 'V') ? 1 : 0;
    std::size_t parts = 1;
    for (; i < version.size(); ++i) {
        const bool next_number =
            version[i] == '.' && i + 1 < version.size() && spec_text::is_digit(version[i + 1]);
        if (!spec_text::is_digit(version[i]) && !next_number) {
            break;
        }
        parts += next_number ? 1 : 0;
    }
    return parts;
}

class RequirementParser
{
public:
    explicit RequirementParser(std::string_view text) : m_text(text) {}

    PipRequirement parse();

private:
    [[noreturn]] void fail(std::string_view detail) const
    {
        spec_text::throw_invalid(k_what, m_text, detail);
    }

    bool at_end() const { return m_pos == m_text.size(); }
    char peek() const { return at_end() ? '\0' : m_text[m_pos]; }
    void skip_blanks();
    std::string_view next_word() const;
    std::string describe_next() const;

    std::string read_name();
    std::vector<std::string> read_extras();
    std::string read_url();
    std::string read_specifier();
    std::string read_clause();
    void check_version(std::string_view op, std::string_view version) const;

    std::string_view m_text;
    std::size_t m_pos = 0;
};

PipRequirement RequirementParser::parse()
{
    PipRequirement requirement;
    skip_blanks();
    if (at_end()) {
        fail("empty requirement");
    }
    requirement.name = read_name();
    skip_blanks();
    if (peek() == '[') {
        requirement.extras = read_extras();
        skip_blanks();
    }

    if (peek() == '@') {
        requirement.url = read_url();
        skip_blanks();
    } else if (peek() == '(' || is_operator_char(peek())) {
        requirement.specifier = read_specifier();
        skip_blanks();
    }

    if (peek() == ';') {
        requirement.marker = spec_text::parse_pep508_marker(m_text, m_text.substr(m_pos + 1));
        return requirement;
    }
    if (!at_end()) {
        fail(fmt::format("unexpected {}", quoted(trim(m_text.substr(m_pos)))));
    }
    return requirement;
}

void RequirementParser::skip_blanks()
{
    while (!at_end() && is_space(peek())) {
        ++m_pos;
    }
}

// The text from here to the next blank, `,`, `;` or `)`.
std::string_view RequirementParser::next_word() const
{
    const std::size_t end = m_text.find_first_of(" \t\r\n,;)", m_pos + 1);
    return m_text.substr(m_pos, end == std::string_view::npos ? end : end - m_pos);
}

std::string RequirementParser::describe_next() const
{
    return at_end() ? std::string("the end") : quoted(next_word());
}

std::string RequirementParser::read_name()
{
    const std::size_t start = m_pos;
    while (!at_end() && !ends_name(peek())) {
        ++m_pos;
    }
    const std::string_view name = m_text.substr(start, m_pos - start);
    if (name.empty()) {
        fail(fmt::format("expected a package name, found {}", describe_next()));
    }
    for (const char c : name) {
        if (!is_name_char(c)) {
            fail(fmt::format("invalid character {} in package name {}", quoted(c), quoted(name)));
        }
    }
    if (!is_valid_name(name)) {
        fail(
            fmt::format("package name {} must start and end with a letter or digit", quoted(name)));
    }
    return std::string(name);
}

// Extras are compared by their PEP 685 form, so that is the one kept.
std::vector<std::string> RequirementParser::read_extras()
{
    const std::size_t close = m_text.find(']', m_pos);
    if (close == std::string_view::npos) {
        fail("unclosed \"[\" in extras");
    }
    const std::string_view list = m_text.substr(m_pos + 1, close - m_pos - 1);
    m_pos = close + 1;

    std::vector<std::string> extras;
    if (trim(list).empty()) {
        return extras;
    }
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string_view extra = trim(list.substr(start, comma - start));
        if (!is_valid_name(extra)) {
            fail(extra.empty() ? fmt::format("empty extra in \"[{}]\"", list)
                               : fmt::format("invalid extra {}", quoted(extra)));
        }
        extras.push_back(normalize_pip_name(extra));
        start = comma + 1;
    }
    std::sort(extras.begin(), extras.end());
    extras.erase(std::unique(extras.begin(), extras.end()), extras.end());
    return extras;
}

// The URL runs to the next blank, as in PEP 508; it must name its scheme.
std::string RequirementParser::read_url()
{
    ++m_pos;
    skip_blanks();
    const std::size_t start = m_pos;
    while (!at_end() && !is_space(peek())) {
        ++m_pos;
    }
    const std::string_view url = m_text.substr(start, m_pos - start);
    if (url.empty()) {
        fail("missing url after \"@\"");
    }
    const auto forbidden = std::find_if(url.begin(), url.end(), is_forbidden_in_url);
    if (forbidden != url.end()) {
        fail(url.find(';') != std::string_view::npos
                 ? std::string("a marker after a url needs a blank before \";\"")
                 : fmt::format("invalid character {} in url {}", quoted(*forbidden), quoted(url)));
    }

    const std::size_t scheme_end = url.find("://");
    const std::string_view scheme = url.substr(0, std::min(scheme_end, url.size()));
    const bool valid_scheme = !scheme.empty() && is_alpha(scheme.front()) &&
                              std::all_of(scheme.begin(), scheme.end(), [](char c) {
                                  return is_alnum(c) || c == '+' || c == '-' || c == '.';
                              });
    if (scheme_end == std::string_view::npos || !valid_scheme || url.size() == scheme_end + 3) {
        fail(fmt::format("url {} has no scheme such as \"https://\"", quoted(url)));
    }
    return std::string(url);
}

// Clauses are sorted so that requirements equal but for clause order print the same.
std::string RequirementParser::read_specifier()
{
    const bool parenthesised = peek() == '(';
    if (parenthesised) {
        ++m_pos;
        skip_blanks();
    }
    std::vector<std::string> clauses{read_clause()};
    skip_blanks();
    while (peek() == ',') {
        ++m_pos;
        skip_blanks();
        clauses.push_back(read_clause());
        skip_blanks();
    }
    if (is_operator_char(peek())) {
        fail(fmt::format("missing \",\" before {}", quoted(next_word())));
    }
    if (parenthesised) {
        if (peek() != ')') {
            fail(at_end() ? std::string("unclosed \"(\" in version specifier")
                          : fmt::format("unexpected {} in version specifier", describe_next()));
        }
        ++m_pos;
    }

    std::sort(clauses.begin(), clauses.end());
    clauses.erase(std::unique(clauses.begin(), clauses.end()), clauses.end());
    std::string joined;
    for (const auto& clause : clauses) {
        joined += (joined.empty() ? "" : ",") + clause;
    }
    return joined;
}

std::string RequirementParser::read_clause()
{
    const std::size_t start = m_pos;
    while (!at_end() && is_operator_char(peek())) {
        ++m_pos;
    }
    const std::string_view op = m_text.substr(start, m_pos - start);
    if (op.empty()) {
        fail(fmt::format("expected a version operator, found {}", describe_next()));
    }
    if (std::find(std::begin(k_operators), std::end(k_operators), op) == std::end(k_operators)) {
        fail(fmt::format("unknown version operator {}", quoted(op)));
    }
    skip_blanks();

    const std::size_t version_start = m_pos;
    while (!at_end() && !is_space(peek()) && !ends_version(peek())) {
        ++m_pos;
    }
    const std::string_view version = m_text.substr(version_start, m_pos - version_start);
    if (version.empty()) {
        fail(fmt::format("missing version after {}", quoted(op)));
    }
    check_version(op, version);
    return std::string(op) + std::string(version);
}

void RequirementParser::check_version(std::string_view op, std::string_view version) const
{
    if (op == "===") {
        return;
    }
    const std::string clause = std::string(op) + std::string(version);
    const bool wildcard = version.size() > 2 && version.substr(version.size() - 2) == ".*";
    if (wildcard) {
        const std::string release(version.substr(0, version.size() - 2));
        if (!std::regex_match(release, release_pattern())) {
            fail(fmt::format("invalid version {}", quoted(version)));
        }
        if (op != "==" && op != "!=") {
            fail(fmt::format("wildcard in {} needs \"==\" or \"!=\"", quoted(clause)));
        }
        return;
    }

    if (!std::regex_match(std::string(version), version_pattern())) {
        fail(fmt::format("invalid version {}", quoted(version)));
    }
    if (version.find('+') != std::string_view::npos && op != "==" && op != "!=") {
        fail(fmt::format("local version in {} needs \"==\" or \"!=\"", quoted(clause)));
    }
    if (op == "~=" && count_release_parts(version) < 2) {
        fail(fmt::format("{} needs a version with at least two parts", quoted(clause)));
    }
}

} // namespace

std::string normalize_pip_name(std::string_view name)
{
    std::string out;
    for (const char c : name) {
        const bool separator = c == '-' || c == '_' || c == '.';
        if (separator) {
            out += out.empty() || out.back() != '-' ? "-" : "";
        } else {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
    }
    return out;
}

namespace {

// Where pip's `--hash` options of a requirement line start (after a blank), or npos.
std::size_t find_hash_options(std::string_view text)
{
    std::size_t pos = text.find("--hash");
    while (pos != std::string_view::npos && (pos == 0 || !is_space(text[pos - 1]))) {
        pos = text.find("--hash", pos + 1);
    }
    return pos;
}

// `--hash=ALG:HEX` or `--hash ALG:HEX`, repeated: the values, sorted and unique.
std::vector<std::string> read_hashes(std::string_view requirement, std::string_view options)
{
    static const std::regex hash(R"(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})");
    std::vector<std::string> hashes;
    std::string text(options);
    std::replace(text.begin(), text.end(), '\t', ' ');
    std::size_t pos = 0;
    while ((pos = text.find_first_not_of(' ', pos)) != std::string::npos) {
        std::size_t end = std::min(text.find(' ', pos), text.size());
        std::string_view word = std::string_view(text).substr(pos, end - pos);
        pos = end;
        if (word == "--hash" && pos < text.size()) {
            pos = text.find_first_not_of(' ', pos);
            end = std::min(text.find(' ', pos), text.size());
            word = std::string_view(text).substr(pos, end - pos);
            pos = end;
        } else if (word.substr(0, 7) == "--hash=") {
            word.remove_prefix(7);
        } else {
            spec_text::throw_invalid(
                k_what, requirement, fmt::format("unexpected {} after the hashes", quoted(word)));
        }
        if (!std::regex_match(word.begin(), word.end(), hash)) {
            spec_text::throw_invalid(
                k_what,
                requirement,
                fmt::format("invalid hash {}: write sha256, sha384 or sha512, \":\" and the "
                            "digest in lowercase hex",
                            quoted(word)));
        }
        hashes.emplace_back(word);
    }
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    return hashes;
}

} // namespace

std::string PipRequirement::normalized_name() const
{
    return normalize_pip_name(name);
}

std::string PipRequirement::to_string() const
{
    std::string out = name;
    if (!extras.empty()) {
        out += '[';
        for (const auto& extra : extras) {
            out += (out.back() == '[' ? "" : ",") + extra;
        }
        out += ']';
    }
    if (!url.empty()) {
        out += " @ " + url;
        out += marker.empty() ? "" : " ; " + marker;
    } else {
        out += specifier;
        out += marker.empty() ? "" : "; " + marker;
    }
    for (const std::string& hash : hashes) {
        out += " --hash=" + hash;
    }
    return out;
}

PipRequirement parse_pip_requirement(std::string_view text)
{
    std::size_t options = find_hash_options(text);
    PipRequirement requirement = RequirementParser(text.substr(0, options)).parse();
    if (options != std::string_view::npos) {
        requirement.hashes = read_hashes(text, text.substr(options));
    }
    return requirement;
}

} // namespace envstore
