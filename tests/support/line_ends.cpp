#include "support/line_ends.hpp"

namespace envstore::test {

std::string with_crlf(std::string_view text)
{
    std::string out;
    for (char c : text) {
        out += c == '\n' ? "\r\n" : std::string(1, c);
    }
    return out;
}

} // namespace envstore::test
