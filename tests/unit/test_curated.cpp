// The curated catalog as the build makes it: a sound Git repository whose
// versions never change, found where the binary looks for it, and read through
// the same functions as a workspace.

#include "support/git_judge.hpp"
#include "support/in_process.hpp"
#include "support/temp_dir.hpp"

#include "envstore/curated.hpp"
#include "envstore/definition.hpp"
#include "envstore/resolve.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdlib>

using namespace envstore;
using namespace envstore::test;
namespace fs = std::filesystem;

namespace {

const fs::path k_built = ENVSTORE_CURATED_BUILT;

// Every shipped version: its tag, its digest, the blob id of its definition
// file and the digest of its resolved form (its bases applied). A shipped
// version must never change: editing curated/NAME/vN.yaml breaks this table on
// purpose. Add a new version instead.
struct Golden
{
    const char* tag;
    const char* digest;
    const char* blob;
    const char* resolved;
};

// clang-format off
const Golden k_golden[] = {
    {"python-3.10@v1", "sha256:6b4672b47e8b17a299f7d9d3a664106239597c9cd8f483b1ef872affd7e3d32b", "768e22e662182edd98b504a893c62bb509fee44c",
     "sha256:6b4672b47e8b17a299f7d9d3a664106239597c9cd8f483b1ef872affd7e3d32b"},
    {"python-3.10@v2", "sha256:fead8b15944c470186c8138ac61a124ac9b6f47cb110a32be641e696dd5d37ca", "90f4ba43f2e1960888ce57a7c86142c92a35e119",
     "sha256:fead8b15944c470186c8138ac61a124ac9b6f47cb110a32be641e696dd5d37ca"},
    {"python-3.11@v1", "sha256:2e519f94c36fc0fbfa7c934eedac424d30f46ba55293392709e7d71a43bd93ae", "2ec58a3c25a72accaafc5f1e4db972d7730f6d37",
     "sha256:2e519f94c36fc0fbfa7c934eedac424d30f46ba55293392709e7d71a43bd93ae"},
    {"python-3.11@v2", "sha256:4080bd965fe4477118375194a6b5a8b6a58587377ff077efc709e4b064a29ff6", "1202920fb8febe03c9a01410dbac5f88ecc5f082",
     "sha256:4080bd965fe4477118375194a6b5a8b6a58587377ff077efc709e4b064a29ff6"},
    {"python-3.11@v3", "sha256:88899cba4aa58cc81a6d8b2235e21359224b076f59bf27d6b271139e745c4fe5", "67d18bb8312e68b9ed3d06d12236cdb4977e35ce",
     "sha256:88899cba4aa58cc81a6d8b2235e21359224b076f59bf27d6b271139e745c4fe5"},
    {"python-3.12@v1", "sha256:a4c9d4c22f18a611f0e0a048d201ea194334fa526e78be4dd6b58542e94401d9", "ba32990ac4b0eb845b2b1d38690c15e08092d345",
     "sha256:a4c9d4c22f18a611f0e0a048d201ea194334fa526e78be4dd6b58542e94401d9"},
    {"python-3.12@v2", "sha256:9d09943af92b93ad14b0f92ae4672d36e84e00b49f95486500172bc377298b5a", "5b0379c5ae83ca5a3a4a7dc1dc249052d3ce1f01",
     "sha256:9d09943af92b93ad14b0f92ae4672d36e84e00b49f95486500172bc377298b5a"},
    {"python-3.12@v3", "sha256:eaf380404c1fcd83632a05bae687a0540207a28102a8b83b3c1db22ef2c27ba6", "788db78cb2bc7c1ad05f8549ab421de6aef5ab85",
     "sha256:eaf380404c1fcd83632a05bae687a0540207a28102a8b83b3c1db22ef2c27ba6"},
    {"pytorch-cpu@v1", "sha256:1261504523e8b5610ae2be0fe3698df32647c211d837a348a1efc2fdecd19db2", "affe84c19a3c1bbc132ab3d156a6f0091e149571",
     "sha256:3ff8913a0d5775f40e4ae23495f4c05af0a4c04f833208eec38fcb268ef4801e"},
    {"pytorch-cpu@v2", "sha256:f4fb90f55f864ff004b1b5b76eb568a41b940fdb8e3007058ab1923adaeafd98", "e5da906918a35c501c4a1a8d2f872f395d5bb85c",
     "sha256:abd2641684e64c97357bcc6af7ad1ed1bf0390f079e956e2113b78a46074e7fb"},
    {"pytorch-cuda@v1", "sha256:4ba6ccd6bc103e007d1d74516a10ef6bf7cefb3f817ecfb4ff3d4d3f72c25553", "91b43539a8d0d82382b8e971632bddee7c417d3c",
     "sha256:93c6d85dfee817b27a0f6ebbfec00b0dc14e1f7bd09e0c399c9030d1ecda2053"},
    {"pytorch-cuda@v2", "sha256:065f28de7f180fb7557d60eb373d0f2bcd1d7769dee8c223e864122b60bbb2e0", "b19996bff1e3096db36b81cd179d28efc9e106a4",
     "sha256:a63d931f2f97f698227b0b4842a9191519981cbe328a3b331958878a25fc7f19"},
    {"scientific@v1", "sha256:e8e00c4c92c5ee1f210465de11a4187823c850be5e8deae7184464f606f72817", "7bcbf41dc59e1e1b8ff7e6fe1b64d0973558f2b2",
     "sha256:5da5e1b3c9020e6ac4a47d173c4b988a5c5250a1234c2ab4196b500bf66325ad"},
    {"scientific@v2", "sha256:43e2be659bcd1df4053c25365a59469f4b6717c02149b274de66784f4f0b6abb", "7fb91796ceee87c0e6f01d7e2d6495451f9f7fec",
     "sha256:88fbf5dcb406680e2b96689acb2770010d0e81a9fdef2b3de10380a599aa95b2"},
    {"scientific@v3", "sha256:8650f055a4a37293b193ac16692967e7a9477f10656f9817a5ce0db82cdcc3d9", "e4a0af669a60f4100aa8aa2dd4af8726480c23d4",
     "sha256:1aed7aa14b0401aebe5bd197c7654fd0de7eba4381d573d914d676576fbdec1f"},
    {"spark@v1", "sha256:b3698f25eb9fbad40fc897187bf41e0b9a528e488a2ad0df582ea3f973050421", "8958d02128e3818f2a2852bd6eaa6a6af5a374d7",
     "sha256:10d4cef2985a0e815e15cfc3a1c9ddd537f73e9b2f3fbc3c3c5ed409d147520d"},
    {"spark@v2", "sha256:c6258a4df8719026078f1c4c0bccf18d45fd155f1992fefa0cf07eeac7996fde", "046a596018ebea3da8b8dbaeb33af5901e843c24",
     "sha256:e87839af32757f9ccd3d137cf6305194a9fed628f05968606d2c41f98b619b63"},
    {"tensorflow@v1", "sha256:08bd12852221ecbaa543a4a752f52612732a4e2023a6ee710450690a63003c72", "8e6ceeb15142cda68b25329476184a2ff48ed2bb",
     "sha256:f95439cc633f0fba243eb0fb9b5c826ca2f96de0f484ea6dbcce6d943d845e69"},
    {"tensorflow@v2", "sha256:443d95740dc64b164ecf64b6c83c1bb04bb83b77a1c7db9c89f3108b19921372", "a77ff5339434e715d5c645d27a8649310cc6835e",
     "sha256:f37c34275707056526aea23f1e5c3d3be828d681c7f195d58309ee672180ee47"},
};
// clang-format on

// Points ENVSTORE_CURATED_DIR at `dir` for the life of one test.
struct CatalogAt
{
    explicit CatalogAt(const fs::path& dir) { setenv(k_curated_dir_variable, dir.c_str(), 1); }
    ~CatalogAt() { unsetenv(k_curated_dir_variable); }
};

// git in `dir`, which may be the build's catalog: tests read it in parallel, so
// git must not take the index lock to refresh it.
std::string git_in(const fs::path& dir, const std::vector<std::string>& args)
{
    RunOptions options;
    options.env = {{"GIT_OPTIONAL_LOCKS", "0"}};
    return git_text(dir, args, options);
}

// Every reference of a repository with the object it names, as git lists them.
std::string all_refs(const fs::path& dir)
{
    return git_in(dir, {"for-each-ref", "--format=%(objectname) %(refname)"});
}

} // namespace

