#include "envstore/check.hpp"

#include "file_io.hpp"
#include "workspace_impl.hpp"

#include "envstore/policy.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

void add_all(CheckReport& report,
             const std::string& environment,
             const std::string& file,
             const std::vector<Diagnostic>& diagnostics)
{
    for (const auto& diagnostic : diagnostics) {
        report.findings.push_back({environment, file, diagnostic});
    }
}

std::optional<Policy> read_policy_into(const Workspace& workspace, CheckReport& report)
{
    PolicyReadResult read = parse_policy(read_file_bytes(workspace.root() / k_settings_file));
    add_all(report, "", k_settings_file, read.errors);
    return read.policy;
}

// True when `ancestor` is `head` or one of its ancestors.
bool contains(git_repository* repository, const git_oid& head, const git_oid& ancestor)
{
    if (git_oid_equal(&head, &ancestor) == 1) {
        return true;
    }
    int result = git_graph_descendant_of(repository, &head, &ancestor);
    git::check(result, "cannot compare commits");
    return result == 1;
}

std::optional<Diagnostic>
find_behind(const Workspace& workspace, const git_oid& head, const std::string& name)
{
    std::optional<int> latest = latest_version(workspace, name);
    if (!latest) {
        return std::nullopt;
    }
    VersionInfo version = lookup_version(workspace, name, *latest);
    if (contains(workspace.impl().repo(), head, git::from_hex(version.commit))) {
        return std::nullopt;
    }
    return Diagnostic{
        "behind-latest",
        fmt::format("{}: the working tree is behind {} (registered on a branch this one does not "
                    "contain)",
                    name,
                    version.tag_name),
        std::nullopt,
        fmt::format("merge the branch that holds {} first (git branch -a --contains {} names "
                    "it), then change the definition from there",
                    version.tag_name,
                    version.tag_name)};
}

void check_one(const Workspace& workspace,
               const std::optional<Policy>& policy,
               const git_oid& head,
               const std::string& name,
               CheckReport& report)
{
    std::string path = Workspace::definition_path(name);
    ParseResult parsed = parse_definition(workspace.read_working_tree_definition(name), path, name);
    add_all(report, name, path, parsed.errors);
    if (parsed.definition) {
        // Resolved even without a policy: a base that cannot be resolved would
        // stop register too.
        Policy applied = policy.value_or(Policy{});
        add_all(report, name, path, policy_findings(workspace, applied, parse_reference(name)));
    }
    if (auto behind = find_behind(workspace, head, name)) {
        add_all(report, name, path, {*behind});
    }
}

} // namespace

CheckReport check_workspace(const Workspace& workspace)
{
    CheckReport report;
    std::optional<Policy> policy = read_policy_into(workspace, report);
    git::Commit head_object = head_commit(workspace);
    git_oid head = *git_commit_id(head_object.get());
    report.environments = workspace.working_tree_names();
    for (const auto& name : report.environments) {
        check_one(workspace, policy, head, name, report);
    }
    return report;
}

} // namespace envstore
