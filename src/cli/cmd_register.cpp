#include "cli/command.hpp"
#include "cli/version_output.hpp"

#include "envstore/curated.hpp"

namespace envstore::cli {

Action define_register(CLI::App& command, const GlobalOptions& options, Output& out)
{
    struct State
    {
        std::vector<std::string> names;
        std::string message;
    };
    auto state = std::make_shared<State>();
    command.add_option("NAME", state->names, "Environments to commit and version")->required();
    command.add_option("-m,--message", state->message, "Commit and version message");
    return [state, &options, &out] {
        for (const auto& name : state->names) {
            refuse_curated_write("register", name);
        }
        Workspace workspace = open_workspace(options);
        print_tag_results(out, register_definitions(workspace, state->names, state->message));
        return 0;
    };
}

} // namespace envstore::cli
