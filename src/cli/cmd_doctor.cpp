#include "cli/command.hpp"

#include "envstore/doctor.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_doctor(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto fix = std::make_shared<bool>(false);
    command.add_flag("--fix", *fix, "Apply the safe fixes (remove stale locks and leftovers)");
    return [fix, &options, &out] {
        Workspace workspace = open_workspace(options);
        auto findings = run_doctor(workspace, *fix ? FixMode::fix : FixMode::report);
        bool remaining = false;
        Json list = Json::array();
        for (const auto& finding : findings) {
            remaining = remaining || !finding.fixed;
            list.push_back({{"kind", finding.kind},
                            {"subject", finding.subject},
                            {"message", finding.message},
                            {"fix", finding.fix},
                            {"fixable", finding.fixable},
                            {"fixed", finding.fixed}});
            std::string status =
                finding.fixed ? out.paint(Tone::added, "fixed") : out.paint(Tone::warning, "found");
            out.line(fmt::format("{}  {}: {}", status, finding.kind, finding.message));
            if (!finding.fixed) {
                out.line(fmt::format("       fix: {}", finding.fix));
            }
        }
        if (out.json()) {
            out.print_json({{"healthy", !remaining}, {"findings", list}});
        } else if (findings.empty()) {
            out.line("no problems found");
        }
        return remaining ? 1 : 0;
    };
}

} // namespace envstore::cli
