#include "commit_builder.hpp"
#include "fault_points.hpp"
#include "records.hpp"
#include "support/in_process.hpp"
#include "support/lock_owner.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_fixture.hpp"
#include "workspace_impl.hpp"
#include "write_lock.hpp"

#include "envstore/canonical.hpp"
#include "envstore/error.hpp"
#include "envstore/versions.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <bit>
#include <chrono>
#include <csignal>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using envstore::Error;
using envstore::ErrorCode;
using envstore::FolderFiles;
using envstore::Reference;
using envstore::ReferenceKind;
using envstore::TagResult;
using envstore::Workspace;
using envstore::test::dead_pid;
using envstore::test::error_from;
using envstore::test::host_name;
using envstore::test::minimal_definition;

namespace {

// A fresh workspace made in-process that registers snapshots from memory.
class Store : public envstore::test::InProcessWorkspace
{
public:
    git_repository* repo() const { return workspace().impl().repo(); }

    TagResult register_files(const std::string& name, const FolderFiles& files) const
    {
        return envstore::register_snapshots(workspace(), {{name, files}}, "").at(0);
    }
    TagResult register_text(const std::string& name, const std::string& text) const
    {
        return register_files(name, {{"environment.yaml", text}});
    }
};

std::string with_package(const std::string& name, const std::string& package)
{
    return minimal_definition(name, fmt::format("  pip: [\"{}\"]", package));
}

} // namespace

TEST_CASE("highest_dense_number finds the last of 1..N in O(log N) probes", "[unit][versions]")
{
    Store store;
    std::string head = store.git({"rev-parse", "HEAD"});
    auto make_ref = [](int n) { return fmt::format("refs/test/{}", n); };

    for (int count : {0, 1, 2, 3, 5, 8, 1000}) {
        INFO("refs 1.." << count);
        std::string commands;
        for (int n = 1; n <= count; ++n) {
            commands += fmt::format("create {} {}\n", make_ref(n), head);
        }
        store.git({"update-ref", "--stdin"}, commands);

        int probes = 0;
        int found = envstore::highest_dense_number(store.repo(), [&](int n) {
            ++probes;
            return make_ref(n);
        });
        CHECK(found == count);
        int bits = std::bit_width(static_cast<unsigned>(count));
        CHECK(probes <= 2 * bits + 2);

        store.git({"pack-refs", "--all"});
        CHECK(envstore::highest_dense_number(store.repo(), make_ref) == count);
        std::string refs = store.git({"for-each-ref", "--format=delete %(refname)", "refs/test/"});
        store.git({"update-ref", "--stdin"}, refs.empty() ? "" : refs + "\n");
    }
}

TEST_CASE("highest_dense_number assumes dense numbering", "[unit][versions]")
{
    Store store;
    std::string head = store.git({"rev-parse", "HEAD"});
    auto make_ref = [](int n) { return fmt::format("refs/test/{}", n); };
    for (int n : {1, 2, 3, 5}) {
        store.git({"update-ref", make_ref(n), head});
    }
    // A gap hides what lies beyond it; envstore never leaves one.
    CHECK(envstore::highest_dense_number(store.repo(), make_ref) == 3);
}

TEST_CASE("record messages end in Envstore trailers that git can read", "[unit][versions]")
{
    envstore::Trailers trailers{{"Environment", "train"},
                                {"Version", "3"},
                                {"File", "requirements/base.txt 0123456789abcdef"}};

    std::string message =
        envstore::format_record_message("Pin numpy\n\nFor the GPU nodes.\n ", trailers);
    CHECK(message == "Pin numpy\n\nFor the GPU nodes.\n\n"
                     "Envstore-Environment: train\n"
                     "Envstore-Version: 3\n"
                     "Envstore-File: requirements/base.txt 0123456789abcdef\n");

    auto [text, parsed] = envstore::parse_record_message(message);
    CHECK(text == "Pin numpy\n\nFor the GPU nodes.");
    CHECK(parsed == trailers);

    Store store;
    CHECK(store.git({"interpret-trailers", "--parse"}, message) ==
          "Envstore-Environment: train\n"
          "Envstore-Version: 3\n"
          "Envstore-File: requirements/base.txt 0123456789abcdef");

    SECTION("only a last paragraph made wholly of Envstore-KEY: VALUE lines is trailers")
    {
        auto [body, found] = envstore::parse_record_message(
            "Summary\n\nEnvstore-Version: 9\nSigned-off-by: A <a@example.org>\n\n"
            "Envstore-Action: set\nEnvstore-Action: delete\n");
        CHECK(body == "Summary\n\nEnvstore-Version: 9\nSigned-off-by: A <a@example.org>");
        CHECK(found == envstore::Trailers{{"Action", "set"}, {"Action", "delete"}});
        CHECK(envstore::trailer_value(found, "Action") == "set");
        CHECK(envstore::trailer_value(found, "Version").empty());
    }
    SECTION("a last paragraph with any other line holds no trailers")
    {
        auto [body, found] =
            envstore::parse_record_message("Summary\n\nEnvstore-Broken\nEnvstore-Action: set\n");
        CHECK(body == "Summary\n\nEnvstore-Broken\nEnvstore-Action: set");
        CHECK(found.empty());
    }
    SECTION("a message without trailers is all text")
    {
        auto [body, found] = envstore::parse_record_message("made by hand\n");
        CHECK(body == "made by hand");
        CHECK(found.empty());
    }
}

