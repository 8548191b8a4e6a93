#include "cli/command.hpp"

#include "envstore/versions.hpp"

namespace envstore::cli {

Action define_show(CLI::App& command, const GlobalOptions& options, Output& out)
{
    auto reference = std::make_shared<std::string>();
    command.add_option("REF", *reference, "NAME, NAME@vN, NAME@latest, NAME@COMMIT or NAME@LABEL")
        ->required();
    return [reference, &options, &out] {
        Workspace workspace = open_workspace(options);
        StoredDefinition stored = resolve_reference(workspace, parse_reference(*reference));
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
