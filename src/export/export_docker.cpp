// The Dockerfile format of `envstore export`: export_dockerfile's result as
// an ExportResult, with the base Dockerfile read where the definition that
// names it was read from.

#include "export/dockerfile_quote.hpp"
#include "file_io.hpp"
#include "git/git.hpp"
#include "workspace_impl.hpp"

#include "envstore/export.hpp"
#include "envstore/export_dockerfile.hpp"
#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore {
namespace {

std::string
read_at_commit(const Workspace& workspace, const std::string& commit, const std::string& path)
{
    git_repository* repository = workspace.impl().repo();
    git_oid id = git::from_hex(commit);
    git_commit* raw = nullptr;
    git::check(git_commit_lookup(&raw, repository, &id), "cannot read the commit");
    git::Commit commit_object(raw);
    git::Tree tree = commit_tree(commit_object.get());
    std::optional<git_oid> blob = git::tree_blob_id(tree.get(), path);
    if (!blob) {
        throw Error(ErrorCode::not_found,
                    fmt::format("commit {} has no \"{}\"", commit.substr(0, 12), path),
                    "docker.base_dockerfile names a file of the environment's folder");
    }
    return git::read_blob(repository, *blob);
}

// The content of `docker.base_dockerfile`, from the folder of the definition
// that wrote it, as that definition was read: the working tree or a commit.
std::optional<std::string> base_dockerfile(const Workspace& workspace,
                                           const ResolvedDefinition& resolved)
{
    const auto& docker = resolved.definition.docker;
    if (!docker || !docker->base_dockerfile) {
        return std::nullopt;
    }
    auto origin = resolved.origins.find("docker.base_dockerfile");
    if (origin == resolved.origins.end()) {
        throw Error(ErrorCode::internal, "no origin recorded for docker.base_dockerfile");
    }
    Reference writer = parse_reference(origin->second.environment);
    if (writer.curated) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{} names a Dockerfile; the curated catalog ships none",
                                writer.to_string()));
    }
    StoredDefinition stored = resolve_reference(workspace, writer);
    std::string path = Workspace::folder_path(writer.name) + "/" + *docker->base_dockerfile;
    if (stored.commit.empty()) {
        return read_file_bytes(workspace.root() / path);
    }
    return read_at_commit(workspace, stored.commit, path);
}

// `word` as a shell reads it: bare when it holds only characters no shell
// treats specially, so the command stays easy to read; else single-quoted.
std::string shell_word(const std::string& word)
{
    bool bare =
        !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                "0123456789@%+=:,./_-") == std::string::npos;
    return bare ? word : detail::shell_quote(word);
}

} // namespace

ExportResult export_docker(const Workspace& workspace, const ResolvedDefinition& resolved)
{
    auto write_conda = [](const ResolvedDefinition& conda) {
        return export_conda(conda).files.at(0).content;
    };
    DockerfileExport exported =
        export_dockerfile(resolved, write_conda, base_dockerfile(workspace, resolved));

    ExportResult result;
    result.files.push_back({"Dockerfile", exported.dockerfile});
    for (auto& [path, content] : exported.context_files) {
        result.files.push_back({path, content});
    }
    result.warnings = std::move(exported.warnings);
    result.build_args = std::move(exported.build_args);
    result.secrets = std::move(exported.secrets);
    return result;
}

std::string docker_build_command(const ExportResult& result, const std::string& context_folder)
{
    std::string command = "docker build";
    for (const auto& [name, value] : result.build_args) {
        command += fmt::format(" --build-arg {}={}", name, shell_word(value));
    }
    for (const std::string& secret : result.secrets) {
        command += fmt::format(" --secret id={},env={}", secret, secret);
    }
    return command + " " + shell_word(context_folder);
}

} // namespace envstore
