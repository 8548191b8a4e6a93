#pragma once

// What the text, markdown and JSON renderers of a diff share.

#include "envstore/diff.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace envstore {

// True for the fields whose items are keys of a mapping (`variables`,
// `metadata`), shown as `KEY: value`; list entries show their value alone.
bool is_mapping_field(std::string_view field);

// A chain of bases as "mid@v1, base@v2", or "(no base)".
std::string chain_text(const std::vector<std::string>& chain);

// "only the base changed: base@v2 -> base@v3", "the base changed too: ...".
std::string base_note_text(const BaseNote& note);

} // namespace envstore
