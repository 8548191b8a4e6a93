#include "commit_builder.hpp"
#include "records.hpp"
#include "workspace_impl.hpp"

#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace envstore {

std::string_view name_of(DefinitionState state)
{
    switch (state) {
    case DefinitionState::unversioned: return "new";
    case DefinitionState::changed: return "changed";
    case DefinitionState::unchanged: return "unchanged";
    }
    return "new";
}

namespace {

// The blob ids NAME's working tree folder would have once committed.
std::map<std::string, git_oid>
working_tree_ids(const Workspace& workspace, std::string_view name, const FolderFiles& files)
{
    return hash_files(to_repository_form(workspace.impl().repo(), name, files));
}

StatusEntry status_of(const Workspace& workspace, git_tree* head_tree, const std::string& name)
{
    StatusEntry entry;
    entry.name = name;
    FolderFiles files = workspace.read_working_tree_folder(name);
    auto ids = working_tree_ids(workspace, name, files);
    entry.uncommitted =
        !git::same_ids(ids, folder_blob_ids(workspace.impl().repo(), head_tree, name));

    ParseResult parsed =
        parse_definition(files.at(k_definition_file), Workspace::definition_path(name), name);
    entry.errors = parsed.errors;
    entry.valid = parsed.definition.has_value();
    entry.latest = latest_version(workspace, name);
    if (!entry.latest) {
        entry.state = DefinitionState::unversioned;
        return entry;
    }
    VersionInfo latest = lookup_version(workspace, name, *entry.latest);
    bool same = parsed.definition && same_as_version(workspace, latest, ids, *parsed.definition);
    entry.state = same ? DefinitionState::unchanged : DefinitionState::changed;
    return entry;
}

} // namespace

bool has_uncommitted_changes(const Workspace& workspace, std::string_view name)
{
    auto names = workspace.working_tree_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
        return false;
    }
    FolderFiles files = workspace.read_working_tree_folder(name);
    git::Commit head = head_commit(workspace);
    git::Tree tree = commit_tree(head.get());
    return !git::same_ids(working_tree_ids(workspace, name, files),
                          folder_blob_ids(workspace.impl().repo(), tree.get(), name));
}

std::vector<StatusEntry> status(const Workspace& workspace)
{
    git::Commit head = head_commit(workspace);
    git::Tree tree = commit_tree(head.get());
    std::vector<StatusEntry> entries;
    for (const auto& name : workspace.working_tree_names()) {
        entries.push_back(status_of(workspace, tree.get(), name));
    }
    return entries;
}

namespace {

std::string description_at(const Workspace& workspace, const VersionInfo& version)
{
    std::string text =
        git::read_blob(workspace.impl().repo(), git::from_hex(version.files.at(k_definition_file)));
    ParseResult parsed =
        parse_definition(text, Workspace::definition_path(version.name), version.name);
    return parsed.definition ? parsed.definition->description.value_or("") : "";
}

std::string working_tree_description(const Workspace& workspace, const std::string& name)
{
    ParseResult parsed = parse_definition(
        workspace.read_working_tree_definition(name), Workspace::definition_path(name), name);
    return parsed.definition ? parsed.definition->description.value_or("") : "";
}

} // namespace

std::vector<EnvironmentSummary> list_environments(const Workspace& workspace,
                                                  IncludeArchived include_archived)
{
    std::set<std::string> names;
    for (const auto& [name, numbers] : all_version_numbers(workspace.impl().repo())) {
        names.insert(name);
    }
    std::vector<std::string> in_tree = workspace.working_tree_names();
    names.insert(in_tree.begin(), in_tree.end());

    std::vector<EnvironmentSummary> summaries;
    for (const auto& name : names) {
        EnvironmentSummary summary;
        summary.name = name;
        ArchiveState archived = archive_state(workspace, name);
        summary.archived = archived.archived;
        summary.renamed_to = archived.renamed_to;
        if (summary.archived && include_archived == IncludeArchived::no) {
            continue;
        }
        summary.in_working_tree = std::find(in_tree.begin(), in_tree.end(), name) != in_tree.end();
        summary.latest = latest_version(workspace, name);
        summary.labels = current_labels(workspace, name);
        if (summary.latest) {
            summary.description =
                description_at(workspace, lookup_version(workspace, name, *summary.latest));
        } else if (summary.in_working_tree) {
            summary.description = working_tree_description(workspace, name);
        }
        summaries.push_back(std::move(summary));
    }
    return summaries;
}

} // namespace envstore