TEST_CASE("the built catalog is a sound repository with a tag per version", "[curated]")
{
    apply_test_environment();
    CHECK(git_in(k_built, {"fsck", "--strict", "--no-dangling"}).empty());
    CHECK(git_in(k_built, {"status", "--porcelain"}).empty());
    CHECK(git_in(k_built, {"symbolic-ref", "HEAD"}) == "refs/heads/main");

    std::vector<std::string> expected;
    for (const auto& golden : k_golden) {
        expected.emplace_back(golden.tag);
        CHECK(git_in(k_built, {"cat-file", "-t", golden.tag}) == "tag");
    }
    CHECK(git_in(k_built, {"tag", "-l"}) == fmt::format("{}", fmt::join(expected, "\n")));
    CHECK(git_in(k_built, {"log", "--format=%an <%ae>|%cn", "-1"}) ==
          "envstore curated catalog <curated@envstore.invalid>|envstore curated catalog");
}

TEST_CASE("every curated version is valid and means what it meant when shipped", "[curated]")
{
    apply_test_environment();
    CatalogAt at(k_built);
    const Workspace& catalog = open_curated_catalog();
    for (const auto& golden : k_golden) {
        INFO(golden.tag);
        Reference reference = parse_reference(golden.tag);
        VersionInfo version = lookup_version(catalog, reference.name, reference.version);
        CHECK(version.digest == golden.digest);
        CHECK(version.files.at(k_definition_file) == golden.blob);
        CHECK(resolve(catalog, parse_reference(fmt::format("curated/{}", golden.tag))).digest ==
              golden.resolved);

        std::string path = Workspace::definition_path(reference.name);
        std::string text = git_output(k_built, {"show", fmt::format("{}:{}", golden.tag, path)});
        ParseResult parsed = parse_definition(text, path, reference.name);
        CHECK(parsed.errors.empty());
        CHECK(parsed.definition.has_value());
        std::string source = read_file(fs::path(ENVSTORE_CURATED_SOURCE) / reference.name /
                                       fmt::format("v{}.yaml", reference.version));
        CHECK(source == text);
    }
}

