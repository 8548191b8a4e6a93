// Outdated bases (docs/blame-and-outdated.md). Only the working tree is
// checked: it holds the `extends` the next version will be registered with,
// and a version already made cannot change its pin anyway.

#include "envstore/outdated.hpp"

#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

using Elements = std::map<std::string, ElementValue>;

std::string value_text(const ElementValue& value)
{
    return value ? *value : "null";
}

// Where a base's versions are numbered: the workspace, or the curated catalog.
const Workspace& home_of(const Workspace& workspace, const Reference& base)
{
    if (base.curated) {
        throw Error(ErrorCode::not_found,
                    fmt::format("cannot check \"{}\": this build has no curated catalog",
                                base.to_string()));
    }
    return workspace;
}

Elements resolved_elements(const Workspace& workspace, const Reference& base)
{
    return definition_elements(resolve(workspace, base).definition);
}

void check_pinned(const Workspace& workspace,
                  const std::string& name,
                  const std::string& extends,
                  const Reference& base,
                  OutdatedReport& report)
{
    int newest = latest_version(home_of(workspace, base), base.name).value_or(0);
    std::string base_name = base.to_string().substr(0, base.to_string().find('@'));
    if (newest < base.version) {
        throw Error(ErrorCode::not_found,
                    fmt::format("\"{}\" extends \"{}\", which does not exist", name, extends),
                    newest == 0
                        ? fmt::format("\"{}\" has no versions", base_name)
                        : fmt::format("the newest version of \"{}\" is v{}", base_name, newest));
    }
    if (newest == base.version) {
        report.current.push_back(name);
        return;
    }

    Reference latest = base;
    latest.version = newest;
    report.outdated.push_back({name,
                               extends,
                               base_name,
                               base.version,
                               newest,
                               element_changes(resolved_elements(workspace, base),
                                               resolved_elements(workspace, latest))});
}

void check_environment(const Workspace& workspace, const std::string& name, OutdatedReport& report)
{
    Definition definition = load_definition(
        workspace.read_working_tree_definition(name), Workspace::definition_path(name), name);
    if (!definition.extends) {
        return;
    }
    Reference base = parse_reference(*definition.extends);
    if (base.kind != ReferenceKind::version) {
        report.followed.push_back({name, *definition.extends});
        return;
    }
    check_pinned(workspace, name, *definition.extends, base, report);
}

} // namespace

std::string_view name_of(ChangeKind kind)
{
    switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
    }
    return "changed";
}

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

// A plain element-by-element comparison of two flat views; the semantic diff
// (`envstore diff`) describes changes in more detail.
std::vector<ElementChange> element_changes(const Elements& before, const Elements& after)
{
    std::vector<ElementChange> changes;
    for (const auto& [key, value] : before) {
        auto found = after.find(key);
        if (found == after.end()) {
            changes.push_back({key, ChangeKind::removed, value_text(value), ""});
        } else if (found->second != value) {
            changes.push_back(
                {key, ChangeKind::changed, value_text(value), value_text(found->second)});
        }
    }
    for (const auto& [key, value] : after) {
        if (!before.contains(key)) {
            changes.push_back({key, ChangeKind::added, "", value_text(value)});
        }
    }
    std::stable_sort(
        changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    return changes;
}

} // namespace envstore
