#include "cli/command.hpp"
#include "cli/version_output.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_rename(CLI::App& command, const GlobalOptions& options, Output& out)
{
    struct State
    {
        std::string old_name;
        std::string new_name;
    };
    auto state = std::make_shared<State>();
    command.add_option("OLD", state->old_name, "Current name")->required();
    command.add_option("NEW", state->new_name, "New name")->required();
    return [state, &options, &out] {
        refuse_curated_write("rename", state->old_name);
        refuse_curated_write("rename to", state->new_name);
        Workspace workspace = open_workspace(options);
        TagResult result = rename_environment(workspace, state->old_name, state->new_name);
        if (out.json()) {
            out.print_json({{"from", state->old_name}, {"version", tag_result_json(result)}});
            return 0;
        }
        bool archived = archive_state(workspace, state->old_name).archived;
        out.line(fmt::format("Renamed {} to {}: registered {}{}",
                             state->old_name,
                             state->new_name,
                             result.tag_name,
                             archived ? fmt::format("; {} is archived", state->old_name) : ""));
        return 0;
    };
}

} // namespace envstore::cli
