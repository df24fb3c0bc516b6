"""bench.compiled compiles HEAD and runs the working tree interpreted: it must refuse a tree with changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench.compiled import uncommitted


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_changed_or_untracked_code_is_uncommitted_and_other_files_are_not(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "streams").mkdir()
    (tmp_path / "streams" / "a.py").write_text("x = 1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a")
    assert uncommitted(tmp_path) == []
    (tmp_path / "notes.md").write_text("not code\n")
    assert uncommitted(tmp_path) == []
    (tmp_path / "streams" / "a.py").write_text("x = 2\n")
    (tmp_path / "streams" / "b.py").write_text("y = 1\n")
    assert sorted(line[3:] for line in uncommitted(tmp_path)) == ["streams/a.py", "streams/b.py"]