TEST_CASE("create_tag_if_absent never moves an existing tag", "[unit][versions]")
{
    Store store;
    envstore::git::Signature tagger = envstore::git::default_signature(store.repo());
    git_object* raw = nullptr;
    git_oid head = envstore::git::from_hex(store.git({"rev-parse", "HEAD"}));
    REQUIRE(git_object_lookup(&raw, store.repo(), &head, GIT_OBJECT_COMMIT) == 0);
    envstore::git::Object target(raw);

    CHECK(envstore::create_tag_if_absent(
        store.repo(), "train#prod#1", target.get(), tagger.get(), "first\n"));
    std::string first = store.git({"rev-parse", "refs/tags/train#prod#1"});
    CHECK(store.git({"cat-file", "-t", first}) == "tag");

    CHECK_FALSE(envstore::create_tag_if_absent(
        store.repo(), "train#prod#1", target.get(), tagger.get(), "second\n"));
    CHECK(store.git({"rev-parse", "refs/tags/train#prod#1"}) == first);
    CHECK(store.git({"tag", "-l", "--format=%(contents)", "train#prod#1"}) == "first\n");
    CHECK(store.git({"fsck", "--strict", "--no-dangling"}).empty());
}

TEST_CASE("latest_version and lookup_version read what register wrote", "[unit][versions]")
{
    Store store;
    CHECK_FALSE(envstore::latest_version(store.workspace(), "train"));

    std::string text = minimal_definition("train");
    TagResult first = store.register_text("train", text);
    store.register_text("train", with_package("train", "requests==2.31.0"));
    CHECK(envstore::latest_version(store.workspace(), "train") == 2);
    CHECK_FALSE(envstore::latest_version(store.workspace(), "serve"));

    envstore::VersionInfo info = envstore::lookup_version(store.workspace(), "train", 1);
    CHECK(info.name == "train");
    CHECK(info.number == 1);
    CHECK(info.tag_name == "train@v1");
    CHECK(info.tag_id == store.git({"rev-parse", "refs/tags/train@v1"}));
    CHECK(info.commit == store.git({"rev-parse", "train@v1^{commit}"}));
    CHECK(info.commit == first.commit);
    CHECK(info.message == "train v1");
    CHECK(info.canonical_version == envstore::k_canonical_version);
    CHECK(info.digest == envstore::definition_digest(envstore::load_definition(text, "x")));
    CHECK(info.digest == first.digest);
    CHECK(info.files ==
          std::map<std::string, std::string>{
              {"environment.yaml",
               store.git({"rev-parse", "train@v1:environments/train/environment.yaml"})}});
    CHECK(info.origin.empty());
    CHECK(info.tagger.name == "Test Author");
    CHECK(info.tagger.email == "author@example.org");
    CHECK(info.tagger.time > 0);

    auto error = error_from([&] { envstore::lookup_version(store.workspace(), "train", 3); });
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::not_found);
    CHECK(error->message() == "no version \"train@v3\"");
}

