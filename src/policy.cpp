// Evaluating a policy on a resolved definition: one check per rule, each
// violation located where the element was written, locally or in a base.

#include "envstore/policy.hpp"

#include "policy_detail.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore {
namespace {

namespace rule = policy_rule;
using detail::matches_any;

std::string conda_key(const CondaSpec& spec)
{
    std::string name = spec.name;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return element_key("python.conda", name);
}

std::string pip_key(const PipRequirement& requirement)
{
    return element_key("python.pip", requirement.normalized_name());
}

std::string conda_pin_hint(const CondaSpec& spec)
{
    bool fuzzy_equals = spec.version.starts_with('=') && !spec.version.starts_with("==");
    return fmt::format("write \"{}==VERSION\"{}",
                       spec.name,
                       fuzzy_equals ? " (conda reads \"=1.2\" as 1.2.*)" : "");
}

std::vector<std::string> normalized(const std::vector<std::string>& items,
                                    std::string (*normalize)(std::string_view))
{
    std::vector<std::string> out;
    for (const auto& item : items) {
        out.push_back(normalize(item));
    }
    return out;
}

std::string quoted_list(const std::vector<std::string>& items)
{
    if (items.empty()) {
        return "none";
    }
    std::vector<std::string> quoted;
    for (const auto& item : items) {
        quoted.push_back(fmt::format("\"{}\"", item));
    }
    return fmt::format("{}", fmt::join(quoted, ", "));
}

class Evaluation
{
public:
    Evaluation(const Policy& policy, const ResolvedDefinition& resolved)
        : m_policy(policy), m_resolved(resolved), m_definition(resolved.definition)
    {
    }

    std::vector<Diagnostic> run()
    {
        if (m_definition.python) {
            check_channels(*m_definition.python);
            check_forbidden(*m_definition.python);
            check_pinned(*m_definition.python);
        }
        if (m_definition.docker) {
            check_base_image(*m_definition.docker);
        }
        if (m_definition.python) {
            check_pip_indexes(*m_definition.python);
        }
        return std::move(m_out);
    }

private:
    // Where element `key` was written, and the base it came from ("" when local).
    std::pair<std::optional<SourceLocation>, std::string> locate(const std::string& key) const
    {
        if (auto origin = m_resolved.origins.find(key); origin != m_resolved.origins.end()) {
            const std::string& from = origin->second.environment;
            auto base = std::find_if(m_resolved.bases.begin(),
                                     m_resolved.bases.end(),
                                     [&](const BaseUse& use) { return use.resolved == from; });
            if (base == m_resolved.bases.end()) {
                return {origin->second.location, ""};
            }
            return {located(origin->second), from};
        }
        if (auto local = m_definition.locations.find(key); local != m_definition.locations.end()) {
            return {local->second, ""};
        }
        return {std::nullopt, ""};
    }

    // `inherited_hint` replaces `hint` when the element comes from a base.
    void report(std::string_view rule_id,
                const std::string& key,
                std::string message,
                std::string hint,
                std::string inherited_hint = {})
    {
        auto [location, base] = locate(key);
        if (!base.empty()) {
            message += fmt::format(" (inherited from {})", base);
            if (!inherited_hint.empty()) {
                hint = std::move(inherited_hint);
            }
        }
        m_out.push_back(
            Diagnostic{std::string(rule_id), std::move(message), location, std::move(hint)});
    }

    bool channel_allowed(std::string_view channel) const
    {
        auto patterns = normalized(*m_policy.channels, detail::normalize_channel);
        return matches_any(patterns, {detail::normalize_channel(channel)});
    }

    std::string channel_hint(std::string_view channel) const
    {
        return fmt::format("allowed channels: {}; or add \"{}\" to policy.channels in {}",
                           quoted_list(*m_policy.channels),
                           channel,
                           k_settings_file);
    }

