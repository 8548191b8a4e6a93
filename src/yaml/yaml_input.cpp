#include "yaml/yaml_detail.hpp"

#include <fmt/format.h>

namespace envstore::yaml::detail {

namespace {

constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

// The well-formed UTF-8 sequences (Unicode 15, table 3-7): lead bytes, length
// and the range of the second byte, which excludes overlong forms, surrogates
// and code points past U+10FFFF.
struct Utf8Form
{
    unsigned char lead_low, lead_high;
    std::size_t length;
    unsigned char second_low, second_high;
};

constexpr Utf8Form k_utf8_forms[] = {
    {0xC2, 0xDF, 2, 0x80, 0xBF},
    {0xE0, 0xE0, 3, 0xA0, 0xBF},
    {0xE1, 0xEC, 3, 0x80, 0xBF},
    {0xED, 0xED, 3, 0x80, 0x9F},
    {0xEE, 0xEF, 3, 0x80, 0xBF},
    {0xF0, 0xF0, 4, 0x90, 0xBF},
    {0xF1, 0xF3, 4, 0x80, 0xBF},
    {0xF4, 0xF4, 4, 0x80, 0x8F},
};

unsigned char byte_at(std::string_view text, std::size_t pos)
{
    return static_cast<unsigned char>(text[pos]);
}

} // namespace

std::size_t utf8_length(std::string_view text, std::size_t pos)
{
    unsigned char lead = byte_at(text, pos);
    if (lead < 0x80) {
        return 1;
    }
    for (const Utf8Form& form : k_utf8_forms) {
        if (lead < form.lead_low || lead > form.lead_high) {
            continue;
        }
        if (pos + form.length > text.size()) {
            return 0;
        }
        unsigned char second = byte_at(text, pos + 1);
        if (second < form.second_low || second > form.second_high) {
            return 0;
        }
        for (std::size_t i = 2; i < form.length; ++i) {
            if ((byte_at(text, pos + i) & 0xC0) != 0x80) {
                return 0;
            }
        }
        return form.length;
    }
    return 0;
}

namespace {

bool is_line_end(char c)
{
    return c == '\n' || c == '\r';
}

// The raw line starting at `start`, with each NUL byte and each byte of an
// invalid sequence shown as '?' so that it prints and the caret stays in place.
std::string printable_line(std::string_view raw, std::size_t start)
{
    std::string line;
    for (std::size_t pos = start; pos < raw.size() && !is_line_end(raw[pos]);) {
        std::size_t length = raw[pos] == '\0' ? 0 : utf8_length(raw, pos);
        if (length == 0) {
            line += '?';
            ++pos;
            continue;
        }
        line.append(raw, pos, length);
        pos += length;
    }
    return line;
}

// Whether `c` is copied as it is: ASCII other than CR and NUL.
bool is_plain_byte(char c)
{
    return c != '\r' && c != '\0' && static_cast<unsigned char>(c) < 0x80;
}

// Copies the raw bytes with normalised line ends, refusing what is not UTF-8
// text. Runs of plain ASCII are copied whole: inputs run to megabytes.
class TextPreparer
{
public:
    TextPreparer(std::string_view raw, const std::string& path) : m_raw(raw), m_path(path) {}

    std::string run()
    {
        std::size_t pos = start_of_text();
        m_text.reserve(m_raw.size());
        while (pos < m_raw.size()) {
            std::size_t end = pos;
            while (end < m_raw.size() && is_plain_byte(m_raw[end])) {
                ++end;
            }
            m_text.append(m_raw, pos, end - pos);
            if (end == m_raw.size()) {
                break;
            }
            pos = m_raw[end] == '\r' ? take_carriage_return(end) : take_character(end);
        }
        return std::move(m_text);
    }

private:
    std::size_t start_of_text() const
    {
        return m_raw.starts_with(k_byte_order_mark) ? k_byte_order_mark.size() : 0;
    }

    std::size_t take_carriage_return(std::size_t pos)
    {
        m_text += '\n';
        bool crlf = pos + 1 < m_raw.size() && m_raw[pos + 1] == '\n';
        return pos + (crlf ? 2 : 1);
    }

    std::size_t take_character(std::size_t pos)
    {
        if (m_raw[pos] == '\0') {
            fail("NUL byte in file", pos);
        }
        std::size_t length = utf8_length(m_raw, pos);
        if (length == 0) {
            fail(fmt::format("invalid UTF-8 at byte {}", pos + 1), pos);
        }
        m_text.append(m_raw, pos, length);
        return pos + length;
    }

    // Counts lines only here, on failure, to keep the copying loop lean.
    [[noreturn]] void fail(std::string message, std::size_t bad) const
    {
        int line = 1;
        std::size_t line_start = start_of_text();
        for (std::size_t pos = line_start; pos < bad; ++pos) {
            bool crlf = m_raw[pos] == '\r' && pos + 1 < m_raw.size() && m_raw[pos + 1] == '\n';
            if (is_line_end(m_raw[pos]) && !crlf) {
                ++line;
                line_start = pos + 1;
            }
        }
        int column = static_cast<int>(bad - line_start) + 1;
        SourceLocation location{m_path, line, column, printable_line(m_raw, line_start)};
        throw Error(Diagnostic{std::string(k_rule_yaml_encoding),
                               std::move(message),
                               std::move(location),
                               "definition files must be UTF-8 text"});
    }

    std::string_view m_raw;
    const std::string& m_path;
    std::string m_text;
};

} // namespace

std::string prepare_text(std::string_view raw, const std::string& path, const Limits& limits)
{
    if (raw.size() > limits.max_bytes) {
        // No line text: the first line of an oversized file can be huge.
        SourceLocation location{path, 1, 1, {}};
        throw Error(Diagnostic{std::string(k_rule_yaml_limit),
                               fmt::format("file is larger than {} bytes", limits.max_bytes),
                               std::move(location),
                               {}});
    }
    return TextPreparer(raw, path).run();
}

} // namespace envstore::yaml::detail
