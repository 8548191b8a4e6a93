#include "cli/command.hpp"

#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

std::string labels_text(const std::map<std::string, int>& labels)
{
    std::vector<std::string> parts;
    for (const auto& [label, version] : labels) {
        parts.push_back(fmt::format("{}=v{}", label, version));
    }
    return parts.empty() ? "-" : fmt::format("{}", fmt::join(parts, ","));
}

// One line of the table, without the padding an empty last column leaves.
std::string table_row(std::string_view name,
                      std::size_t width,
                      std::string_view latest,
                      std::string_view labels,
                      std::string_view description)
{
    std::string row =
        fmt::format("{:<{}}  {:<7}  {:<20}  {}", name, width, latest, labels, description);
    row.erase(row.find_last_not_of(' ') + 1);
    return row;
}

Json summary_json(const EnvironmentSummary& summary)
{
    return {{"name", summary.name},
            {"latest", summary.latest ? Json(*summary.latest) : Json(nullptr)},
            {"labels", summary.labels},
            {"description", summary.description},
            {"archived", summary.archived},
            {"renamed_to", summary.renamed_to.empty() ? Json(nullptr) : Json(summary.renamed_to)},
            {"in_working_tree", summary.in_working_tree}};
}

} // namespace

Action define_list(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto all = std::make_shared<bool>(false);
    command.add_flag("-a,--all", *all, "Include archived environments");
    return [all, &options, &out] {
        Workspace workspace = open_workspace(options);
        auto summaries =
            list_environments(workspace, *all ? IncludeArchived::yes : IncludeArchived::no);
        if (out.json()) {
            Json list = Json::array();
            for (const auto& summary : summaries) {
                list.push_back(summary_json(summary));
            }
            out.print_json({{"environments", list}});
            return 0;
        }

        std::size_t width = 4;
        for (const auto& summary : summaries) {
            width = std::max(width, summary.name.size());
        }
        out.line(table_row("NAME", width, "LATEST", "LABELS", "DESCRIPTION"));
        for (const auto& summary : summaries) {
            std::string latest = summary.latest ? fmt::format("v{}", *summary.latest) : "-";
            std::string description = summary.description;
            if (summary.archived) {
                description =
                    summary.renamed_to.empty()
                        ? "[archived] " + description
                        : fmt::format("[renamed to {}] {}", summary.renamed_to, description);
            }
            out.line(
                table_row(summary.name, width, latest, labels_text(summary.labels), description));
        }
        return 0;
    };
}

} // namespace envstore::cli
