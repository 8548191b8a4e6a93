// The renderers of a diff report: exact text (with and without colour),
// markdown and JSON for reports made by hand.

#include "envstore/diff.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

using namespace envstore;

namespace {

EnvironmentDiff train_changes()
{
    EnvironmentDiff diff;
    diff.name = "train";
    diff.status = EnvironmentStatus::changed;
    diff.before = "train@v1";
    diff.after = "train (working tree)";
    diff.changes = {
        {ChangeKind::changed, "python.version", "", "3.10", "3.11"},
        {ChangeKind::added, "python.conda", "scipy", std::nullopt, "scipy>=1.11"},
        {ChangeKind::changed, "python.conda", "numpy", "numpy>=1.26", "numpy>=2|3"},
        {ChangeKind::reordered,
         "python.channels",
         "",
         "conda-forge, defaults",
         "defaults, conda-forge"},
        {ChangeKind::removed, "variables", "DEBUG", "1", std::nullopt},
        {ChangeKind::added, "description", "", std::nullopt, ""},
    };
    diff.base = BaseNote{{"base@v2"}, {"base@v3"}, false};
    return diff;
}

DiffReport pair_report()
{
    return {DiffScope::references,
            DiffMode::written,
            "train@v1",
            "train (working tree)",
            {},
            {},
            {train_changes()}};
}

DiffReport revisions_report()
{
    EnvironmentDiff added;
    added.name = "serve";
    added.status = EnvironmentStatus::added;
    added.after = "serve at main";
    added.changes = {{ChangeKind::added, "name", "", std::nullopt, "serve"}};
    EnvironmentDiff removed;
    removed.name = "old";
    removed.status = EnvironmentStatus::removed;
    removed.before = "old at v1-tag";
    removed.changes = {{ChangeKind::removed, "name", "", "old", std::nullopt}};
    removed.warnings = {"cannot resolve old at v1-tag: unknown reference \"base@v9\""};
    return {DiffScope::revisions,
            DiffMode::resolved,
            "v1-tag",
            "main",
            std::string(40, 'a'),
            std::string(40, 'b'),
            {removed, added}};
}

} // namespace

TEST_CASE("render_text groups changes by field, one line each", "[diff][format]")
{
    CHECK(render_text(pair_report()) ==
          "train@v1 -> train (working tree)\n"
          "  python.version: 3.10 -> 3.11\n"
          "  python.conda:\n"
          "    + scipy>=1.11\n"
          "    ~ numpy>=1.26 -> numpy>=2|3\n"
          "  python.channels:\n"
          "    order: conda-forge, defaults -> defaults, conda-forge\n"
          "  variables:\n"
          "    - DEBUG: 1\n"
          "  description: (none) -> \"\"\n"
          "  the base changed too: base@v2 -> base@v3\n");
}

TEST_CASE("render_text colours each piece through the painter", "[diff][format]")
{
    auto painter = [](DiffTone tone, std::string_view text) {
        return fmt::format("<{}>{}</>", static_cast<int>(tone), text);
    };
    DiffReport report = pair_report();
    report.environments[0].changes.resize(2);
    report.environments[0].base.reset();
    CHECK(render_text(report, painter) == "<1>train@v1 -> train (working tree)</>\n"
                                          "  <4>python.version: 3.10 -> 3.11</>\n"
                                          "  python.conda:\n"
                                          "    <2>+ scipy>=1.11</>\n");
}

TEST_CASE("render_text of revisions heads each environment with its status", "[diff][format]")
{
    CHECK(render_text(revisions_report()) ==
          "v1-tag (aaaaaaaaaaaa) -> main (bbbbbbbbbbbb)\n"
          "removed old\n"
          "  name: old -> (none)\n"
          "  warning: cannot resolve old at v1-tag: unknown reference \"base@v9\"\n"
          "added serve\n"
          "  name: (none) -> serve\n");
}

