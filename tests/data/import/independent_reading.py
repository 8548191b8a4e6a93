#!/usr/bin/env python3
"""An independent reading of a conda environment file or a pip requirements
file, for tests/unit/test_import_corpus.cpp: PyYAML (BaseLoader, every scalar a
string) and a few lines of Python in place of envstore's reader.

Prints one fact a line: "conda NAME", "channel NAME", "variable NAME=VALUE",
"pip NAME" (PEP 503 normalised; requirements written by name only, not URLs,
options or paths; `-r` includes followed). Exits 77 when PyYAML is missing."""

import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit(77)

NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
COMMENT = re.compile(r"(^|\s+)#.*$")


def pip_name(line):
    line = line.strip()
    if not line or line.startswith("-") or line.startswith(".") or "://" in line or " @ " in line:
        return None
    if line.startswith(("git+", "hg+", "svn+", "bzr+", "/")):
        return None
    match = NAME.match(line)
    return re.sub(r"[-_.]+", "-", match.group(0)).lower() if match else None


def pip_lines(path):
    logical, joined = [], ""
    with open(path, encoding="utf-8") as handle:
        for line in handle.read().splitlines():
            if not line.strip().startswith("#") and line.endswith("\\"):
                joined += line[:-1]
                continue
            logical.append(COMMENT.sub("", joined + line).strip())
            joined = ""
    return logical


def read_pip(lines, folder, out):
    for line in lines:
        include = re.match(r"^(-r|--requirement)[ =]?\s*(\S+)$", line)
        if include and "://" not in include.group(2):
            path = os.path.join(folder, include.group(2))
            read_pip(pip_lines(path), os.path.dirname(path), out)
            continue
        name = pip_name(line)
        if name:
            out.add("pip " + name)


def read_conda(path, out):
    with open(path, encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=yaml.BaseLoader) or {}
    for channel in document.get("channels") or []:
        print("channel " + channel)
    for name, value in (document.get("variables") or {}).items():
        out.add("variable {}={}".format(name, value))
    for item in document.get("dependencies") or []:
        if isinstance(item, str):
            spec = item.rsplit("::", 1)[-1].strip()
            out.add("conda " + NAME.match(spec).group(0).lower())
        elif isinstance(item, dict) and isinstance(item.get("pip"), list):
            read_pip(item["pip"], os.path.dirname(path), out)


def main():
    path, kind = sys.argv[1], sys.argv[2]
    facts = set()
    if kind == "conda":
        read_conda(path, facts)
    else:
        read_pip(pip_lines(path), os.path.dirname(path), facts)
    for fact in sorted(facts):
        print(fact)


main()
