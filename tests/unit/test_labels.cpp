#include "records.hpp"
#include "support/in_process.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_fixture.hpp"

#include "envstore/error.hpp"
#include "envstore/versions.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using envstore::ErrorCode;
using envstore::LabelEvent;
using envstore::parse_reference;
using envstore::test::error_from;
using envstore::test::minimal_definition;
using envstore::test::read_file;
using envstore::test::write_file;

namespace {

// A fresh workspace made in-process that registers from its working tree.
class Store : public envstore::test::InProcessWorkspace
{
public:
    // Writes `text` as NAME's definition and registers it.
    envstore::TagResult register_text(const std::string& name, const std::string& text) const
    {
        write(name, text);
        return envstore::register_definitions(workspace(), {name}, "").at(0);
    }
};

// Registers train@v1 and train@v2.
void register_two_versions(const Store& store)
{
    store.register_text("train", minimal_definition("train"));
    store.register_text("train", minimal_definition("train", "  pip: [flask]"));
}

LabelEvent set(const Store& store, const std::string& reference, const std::string& label)
{
    return envstore::set_label(store.workspace(), parse_reference(reference), label);
}

} // namespace

TEST_CASE("set_label appends a record pointing at the version's tag", "[unit][labels]")
{
    Store store;
    register_two_versions(store);

    LabelEvent event = set(store, "train@v1", "prod");
    CHECK(event.name == "train");
    CHECK(event.label == "prod");
    CHECK(event.sequence == 1);
    CHECK(event.version == 1);
    CHECK(event.message == "Label prod -> train@v1");
    CHECK(event.tagger.name == "Test Author");
    CHECK(envstore::current_labels(store.workspace(), "train") ==
          std::map<std::string, int>{{"prod", 1}});

    CHECK(store.git({"tag", "-l", "train#*"}) == "train#prod#1");
    CHECK(store.git({"cat-file", "-p", "train#prod#1"})
              .starts_with("object " + store.git({"rev-parse", "refs/tags/train@v1"}) +
                           "\ntype tag\ntag train#prod#1\n"));
    CHECK(store.git({"tag", "-l", "--format=%(contents)", "train#prod#1"}) ==
          "Label prod -> train@v1\n\n"
          "Envstore-Environment: train\n"
          "Envstore-Label: prod\n"
          "Envstore-Action: set\n"
          "Envstore-Version: 1\n"
          "Envstore-Sequence: 1\n");

    SECTION("moving a label appends, never rewrites")
    {
        std::string first = store.git({"rev-parse", "refs/tags/train#prod#1"});
        LabelEvent moved = set(store, "train@latest", "prod");
        CHECK(moved.sequence == 2);
        CHECK(moved.version == 2);
        CHECK(store.git({"rev-parse", "refs/tags/train#prod#1"}) == first);
        CHECK(envstore::current_labels(store.workspace(), "train") ==
              std::map<std::string, int>{{"prod", 2}});
    }
    SECTION("a label can be set from another label")
    {
        LabelEvent staging = set(store, "train@prod", "staging");
        CHECK(staging.version == 1);
        CHECK(staging.sequence == 1);
        CHECK(envstore::current_labels(store.workspace(), "train") ==
              std::map<std::string, int>{{"prod", 1}, {"staging", 1}});
    }
    CHECK(store.git({"fsck", "--strict", "--no-dangling"}).empty());
}

