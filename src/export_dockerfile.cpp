// The Dockerfile export: its steps in the order that lets a build reuse the
// most layers, the rarely changing ones first.

#include "envstore/export_dockerfile.hpp"

#include "export/dockerfile_steps.hpp"
#include "file_io.hpp"

#include "envstore/export.hpp"

#include <fmt/format.h>

#include <system_error>

namespace envstore {
namespace {

// What the definition says that a Dockerfile does not carry.
void note_not_carried(const ResolvedDefinition& resolved, DockerfileExport& out)
{
    const Definition& definition = resolved.definition;
    auto note = [&](const std::string& key, std::string message) {
        out.warnings.push_back(detail::export_finding(resolved, key, std::move(message)));
    };
    if (!definition.platforms.empty()) {
        note("platforms", "platforms are not carried: the image has the base image's platform");
    }
    if (definition.spark) {
        note("spark", "spark packages and repositories are not installed in the image");
    }
    if (!definition.docker) {
        return;
    }
    const DockerSettings& docker = *definition.docker;
    if (docker.gpu.value_or(false)) {
        note("docker.gpu", "docker.gpu is a setting of the run: start the container with --gpus");
    }
    if (docker.shm_size) {
        note("docker.shm_size",
             fmt::format("docker.shm_size is a setting of the run: start the container with "
                         "--shm-size {}",
                         *docker.shm_size));
    }
    if (docker.registry) {
        note("docker.registry.address",
             fmt::format("docker.registry is not carried: log in to {} before the build",
                         docker.registry->address));
    }
}

} // namespace

DockerfileExport export_dockerfile(const ResolvedDefinition& resolved,
                                   const CondaFileWriter& write_conda,
                                   const std::optional<std::string>& base_dockerfile)
{
    DockerfileExport out;
    out.dockerfile = fmt::format("# The envstore environment with digest {}.\n"
                                 "# The build arguments ENVSTORE_NAME and ENVSTORE_VERSION "
                                 "label the image.\n",
                                 resolved.digest);
    detail::add_base_step(resolved, base_dockerfile, out);
    detail::add_user_step(out);
    detail::add_apt_step(resolved, out);
    detail::add_conda_step(resolved, write_conda, out);
    detail::add_pip_step(resolved, out);
    detail::add_variables_step(resolved, out);
    detail::add_label_step(resolved, out);
    note_not_carried(resolved, out);
    return out;
}

std::vector<std::filesystem::path> write_build_context(const DockerfileExport& exported,
                                                       const std::filesystem::path& folder)
{
    ExportResult context;
    context.files.push_back({"Dockerfile", exported.dockerfile});
    for (const auto& [path, content] : exported.context_files) {
        context.files.push_back({path, content});
    }
    return write_export_folder(context, folder);
}

} // namespace envstore
