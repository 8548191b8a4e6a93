#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_archive(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto name = std::make_shared<std::string>();
    command.add_option("NAME", *name, "Environment to archive")->required();
    return [name, &options, &out] {
        refuse_curated_write("archive", *name);
        Workspace workspace = open_workspace(options);
        if (parse_reference(*name).kind != ReferenceKind::working_tree) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("archive takes an environment name, not a reference: \"{}\"", *name));
        }
        archive_environment(workspace, *name);
        if (out.json()) {
            out.print_json({{"name", *name}, {"archived", true}});
        } else {
            out.line(
                fmt::format("Archived {}: hidden from list, its versions stay readable", *name));
        }
        return 0;
    };
}

} // namespace envstore::cli
