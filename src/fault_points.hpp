#pragma once

// Named points where tests can make envstore pause or die, to widen race
// windows and to simulate crashes. Set ENVSTORE_FAULT to "POINT=ACTION", where
// ACTION is "sleep:MS" or "crash" (the process kills itself with SIGKILL).
// Unset, a fault point costs one comparison.

#include <string_view>

namespace envstore {

// Acts on ENVSTORE_FAULT when it names `point`.
void fault_point(std::string_view point);

} // namespace envstore
