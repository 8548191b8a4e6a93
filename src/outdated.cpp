// Outdated bases (docs/blame.md). Only the working tree is checked: it holds
// the `extends` the next version will be registered with, and a version
// already made cannot change its pin anyway.

#include "envstore/outdated.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

using Elements = std::map<std::string, ElementValue>;

Reference version_of(const Reference& base, int number)
{
    Reference reference = base;
    reference.version = number;
    return reference;
}

// The resolved elements of a version between the pinned and the newest one,
// or std::nullopt when it does not resolve today: then the changes are not
// attributed past it.
std::optional<Elements> read_between(const Workspace& workspace, const Reference& base)
{
    try {
        return definition_elements(resolve(workspace, base).definition);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::invalid_input && error.code() != ErrorCode::not_found) {
            throw;
        }
        return std::nullopt;
    }
}

std::optional<std::string> value_at(const Elements& elements, const std::string& key)
{
    auto found = elements.find(key);
    if (found == elements.end()) {
        return std::nullopt;
    }
    return found->second.value_or("null");
}

// Version `number` of `base_name`, named as written: "curated/NAME@vN" for a
// curated base, whose catalog names it "NAME@vN".
VersionInfo named_version(const Workspace& workspace, const std::string& base_name, int number)
{
    VersionInfo info = lookup_version(workspace, base_name, number);
    std::string prefix(base_name.starts_with(k_curated_prefix) ? k_curated_prefix : "");
    info.name = prefix + info.name;
    info.tag_name = prefix + info.tag_name;
    return info;
}

// `versions[i]` holds version `pinned + i`. Each change is blamed on the
// newest version whose value differs from the version before it.
void attribute_changes(const Workspace& workspace,
                       const std::string& base_name,
                       int pinned,
                       const std::vector<std::optional<Elements>>& versions,
                       std::vector<BaseChange>& changes)
{
    for (BaseChange& change : changes) {
        std::string key = change.change.key();
        for (std::size_t i = versions.size() - 1; i > 0; --i) {
            if (!versions[i - 1]) {
                break;
            }
            if (value_at(*versions[i - 1], key) != value_at(*versions.back(), key)) {
                change.changed_in =
                    named_version(workspace, base_name, pinned + static_cast<int>(i));
                break;
            }
        }
    }
}

void check_pinned(const Workspace& workspace,
                  const ExtendsEntry& entry,
                  const Reference& base,
                  OutdatedReport& report)
{
    // Resolving the pinned version first reports a version that does not
    // exist, or a curated catalog that cannot be found, with what does exist.
    Definition pinned = resolve(workspace, base).definition;
    // A "curated/NAME" is looked up in the curated catalog (versions.hpp).
    std::string base_name = base.to_string().substr(0, base.to_string().find('@'));
    int newest = latest_version(workspace, base_name).value_or(0);
    if (newest <= base.version) {
        report.current.push_back(entry);
        return;
    }

    // The two ends must resolve; a version in between only limits attribution.
    std::vector<std::optional<Elements>> versions;
    versions.push_back(definition_elements(pinned));
    for (int number = base.version + 1; number < newest; ++number) {
        versions.push_back(read_between(workspace, version_of(base, number)));
    }
    Definition newest_definition = resolve(workspace, version_of(base, newest)).definition;
    versions.push_back(definition_elements(newest_definition));

    OutdatedBase outdated{entry.name, entry.extends, base_name, base.version, newest, {}};
    for (Change& change : diff_definitions(pinned, newest_definition)) {
        outdated.changes.push_back({std::move(change), std::nullopt});
    }
    attribute_changes(workspace, base_name, base.version, versions, outdated.changes);
    report.outdated.push_back(std::move(outdated));
}

// "path:line:column: message" for a located error, else its message.
std::string reason_of(const Error& error)
{
    if (!error.location()) {
        return error.message();
    }
    const SourceLocation& at = *error.location();
    return fmt::format("{}:{}:{}: {}", at.path, at.line, at.column, error.message());
}

void check_environment(const Workspace& workspace, const std::string& name, OutdatedReport& report)
{
    std::string text = workspace.read_working_tree_definition(name);
    ExtendsEntry entry{name, {}};
    try {
        Definition definition = load_definition(text, Workspace::definition_path(name), name);
        if (!definition.extends) {
            return;
        }
        entry.extends = *definition.extends;
        Reference base = parse_reference(entry.extends);
        if (base.kind != ReferenceKind::version) {
            report.followed.push_back(entry);
            return;
        }
        check_pinned(workspace, entry, base, report);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::invalid_input && error.code() != ErrorCode::not_found) {
            throw;
        }
        report.unchecked.push_back(
            {name, entry.extends, error.code(), reason_of(error), error.hint()});
    }
}

} // namespace

OutdatedReport find_outdated(const Workspace& workspace, const std::vector<std::string>& names)
{
    std::vector<std::string> checked = names.empty() ? workspace.working_tree_names() : names;
    std::sort(checked.begin(), checked.end());
    checked.erase(std::unique(checked.begin(), checked.end()), checked.end());
    OutdatedReport report;
    for (const std::string& name : checked) {
        check_environment(workspace, name, report);
    }
    return report;
}

} // namespace envstore
