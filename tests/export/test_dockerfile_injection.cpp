// The injection suite: variables, package names and pip options full of
// quotes, `$()`, `${}`, backticks, backslashes and heredoc markers. npm's
// dockerfile-ast reads the exported Dockerfile back, and bash and sh run its
// RUN lines with stub programs: every value arrives exactly, no instruction or
// command is injected. CR, LF and NUL are refused (test_dockerfile_export.cpp).

#include "export/dockerfile_judge.hpp"
#include "export/dockerfile_quote.hpp"

#include "envstore/export_dockerfile.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cctype>
#include <set>

using namespace envstore;
using namespace envstore::test;

namespace {

std::string variables_yaml()
{
    const std::vector<std::string>& payloads = injection_payloads();
    std::string yaml = "name: x\npython: {conda: [numpy]}\nvariables:\n";
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        yaml += fmt::format("  V{}: {}\n", i, yaml_quote(payloads[i]));
    }
    return yaml;
}

// Checks what holds for every exported Dockerfile: no directive, no heredoc,
// only the instructions the export writes, the digest label.
void check_structure(const nlohmann::json& parse, const ResolvedDefinition& resolved)
{
    CHECK(parse["directives"].empty());
    std::set<std::string> allowed = {
        "FROM", "ARG", "USER", "RUN", "COPY", "ENV", "WORKDIR", "LABEL"};
    for (const auto& instruction : parse["instructions"]) {
        INFO(instruction.dump());
        CHECK(allowed.count(instruction["keyword"].get<std::string>()) == 1);
        CHECK(instruction["heredocs"] == 0);
    }
    for (const auto& instruction : parse["instructions"]) {
        if (instruction["keyword"] != "ENV" || instruction["properties"][0][0] == "PATH") {
            continue;
        }
        // The builder expands nothing in a single-quoted value; elsewhere
        // dockerfile-ast must see no variable.
        std::string raw = instruction["properties"][0][2];
        bool single_quoted = raw.size() >= 2 && raw.front() == '\'' && raw.back() == '\'' &&
                             raw.find('\'', 1) == raw.size() - 1;
        INFO(instruction.dump());
        CHECK((single_quoted || instruction["variables"].empty()));
    }
    auto labels = properties_of(parse, "LABEL");
    REQUIRE(labels.size() == 3);
    CHECK(labels[0] == std::pair<std::string, std::string>("envstore.digest", resolved.digest));
    CHECK(labels[1].second == "${ENVSTORE_NAME}");
    auto args = properties_of(parse, "ARG");
    REQUIRE(args.size() == 2);
    CHECK(args[0].first == "ENVSTORE_NAME");
    CHECK(args[1].first == "ENVSTORE_VERSION");
}

// The calls every Dockerfile with conda packages makes, before pip.
void check_setup_calls(const std::vector<Call>& calls, bool micromamba)
{
    REQUIRE(calls.size() >= 5);
    CHECK(calls[0] == Call{"id", "-u", "envstore"});
    CHECK(calls[1] == Call{"useradd", "--create-home", "--shell", "/bin/sh", "envstore"});
    std::string tool = micromamba ? "micromamba" : "conda";
    Call create = micromamba ? Call{"micromamba",
                                    "create",
                                    "--yes",
                                    "--prefix",
                                    "/opt/envstore/env",
                                    "--file",
                                    "/tmp/envstore/environment.yml"}
                             : Call{"conda",
                                    "env",
                                    "create",
                                    "--prefix",
                                    "/opt/envstore/env",
                                    "--file",
                                    "/tmp/envstore/environment.yml"};
    CHECK(calls[2] == create);
    CHECK(calls[3] == Call{tool, "clean", "--all", "--yes"});
    CHECK(calls[4] == Call{"rm", "-rf", "/tmp/envstore"});
}

// The Dockerfile as dockerfile-ast parses it; std::nullopt, with a warning
// that says why, when the parser is not there.
std::optional<nlohmann::json> parse_or_warn(const std::string& dockerfile)
{
    std::string why;
    auto parse = parse_dockerfile(dockerfile, why);
    if (!parse) {
        WARN(why);
    }
    return parse;
}

} // namespace

