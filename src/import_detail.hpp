#pragma once

// Shared by the importers (import.cpp, import_conda.cpp, import_pip.cpp): the
// files read, the warnings gathered, and the pip lines that both conda's
// `pip:` section and requirements files hold.

#include "envstore/import.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace envstore::detail {

inline constexpr const char* k_rule_not_carried = "import-not-carried";
inline constexpr const char* k_rule_note = "import-note";
inline constexpr const char* k_rule_import = "import-invalid";

// One file the import reads: its name as shown in messages and its lines.
struct ImportSource
{
    std::filesystem::path file; // as it is opened
    std::string path;           // as messages name it
    std::string text;           // line ends made LF, a BOM dropped
    std::vector<std::string> lines;

    // Line `line` (1-based), column `column` (1-based, bytes).
    SourceLocation at(int line, int column) const;
};

// The state of one import: the folder includes must stay in, what was read,
// the warnings, and where each package was first written.
class ImportContext
{
public:
    ImportContext(std::filesystem::path root, ImportResult& result);

    // Reads `file`, named `path` in messages. The first file read is the
    // imported one: an include of it is a cycle.
    ImportSource read(const std::filesystem::path& file, const std::string& path);
    // Reads a file named by an include (`-r NAME`) written in `from`, relative
    // to `from`'s folder, and marks it open until `close_include`. Throws,
    // located at `at`, when it leaves the root, is already being read (a
    // cycle) or cannot be read.
    ImportSource
    read_include(const ImportSource& from, std::string_view name, const SourceLocation& at);
    void close_include();

    void not_carried(const SourceLocation& at, std::string message, std::string hint = {});
    void note(const SourceLocation& at, std::string message, std::string hint = {});
    [[noreturn]] void fail(const SourceLocation& at, std::string message, std::string hint = {});

    // Records the first place the element `key` ("python.conda/numpy",
    // "variables/HOME", as `element_key` names them) was written; returns the
    // earlier place when there was one.
    std::optional<SourceLocation> first_place(const std::string& key, const SourceLocation& at);
    // Where each element was first written.
    const std::map<std::string, SourceLocation>& places() const { return m_places; }

    ImportResult& result() { return m_result; }

private:
    std::filesystem::path m_root;
    ImportResult& m_result;
    std::map<std::string, SourceLocation> m_places;
    std::vector<std::filesystem::path> m_open; // the includes being read
};

// One pip line: a requirement or option with its place. For requirements
// files, continuation lines are joined and comments removed; in a conda
// file's `pip:` section, each item is one line.
struct PipLine
{
    std::string text;
    SourceLocation at;
};

// The logical lines of a requirements file.
std::vector<PipLine> requirement_file_lines(const ImportSource& source);

// Adds what `lines` (written in `source`) say to `python`: requirements to
// `pip`, options to `pip_options`; follows `-r` includes.
void import_pip_lines(ImportContext& context,
                      const ImportSource& source,
                      const std::vector<PipLine>& lines,
                      PythonSettings& python);

// The importers of each format.
Definition import_conda(ImportContext& context, const ImportSource& source);
Definition import_requirements(ImportContext& context, const ImportSource& source);

} // namespace envstore::detail
