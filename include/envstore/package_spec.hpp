#pragma once

// Package specifications: conda match specs and PEP 508 requirements, parsed
// into structured values that compare, normalise and print back.
//
// Both parsers throw `envstore::Error` with code `invalid_input` and a message
// that names what is wrong in the spec (the caller adds the file position).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore {

// A conda match spec, as conda and mamba accept on the command line and in
// environment files: `numpy`, `numpy>=1.26`, `pytorch=2.1.*`, `numpy 1.26.* py311*`,
// `conda-forge::numpy>=1.26`, `numpy[version='>=1.26',build=py*]`, `pkgs/main/linux-64::x`.
struct CondaSpec
{
    std::string name;    // as written (conda names are lowercase by convention)
    std::string channel; // "" when none; may include a subdir ("conda-forge/linux-64")
    std::string version; // the version constraint, spaces removed; "" for any
    std::string build;   // the build string pattern; "" for any
    std::vector<std::pair<std::string, std::string>> brackets; // other [key=value] items, sorted

    // The normalised spec: `channel::name version build` joined with the
    // shortest unambiguous form (`numpy>=1.26`, `numpy 1.26.* py311*`).
    std::string to_string() const;

    friend bool operator==(const CondaSpec&, const CondaSpec&) = default;
};

// Parses a conda match spec. Throws `Error(invalid_input)` on a malformed spec:
// empty name, bad characters, unbalanced brackets, an invalid version operator.
CondaSpec parse_conda_spec(std::string_view text);

// A PEP 508 dependency specifier (`name[extra1,extra2] (>=1,<2) ; markers` or
// `name @ URL ; markers`).
struct PipRequirement
{
    std::string name;                // as written
    std::vector<std::string> extras; // normalised (PEP 685), sorted, unique
    std::string specifier;           // normalised: clauses without spaces, joined by ","
    std::string url;                 // for `name @ URL`; "" otherwise
    std::string marker;              // the marker expression, whitespace normalised; "" when none

    // The PEP 503 normalised name: lowercase, runs of `-_.` replaced by `-`.
    std::string normalized_name() const;
    // The normalised requirement, e.g. `accelerate[torch]==0.24.1; python_version < "3.12"`.
    std::string to_string() const;

    friend bool operator==(const PipRequirement&, const PipRequirement&) = default;
};

// Parses a PEP 508 requirement. Throws `Error(invalid_input)` on a malformed
// requirement: bad name, unbalanced brackets, unknown operator, a marker that
// does not parse, a URL without a scheme.
PipRequirement parse_pip_requirement(std::string_view text);

// PEP 503 normalisation of a project name.
std::string normalize_pip_name(std::string_view name);

} // namespace envstore
