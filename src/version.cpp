#include "envstore/version.hpp"

#include "build_info.hpp"

#include <fmt/format.h>
#include <git2.h>

namespace envstore {

std::string envstore_version()
{
    return build_info::k_version;
}

std::string libgit2_version()
{
    int major = 0;
    int minor = 0;
    int revision = 0;
    git_libgit2_version(&major, &minor, &revision);
    return fmt::format("{}.{}.{}", major, minor, revision);
}

} // namespace envstore