TEST_CASE("render_text says when nothing differs", "[diff][format]")
{
    DiffReport report = pair_report();
    report.environments[0] = {"train", EnvironmentStatus::unchanged, "a", "b", {}, {}, {}};
    CHECK(render_text(report) == "train@v1 -> train (working tree)\n  no differences\n");
}

TEST_CASE("text and markdown state an only-base change and an unchanged chain", "[diff][format]")
{
    DiffReport report = pair_report();
    report.environments[0].changes.clear();
    report.environments[0].base = BaseNote{{"base@v2"}, {"base@v3"}, true};
    CHECK(render_text(report) == "train@v1 -> train (working tree)\n"
                                 "  only the base changed: base@v2 -> base@v3\n");
    report.environments[0].base = BaseNote{{"base"}, {"base"}, true};
    CHECK(render_text(report) == "train@v1 -> train (working tree)\n"
                                 "  only the base changed: base differs\n");
    CHECK(render_markdown(report) == "### envstore diff: `train@v1` → `train (working tree)`\n"
                                     "\n"
                                     "Only the base changed: `base` differs.\n");
}

TEST_CASE("render_markdown makes a table per environment for a pull request", "[diff][format]")
{
    CHECK(render_markdown(pair_report()) ==
          "### envstore diff: `train@v1` → `train (working tree)`\n"
          "\n"
          "| Field | Change | Before | After |\n"
          "| --- | --- | --- | --- |\n"
          "| `python.version` | changed | `3.10` | `3.11` |\n"
          "| `python.conda` | added `scipy` |  | `scipy>=1.11` |\n"
          "| `python.conda` | changed `numpy` | `numpy>=1.26` | `numpy>=2\\|3` |\n"
          "| `python.channels` | order changed | `conda-forge, defaults` | `defaults, conda-forge` "
          "|\n"
          "| `variables` | removed `DEBUG` | `1` |  |\n"
          "| `description` | added |  | `\"\"` |\n"
          "\n"
          "The base changed too: `base@v2` → `base@v3`.\n");

    CHECK(render_markdown(revisions_report()) ==
          "### envstore diff: `v1-tag` → `main`\n"
          "\n"
          "Commits `aaaaaaaaaaaa` → `bbbbbbbbbbbb`: 1 added, 0 changed, 1 removed.\n"
          "\n"
          "#### `old`: removed\n"
          "\n"
          "| Field | Change | Before | After |\n"
          "| --- | --- | --- | --- |\n"
          "| `name` | removed | `old` |  |\n"
          "\n"
          "> **Warning:** cannot resolve old at v1-tag: unknown reference \"base@v9\"\n"
          "\n"
          "#### `serve`: added\n"
          "\n"
          "| Field | Change | Before | After |\n"
          "| --- | --- | --- | --- |\n"
          "| `name` | added |  | `serve` |\n"
          "\n"
          "<sub>Resolved definitions: inheritance applied.</sub>\n");
}

TEST_CASE("render_json has stable keys, nulls for what a side lacks", "[diff][format]")
{
    DiffReport report = pair_report();
    report.environments[0].changes.resize(2);
    const std::string expected = R"json({
  "format": 1,
  "scope": "references",
  "mode": "written",
  "before": "train@v1",
  "after": "train (working tree)",
  "before_commit": null,
  "after_commit": null,
  "differences": true,
  "environments": [
    {
      "name": "train",
      "status": "changed",
      "before": "train@v1",
      "after": "train (working tree)",
      "changes": [
        {
          "kind": "changed",
          "field": "python.version",
          "item": null,
          "key": "python.version",
          "before": "3.10",
          "after": "3.11"
        },
        {
          "kind": "added",
          "field": "python.conda",
          "item": "scipy",
          "key": "python.conda/scipy",
          "before": null,
          "after": "scipy>=1.11"
        }
      ],
      "base": {
        "only_base": false,
        "before": [
          "base@v2"
        ],
        "after": [
          "base@v3"
        ]
      },
      "warnings": []
    }
  ]
}
)json";
    CHECK(render_json(report) == expected);
}
