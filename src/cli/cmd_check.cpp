#include "cli/command.hpp"

#include "envstore/check.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

std::string count_of(std::size_t count, std::string_view one, std::string_view many)
{
    return fmt::format("{} {}", count, count == 1 ? one : many);
}

std::string summary(const CheckReport& report)
{
    std::string checked = fmt::format(
        "checked {}", count_of(report.environments.size(), "definition", "definitions"));
    if (report.clean()) {
        return checked + ": no findings";
    }
    return fmt::format("{}: {}", checked, count_of(report.findings.size(), "finding", "findings"));
}

void print_text(const CheckReport& report, Output& out)
{
    for (const auto& finding : report.findings) {
        Diagnostic shown = finding.diagnostic;
        // A line of another file (a base's) says which definition inherits it.
        if (shown.location && !finding.environment.empty() &&
            shown.location->path != finding.file) {
            shown.message = fmt::format("{}: {}", finding.environment, shown.message);
        }
        shown.message += fmt::format(" [{}]", shown.rule);
        out.line(format_diagnostic(shown));
    }
    out.line(summary(report));
}

void print_json(const CheckReport& report, Output& out)
{
    Json findings = Json::array();
    for (const auto& finding : report.findings) {
        Json entry = {{"environment",
                       finding.environment.empty() ? Json(nullptr) : Json(finding.environment)}};
        entry.update(diagnostic_json(finding.diagnostic));
        // An inherited violation is located in its base's file.
        if (!finding.diagnostic.location) {
            entry["file"] = finding.file;
        }
        findings.push_back(entry);
    }
    out.print_json(
        {{"clean", report.clean()}, {"environments", report.environments}, {"findings", findings}});
}

// GitHub's workflow command syntax: data escapes %, CR and LF; properties
// also `:` and `,`.
std::string escape_annotation(std::string_view text, bool property)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '%': out += "%25"; break;
        case '\r': out += "%0D"; break;
        case '\n': out += "%0A"; break;
        case ':': out += property ? "%3A" : ":"; break;
        case ',': out += property ? "%2C" : ","; break;
        default: out += c;
        }
    }
    return out;
}

void print_github(const CheckReport& report, Output& out)
{
    for (const auto& finding : report.findings) {
        const Diagnostic& diagnostic = finding.diagnostic;
        const auto& location = diagnostic.location;
        std::string message = diagnostic.message;
        std::string place;
        if (location && location->path.find(':') != std::string::npos) {
            // A line of a base read from a version (REF:PATH) is no file of
            // the checkout: annotate the definition that inherits it.
            place = "file=" + escape_annotation(finding.file, true);
            message = fmt::format(
                "{}:{}:{}: {}", location->path, location->line, location->column, message);
        } else if (location) {
            place = fmt::format("file={},line={},col={}",
                                escape_annotation(location->path, true),
                                location->line,
                                location->column);
        } else {
            place = "file=" + escape_annotation(finding.file, true);
        }
        if (!diagnostic.hint.empty()) {
            message += "\nhint: " + diagnostic.hint;
        }
        out.line(fmt::format("::error {},title={}::{}",
                             place,
                             escape_annotation(diagnostic.rule, true),
                             escape_annotation(message, false)));
    }
    out.line(summary(report));
}

} // namespace

Action define_check(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto format = std::make_shared<std::string>("text");
    command
        .add_option("--format",
                    *format,
                    "Output: text, json (as --json) or github (workflow error annotations)")
        ->check(CLI::IsMember({"text", "json", "github"}));
    return [format, &options, &out] {
        if (*format == "json") {
            out.configure(true, options.quiet, options.verbose, options.color);
        }
        Workspace workspace = open_workspace(options);
        CheckReport report = check_workspace(workspace);
        if (out.json()) {
            print_json(report, out);
        } else if (*format == "github") {
            print_github(report, out);
        } else {
            print_text(report, out);
        }
        return report.clean() ? 0 : 1;
    };
}

} // namespace envstore::cli
