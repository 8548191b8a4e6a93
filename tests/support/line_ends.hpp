#pragma once

// Line-end variants of a text, for checking that definitions read the same
// whatever line ends an editor wrote.

#include <string>
#include <string_view>

namespace envstore::test {

// `text` with every LF turned into CR LF.
std::string with_crlf(std::string_view text);

} // namespace envstore::test
