// pip requirements files and the `pip:` section of conda files: requirements,
// index options, includes, editable and URL requirements.

#include "import_detail.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace envstore::detail {
namespace {

enum class OptionKind {
    requirements, // -r FILE
    constraints,  // -c FILE
    editable,     // -e URL
    carried,      // kept in python.pip_options
};

struct OptionSpec
{
    std::string_view short_name; // "" when none
    std::string_view long_name;
    bool takes_value;
    OptionKind kind;
};

constexpr OptionSpec k_options[] = {
    {"-r", "--requirement", true, OptionKind::requirements},
    {"-c", "--constraint", true, OptionKind::constraints},
    {"-e", "--editable", true, OptionKind::editable},
    {"-i", "--index-url", true, OptionKind::carried},
    {"", "--extra-index-url", true, OptionKind::carried},
    {"-f", "--find-links", true, OptionKind::carried},
    {"", "--trusted-host", true, OptionKind::carried},
    {"", "--no-index", false, OptionKind::carried},
    {"", "--pre", false, OptionKind::carried},
    {"", "--prefer-binary", false, OptionKind::carried},
    {"", "--only-binary", true, OptionKind::carried},
    {"", "--no-binary", true, OptionKind::carried},
    {"", "--require-hashes", false, OptionKind::carried},
    {"", "--use-feature", true, OptionKind::carried},
};

bool starts_with(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string trimmed(std::string_view text)
{
    std::size_t start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(" \t");
    return std::string(text.substr(start, end - start + 1));
}

// Splits at blanks, as pip does for the options of a line.
std::vector<std::string> tokens_of(std::string_view text)
{
    std::vector<std::string> tokens;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t start = text.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos) {
            break;
        }
        std::size_t end = text.find_first_of(" \t", start);
        end = end == std::string_view::npos ? text.size() : end;
        tokens.emplace_back(text.substr(start, end - start));
        pos = end;
    }
    return tokens;
}

const OptionSpec* find_option(std::string_view token, std::string& inline_value)
{
    for (const OptionSpec& option : k_options) {
        const std::string_view names[] = {option.long_name, option.short_name};
        for (std::string_view name : names) {
            if (name.empty() || !starts_with(token, name)) {
                continue;
            }
            std::string_view rest = token.substr(name.size());
            if (rest.empty()) {
                return &option;
            }
            bool is_long = name.size() > 2;
            if (option.takes_value && (is_long ? rest.front() == '=' : true)) {
                inline_value = std::string(is_long ? rest.substr(1) : rest);
                return &option;
            }
        }
    }
    return nullptr;
}

bool is_vcs(std::string_view text)
{
    return starts_with(text, "git+") || starts_with(text, "hg+") || starts_with(text, "svn+") ||
           starts_with(text, "bzr+");
}

bool is_url(std::string_view text)
{
    return is_vcs(text) || text.find("://") != std::string_view::npos;
}

bool is_archive(std::string_view text)
{
    return ends_with(text, ".whl") || ends_with(text, ".tar.gz") || ends_with(text, ".zip") ||
           ends_with(text, ".tar.bz2") || ends_with(text, ".tgz");
}

// A path on this machine (`.`, `./pkg`, `/abs/pkg`, `dist/x.whl`): not a requirement.
bool is_local_path(std::string_view text)
{
    return text == "." || starts_with(text, "./") || starts_with(text, "../") ||
           starts_with(text, "/") || (is_archive(text) && !is_url(text));
}

// The value of `key=` in a URL's fragment, or "".
std::string fragment_value(std::string_view url, std::string_view key)
{
    std::size_t hash = url.find('#');
    if (hash == std::string_view::npos) {
        return {};
    }
    std::string_view fragment = url.substr(hash + 1);
    std::size_t pos = 0;
    while (pos <= fragment.size()) {
        std::size_t end = std::min(fragment.find('&', pos), fragment.size());
        std::string_view item = fragment.substr(pos, end - pos);
        if (starts_with(item, key) && item.size() > key.size() && item[key.size()] == '=') {
            return std::string(item.substr(key.size() + 1));
        }
        pos = end + 1;
    }
    return {};
}

// The last part of a URL's path, without fragment, query, `@ref` and `.git`.
std::string last_path_part(std::string_view url)
{
    url = url.substr(0, std::min(url.find('#'), url.size()));
    url = url.substr(0, std::min(url.find('?'), url.size()));
    while (!url.empty() && url.back() == '/') {
        url.remove_suffix(1);
    }
    std::string_view part = url.substr(url.rfind('/') + 1);
    part = part.substr(0, std::min(part.find('@'), part.size()));
    if (ends_with(part, ".git")) {
        part.remove_suffix(4);
    }
    return std::string(part);
}

