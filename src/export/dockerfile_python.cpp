// The steps of an exported Dockerfile that build the Python side and set the
// variables: the conda environment, pip packages, ENV.

#include "export/dockerfile_quote.hpp"
#include "export/dockerfile_steps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace envstore::detail {
namespace {

bool installs_python(const Definition& definition)
{
    const std::optional<PythonSettings>& python = definition.python;
    return python && definition.managed.value_or(true) &&
           (python->version || !python->conda.empty() || !python->pip.empty());
}

// The definition the conda file is written from: no pip side and no
// variables (their own steps), with `pip` to install the pip packages with;
// nothing outside the digest (name, description, metadata), so that identical
// environments copy identical files.
ResolvedDefinition conda_side(const ResolvedDefinition& resolved)
{
    ResolvedDefinition conda = resolved;
    conda.definition.name = "envstore";
    conda.definition.description.reset();
    conda.definition.metadata.clear();
    conda.definition.extensions.clear();
    PythonSettings& python = *conda.definition.python;
    bool has_pip = std::any_of(python.conda.begin(), python.conda.end(), [](const CondaSpec& s) {
        return s.name == "pip";
    });
    if (!python.pip.empty() && !has_pip) {
        python.conda.push_back(parse_conda_spec("pip"));
    }
    python.pip.clear();
    python.pip_options.clear();
    conda.definition.variables.clear();
    return conda;
}

std::string pip_arguments(const ResolvedDefinition& resolved, std::vector<std::string>& refs)
{
    const PythonSettings& python = *resolved.definition.python;
    std::vector<std::string> words;
    for (const std::string& option : python.pip_options) {
        std::string key = element_key("python.pip_options", option);
        require_writable(resolved, key, "pip option", option);
        auto split = split_option_words(option);
        if (!split) {
            throw Error(export_finding(resolved,
                                       key,
                                       fmt::format("pip option \"{}\" has an unclosed quote or "
                                                   "ends with a backslash",
                                                   option),
                                       "pip reads an option line with shell-like quoting"));
        }
        words.insert(words.end(), split->begin(), split->end());
    }
    if (std::find(words.begin(), words.end(), "--no-cache-dir") == words.end()) {
        words.insert(words.begin(), "--no-cache-dir");
    }

    std::string arguments = "pip install";
    for (const std::string& word : words) {
        arguments += " \\\n        " + shell_quote_with_references(word, refs);
    }
    for (const PipRequirement& requirement : python.pip) {
        if (!requirement.hashes.empty()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("\"python.pip\": \"{}\" has --hash options, which pip "
                                    "reads only from a requirements file, not from its command "
                                    "line",
                                    requirement.name),
                        "export --format pip for a requirements file that keeps the hashes; "
                        "the Dockerfile export does not carry them yet");
        }
        std::string text = requirement.to_string();
        require_writable(resolved,
                         element_key("python.pip", requirement.normalized_name()),
                         "pip requirement",
                         text);
        arguments += " \\\n        " + shell_quote_with_references(text, refs);
    }
    return arguments;
}

bool is_run_time_reference(const std::string& value)
{
    static const std::regex reference(R"(^\$\{[A-Za-z_][A-Za-z0-9_]*\}$)");
    return std::regex_match(value, reference);
}

// Whether `value` holds what a shell would read as a variable: `$NAME` or `${`.
bool mentions_variable(const std::string& value)
{
    static const std::regex variable(R"(\$(\{|[A-Za-z_]))");
    return std::regex_search(value, variable);
}

} // namespace

void add_conda_step(const ResolvedDefinition& resolved,
                    const CondaFileWriter& write_conda,
                    DockerfileExport& out)
{
    const Definition& definition = resolved.definition;
    if (definition.python && !definition.managed.value_or(true)) {
        out.warnings.push_back(export_finding(
            resolved,
            "python.interpreter",
            "a user-managed environment: nothing is installed, the interpreter is expected in "
            "the base image"));
    }
    if (!installs_python(definition)) {
        return;
    }
    out.context_files.emplace_back("environment.yml", write_conda(conda_side(resolved)));
    std::string file = fmt::format("{}/environment.yml", k_staging);
    out.dockerfile += fmt::format("COPY environment.yml {}\n", file);
    out.dockerfile += fmt::format(
        "RUN set -eu \\\n"
        "    && if command -v micromamba >/dev/null 2>&1; then \\\n"
        "        micromamba create --yes --prefix {0} --file {1}; \\\n"
        "        micromamba clean --all --yes; \\\n"
        "    elif command -v conda >/dev/null 2>&1; then \\\n"
        "        conda env create --prefix {0} --file {1}; \\\n"
        "        conda clean --all --yes; \\\n"
        "    else \\\n"
        "        echo 'envstore: the base image has neither micromamba nor conda' >&2; \\\n"
        "        exit 1; \\\n"
        "    fi \\\n"
        "    && rm -rf {2}\n"
        "ENV PATH={0}/bin:$PATH\n",
        k_env_prefix,
        file,
        k_staging);
}

void add_pip_step(const ResolvedDefinition& resolved, DockerfileExport& out)
{
    if (!installs_python(resolved.definition) || resolved.definition.python->pip.empty()) {
        return;
    }
    std::vector<std::string> refs;
    std::string arguments = pip_arguments(resolved, refs);

    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    std::string mounts;
    for (const std::string& name : refs) {
        mounts += fmt::format("--mount=type=secret,id={0},env={0},required=true ", name);
    }
    out.secrets.insert(out.secrets.end(), refs.begin(), refs.end());
    out.dockerfile += fmt::format("RUN {}set -eu \\\n    && {}\n", mounts, arguments);
}

void add_variables_step(const ResolvedDefinition& resolved, DockerfileExport& out)
{
    for (const auto& [name, value] : resolved.definition.variables) {
        std::string key = element_key("variables", name);
        auto warn = [&](std::string message, std::string hint = {}) {
            out.warnings.push_back(
                export_finding(resolved, key, std::move(message), std::move(hint)));
        };
        if (!value) {
            warn(fmt::format("variable {} is null: not set (a Dockerfile cannot unset a "
                             "variable of the base image)",
                             name));
            continue;
        }
        if (is_run_time_reference(*value)) {
            warn(fmt::format("variable {} takes its value where it runs ({}): not written into "
                             "the image",
                             name,
                             *value),
                 fmt::format("give it when the container starts: docker run -e {}", name));
            continue;
        }
        require_writable(resolved, key, fmt::format("the value of variable {}", name), *value);
        if (mentions_variable(*value)) {
            warn(fmt::format("variable {} is set to its text as written: \"$\" in {} is not "
                             "expanded",
                             name,
                             *value));
        }
        out.dockerfile += fmt::format("ENV {}={}\n", name, dockerfile_value(*value));
    }
}

} // namespace envstore::detail