TEST_CASE("the generator gives the same ids on any machine setup", "[curated]")
{
    apply_test_environment();
    TempDir temp;
    write_file(temp / "home/.gitconfig",
               "[user]\n\tname = Someone Else\n\temail = else@example.org\n"
               "[core]\n\tautocrlf = true\n[init]\n\tdefaultBranch = trunk\n");
    RunOptions options;
    options.env = {{"HOME", (temp / "home").string()},
                   {"TZ", "Pacific/Chatham"},
                   {"GIT_AUTHOR_DATE", "@1 +0000"},
                   {"GIT_AUTHOR_NAME", "Someone Else"}};
    RunResult result =
        run({ENVSTORE_MAKE_CURATED, ENVSTORE_CURATED_SOURCE, (temp / "again").string()}, options);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);

    CHECK(all_refs(temp / "again") == all_refs(k_built));
    CHECK(git_in(temp / "again", {"rev-parse", "HEAD"}) == git_in(k_built, {"rev-parse", "HEAD"}));
    CHECK(!fs::exists(temp / "again.partial"));
}

TEST_CASE("the generator refuses a history that does not match its files", "[curated]")
{
    apply_test_environment();
    TempDir temp;
    fs::path source = temp / "src";
    fs::path output = temp / "out";
    write_file(source / "one/v1.yaml", "name: one\n");
    write_file(source / "one/v2.yaml", "name: one\ndescription: second\n");
    auto make = [&](const std::string& history) {
        write_file(source / "history", history);
        return run({ENVSTORE_MAKE_CURATED, source.string(), output.string()});
    };

    SECTION("versions out of order")
    {
        RunResult result = make("date: 2025-01-01T00:00:00Z\nversions: one@v2\nmessage: m\n\n"
                                "date: 2025-01-02T00:00:00Z\nversions: one@v1\nmessage: m\n");
        CHECK(result.exit_code == 1);
        CHECK(result.err ==
              "envstore_make_curated: error: step of 2025-01-01T00:00:00Z made one@v1, not "
              "one@v2\nhint: number versions of an environment from 1, in the order of the "
              "steps, and change each new version\n");
    }
    SECTION("a file no step names")
    {
        RunResult result = make("date: 2025-01-01T00:00:00Z\nversions: one@v1\nmessage: m\n");
        CHECK(result.exit_code == 1);
        CHECK(result.err ==
              fmt::format("envstore_make_curated: error: \"{}\" is named by no step of the "
                          "history\n",
                          (source / "one/v2.yaml").string()));
    }
    SECTION("a line that is not a step's")
    {
        RunResult result = make("# comment\ndate: 2025-01-01T00:00:00Z\nversion: one@v1\n");
        CHECK(result.exit_code == 1);
        CHECK(result.err == fmt::format("envstore_make_curated: error: {}:3: unknown line "
                                        "\"version: one@v1\"\n",
                                        (source / "history").string()));
    }
    SECTION("an invalid definition")
    {
        write_file(source / "one/v2.yaml", "name: one\nruntime: pyton\n");
        RunResult result = make("date: 2025-01-01T00:00:00Z\nversions: one@v1\nmessage: m\n\n"
                                "date: 2025-01-02T00:00:00Z\nversions: one@v2\nmessage: m\n");
        CHECK(result.exit_code == 1);
        CHECK(result.err.starts_with("envstore_make_curated: error: step of "
                                     "2025-01-02T00:00:00Z: "));
        CHECK(result.err.find("environments/one/environment.yaml:2:10: unknown runtime "
                              "\"pyton\"") != std::string::npos);
    }
    CHECK(!fs::exists(output));
}

