#pragma once

// Names of environments and labels. Every environment name is a valid Git tag
// name component, so `NAME@vN` is always a valid tag.

#include <optional>
#include <string>
#include <string_view>

namespace envstore {

inline constexpr std::size_t k_max_name_length = 64;

// Why `name` is not a valid environment name, or std::nullopt when it is.
// Rules: lowercase letters, digits, `.`, `_`, `-`; starts with a letter or
// digit; at most 64 characters; no `..`; not ending in `.` or `.lock`; not
// the reserved word `curated`.
std::optional<std::string> check_environment_name(std::string_view name);

// Why `label` is not a valid label name, or std::nullopt when it is. A label
// follows the environment name rules and must not read as anything a reference
// means before a label: `vN`, digits, `latest`, or 7 to 40 hex digits.
// `archive` is reserved for archive records.
std::optional<std::string> check_label_name(std::string_view label);

// The Levenshtein distance between `a` and `b`, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of `candidates` to `word` if it is close enough to suggest.
template <typename Range>
std::optional<std::string> closest_match(std::string_view word, const Range& candidates)
{
    std::optional<std::string> best;
    std::size_t best_distance = word.size() / 3 + 1;
    for (const auto& candidate : candidates) {
        std::size_t distance = edit_distance(word, candidate);
        if (distance <= best_distance && (!best || distance < edit_distance(word, *best))) {
            best = std::string(candidate);
            best_distance = distance;
        }
    }
    return best;
}

} // namespace envstore
