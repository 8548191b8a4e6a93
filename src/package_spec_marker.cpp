// PEP 508 environment markers: comparisons of marker variables and quoted strings,
// joined by `and` and `or`, grouped by parentheses.

#include "package_spec_util.hpp"

#include <algorithm>
#include <vector>

namespace envstore::spec_text {
namespace {

constexpr std::string_view k_what = "pip requirement";

constexpr std::string_view k_variables[] = {
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
};

// Names from before PEP 508 that pip still accepts, and what PEP 508 calls them.
constexpr std::pair<std::string_view, std::string_view> k_legacy_variables[] = {
    {"os.name", "os_name"},
    {"sys.platform", "sys_platform"},
    {"platform.version", "platform_version"},
    {"platform.machine", "platform_machine"},
    {"platform.python_implementation", "platform_python_implementation"},
    {"python_implementation", "platform_python_implementation"},
};

constexpr std::string_view k_operators[] = {"===", "==", "!=", "<=", ">=", "<", ">", "~="};

enum class TokenKind {
    end,
    open,
    close,
    string,
    variable,
    op,
    word_and,
    word_or,
    word_in,
    word_not,
};

struct Token
{
    TokenKind kind = TokenKind::end;
    std::string text;     // normalised: canonical variable name, double-quoted string
    std::string_view raw; // as written, for messages
};

bool is_word_char(char c)
{
    return is_alnum(c) || c == '_' || c == '.';
}

class MarkerParser
{
public:
    MarkerParser(std::string_view requirement, std::string_view marker)
        : m_requirement(requirement), m_marker(marker)
    {
    }

    std::string parse();

private:
    [[noreturn]] void fail(std::string_view detail) const
    {
        throw_invalid(k_what, m_requirement, detail);
    }

    void lex();
    Token lex_string(std::size_t& i) const;
    Token lex_operator(std::size_t& i) const;
    Token lex_word(std::size_t& i) const;

    const Token& peek() const { return m_tokens[m_next]; }
    const Token& take() { return m_tokens[m_next == m_tokens.size() - 1 ? m_next : m_next++]; }
    std::string describe(const Token& token) const;

    std::string parse_or();
    std::string parse_and();
    std::string parse_comparison();
    const Token& parse_value();

