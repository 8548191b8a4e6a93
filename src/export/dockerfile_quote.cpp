#include "export/dockerfile_quote.hpp"

#include <regex>

namespace envstore::detail {
namespace {

bool is_reference_start(char c)
{
    return (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_reference_char(char c)
{
    return is_reference_start(c) || (c >= '0' && c <= '9');
}

// The length of a `${NAME}` reference at the start of `text`; 0 when there is none.
std::size_t reference_length(std::string_view text)
{
    if (text.size() < 4 || text.substr(0, 2) != "${" || !is_reference_start(text[2])) {
        return 0;
    }
    std::size_t end = 3;
    while (end < text.size() && is_reference_char(text[end])) {
        ++end;
    }
    return end < text.size() && text[end] == '}' ? end + 1 : 0;
}

bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::optional<char> unwritable_char(std::string_view text)
{
    std::size_t found = text.find_first_of(std::string_view("\n\r\0", 3));
    if (found == std::string_view::npos) {
        return std::nullopt;
    }
    return text[found];
}

std::string_view describe_char(char c)
{
    switch (c) {
    case '\n': return "a line feed";
    case '\r': return "a carriage return";
    case '\0': return "a NUL byte";
    default: return "a character";
    }
}

std::string dockerfile_value(std::string_view value)
{
    if (value.find('\'') == std::string_view::npos) {
        return "'" + std::string(value) + "'";
    }
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"' || c == '$' || c == '\\') {
            quoted += '\\';
        }
        quoted += c;
    }
    return quoted + "\"";
}

std::string shell_quote(std::string_view word)
{
    std::string quoted = "'";
    for (char c : word) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}

std::string shell_quote_with_references(std::string_view word, std::vector<std::string>& references)
{
    std::string quoted;
    std::string literal;
    for (std::size_t at = 0; at < word.size();) {
        std::size_t length = reference_length(word.substr(at));
        if (length == 0) {
            literal += word[at++];
            continue;
        }
        if (!literal.empty()) {
            quoted += shell_quote(literal);
            literal.clear();
        }
        quoted += "\"" + std::string(word.substr(at, length)) + "\"";
        references.emplace_back(word.substr(at + 2, length - 3));
        at += length;
    }
    if (!literal.empty() || quoted.empty()) {
        quoted += shell_quote(literal);
    }
    return quoted;
}

std::optional<std::vector<std::string>> split_option_words(std::string_view option)
{
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t at = 0; at < option.size(); ++at) {
        char c = option[at];
        if (is_blank(c)) {
            if (in_word) {
                words.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
            continue;
        }
        in_word = true;
        if (c == '\\') {
            if (++at == option.size()) {
                return std::nullopt;
            }
            word += option[at];
        } else if (c == '\'' || c == '"') {
            std::size_t close = at + 1;
            for (; close < option.size() && option[close] != c; ++close) {
                bool escapes = c == '"' && option[close] == '\\' && close + 1 < option.size() &&
                               (option[close + 1] == '"' || option[close + 1] == '\\');
                close += escapes ? 1 : 0;
                word += option[close];
            }
            if (close == option.size()) {
                return std::nullopt;
            }
            at = close;
        } else {
            word += c;
        }
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    return words;
}

bool is_image_reference(std::string_view reference)
{
    static const std::regex grammar(
        // host, with an optional port
        R"(^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))"
        R"((?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?)"
        // path components
        R"([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
        // tag and digest
        R"((?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?)"
        R"((?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$)");
    return reference.size() <= 1024 &&
           std::regex_match(reference.begin(), reference.end(), grammar);
}

} // namespace envstore::detail
