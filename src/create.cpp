#include "file_io.hpp"

#include "envstore/names.hpp"
#include "envstore/workspace.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

std::string definition_template(std::string_view name, const CreateOptions& options)
{
    std::string text = fmt::format("name: {}\ndescription: \"\"\n", name);
    if (!options.extends.empty()) {
        text += fmt::format("extends: {}\n", options.extends);
    }
    text += fmt::format("runtime: {}\n", options.runtime);
    text += "platforms: [linux-64]\n";
    if (options.runtime == "docker") {
        return text + "docker:\n  base_image: ubuntu:22.04\n";
    }
    text += fmt::format("python:\n  version: \"{}\"\n  channels: [conda-forge]\n"
                        "  conda: []\n  pip: []\n",
                        options.python_version);
    if (options.runtime == "spark") {
        text += "spark:\n  packages: []\n";
    }
    return text;
}

} // namespace

std::string
create_definition(const Workspace& workspace, std::string_view name, const CreateOptions& options)
{
    if (auto problem = check_environment_name(name)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid environment name \"{}\": {}", name, *problem));
    }
    std::string path = Workspace::definition_path(name);
    auto full_path = workspace.root() / path;
    if (std::filesystem::exists(full_path)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" already exists", path),
                    "edit it, or choose another name");
    }

    std::string text = definition_template(name, options);
    load_definition(text, path, name);
    std::filesystem::create_directories(full_path.parent_path());
    write_file_atomically(full_path, text);
    return path;
}

} // namespace envstore
