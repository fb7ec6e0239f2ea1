"""Shared fixtures of the Python tests, which run against the installed wheel.

``./run`` builds the wheel, installs it into a fresh venv and runs pytest on
this directory with WS_SOURCE_ROOT, WS_BUILD_ROOT and WS_PEERS_DIR set.
"""
import os
import pathlib

import pytest

import libworkspace


@pytest.fixture
def lw():
    """The installed libworkspace module."""
    return libworkspace


@pytest.fixture
def source_root() -> pathlib.Path:
    return pathlib.Path(os.environ.get("WS_SOURCE_ROOT", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture
def peers_dir(source_root) -> pathlib.Path:
    return pathlib.Path(os.environ.get("WS_PEERS_DIR", source_root / "tests" / "peers"))


@pytest.fixture
def clean_env(monkeypatch):
    """Removes every variable of the session pod from os.environ for the test."""
    for var in libworkspace.env_table():
        monkeypatch.delenv(var["name"], raising=False)
    return monkeypatch
