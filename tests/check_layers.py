#!/usr/bin/env python3
"""The layer rule, checked: every #include in lib/<layer>/ names its own
layer or one that README's layer table lets it include (directly or through
the layers those include). README's table is the only statement of the
graph; this test fails on an include the table does not allow, naming the
file, the line and the layer, and on a table that does not parse.

Usage: check_layers.py SOURCE_ROOT
"""
import pathlib
import re
import sys

PUBLIC = "libworkspace"  # include/libworkspace/: the C API's headers
ROW = re.compile(r"^\| `([a-z]+)` \| (.*) \|$")
NAME = re.compile(r"`([a-z]+)/?`")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([A-Za-z_]+)/')


def read_table(readme):
    """layer -> the layers (and PUBLIC) it names, in README's order."""
    text = readme.read_text(encoding="utf-8")
    start = text.find("<!-- layers:begin -->")
    end = text.find("<!-- layers:end -->")
    if start < 0 or end < start:
        sys.exit(f"{readme}: no <!-- layers:begin --> ... <!-- layers:end --> table")
    table = {}
    for line in text[start:end].splitlines():
        m = ROW.match(line.strip())
        if m:
            table[m.group(1)] = NAME.findall(m.group(2))
    if not table:
        sys.exit(f"{readme}: the layer table has no rows")
    for layer, names in table.items():
        for name in names:
            if name != PUBLIC and name not in table:
                sys.exit(f"{readme}: layer table: {layer} names '{name}', which is no layer of the table")
    return table


def closure(table, layer):
    seen, todo = set(), list(table[layer])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(table.get(name, []))
    return seen


def main():
    root = pathlib.Path(sys.argv[1])
    table = read_table(root / "README.md")
    lib = root / "lib"
    folders = sorted(p.name for p in lib.iterdir() if p.is_dir())
    untabled = [f for f in folders if f not in table]
    if untabled:
        sys.exit(f"README.md layer table: lib/{untabled[0]}/ has no row")
    known = set(table) | {PUBLIC}
    errors = []
    for layer in folders:
        allowed = closure(table, layer) | {layer}
        for path in sorted((lib / layer).rglob("*")):
            if path.suffix not in (".hpp", ".cpp", ".h"):
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            for number, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) not in known or m.group(1) in allowed:
                    continue
                errors.append(f"{path.relative_to(root)}:{number}: includes {m.group(1)}/: layer {layer} may "
                              f"include only {', '.join(sorted(allowed - {layer})) or 'nothing else'}")
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} include(s) against the layer table of README.md")
        return 1
    print(f"{len(folders)} layers, every include allowed by README.md's layer table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