    void check_channels(const PythonSettings& python)
    {
        if (!m_policy.channels) {
            return;
        }
        for (const auto& channel : python.channels) {
            // conda's word for "no defaults": not a place packages come from.
            if (channel != "nodefaults" && !channel_allowed(channel)) {
                report(rule::channel,
                       element_key("python.channels", channel),
                       fmt::format("channel \"{}\" is not allowed by the policy", channel),
                       channel_hint(channel));
            }
        }
        for (const auto& spec : python.conda) {
            if (!spec.channel.empty() && !channel_allowed(spec.channel)) {
                report(rule::channel,
                       conda_key(spec),
                       fmt::format("conda package \"{}\" names channel \"{}\", which the policy "
                                   "does not allow",
                                   spec.name,
                                   spec.channel),
                       channel_hint(spec.channel));
            }
        }
        check_default_channel(python);
    }

    // Without channels, conda takes packages from its `defaults`.
    void check_default_channel(const PythonSettings& python)
    {
        auto implicit = std::find_if(python.conda.begin(), python.conda.end(), [](const auto& s) {
            return s.channel.empty();
        });
        if (!python.channels.empty() || implicit == python.conda.end() ||
            channel_allowed(detail::k_default_channel)) {
            return;
        }
        report(rule::channel,
               conda_key(*implicit),
               fmt::format("conda package \"{}\" comes from the default channel \"{}\" (no "
                           "python.channels), which the policy does not allow",
                           implicit->name,
                           detail::k_default_channel),
               fmt::format("name an allowed channel in python.channels: {}",
                           quoted_list(*m_policy.channels)));
    }

    bool name_matches(const std::vector<std::string>& patterns, std::string_view name) const
    {
        return matches_any(normalized(patterns, normalize_pip_name), {normalize_pip_name(name)});
    }

    void report_forbidden(std::string_view kind, const std::string& name, const std::string& key)
    {
        report(
            rule::forbidden_package,
            key,
            fmt::format("{} package \"{}\" is forbidden by the policy", kind, name),
            fmt::format("remove it: policy.forbidden_packages in {} forbids it", k_settings_file),
            fmt::format("drop it with python.remove: [{}], or remove it from the base", name));
    }

    void check_forbidden(const PythonSettings& python)
    {
        const auto& forbidden = m_policy.forbidden_packages;
        for (const auto& spec : python.conda) {
            if (name_matches(forbidden, spec.name)) {
                report_forbidden("conda", spec.name, conda_key(spec));
            }
        }
        for (const auto& requirement : python.pip) {
            if (name_matches(forbidden, requirement.name)) {
                report_forbidden("pip", requirement.name, pip_key(requirement));
            }
        }
    }

    void check_pinned(const PythonSettings& python)
    {
        const auto& pinned = m_policy.pinned_packages;
        for (const auto& spec : python.conda) {
            if (name_matches(pinned, spec.name) && !detail::is_exact_conda_version(spec.version)) {
                report(rule::pinned_package,
                       conda_key(spec),
                       fmt::format("conda package \"{}\" must be pinned to one exact version, "
                                   "not \"{}\"",
                                   spec.name,
                                   spec.to_string()),
                       conda_pin_hint(spec));
            }
        }
        for (const auto& requirement : python.pip) {
            if (name_matches(pinned, requirement.name) &&
                !detail::is_exact_pip_requirement(requirement)) {
                report(rule::pinned_package,
                       pip_key(requirement),
                       fmt::format("pip package \"{}\" must be pinned to one exact version, "
                                   "not \"{}\"",
                                   requirement.name,
                                   requirement.to_string()),
                       fmt::format("write \"{}==VERSION\"", requirement.name));
            }
        }
    }

