"""The pure packages (extraction, stories) stay pure: no Kafka, Faust, metrics or app imports anywhere in them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import streams.extraction
import streams.stories

PACKAGES = [Path(streams.extraction.__file__).parent, Path(streams.stories.__file__).parent]
FORBIDDEN_ROOTS = {"faust", "kafka", "aiokafka", "prometheus_client", "mode", "aiohttp"}
FORBIDDEN_MODULES = {"streams.worker", "streams.kafka", "streams.commands", "streams.harness", "streams.settings"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _offending(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if name.split(".")[0] in FORBIDDEN_ROOTS
        or any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES)
    ]


MODULES = sorted(module for package in PACKAGES for module in package.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_module_has_no_forbidden_imports(module: Path) -> None:
    assert _offending(_imports(module)) == []


def test_the_scan_sees_every_module() -> None:
    assert {p.name for p in MODULES} >= {
        "__init__.py",
        "engine.py",
        "lexicon.py",
        "gazetteer.py",
        "core.py",
        "rules.py",
    }
    assert {p.parent.name for p in MODULES} >= {"extraction", "stories"}


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "import faust\nfrom streams.worker.metrics import Metrics\nfrom prometheus_client import Counter\n"
    )
    assert _offending(_imports(module)) == [
        "faust",
        "streams.worker.metrics",
        "streams.worker.metrics.Metrics",
        "prometheus_client",
        "prometheus_client.Counter",
    ]
