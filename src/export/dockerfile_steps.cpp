// The steps of an exported Dockerfile that do not depend on Python: the base,
// the user, apt packages, and the labels.

#include "export/dockerfile_steps.hpp"

#include "export/dockerfile_quote.hpp"

#include <fmt/format.h>

namespace envstore::detail {
namespace {

// One RUN instruction running `commands` one after the other, each on its own line.
std::string run_instruction(const std::vector<std::string>& commands)
{
    std::string run = "RUN set -eu";
    for (const std::string& command : commands) {
        run += " \\\n    && " + command;
    }
    return run + "\n";
}

std::string base_image_tag(const ResolvedDefinition& resolved)
{
    std::string version = resolved.version ? fmt::format("v{}", *resolved.version) : "working";
    return fmt::format("envstore-base/{}:{}", resolved.definition.name, version);
}

} // namespace

Diagnostic export_finding(const ResolvedDefinition& resolved,
                          const std::string& key,
                          std::string message,
                          std::string hint)
{
    Diagnostic finding{"dockerfile-export", std::move(message), std::nullopt, std::move(hint)};
    if (auto origin = resolved.origins.find(key); origin != resolved.origins.end()) {
        finding.location = located(origin->second);
    } else if (auto at = resolved.definition.locations.find(key);
               at != resolved.definition.locations.end()) {
        finding.location = at->second;
    }
    return finding;
}

void require_writable(const ResolvedDefinition& resolved,
                      const std::string& key,
                      std::string_view what,
                      std::string_view text)
{
    if (auto c = unwritable_char(text)) {
        throw Error(export_finding(
            resolved,
            key,
            fmt::format("{} holds {}, which a Dockerfile cannot carry", what, describe_char(*c)),
            "a Dockerfile instruction is one line: remove the character from the value"));
    }
}

void add_base_step(const ResolvedDefinition& resolved,
                   const std::optional<std::string>& base_dockerfile,
                   DockerfileExport& out)
{
    const std::optional<DockerSettings>& docker = resolved.definition.docker;
    if (docker && docker->base_dockerfile) {
        if (!base_dockerfile) {
            throw Error(ErrorCode::usage,
                        fmt::format("the content of docker.base_dockerfile \"{}\" is needed to "
                                    "export a Dockerfile",
                                    *docker->base_dockerfile));
        }
        out.context_files.emplace_back("base.Dockerfile", *base_dockerfile);
        out.build_args.emplace_back("ENVSTORE_BASE_IMAGE", base_image_tag(resolved));
        out.dockerfile += "ARG ENVSTORE_BASE_IMAGE\nFROM ${ENVSTORE_BASE_IMAGE}\n";
        return;
    }

    std::string image(k_default_base_image);
    if (docker && docker->base_image) {
        image = *docker->base_image;
    } else {
        out.warnings.push_back(export_finding(
            resolved,
            "docker.base_image",
            fmt::format("no docker.base_image: the Dockerfile builds from {}", image)));
    }
    if (!is_image_reference(image)) {
        throw Error(export_finding(
            resolved,
            "docker.base_image",
            fmt::format("docker.base_image \"{}\" is not an image reference a FROM line can hold",
                        image),
            "write it as [host[:port]/]path[:tag][@sha256:digest]"));
    }
    out.dockerfile += fmt::format("FROM {}\n", image);
}

void add_user_step(DockerfileExport& out)
{
    out.dockerfile += "USER root\n";
    out.dockerfile += run_instruction({fmt::format(
        "if ! id -u {0} >/dev/null 2>&1; then useradd --create-home --shell /bin/sh {0}; fi",
        k_user)});
}

void add_apt_step(const ResolvedDefinition& resolved, DockerfileExport& out)
{
    const std::optional<DockerSettings>& docker = resolved.definition.docker;
    if (!docker || docker->apt.empty()) {
        return;
    }
    std::string install = "apt-get install -y --no-install-recommends";
    for (const std::string& package : docker->apt) {
        require_writable(resolved, element_key("docker.apt", package), "apt package", package);
        install += " \\\n        " + shell_quote(package);
    }
    out.dockerfile += run_instruction({"export DEBIAN_FRONTEND=noninteractive",
                                       "apt-get update",
                                       install,
                                       "rm -rf /var/lib/apt/lists/*"});
}

void add_label_step(const ResolvedDefinition& resolved, DockerfileExport& out)
{
    out.dockerfile += fmt::format("USER {}\nWORKDIR /home/{}\n", k_user, k_user);
    out.dockerfile += "ARG ENVSTORE_NAME\nARG ENVSTORE_VERSION\n";
    out.dockerfile += fmt::format("LABEL envstore.digest={} \\\n"
                                  "      envstore.name=\"${{ENVSTORE_NAME}}\" \\\n"
                                  "      envstore.version=\"${{ENVSTORE_VERSION}}\"\n",
                                  dockerfile_value(resolved.digest));
    out.build_args.emplace_back("ENVSTORE_NAME", resolved.definition.name);
    if (resolved.version) {
        out.build_args.emplace_back("ENVSTORE_VERSION", fmt::format("v{}", *resolved.version));
    }
}

} // namespace envstore::detail