TEST_CASE("every ENV value reads back byte-equal through dockerfile-ast", "[export][injection]")
{
    ResolvedDefinition resolved = resolved_from_yaml(variables_yaml());
    DockerfileExport out = export_dockerfile(resolved, test_conda_file);
    auto parse = parse_or_warn(out.dockerfile);
    if (!parse) {
        return;
    }
    INFO(out.dockerfile);
    check_structure(*parse, resolved);

    auto env = properties_of(*parse, "ENV");
    REQUIRE(env.size() == injection_payloads().size()); // PATH, and every payload but "${HOME}"
    CHECK(env[0] == std::pair<std::string, std::string>("PATH", "/opt/envstore/env/bin:$PATH"));
    for (std::size_t i = 1; i < env.size(); ++i) {
        const std::string& name = env[i].first;
        std::size_t index = std::stoul(name.substr(1));
        INFO(name << " = [" << injection_payloads().at(index) << "]");
        CHECK(env[i].second == injection_payloads().at(index));
        CHECK(injection_payloads().at(index) != "${HOME}");
    }
    // A warning for the reference, one for each value a shell would expand.
    std::set<std::string> warnings;
    for (const Diagnostic& warning : out.warnings) {
        warnings.insert(warning.message);
    }
    std::set<std::string> expected = {
        "no docker.base_image: the Dockerfile builds from mambaorg/micromamba:1.5.8",
        "variable V5 takes its value where it runs (${HOME}): not written into the image"};
    for (std::size_t i = 0; i < injection_payloads().size(); ++i) {
        const std::string& value = injection_payloads()[i];
        bool expands = false;
        for (std::size_t at = value.find('$'); at != std::string::npos && at + 1 < value.size();
             at = value.find('$', at + 1)) {
            char next = value[at + 1];
            expands = expands || next == '{' || next == '_' || std::isalpha(next) != 0;
        }
        if (expands && i != 5) {
            expected.insert(fmt::format(
                "variable V{} is set to its text as written: \"$\" in {} is not expanded",
                i,
                value));
        }
    }
    CHECK(warnings == expected);
}

TEST_CASE("the RUN lines run under bash and sh make exactly the intended calls",
          "[export][injection]")
{
    ResolvedDefinition resolved =
        resolved_from_yaml("name: x\npython: {conda: [numpy], pip: [requests]}\n"
                           "docker: {base_image: debian, apt: [libgl1, g++]}\n" +
                           variables_yaml().substr(variables_yaml().find("variables:")));
    DockerfileExport out = export_dockerfile(resolved, test_conda_file);
    auto parse = parse_or_warn(out.dockerfile);
    if (!parse) {
        return;
    }
    for (bool micromamba : {true, false}) {
        for (std::string shell : {"bash", "sh"}) {
            INFO(shell << (micromamba ? " with micromamba" : " with conda") << "\n"
                       << out.dockerfile);
            ShellRun ran = run_instructions(*parse, shell, {}, !micromamba);
            CHECK(ran.exit_code == 0);
            CHECK_FALSE(ran.canary);
            REQUIRE(ran.calls.size() == 9);
            CHECK(ran.calls[2] == Call{"apt-get", "update"});
            CHECK(ran.calls[3] ==
                  Call{"apt-get", "install", "-y", "--no-install-recommends", "libgl1", "g++"});
            CHECK(ran.calls[4][1] == "-rf");
            for (std::size_t i = 2; i < ran.calls[4].size(); ++i) {
                CHECK(ran.calls[4][i].rfind("/var/lib/apt/lists/", 0) == 0);
            }
            std::vector<Call> rest(ran.calls.begin() + 5, ran.calls.end());
            rest.insert(rest.begin(), ran.calls.begin(), ran.calls.begin() + 2);
            check_setup_calls(rest, micromamba);
            CHECK(ran.calls[8] == Call{"pip", "install", "--no-cache-dir", "requests"});
        }
    }
}

