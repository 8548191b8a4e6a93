#include "export/export_detail.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace envstore::detail {
namespace {

bool has_set_variable(const Definition& definition)
{
    return std::any_of(definition.variables.begin(),
                       definition.variables.end(),
                       [](const auto& entry) { return entry.second.has_value(); });
}

// Where the first element of `field` was written, when known.
std::optional<SourceLocation> location_of(const ResolvedDefinition& resolved,
                                          std::string_view field)
{
    for (const auto& [key, origin] : resolved.origins) {
        bool inside = key.size() > field.size() && key.starts_with(field) &&
                      (key[field.size()] == '/' || key[field.size()] == '.');
        if (key == field || inside) {
            return located(origin);
        }
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string_view> settings_present(const Definition& definition)
{
    PythonSettings python = definition.python.value_or(PythonSettings{});
    DockerSettings docker = definition.docker.value_or(DockerSettings{});
    SparkSettings spark = definition.spark.value_or(SparkSettings{});
    std::pair<std::string_view, bool> settings[] = {
        {"platforms", !definition.platforms.empty()},
        {"python.version", python.version.has_value()},
        {"python.interpreter", python.interpreter.has_value()},
        {"python.channels", !python.channels.empty()},
        {"python.conda", !python.conda.empty()},
        {"python.pip", !python.pip.empty()},
        {"python.pip_options", !python.pip_options.empty()},
        {"variables", has_set_variable(definition)},
        {"docker.base_image", docker.base_image.has_value()},
        {"docker.base_dockerfile", docker.base_dockerfile.has_value()},
        {"docker.apt", !docker.apt.empty()},
        {"docker.gpu", docker.gpu.value_or(false)},
        {"docker.shm_size", docker.shm_size.has_value()},
        {"docker.registry", docker.registry.has_value()},
        {"spark.repositories", !spark.repositories.empty()},
        {"spark.packages", !spark.packages.empty()},
    };
    std::vector<std::string_view> fields;
    for (const auto& [field, present] : settings) {
        if (present) {
            fields.push_back(field);
        }
    }
    return fields;
}

void warn_not_carried(const ResolvedDefinition& resolved,
                      std::string_view format,
                      const std::vector<std::string_view>& carried,
                      ExportResult& result)
{
    for (std::string_view field : settings_present(resolved.definition)) {
        if (std::find(carried.begin(), carried.end(), field) != carried.end()) {
            continue;
        }
        std::string message =
            fmt::format("\"{}\" is not exported: the {} format cannot carry it", field, format);
        result.warnings.push_back(not_exported(resolved, field, std::move(message)));
    }
}

Diagnostic
not_exported(const ResolvedDefinition& resolved, std::string_view field, std::string message)
{
    Diagnostic warning;
    warning.rule = "not-exported";
    warning.message = std::move(message);
    warning.location = location_of(resolved, field);
    return warning;
}

} // namespace envstore::detail
