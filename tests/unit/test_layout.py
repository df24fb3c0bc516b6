"""streams/ is grouped by role, and the worker's path stays clear of the local broker and the test harness.

The worker's path is every module the worker's own modules (streams/worker/) import, followed through streams/
transitively, in-function imports included. None of it may be the harness (local broker, worker subprocesses,
feeding, reliability scenarios) or an operator command.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import streams

ROOT = Path(streams.__file__).parent
WORKER_ROOTS = ("streams.worker",)
FORBIDDEN_ON_THE_WORKER_PATH = ("streams.harness", "streams.commands")


def module_path(name: str) -> Path | None:
    """The file of a module under streams/ (a package's __init__.py), or None for anything else."""
    if name != "streams" and not name.startswith("streams."):
        return None
    parts = name.split(".")[1:]
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """The streams modules a file imports anywhere in it: `import a.b`, `from a import b` (b a module or a name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    # `import a.b.c` loads a and a.b as well; keep every streams module that exists
    closed = {".".join(name.split(".")[:i]) for name in found for i in range(1, name.count(".") + 2)}
    return {name for name in closed if module_path(name) is not None}


def worker_path() -> dict[str, list[str]]:
    """Every streams module reachable from streams/worker/, with one chain of imports that reaches it."""
    starts = [module_name(p) for root in WORKER_ROOTS for p in sorted(module_path(root).parent.rglob("*.py"))]
    chains: dict[str, list[str]] = {name: [name] for name in starts}
    queue = list(starts)
    while queue:
        current = queue.pop()
        for imported in sorted(imported_modules(module_path(current))):
            if imported not in chains:
                chains[imported] = [*chains[current], imported]
                queue.append(imported)
    return chains


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN_ON_THE_WORKER_PATH)


def test_the_worker_path_imports_neither_the_harness_nor_the_commands() -> None:
    offending = {name: " -> ".join(chain) for name, chain in worker_path().items() if _forbidden(name)}
    assert offending == {}


def test_the_walk_sees_the_worker_path() -> None:
    reached = set(worker_path())
    assert {
        "streams.worker.app",
        "streams.worker.processing",
        "streams.kafka.connection",
        "streams.settings",
    } <= reached
    assert "streams.extraction" in reached  # processing imports it inside a function


def test_the_walk_catches_a_harness_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "streams"
    for folder in ("worker", "kafka", "harness"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "worker" / "app.py").write_text("from streams.kafka import client\n")
    (package / "kafka" / "client.py").write_text("def connect():\n    from streams.harness.broker import LocalBroker\n")
    (package / "harness" / "broker.py").write_text("class LocalBroker: ...\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", package)
    chains = worker_path()
    assert chains["streams.harness.broker"] == ["streams.worker.app", "streams.kafka.client", "streams.harness.broker"]
    assert _forbidden("streams.harness.broker") and not _forbidden("streams.harnessed")


@pytest.mark.parametrize("role", ["worker", "kafka", "commands", "harness", "extraction", "dataset"])
def test_each_role_is_a_package(role: str) -> None:
    assert (ROOT / role / "__init__.py").is_file()


def test_no_flat_modules_beyond_the_shared_settings() -> None:
    """streams/ holds packages by role; the one module every role reads (settings) stays at the top."""
    assert sorted(p.name for p in ROOT.glob("*.py")) == ["__init__.py", "settings.py"]
