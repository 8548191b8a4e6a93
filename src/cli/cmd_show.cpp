#include "cli/command.hpp"

#include "envstore/curated.hpp"
#include "envstore/versions.hpp"

namespace envstore::cli {

Action define_show(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto reference = std::make_shared<std::string>();
    command
        .add_option("REF",
                    *reference,
                    "NAME, NAME@vN, NAME@latest, NAME@COMMIT or NAME@LABEL; curated/NAME@vN "
                    "for the curated catalog")
        ->required();
    return [reference, &options, &out] {
        Reference asked = parse_reference(*reference);
        StoredDefinition stored = asked.curated ? resolve_curated_reference(asked)
                                                : resolve_reference(open_workspace(options), asked);
        if (!out.json()) {
            out.raw(stored.text);
            return 0;
        }
        Json document = {{"reference", stored.reference.to_string()},
                         {"name", stored.reference.name},
                         {"path", stored.path},
                         {"commit", stored.commit.empty() ? Json(nullptr) : Json(stored.commit)},
                         {"version", nullptr},
                         {"tag", nullptr},
                         {"digest", nullptr}};
        if (stored.version) {
            document["version"] = stored.version->number;
            document["tag"] = stored.version->tag_name;
            document["digest"] = stored.version->digest;
        }
        document["content"] = stored.text;
        out.print_json(document);
        return 0;
    };
}

} // namespace envstore::cli
