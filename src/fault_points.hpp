#pragma once

// Named points where tests can make envstore pause or die, to widen race
// windows and to simulate crashes. Set ENVSTORE_FAULT to "POINT=ACTION", where
// ACTION is "sleep:MS", "crash" (the process kills itself with SIGKILL) or
// "throw" (a std::runtime_error, which the CLI reports as an internal error).
// Unset, a fault point costs one comparison.

#include <string_view>

namespace envstore {

// Acts on ENVSTORE_FAULT when it names `point`.
void fault_point(std::string_view point);

} // namespace envstore