// The project name of a wheel or source archive file name.
std::string archive_project(std::string_view file)
{
    if (ends_with(file, ".whl")) {
        return std::string(file.substr(0, file.find('-')));
    }
    std::size_t dash = file.rfind('-');
    return std::string(dash == std::string_view::npos ? file : file.substr(0, dash));
}

class PipImporter
{
public:
    PipImporter(ImportContext& context, const ImportSource& source, PythonSettings& python)
        : m_context(context), m_source(source), m_python(python)
    {
    }

    void line(const PipLine& line);

private:
    void options(const PipLine& line, const std::vector<std::string>& tokens);
    void option(const PipLine& line, const OptionSpec& option, const std::string& value);
    void include(const PipLine& line, const std::string& name);
    void constraints(const PipLine& line, const std::string& name);
    void editable(const PipLine& line, const std::string& value);
    void requirement(const PipLine& line,
                     const std::string& text,
                     const std::vector<std::string>& hashes = {},
                     bool editable = false);
    std::string named_url(const PipLine& line, const std::string& url);
    void add(const PipLine& line, PipRequirement requirement);
    void add_option(const PipLine& line, std::string option);

    ImportContext& m_context;
    const ImportSource& m_source;
    PythonSettings& m_python;
};

void PipImporter::line(const PipLine& line)
{
    std::vector<std::string> tokens = tokens_of(line.text);
    if (tokens.empty()) {
        return;
    }
    if (starts_with(tokens.front(), "-")) {
        options(line, tokens);
        return;
    }
    // As pip: the requirement runs to the first word that starts with "-".
    auto first_option = std::find_if(
        tokens.begin(), tokens.end(), [](const std::string& token) { return token[0] == '-'; });
    std::vector<std::string> words(tokens.begin(), first_option);
    std::vector<std::string> hashes;
    for (auto it = first_option; it != tokens.end(); ++it) {
        if (starts_with(*it, "--hash")) {
            hashes.push_back(*it);
            continue;
        }
        if (!hashes.empty() && hashes.back() == "--hash") {
            hashes.push_back(*it);
            continue;
        }
        m_context.not_carried(line.at,
                              fmt::format("requirement option \"{}\" is not carried", *it));
    }
    requirement(line, fmt::format("{}", fmt::join(words, " ")), hashes);
}

void PipImporter::options(const PipLine& line, const std::vector<std::string>& tokens)
{
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string value;
        const OptionSpec* option = find_option(tokens[i], value);
        if (!option) {
            std::string rest = fmt::format(
                "{}",
                fmt::join(tokens.begin() + static_cast<std::ptrdiff_t>(i), tokens.end(), " "));
            m_context.not_carried(line.at, fmt::format("pip option \"{}\" is not carried", rest));
            return;
        }
        if (option->takes_value && value.empty()) {
            if (i + 1 == tokens.size()) {
                m_context.fail(line.at, fmt::format("pip option \"{}\" needs a value", tokens[i]));
            }
            value = tokens[++i];
        }
        this->option(line, *option, value);
    }
}

void PipImporter::option(const PipLine& line, const OptionSpec& option, const std::string& value)
{
    switch (option.kind) {
    case OptionKind::requirements: include(line, value); return;
    case OptionKind::constraints: constraints(line, value); return;
    case OptionKind::editable: editable(line, value); return;
    case OptionKind::carried: break;
    }
    std::string text(option.long_name);
    add_option(line, value.empty() ? text : text + " " + value);
}

void PipImporter::include(const PipLine& line, const std::string& name)
{
    if (is_url(name)) {
        m_context.not_carried(line.at,
                              fmt::format("requirements file \"{}\" is not read: envstore "
                                          "imports local files only",
                                          name),
                              "download it beside the file and include it by name");
        return;
    }
    ImportSource included = m_context.read_include(m_source, name, line.at);
    PipImporter nested(m_context, included, m_python);
    for (const PipLine& item : requirement_file_lines(included)) {
        nested.line(item);
    }
    m_context.close_include();
}

void PipImporter::constraints(const PipLine& line, const std::string& name)
{
    m_context.not_carried(line.at,
                          fmt::format("constraints file \"{}\" is not carried", name),
                          "pin the packages it constrains in the definition instead");
}

void PipImporter::editable(const PipLine& line, const std::string& value)
{
    if (!is_url(value)) {
        m_context.not_carried(line.at,
                              fmt::format("editable install of the local folder \"{}\" is not "
                                          "carried",
                                          value),
                              "a definition names packages, not folders of one machine");
        return;
    }
    m_context.note(line.at,
                   fmt::format("\"{}\" is installed from its URL, not in editable mode", value));
    requirement(line, value, {}, true);
}