TEST_CASE("list_versions lists newest first", "[unit][versions]")
{
    Store store;
    CHECK(envstore::list_versions(store.workspace(), "train").empty());
    for (const char* package : {"a==1", "a==2", "a==3"}) {
        store.register_text("train", with_package("train", package));
    }
    std::vector<int> numbers;
    for (const auto& version : envstore::list_versions(store.workspace(), "train")) {
        numbers.push_back(version.number);
    }
    CHECK(numbers == std::vector<int>{3, 2, 1});
}

namespace {

// Replaces version tag `tag` by an annotated tag on `target` with `message`,
// as someone with plain git could.
void retag(const Store& store,
           const std::string& tag,
           const std::string& target,
           const std::string& message)
{
    store.git({"tag", "-f", "-a", "--cleanup=verbatim", "-F", "-", tag, target}, message);
}

// The message of `tampered` that lookup_version reports for v1 of train.
std::string tamper_reason(const Store& store)
{
    auto error = error_from([&] { envstore::lookup_version(store.workspace(), "train", 1); });
    if (!error) {
        return "not detected";
    }
    CHECK(error->code() == ErrorCode::repository);
    std::string prefix = "version \"train@v1\" was changed outside envstore (tampered): ";
    if (!error->message().starts_with(prefix)) {
        return error->message();
    }
    return error->message().substr(prefix.size());
}

} // namespace

TEST_CASE("lookup_version detects versions changed outside envstore", "[unit][versions]")
{
    Store store;
    store.register_text("train", minimal_definition("train"));
    store.register_files(
        "train", {{"environment.yaml", minimal_definition("train")}, {"notes.txt", "two files\n"}});
    envstore::VersionInfo v1 = envstore::lookup_version(store.workspace(), "train", 1);
    std::string blob = v1.files.at("environment.yaml");
    auto record =
        [&](const std::string& version, const std::string& digest, const std::string& files) {
        return fmt::format("train v1\n\nEnvstore-Environment: train\nEnvstore-Version: {}\n"
                           "Envstore-Canonical: 1\nEnvstore-Digest: {}\n{}",
                           version,
                           digest,
                           files);
    };
    std::string file_line = "Envstore-File: environment.yaml " + blob + "\n";

    SECTION("the untouched version is accepted")
    {
        retag(store, "train@v1", v1.commit, record("1", v1.digest, file_line));
        CHECK(tamper_reason(store) == "not detected");
    }
    SECTION("a lightweight tag")
    {
        store.git({"tag", "-f", "train@v1", v1.commit});
        CHECK(tamper_reason(store) == "it is not an annotated tag");
    }
    SECTION("a tag object of another name")
    {
        store.git({"tag", "-a", "-m", "x", "other", v1.commit});
        store.git(
            {"update-ref", "refs/tags/train@v1", store.git({"rev-parse", "refs/tags/other"})});
        CHECK(tamper_reason(store) == "its tag object is named \"other\"");
    }
    SECTION("a message without a record")
    {
        retag(store, "train@v1", v1.commit, "made by hand\n");
        CHECK(tamper_reason(store) == "its message holds no envstore record");
    }
    SECTION("a record of another version")
    {
        retag(store, "train@v1", v1.commit, record("2", v1.digest, file_line));
        CHECK(tamper_reason(store) == "its record names another environment or version");
    }
    SECTION("a record without the definition file")
    {
        retag(store, "train@v1", v1.commit, record("1", v1.digest, ""));
        CHECK(tamper_reason(store) == "its record lists no definition file");
    }
    SECTION("a tag on a tree")
    {
        retag(store, "train@v1", v1.commit + "^{tree}", record("1", v1.digest, file_line));
        CHECK(tamper_reason(store) == "it does not point at a commit");
    }
    SECTION("a commit whose definition differs from the record")
    {
        store.write("train", with_package("train", "b==1"));
        envstore::commit_definitions(store.workspace(), {"train"}, "edit");
        std::string other = store.git({"rev-parse", "HEAD:environments/train/environment.yaml"});
        retag(store, "train@v1", "HEAD", record("1", v1.digest, file_line));
        CHECK(tamper_reason(store) == fmt::format("file \"environment.yaml\" is {} in its commit, "
                                                  "recorded as {}",
                                                  other,
                                                  blob));
    }
    SECTION("a recorded file missing from the commit")
    {
        std::string notes = "Envstore-File: notes.txt " + std::string(40, '1') + "\n";
        retag(store, "train@v1", v1.commit, record("1", v1.digest, file_line + notes));
        CHECK(tamper_reason(store) == "file \"notes.txt\" is missing from its commit");
    }
    SECTION("a file of the commit that was not recorded")
    {
        retag(store, "train@v1", "train@v2^{commit}", record("1", v1.digest, file_line));
        CHECK(tamper_reason(store) == "file \"notes.txt\" in its commit was not recorded");
    }
    SECTION("a digest that does not match the definition")
    {
        std::string wrong = "sha256:" + std::string(64, '0');
        retag(store, "train@v1", v1.commit, record("1", wrong, file_line));
        CHECK(tamper_reason(store) ==
              fmt::format("its definition's digest is {}, recorded as {}", v1.digest, wrong));
        CHECK(error_from([&] { envstore::list_versions(store.workspace(), "train"); }));
    }
    SECTION("a digest of another canonical version cannot be checked, so it is accepted")
    {
        std::string message = record("1", "sha256:" + std::string(64, '0'), file_line);
        message.replace(message.find("Canonical: 1"), 12, "Canonical: 99");
        retag(store, "train@v1", v1.commit, message);
        CHECK(tamper_reason(store) == "not detected");
    }
    SECTION("the error says what to do")
    {
        retag(store, "train@v1", v1.commit, "made by hand\n");
        auto error = error_from([&] { envstore::lookup_version(store.workspace(), "train", 1); });
        REQUIRE(error);
        CHECK(error->hint() == "envstore never moves or rewrites a version tag; fetch the original "
                               "from a clone that has it, or ask who changed it");
    }
}

