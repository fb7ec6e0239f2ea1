"""The pod plan is the same from every face: Python's plan for each row of
the table bindings/go/testdata/pod_plan_cases.json equals the CLI's, as the
Go package's does (bindings/go/podplan_test.go), errors included."""
import json
import os
import pathlib
import subprocess

import pytest

import libworkspace as lw

SOURCE_ROOT = pathlib.Path(os.environ.get("WS_SOURCE_ROOT", pathlib.Path(__file__).resolve().parents[2]))
BUILD_ROOT = pathlib.Path(os.environ.get("WS_BUILD_ROOT", SOURCE_ROOT / "build"))
CASES = json.loads((SOURCE_ROOT / "bindings" / "go" / "testdata" / "pod_plan_cases.json").read_text())


def cli_pod_plan(case):
    cli = BUILD_ROOT / "examples" / "ambient-workspace" / "ambient-workspace"
    assert cli.exists(), f"the CLI is not built at {cli}"
    args = [str(cli), "pod-plan"]
    if case["settings"] is not None:
        args += ["--settings", json.dumps(case["settings"])]
    run = subprocess.run(args, input=json.dumps(case["session"]), capture_output=True, text=True,
                         env={"PATH": os.environ["PATH"]})
    if run.returncode != 0:
        return None, run.stderr.strip().removeprefix("ambient-workspace: ")
    return json.loads(run.stdout), None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_python_plan_matches_the_cli_and_go(case):
    want, want_error = cli_pod_plan(case)
    if want_error is not None:
        with pytest.raises(lw.InvalidInputError) as e:
            lw.pod_plan(case["session"], case["settings"])
        assert str(e.value) == want_error
        return
    assert lw.pod_plan(case["session"], case["settings"]) == want
