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
    std::string output; // -o: a file, or for azureml a folder; "" for stdout
};

[[noreturn]] void dockerfile_unavailable()
{
    throw Error(ErrorCode::usage,
                "the dockerfile format is not available in this build yet",
                "export to conda, pip or azureml");
}

ExportResult run_export(ExportFormat format, const ResolvedDefinition& resolved)
{
    switch (format) {
    case ExportFormat::conda: return export_conda(resolved);
    case ExportFormat::pip: return export_pip(resolved);
    case ExportFormat::azureml: return export_azureml(resolved);
    case ExportFormat::dockerfile: break;
    }
    dockerfile_unavailable();
}

// The usage errors, found before anything is read.
void check_request(const ExportRequest& request, ExportFormat format, const Output& out)
{
    if (format == ExportFormat::dockerfile) {
        dockerfile_unavailable();
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
    return {{"files", files}, {"warnings", warnings}, {"written", paths}};
}

int export_reference(const ExportRequest& request, const GlobalOptions& options, Output& out)
{
    ExportFormat format = *parse_export_format(request.format);
    check_request(request, format, out);
    Reference asked = parse_reference(request.reference);
    ResolvedDefinition resolved = asked.curated ? resolve(open_curated_catalog(), asked)
                                                : resolve(open_workspace(options), asked);
    ExportResult result = run_export(format, resolved);

    for (const Diagnostic& warning : result.warnings) {
        out.warning(format_diagnostic(warning));
    }
    std::vector<std::filesystem::path> written;
    if (!request.output.empty()) {
        written = write_export(result, working_folder(options) / request.output);
        for (const std::filesystem::path& path : written) {
            out.note(fmt::format("wrote {}", path.string()));
        }
    }
    if (out.json()) {
        out.print_json(export_json(result, written));
    } else if (request.output.empty()) {
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
                    "conda (environment.yml), pip (requirements.txt) or azureml "
                    "(environment.yaml and conda.yaml); dockerfile is not in this build yet")
        ->required()
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"conda", "pip", "dockerfile", "azureml"}));
    command
        .add_option("-o,--output",
                    request->output,
                    "write to FILE instead of stdout, replacing it whole (azureml: into the "
                    "folder FILE, made when missing)")
        ->type_name("FILE");
    return [request, &options, &out] { return export_reference(*request, options, out); };
}

} // namespace envstore::cli