TEST_CASE("register_snapshots makes one commit and one version per snapshot", "[unit][versions]")
{
    Store store;
    std::vector<envstore::Snapshot> snapshots{
        {"train", {{"environment.yaml", minimal_definition("train")}}},
        {"serve", {{"environment.yaml", minimal_definition("serve")}, {"conf/app.ini", "x=1\n"}}}};

    auto results = envstore::register_snapshots(store.workspace(), snapshots, "Add two");
    REQUIRE(results.size() == 2);
    CHECK(results[0].name == "train");
    CHECK(results[1].name == "serve");
    for (const auto& result : results) {
        CHECK(result.created);
        CHECK(result.version == 1);
        CHECK(result.tag_name == result.name + "@v1");
        CHECK(result.commit == store.git({"rev-parse", "HEAD"}));
    }
    CHECK(store.git({"rev-list", "--count", "HEAD"}) == "2");
    CHECK(store.git({"log", "-1", "--format=%s"}) == "Add two");
    CHECK(store.git({"tag", "-l"}) == "serve@v1\ntrain@v1");
    CHECK(store.git({"show", "serve@v1:environments/serve/conf/app.ini"}) == "x=1");
    CHECK(store.git({"tag", "-l", "--format=%(contents:subject)", "train@v1"}) == "Add two");
    CHECK(store.git({"fsck", "--strict", "--no-dangling"}).empty());
    // The index follows the commit; the working tree is left alone.
    CHECK(store.git({"diff", "--cached", "--name-only"}).empty());
    CHECK_FALSE(fs::exists(store.root() / "environments/train"));

    SECTION("an unchanged snapshot makes no commit and no version")
    {
        std::string head = store.git({"rev-parse", "HEAD"});
        auto again = envstore::register_snapshots(store.workspace(), {snapshots[0]}, "");
        REQUIRE(again.size() == 1);
        CHECK_FALSE(again[0].created);
        CHECK(again[0].version == 1);
        CHECK(again[0].tag_name == "train@v1");
        CHECK(store.git({"rev-parse", "HEAD"}) == head);
        CHECK(store.git({"tag", "-l"}) == "serve@v1\ntrain@v1");
    }
    SECTION("a change only in comments is committed but makes no version")
    {
        std::string text = "# a comment\n" + minimal_definition("train");
        auto again = store.register_text("train", text);
        CHECK_FALSE(again.created);
        CHECK(again.version == 1);
        CHECK(store.git({"rev-list", "--count", "HEAD"}) == "3");
        CHECK(store.git({"tag", "-l", "train@*"}) == "train@v1");
    }
    SECTION("a real change makes the next version")
    {
        auto again = store.register_text("train", with_package("train", "flask"));
        CHECK(again.created);
        CHECK(again.version == 2);
        CHECK(store.git({"tag", "-l", "train@*"}) == "train@v1\ntrain@v2");
    }
    SECTION("an invalid snapshot writes nothing")
    {
        std::string head = store.git({"rev-parse", "HEAD"});
        auto missing = error_from([&] {
            envstore::register_snapshots(store.workspace(), {{"api", {{"README", "x"}}}}, "");
        });
        REQUIRE(missing);
        CHECK(missing->code() == ErrorCode::invalid_input);
        CHECK(missing->message() == "snapshot of \"api\" has no environment.yaml");

        auto invalid = error_from([&] { store.register_text("api", "name: other\n"); });
        REQUIRE(invalid);
        CHECK(invalid->code() == ErrorCode::invalid_input);
        CHECK(store.git({"rev-parse", "HEAD"}) == head);
        CHECK(store.git({"tag", "-l", "api*"}).empty());
    }
}

