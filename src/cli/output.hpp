#pragma once

// Rendering for the CLI: results to stdout, diagnostics to stderr, JSON with
// `"format": 1`, colour named by meaning and used only on a terminal.

#include "envstore/error.hpp"
#include "envstore/versions.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace envstore::cli {

using Json = nlohmann::ordered_json;

inline constexpr int k_json_format = 1;

enum class Tone { plain, added, removed, changed, warning, error, dim };

class Output
{
public:
    // `color` is auto, always or never; auto means: stdout is a terminal and
    // NO_COLOR is not set.
    void configure(bool json, bool quiet, int verbose, std::string_view color);

    bool json() const { return m_json; }
    bool quiet() const { return m_quiet; }
    int verbose() const { return m_verbose; }

    // A result line on stdout (never silenced by -q; not printed in JSON mode).
    void line(std::string_view text);
    // An informational line on stderr, silenced by -q and in JSON mode.
    void note(std::string_view text);
    // A warning on stderr ("envstore: warning: ..."), silenced only by JSON mode.
    void warning(std::string_view text);
    // Raw bytes on stdout, exactly as given.
    void raw(std::string_view bytes);
    // Prints `document` on stdout with "format": 1 as its first member.
    void print_json(const Json& document);

    // `text` in the colour of `tone`, when colour is on.
    std::string paint(Tone tone, std::string_view text) const;

    // Reports `error` on stderr (and as JSON on stdout in JSON mode).
    void report_error(const Error& error);

private:
    bool m_json = false;
    bool m_quiet = false;
    int m_verbose = 0;
    bool m_color_out = false;
    bool m_color_err = false;
};

// A diagnostic as JSON: rule, message, file, line, column, hint.
Json diagnostic_json(const Diagnostic& diagnostic);

// "2026-12-03 16:54:40 +0000" for a Git time and offset.
std::string format_time(std::int64_t time, int offset_minutes);

// A tagger or author as JSON: name, email, date (as `format_time` writes it), time.
Json signature_json(const Signature& signature);

// The first 12 characters of an object id, as git shortens them.
std::string short_id(std::string_view id);

} // namespace envstore::cli