TEST_CASE("delete_label records a deletion", "[unit][labels]")
{
    Store store;
    register_two_versions(store);
    set(store, "train@v1", "prod");
    set(store, "train@v2", "prod");
    set(store, "train@v2", "staging");

    LabelEvent deleted = envstore::delete_label(store.workspace(), "train", "prod");
    CHECK(deleted.sequence == 3);
    CHECK_FALSE(deleted.version);
    CHECK(deleted.message == "Delete label prod (was train@v2)");
    CHECK(envstore::current_labels(store.workspace(), "train") ==
          std::map<std::string, int>{{"staging", 2}});
    CHECK(store.git({"tag", "-l", "train#*"}) == "train#prod#1\ntrain#prod#2\ntrain#prod#3\n"
                                                 "train#staging#1");
    CHECK(store.git({"tag", "-l", "--format=%(contents)", "train#prod#3"}) ==
          "Delete label prod (was train@v2)\n\n"
          "Envstore-Environment: train\n"
          "Envstore-Label: prod\n"
          "Envstore-Action: delete\n"
          "Envstore-Sequence: 3\n");

    SECTION("a deleted label is gone for references too")
    {
        auto error = error_from(
            [&] { envstore::resolve_reference(store.workspace(), parse_reference("train@prod")); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->hint() == "\"train\" has versions v1 to v2 and labels staging (v2)");
    }
    SECTION("deleting it again is not found")
    {
        auto error =
            error_from([&] { envstore::delete_label(store.workspace(), "train", "prod"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "\"train\" has no label \"prod\"");
    }
    SECTION("setting it again continues the sequence")
    {
        CHECK(set(store, "train@v1", "prod").sequence == 4);
        CHECK(envstore::current_labels(store.workspace(), "train").at("prod") == 1);
    }
}

TEST_CASE("label_history lists every assignment, oldest first", "[unit][labels]")
{
    Store store;
    register_two_versions(store);
    set(store, "train@v1", "prod");
    set(store, "train@v2", "prod");
    envstore::delete_label(store.workspace(), "train", "prod");

    // A record written by another envstore long ago, found among today's ones.
    std::string message = envstore::format_record_message("Label zeta -> train@v1",
                                                          {{"Environment", "train"},
                                                           {"Label", "zeta"},
                                                           {"Action", "set"},
                                                           {"Version", "1"},
                                                           {"Sequence", "1"}});
    envstore::test::RunOptions dated;
    dated.env = {{"GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z"}};
    dated.input = message;
    store.git({"tag", "-a", "--cleanup=verbatim", "-F", "-", "train#zeta#1", "train@v1"}, dated);

    std::vector<LabelEvent> history = envstore::label_history(store.workspace(), "train");
    REQUIRE(history.size() == 4);
    CHECK(history[0].label == "zeta");
    CHECK(history[0].tagger.time == 1577836800);
    CHECK(history[0].version == 1);
    std::vector<std::pair<int, std::optional<int>>> prod;
    for (const auto& event : history) {
        if (event.label == "prod") {
            prod.emplace_back(event.sequence, event.version);
        }
    }
    CHECK(prod ==
          std::vector<std::pair<int, std::optional<int>>>{{1, 1}, {2, 2}, {3, std::nullopt}});
    CHECK(std::is_sorted(history.begin(), history.end(), [](const auto& a, const auto& b) {
        return a.tagger.time < b.tagger.time;
    }));
    CHECK(envstore::current_labels(store.workspace(), "train") ==
          std::map<std::string, int>{{"zeta", 1}});

    SECTION("archive records are not labels")
    {
        envstore::archive_environment(store.workspace(), "train");
        CHECK(envstore::label_history(store.workspace(), "train").size() == 4);
        CHECK(envstore::current_labels(store.workspace(), "train").size() == 1);
    }
    SECTION("another environment's records are not mixed in")
    {
        store.register_text("train-gpu", minimal_definition("train-gpu"));
        set(store, "train-gpu@v1", "prod");
        CHECK(envstore::label_history(store.workspace(), "train").size() == 4);
        CHECK(envstore::label_history(store.workspace(), "train-gpu").size() == 1);
    }
}

TEST_CASE("bad labels and targets are refused and nothing is written", "[unit][labels]")
{
    Store store;
    register_two_versions(store);
    auto refusal = [&](const std::string& reference, const std::string& label) {
        auto error = error_from([&] { set(store, reference, label); });
        return error ? fmt::format("{}: {}", envstore::name_of(error->code()), error->message())
                     : "accepted";
    };

    CHECK(refusal("train@v1", "latest") ==
          "invalid_input: invalid label \"latest\": \"latest\" always means the newest version");
    CHECK(refusal("train@v1", "v2") ==
          "invalid_input: invalid label \"v2\": \"v2\" reads as a version number");
    CHECK(refusal("train@v1", "abcdef1") ==
          "invalid_input: invalid label \"abcdef1\": \"abcdef1\" reads as a commit id");
    CHECK(refusal("train@v1", "archive") ==
          "invalid_input: invalid label \"archive\": \"archive\" is reserved");
    CHECK(refusal("train@v1", "Prod") ==
          "invalid_input: invalid label \"Prod\": \"P\" is not allowed (use lowercase letters, "
          "digits, \".\", \"_\" and \"-\")");
    CHECK(refusal("train@v9", "prod") == "not_found: unknown reference \"train@v9\"");
    CHECK(refusal("train@staging", "prod") == "not_found: unknown reference \"train@staging\"");

    SECTION("a label points at a version, not the working tree or a commit")
    {
        for (std::string reference :
             {std::string("train"), "train@" + store.git({"rev-parse", "HEAD"})}) {
            auto error = error_from([&] { set(store, reference, "prod"); });
            REQUIRE(error);
            CHECK(error->code() == ErrorCode::invalid_input);
            CHECK(error->message() ==
                  fmt::format("a label points at a version, and \"{}\" is not one", reference));
            CHECK(error->hint() == "name a version: train@vN, train@latest or train@LABEL");
        }
    }
    SECTION("delete_label checks the label name too")
    {
        auto error = error_from([&] { envstore::delete_label(store.workspace(), "train", "v1"); });
        REQUIRE(error);
        CHECK(error->message() == "invalid label \"v1\": \"v1\" reads as a version number");
    }
    CHECK(store.git({"tag", "-l", "train#*"}).empty());
}

TEST_CASE("archive and restore append records, and the state is the newest one", "[unit][labels]")
{
    Store store;
    register_two_versions(store);
    auto state = [&](const std::string& name) {
        auto found = envstore::archive_state(store.workspace(), name);
        return std::make_pair(found.archived, found.renamed_to);
    };
    CHECK(state("train") == std::make_pair(false, std::string()));

    envstore::archive_environment(store.workspace(), "train");
    CHECK(state("train") == std::make_pair(true, std::string()));
    CHECK(store.git({"tag", "-l", "--format=%(contents)", "train#archive#1"}) ==
          "Archive train\n\n"
          "Envstore-Environment: train\n"
          "Envstore-Action: archive\n"
          "Envstore-Sequence: 1\n");
    // The record points at the latest version's tag.
    CHECK(store.git({"rev-parse", "train#archive#1^{}"}) ==
          store.git({"rev-parse", "train@v2^{commit}"}));
    CHECK(store.git({"cat-file", "-p", "train#archive#1"})
              .starts_with("object " + store.git({"rev-parse", "refs/tags/train@v2"})));

    auto listed = [&](envstore::IncludeArchived include) {
        std::vector<std::string> names;
        for (const auto& summary : envstore::list_environments(store.workspace(), include)) {
            names.push_back(summary.name + (summary.archived ? " (archived)" : ""));
        }
        return names;
    };
    CHECK(listed(envstore::IncludeArchived::no).empty());
    CHECK(listed(envstore::IncludeArchived::yes) == std::vector<std::string>{"train (archived)"});

    auto error = error_from([&] { envstore::archive_environment(store.workspace(), "train"); });
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::invalid_input);
    CHECK(error->message() == "\"train\" is already archived");

    envstore::restore_environment(store.workspace(), "train");
    CHECK(state("train") == std::make_pair(false, std::string()));
    CHECK(store.git({"tag", "-l", "train#archive#*"}) == "train#archive#1\ntrain#archive#2");
    CHECK(store.git({"tag", "-l", "--format=%(contents:subject)", "train#archive#2"}) ==
          "Restore train");
    CHECK(listed(envstore::IncludeArchived::no) == std::vector<std::string>{"train"});

    error = error_from([&] { envstore::restore_environment(store.workspace(), "train"); });
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::invalid_input);
    CHECK(error->message() == "\"train\" is not archived");
    CHECK(store.git({"fsck", "--strict", "--no-dangling"}).empty());
}

TEST_CASE("archive of environments without versions and of unknown ones", "[unit][labels]")
{
    Store store;
    SECTION("only in the working tree: the record points at HEAD")
    {
        store.write("draft", minimal_definition("draft"));
        envstore::archive_environment(store.workspace(), "draft");
        CHECK(envstore::archive_state(store.workspace(), "draft").archived);
        CHECK(store.git({"rev-parse", "draft#archive#1^{}"}) == store.git({"rev-parse", "HEAD"}));
    }
    SECTION("unknown environments are not found")
    {
        for (auto action : {envstore::archive_environment, envstore::restore_environment}) {
            auto error = error_from([&] { action(store.workspace(), "ghost"); });
            REQUIRE(error);
            CHECK(error->code() == ErrorCode::not_found);
            CHECK(error->message() == "no environment \"ghost\"");
        }
        CHECK(store.git({"tag", "-l"}).empty());
    }
}

namespace {

constexpr const char* k_commented_definition =
    "# Training environment: keep the pins in sync with the cluster.\n"
    "name: \"train\"   # never change by hand\n"
    "description: 'GPU training'\n"
    "runtime: python\n"
    "platforms: [linux-64]\n"
    "python:\n"
    "  version: \"3.11\"\n"
    "  channels: [conda-forge]\n"
    "  conda: [\"numpy>=1.26\"]   # pinned\n";

std::string replace_all(std::string text, const std::string& from, const std::string& to)
{
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

} // namespace

TEST_CASE("rename_environment moves the folder and keeps every other byte", "[unit][labels]")
{
    Store store;
    std::string before;
    std::string after;
    SECTION("a double-quoted name with comments around it")
    {
        before = k_commented_definition;
        after = replace_all(before, "name: \"train\"", "name: \"serve\"");
    }
    SECTION("a single-quoted name")
    {
        before = replace_all(k_commented_definition, "\"train\"", "'train'");
        after = replace_all(before, "name: 'train'", "name: 'serve'");
    }
    SECTION("a plain name on a later line, with CRLF line ends")
    {
        before = replace_all(minimal_definition("train"), "\n", " # x\r\n");
        before = replace_all(before, "name: train # x\r\n", "");
        before += "name: train # the name\r\n";
        after = replace_all(before, "name: train #", "name: serve #");
    }
    SECTION("a byte order mark and a flow mapping")
    {
        before = "\xEF\xBB\xBF{name: train, python: {version: \"3.11\", conda: [numpy]}}\n";
        after = "\xEF\xBB\xBF{name: serve, python: {version: \"3.11\", conda: [numpy]}}\n";
    }
    REQUIRE(before != after);
    store.register_text("train", before);
    write_file(store.root() / "environments/train/conf/app.ini", "x=1\n");
    store.register_text("train", before);
    std::string head = store.git({"rev-parse", "HEAD"});

    envstore::TagResult result = envstore::rename_environment(store.workspace(), "train", "serve");
    CHECK(result.name == "serve");
    CHECK(result.created);
    CHECK(result.version == 1);
    CHECK(result.tag_name == "serve@v1");

    CHECK_FALSE(fs::exists(store.root() / "environments/train"));
    CHECK(read_file(store.root() / "environments/serve/environment.yaml") == after);
    CHECK(read_file(store.root() / "environments/serve/conf/app.ini") == "x=1\n");
    CHECK(store.git({"status", "--porcelain"}).empty());
    CHECK(store.git({"rev-parse", "HEAD~1"}) == head);
    CHECK(store.git({"log", "-1", "--format=%s"}) == "Rename train to serve");
    CHECK(store.git({"ls-tree", "-r", "--name-only", "HEAD", "environments"}) ==
          "environments/serve/conf/app.ini\nenvironments/serve/environment.yaml");
    CHECK(store.git({"show", "serve@v1:environments/serve/environment.yaml"}) + "\n" ==
          replace_all(after, "\r\n", "\n"));

    envstore::VersionInfo renamed = envstore::lookup_version(store.workspace(), "serve", 1);
    CHECK(renamed.origin == "train@v2");
    CHECK(renamed.message == "Rename train to serve");
    CHECK(envstore::latest_version(store.workspace(), "train") == 2);
    auto archived = envstore::archive_state(store.workspace(), "train");
    CHECK(archived.archived);
    CHECK(archived.renamed_to == "serve");
    CHECK(store.git({"tag", "-l", "--format=%(contents:subject)", "train#archive#1"}) ==
          "Archive train: renamed to serve");
    CHECK(store.git({"fsck", "--strict", "--no-dangling"}).empty());
}

TEST_CASE("rename_environment of an environment without versions leaves nothing of it",
          "[unit][labels]")
{
    Store store;
    store.write("train", minimal_definition("train"));

    envstore::TagResult result = envstore::rename_environment(store.workspace(), "train", "serve");
    CHECK(result.created);
    CHECK(result.tag_name == "serve@v1");
    // Without a version to point at, the origin is the old name alone.
    CHECK(envstore::lookup_version(store.workspace(), "serve", 1).origin == "train");
    CHECK_FALSE(envstore::archive_state(store.workspace(), "train").archived);
    CHECK(store.git({"tag", "-l"}) == "serve@v1");
    CHECK(read_file(store.root() / "environments/serve/environment.yaml") ==
          replace_all(minimal_definition("train"), "name: train", "name: serve"));
    CHECK(store.git({"status", "--porcelain"}).empty());
}

TEST_CASE("rename_environment refuses and writes nothing", "[unit][labels]")
{
    Store store;
    store.register_text("train", minimal_definition("train"));
    std::string head = store.git({"rev-parse", "HEAD"});
    std::string tags = store.git({"tag", "-l"});
    auto refusal = [&](const std::string& old_name, const std::string& new_name) {
        auto error = error_from(
            [&] { envstore::rename_environment(store.workspace(), old_name, new_name); });
        return error ? fmt::format("{}: {}", envstore::name_of(error->code()), error->message())
                     : "accepted";
    };

    SECTION("the new name is taken in the working tree")
    {
        store.write("serve", minimal_definition("serve"));
        CHECK(refusal("train", "serve") == "invalid_input: environment \"serve\" already exists");
    }
    SECTION("the new name has versions")
    {
        store.register_text("serve", minimal_definition("serve"));
        fs::remove_all(store.root() / "environments/serve");
        head = store.git({"rev-parse", "HEAD"});
        tags = store.git({"tag", "-l"});
        CHECK(refusal("train", "serve") == "invalid_input: environment \"serve\" already exists");
    }
    SECTION("the new name is invalid")
    {
        CHECK(refusal("train", "Serve") ==
              "invalid_input: invalid environment name \"Serve\": \"S\" is not allowed (use "
              "lowercase letters, digits, \".\", \"_\" and \"-\")");
    }
    SECTION("the old environment is archived")
    {
        envstore::archive_environment(store.workspace(), "train");
        tags = store.git({"tag", "-l"});
        auto error =
            error_from([&] { envstore::rename_environment(store.workspace(), "train", "serve"); });
        REQUIRE(error);
        CHECK(error->message() == "\"train\" is archived");
        CHECK(error->hint() == "run envstore restore train first");
    }
    SECTION("the old environment is not in the working tree")
    {
        CHECK(refusal("ghost", "serve") == "not_found: no environment \"ghost\" in the working "
                                           "tree (no environments/ghost/environment.yaml)");
    }
    CHECK(store.git({"rev-parse", "HEAD"}) == head);
    CHECK(store.git({"tag", "-l"}) == tags);
    CHECK(read_file(store.root() / "environments/train/environment.yaml") ==
          minimal_definition("train"));
}
