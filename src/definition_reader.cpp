#include "definition_reader.hpp"

#include "envstore/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace envstore::detail {
namespace {

// Words other YAML readers take for booleans and this one refuses, so that a
// file means the same to every tool that reads it.
bool is_yaml11_boolean(std::string_view text)
{
    static const std::vector<std::string_view> words = {"yes", "no", "on", "off", "y", "n"};
    return std::find(words.begin(), words.end(), to_lower(text)) != words.end();
}

std::string boolean_hint(const yaml::Node& value)
{
    std::string lower = to_lower(value.text);
    if (value.quoted && (value.text == "true" || value.text == "false")) {
        return "remove the quotes: a quoted value is a string";
    }
    if (!value.quoted && is_yaml11_boolean(value.text)) {
        return fmt::format("YAML 1.1 reads \"{}\" as a boolean and YAML 1.2 does not: "
                           "write true or false",
                           value.text);
    }
    if (lower == "true" || lower == "false") {
        return fmt::format("write it in lowercase: {}", lower);
    }
    return {};
}

} // namespace

void Findings::add(std::string_view rule,
                   const yaml::Node& at,
                   std::string message,
                   std::string hint)
{
    m_diagnostics.push_back(Diagnostic{
        std::string(rule), std::move(message), m_document.locate(at.mark), std::move(hint)});
}

void Findings::add(std::string_view rule, const Entry& entry, std::string message, std::string hint)
{
    const yaml::Node& at = entry.second.is_null() ? entry.first : entry.second;
    add(rule, at, std::move(message), std::move(hint));
}

std::vector<Diagnostic> Findings::take_sorted()
{
    auto position = [](const Diagnostic& d) {
        return d.location ? std::pair(d.location->line, d.location->column) : std::pair(0, 0);
    };
    std::stable_sort(
        m_diagnostics.begin(), m_diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
            return position(a) < position(b);
        });
    return std::move(m_diagnostics);
}

std::string to_lower(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return lower;
}

bool is_password_key(const yaml::Node& key)
{
    return key.is_scalar() && to_lower(key.text) == "password";
}

std::string join_path(std::string_view path, std::string_view key)
{
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::optional<std::string>
read_string(const Entry& entry, std::string_view path, Findings& findings)
{
    const yaml::Node& value = entry.second;
    if (value.is_scalar()) {
        return value.text;
    }
    findings.add(rule::wrong_type, entry, fmt::format("\"{}\" must be a string", path));
    return std::nullopt;
}

std::optional<bool> read_bool(const Entry& entry, std::string_view path, Findings& findings)
{
    const yaml::Node& value = entry.second;
    if (!value.is_scalar()) {
        findings.add(rule::wrong_type, entry, fmt::format("\"{}\" must be true or false", path));
        return std::nullopt;
    }
    if (!value.quoted && value.text == "true") {
        return true;
    }
    if (!value.quoted && value.text == "false") {
        return false;
    }
    findings.add(rule::invalid_boolean,
                 value,
                 fmt::format("\"{}\" must be true or false, not \"{}\"", path, value.text),
                 boolean_hint(value));
    return std::nullopt;
}

std::vector<ListItem>
read_string_list(const Entry& entry, std::string_view path, Findings& findings)
{
    std::string message = fmt::format("\"{}\" must be a list of strings", path);
    if (!entry.second.is_sequence()) {
        findings.add(rule::wrong_type, entry, message);
        return {};
    }
    std::vector<ListItem> items;
    for (const yaml::Node& item : entry.second.items) {
        if (!item.is_scalar()) {
            findings.add(rule::wrong_type, item, message);
            continue;
        }
        items.push_back(ListItem{item.text, &item});
    }
    return items;
}

bool expect_mapping(const Entry& entry, std::string_view path, Findings& findings)
{
    if (entry.second.is_mapping()) {
        return true;
    }
    findings.add(rule::wrong_type, entry, fmt::format("\"{}\" must be a mapping", path));
    return false;
}

void report_unknown_field(const yaml::Node& key,
                          std::string_view section,
                          std::span<const std::string_view> known,
                          Findings& findings)
{
    std::string message = section.empty()
                              ? fmt::format("unknown field \"{}\"", key.text)
                              : fmt::format("unknown field \"{}\" in \"{}\"", key.text, section);
    std::string hint;
    if (auto match = closest_match(key.text, known)) {
        hint = fmt::format("did you mean \"{}\"?", *match);
    }
    findings.add(rule::unknown_field, key, std::move(message), std::move(hint));
}

bool check_not_empty(std::string_view text,
                     const yaml::Node& at,
                     std::string_view path,
                     Findings& findings)
{
    if (!text.empty()) {
        return true;
    }
    findings.add(rule::empty_value, at, fmt::format("empty value for \"{}\"", path));
    return false;
}

void check_unique(const std::vector<ListItem>& items, std::string_view what, Findings& findings)
{
    std::map<std::string_view, int> first_lines;
    for (const ListItem& item : items) {
        auto [first, inserted] = first_lines.emplace(item.text, item.node->mark.line);
        if (!inserted) {
            findings.add(
                rule::duplicate_entry,
                *item.node,
                fmt::format(
                    "duplicate {} \"{}\" (first at line {})", what, item.text, first->second));
        }
    }
}

} // namespace envstore::detail
