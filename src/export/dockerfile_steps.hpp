#pragma once

// The steps of an exported Dockerfile, each one function that appends its
// instructions to the export. export_dockerfile.cpp puts them in order.

#include "envstore/export_dockerfile.hpp"

#include <string>
#include <string_view>

namespace envstore::detail {

// Where the conda environment is created in the image, and where the files
// of the context are copied to while it is built.
inline constexpr std::string_view k_env_prefix = "/opt/envstore/env";
inline constexpr std::string_view k_staging = "/tmp/envstore";
// The image used when the definition names neither a base image nor a base Dockerfile.
inline constexpr std::string_view k_default_base_image = "mambaorg/micromamba:1.5.8";
inline constexpr std::string_view k_user = "envstore";

// A finding about the element `key` of `resolved`, located where it was written.
Diagnostic export_finding(const ResolvedDefinition& resolved,
                          const std::string& key,
                          std::string message,
                          std::string hint = {});

// Throws Error(invalid_input) about `key` when `text` holds a character no
// Dockerfile line can carry.
void require_writable(const ResolvedDefinition& resolved,
                      const std::string& key,
                      std::string_view what,
                      std::string_view text);

void add_base_step(const ResolvedDefinition& resolved,
                   const std::optional<std::string>& base_dockerfile,
                   DockerfileExport& out);
void add_user_step(DockerfileExport& out);
void add_apt_step(const ResolvedDefinition& resolved, DockerfileExport& out);
void add_conda_step(const ResolvedDefinition& resolved,
                    const CondaFileWriter& write_conda,
                    DockerfileExport& out);
void add_pip_step(const ResolvedDefinition& resolved, DockerfileExport& out);
void add_variables_step(const ResolvedDefinition& resolved, DockerfileExport& out);
void add_label_step(const ResolvedDefinition& resolved, DockerfileExport& out);

} // namespace envstore::detail
