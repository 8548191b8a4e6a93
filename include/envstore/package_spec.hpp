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
    // The version constraint, spaces removed; "" for any (also when written `*`).
    // Operators stay as written: `=1.2` (which conda reads as 1.2.*) is not rewritten.
    // Next to a build, conda reads `=1.2` and `==1.2` as exactly 1.2, so they become
    // `1.2` there: `numpy=1.26.4=py311_0` and `numpy 1.26.4 py311_0` are equal. With
    // the build in brackets conda keeps `=1.2` fuzzy, and it becomes `1.2.*`.
    std::string version;
    std::string build; // the build string pattern; "" for any (also when written `*`)
    // The other [key=value] items (`version` and `build` fill the fields above),
    // sorted by key.
    std::vector<std::pair<std::string, std::string>> brackets;

    // The normalised spec: `channel::name version build` joined with the
    // shortest unambiguous form (`numpy>=1.26`, `python 3.11.*`, `numpy 1.26.* py311*`,
    // `numpy * py311*`), then the other bracket items as `[key=value,...]`.
    std::string to_string() const;

    friend bool operator==(const CondaSpec&, const CondaSpec&) = default;
};

// Parses a conda match spec. Throws `Error(invalid_input)` on a malformed spec:
// empty name, bad characters, unbalanced brackets or quotes, an invalid version
// operator, an empty version after an operator.
CondaSpec parse_conda_spec(std::string_view text);

// A PEP 508 dependency specifier (`name[extra1,extra2] (>=1,<2) ; markers` or
// `name @ URL ; markers`).
struct PipRequirement
{
    std::string name;                // as written
    std::vector<std::string> extras; // normalised (PEP 685), sorted, unique
    // Normalised: clauses without spaces, sorted and unique, joined by "," (sorted so
    // that requirements differing only in clause order compare and print equal).
    std::string specifier;
    std::string url; // for `name @ URL`; "" otherwise
    // The marker expression, normalised: single spaces around operators, `and` and
    // `or`, strings in double quotes, pre-PEP 508 names (`sys.platform`) replaced by
    // their PEP 508 names; parentheses kept as written. "" when none.
    std::string marker;
    // pip's `--hash=ALG:HEX` options of a requirements file line (sha256, sha384
    // or sha512, lowercase hex), sorted and unique. Empty when none.
    std::vector<std::string> hashes;

    // The PEP 503 normalised name: lowercase, runs of `-_.` replaced by `-`.
    std::string normalized_name() const;
    // The normalised requirement, e.g. `accelerate[torch]==0.24.1; python_version < "3.12"`,
    // or `name @ URL ; marker` (a URL needs the space before `;`), then each hash as
    // ` --hash=sha256:...`, as a requirements file line writes them.
    std::string to_string() const;

    friend bool operator==(const PipRequirement&, const PipRequirement&) = default;
};

// Parses a PEP 508 requirement, optionally followed by pip's `--hash` options
// (`name==1.0 --hash=sha256:...`). Throws `Error(invalid_input)` on a malformed
// requirement: bad name, unbalanced brackets, unknown operator, an invalid PEP 440
// version, a marker that does not parse, a URL without a scheme (`https://`), a
// hash that is not sha256, sha384 or sha512 in lowercase hex.
PipRequirement parse_pip_requirement(std::string_view text);

// PEP 503 normalisation of a project name.
std::string normalize_pip_name(std::string_view name);

} // namespace envstore
