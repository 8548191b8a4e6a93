#pragma once

// What the export formats share: the settings a definition holds, the
// warning for a setting a format does not carry, and the check of a line
// that pip reads.

#include "yaml/yaml_writer.hpp"

#include "envstore/export.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace envstore::detail {

// The build settings `definition` gives a value, as field names of
// docs/schema.md ("python.conda", "docker.apt"), in schema order. Fields for
// people (description, metadata, x-...) are not among them.
std::vector<std::string_view> settings_present(const Definition& definition);

// Adds a "not-exported" warning to `result` for each setting of `resolved`
// outside `carried`, located where the setting was written.
void warn_not_carried(const ResolvedDefinition& resolved,
                      std::string_view format,
                      const std::vector<std::string_view>& carried,
                      ExportResult& result);

// Checks that pip reads `line` of a requirements file as written: no control
// character (a line break would start another line), no ` #` (pip drops a
// comment), no `\` at the end (pip joins the next line). Throws
// `Error(invalid_input)` naming `field` otherwise.
void check_pip_line(std::string_view line, std::string_view field);

// The lines of a requirements file for `resolved`: the python.pip_options
// that pip accepts in a file, then python.pip in their normalised form, each
// checked by `check_pip_line`. Each option pip takes only on its command line
// (`--no-cache-dir`) is left out with a warning added to `result`.
std::vector<std::string> pip_lines(const ResolvedDefinition& resolved, ExportResult& result);

// The conda environment file of `resolved` (name, channels, dependencies
// with a nested pip list, variables). Adds to `result` the warning for a
// python.version left out because python.conda has a python spec of its own,
// and for each variable left out because its value is `${NAME}`.
yaml::YamlNode conda_document(const ResolvedDefinition& resolved, ExportResult& result);

// Adds a "conda-reserved-name" warning to `result` when conda would refuse
// the environment's name (base, root).
void warn_reserved_name(const ResolvedDefinition& resolved, ExportResult& result);

// A "not-exported" warning about `field`, located where it was written.
Diagnostic
not_exported(const ResolvedDefinition& resolved, std::string_view field, std::string message);

} // namespace envstore::detail
