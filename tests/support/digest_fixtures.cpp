#include "support/digest_fixtures.hpp"

#include "support/temp_dir.hpp"
#include "support/valid_fixtures.hpp"

#include "envstore/resolve.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace envstore::test {

std::vector<std::string> digest_fixture_names()
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(data_path("digest"))) {
        std::string file = entry.path().filename().string();
        if (file.ends_with(".yaml") && file.find('.') == file.size() - 5) {
            names.push_back(file.substr(0, file.size() - 5));
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string digest_fixture_file(const std::string& file)
{
    return read_file(data_path("digest/" + file));
}

Definition load_digest_fixture(const std::string& name)
{
    return parse_valid(digest_fixture_file(name + ".yaml"), name);
}

GoldenDigests read_golden_digests()
{
    GoldenDigests golden;
    std::istringstream lines(digest_fixture_file("digests.txt"));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line.starts_with("#")) {
            continue;
        }
        std::istringstream words(line);
        std::string id;
        std::string value;
        words >> id >> value;
        if (id == "canonical-version:") {
            golden.canonical_version = std::stoi(value);
        } else {
            golden.by_id[id] = value;
        }
    }
    return golden;
}

Definition merge_finetune_chain()
{
    Definition middle =
        merge_definitions(load_digest_fixture("py-base"), load_digest_fixture("ml-base"));
    return merge_definitions(middle, load_digest_fixture("finetune"));
}

VariantRules definition_variant_rules()
{
    return VariantRules{{"platforms",
                         "python.conda",
                         "python.pip",
                         "python.remove",
                         "docker.apt",
                         "spark.packages"},
                        {}};
}

const std::vector<std::string>& ordered_definition_lists()
{
    static const std::vector<std::string> lists = {
        "python.channels", "python.pip_options", "spark.repositories"};
    return lists;
}

} // namespace envstore::test