    std::string_view m_requirement;
    std::string_view m_marker;
    std::vector<Token> m_tokens;
    std::size_t m_next = 0;
};

std::string MarkerParser::parse()
{
    if (trim(m_marker).empty()) {
        fail("empty marker after \";\"");
    }
    lex();
    std::string marker = parse_or();
    if (peek().kind != TokenKind::end) {
        fail(fmt::format("unexpected {} in marker", describe(peek())));
    }
    return marker;
}

// Splits the marker into tokens; the last one is always `end`.
void MarkerParser::lex()
{
    std::size_t i = 0;
    while (true) {
        while (i < m_marker.size() && is_space(m_marker[i])) {
            ++i;
        }
        if (i == m_marker.size()) {
            m_tokens.push_back(Token{});
            return;
        }
        const char c = m_marker[i];
        if (c == '(' || c == ')') {
            const auto kind = c == '(' ? TokenKind::open : TokenKind::close;
            m_tokens.push_back(Token{kind, std::string(1, c), m_marker.substr(i++, 1)});
        } else if (c == '\'' || c == '"') {
            m_tokens.push_back(lex_string(i));
        } else if (is_operator_char(c)) {
            m_tokens.push_back(lex_operator(i));
        } else if (is_word_char(c)) {
            m_tokens.push_back(lex_word(i));
        } else {
            fail(fmt::format("unexpected {} in marker", quoted(c)));
        }
    }
}

// Strings print in double quotes unless they hold one.
Token MarkerParser::lex_string(std::size_t& i) const
{
    const std::size_t close = m_marker.find(m_marker[i], i + 1);
    if (close == std::string_view::npos) {
        fail("unclosed quote in marker");
    }
    const std::string_view value = m_marker.substr(i + 1, close - i - 1);
    const char quote = value.find('"') == std::string_view::npos ? '"' : '\'';
    const std::string_view raw = m_marker.substr(i, close + 1 - i);
    i = close + 1;
    return Token{TokenKind::string, quote + std::string(value) + quote, raw};
}

Token MarkerParser::lex_operator(std::size_t& i) const
{
    const std::size_t start = i;
    while (i < m_marker.size() && is_operator_char(m_marker[i])) {
        ++i;
    }
    const std::string_view op = m_marker.substr(start, i - start);
    if (std::find(std::begin(k_operators), std::end(k_operators), op) == std::end(k_operators)) {
        fail(fmt::format("unknown marker operator {}", quoted(op)));
    }
    return Token{TokenKind::op, std::string(op), op};
}

Token MarkerParser::lex_word(std::size_t& i) const
{
    const std::size_t start = i;
    while (i < m_marker.size() && is_word_char(m_marker[i])) {
        ++i;
    }
    const std::string_view word = m_marker.substr(start, i - start);
    constexpr std::pair<std::string_view, TokenKind> keywords[] = {
        {"and", TokenKind::word_and},
        {"or", TokenKind::word_or},
        {"in", TokenKind::word_in},
        {"not", TokenKind::word_not},
    };
    for (const auto& [keyword, kind] : keywords) {
        if (word == keyword) {
            return Token{kind, std::string(word), word};
        }
    }
    if (std::find(std::begin(k_variables), std::end(k_variables), word) != std::end(k_variables)) {
        return Token{TokenKind::variable, std::string(word), word};
    }
    for (const auto& [legacy, name] : k_legacy_variables) {
        if (word == legacy) {
            return Token{TokenKind::variable, std::string(name), word};
        }
    }
    if (is_digit(word.front())) {
        fail(fmt::format("unquoted value {} in marker", quoted(word)));
    }
    fail(fmt::format("unknown marker variable {}", quoted(word)));
}

std::string MarkerParser::describe(const Token& token) const
{
    return token.kind == TokenKind::end ? std::string("the end of the marker") : quoted(token.raw);
}

std::string MarkerParser::parse_or()
{
    std::string out = parse_and();
    while (peek().kind == TokenKind::word_or) {
        take();
        out += " or " + parse_and();
    }
    return out;
}

std::string MarkerParser::parse_and()
{
    std::string out = parse_comparison();
    while (peek().kind == TokenKind::word_and) {
        take();
        out += " and " + parse_comparison();
    }
    return out;
}

// A parenthesised marker, or `value op value` where op may be `in` or `not in`.
std::string MarkerParser::parse_comparison()
{
    if (peek().kind == TokenKind::open) {
        take();
        const std::string inner = parse_or();
        if (peek().kind != TokenKind::close) {
            fail(peek().kind == TokenKind::end
                     ? std::string("unclosed \"(\" in marker")
                     : fmt::format("unexpected {} in marker", describe(peek())));
        }
        take();
        return "(" + inner + ")";
    }

    const Token& left = parse_value();
    const Token& op = take();
    std::string op_text = op.text;
    if (op.kind == TokenKind::word_not) {
        if (take().kind != TokenKind::word_in) {
            fail("expected \"in\" after \"not\" in marker");
        }
        op_text = "not in";
    } else if (op.kind != TokenKind::op && op.kind != TokenKind::word_in) {
        fail(fmt::format(
            "expected a comparison operator after {}, found {}", quoted(left.raw), describe(op)));
    }
    return left.text + " " + op_text + " " + parse_value().text;
}

const Token& MarkerParser::parse_value()
{
    const Token& token = take();
    if (token.kind != TokenKind::variable && token.kind != TokenKind::string) {
        fail(fmt::format("expected a marker variable or a quoted string, found {}",
                         describe(token)));
    }
    return token;
}

} // namespace

std::string parse_pep508_marker(std::string_view requirement, std::string_view marker)
{
    return MarkerParser(requirement, marker).parse();
}

} // namespace envstore::spec_text