TEST_CASE("status compares each working tree definition with its latest version",
          "[unit][versions]")
{
    Store store;
    CHECK(envstore::status(store.workspace()).empty());
    store.write("train", minimal_definition("train"));
    envstore::register_definitions(store.workspace(), {"train"}, "");
    store.write("serve", minimal_definition("serve"));
    store.write("broken", "name: broken\nunknown: 1\n");

    auto state_of = [&](const std::string& name) {
        for (const auto& entry : envstore::status(store.workspace())) {
            if (entry.name == name) {
                return entry;
            }
        }
        FAIL("no status for " << name);
        return envstore::StatusEntry{};
    };

    std::vector<std::string> names;
    for (const auto& entry : envstore::status(store.workspace())) {
        names.push_back(entry.name);
    }
    CHECK(names == std::vector<std::string>{"broken", "serve", "train"});

    auto train = state_of("train");
    CHECK(train.state == envstore::DefinitionState::unchanged);
    CHECK(train.latest == 1);
    CHECK_FALSE(train.uncommitted);
    CHECK(train.valid);
    CHECK(train.errors.empty());

    auto serve = state_of("serve");
    CHECK(serve.state == envstore::DefinitionState::unversioned);
    CHECK_FALSE(serve.latest);
    CHECK(serve.uncommitted);
    CHECK(serve.valid);

    auto broken = state_of("broken");
    CHECK(broken.state == envstore::DefinitionState::unversioned);
    CHECK_FALSE(broken.valid);
    REQUIRE(broken.errors.size() == 1);
    CHECK(broken.errors[0].rule == "unknown-field");

    SECTION("comments only: unchanged but uncommitted")
    {
        store.write("train", "# note\n" + minimal_definition("train"));
        auto entry = state_of("train");
        CHECK(entry.state == envstore::DefinitionState::unchanged);
        CHECK(entry.uncommitted);
    }
    SECTION("CRLF line ends are stored LF, so they are neither a change nor uncommitted")
    {
        std::string text = minimal_definition("train");
        std::string crlf;
        for (char c : text) {
            crlf += c == '\n' ? "\r\n" : std::string(1, c);
        }
        store.write("train", crlf);
        auto entry = state_of("train");
        CHECK(entry.state == envstore::DefinitionState::unchanged);
        CHECK_FALSE(entry.uncommitted);
        CHECK(store.git({"status", "--porcelain", "environments/train"}).empty());
    }
    SECTION("a package change")
    {
        store.write("train", with_package("train", "flask"));
        auto entry = state_of("train");
        CHECK(entry.state == envstore::DefinitionState::changed);
        CHECK(entry.latest == 1);
        CHECK(entry.uncommitted);
    }
    SECTION("committed but not versioned")
    {
        store.write("train", with_package("train", "flask"));
        envstore::commit_definitions(store.workspace(), {"train"}, "");
        auto entry = state_of("train");
        CHECK(entry.state == envstore::DefinitionState::changed);
        CHECK_FALSE(entry.uncommitted);
    }
}

TEST_CASE("name_of gives the word status prints for each state", "[unit][versions]")
{
    CHECK(envstore::name_of(envstore::DefinitionState::unversioned) == "new");
    CHECK(envstore::name_of(envstore::DefinitionState::changed) == "changed");
    CHECK(envstore::name_of(envstore::DefinitionState::unchanged) == "unchanged");
}

