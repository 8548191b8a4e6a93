#include "cli/command.hpp"
#include "cli/version_output.hpp"

#include "envstore/curated.hpp"

namespace envstore::cli {

Action define_tag(CLI::App& command, const GlobalOptions& options, Output& out)
{
    struct State
    {
        std::string name;
        std::string message;
    };
    auto state = std::make_shared<State>();
    command.add_option("NAME", state->name, "Environment to version")->required();
    command.add_option("-m,--message", state->message, "Version message");
    return [state, &options, &out] {
        refuse_curated_write("tag", state->name);
        Workspace workspace = open_workspace(options);
        TagResult result = tag_version(workspace, state->name, state->message);
        if (has_uncommitted_changes(workspace, state->name)) {
            out.warning("the working tree has uncommitted changes to \"" + state->name +
                        "\": the version holds the committed definition");
        }
        print_tag_results(out, {result});
        return 0;
    };
}

} // namespace envstore::cli
