"""Fixtures of the static deployment tests: the real promtool from Debian's prometheus package."""

from __future__ import annotations

import subprocess

import pytest
from support.ops_files import require_tool


@pytest.fixture(scope="session")
def promtool() -> str:
    return require_tool("promtool")


@pytest.fixture(scope="session")
def promtool_version(promtool: str) -> str:
    """First line of `promtool --version`, shown in the test report header of failures."""
    return subprocess.run([promtool, "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
