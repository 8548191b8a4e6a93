#pragma once

// The workspace write lock: `.git/envstore.lock`, held while a commit is
// built, the branch moved and the index updated. libgit2 can make each of
// those steps atomic but not the three together; version tags are created
// outside the lock, each by compare-and-swap.

#include <filesystem>
#include <optional>
#include <string>

namespace envstore {

inline constexpr const char* k_write_lock_file = "envstore.lock";

class WriteLock
{
public:
    // Takes the lock in `git_dir`, retrying with jittered backoff for up to
    // about ten seconds. Throws Error(conflict) naming the holder and the
    // lock's age when it stays held.
    explicit WriteLock(const std::filesystem::path& git_dir);
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

private:
    std::filesystem::path m_path;
};

// What a lock file says about its holder.
struct LockHolder
{
    int pid = 0;
    std::string host;
    double age_seconds = 0;
    bool alive = true; // false when the holder ran on this host and has exited
};

// Reads the lock file at `path`; std::nullopt when there is none.
std::optional<LockHolder> read_lock_holder(const std::filesystem::path& path);

} // namespace envstore
