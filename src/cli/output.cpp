#include "cli/output.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace envstore::cli {
namespace {

bool wants_color(std::string_view setting, int fd)
{
    if (setting == "always") {
        return true;
    }
    // no-color.org: an empty NO_COLOR counts as unset.
    const char* no_color = std::getenv("NO_COLOR");
    if (setting == "never" || (no_color != nullptr && *no_color != '\0')) {
        return false;
    }
    return isatty(fd) == 1;
}

std::string_view escape_of(Tone tone)
{
    switch (tone) {
    case Tone::added: return "\033[32m";
    case Tone::removed: return "\033[31m";
    case Tone::changed: return "\033[33m";
    case Tone::warning: return "\033[35m";
    case Tone::error: return "\033[1;31m";
    case Tone::dim: return "\033[2m";
    case Tone::plain: return "";
    }
    return "";
}

std::string paint_with(bool enabled, Tone tone, std::string_view text)
{
    if (!enabled || tone == Tone::plain) {
        return std::string(text);
    }
    return fmt::format("{}{}\033[0m", escape_of(tone), text);
}

} // namespace

void Output::configure(bool json, bool quiet, int verbose, std::string_view color)
{
    m_json = json;
    m_quiet = quiet;
    m_verbose = verbose;
    m_color_out = wants_color(color, STDOUT_FILENO);
    m_color_err = wants_color(color, STDERR_FILENO);
}

void Output::line(std::string_view text)
{
    if (!m_json) {
        fmt::print(stdout, "{}\n", text);
    }
}

void Output::note(std::string_view text)
{
    if (!m_json && !m_quiet) {
        fmt::print(stderr, "{}\n", text);
    }
}

void Output::warning(std::string_view text)
{
    if (!m_json) {
        fmt::print(
            stderr, "envstore: {} {}\n", paint_with(m_color_err, Tone::warning, "warning:"), text);
    }
}

void Output::raw(std::string_view bytes)
{
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
}

void Output::print_json(const Json& document)
{
    Json out = {{"format", k_json_format}};
    for (const auto& [key, value] : document.items()) {
        out[key] = value;
    }
    fmt::print(stdout, "{}\n", out.dump(2));
}

std::string Output::paint(Tone tone, std::string_view text) const
{
    return paint_with(m_color_out, tone, text);
}

Json diagnostic_json(const Diagnostic& diagnostic)
{
    Json out = {{"rule", diagnostic.rule}, {"message", diagnostic.message}};
    if (diagnostic.location) {
        out["file"] = diagnostic.location->path;
        out["line"] = diagnostic.location->line;
        out["column"] = diagnostic.location->column;
    }
    if (!diagnostic.hint.empty()) {
        out["hint"] = diagnostic.hint;
    }
    return out;
}

void Output::report_error(const Error& error)
{
    std::string prefix =
        fmt::format("envstore: {} ", paint_with(m_color_err, Tone::error, "error:"));
    if (error.details().size() == 1 && error.location()) {
        fmt::print(stderr, "{}{}\n", prefix, format_diagnostic(error.details().front()));
    } else {
        fmt::print(stderr, "{}{}\n", prefix, error.message());
        for (const auto& detail : error.details()) {
            fmt::print(stderr, "{}\n", format_diagnostic(detail));
        }
        if (!error.hint().empty() && error.details().empty()) {
            fmt::print(stderr, "hint: {}\n", error.hint());
        }
    }
    if (!m_json) {
        return;
    }

    Json body = {{"code", std::string(name_of(error.code()))},
                 {"exit_code", exit_code_of(error.code())},
                 {"message", error.message()}};
    if (error.location()) {
        body["file"] = error.location()->path;
        body["line"] = error.location()->line;
        body["column"] = error.location()->column;
    }
    if (!error.hint().empty()) {
        body["hint"] = error.hint();
    }
    if (!error.details().empty()) {
        Json details = Json::array();
        for (const auto& detail : error.details()) {
            details.push_back(diagnostic_json(detail));
        }
        body["details"] = details;
    }
    print_json({{"error", body}});
}

std::string format_time(std::int64_t time, int offset_minutes)
{
    std::time_t local = static_cast<std::time_t>(time + offset_minutes * 60);
    std::tm parts{};
    gmtime_r(&local, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &parts);
    int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    return fmt::format(
        "{} {}{:02}{:02}", buffer, offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

Json signature_json(const Signature& signature)
{
    return {{"name", signature.name},
            {"email", signature.email},
            {"date", format_time(signature.time, signature.offset_minutes)},
            {"time", signature.time}};
}

std::string short_id(std::string_view id)
{
    return std::string(id.substr(0, 12));
}

} // namespace envstore::cli