TEST_CASE("the catalog is found where the binary looks for it", "[curated]")
{
    apply_test_environment();
    SECTION("ENVSTORE_CURATED_DIR alone when set")
    {
        CatalogAt at(k_built);
        CHECK(curated_catalog_candidates() == std::vector<fs::path>{k_built});
        CHECK(open_curated_catalog().root() == k_built);
        CHECK(&open_curated_catalog() == &open_curated_catalog());
    }
    SECTION("beside the executable otherwise")
    {
        fs::path folder = fs::read_symlink("/proc/self/exe").parent_path();
        CHECK(curated_catalog_candidates() ==
              std::vector<fs::path>{folder.parent_path() / "share/envstore/curated",
                                    folder / "share/envstore/curated"});
    }
    SECTION("a folder without a catalog")
    {
        TempDir empty;
        CatalogAt at(empty.path());
        auto error = error_from([] { open_curated_catalog(); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() ==
              fmt::format("no curated catalog found: looked in \"{}\"", empty.path().string()));
        CHECK(error->hint() == "ENVSTORE_CURATED_DIR must name the folder holding the catalog "
                               "(share/envstore/curated in the build or install tree)");
    }
}

TEST_CASE("curated references and names read the catalog", "[curated]")
{
    apply_test_environment();
    CatalogAt at(k_built);
    InProcessWorkspace ws;

    SECTION("a version, and a bare name as the latest")
    {
        StoredDefinition stored =
            resolve_reference(ws.workspace(), parse_reference("curated/python-3.11@v1"));
        CHECK(stored.reference.to_string() == "curated/python-3.11@v1");
        REQUIRE(stored.version);
        CHECK(stored.version->digest == k_golden[2].digest);
        CHECK(stored.text == git_output(k_built,
                                        {"show",
                                         "python-3.11@v1:environments/python-3.11/"
                                         "environment.yaml"}));

        StoredDefinition latest =
            resolve_reference(ws.workspace(), parse_reference("curated/python-3.11"));
        CHECK(latest.reference.to_string() == "curated/python-3.11");
        REQUIRE(latest.version);
        CHECK(latest.version->number == 3);
    }
    SECTION("version lookups by curated/NAME")
    {
        CHECK(latest_version(ws.workspace(), "curated/scientific") == 3);
        CHECK(list_versions(ws.workspace(), "curated/spark").size() == 2);
        CHECK(lookup_version(ws.workspace(), "curated/spark", 1).digest == k_golden[15].digest);
        CHECK(!latest_version(ws.workspace(), "curated/nothing"));
    }
    SECTION("an unknown version")
    {
        auto error = error_from(
            [&] { resolve_reference(ws.workspace(), parse_reference("curated/spark@v7")); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "unknown reference \"curated/spark@v7\"");
        CHECK(error->hint() == "\"spark\" has versions v1 to v2 and no labels");
    }
    SECTION("an unknown name")
    {
        auto error = error_from(
            [&] { resolve_reference(ws.workspace(), parse_reference("curated/sparc@v1")); });
        REQUIRE(error);
        CHECK(error->code() == ErrorCode::not_found);
        CHECK(error->message() == "unknown reference \"curated/sparc@v1\"");
        CHECK(error->hint() ==
              "the curated catalog has no \"sparc\": envstore curated list shows what it has");
    }
}

TEST_CASE("writes to the catalog are refused with a hint", "[curated]")
{
    CHECK(!error_from([] { refuse_curated_write("register", "train"); }));
    auto error = error_from([] { refuse_curated_write("label", "curated/spark@v1"); });
    REQUIRE(error);
    CHECK(error->code() == ErrorCode::invalid_input);
    CHECK(error->message() ==
          "the curated catalog is read-only: cannot label \"curated/spark@v1\"");
    CHECK(error->hint() == "build on it in your own environment with \"extends: "
                           "curated/spark@vN\" (envstore curated list shows the versions)");
}
