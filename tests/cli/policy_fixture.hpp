#pragma once

// What the policy tests of the CLI share: a policy committed in envstore.yaml,
// and a definition that breaks it.

#include "support/git_judge.hpp"
#include "support/workspace_fixture.hpp"

#include <string>

namespace envstore::test {

// Appends `policy` to the workspace's envstore.yaml and commits it with git.
inline void set_policy(const TestWorkspace& ws, const std::string& policy)
{
    write_file(ws.root() / "envstore.yaml", ws.read("envstore.yaml") + policy);
    git_text(ws, {"commit", "-q", "-m", "Policy", "envstore.yaml"});
}

// A definition of `name` whose conda list holds pycrypto at column 7 of line
// 8, or of line 9 with one line of `extra` (written after `name:`).
inline std::string with_pycrypto(const std::string& name, const std::string& extra = {})
{
    return "name: " + name + "\n" + extra +
           "runtime: python\n"
           "python:\n"
           "  version: \"3.11\"\n"
           "  channels: [conda-forge]\n"
           "  conda:\n"
           "    - numpy\n"
           "    - pycrypto\n";
}

} // namespace envstore::test
