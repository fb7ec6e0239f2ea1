"""README's "One operation, three faces" table against the three faces.

Usage: faces_table.py README LIBWORKSPACE_SO PYTHON_BINDINGS_DIR CLI

Every name in a face's column must exist in that face (C: exported by the
shared library; Python: registered by the pybind11 module; CLI: a command
of `--help`), and every operation a face has must be in the table, so an
operation added to one face and forgotten in the table, or listed and
missing, fails here.
"""
import pathlib
import re
import subprocess
import sys

# The C API's plumbing, not operations (README says so under the table).
C_PLUMBING = re.compile(r"^ws_(error_last|status_name|string_free|cancel_\w+|\w+_free|\w+_init)$")


def table_rows(readme):
    text = pathlib.Path(readme).read_text()
    body = text.split("<!-- faces-table: begin -->", 1)[1].split("<!-- faces-table: end -->", 1)[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append([re.findall(r"`([^`]+)`", c) for c in cells[1:4]])
    return rows


def c_exports(so):
    out = subprocess.run(["nm", "-D", "--defined-only", so], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.split()[-1].startswith("ws_")}


def python_names(bindings_dir):
    names = {"__version__"}
    for f in pathlib.Path(bindings_dir).glob("*.cpp"):
        src = f.read_text()
        names.update(re.findall(r'm\.def\(\s*"(\w+)"', src))
        for cls, body in re.findall(r'py::class_<[^>]*>\(\s*m,\s*"(\w+)"(.*?);\n', src, re.S):
            names.add(cls)
            names.update(cls + "." + m for m in re.findall(r'\.def\(\s*"([a-z]\w*)"', body))
    return names


def cli_commands(cli):
    out = subprocess.run([cli, "--help"], check=True, capture_output=True, text=True).stdout
    block = out.split("commands:", 1)[1].split("\n\n", 1)[0]
    # "  store sync            make REMOTE ..." -> "store sync"
    return {re.split(r"\s{2,}", line.strip())[0] for line in block.splitlines() if line.strip()}


def main():
    readme, so, bindings, cli = sys.argv[1:5]
    rows = table_rows(readme)
    faces = {"C": c_exports(so), "Python": python_names(bindings), "CLI": cli_commands(cli)}
    listed = {"C": set(), "Python": set(), "CLI": set()}
    problems = []
    for row in rows:
        for face, names in zip(("C", "Python", "CLI"), row):
            for name in names:
                key = " ".join(w for w in name.split() if not w.startswith("--")) if face == "CLI" else name
                listed[face].add(key)
                if key not in faces[face]:
                    problems.append(f"{face}: '{name}' is in README's table but not in the {face} face")
    for name in sorted(faces["C"] - listed["C"]):
        if not C_PLUMBING.match(name):
            problems.append(f"C: '{name}' is exported but not in README's table")
    for name in sorted(faces["Python"] - listed["Python"]):
        problems.append(f"Python: '{name}' is registered but not in README's table")
    for name in sorted(faces["CLI"] - listed["CLI"]):
        problems.append(f"CLI: command '{name}' is not in README's table")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
