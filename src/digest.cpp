#include "canonical_tree.hpp"

#include "envstore/canonical.hpp"

#include <fmt/format.h>
#include <mbedtls/sha256.h>

#include <array>

namespace envstore {

std::string sha256_hex(std::string_view bytes)
{
    std::array<unsigned char, 32> digest{};
    const auto* input = reinterpret_cast<const unsigned char*>(bytes.data());
    if (mbedtls_sha256_ret(input, bytes.size(), digest.data(), 0) != 0) {
        throw Error(ErrorCode::internal, "SHA-256 computation failed");
    }
    std::string hex = "sha256:";
    for (unsigned char byte : digest) {
        hex += fmt::format("{:02x}", byte);
    }
    return hex;
}

// The version line keeps digests of different canonical forms apart even
// where their JSON happened to coincide.
std::string definition_digest(const Definition& definition)
{
    std::string bytes = fmt::format("envstore-canonical-v{}\n", k_canonical_version);
    bytes += detail::dump_compact(detail::canonical_build_tree(definition));
    return sha256_hex(bytes);
}

} // namespace envstore
