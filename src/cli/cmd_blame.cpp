#include "cli/command.hpp"
#include "cli/version_output.hpp"

#include "envstore/blame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace envstore::cli {
namespace {

constexpr std::string_view k_not_registered = "not registered";

std::string value_text(const ElementValue& value)
{
    return value ? *value : "null";
}

Json value_json(const ElementValue& value)
{
    return value ? Json(*value) : Json(nullptr);
}

Json blame_json(const Blame& result)
{
    Json elements = Json::array();
    for (const BlameEntry& entry : result.entries) {
        elements.push_back(
            {{"key", entry.key},
             {"value", value_json(entry.value)},
             {"introduced",
              entry.introduced ? version_info_json(*entry.introduced) : Json(nullptr)},
             {"inherited_from",
              entry.inherited_from.empty() ? Json(nullptr) : Json(entry.inherited_from)}});
    }
    return {
        {"reference", result.reference.to_string()},
        {"version", result.version ? Json(*result.version) : Json(nullptr)},
        {"form", std::string(name_of(result.form))},
        {"elements", elements},
        {"renamed_from", result.renamed_from},
        {"history_stop", result.history_stop.empty() ? Json(nullptr) : Json(result.history_stop)}};
}

// The text columns of one entry: version, date, author, element, value, base.
using Row = std::array<std::string, 6>;

Row row_of(const BlameEntry& entry)
{
    Row row;
    row[0] = std::string(k_not_registered);
    if (entry.introduced) {
        const Signature& tagger = entry.introduced->tagger;
        row = {entry.introduced->tag_name,
               format_time(tagger.time, tagger.offset_minutes),
               tagger.name};
    }
    row[3] = entry.key;
    row[4] = value_text(entry.value);
    if (!entry.inherited_from.empty()) {
        row[5] = fmt::format("(from {})", entry.inherited_from);
    }
    return row;
}

// Columns padded to their widest cell, as git blame aligns its own; an empty
// last column leaves no trailing spaces.
void print_rows(const std::vector<Row>& rows, Output& out)
{
    std::array<std::size_t, 6> widths{};
    for (const Row& row : rows) {
        for (std::size_t column = 0; column < row.size(); ++column) {
            widths[column] = std::max(widths[column], row[column].size());
        }
    }
    for (const Row& row : rows) {
        Tone tone = row[1].empty() ? Tone::added : Tone::changed;
        std::string line = out.paint(tone, fmt::format("{:<{}}", row[0], widths[0]));
        for (std::size_t column = 1; column < row.size(); ++column) {
            line += fmt::format("  {:<{}}", row[column], widths[column]);
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out.line(line);
    }
}

} // namespace

Action define_blame(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto reference = std::make_shared<std::string>();
    auto resolved = std::make_shared<bool>(false);
    command
        .add_option("REF",
                    *reference,
                    "NAME (the working tree; its latest version when it has no working-tree "
                    "definition), NAME@vN, NAME@latest or NAME@LABEL; curated/NAME@vN too")
        ->required();
    command.add_flag(
        "--resolved",
        *resolved,
        "Blame the resolved definition (bases applied) instead of the file as written");
    return [reference, resolved, &options, &out] {
        Workspace workspace = open_workspace(options);
        BlameForm form = *resolved ? BlameForm::resolved : BlameForm::written;
        Blame result = blame(workspace, parse_reference(*reference), form);
        if (!result.history_stop.empty()) {
            out.warning(fmt::format("{}; older versions were not compared", result.history_stop));
        }
        if (out.json()) {
            out.print_json(blame_json(result));
            return 0;
        }
        std::vector<Row> rows;
        for (const BlameEntry& entry : result.entries) {
            rows.push_back(row_of(entry));
        }
        print_rows(rows, out);
        return 0;
    };
}

} // namespace envstore::cli
