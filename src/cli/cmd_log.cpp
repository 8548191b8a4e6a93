#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore::cli {
namespace {

// Indents every line of `text` but blank ones, as git log does with a message body.
std::string indented(std::string_view text)
{
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && c != '\n') {
            out += "    ";
        }
        out += c;
        line_start = c == '\n';
    }
    return out;
}

// Prints `versions` of `name`; `prefix` goes before each tag name in text, so
// that what is shown is what a reference to it is written as.
int print_log(Output& out,
              const std::string& name,
              const std::vector<VersionInfo>& versions,
              std::string_view prefix)
{
    if (out.json()) {
        Json list = Json::array();
        for (const auto& version : versions) {
            list.push_back(
                {{"version", version.number},
                 {"tag", version.tag_name},
                 {"commit", version.commit},
                 {"digest", version.digest},
                 {"message", version.message},
                 {"origin", version.origin.empty() ? Json(nullptr) : Json(version.origin)},
                 {"tagger", signature_json(version.tagger)}});
        }
        out.print_json({{"name", name}, {"versions", list}});
        return 0;
    }
    for (const auto& version : versions) {
        out.line(
            fmt::format("{}  {}  {} <{}>  {}",
                        out.paint(Tone::changed, fmt::format("{}{}", prefix, version.tag_name)),
                        format_time(version.tagger.time, version.tagger.offset_minutes),
                        version.tagger.name,
                        version.tagger.email,
                        version.digest));
        std::string message = version.message;
        if (!version.origin.empty()) {
            message += fmt::format(" (renamed from {})", version.origin);
        }
        out.line(indented(message));
    }
    if (versions.empty()) {
        out.note(fmt::format("\"{}\" has no versions yet: run envstore register {}", name, name));
    }
    return 0;
}

int log_curated(Output& out, const std::string& name, const Reference& reference)
{
    std::vector<VersionInfo> versions = list_versions(open_curated_catalog(), reference.name);
    if (versions.empty()) {
        throw Error(ErrorCode::not_found,
                    fmt::format("no curated environment \"{}\"", reference.name),
                    "envstore curated list shows them");
    }
    return print_log(out, name, versions, k_curated_prefix);
}

} // namespace

Action define_log(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto name = std::make_shared<std::string>();
    command.add_option("NAME", *name, "Environment whose versions to list (curated/NAME too)")
        ->required();
    return [name, &options, &out] {
        Reference asked = parse_reference(*name);
        if (asked.kind != ReferenceKind::working_tree) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("log takes an environment name, not a reference: \"{}\"", *name));
        }
        if (asked.curated) {
            return log_curated(out, *name, asked);
        }
        Workspace workspace = open_workspace(options);
        std::vector<VersionInfo> versions = list_versions(workspace, *name);
        auto in_tree = workspace.working_tree_names();
        if (versions.empty() && std::find(in_tree.begin(), in_tree.end(), *name) == in_tree.end()) {
            throw Error(ErrorCode::not_found, fmt::format("no environment \"{}\"", *name));
        }
        return print_log(out, *name, versions, "");
    };
}

} // namespace envstore::cli
