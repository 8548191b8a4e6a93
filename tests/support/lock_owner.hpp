#pragma once

// What a write lock file records about its owner ("PID HOST"), for tests that
// forge held and stale locks.

#include <string>

namespace envstore::test {

// This machine's host name, as `gethostname` gives it.
std::string host_name();

// The id of a process that has exited and been reaped: one this call started
// and waited for, so no live process of this machine has it (until reused).
int dead_pid();

} // namespace envstore::test
