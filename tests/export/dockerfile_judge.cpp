#include "export/dockerfile_judge.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include "envstore/canonical.hpp"
#include "envstore/definition.hpp"

#include <fmt/format.h>

namespace envstore::test {
namespace fs = std::filesystem;
namespace {

const char* const k_stub = R"(#!/bin/bash
printf '%s\0%s\0' "${0##*/}" "$#" >> "$STUB_LOG"
for argument in "$@"; do printf '%s\0' "$argument" >> "$STUB_LOG"; done
)";

void write_stubs(const fs::path& folder, bool without_micromamba)
{
    std::vector<std::string> names = {"apt-get", "conda", "pip", "useradd", "rm"};
    if (!without_micromamba) {
        names.push_back("micromamba");
    }
    for (const std::string& name : names) {
        write_file(folder / name, k_stub);
    }
    write_file(folder / "id", std::string(k_stub) + "exit 1\n");
    for (const auto& entry : fs::directory_iterator(folder)) {
        fs::permissions(entry.path(), fs::perms::owner_all);
    }
}

std::vector<Call> read_calls(const fs::path& log)
{
    std::vector<Call> calls;
    if (!fs::exists(log)) {
        return calls;
    }
    std::string bytes = read_file(log);
    std::vector<std::string> fields;
    for (std::size_t at = 0; at < bytes.size();) {
        std::size_t end = bytes.find('\0', at);
        fields.push_back(bytes.substr(at, end - at));
        at = end + 1;
    }
    for (std::size_t at = 0; at + 1 < fields.size();) {
        Call call = {fields[at]};
        std::size_t count = std::stoul(fields[at + 1]);
        call.insert(call.end(), fields.begin() + at + 2, fields.begin() + at + 2 + count);
        calls.push_back(std::move(call));
        at += 2 + count;
    }
    return calls;
}

} // namespace

const std::vector<std::string>& injection_payloads()
{
    static const std::vector<std::string> payloads = {
        "plain",
        "",
        "it's",
        "say \"hi\"",
        "$HOME",
        "${HOME}", // exactly a reference: taken where the container runs, not written
        "${HOME}x",
        "${A:-x}",
        "${A:+$(echo pwned > CANARY)}",
        "$(echo pwned > CANARY)",
        "`echo pwned > CANARY`",
        "'; echo pwned > CANARY; '",
        "\"; echo pwned > CANARY; \"",
        "' \"$(echo pwned > CANARY)\" '",
        "back\\slash",
        "trailing\\",
        "trailing\\ ",
        "\\$HOME",
        "\\\\$HOME",
        "\\'",
        "'\\",
        "'",
        "\"",
        "$",
        "<<EOF",
        "x <<EOF",
        "<<-'EOF' cat",
        "# not a comment",
        "\ttab and  spaces ",
        "caf\xc3\xa9 \xe2\x82\xac",
        "a=b c=d",
        "'\"$(x)`y`\\'${Z}",
    };
    return payloads;
}

std::string yaml_quote(const std::string& text)
{
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (c == '\t') {
            quoted += "\\t";
        } else {
            quoted += c;
        }
    }
    return quoted + "\"";
}

ResolvedDefinition resolved_from_yaml(const std::string& yaml)
{
    ResolvedDefinition resolved;
    resolved.definition = load_definition(yaml, "environments/x/environment.yaml");
    resolved.digest = definition_digest(resolved.definition);
    return resolved;
}

std::string test_conda_file(const ResolvedDefinition& resolved)
{
    std::string text = fmt::format("name: {}\ndependencies:\n", resolved.definition.name);
    for (const CondaSpec& spec : resolved.definition.python->conda) {
        text += fmt::format("  - {}\n", spec.to_string());
    }
    return text;
}

std::optional<nlohmann::json> parse_dockerfile(const std::string& dockerfile, std::string& why)
{
    fs::path package = fs::path(ENVSTORE_NPM_PREFIX) / "node_modules" / "dockerfile-ast";
    if (!fs::exists(package / "package.json")) {
        why = fmt::format("dockerfile-ast is not installed in {} (npm missing or offline?): "
                          "skipping the parser check",
                          ENVSTORE_NPM_PREFIX);
        return std::nullopt;
    }
    if (run({"node", "--version"}).exit_code != 0) {
        why = "node is not installed: skipping the parser check";
        return std::nullopt;
    }
    TempDir dir;
    write_file(dir / "Dockerfile", dockerfile);
    RunOptions options;
    options.env["NODE_PATH"] = (fs::path(ENVSTORE_NPM_PREFIX) / "node_modules").string();
    RunResult parsed =
        run({"node", ENVSTORE_DOCKERFILE_AST_SCRIPT, (dir / "Dockerfile").string()}, options);
    if (parsed.exit_code != 0) {
        throw std::runtime_error("dockerfile-ast failed: " + parsed.err);
    }
    return nlohmann::json::parse(parsed.out);
}

std::vector<std::pair<std::string, std::string>> properties_of(const nlohmann::json& parse,
                                                               const std::string& keyword)
{
    std::vector<std::pair<std::string, std::string>> properties;
    for (const auto& instruction : parse["instructions"]) {
        if (instruction["keyword"] != keyword) {
            continue;
        }
        for (const auto& property : instruction["properties"]) {
            std::string value = property[1].is_null() ? "" : property[1].get<std::string>();
            properties.emplace_back(property[0].get<std::string>(), value);
        }
    }
    return properties;
}

ShellRun run_instructions(const nlohmann::json& parse,
                          const std::string& shell,
                          const std::map<std::string, std::string>& env,
                          bool without_micromamba)
{
    TempDir dir;
    write_stubs(dir / "stubs", without_micromamba);
    fs::create_directories(dir / "work");
    RunOptions options;
    options.cwd = dir / "work";
    options.env = env;
    options.env["PATH"] = (dir / "stubs").string();
    options.env["STUB_LOG"] = (dir / "calls").string();

    ShellRun result;
    for (const auto& instruction : parse["instructions"]) {
        if (instruction["keyword"] != "RUN") {
            continue;
        }
        std::string shell_path = shell == "bash" ? "/bin/bash" : "/bin/sh";
        RunResult ran = run({shell_path, "-c", instruction["content"].get<std::string>()}, options);
        result.exit_code = ran.exit_code;
        result.err += ran.err;
        if (ran.exit_code != 0) {
            break;
        }
    }
    result.calls = read_calls(dir / "calls");
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
        result.canary = result.canary || entry.path().filename() == "CANARY";
    }
    return result;
}

std::optional<std::vector<std::vector<std::string>>>
python_shlex_split(const std::vector<std::string>& options)
{
    RunOptions input;
    input.input = nlohmann::json(options).dump();
    RunResult split = run({"python3",
                           "-c",
                           "import json, shlex, sys\n"
                           "print(json.dumps([shlex.split(o) for o in json.load(sys.stdin)]))"},
                          input);
    if (split.exit_code != 0) {
        return std::nullopt;
    }
    return nlohmann::json::parse(split.out).get<std::vector<std::vector<std::string>>>();
}

} // namespace envstore::test
