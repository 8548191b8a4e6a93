#include "envstore/reference.hpp"

#include "envstore/error.hpp"
#include "envstore/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace envstore {
namespace {

bool all_digits(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_commit_prefix(std::string_view text)
{
    if (text.size() < 7 || text.size() > 40) {
        return false;
    }
    bool has_letter = false;
    for (char c : text) {
        bool digit = c >= '0' && c <= '9';
        bool letter = c >= 'a' && c <= 'f';
        if (!digit && !letter) {
            return false;
        }
        has_letter = has_letter || letter;
    }
    return has_letter;
}

int parse_version_number(std::string_view digits, std::string_view reference)
{
    int value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid reference \"{}\": version number {} is too large",
                                reference,
                                digits));
    }
    if (error != std::errc() || end != digits.data() + digits.size() || value < 1) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid reference \"{}\": version numbers start at 1", reference));
    }
    return value;
}

} // namespace

std::string Reference::to_string() const
{
    if (curated) {
        Reference plain = *this;
        plain.curated = false;
        return std::string(k_curated_prefix) + plain.to_string();
    }
    switch (kind) {
    case ReferenceKind::working_tree: return name;
    case ReferenceKind::version: return fmt::format("{}@v{}", name, version);
    case ReferenceKind::latest: return name + "@latest";
    case ReferenceKind::commit:
    case ReferenceKind::label: return name + "@" + value;
    }
    return name;
}

Reference parse_reference(std::string_view text)
{
    Reference reference;
    std::string_view whole = text;
    if (text.starts_with(k_curated_prefix)) {
        reference.curated = true;
        text.remove_prefix(k_curated_prefix.size());
    }
    auto at = text.find('@');
    reference.name = std::string(text.substr(0, at));
    if (auto problem = check_environment_name(reference.name)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid reference \"{}\": {}", whole, *problem));
    }
    if (at == std::string_view::npos) {
        return reference;
    }

    std::string_view rest = text.substr(at + 1);
    if (rest.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid reference \"{}\": nothing after \"@\"", whole),
                    "write NAME@vN, NAME@latest, NAME@COMMIT or NAME@LABEL");
    }
    if (all_digits(rest) || (rest[0] == 'v' && all_digits(rest.substr(1)))) {
        reference.kind = ReferenceKind::version;
        reference.version = parse_version_number(rest[0] == 'v' ? rest.substr(1) : rest, whole);
        return reference;
    }
    if (rest == "latest") {
        reference.kind = ReferenceKind::latest;
        return reference;
    }
    if (is_commit_prefix(rest)) {
        reference.kind = ReferenceKind::commit;
        reference.value = std::string(rest);
        return reference;
    }

    if (auto problem = check_label_name(rest)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid reference \"{}\": {}", whole, *problem));
    }
    reference.kind = ReferenceKind::label;
    reference.value = std::string(rest);
    return reference;
}

std::string version_tag_name(std::string_view name, int version)
{
    return fmt::format("{}@v{}", name, version);
}

} // namespace envstore
