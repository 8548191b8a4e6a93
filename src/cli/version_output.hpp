#pragma once

// How tag, register and rename report the versions they made.

#include "cli/output.hpp"

#include "envstore/versions.hpp"

#include <vector>

namespace envstore::cli {

// The JSON of one tag result.
Json tag_result_json(const TagResult& result);

// Prints `results` as text lines, or as {"versions": [...]} in JSON mode.
void print_tag_results(Output& out, const std::vector<TagResult>& results);

} // namespace envstore::cli
