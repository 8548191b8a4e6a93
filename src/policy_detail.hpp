#pragma once

// Private parts of the policy: rule ids, and how channels, images, pip sources
// and versions are read for matching (policy_match.cpp).

#include "envstore/package_spec.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace envstore {

namespace policy_rule {
inline constexpr std::string_view channel = "policy-channel";
inline constexpr std::string_view forbidden_package = "policy-forbidden-package";
inline constexpr std::string_view pinned_package = "policy-pinned-package";
inline constexpr std::string_view base_image = "policy-base-image";
inline constexpr std::string_view pip_index = "policy-pip-index";
// A policy entry of envstore.yaml that is not a valid name, pattern or URL.
inline constexpr std::string_view invalid_policy = "invalid-policy";
} // namespace policy_rule

namespace detail {

// The index pip uses when no --index-url is given.
inline constexpr std::string_view k_default_pip_index = "https://pypi.org/simple";
// The channel conda uses when a definition names none.
inline constexpr std::string_view k_default_channel = "defaults";

// True when one of `patterns` matches one of `texts` (fnmatch without flags:
// `*` matches `/` too).
bool matches_any(const std::vector<std::string>& patterns, const std::vector<std::string>& texts);

// A conda channel in the form policies compare: no trailing `/`, no
// anaconda.org token (`/t/TOKEN`), no platform subdir (`/linux-64`, `/noarch`),
// and `https://conda.anaconda.org/NAME` written as NAME.
std::string normalize_channel(std::string_view channel);

// The ways of writing the image `image` that policies compare against: as
// written, fully qualified (`docker.io/library/ubuntu:latest`) and short
// (`ubuntu:latest`). `registry` is docker.registry.address, "" when none: an
// image without a registry of its own is pulled from there.
std::vector<std::string> image_forms(std::string_view image, std::string_view registry);

// A pip package source in the form policies compare: no user or password
// (`https://user:${TOKEN}@host` becomes `https://host`), no trailing `/`.
std::string normalize_pip_source(std::string_view url);

// One place pip takes packages from, as a pip_options entry gives it.
struct PipSource
{
    std::string option; // "--index-url", "--extra-index-url" or "--find-links"
    std::string url;
};

// The sources one pip_options entry names: `--index-url URL`, `-i URL`,
// `--extra-index-url=URL`, `--find-links URL`, `-f URL`, several per entry.
std::vector<PipSource> pip_sources(std::string_view entry);
// True when the entry holds `--no-index`.
bool disables_index(std::string_view entry);

// True when the conda version constraint names one version: `1.2.3` or
// `==1.2.3`, not `=1.2` (1.2.*), `1.2.*`, ranges or alternatives.
bool is_exact_conda_version(std::string_view version);
// True when the requirement names one version: a `==V` clause without a
// wildcard or an `===V` clause, or a URL to one archive or a VCS URL at a
// full commit id.
bool is_exact_pip_requirement(const PipRequirement& requirement);

} // namespace detail
} // namespace envstore
