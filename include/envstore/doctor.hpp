#pragma once

// Finding what would make envstore commands fail, and the safe fixes.

#include "envstore/workspace.hpp"

#include <string>
#include <vector>

namespace envstore {

enum class FixMode { report, fix };

struct DoctorFinding
{
    std::string kind;    // stale-lock, held-lock, temporary-file, tampered-version,
                         // missing-version, unreadable-record, identity
    std::string subject; // the path, tag or setting concerned
    std::string message;
    std::string fix; // the safe fix, or what the user must do
    bool fixable = false;
    bool fixed = false;
};

// Lock files older than this, or whose process has exited, are stale.
inline constexpr double k_stale_lock_seconds = 600;

// Checks the workspace: lock files (with their age), leftover temporary
// objects and files, every version (tampering, gaps in numbering), the Git
// identity. With FixMode::fix, removes stale locks and temporary files.
std::vector<DoctorFinding> run_doctor(const Workspace& workspace, FixMode mode);

} // namespace envstore
