#include "cli/command.hpp"

#include <fmt/format.h>

namespace envstore::cli {

Action define_init(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto directory = std::make_shared<std::string>();
    command.add_option("DIR", *directory, "Folder of the new workspace (default: here)");
    return [directory, &options, &out] {
        std::filesystem::path base = working_folder(options);
        Workspace workspace = Workspace::init(directory->empty() ? base : base / *directory);
        if (out.json()) {
            out.print_json({{"workspace", workspace.root().string()}});
            return 0;
        }
        out.line(fmt::format("Initialised envstore workspace in {}", workspace.root().string()));
        return 0;
    };
}

} // namespace envstore::cli
