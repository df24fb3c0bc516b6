"""Tests that watch the extraction's own calls by patching one of its functions or methods see those calls only in
the interpreted sources: a compiled build (`make compile`) calls its functions and methods directly. In a compiled
build such a test runs itself once more, whole, in a subprocess that imports streams/extraction from its sources
(bench.compiled.interpreted_only), and passes when that run passes; so it holds, unweakened, for both builds."""

from __future__ import annotations

import importlib.machinery
import os
import re
import subprocess
import sys
from types import ModuleType

import pytest

_RERUN = (
    "from bench.compiled import interpreted_only\n"
    "interpreted_only()\n"
    "import sys, pytest\n"
    "sys.exit(pytest.main(sys.argv[1:]))\n"
)


def is_compiled(module: ModuleType) -> bool:
    """Was this module imported from a compiled extension module?"""
    return isinstance(getattr(module, "__loader__", None), importlib.machinery.ExtensionFileLoader)


def rerun_interpreted(request: pytest.FixtureRequest) -> None:
    """Run the requesting test in a subprocess on the interpreted sources; fail with its output unless it passed."""
    env = {**os.environ}
    env.pop("NEWSEVENTS_REQUIRE_COMPILED", None)
    command = [sys.executable, "-c", _RERUN, request.node.nodeid, "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(command, cwd=request.config.rootpath, env=env, capture_output=True, text=True, timeout=600)
    passed = re.search(r"^1 passed\b", result.stdout, re.MULTILINE)
    assert result.returncode == 0 and passed, result.stdout[-4000:] + result.stderr[-2000:]