void PipImporter::requirement(const PipLine& line,
                              const std::string& text,
                              const std::vector<std::string>& hashes,
                              bool editable)
{
    if (is_local_path(text)) {
        m_context.not_carried(line.at,
                              fmt::format("local path \"{}\" is not carried", text),
                              "a definition names packages, not files of one machine");
        return;
    }
    std::string written = text;
    if (is_url(text) && (editable || text.find(" @ ") == std::string::npos)) {
        // As pip: a marker follows a bare URL after "; ".
        std::size_t marker = text.find("; ");
        written = named_url(line, trimmed(text.substr(0, marker)));
        written += marker == std::string::npos ? "" : " ; " + text.substr(marker + 2);
    }
    if (!hashes.empty()) {
        written += fmt::format(" {}", fmt::join(hashes, " "));
    }
    PipRequirement requirement;
    try {
        requirement = parse_pip_requirement(written);
    } catch (const Error& error) {
        m_context.fail(line.at, error.message());
    }
    if (starts_with(requirement.url, "file:")) {
        m_context.note(line.at,
                       fmt::format("\"{}\" installs a file of the machine that wrote it: {}",
                                   requirement.name,
                                   requirement.url));
    }
    add(line, std::move(requirement));
}

// `URL` as `NAME @ URL`: the name from `#egg=`, a wheel or archive file name,
// or else guessed from the URL's path (with a note).
std::string PipImporter::named_url(const PipLine& line, const std::string& url)
{
    std::string name = fragment_value(url, "egg");
    if (name.empty() && !is_vcs(url) && is_archive(last_path_part(url))) {
        name = archive_project(last_path_part(url));
    }
    if (name.empty()) {
        std::string subdirectory = fragment_value(url, "subdirectory");
        name = last_path_part(subdirectory.empty() ? url : "x/" + subdirectory);
        m_context.note(line.at,
                       fmt::format("the project name \"{}\" is guessed from the URL", name),
                       "check it: pip refuses a URL whose project has another name");
    }
    return name + " @ " + url;
}

void PipImporter::add(const PipLine& line, PipRequirement requirement)
{
    if (auto first =
            m_context.first_place("python.pip/" + requirement.normalized_name(), line.at)) {
        auto same = std::find(m_python.pip.begin(), m_python.pip.end(), requirement);
        if (same == m_python.pip.end()) {
            m_context.not_carried(line.at,
                                  fmt::format("second requirement \"{}\" for pip package \"{}\" "
                                              "is not carried (first at {}:{})",
                                              requirement.to_string(),
                                              requirement.name,
                                              first->path,
                                              first->line),
                                  "a definition holds one requirement per package");
        }
        return;
    }
    m_python.pip.push_back(std::move(requirement));
}

void PipImporter::add_option(const PipLine& line, std::string option)
{
    auto& list = m_python.pip_options;
    if (std::find(list.begin(), list.end(), option) != list.end()) {
        m_context.note(line.at, fmt::format("pip option \"{}\" is given twice", option));
        return;
    }
    m_context.first_place("python.pip_options/" + option, line.at);
    list.push_back(std::move(option));
}

// pip's comment rule: `#` at the start of a line or after a blank.
std::string without_comment(const std::string& line)
{
    static const std::regex comment(R"((^|\s+)#.*$)");
    return std::regex_replace(line, comment, "");
}

} // namespace

std::vector<PipLine> requirement_file_lines(const ImportSource& source)
{
    std::vector<PipLine> lines;
    std::string joined;
    int first_line = 0;
    for (std::size_t i = 0; i < source.lines.size(); ++i) {
        const std::string& physical = source.lines[i];
        if (joined.empty()) {
            first_line = static_cast<int>(i) + 1;
        }
        // As pip: a comment line ends a continued line.
        bool is_comment = starts_with(trimmed(physical), "#");
        if (!is_comment && ends_with(physical, "\\")) {
            joined += physical.substr(0, physical.size() - 1);
            continue;
        }
        joined += is_comment ? " " + physical : physical;
        std::string text = trimmed(without_comment(joined));
        if (!text.empty()) {
            const std::string& start = source.lines[static_cast<std::size_t>(first_line) - 1];
            int column = static_cast<int>(start.find_first_not_of(" \t")) + 1;
            lines.push_back({text, source.at(first_line, std::max(column, 1))});
        }
        joined.clear();
    }
    return lines;
}

void import_pip_lines(ImportContext& context,
                      const ImportSource& source,
                      const std::vector<PipLine>& lines,
                      PythonSettings& python)
{
    PipImporter importer(context, source, python);
    for (const PipLine& line : lines) {
        importer.line(line);
    }
}

Definition import_requirements(ImportContext& context, const ImportSource& source)
{
    Definition definition;
    PythonSettings python;
    import_pip_lines(context, source, requirement_file_lines(source), python);
    if (!python.pip.empty() || !python.pip_options.empty()) {
        definition.python = std::move(python);
    }
    return definition;
}

} // namespace envstore::detail
