#include "cli/version_output.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Json tag_result_json(const TagResult& result)
{
    return {{"name", result.name},
            {"version", result.version},
            {"tag", result.tag_name},
            {"created", result.created},
            {"commit", result.commit},
            {"digest", result.digest},
            {"resolved_digest",
             result.resolved_digest.empty() ? Json(nullptr) : Json(result.resolved_digest)}};
}

void print_tag_results(Output& out, const std::vector<TagResult>& results)
{
    if (out.json()) {
        Json list = Json::array();
        for (const auto& result : results) {
            list.push_back(tag_result_json(result));
        }
        out.print_json({{"versions", list}});
        return;
    }
    for (const auto& result : results) {
        if (result.created) {
            std::string resolved = result.resolved_digest.empty()
                                       ? ""
                                       : fmt::format(", resolved {}", result.resolved_digest);
            out.line(fmt::format("Registered {} ({}{})",
                                 out.paint(Tone::added, result.tag_name),
                                 result.digest,
                                 resolved));
        } else {
            out.line(
                fmt::format("{} unchanged since {}: no new version", result.name, result.tag_name));
        }
    }
}

Json version_info_json(const VersionInfo& version)
{
    return {{"tag", version.tag_name},
            {"name", version.name},
            {"version", version.number},
            {"commit", version.commit},
            {"message", version.message},
            {"tagger", signature_json(version.tagger)}};
}

} // namespace envstore::cli
