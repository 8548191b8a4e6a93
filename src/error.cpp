#include "envstore/error.hpp"

#include <fmt/format.h>

namespace envstore {

int exit_code_of(ErrorCode code)
{
    switch (code) {
    case ErrorCode::usage: return 2;
    case ErrorCode::invalid_input: return 3;
    case ErrorCode::not_found: return 4;
    case ErrorCode::conflict: return 5;
    case ErrorCode::remote: return 6;
    case ErrorCode::repository: return 8;
    case ErrorCode::internal: return 9;
    }
    return 9;
}

std::string_view name_of(ErrorCode code)
{
    switch (code) {
    case ErrorCode::usage: return "usage";
    case ErrorCode::invalid_input: return "invalid_input";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::remote: return "remote";
    case ErrorCode::repository: return "repository";
    case ErrorCode::internal: return "internal";
    }
    return "internal";
}

Error::Error(ErrorCode code, std::string message, std::string hint)
    : m_code(code), m_message(std::move(message)), m_hint(std::move(hint))
{
}

Error::Error(Diagnostic diagnostic)
    : m_code(ErrorCode::invalid_input), m_message(diagnostic.message), m_hint(diagnostic.hint),
      m_rule(diagnostic.rule), m_location(diagnostic.location)
{
    m_details.push_back(std::move(diagnostic));
}

Error::Error(ErrorCode code, std::string message, std::vector<Diagnostic> details)
    : m_code(code), m_message(std::move(message)), m_details(std::move(details))
{
    if (m_details.size() == 1) {
        m_rule = m_details.front().rule;
        m_location = m_details.front().location;
        m_hint = m_details.front().hint;
    }
}

std::string format_diagnostic(const Diagnostic& diagnostic)
{
    std::string out;
    if (diagnostic.location) {
        const SourceLocation& where = *diagnostic.location;
        out = fmt::format("{}:{}:{}: {}", where.path, where.line, where.column, diagnostic.message);
        if (!where.line_text.empty()) {
            std::size_t indent = where.column > 0 ? static_cast<std::size_t>(where.column - 1) : 0;
            // Keep tabs in the caret line so the caret lines up under the column.
            std::string pad;
            for (std::size_t i = 0; i < indent && i < where.line_text.size(); ++i) {
                pad += where.line_text[i] == '\t' ? '\t' : ' ';
            }
            out += fmt::format("\n    {}\n    {}^", where.line_text, pad);
        }
    } else {
        out = diagnostic.message;
    }
    if (!diagnostic.hint.empty()) {
        out += fmt::format("\nhint: {}", diagnostic.hint);
    }
    return out;
}

} // namespace envstore
