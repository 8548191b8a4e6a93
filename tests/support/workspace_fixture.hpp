#pragma once

// A new workspace in a temporary folder, made by the envstore binary under
// test, with helpers to write definitions and run envstore and git in it.

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace envstore::test {

class TestWorkspace
{
public:
    // Runs `envstore init` in a fresh temporary folder; fails the test if it fails.
    TestWorkspace();

    const std::filesystem::path& root() const { return m_root; }
    const TempDir& temp() const { return m_temp; }

    // Writes environments/NAME/environment.yaml.
    void write_definition(std::string_view name, std::string_view text) const;
    // Writes a minimal valid definition of NAME; `extra` lines are appended.
    void write_minimal(std::string_view name, std::string_view extra = {}) const;
    // Reads a file of the working tree.
    std::string read(std::string_view relative) const;

    RunResult envstore(const std::vector<std::string>& args) const;
    RunResult git(const std::vector<std::string>& args) const;

private:
    TempDir m_temp;
    std::filesystem::path m_root;
};

// A minimal valid definition of `name`, with `extra` lines appended.
std::string minimal_definition(std::string_view name, std::string_view extra = {});

// "environments/NAME/environment.yaml": where NAME's definition lives in a workspace.
std::string definition_path(std::string_view name);

// Runs envstore with `args` in `workspace`; fails the test (REQUIRE) unless it
// exits 0, showing its stderr. For the steps that set up what a test checks.
void run_ok(const TestWorkspace& workspace, const std::vector<std::string>& args);

// Writes a minimal definition of `name` whose metadata carries `marker`, so
// each marker makes different content, and registers it with `run_ok`.
void register_version(const TestWorkspace& workspace, std::string_view name, int marker);

// Writes `text` as NAME's definition and registers it (with `run_ok`'s check)
// as `author`: GIT_AUTHOR_NAME `author`, GIT_AUTHOR_EMAIL "AUTHOR@example.org",
// the message `author`.
void register_as(const TestWorkspace& workspace,
                 const std::string& name,
                 const std::string& author,
                 const std::string& text);

// Writes `text` as the definition of `name` and registers it with `run_ok`.
void register_definition(const TestWorkspace& workspace,
                         std::string_view name,
                         std::string_view text);

} // namespace envstore::test
