#include "envstore/export.hpp"

#include <array>
#include <utility>

namespace envstore {
namespace {

constexpr std::array<std::pair<ExportFormat, std::string_view>, 4> k_format_names = {{
    {ExportFormat::conda, "conda"},
    {ExportFormat::pip, "pip"},
    {ExportFormat::dockerfile, "dockerfile"},
    {ExportFormat::azureml, "azureml"},
}};

} // namespace

std::string_view name_of(ExportFormat format)
{
    for (const auto& [value, name] : k_format_names) {
        if (value == format) {
            return name;
        }
    }
    return "unknown";
}

std::optional<ExportFormat> parse_export_format(std::string_view name)
{
    for (const auto& [value, format_name] : k_format_names) {
        if (format_name == name) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace envstore
