#pragma once

// References to environments, as users type them.
//
// In order of precedence: `NAME` (the working tree); `NAME@vN` and `NAME@N`
// (a version); `NAME@latest`; `NAME@HEX` with 7 to 40 hex digits, at least one
// a letter (a commit); otherwise `NAME@LABEL`. A leading `curated/` names an
// environment of the curated catalog that ships with envstore instead of one
// of the workspace (`curated/python-3.11@v2`); it is read-only.

#include <string>
#include <string_view>

namespace envstore {

enum class ReferenceKind { working_tree, version, latest, commit, label };

struct Reference
{
    std::string name;
    ReferenceKind kind = ReferenceKind::working_tree;
    int version = 0;      // for ReferenceKind::version
    std::string value;    // the commit prefix or the label name
    bool curated = false; // written with the `curated/` prefix

    // The reference as typed in its normal form (`train@v3`, `train@prod`).
    std::string to_string() const;

    friend bool operator==(const Reference&, const Reference&) = default;
};

// Parses `text`. Throws `Error(invalid_input)` naming what is wrong: a bad
// environment name, an empty or invalid part after `@`, a version 0.
Reference parse_reference(std::string_view text);

inline constexpr std::string_view k_curated_prefix = "curated/";

// The tag name of version `version` of `name`: "NAME@vN".
std::string version_tag_name(std::string_view name, int version);

} // namespace envstore
