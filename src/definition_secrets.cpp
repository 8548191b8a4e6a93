#include "definition_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

// Secrets written into a definition end up in Git history for good, so every
// spot a credential can hide in is refused; a `${VAR}` reference is the way to
// name one.

namespace envstore::detail {
namespace {

bool is_variable_reference(std::string_view text)
{
    if (text.size() < 4 || !text.starts_with("${") || !text.ends_with('}')) {
        return false;
    }
    std::string_view name = text.substr(2, text.size() - 3);
    return name.find_first_of("${}") == std::string_view::npos;
}

// `*_TOKEN`, `*SECRET*`, `*PASSWORD*`, `*_KEY`, in any case.
bool is_secret_name(std::string_view name)
{
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    return upper == "TOKEN" || upper.ends_with("_TOKEN") || upper.ends_with("_KEY") ||
           upper.find("SECRET") != std::string::npos || upper.find("PASSWORD") != std::string::npos;
}

// A password in the authority of any URL in `text`: `scheme://user:password@host`.
bool has_url_password(std::string_view text)
{
    for (auto scheme_end = text.find("://"); scheme_end != std::string_view::npos;
         scheme_end = text.find("://", scheme_end + 3)) {
        std::string_view rest = text.substr(scheme_end + 3);
        std::string_view authority = rest.substr(0, rest.find_first_of("/?# \t"));
        auto at = authority.rfind('@');
        if (at == std::string_view::npos) {
            continue;
        }
        std::string_view user_info = authority.substr(0, at);
        auto colon = user_info.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        std::string_view password = user_info.substr(colon + 1);
        if (!password.empty() && !is_variable_reference(password)) {
            return true;
        }
    }
    return false;
}

// anaconda.org's `/t/TOKEN/` channel paths.
bool has_channel_token(std::string_view text)
{
    auto start = text.find("/t/");
    if (start == std::string_view::npos) {
        return false;
    }
    std::string_view token = text.substr(start + 3);
    token = token.substr(0, token.find('/'));
    return !token.empty() && !is_variable_reference(token);
}

class SecretScanner
{
public:
    explicit SecretScanner(Findings& findings) : m_findings(findings) {}

    void scan(const yaml::Node& node, const std::string& path)
    {
        if (node.is_scalar()) {
            scan_scalar(node, path);
        } else if (node.is_sequence()) {
            for (const yaml::Node& item : node.items) {
                scan(item, path);
            }
        } else if (node.is_mapping()) {
            scan_mapping(node, path);
        }
    }

private:
    void scan_mapping(const yaml::Node& node, const std::string& path)
    {
        for (const Entry& entry : node.entries) {
            std::string inner = join_path(path, entry.first.text);
            if (path == "variables") {
                scan_variable(entry, inner);
            } else if (is_password_key(entry.first)) {
                m_findings.add(rule::inline_secret,
                               entry.first,
                               fmt::format("secret written inline: \"{}\"", inner),
                               "name an environment variable that holds it instead, "
                               "e.g. \"password_env\"");
            } else {
                scan(entry.second, inner);
            }
        }
    }

    void scan_variable(const Entry& entry, const std::string& path)
    {
        const yaml::Node& value = entry.second;
        if (!value.is_scalar() || value.text.empty()) {
            return;
        }
        if (is_secret_name(entry.first.text) && !is_variable_reference(value.text)) {
            m_findings.add(
                rule::inline_secret,
                value,
                fmt::format("secret written inline: a literal value for \"{}\"", path),
                fmt::format("write \"${{{}}}\" to take it from the environment", entry.first.text));
            return;
        }
        scan_scalar(value, path);
    }

    void scan_scalar(const yaml::Node& node, const std::string& path)
    {
        if (has_url_password(node.text)) {
            m_findings.add(
                rule::inline_secret,
                node,
                fmt::format("secret written inline: a password in a URL in \"{}\"", path),
                "remove \"user:password@\" and give credentials through the "
                "environment or a credentials file");
            return;
        }
        bool is_channel = path == "python.channels" || path == "python.conda";
        if (is_channel && has_channel_token(node.text)) {
            m_findings.add(rule::inline_secret,
                           node,
                           fmt::format("secret written inline: a channel token in \"{}\"", path),
                           "remove \"/t/<token>\" and give the token through conda's "
                           "configuration");
        }
    }

    Findings& m_findings;
};

} // namespace

void check_inline_secrets(const yaml::Node& root, Findings& findings)
{
    SecretScanner(findings).scan(root, "");
}

} // namespace envstore::detail
