// Reading the `policy:` section of envstore.yaml, as strictly as definitions
// are read: a misspelt key would otherwise switch a rule off without a word.

#include "definition_reader.hpp"
#include "file_io.hpp"
#include "policy_detail.hpp"

#include "envstore/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace envstore {
namespace {

using detail::Entry;
using detail::Findings;
using detail::ListItem;
namespace rule = detail::rule;

// Every key the top level of envstore.yaml may hold. A new setting is added here.
constexpr std::array<std::string_view, 3> k_setting_keys = {"format", "min_envstore", "policy"};

constexpr std::array<std::string_view, 5> k_policy_keys = {
    "channels",
    "forbidden_packages",
    "pinned_packages",
    "base_images",
    "pip_indexes",
};

// Package names and patterns over them: what conda and PEP 508 names are made
// of, plus the glob characters.
bool is_package_pattern_char(char c)
{
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || std::string_view("-_.*?[]!").find(c) != std::string_view::npos;
}

void check_package_pattern(const ListItem& item, std::string_view path, Findings& findings)
{
    for (char c : item.text) {
        if (!is_package_pattern_char(c)) {
            findings.add(policy_rule::invalid_policy,
                         *item.node,
                         fmt::format("invalid package name \"{}\" in \"{}\"", item.text, path),
                         "give a package name or a glob pattern over names, without a version");
            return;
        }
    }
}

void check_no_blank(const ListItem& item, std::string_view path, Findings& findings)
{
    if (item.text.find_first_of(" \t") != std::string::npos) {
        findings.add(policy_rule::invalid_policy,
                     *item.node,
                     fmt::format("\"{}\" entries cannot contain blanks: \"{}\"", path, item.text));
    }
}

// Reads one list of the policy, checking each entry, and returns its strings.
std::vector<std::string> read_policy_list(const Entry& entry, Findings& findings)
{
    std::string key = entry.first.text;
    std::string path = "policy." + key;
    std::vector<ListItem> items = detail::read_string_list(entry, path, findings);
    bool names = key == "forbidden_packages" || key == "pinned_packages";
    std::vector<std::string> out;
    for (const ListItem& item : items) {
        if (!detail::check_not_empty(item.text, *item.node, path, findings)) {
            continue;
        }
        if (names) {
            check_package_pattern(item, path, findings);
        } else {
            check_no_blank(item, path, findings);
        }
        out.push_back(item.text);
    }
    detail::check_unique(items, "entry", findings);
    return out;
}

void read_policy_entry(const Entry& entry, Policy& policy, Findings& findings)
{
    const std::string& key = entry.first.text;
    if (std::find(k_policy_keys.begin(), k_policy_keys.end(), key) == k_policy_keys.end()) {
        detail::report_unknown_field(entry.first, "policy", k_policy_keys, findings);
        return;
    }
    std::vector<std::string> list = read_policy_list(entry, findings);
    if (key == "channels") {
        policy.channels = std::move(list);
    } else if (key == "forbidden_packages") {
        policy.forbidden_packages = std::move(list);
    } else if (key == "pinned_packages") {
        policy.pinned_packages = std::move(list);
    } else if (key == "base_images") {
        policy.base_images = std::move(list);
    } else {
        policy.pip_indexes = std::move(list);
    }
}

std::optional<Policy> read_settings(const yaml::Node& root, Findings& findings)
{
    std::optional<Policy> policy;
    for (const Entry& entry : root.entries) {
        const std::string& key = entry.first.text;
        if (std::find(k_setting_keys.begin(), k_setting_keys.end(), key) == k_setting_keys.end()) {
            detail::report_unknown_field(entry.first, "", k_setting_keys, findings);
        } else if (key != "policy") {
            detail::read_string(entry, key, findings);
        } else if (detail::expect_mapping(entry, "policy", findings)) {
            policy.emplace();
            for (const Entry& rule_entry : entry.second.entries) {
                read_policy_entry(rule_entry, *policy, findings);
            }
        }
    }
    return policy;
}

} // namespace

bool Policy::empty() const
{
    return !channels && forbidden_packages.empty() && pinned_packages.empty() && !base_images &&
           !pip_indexes;
}

PolicyReadResult parse_policy(std::string_view text, const std::string& path)
{
    yaml::Document document;
    try {
        document = yaml::parse(text, path);
    } catch (const Error& error) {
        return {std::nullopt, error.details()};
    }
    if (document.root.is_null()) {
        return {};
    }
    Findings findings(document);
    if (!document.root.is_mapping()) {
        findings.add(rule::wrong_type, document.root, "the settings must be a mapping");
        return {std::nullopt, findings.take_sorted()};
    }
    std::optional<Policy> policy = read_settings(document.root, findings);
    if (!findings.empty()) {
        return {std::nullopt, findings.take_sorted()};
    }
    return {std::move(policy), {}};
}

std::optional<Policy> load_policy(const Workspace& workspace)
{
    std::string text = read_file_bytes(workspace.root() / k_settings_file);
    PolicyReadResult read = parse_policy(text);
    if (!read.errors.empty()) {
        std::string message = fmt::format("{} is invalid", k_settings_file);
        throw Error(ErrorCode::invalid_input, message, std::move(read.errors));
    }
    return read.policy;
}

} // namespace envstore
