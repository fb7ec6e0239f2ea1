"""README's Python example runs as written (its paths moved into a temp dir)."""
import pathlib
import re


def readme_block(source_root, lang):
    text = (pathlib.Path(source_root) / "README.md").read_text()
    return re.search(r"```%s\n(.*?)```" % lang, text, re.S).group(1)


def test_readme_python_example_runs(source_root, tmp_path, capsys):
    code = readme_block(source_root, "python").replace("/tmp/lw-example", str(tmp_path))
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "'name': 'app'" in out
    assert "['init-hydrate', 'state-sync']" in out
    assert "'default/sess-1/artifacts/report.md'" in out
    assert "REPOS_JSON[0].url must be a string" in out
    assert (tmp_path / "store/ambient-sessions/default/sess-1/artifacts/report.md").read_text() == "# results\n"
