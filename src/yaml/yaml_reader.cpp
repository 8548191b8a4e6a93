#include "yaml/yaml_reader.hpp"

#include "yaml/yaml_detail.hpp"

#include <algorithm>

namespace envstore::yaml {

const Node* Node::find(std::string_view key) const
{
    for (const auto& [name, value] : entries) {
        if (name.is_scalar() && name.text == key) {
            return &value;
        }
    }
    return nullptr;
}

SourceLocation Document::locate(Mark mark) const
{
    SourceLocation location{path, mark.line, mark.column, {}};
    if (mark.line >= 1 && static_cast<std::size_t>(mark.line) <= lines.size()) {
        location.line_text = lines[static_cast<std::size_t>(mark.line) - 1];
    }
    return location;
}

Document parse(std::string_view text, const std::string& path, const Limits& limits)
{
    Document document;
    document.path = path;
    document.text = detail::prepare_text(text, path, limits);
    document.lines = detail::split_lines(document.text);
    document.root = detail::build_tree(document, limits);
    return document;
}

namespace detail {

void raise_at(const Document& document,
              std::string_view rule,
              std::string message,
              Mark mark,
              std::string hint)
{
    throw Error(
        Diagnostic{std::string(rule), std::move(message), document.locate(mark), std::move(hint)});
}

std::vector<std::string> split_lines(std::string_view text)
{
    std::vector<std::string> lines;
    lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

} // namespace detail

} // namespace envstore::yaml
