#pragma once

// How tag, register and rename report the versions they made, and how blame
// and outdated name a stored version.

#include "cli/output.hpp"

#include "envstore/versions.hpp"

#include <vector>

namespace envstore::cli {

// The JSON of one tag result.
Json tag_result_json(const TagResult& result);

// Prints `results` as text lines, or as {"versions": [...]} in JSON mode.
void print_tag_results(Output& out, const std::vector<TagResult>& results);

// A stored version as blame and outdated name it: tag, name, version, commit,
// message and tagger.
Json version_info_json(const VersionInfo& version);

} // namespace envstore::cli
