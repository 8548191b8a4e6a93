#include "cli/command.hpp"

#include "envstore/curated.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_create(CLI::App& command, const GlobalOptions& options, Output& out)
{
    struct State
    {
        std::string name;
        CreateOptions create;
    };
    auto state = std::make_shared<State>();
    command.add_option("NAME", state->name, "Name of the new environment")->required();
    command.add_option("--extends", state->create.extends, "Base environment reference (NAME@vN)");
    command.add_option("--runtime", state->create.runtime, "python, spark or docker")
        ->check(CLI::IsMember({"python", "spark", "docker"}));
    command.add_option("--python", state->create.python_version, "Python version, e.g. 3.11");
    return [state, &options, &out] {
        refuse_curated_write("create", state->name);
        Workspace workspace = open_workspace(options);
        std::string path = create_definition(workspace, state->name, state->create);
        if (out.json()) {
            out.print_json({{"name", state->name}, {"path", path}});
            return 0;
        }
        out.line(fmt::format("Created {}", path));
        return 0;
    };
}

} // namespace envstore::cli
