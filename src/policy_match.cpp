// How the policy reads what a definition names: one spelling per channel,
// image and index, so that a rule cannot be passed by writing the same thing
// another way.

#include "policy_detail.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <sstream>

namespace envstore::detail {
namespace {

std::string_view trim_slashes(std::string_view text)
{
    while (text.size() > 1 && text.back() == '/') {
        text.remove_suffix(1);
    }
    return text;
}

bool is_subdir(std::string_view segment)
{
    constexpr std::array<std::string_view, 7> k_systems = {
        "linux-", "osx-", "win-", "emscripten-", "wasi-", "freebsd-", "zos-"};
    return segment == "noarch" ||
           std::any_of(k_systems.begin(), k_systems.end(), [&](std::string_view system) {
               return segment.starts_with(system);
           });
}

// Removes every `/t/TOKEN` pair of path segments (anaconda.org tokens).
std::string without_token(std::string text)
{
    for (std::size_t at = text.find("/t/"); at != std::string::npos; at = text.find("/t/", at)) {
        std::size_t end = text.find('/', at + 3);
        text.erase(at, end == std::string::npos ? std::string::npos : end - at);
    }
    return text;
}

bool is_registry(std::string_view component)
{
    return component.find_first_of(".:") != std::string_view::npos || component == "localhost";
}

// The image with its registry and default tag: `docker.io/library/ubuntu:latest`.
std::string qualified_image(std::string_view image)
{
    std::string out(image);
    std::size_t slash = out.find('/');
    if (slash == std::string::npos || !is_registry(out.substr(0, slash))) {
        out = (slash == std::string::npos ? "docker.io/library/" : "docker.io/") + out;
    }
    for (std::string_view alias : {"index.docker.io/", "registry-1.docker.io/"}) {
        if (out.starts_with(alias)) {
            out = "docker.io/" + out.substr(alias.size());
        }
    }
    std::size_t last = out.rfind('/');
    if (out.find('@') == std::string::npos && out.find(':', last) == std::string::npos) {
        out += ":latest";
    }
    return out;
}

// How docker prints an image of Docker Hub: `ubuntu:latest`, `nvidia/cuda:12.1`.
std::string familiar_image(const std::string& qualified)
{
    std::string_view out = qualified;
    if (!out.starts_with("docker.io/")) {
        return qualified;
    }
    out.remove_prefix(std::string_view("docker.io/").size());
    if (out.starts_with("library/")) {
        out.remove_prefix(std::string_view("library/").size());
    }
    return std::string(out);
}

bool is_hex_commit(std::string_view text)
{
    return text.size() == 40 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool is_exact_url(std::string_view url)
{
    url = url.substr(0, url.find_first_of("#?"));
    if (url.starts_with("git+") || url.starts_with("hg+") || url.starts_with("svn+") ||
        url.starts_with("bzr+")) {
        std::size_t at = url.rfind('@');
        std::size_t slash = url.rfind('/');
        return at != std::string_view::npos && at > slash && is_hex_commit(url.substr(at + 1));
    }
    constexpr std::array<std::string_view, 5> k_archives = {
        ".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"};
    return std::any_of(k_archives.begin(), k_archives.end(), [&](std::string_view ending) {
        return url.ends_with(ending);
    });
}

} // namespace

bool matches_any(const std::vector<std::string>& patterns, const std::vector<std::string>& texts)
{
    for (const auto& pattern : patterns) {
        for (const auto& text : texts) {
            if (fnmatch(pattern.c_str(), text.c_str(), 0) == 0) {
                return true;
            }
        }
    }
    return false;
}

std::string normalize_channel(std::string_view channel)
{
    std::string out = without_token(std::string(trim_slashes(channel)));
    for (std::string_view alias : {"https://conda.anaconda.org/", "http://conda.anaconda.org/"}) {
        if (out.starts_with(alias) && out.size() > alias.size()) {
            out.erase(0, alias.size());
        }
    }
    std::size_t slash = out.rfind('/');
    if (slash != std::string::npos && slash > 0 && is_subdir(out.substr(slash + 1)) &&
        out.substr(slash - 1, 2) != "//") {
        out.erase(slash);
    }
    return out;
}

std::vector<std::string> image_forms(std::string_view image, std::string_view registry)
{
    std::string pulled(image);
    std::size_t slash = pulled.find('/');
    bool own_registry = slash != std::string::npos && is_registry(pulled.substr(0, slash));
    if (!registry.empty() && !own_registry) {
        pulled = std::string(trim_slashes(registry)) + "/" + pulled;
        return {pulled, qualified_image(pulled)};
    }
    std::string qualified = qualified_image(pulled);
    return {pulled, qualified, familiar_image(qualified)};
}

std::string normalize_pip_source(std::string_view url)
{
    std::string out(trim_slashes(url));
    std::size_t scheme = out.find("://");
    if (scheme == std::string::npos) {
        return out;
    }
    std::size_t host = scheme + 3;
    std::size_t at = out.find('@', host);
    if (at != std::string::npos && at < out.find('/', host)) {
        out.erase(host, at + 1 - host);
    }
    return out;
}

std::vector<PipSource> pip_sources(std::string_view entry)
{
    std::istringstream words{std::string(entry)};
    std::vector<std::string> tokens;
    for (std::string word; words >> word;) {
        tokens.push_back(word);
    }

    std::vector<PipSource> sources;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::string& token = tokens[i];
        for (std::string_view option : {"--index-url", "--extra-index-url", "--find-links"}) {
            std::string with_value = std::string(option) + "=";
            std::string short_form = option == "--index-url"    ? "-i"
                                     : option == "--find-links" ? "-f"
                                                                : "";
            if (token == option || (!short_form.empty() && token == short_form)) {
                if (i + 1 < tokens.size()) {
                    sources.push_back({std::string(option), tokens[++i]});
                }
            } else if (token.starts_with(with_value)) {
                sources.push_back({std::string(option), token.substr(with_value.size())});
            } else if (!short_form.empty() && token.starts_with(short_form) &&
                       token.size() > short_form.size() && !token.starts_with("--")) {
                sources.push_back({std::string(option), token.substr(short_form.size())});
            }
        }
    }
    return sources;
}

bool disables_index(std::string_view entry)
{
    std::istringstream words{std::string(entry)};
    for (std::string word; words >> word;) {
        if (word == "--no-index") {
            return true;
        }
    }
    return false;
}

bool is_exact_conda_version(std::string_view version)
{
    if (version.starts_with("==")) {
        version.remove_prefix(2);
    }
    if (version.empty()) {
        return false;
    }
    return version.find_first_of("*,|<>=!~ ") == std::string_view::npos;
}

bool is_exact_pip_requirement(const PipRequirement& requirement)
{
    if (!requirement.url.empty()) {
        return is_exact_url(requirement.url);
    }
    std::string_view clauses = requirement.specifier;
    while (!clauses.empty()) {
        std::size_t comma = clauses.find(',');
        std::string_view clause = clauses.substr(0, comma);
        if (clause.starts_with("===") ||
            (clause.starts_with("==") && !clause.ends_with(".*") && clause.size() > 2)) {
            return true;
        }
        clauses = comma == std::string_view::npos ? "" : clauses.substr(comma + 1);
    }
    return false;
}

} // namespace envstore::detail
