#include "support/git_judge.hpp"

#include <catch2/catch.hpp>

#include <sstream>

namespace envstore::test {

std::string git_output(const std::filesystem::path& dir,
                       const std::vector<std::string>& args,
                       const RunOptions& options)
{
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions in_dir = options;
    in_dir.cwd = dir;

    RunResult result = run(argv, in_dir);
    INFO("git " << args.at(0) << ": " << result.err);
    REQUIRE(result.exit_code == 0);
    return result.out;
}

std::string git_text(const std::filesystem::path& dir,
                     const std::vector<std::string>& args,
                     const RunOptions& options)
{
    std::string text = git_output(dir, args, options);
    if (text.ends_with('\n')) {
        text.pop_back();
    }
    return text;
}

std::string git_text(const TestWorkspace& workspace, const std::vector<std::string>& args)
{
    return git_text(workspace.root(), args);
}

std::string git_trimmed(const std::filesystem::path& dir, const std::vector<std::string>& args)
{
    std::string text = git_output(dir, args);
    while (text.ends_with('\n')) {
        text.pop_back();
    }
    return text;
}

std::string git_trimmed(const TestWorkspace& workspace, const std::vector<std::string>& args)
{
    return git_trimmed(workspace.root(), args);
}

std::map<std::string, std::string> tag_ids(const TestWorkspace& workspace)
{
    std::map<std::string, std::string> ids;
    std::istringstream lines(git_trimmed(
        workspace, {"for-each-ref", "--format=%(refname:short) %(objectname)", "refs/tags"}));
    for (std::string line; std::getline(lines, line);) {
        auto space = line.find(' ');
        ids[line.substr(0, space)] = line.substr(space + 1);
    }
    return ids;
}

std::string tag_message(const TestWorkspace& workspace, const std::string& tag)
{
    std::string object = git_text(workspace, {"cat-file", "-p", tag});
    return object.substr(object.find("\n\n") + 2);
}

std::string
tag_field(const TestWorkspace& workspace, const std::string& tag, const std::string& format)
{
    return git_trimmed(workspace, {"for-each-ref", "--format=" + format, "refs/tags/" + tag});
}

std::string tag_digest(const TestWorkspace& workspace, const std::string& tag)
{
    return tag_field(workspace, tag, "%(contents:trailers:key=Envstore-Digest,valueonly)");
}

void check_repository_clean(const TestWorkspace& workspace)
{
    RunResult fsck = workspace.git({"fsck", "--strict"});
    INFO(fsck.out << fsck.err);
    CHECK(fsck.exit_code == 0);
    CHECK(workspace.git({"status", "--porcelain"}).out.empty());
}

} // namespace envstore::test
