#pragma once

// Random but equivalent spellings of a YAML definition, for the digest
// stability tests: the same mapping written with its keys and unordered lists
// shuffled, other quoting, flow or block style, comments, spacing, CRLF and a
// byte-order mark. Each spelling is drawn from a seed, so a failing one can be
// written again from its seed alone.

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace envstore::test {

// What the writer may change about the lists of a definition, by path:
// "platforms", "python.conda", "spark.repositories".
struct VariantRules
{
    // Lists whose order means nothing: shuffled in every spelling. Every other
    // list keeps its order.
    std::set<std::string> unordered_lists;
    // Lists written in reverse order: a change of meaning when their order is
    // a priority.
    std::set<std::string> reversed_lists;
};

class YamlVariants
{
public:
    // `text` is YAML holding one mapping; `path` names it in the error raised
    // (Error(invalid_input)) when it does not parse.
    YamlVariants(std::string_view text, const std::string& path, VariantRules rules);
    ~YamlVariants();
    YamlVariants(const YamlVariants&) = delete;
    YamlVariants& operator=(const YamlVariants&) = delete;

    // The spelling drawn from `seed`: always the same text for the same seed.
    std::string write(std::uint32_t seed) const;

private:
    struct Source;
    std::unique_ptr<Source> m_source;
    VariantRules m_rules;
};

// `text` with its line ends and byte-order mark made visible ("\r", "<BOM>"),
// to show a spelling in a test's failure message.
std::string visible(std::string_view text);

} // namespace envstore::test
