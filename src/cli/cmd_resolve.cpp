#include "cli/command.hpp"

#include "envstore/canonical.hpp"
#include "envstore/curated.hpp"
#include "envstore/resolve.hpp"

#include <fmt/format.h>

namespace envstore::cli {
namespace {

Json bases_json(const std::vector<BaseUse>& bases)
{
    Json list = Json::array();
    for (const BaseUse& base : bases) {
        list.push_back({{"requested", base.requested},
                        {"resolved", base.resolved},
                        {"commit", base.commit.empty() ? Json(nullptr) : Json(base.commit)},
                        {"digest", base.digest},
                        {"recorded", base.recorded},
                        {"recorded_by", base.recorded ? Json(base.recorded_by) : Json(nullptr)},
                        {"today", base.today.empty() ? Json(nullptr) : Json(base.today)}});
    }
    return list;
}

Json resolved_json(const ResolvedDefinition& resolved)
{
    Json origins = Json::object();
    for (const auto& [key, origin] : resolved.origins) {
        origins[key] = {{"environment", origin.environment},
                        {"file", origin.location.path},
                        {"line", origin.location.line},
                        {"column", origin.location.column}};
    }
    return {{"reference", resolved.reference.to_string()},
            {"name", resolved.definition.name},
            {"version", resolved.version ? Json(*resolved.version) : Json(nullptr)},
            {"commit", resolved.commit.empty() ? Json(nullptr) : Json(resolved.commit)},
            {"digest", resolved.digest},
            {"canonical_version", k_canonical_version},
            {"bases", bases_json(resolved.bases)},
            {"definition", Json::parse(canonical_json(resolved.definition))},
            {"origins", origins}};
}

std::string describe_base(const BaseUse& base)
{
    std::string line = fmt::format("# base: {}", base.requested);
    if (base.resolved != base.requested) {
        line += fmt::format(" -> {}", base.resolved);
    }
    if (base.recorded) {
        line += fmt::format(" (recorded by {}", base.recorded_by);
        line +=
            base.today.empty() ? ")" : fmt::format("; {} is {} today)", base.requested, base.today);
    }
    return line;
}

// The header says what was resolved; the body is the canonical form alone, so
// equal environments print equal bodies.
void print_yaml(const ResolvedDefinition& resolved, Output& out)
{
    if (!out.quiet()) {
        out.line(fmt::format("# resolved: {}", resolved.reference.to_string()));
        if (resolved.version) {
            out.line(fmt::format("# version: v{}", *resolved.version));
        }
        if (!resolved.commit.empty()) {
            out.line(fmt::format("# commit: {}", resolved.commit));
        }
        out.line(fmt::format("# digest: {}", resolved.digest));
        for (const BaseUse& base : resolved.bases) {
            out.line(describe_base(base));
        }
    }
    out.raw(canonical_yaml(resolved.definition));
}

} // namespace

Action define_resolve(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto reference = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("yaml");
    command
        .add_option("REF",
                    *reference,
                    "NAME (the working tree), NAME@vN, NAME@latest, NAME@COMMIT, NAME@LABEL or "
                    "curated/NAME@vN")
        ->required();
    command
        .add_option("--format",
                    *format,
                    "yaml (canonical YAML after a # header; -q: no "
                    "header) or json (same as --json)")
        ->check(CLI::IsMember({"yaml", "json"}));
    return [reference, format, &options, &out] {
        Reference asked = parse_reference(*reference);
        // A curated reference needs no workspace.
        ResolvedDefinition resolved = asked.curated ? resolve(open_curated_catalog(), asked)
                                                    : resolve(open_workspace(options), asked);
        if (out.json() || *format == "json") {
            out.print_json(resolved_json(resolved));
        } else {
            print_yaml(resolved, out);
        }
        return 0;
    };
}

} // namespace envstore::cli
