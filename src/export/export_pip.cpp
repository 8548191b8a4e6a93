#include "export/export_detail.hpp"

namespace envstore {

// pip options first, as pip reads them wherever they stand, then one
// requirement a line.
ExportResult export_pip(const ResolvedDefinition& resolved)
{
    ExportResult result;
    std::string text;
    for (const std::string& line : detail::pip_lines(resolved, result)) {
        text += line + '\n';
    }
    detail::warn_not_carried(resolved, "pip", {"python.pip", "python.pip_options"}, result);
    result.files.push_back({"requirements.txt", std::move(text)});
    return result;
}

} // namespace envstore