    void check_base_image(const DockerSettings& docker)
    {
        if (!m_policy.base_images) {
            return;
        }
        std::string hint =
            fmt::format("allowed base images: {}", quoted_list(*m_policy.base_images));
        if (docker.base_dockerfile) {
            report(rule::base_image,
                   "docker.base_dockerfile",
                   fmt::format("the base image is built from \"{}\", which the policy cannot check",
                               *docker.base_dockerfile),
                   "use docker.base_image with an allowed image; " + hint);
        }
        if (!docker.base_image) {
            return;
        }
        std::string registry = docker.registry ? docker.registry->address : "";
        if (!matches_any(*m_policy.base_images,
                         detail::image_forms(*docker.base_image, registry))) {
            std::string from = registry.empty() ? "" : fmt::format(" (from \"{}\")", registry);
            report(rule::base_image,
                   "docker.base_image",
                   fmt::format("base image \"{}\"{} is not allowed by the policy",
                               *docker.base_image,
                               from),
                   hint);
        }
    }

    bool source_allowed(std::string_view url) const
    {
        auto patterns = normalized(*m_policy.pip_indexes, detail::normalize_pip_source);
        return matches_any(patterns, {detail::normalize_pip_source(url)});
    }

    std::string index_hint() const
    {
        return fmt::format("allowed pip indexes: {}", quoted_list(*m_policy.pip_indexes));
    }

    void check_pip_indexes(const PythonSettings& python)
    {
        if (!m_policy.pip_indexes) {
            return;
        }
        bool own_index = false;
        for (const auto& entry : python.pip_options) {
            own_index = own_index || detail::disables_index(entry);
            for (const auto& source : detail::pip_sources(entry)) {
                own_index = own_index || source.option == "--index-url";
                if (!source_allowed(source.url)) {
                    report(rule::pip_index,
                           element_key("python.pip_options", entry),
                           fmt::format("pip source \"{}\" ({}) is not allowed by the policy",
                                       source.url,
                                       source.option),
                           index_hint());
                }
            }
        }
        for (const auto& requirement : python.pip) {
            if (!requirement.url.empty() && !source_allowed(requirement.url)) {
                report(rule::pip_index,
                       pip_key(requirement),
                       fmt::format("pip package \"{}\" is installed from \"{}\", which the policy "
                                   "does not allow",
                                   requirement.name,
                                   requirement.url),
                       index_hint());
            }
        }
        if (!own_index) {
            check_default_index(python);
        }
    }

    // Without --index-url, pip takes packages from PyPI.
    void check_default_index(const PythonSettings& python)
    {
        auto from_index = std::find_if(
            python.pip.begin(), python.pip.end(), [](const auto& r) { return r.url.empty(); });
        if (from_index == python.pip.end() || source_allowed(detail::k_default_pip_index)) {
            return;
        }
        report(rule::pip_index,
               pip_key(*from_index),
               fmt::format("pip package \"{}\" comes from the default index \"{}\" (no "
                           "--index-url in python.pip_options), which the policy does not allow",
                           from_index->name,
                           detail::k_default_pip_index),
               "add \"--index-url URL\" with an allowed index to python.pip_options; " +
                   index_hint());
    }

    const Policy& m_policy;
    const ResolvedDefinition& m_resolved;
    const Definition& m_definition;
    std::vector<Diagnostic> m_out;
};

} // namespace

std::vector<Diagnostic> evaluate_policy(const Policy& policy, const ResolvedDefinition& resolved)
{
    return Evaluation(policy, resolved).run();
}

const std::vector<ValidationRule>& policy_rules()
{
    static const std::vector<ValidationRule> rules = {
        {rule::channel, "every conda channel is allowed by policy.channels"},
        {rule::forbidden_package, "no conda or pip package is in policy.forbidden_packages"},
        {rule::pinned_package, "packages of policy.pinned_packages name one exact version"},
        {rule::base_image, "docker.base_image matches policy.base_images"},
        {rule::pip_index, "every pip index, find-links and URL matches policy.pip_indexes"},
    };
    return rules;
}

} // namespace envstore
