#pragma once

// Character classes and the error helper shared by the conda match spec and
// PEP 508 parsers. Both read ASCII only: package names, versions and operators
// never need anything else, so a locale must not change what they accept.

#include "envstore/error.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace envstore::spec_text {

inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

inline bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}

// The characters of a package name, in both conda and PEP 508.
inline bool is_name_char(char c)
{
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
}

// The characters version operators are made of, in both conda and PEP 440.
inline bool is_operator_char(char c)
{
    return c == '=' || c == '<' || c == '>' || c == '!' || c == '~';
}

inline std::string_view trim(std::string_view text)
{
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// `text` in double quotes, as user input appears in messages.
inline std::string quoted(std::string_view text)
{
    return fmt::format("\"{}\"", text);
}

inline std::string quoted(char c)
{
    return quoted(std::string_view(&c, 1));
}

// Throws `invalid <what> "<text>": <detail>` with code `invalid_input`.
[[noreturn]] inline void
throw_invalid(std::string_view what, std::string_view text, std::string_view detail)
{
    throw Error(ErrorCode::invalid_input, fmt::format("invalid {} \"{}\": {}", what, text, detail));
}

// Parses the PEP 508 environment marker `marker` of the requirement `requirement`
// and returns it normalised: single blanks around operators, `and` and `or`,
// double-quoted strings, legacy names (`sys.platform`) replaced by PEP 508 ones.
// Throws `Error(invalid_input)`, quoting `requirement`, when the marker does not parse.
std::string parse_pep508_marker(std::string_view requirement, std::string_view marker);

} // namespace envstore::spec_text
