#pragma once

// Exporting a resolved definition as a Dockerfile and the build context it
// needs. What maps to what, the quoting rules and what is not carried are in
// docs/export-dockerfile.md.

#include "envstore/error.hpp"
#include "envstore/resolve.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace envstore {

// Writes the conda environment file for a definition. The Dockerfile export
// calls it with a copy of the resolved definition that has no pip packages,
// pip options or variables (those become their own steps), and `pip` added
// to the conda packages when the definition has pip packages.
using CondaFileWriter = std::function<std::string(const ResolvedDefinition&)>;

struct DockerfileExport
{
    std::string dockerfile;
    // The files the Dockerfile copies, by path in the build context:
    // "environment.yml", and "base.Dockerfile" with `docker.base_dockerfile`.
    std::vector<std::pair<std::string, std::string>> context_files;
    // Build arguments that label the image with its name and version
    // (ENVSTORE_NAME, ENVSTORE_VERSION; ENVSTORE_BASE_IMAGE with a base
    // Dockerfile). The Dockerfile itself names neither, so identical
    // environments give identical Dockerfiles.
    std::vector<std::pair<std::string, std::string>> build_args;
    // Variables the pip step reads from BuildKit secrets (`${NAME}` in pip
    // options or requirements): give each with `docker build --secret id=NAME`.
    std::vector<std::string> secrets;
    // What the Dockerfile does not carry, each naming the field.
    std::vector<Diagnostic> warnings;
};

// The Dockerfile that builds `resolved`. `write_conda` writes the conda
// environment file (see CondaFileWriter). `base_dockerfile` is the content of
// the definition's `docker.base_dockerfile`, required when it names one.
//
// Throws `Error(invalid_input)`, naming the field, for a value the Dockerfile
// cannot carry exactly: a variable value or pip option holding a line break
// or NUL, a pip option with an unclosed quote, a base image that is not an
// image reference. Throws `Error(usage)` when `base_dockerfile` is missing.
DockerfileExport export_dockerfile(const ResolvedDefinition& resolved,
                                   const CondaFileWriter& write_conda,
                                   const std::optional<std::string>& base_dockerfile = {});

// Writes the build context into `folder` (made when missing): `Dockerfile`
// and every context file, each written whole (a temporary file renamed over
// it), other files of the folder left alone. Returns the paths written.
// Throws `Error(invalid_input)` naming the path when a file cannot be written.
std::vector<std::filesystem::path> write_build_context(const DockerfileExport& exported,
                                                       const std::filesystem::path& folder);

} // namespace envstore
