#include "support/export_readers.hpp"

#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace envstore::test {
namespace {

// Loads the file named by argv[1] and prints it as ASCII JSON.
constexpr const char* k_pyyaml_script =
    "import json, sys, yaml\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    print(json.dumps(yaml.safe_load(f), ensure_ascii=True))\n";

// Reads the requirements file named by argv[1] with pip's own parser and
// prints each line as JSON: {"requirement": TEXT} or {"options": {NAME: VALUE}}
// with the options it sets.
constexpr const char* k_pip_script =
    "import json, sys\n"
    "from pip._internal.network.session import PipSession\n"
    "from pip._internal.req.req_file import RequirementsFileParser, get_line_parser\n"
    "parser = RequirementsFileParser(PipSession(), get_line_parser(None))\n"
    "lines = []\n"
    "for line in parser.parse(sys.argv[1], constraint=False):\n"
    "    if line.is_requirement:\n"
    "        lines.append({'requirement': line.requirement})\n"
    "    else:\n"
    "        opts = vars(line.opts)\n"
    "        lines.append({'options': {k: v for k, v in opts.items()\n"
    "                                  if v not in (None, [], False)\n"
    "                                  and isinstance(v, (str, bool, int, list))}})\n"
    "print(json.dumps(lines, ensure_ascii=True))\n";

// Debian's python3, where the python3-yaml and python3-pip packages install
// their modules (not whichever python3 comes first in PATH).
constexpr const char* k_debian_python = "/usr/bin/python3";

// Whether Debian's python3 can import `module`; a WARN names `package` when not.
bool python_module_available(const std::string& module, const std::string& package)
{
    bool available = std::filesystem::exists(k_debian_python) &&
                     run({k_debian_python, "-c", "import " + module}).exit_code == 0;
    if (!available) {
        WARN("skipped: " << k_debian_python << " with " << module << " (Debian package " << package
                         << ") is not installed");
    }
    return available;
}

// The JSON that `script` prints for `content`, written to a file.
nlohmann::json run_python_reader(const char* script, const std::string& content)
{
    TempDir temp;
    write_file(temp / "input", content);
    RunResult result = run({k_debian_python, "-c", script, (temp / "input").string()});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.out);
}

nlohmann::json to_json(const YAML::Node& node)
{
    if (node.IsMap()) {
        nlohmann::json map = nlohmann::json::object();
        for (const auto& entry : node) {
            map[entry.first.as<std::string>()] = to_json(entry.second);
        }
        return map;
    }
    if (node.IsSequence()) {
        nlohmann::json list = nlohmann::json::array();
        for (const YAML::Node& item : node) {
            list.push_back(to_json(item));
        }
        return list;
    }
    if (node.IsNull()) {
        return nullptr;
    }
    return node.as<std::string>();
}

} // namespace

std::optional<nlohmann::json> read_with_pyyaml(const std::string& yaml)
{
    if (!python_module_available("yaml", "python3-yaml")) {
        return std::nullopt;
    }
    return run_python_reader(k_pyyaml_script, yaml);
}

std::optional<nlohmann::json> read_with_pip(const std::string& requirements)
{
    if (!python_module_available("pip", "python3-pip")) {
        return std::nullopt;
    }
    return run_python_reader(k_pip_script, requirements);
}

nlohmann::json read_with_yaml_cpp(const std::string& yaml)
{
    return to_json(YAML::Load(yaml));
}

const std::vector<std::string>& tricky_strings()
{
    static const std::vector<std::string> strings = {
        "3.10",
        "3.1",
        "no",
        "No",
        "NO",
        "on",
        "off",
        "yes",
        "y",
        "n",
        "Y",
        "N",
        "true",
        "False",
        "~",
        "null",
        "Null",
        "",
        "1e3",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        "-1",
        "+1",
        ".inf",
        "-.Inf",
        ".NaN",
        "12:30:00",
        "190:20:30",
        "2026-12-04",
        "<<",
        "=",
        ":",
        "a: b",
        "#",
        "a #b",
        "- x",
        "? x",
        "| x",
        "> x",
        "!tag",
        "&anchor",
        "*alias",
        "%YAML",
        "@at",
        "`tick`",
        "{a: 1}",
        "[1, 2]",
        ",",
        "'single'",
        "q\"uote",
        "back\\slash",
        "\\n not a line break",
        " leading",
        "trailing ",
        "  ",
        "a\tb",
        "a\nb",
        "a\r\nb",
        "line end\n",
        std::string("nul\0byte", 8),
        "\x01\x1b[31m",
        "del\x7f",
        "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac",
        "\xc2\x85 next line",
        "\xc2\xa0no-break",
        "\xe2\x80\xa8 line sep",
        "\xe2\x80\xa9 para sep",
        "\xef\xbb\xbf bom",
        "\xf0\x9f\x98\x80 emoji",
        "${HF_TOKEN}",
        "$(rm -rf /)",
        "\xef\xbf\xbe nonchar",
        "--- ",
        "...",
        "--extra-index-url https://example.org/simple",
    };
    return strings;
}

} // namespace envstore::test
