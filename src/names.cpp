#include "envstore/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace envstore {
namespace {

bool is_lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_name_character(char c)
{
    return is_lower_or_digit(c) || c == '.' || c == '_' || c == '-';
}

bool all_of(std::string_view text, bool (*predicate)(char))
{
    return !text.empty() && std::all_of(text.begin(), text.end(), predicate);
}

std::string describe_character(char c)
{
    auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7f) {
        return fmt::format("\"{}\"", c);
    }
    return fmt::format("byte 0x{:02x}", byte);
}

// The rules environment and label names share: every one of them keeps
// `NAME@vN` and `refs/labels/...` valid Git reference names.
std::optional<std::string> check_name_characters(std::string_view name)
{
    if (name.empty()) {
        return "the name is empty";
    }
    if (name.size() > k_max_name_length) {
        return fmt::format("longer than {} characters", k_max_name_length);
    }
    auto bad = std::find_if_not(name.begin(), name.end(), is_name_character);
    if (bad != name.end()) {
        return fmt::format(
            "{} is not allowed (use lowercase letters, digits, \".\", \"_\" and \"-\")",
            describe_character(*bad));
    }
    if (!is_lower_or_digit(name.front())) {
        return "must start with a lowercase letter or a digit";
    }
    if (name.find("..") != std::string_view::npos) {
        return "must not contain \"..\"";
    }
    if (name.ends_with(".lock")) {
        return "must not end with \".lock\"";
    }
    if (name.ends_with('.')) {
        return "must not end with \".\"";
    }
    return std::nullopt;
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_hex_digit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

} // namespace

std::optional<std::string> check_environment_name(std::string_view name)
{
    if (name == "curated") {
        return "\"curated\" is reserved";
    }
    return check_name_characters(name);
}

std::optional<std::string> check_label_name(std::string_view label)
{
    if (auto problem = check_name_characters(label)) {
        return problem;
    }
    if (label == "archive") {
        return "\"archive\" is reserved";
    }

    // A reference reads these before it reads a label, so such a label could
    // never be reached.
    if (label == "latest") {
        return "\"latest\" always means the newest version";
    }
    if (all_of(label, is_digit) || (label.front() == 'v' && all_of(label.substr(1), is_digit))) {
        return fmt::format("\"{}\" reads as a version number", label);
    }
    if (label.size() >= 7 && label.size() <= 40 && all_of(label, is_hex_digit)) {
        return fmt::format("\"{}\" reads as a commit id", label);
    }
    return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b)
{
    // Two rows of the classic table: the previous row and the one being filled.
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

} // namespace envstore
