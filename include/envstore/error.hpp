#pragma once

// The one error type of the library, and the diagnostics it carries.
//
// Every failure the library reports is an `envstore::Error` with a code from
// `ErrorCode`. The CLI turns the code into an exit status in one place
// (see docs/exit-codes.md); other programs linking the library can do the same
// with `exit_code_of`.

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envstore {

enum class ErrorCode {
    usage,         // the call itself is wrong (exit 2)
    invalid_input, // a definition, file, reference, label or policy is invalid (exit 3)
    not_found,     // a workspace, environment, version or label does not exist (exit 4)
    conflict,      // a lock is held or a race was lost: safe to retry (exit 5)
    remote,        // a remote or its authentication failed (exit 6)
    repository,    // the repository cannot be used: shallow, unsupported, tampered (exit 8)
    internal,      // a bug in envstore (exit 9)
};

// The process exit status for `code`.
int exit_code_of(ErrorCode code);

// The stable snake_case name of `code`, as used in JSON output.
std::string_view name_of(ErrorCode code);

// A place in a file, 1-based. `line_text` is the whole line, without its end.
struct SourceLocation
{
    std::string path;
    int line = 0;
    int column = 0;
    std::string line_text;
};

// One finding about an input: which rule it breaks, what is wrong, where.
struct Diagnostic
{
    std::string rule; // a rule id from `validation_rules()`, e.g. "unknown-field"
    std::string message;
    std::optional<SourceLocation> location;
    std::string hint; // empty when there is nothing useful to add
};

class Error : public std::exception
{
public:
    Error(ErrorCode code, std::string message, std::string hint = {});
    // An error about input, located by `diagnostic`.
    explicit Error(Diagnostic diagnostic);
    // An error summarised by `message`, detailed by several diagnostics.
    Error(ErrorCode code, std::string message, std::vector<Diagnostic> details);

    ErrorCode code() const { return m_code; }
    const std::string& message() const { return m_message; }
    const std::string& hint() const { return m_hint; }
    const std::optional<SourceLocation>& location() const { return m_location; }
    const std::string& rule() const { return m_rule; }
    const std::vector<Diagnostic>& details() const { return m_details; }

    const char* what() const noexcept override { return m_message.c_str(); }

private:
    ErrorCode m_code;
    std::string m_message;
    std::string m_hint;
    std::string m_rule;
    std::optional<SourceLocation> m_location;
    std::vector<Diagnostic> m_details;
};

// Formats `diagnostic` for a terminal: "path:line:column: message", then the
// line and a caret under the column, then "hint: ..." when there is a hint.
// Without a location, only the message (and hint) lines.
std::string format_diagnostic(const Diagnostic& diagnostic);

} // namespace envstore
