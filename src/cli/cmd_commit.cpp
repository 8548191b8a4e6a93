#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_commit(CLI::App& command, const GlobalOptions& options, Output& out)
{
    struct State
    {
        std::vector<std::string> names;
        std::string message;
    };
    auto state = std::make_shared<State>();
    command.add_option("-m,--message", state->message, "Commit message");
    command.add_option("NAME", state->names, "Environments to commit (default: all changed)");
    return [state, &options, &out] {
        for (const auto& name : state->names) {
            refuse_curated_write("commit", name);
        }
        Workspace workspace = open_workspace(options);
        CommitResult result = commit_definitions(workspace, state->names, state->message);
        if (out.json()) {
            out.print_json({{"commit", result.commit.empty() ? Json(nullptr) : Json(result.commit)},
                            {"environments", result.names}});
            return 0;
        }
        if (result.commit.empty()) {
            out.line("nothing to commit: definitions match the last commit");
            return 0;
        }
        out.line(fmt::format(
            "Committed {}: {}", short_id(result.commit), fmt::join(result.names, ", ")));
        return 0;
    };
}

} // namespace envstore::cli
