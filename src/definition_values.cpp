#include "definition_reader.hpp"

#include "envstore/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace envstore::detail {
namespace {

// Conda's known subdirs.
constexpr std::array<std::string_view, 19> k_platforms = {
    "emscripten-wasm32",
    "freebsd-64",
    "linux-32",
    "linux-64",
    "linux-aarch64",
    "linux-armv6l",
    "linux-armv7l",
    "linux-ppc64",
    "linux-ppc64le",
    "linux-riscv64",
    "linux-s390x",
    "noarch",
    "osx-64",
    "osx-arm64",
    "wasi-wasm32",
    "win-32",
    "win-64",
    "win-arm64",
    "zos-z",
};

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_lower_or_digit(char c)
{
    return (c >= 'a' && c <= 'z') || is_digit(c);
}

// True when `text` is not empty and every character passes `accept`.
template <typename Accept> bool made_of(std::string_view text, Accept accept)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), accept);
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t end = text.find(separator); end != std::string_view::npos;
         end = text.find(separator, start)) {
        parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    parts.push_back(text.substr(start));
    return parts;
}

// Debian policy: `name[:arch][=version]`, the name at least two characters.
bool is_apt_package(std::string_view text)
{
    auto equals = text.find('=');
    std::string_view version = equals == std::string_view::npos ? "" : text.substr(equals + 1);
    std::string_view name = text.substr(0, equals);
    auto colon = name.find(':');
    std::string_view arch = colon == std::string_view::npos ? "" : name.substr(colon + 1);
    name = name.substr(0, colon);

    bool name_ok = name.size() >= 2 && is_lower_or_digit(name[0]) && made_of(name, [](char c) {
                       return is_lower_or_digit(c) || c == '+' || c == '-' || c == '.';
                   });
    bool arch_ok = colon == std::string_view::npos ||
                   made_of(arch, [](char c) { return is_lower_or_digit(c) || c == '-'; });
    bool version_ok = equals == std::string_view::npos || made_of(version, [](char c) {
                          return is_letter(c) || is_digit(c) ||
                                 std::string_view(".+~:-").find(c) != std::string_view::npos;
                      });
    return name_ok && arch_ok && version_ok;
}

} // namespace

void check_platform(const ListItem& item, Findings& findings)
{
    if (std::find(k_platforms.begin(), k_platforms.end(), item.text) != k_platforms.end()) {
        return;
    }
    std::string hint;
    if (auto match = closest_match(item.text, k_platforms)) {
        hint = fmt::format("did you mean \"{}\"?", *match);
    } else {
        hint = fmt::format("use a conda platform: {}", fmt::join(k_platforms, ", "));
    }
    findings.add(rule::unknown_platform,
                 *item.node,
                 fmt::format("unknown platform \"{}\"", item.text),
                 std::move(hint));
}

void check_python_version(const std::string& version, const yaml::Node& at, Findings& findings)
{
    std::vector<std::string_view> parts = split(version, '.');
    bool valid = (parts.size() == 2 || parts.size() == 3) &&
                 std::all_of(parts.begin(), parts.end(), [](std::string_view part) {
                     return made_of(part, is_digit);
                 });
    if (!valid) {
        findings.add(rule::invalid_python_version,
                     at,
                     fmt::format("invalid python version \"{}\"", version),
                     "write \"X.Y\" or \"X.Y.Z\", e.g. \"3.11\"");
    }
}

void check_variable_name(const std::string& name, const yaml::Node& at, Findings& findings)
{
    bool valid = !name.empty() && !is_digit(name[0]) &&
                 made_of(name, [](char c) { return is_letter(c) || is_digit(c) || c == '_'; });
    if (!valid) {
        findings.add(rule::invalid_variable_name,
                     at,
                     fmt::format("invalid variable name \"{}\"", name),
                     "use letters, digits and \"_\", not starting with a digit");
    }
}

void check_shm_size(const std::string& size, const yaml::Node& at, Findings& findings)
{
    std::string_view digits = size;
    if (!digits.empty() && std::string_view("bkmg").find(digits.back()) != std::string_view::npos) {
        digits.remove_suffix(1);
    }
    if (!made_of(digits, is_digit)) {
        findings.add(rule::invalid_shm_size,
                     at,
                     fmt::format("invalid shm_size \"{}\"", size),
                     "write a number of bytes with an optional unit b, k, m or g, e.g. \"2g\"");
    }
}

void check_apt_package(const ListItem& item, Findings& findings)
{
    if (!is_apt_package(item.text)) {
        findings.add(rule::invalid_apt_package,
                     *item.node,
                     fmt::format("invalid apt package \"{}\"", item.text),
                     "write a Debian package name (lowercase letters, digits, \"+\", \"-\", "
                     "\".\"), optionally with \":arch\" and \"=version\"");
    }
}

void check_file_reference(const std::string& file,
                          const yaml::Node& at,
                          std::string_view path,
                          Findings& findings)
{
    if (!check_not_empty(file, at, path, findings)) {
        return;
    }
    std::vector<std::string_view> parts = split(file, '/');
    std::string_view problem;
    if (file.front() == '/' || (file.size() >= 2 && is_letter(file[0]) && file[1] == ':')) {
        problem = "must be relative to the environment's folder";
    } else if (file.find('\\') != std::string::npos) {
        problem = "must separate folders with \"/\", not \"\\\"";
    } else if (std::find(parts.begin(), parts.end(), "..") != parts.end()) {
        problem = "must not leave the environment's folder";
    }
    if (!problem.empty()) {
        findings.add(rule::invalid_file_reference,
                     at,
                     fmt::format("\"{}\" {}: \"{}\"", path, problem, file),
                     "name a file inside the environment's folder, e.g. \"Dockerfile.base\"");
    }
}

void check_spark_package(const ListItem& item, Findings& findings)
{
    std::vector<std::string_view> parts = split(item.text, ':');
    bool valid = parts.size() == 3 && std::all_of(parts.begin(), parts.end(), [](auto part) {
                     return made_of(part, [](char c) {
                         return is_letter(c) || is_digit(c) || c == '.' || c == '_' || c == '-';
                     });
                 });
    if (!valid) {
        findings.add(rule::invalid_spark_package,
                     *item.node,
                     fmt::format("invalid spark package \"{}\"", item.text),
                     "write Maven coordinates \"group:artifact:version\"");
    }
}

} // namespace envstore::detail
