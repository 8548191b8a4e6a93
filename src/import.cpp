// `envstore import`: choosing the format, reading files inside the named
// folder tree, and turning what an importer built into a definition file.

#include "definition_reader.hpp"
#include "file_io.hpp"
#include "import_detail.hpp"
#include "yaml/yaml_detail.hpp"

#include "envstore/canonical.hpp"
#include "envstore/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace envstore {
namespace detail {
namespace {

namespace fs = std::filesystem;

bool is_inside(const fs::path& root, const fs::path& file)
{
    fs::path relative = fs::weakly_canonical(file).lexically_relative(fs::weakly_canonical(root));
    return !relative.empty() && *relative.begin() != "..";
}

} // namespace

SourceLocation ImportSource::at(int line, int column) const
{
    SourceLocation location{path, line, column, {}};
    if (line >= 1 && static_cast<std::size_t>(line) <= lines.size()) {
        location.line_text = lines[static_cast<std::size_t>(line) - 1];
    }
    return location;
}

ImportContext::ImportContext(std::filesystem::path root, ImportResult& result)
    : m_root(std::move(root)), m_result(result)
{
}

ImportSource ImportContext::read(const std::filesystem::path& file, const std::string& path)
{
    ImportSource source;
    source.file = file;
    source.path = path;
    source.text = yaml::detail::prepare_text(read_file_bytes(file), path, {});
    source.lines = yaml::detail::split_lines(source.text);
    m_result.files_read.push_back(path);
    if (m_open.empty()) {
        m_open.push_back(fs::weakly_canonical(file)); // the imported file itself
    }
    return source;
}

ImportSource ImportContext::read_include(const ImportSource& from,
                                         std::string_view name,
                                         const SourceLocation& at)
{
    fs::path file = (from.file.parent_path() / fs::path(name)).lexically_normal();
    std::string path = (fs::path(from.path).parent_path() / fs::path(name)).lexically_normal();
    if (!is_inside(m_root, file)) {
        fail(at,
             fmt::format("\"{}\" is outside the folder tree \"{}\"", path, m_root.string()),
             "an include must stay inside the imported file's folder (or the folder --root "
             "names)");
    }
    fs::path canonical = fs::weakly_canonical(file);
    if (std::find(m_open.begin(), m_open.end(), canonical) != m_open.end()) {
        fail(at, fmt::format("\"{}\" is already being read: the includes form a cycle", path));
    }
    if (!fs::is_regular_file(file)) {
        fail(at, fmt::format("cannot read \"{}\": no such file", path));
    }
    m_open.push_back(canonical);
    return read(file, path);
}

void ImportContext::close_include()
{
    m_open.pop_back();
}

void ImportContext::not_carried(const SourceLocation& at, std::string message, std::string hint)
{
    m_result.warnings.push_back({k_rule_not_carried, std::move(message), at, std::move(hint)});
}

void ImportContext::note(const SourceLocation& at, std::string message, std::string hint)
{
    m_result.warnings.push_back({k_rule_note, std::move(message), at, std::move(hint)});
}

void ImportContext::fail(const SourceLocation& at, std::string message, std::string hint)
{
    throw Error(Diagnostic{k_rule_import, std::move(message), at, std::move(hint)});
}

std::optional<SourceLocation> ImportContext::first_place(const std::string& key,
                                                         const SourceLocation& at)
{
    auto [place, added] = m_places.emplace(key, at);
    if (added) {
        return std::nullopt;
    }
    return place->second;
}

} // namespace detail

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::pair<ImportFormat, std::string_view>, 5> k_format_names = {{
    {ImportFormat::detect, "auto"},
    {ImportFormat::conda, "conda"},
    {ImportFormat::pip, "pip"},
    {ImportFormat::azureml, "azureml"},
    {ImportFormat::dockerfile, "dockerfile"},
}};

