#include "export/export_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

// pip reads a requirements file line by line: a requirement, or one of the
// few options it accepts there. Everything else it takes for a requirement,
// and fails. So export writes only those options, and only lines that pip
// reads exactly as written.

namespace envstore::detail {
namespace {

// The options pip accepts on a line of their own in a requirements file.
constexpr std::array<std::string_view, 19> k_file_options = {
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-c",
    "--constraint",
    "-r",
    "--requirement",
    "-e",
    "--editable",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--prefer-binary",
    "--require-hashes",
    "--pre",
    "--trusted-host",
    "--use-feature",
};

// The option an option line starts with: `--index-url` of `--index-url URL`
// and of `--index-url=URL`, `-i` of `-i URL` and of `-iURL`.
std::string_view option_name(std::string_view option)
{
    if (!option.starts_with("--")) {
        return option.substr(0, 2);
    }
    return option.substr(0, option.find_first_of(" =\t"));
}

bool pip_reads_in_a_file(std::string_view option)
{
    std::string_view name = option_name(option);
    return std::find(k_file_options.begin(), k_file_options.end(), name) != k_file_options.end();
}

} // namespace

void check_pip_line(std::string_view line, std::string_view field)
{
    auto is_control = [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    };
    std::string_view problem;
    if (std::any_of(line.begin(), line.end(), is_control)) {
        problem = "a control character (a line break would start another line)";
    } else if (line.find(" #") != std::string_view::npos || line.starts_with('#')) {
        problem = "\"#\" after a space, which pip reads as a comment";
    } else if (line.ends_with('\\')) {
        problem = "\"\\\" at the end, which pip reads as a line continuation";
    }
    if (!problem.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" holds {}: a requirements file cannot carry {}",
                                field,
                                problem,
                                yaml::yaml_quote(line)));
    }
}

std::vector<std::string> pip_lines(const ResolvedDefinition& resolved, ExportResult& result)
{
    std::vector<std::string> lines;
    if (!resolved.definition.python) {
        return lines;
    }
    for (const std::string& option : resolved.definition.python->pip_options) {
        check_pip_line(option, "python.pip_options");
        if (pip_reads_in_a_file(option)) {
            lines.push_back(option);
            continue;
        }
        result.warnings.push_back(
            not_exported(resolved,
                         element_key("python.pip_options", option),
                         fmt::format("\"{}\" of \"python.pip_options\" is not exported: pip "
                                     "takes it on its command line only, not in a requirements "
                                     "file",
                                     option)));
    }
    for (const PipRequirement& requirement : resolved.definition.python->pip) {
        std::string line = requirement.to_string();
        check_pip_line(line, "python.pip");
        lines.push_back(std::move(line));
    }
    return lines;
}

} // namespace envstore::detail
