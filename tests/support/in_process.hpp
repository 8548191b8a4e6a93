#pragma once

// The fixture of unit tests that call the library in this process: a fresh
// workspace made by `Workspace::init`, with the git CLI as judge, and the
// error a library call throws.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "envstore/error.hpp"
#include "envstore/workspace.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace envstore::test {

// The `envstore::Error` that `function()` throws, or nothing when it returns.
// Any other exception passes through.
template <typename Function> std::optional<Error> error_from(Function&& function)
{
    try {
        function();
    } catch (const Error& error) {
        return error;
    }
    return std::nullopt;
}

// A workspace made in-process by `Workspace::init` in a fresh temporary folder,
// after `apply_test_environment()`. Tests derive from it to add the ways they
// register definitions.
class InProcessWorkspace
{
public:
    InProcessWorkspace();

    const Workspace& workspace() const { return m_workspace; }
    std::filesystem::path root() const { return m_workspace.root(); }

    // Runs git in the workspace with `options` (environment, standard input);
    // fails the test if it fails. Returns stdout without its last line end.
    std::string git(const std::vector<std::string>& args, const RunOptions& options = {}) const;
    // `git` with `input` as its standard input.
    std::string git(const std::vector<std::string>& args, const std::string& input) const;

    // Writes `text` as the working-tree definition of `name`.
    void write(const std::string& name, const std::string& text) const;

    // Writes `text` as `name` and registers it as `author` (GIT_AUTHOR_NAME;
    // the email is "AUTHOR@example.org"), with `message`.
    void register_as(const std::string& name,
                     const std::string& author,
                     const std::string& text,
                     const std::string& message = {}) const;

private:
    TempDir m_temp;
    Workspace m_workspace;
};

} // namespace envstore::test
