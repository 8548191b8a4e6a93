#include "support/valid_fixtures.hpp"

#include "support/temp_dir.hpp"

#include "envstore/error.hpp"

#include <catch2/catch.hpp>

namespace envstore::test {

std::string valid_fixture_text(const std::string& name)
{
    return read_file(data_path("valid/" + name + ".yaml"));
}

Definition parse_valid(std::string_view text, const std::string& name)
{
    ParseResult result = parse_definition(text, "environments/" + name + "/environment.yaml", name);
    for (const Diagnostic& diagnostic : result.errors) {
        FAIL(format_diagnostic(diagnostic));
    }
    REQUIRE(result.definition);
    return *result.definition;
}

Definition load_valid_fixture(const std::string& name)
{
    return parse_valid(valid_fixture_text(name), name);
}

} // namespace envstore::test