bool has_line_starting(const std::string& text, std::string_view prefix)
{
    for (const std::string& line : yaml::detail::split_lines(text)) {
        if (line.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

// By name first (Dockerfiles, JSON, requirements files), then by content.
ImportFormat detect_format(const fs::path& file, const std::string& text)
{
    std::string name = file.filename().string();
    std::string extension = file.extension().string();
    if (name.rfind("Dockerfile", 0) == 0 || extension == ".dockerfile") {
        return ImportFormat::dockerfile;
    }
    if (extension == ".json") {
        return ImportFormat::azureml;
    }
    if (has_line_starting(text, "@EXPLICIT")) {
        return ImportFormat::conda;
    }
    if (extension == ".yml" || extension == ".yaml") {
        bool azure = has_line_starting(text, "$schema:") || has_line_starting(text, "image:") ||
                     has_line_starting(text, "conda_file:") || has_line_starting(text, "build:");
        bool conda =
            has_line_starting(text, "dependencies:") || has_line_starting(text, "channels:");
        return azure && !conda ? ImportFormat::azureml : ImportFormat::conda;
    }
    return has_line_starting(text, "FROM ") ? ImportFormat::dockerfile : ImportFormat::pip;
}

// A name like the one asked for, for the hint: lowercase, other characters as "-".
std::string suggested_name(std::string_view name)
{
    std::string suggestion;
    for (char c : name) {
        unsigned char u = static_cast<unsigned char>(c);
        bool keep = std::isalnum(u) || c == '.' || c == '_' || c == '-';
        suggestion += keep ? static_cast<char>(std::tolower(u)) : '-';
    }
    return suggestion;
}

std::string
environment_name(const ImportOptions& options, const Definition& imported, const fs::path& file)
{
    if (!options.name.empty()) {
        if (auto problem = check_environment_name(options.name)) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("invalid environment name \"{}\": {}", options.name, *problem));
        }
        return options.name;
    }
    bool from_file = !imported.name.empty();
    std::string name = from_file ? imported.name : file.stem().string();
    if (auto problem = check_environment_name(name)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("invalid environment name \"{}\" (from the {}): {}",
                                name,
                                from_file ? "file's name:" : "file name",
                                *problem),
                    fmt::format("name it with --name, e.g. --name {}", suggested_name(name)));
    }
    return name;
}

// The file name for the comment line: a line end or other control character
// in it would end the comment, so each becomes "?".
std::string comment_safe(std::string text)
{
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = '?';
        }
    }
    return text;
}

std::string definition_text(const ImportResult& result, const std::string& file)
{
    return fmt::format("# Imported by envstore import from {} ({}).\n{}",
                       comment_safe(file),
                       name_of(result.format),
                       canonical_yaml(result.definition));
}

// Diagnostics about the definition text, moved to where the imported file
// wrote the same element, where that is known.
std::vector<Diagnostic> relocated(std::vector<Diagnostic> errors,
                                  const std::string& text,
                                  const std::string& path,
                                  const std::map<std::string, SourceLocation>& places)
{
    Definition written;
    detail::record_locations(yaml::parse(text, path), written);
    for (Diagnostic& error : errors) {
        for (const auto& [key, where] : written.locations) {
            auto source = places.find(key);
            if (error.location && where.line == error.location->line && source != places.end()) {
                error.location = source->second;
                break;
            }
        }
    }
    return errors;
}

void refuse_unsupported(ImportFormat format)
{
    if (format == ImportFormat::azureml || format == ImportFormat::dockerfile) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("importing {} files is not supported yet", name_of(format)),
                    "import the conda or requirements file it refers to, with --format conda "
                    "or --format pip");
    }
}

} // namespace

std::string_view name_of(ImportFormat format)
{
    for (const auto& [value, name] : k_format_names) {
        if (value == format) {
            return name;
        }
    }
    return "auto";
}

std::optional<ImportFormat> import_format_named(std::string_view name)
{
    for (const auto& [value, text] : k_format_names) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

ImportResult import_file(const std::filesystem::path& file, const ImportOptions& options)
{
    ImportResult result;
    fs::path root = options.root.empty() ? file.parent_path() : options.root;
    detail::ImportContext context(root.empty() ? fs::path(".") : root, result);
    detail::ImportSource source = context.read(file, file.string());

    result.format =
        options.format == ImportFormat::detect ? detect_format(file, source.text) : options.format;
    refuse_unsupported(result.format);
    Definition definition = result.format == ImportFormat::conda
                                ? detail::import_conda(context, source)
                                : detail::import_requirements(context, source);

    definition.name = environment_name(options, definition, file);
    result.definition = std::move(definition);
    result.text = definition_text(result, file.filename().string());

    std::string path = Workspace::definition_path(result.definition.name);
    ParseResult check = parse_definition(result.text, path, result.definition.name);
    if (!check.definition) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("the definition imported from \"{}\" would be invalid: "
                                "nothing was written",
                                file.string()),
                    relocated(check.errors, result.text, path, context.places()));
    }
    result.definition = std::move(*check.definition);
    return result;
}

std::string write_import(const Workspace& workspace, const ImportResult& result, bool update)
{
    std::string path = Workspace::definition_path(result.definition.name);
    fs::path full_path = workspace.root() / path;
    if (!update && fs::exists(full_path)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("\"{}\" already exists: nothing was written", path),
                    "add --update to replace it, or choose another name with --name");
    }
    fs::create_directories(full_path.parent_path());
    write_file_atomically(full_path, result.text);
    return path;
}

} // namespace envstore
