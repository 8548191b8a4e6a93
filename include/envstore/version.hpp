#pragma once

// The versions of envstore and of the libraries it runs on.

#include <string>

namespace envstore {

// envstore's own version, e.g. "0.1.0".
std::string envstore_version();

// The libgit2 this process runs with, e.g. "1.5.1".
std::string libgit2_version();

} // namespace envstore
