#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_restore(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto name = std::make_shared<std::string>();
    command.add_option("NAME", *name, "Archived environment to restore")->required();
    return [name, &options, &out] {
        refuse_curated_write("restore", *name);
        Workspace workspace = open_workspace(options);
        if (parse_reference(*name).kind != ReferenceKind::working_tree) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("restore takes an environment name, not a reference: \"{}\"", *name));
        }
        restore_environment(workspace, *name);
        if (out.json()) {
            out.print_json({{"name", *name}, {"archived", false}});
        } else {
            out.line(fmt::format("Restored {}", *name));
        }
        return 0;
    };
}

} // namespace envstore::cli
