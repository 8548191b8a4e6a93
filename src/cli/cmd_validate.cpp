#include "cli/command.hpp"

#include "envstore/policy.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_validate(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto names = std::make_shared<std::vector<std::string>>();
    command.add_option("NAME", *names, "Environments to check (default: all in the working tree)");
    return [names, &options, &out] {
        Workspace workspace = open_workspace(options);
        std::optional<Policy> policy = load_policy(workspace);
        std::vector<std::string> selected =
            names->empty() ? workspace.working_tree_names() : *names;
        Json results = Json::array();
        std::vector<Diagnostic> problems;

        for (const auto& name : selected) {
            std::string path = Workspace::definition_path(name);
            ParseResult parsed =
                parse_definition(workspace.read_working_tree_definition(name), path, name);
            if (parsed.definition && policy && !policy->empty()) {
                auto found = policy_findings(workspace, *policy, parse_reference(name));
                parsed.errors.insert(parsed.errors.end(), found.begin(), found.end());
            }
            Json errors = Json::array();
            for (const auto& error : parsed.errors) {
                errors.push_back(diagnostic_json(error));
                problems.push_back(error);
            }
            results.push_back({{"name", name},
                               {"path", path},
                               {"valid", parsed.errors.empty()},
                               {"errors", errors}});
            if (parsed.errors.empty()) {
                out.line(fmt::format("{}  {}", out.paint(Tone::added, "ok     "), name));
            } else {
                out.line(fmt::format("{}  {} ({} {})",
                                     out.paint(Tone::removed, "invalid"),
                                     name,
                                     parsed.errors.size(),
                                     parsed.errors.size() == 1 ? "error" : "errors"));
            }
        }

        if (out.json()) {
            out.print_json({{"valid", problems.empty()}, {"definitions", results}});
        }
        if (!problems.empty()) {
            // Diagnostics go to stderr in every mode; the JSON result above
            // carries them for programs.
            for (const auto& problem : problems) {
                fmt::print(stderr, "envstore: error: {}\n", format_diagnostic(problem));
            }
            return exit_code_of(ErrorCode::invalid_input);
        }
        if (selected.empty()) {
            out.note("no definitions in the working tree");
        }
        return 0;
    };
}

} // namespace envstore::cli
