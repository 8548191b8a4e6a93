// Makes one version of an environment from in-memory content, after waiting
// for its standard input to close, so that a test can release many drivers at
// the same moment. Prints the version it made ("v12").
//
// usage: envstore_race_driver register|tag WORKSPACE NAME TEXT_TAG
//   register: the whole of register (commit, then tag) runs after the release.
//   tag:      the commit is made before the release and only the numbering runs
//             after it, so that every driver races for the same version number.

#include "commit_builder.hpp"

#include "envstore/error.hpp"
#include "envstore/versions.hpp"
#include "envstore/workspace.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <string_view>

namespace {

void wait_for_release()
{
    char byte = 0;
    while (read(STDIN_FILENO, &byte, 1) > 0) {
    }
}

std::string definition_text(const std::string& name, const std::string& text_tag)
{
    return fmt::format("name: {}\n"
                       "description: {}\n"
                       "python:\n"
                       "  version: \"3.11\"\n"
                       "  conda: [\"numpy>=1.26\"]\n"
                       "metadata: {{writer: \"{}\"}}\n",
                       name,
                       text_tag,
                       text_tag);
}

envstore::TagResult make_version(std::string_view mode,
                                 const envstore::Workspace& workspace,
                                 const std::string& name,
                                 const std::string& text_tag)
{
    envstore::FolderFiles files{{"environment.yaml", definition_text(name, text_tag)}};
    std::string message = fmt::format("race {}", text_tag);
    if (mode == "register") {
        wait_for_release();
        return envstore::register_snapshots(workspace, {{name, files}}, message).at(0);
    }
    envstore::BuiltCommit commit = envstore::commit_changes(workspace, {{name, files}}, message);
    wait_for_release();
    return envstore::tag_commit(workspace, name, commit.commit, message);
}

} // namespace

int main(int argc, char** argv)
{
    std::string_view mode = argc == 5 ? argv[1] : "";
    if (mode != "register" && mode != "tag") {
        std::fputs("usage: envstore_race_driver register|tag WORKSPACE NAME TEXT_TAG\n", stderr);
        return 2;
    }
    try {
        auto workspace = envstore::Workspace::discover(argv[2]);
        envstore::TagResult result = make_version(mode, workspace, argv[3], argv[4]);
        fmt::print("v{}\n", result.version);
        return result.created ? 0 : 1;
    } catch (const envstore::Error& error) {
        fmt::print(stderr, "{}\n", error.message());
        return envstore::exit_code_of(error.code());
    }
}
