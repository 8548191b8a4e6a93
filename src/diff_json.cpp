// Rendering a diff report as JSON with stable keys, listed in docs/diff.md.

#include "envstore/diff.hpp"

#include <nlohmann/json.hpp>

namespace envstore {
namespace {

using Json = nlohmann::ordered_json;

Json optional_text(const std::optional<std::string>& value)
{
    return value ? Json(*value) : Json(nullptr);
}

Json text_or_null(const std::string& value)
{
    return value.empty() ? Json(nullptr) : Json(value);
}

Json change_json(const Change& change)
{
    return {{"kind", name_of(change.kind)},
            {"field", change.field},
            {"item", text_or_null(change.item)},
            {"key", change.key()},
            {"before", optional_text(change.before)},
            {"after", optional_text(change.after)}};
}

Json environment_json(const EnvironmentDiff& environment)
{
    Json changes = Json::array();
    for (const Change& change : environment.changes) {
        changes.push_back(change_json(change));
    }
    Json base = nullptr;
    if (environment.base) {
        base = {{"only_base", environment.base->only_base},
                {"before", environment.base->before},
                {"after", environment.base->after}};
    }
    return {{"name", environment.name},
            {"status", name_of(environment.status)},
            {"before", text_or_null(environment.before)},
            {"after", text_or_null(environment.after)},
            {"changes", changes},
            {"base", base},
            {"warnings", environment.warnings}};
}

} // namespace

std::string render_json(const DiffReport& report)
{
    Json environments = Json::array();
    for (const auto& environment : report.environments) {
        environments.push_back(environment_json(environment));
    }
    bool revisions = report.scope == DiffScope::revisions;
    Json document = {{"format", 1},
                     {"scope", revisions ? "revisions" : "references"},
                     {"mode", report.mode == DiffMode::resolved ? "resolved" : "written"},
                     {"before", report.before},
                     {"after", report.after},
                     {"before_commit", text_or_null(report.before_commit)},
                     {"after_commit", text_or_null(report.after_commit)},
                     {"differences", report.has_differences()},
                     {"environments", environments}};
    return document.dump(2) + "\n";
}

} // namespace envstore
