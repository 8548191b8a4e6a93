// Blame (docs/blame.md): every element of the blamed definition
// is compared with the versions before it, newest first; an element stops at
// the first version where its value differs, and is blamed on the version
// after that one. The walk ends as soon as every element has stopped, so a
// long history costs only as many versions as the oldest element needs.

#include "envstore/blame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace envstore {
namespace {

using Elements = std::map<std::string, ElementValue>;

// One definition read in the form blamed.
struct Reading
{
    std::optional<int> version;
    Elements elements;
    std::map<std::string, Origin> origins; // resolved form only
};

Reading read_written(const Workspace& workspace, const Reference& reference)
{
    StoredDefinition stored = resolve_reference(workspace, reference);
    Reading reading;
    if (stored.version) {
        reading.version = stored.version->number;
    }
    reading.elements =
        definition_elements(load_definition(stored.text, stored.path, reference.name));
    return reading;
}

Reading read_resolved(const Workspace& workspace, const Reference& reference)
{
    ResolvedDefinition resolved = resolve(workspace, reference);
    return {resolved.version, definition_elements(resolved.definition), resolved.origins};
}

Reading read_form(const Workspace& workspace, const Reference& reference, BlameForm form)
{
    return form == BlameForm::resolved ? read_resolved(workspace, reference)
                                       : read_written(workspace, reference);
}

// The versions of an environment, newest first; below v1 of a renamed
// environment, the versions of its old name, from the one it was renamed from.
// A curated environment's versions are named as users write them:
// "curated/NAME@vN".
class History
{
public:
    History(const Workspace& workspace, const Reference& reference, int newest)
        : m_workspace(workspace), m_prefix(reference.curated ? k_curated_prefix : ""),
          m_name(reference.name), m_number(newest)
    {
        m_seen.insert(m_name);
    }

    std::optional<VersionInfo> next()
    {
        if (m_number < 1) {
            return std::nullopt;
        }
        VersionInfo info = lookup_version(m_workspace, m_prefix + m_name, m_number--);
        info.name = m_prefix + info.name;
        info.tag_name = m_prefix + info.tag_name;
        if (m_number == 0) {
            follow_rename(info.origin);
        }
        return info;
    }

    const std::vector<std::string>& renamed_from() const { return m_renamed_from; }

private:
    // An origin without a version ("old") was renamed before it had any.
    void follow_rename(const std::string& origin)
    {
        if (origin.find('@') == std::string::npos) {
            return;
        }
        Reference old = parse_reference(origin);
        if (old.kind != ReferenceKind::version || !m_seen.insert(old.name).second) {
            return;
        }
        m_name = old.name;
        m_number = old.version;
        m_renamed_from.push_back(m_prefix + origin);
    }

    const Workspace& m_workspace;
    std::string m_prefix;
    std::string m_name;
    int m_number;
    std::set<std::string> m_seen;
    std::vector<std::string> m_renamed_from;
};

// An older version that cannot be read in this form ends the walk, with the
// reason kept; damage (a tampered tag) is never hidden that way.
std::optional<Elements> read_older(const Workspace& workspace,
                                   const VersionInfo& info,
                                   BlameForm form,
                                   std::string& history_stop)
{
    Reference reference = parse_reference(info.tag_name);
    try {
        return read_form(workspace, reference, form).elements;
    } catch (const Error& error) {
        if (error.code() != ErrorCode::invalid_input && error.code() != ErrorCode::not_found) {
            throw;
        }
        history_stop = fmt::format("{} cannot be read {}: {}",
                                   info.tag_name,
                                   form == BlameForm::resolved ? "resolved" : "as written",
                                   error.message());
        return std::nullopt;
    }
}

// The base that wrote `key`, when it is not `name` itself.
std::string inherited_from(const std::map<std::string, Origin>& origins,
                           const std::string& key,
                           const std::string& name)
{
    auto found = origins.find(key);
    if (found == origins.end()) {
        return {};
    }
    const std::string& environment = found->second.environment;
    return environment.substr(0, environment.find('@')) == name ? std::string() : environment;
}

Reference blamed_reference(const Workspace& workspace, const Reference& reference)
{
    if (reference.kind == ReferenceKind::commit) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("blame follows versions, not commits: \"{}\"", reference.to_string()),
            "blame NAME (the working tree) or a version: NAME@vN, NAME@latest, NAME@LABEL");
    }
    if (reference.kind != ReferenceKind::working_tree) {
        return reference;
    }
    Reference latest = reference;
    latest.kind = ReferenceKind::latest;
    if (reference.curated) {
        return latest; // "curated/NAME" is its latest version
    }
    auto in_tree = workspace.working_tree_names();
    if (std::find(in_tree.begin(), in_tree.end(), reference.name) != in_tree.end() ||
        !latest_version(workspace, reference.name)) {
        return reference; // reading it reports what exists when there is nothing
    }
    return latest;
}

// Sets `introduced` of every entry of `result`, reading older versions from
// `history` until each entry has met a version without its value.
void walk_history(const Workspace& workspace, History& history, Blame& result)
{
    std::vector<BlameEntry*> open;
    for (BlameEntry& entry : result.entries) {
        open.push_back(&entry);
    }
    while (!open.empty()) {
        std::optional<VersionInfo> info = history.next();
        if (!info) {
            return;
        }
        auto elements = read_older(workspace, *info, result.form, result.history_stop);
        if (!elements) {
            return;
        }
        std::erase_if(open, [&](BlameEntry* entry) {
            auto found = elements->find(entry->key);
            if (found == elements->end() || found->second != entry->value) {
                return true;
            }
            entry->introduced = *info;
            return false;
        });
    }
}

} // namespace

std::string_view name_of(BlameForm form)
{
    return form == BlameForm::resolved ? "resolved" : "written";
}

Blame blame(const Workspace& workspace, const Reference& reference, BlameForm form)
{
    Blame result;
    result.reference = blamed_reference(workspace, reference);
    result.form = form;
    Reading blamed = read_form(workspace, result.reference, form);
    result.version = blamed.version;
    std::string written_name =
        result.reference.to_string().substr(0, result.reference.to_string().find('@'));
    for (const auto& [key, value] : blamed.elements) {
        result.entries.push_back(
            {key, value, std::nullopt, inherited_from(blamed.origins, key, written_name)});
    }

    // The working tree is compared from the newest version on.
    int newest =
        blamed.version ? *blamed.version : latest_version(workspace, reference.name).value_or(0);
    History history(workspace, result.reference, newest);
    walk_history(workspace, history, result);
    result.renamed_from = history.renamed_from();
    return result;
}

} // namespace envstore