TEST_CASE("resolve_reference finds the definition each kind of reference names", "[unit][versions]")
{
    Store store;
    std::string v1_text = minimal_definition("train");
    std::string v2_text = with_package("train", "flask");
    store.register_text("train", v1_text);
    store.register_text("train", v2_text);
    store.write("train", "# working copy\n" + v2_text);
    envstore::set_label(store.workspace(), envstore::parse_reference("train@v1"), "prod");
    auto resolve = [&](const std::string& text) {
        return envstore::resolve_reference(store.workspace(), envstore::parse_reference(text));
    };

    SECTION("the working tree")
    {
        auto stored = resolve("train");
        CHECK(stored.text == "# working copy\n" + v2_text);
        CHECK(stored.path == "environments/train/environment.yaml");
        CHECK(stored.commit.empty());
        CHECK_FALSE(stored.version);
    }
    SECTION("a version, the latest one and a label")
    {
        auto v1 = resolve("train@v1");
        CHECK(v1.text == v1_text);
        REQUIRE(v1.version);
        CHECK(v1.version->number == 1);
        CHECK(v1.commit == store.git({"rev-parse", "train@v1^{commit}"}));
        CHECK(v1.reference.to_string() == "train@v1");

        auto latest = resolve("train@latest");
        CHECK(latest.text == v2_text);
        REQUIRE(latest.version);
        CHECK(latest.version->number == 2);
        CHECK(latest.reference.kind == ReferenceKind::latest);

        auto prod = resolve("train@prod");
        CHECK(prod.text == v1_text);
        REQUIRE(prod.version);
        CHECK(prod.version->number == 1);
    }
    SECTION("a commit, by full id or prefix")
    {
        std::string commit = store.git({"rev-parse", "train@v1^{commit}"});
        auto stored = envstore::resolve_reference(
            store.workspace(), Reference{"train", ReferenceKind::commit, 0, commit.substr(0, 12)});
        CHECK(stored.commit == commit);
        CHECK(stored.text == v1_text);
        CHECK_FALSE(stored.version);
    }
    SECTION("what names nothing is not found, with what exists")
    {
        auto error = error_from([&] { resolve("train@v3"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "unknown reference \"train@v3\"");
        CHECK(error->hint() == "\"train\" has versions v1 to v2 and labels prod (v1)");

        error = error_from([&] { resolve("train@staging"); });
        REQUIRE(error);
        CHECK(error->message() == "unknown reference \"train@staging\"");

        error = error_from([&] { resolve("serve@latest"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->hint() == "\"serve\" has no versions and no labels");

        error = error_from([&] { resolve("train@abcdef1234"); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "unknown reference \"train@abcdef1234\"");
    }
    SECTION("a commit that does not hold the environment")
    {
        std::string first = store.git({"rev-list", "--max-parents=0", "HEAD"});
        auto error = error_from([&] {
            envstore::resolve_reference(store.workspace(),
                                        Reference{"train", ReferenceKind::commit, 0, first});
        });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == fmt::format("commit {} has no "
                                              "\"environments/train/environment.yaml\"",
                                              first.substr(0, 12)));
    }
}

TEST_CASE("to_repository_form stores definitions as git add would", "[unit][versions]")
{
    Store store;
    FolderFiles files{{"environment.yaml", "name: train\r\ndescription: x\r\n"},
                      {"conf/app.ini", "a=1\r\nb=2\n"}};

    FolderFiles stored = envstore::to_repository_form(store.repo(), "train", files);
    CHECK(stored == FolderFiles{{"environment.yaml", "name: train\ndescription: x\n"},
                                {"conf/app.ini", "a=1\nb=2\n"}});

    auto ids = envstore::hash_files(stored);
    for (const auto& [path, bytes] : files) {
        INFO(path);
        std::string by_git =
            store.git({"hash-object", "--path=environments/train/" + path, "--stdin"}, bytes);
        CHECK(envstore::git::to_hex(ids.at(path)) == by_git);
    }

    SECTION("without the workspace's attributes, bytes are kept as they are")
    {
        // libgit2 reads .gitattributes from the working tree and the index, so
        // the change is staged too.
        envstore::test::write_file(store.root() / ".gitattributes", "");
        store.git({"add", ".gitattributes"});
        store.git({"config", "core.autocrlf", "false"});
        Workspace reopened = Workspace::discover(store.root());
        CHECK(envstore::to_repository_form(reopened.impl().repo(), "train", files) == files);
    }
}

namespace {

struct LockAttempt
{
    std::optional<Error> error;
    double seconds = 0;
};

// Tries to take the write lock of `git_dir` on another thread, so that two
// ten-second waits can run at once.
std::future<LockAttempt> try_lock_async(const fs::path& git_dir)
{
    return std::async(std::launch::async, [git_dir] {
        auto start = std::chrono::steady_clock::now();
        LockAttempt attempt;
        attempt.error = error_from([&] { envstore::WriteLock lock(git_dir); });
        attempt.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return attempt;
    });
}

} // namespace

TEST_CASE("WriteLock excludes a second writer and names the holder", "[unit][versions][slow]")
{
    envstore::test::TempDir temp;
    fs::create_directories(temp / "held");
    fs::create_directories(temp / "stale");
    int dead = dead_pid();
    envstore::test::write_file(temp / "stale/envstore.lock",
                               fmt::format("{} {}\n", dead, host_name()));

    std::optional<envstore::WriteLock> held(std::in_place, temp / "held");
    CHECK(envstore::test::read_file(temp / "held/envstore.lock") ==
          fmt::format("{} {}\n", getpid(), host_name()));
    auto second = try_lock_async(temp / "held");
    auto stale = try_lock_async(temp / "stale");
    LockAttempt held_result = second.get();
    LockAttempt stale_result = stale.get();

    REQUIRE(held_result.error);
    CHECK(held_result.error->code() == ErrorCode::conflict);
    CHECK(held_result.seconds >= 9.5);
    CHECK_THAT(
        held_result.error->message(),
        Catch::StartsWith(fmt::format("the workspace is locked by \"{}\" (process {} on {}, ",
                                      (temp / "held/envstore.lock").string(),
                                      getpid(),
                                      host_name())) &&
            Catch::EndsWith(" s old)"));
    CHECK(held_result.error->hint() == "another envstore is writing; retry when it is done");

    REQUIRE(stale_result.error);
    CHECK(stale_result.error->code() == ErrorCode::conflict);
    CHECK_THAT(
        stale_result.error->message(),
        Catch::StartsWith(fmt::format("the workspace is locked by \"{}\" (process {} on {}, ",
                                      (temp / "stale/envstore.lock").string(),
                                      dead,
                                      host_name())));
    CHECK(stale_result.error->hint() ==
          "its process has exited: run envstore doctor --fix to remove it");

    held.reset();
    CHECK_FALSE(fs::exists(temp / "held/envstore.lock"));
    auto start = std::chrono::steady_clock::now();
    envstore::WriteLock again(temp / "held");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

TEST_CASE("read_lock_holder says who holds a lock and whether it still runs", "[unit][versions]")
{
    envstore::test::TempDir temp;
    fs::path path = temp / "envstore.lock";
    CHECK_FALSE(envstore::read_lock_holder(path));

    SECTION("a lock of this process")
    {
        envstore::WriteLock lock(temp.path());
        auto holder = envstore::read_lock_holder(path);
        REQUIRE(holder);
        CHECK(holder->pid == getpid());
        CHECK(holder->host == host_name());
        CHECK(holder->alive);
        CHECK(holder->age_seconds >= 0);
        CHECK(holder->age_seconds < 5);
    }
    SECTION("a process of this host that has exited")
    {
        int dead = dead_pid();
        envstore::test::write_file(path, fmt::format("{} {}\n", dead, host_name()));
        auto holder = envstore::read_lock_holder(path);
        REQUIRE(holder);
        CHECK(holder->pid == dead);
        CHECK_FALSE(holder->alive);
    }
    SECTION("a process of another host cannot be checked, so it counts as alive")
    {
        envstore::test::write_file(path, fmt::format("{} elsewhere.example.org\n", dead_pid()));
        auto holder = envstore::read_lock_holder(path);
        REQUIRE(holder);
        CHECK(holder->host == "elsewhere.example.org");
        CHECK(holder->alive);
    }
    SECTION("an empty lock file, as left by a crash between create and write")
    {
        envstore::test::write_file(path, "");
        auto holder = envstore::read_lock_holder(path);
        REQUIRE(holder);
        CHECK(holder->pid == 0);
        CHECK(holder->host.empty());
        CHECK(holder->alive);
    }
}

TEST_CASE("WriteLock in a folder that does not exist is a repository error", "[unit][versions]")
{
    envstore::test::TempDir temp;
    auto error = error_from([&] { envstore::WriteLock lock(temp / "missing"); });
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::repository);
    CHECK(error->message() == fmt::format("cannot create \"{}\": No such file or directory",
                                          (temp / "missing/envstore.lock").string()));
}

// --- Fault points ------------------------------------------------------------------
// fault_point reads ENVSTORE_FAULT once per process, so each case runs this
// test binary again with the variable set; the hidden cases below are the
// children's side.

TEST_CASE("fault point child: act on one point", "[.][fault-child]")
{
    const char* point = std::getenv("ENVSTORE_TEST_POINT");
    envstore::fault_point(point != nullptr ? point : "");
}

TEST_CASE("fault point child: register a snapshot", "[.][fault-child]")
{
    envstore::test::apply_test_environment();
    Workspace workspace = Workspace::discover(std::getenv("ENVSTORE_TEST_WORKSPACE"));
    envstore::register_snapshots(
        workspace, {{"train", {{"environment.yaml", minimal_definition("train")}}}}, "");
}

namespace {

struct ChildRun
{
    int exit_code = -1;
    double milliseconds = 0;
};

ChildRun run_child(const std::string& test_name, std::map<std::string, std::string> env)
{
    std::string self = fs::read_symlink("/proc/self/exe").string();
    auto start = std::chrono::steady_clock::now();
    auto result = envstore::test::run({self, test_name},
                                      {.cwd = {}, .env = std::move(env), .unset = {}, .input = {}});
    INFO(result.out << result.err);
    auto elapsed = std::chrono::steady_clock::now() - start;
    return {result.exit_code, std::chrono::duration<double, std::milli>(elapsed).count()};
}

} // namespace

TEST_CASE("fault_point acts only on the point ENVSTORE_FAULT names", "[unit][versions]")
{
    const std::string child = "fault point child: act on one point";
    SECTION("sleep at the named point")
    {
        auto run = run_child(child,
                             {{"ENVSTORE_FAULT", "before-tag-ref=sleep:700"},
                              {"ENVSTORE_TEST_POINT", "before-tag-ref"}});
        CHECK(run.exit_code == 0);
        CHECK(run.milliseconds >= 700);
    }
    SECTION("another point does nothing")
    {
        auto run = run_child(child,
                             {{"ENVSTORE_FAULT", "before-tag-ref=sleep:3000"},
                              {"ENVSTORE_TEST_POINT", "after-commit"}});
        CHECK(run.exit_code == 0);
        CHECK(run.milliseconds < 3000);
    }
    SECTION("a value without = does nothing")
    {
        auto run = run_child(
            child,
            {{"ENVSTORE_FAULT", "before-tag-ref"}, {"ENVSTORE_TEST_POINT", "before-tag-ref"}});
        CHECK(run.exit_code == 0);
    }
    SECTION("crash kills the process")
    {
        auto run = run_child(child,
                             {{"ENVSTORE_FAULT", "before-tag-ref=crash"},
                              {"ENVSTORE_TEST_POINT", "before-tag-ref"}});
        CHECK(run.exit_code == 128 + SIGKILL);
    }
}

TEST_CASE("a crash between a tag object and its reference leaves no version", "[unit][versions]")
{
    Store store;
    auto run = run_child("fault point child: register a snapshot",
                         {{"ENVSTORE_FAULT", "before-tag-ref=crash"},
                          {"ENVSTORE_TEST_WORKSPACE", store.root().string()}});
    CHECK(run.exit_code == 128 + SIGKILL);

    // The commit was made and the lock released; the version was not.
    CHECK(store.git({"log", "-1", "--format=%s"}) == "Update train");
    CHECK_FALSE(fs::exists(store.workspace().git_dir() / "envstore.lock"));
    CHECK(store.git({"tag", "-l"}).empty());
    CHECK_FALSE(envstore::latest_version(store.workspace(), "train"));
    CHECK(store.git({"fsck", "--strict", "--no-dangling"}).empty());

    TagResult retried = store.register_text("train", minimal_definition("train"));
    CHECK(retried.created);
    CHECK(retried.version == 1);
    CHECK(store.git({"tag", "-l"}) == "train@v1");
}
