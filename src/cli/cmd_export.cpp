#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/export.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

struct ExportRequest
{
    std::string reference;
    std::string format;
    std::string output;  // -o: a file, or for azureml a folder; "" for stdout
    std::string context; // --context: the folder of a Docker build context
};

ExportResult
run_export(ExportFormat format, const Workspace& workspace, const ResolvedDefinition& resolved)
{
    switch (format) {
    case ExportFormat::conda: return export_conda(resolved);
    case ExportFormat::pip: return export_pip(resolved);
    case ExportFormat::azureml: return export_azureml(resolved);
    case ExportFormat::dockerfile: return export_docker(workspace, resolved);
    }
    throw Error(ErrorCode::internal, "unknown export format");
}

// The usage errors, found before anything is read.
void check_request(const ExportRequest& request, ExportFormat format, const Output& out)
{
    if (!request.context.empty() && format != ExportFormat::dockerfile) {
        throw Error(ErrorCode::usage, "--context is for --format dockerfile");
    }
    if (!request.context.empty() && !request.output.empty()) {
        throw Error(ErrorCode::usage,
                    "-o and --context both name where to write: give one",
                    "-o FILE writes the Dockerfile alone; --context DIR the whole build context");
    }
    if (format == ExportFormat::azureml && request.output.empty() && !out.json()) {
        throw Error(ErrorCode::usage,
                    "the azureml format writes two files: name a folder with -o",
                    "envstore export REF --format azureml -o FOLDER (or --json)");
    }
}

Json export_json(const ExportResult& result, const std::vector<std::filesystem::path>& written)
{
    Json files = Json::array();
    for (const ExportedFile& file : result.files) {
        files.push_back({{"path", file.path}, {"content", file.content}});
    }
    Json warnings = Json::array();
    for (const Diagnostic& warning : result.warnings) {
        warnings.push_back(diagnostic_json(warning));
    }
    Json paths = Json::array();
    for (const std::filesystem::path& path : written) {
        paths.push_back(path.string());
    }
    Json document = {{"files", files}, {"warnings", warnings}, {"written", paths}};
    if (!result.build_args.empty() || !result.secrets.empty()) {
        Json arguments = Json::object();
        for (const auto& [name, value] : result.build_args) {
            arguments[name] = value;
        }
        document["build_args"] = arguments;
        document["secrets"] = result.secrets;
    }
    return document;
}

int export_reference(const ExportRequest& request, const GlobalOptions& options, Output& out)
{
    ExportFormat format = *parse_export_format(request.format);
    check_request(request, format, out);
    Reference asked = parse_reference(request.reference);
    std::optional<Workspace> opened;
    if (!asked.curated) {
        opened.emplace(open_workspace(options));
    }
    const Workspace& workspace = asked.curated ? open_curated_catalog() : *opened;
    ResolvedDefinition resolved = resolve(workspace, asked);
    ExportResult result = run_export(format, workspace, resolved);

    for (const Diagnostic& warning : result.warnings) {
        out.warning(format_diagnostic(warning));
    }
    std::vector<std::filesystem::path> written;
    if (format == ExportFormat::dockerfile && request.context.empty()) {
        // The Dockerfile alone: the rest of the context is only in --context.
        result.files.resize(1);
    }
    if (!request.context.empty()) {
        written = write_export_folder(result, working_folder(options) / request.context);
    } else if (!request.output.empty()) {
        written = write_export(result, working_folder(options) / request.output);
    }
    for (const std::filesystem::path& path : written) {
        out.note(fmt::format("wrote {}", path.string()));
    }
    if (!request.context.empty()) {
        out.note("build it with: " + docker_build_command(result, request.context));
    } else if (format == ExportFormat::dockerfile) {
        out.note("the Dockerfile copies environment.yml: --context DIR writes the whole build "
                 "context");
    }
    if (out.json()) {
        out.print_json(export_json(result, written));
    } else if (request.output.empty() && request.context.empty()) {
        out.raw(result.files.front().content);
    }
    return 0;
}

} // namespace

Action define_export(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto request = std::make_shared<ExportRequest>();
    command
        .add_option("REF",
                    request->reference,
                    "NAME (the working tree), NAME@vN, NAME@latest, NAME@COMMIT, NAME@LABEL or "
                    "curated/NAME@vN; exported resolved, bases applied")
        ->required();
    command
        .add_option("--format",
                    request->format,
                    "conda (environment.yml), pip (requirements.txt), azureml "
                    "(environment.yaml and conda.yaml) or dockerfile (a Dockerfile; its build "
                    "context with --context)")
        ->required()
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"conda", "pip", "dockerfile", "azureml"}));
    command
        .add_option("-o,--output",
                    request->output,
                    "write to FILE instead of stdout, replacing it whole (azureml: into the "
                    "folder FILE, made when missing)")
        ->type_name("FILE");
    command
        .add_option("--context",
                    request->context,
                    "dockerfile: write the whole build context (Dockerfile, environment.yml, "
                    "base.Dockerfile) into the folder DIR, made when missing")
        ->type_name("DIR");
    return [request, &options, &out] { return export_reference(*request, options, out); };
}

} // namespace envstore::cli