TEST_CASE("pip options and requirements full of shell syntax reach pip exactly",
          "[export][injection]")
{
    std::vector<std::string> options = {
        "--extra-index-url https://example.org/$(echo pwned > CANARY)/simple",
        "--index-url 'https://example.org/a b'",
        "--trusted-host \"host\\\"q\"",
        "--find-links `echo pwned > CANARY`",
        "--find-links=x';echo pwned > CANARY;'",
        "--find-links \"a'; echo pwned > CANARY; '\"",
        "--find-links \"a'\\\"$(echo pwned > CANARY)\\\"'\"",
        "--extra-index-url https://${PIP_USER}@example.org/${A:-x}/simple",
        "--pre <<EOF",
        "--config-settings \"a=\\\\$HOME\"",
        "--progress-bar off # not a comment",
    };
    std::vector<std::string> requirements = {
        "requests>=2.31",
        "accelerate[torch]==0.24.1",
        "tomli>=2; python_version < \"3.11\"",
        "exceptiongroup; python_version < '3.11'",
        "uvicorn @ https://files.example.org/$(echo%20pwned)/uvicorn-0.29.0-py3-none-any.whl",
    };
    std::string yaml = "name: x\npython:\n  conda: [numpy]\n  pip:\n";
    for (const std::string& requirement : requirements) {
        yaml += "    - " + yaml_quote(requirement) + "\n";
    }
    yaml += "  pip_options:\n";
    for (const std::string& option : options) {
        yaml += "    - " + yaml_quote(option) + "\n";
    }
    ResolvedDefinition resolved = resolved_from_yaml(yaml);
    DockerfileExport out = export_dockerfile(resolved, test_conda_file);
    CHECK(out.secrets == std::vector<std::string>{"PIP_USER"});

    auto parse = parse_or_warn(out.dockerfile);
    auto split = python_shlex_split(options);
    if (!split) {
        WARN("python3 is not installed: skipping");
    }
    if (!parse || !split) {
        return;
    }
    check_structure(*parse, resolved);
    const std::string secret = "u $(echo pwned > CANARY) * '\"`x`";
    Call expected = {"pip", "install", "--no-cache-dir"};
    for (const auto& words : *split) {
        for (std::string word : words) {
            if (auto at = word.find("${PIP_USER}"); at != std::string::npos) {
                word.replace(at, 11, secret);
            }
            expected.push_back(word);
        }
    }
    for (const PipRequirement& requirement : resolved.definition.python->pip) {
        expected.push_back(requirement.to_string());
    }
    for (std::string shell : {"bash", "sh"}) {
        INFO(shell << "\n" << out.dockerfile);
        ShellRun ran = run_instructions(*parse, shell, {{"PIP_USER", secret}});
        CHECK(ran.exit_code == 0);
        CHECK_FALSE(ran.canary);
        REQUIRE(ran.calls.size() == 6);
        check_setup_calls(ran.calls, true);
        CHECK(ran.calls[5] == expected);
    }

    bool mounted = false;
    for (const auto& instruction : (*parse)["instructions"]) {
        for (const auto& flag : instruction["flags"]) {
            mounted = mounted || (flag[0] == "mount" &&
                                  flag[1] == "type=secret,id=PIP_USER,env=PIP_USER,required=true");
        }
    }
    CHECK(mounted);
}

TEST_CASE("package names with shell syntax are refused when the definition is read",
          "[export][injection]")
{
    for (std::string entry : {"python: {pip: [\"requests; echo pwned > CANARY\"]}",
                              "python: {pip: [\"$(echo pwned)\"]}",
                              "python: {pip: [\"`x`\"]}",
                              "docker: {apt: [\"curl;touch\"]}",
                              "docker: {apt: [\"$(id)\"]}",
                              "docker: {apt: [\"<<EOF\"]}"}) {
        INFO(entry);
        ParseResult parsed = parse_definition("name: x\n" + entry + "\n", "x.yaml");
        CHECK_FALSE(parsed.definition);
        REQUIRE_FALSE(parsed.errors.empty());
        CHECK(parsed.errors[0].location);
    }
}

TEST_CASE("pip option lines split into the words Python's shlex gives", "[export][injection]")
{
    std::vector<std::string> options = {
        "--index-url https://a.example/simple",
        "  --pre\t--no-deps  ",
        "a\\ b",
        "\"a\\\"b\"",
        "\"a\\\\b\"",
        "\"a\\$b\"",
        "'a\\'",
        "''",
        "a''b",
        "\"\"x",
        "'it'\"'\"'s'",
        "--config-settings=\"k=v w\"",
        "#not-a-comment x",
        "$(x) `y` ${Z}",
        "caf\xc3\xa9",
    };
    auto expected = python_shlex_split(options);
    if (!expected) {
        WARN("python3 is not installed: skipping");
        return;
    }
    for (std::size_t i = 0; i < options.size(); ++i) {
        INFO("[" << options[i] << "]");
        auto words = detail::split_option_words(options[i]);
        REQUIRE(words);
        CHECK(*words == expected->at(i));
    }
    CHECK_FALSE(detail::split_option_words("'open"));
    CHECK_FALSE(detail::split_option_words("\"open\\\""));
    CHECK_FALSE(detail::split_option_words("end\\"));
}
