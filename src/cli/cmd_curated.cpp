#include "cli/command.hpp"

#include "envstore/curated.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

int list_catalog(Output& out)
{
    auto summaries = list_environments(open_curated_catalog(), IncludeArchived::no);
    if (out.json()) {
        Json list = Json::array();
        for (const auto& summary : summaries) {
            list.push_back(
                {{"name", summary.name},
                 {"reference",
                  fmt::format("curated/{}@v{}", summary.name, summary.latest.value_or(0))},
                 {"latest", summary.latest ? Json(*summary.latest) : Json(nullptr)},
                 {"description", summary.description}});
        }
        out.print_json({{"environments", list}});
        return 0;
    }

    std::size_t width = 4;
    for (const auto& summary : summaries) {
        width = std::max(width, summary.name.size());
    }
    out.line(fmt::format("{:<{}}  {:<6}  {}", "NAME", width, "LATEST", "DESCRIPTION"));
    for (const auto& summary : summaries) {
        std::string latest = summary.latest ? fmt::format("v{}", *summary.latest) : "-";
        out.line(
            fmt::format("{:<{}}  {:<6}  {}", summary.name, width, latest, summary.description));
    }
    return 0;
}

// REF with or without its `curated/` prefix; it names a version, as the
// catalog has no labels and its commits are no one's concern.
Reference curated_reference(const std::string& text)
{
    std::string written =
        text.starts_with(k_curated_prefix) ? text : std::string(k_curated_prefix) + text;
    Reference reference = parse_reference(written);
    if (reference.kind == ReferenceKind::commit || reference.kind == ReferenceKind::label) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("curated show takes NAME, NAME@vN or NAME@latest, not \"{}\"", text));
    }
    return reference;
}

int show_definition(Output& out, const std::string& text)
{
    StoredDefinition stored = resolve_curated_reference(curated_reference(text));
    const VersionInfo& version = *stored.version;
    std::string reference = fmt::format("curated/{}", version.tag_name);
    if (out.json()) {
        out.print_json({{"reference", stored.reference.to_string()},
                        {"name", version.name},
                        {"version", version.number},
                        {"tag", version.tag_name},
                        {"commit", version.commit},
                        {"digest", version.digest},
                        {"content", stored.text}});
        return 0;
    }
    out.line(
        fmt::format("# {}  commit {}  {}", reference, short_id(version.commit), version.digest));
    out.raw(stored.text);
    return 0;
}

} // namespace

Action define_curated(CLI::App& command, const GlobalOptions&, Output& out)
{
    CLI::App* list = command.add_subcommand(
        "list", "List the curated environments with their latest version and description");
    CLI::App* show =
        command.add_subcommand("show", "Print a curated definition as stored, with its version");
    list->fallthrough();
    show->fallthrough();
    auto reference = std::make_shared<std::string>();
    show->add_option("REF", *reference, "NAME or NAME@vN, with or without curated/ before it")
        ->required();
    return [list, show, reference, &out] {
        if (list->parsed()) {
            return list_catalog(out);
        }
        if (show->parsed()) {
            return show_definition(out, *reference);
        }
        throw Error(ErrorCode::usage,
                    "curated needs a subcommand: list or show",
                    "run envstore curated --help");
    };
}

} // namespace envstore::cli
