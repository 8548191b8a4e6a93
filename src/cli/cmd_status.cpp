#include "cli/command.hpp"

#include "envstore/versions.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

Tone tone_of(DefinitionState state)
{
    switch (state) {
    case DefinitionState::unversioned: return Tone::added;
    case DefinitionState::changed: return Tone::changed;
    case DefinitionState::unchanged: return Tone::plain;
    }
    return Tone::plain;
}

std::string describe(const StatusEntry& entry)
{
    std::vector<std::string> notes;
    if (entry.latest) {
        notes.push_back(fmt::format("latest v{}", *entry.latest));
    }
    if (entry.uncommitted) {
        notes.push_back("uncommitted");
    }
    if (!entry.valid) {
        notes.push_back("invalid");
    }
    return notes.empty() ? "" : fmt::format(" ({})", fmt::join(notes, ", "));
}

} // namespace

Action define_status(CLI::App&, const GlobalOptions& options, Output& out)
{
    return [&options, &out] {
        Workspace workspace = open_workspace(options);
        std::vector<StatusEntry> entries = status(workspace);
        if (out.json()) {
            Json list = Json::array();
            for (const auto& entry : entries) {
                Json item = {{"name", entry.name},
                             {"state", std::string(name_of(entry.state))},
                             {"latest", entry.latest ? Json(*entry.latest) : Json(nullptr)},
                             {"uncommitted", entry.uncommitted},
                             {"valid", entry.valid}};
                list.push_back(item);
            }
            out.print_json({{"environments", list}});
            return 0;
        }
        for (const auto& entry : entries) {
            std::string state = fmt::format("{:<10}", name_of(entry.state));
            out.line(fmt::format(
                "{} {}{}", out.paint(tone_of(entry.state), state), entry.name, describe(entry)));
        }
        if (entries.empty()) {
            out.note("no definitions in the working tree");
        }
        return 0;
    };
}

} // namespace envstore::cli
