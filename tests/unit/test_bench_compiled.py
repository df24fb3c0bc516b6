"""bench.compiled: its interpreted side reads the package from its sources whatever lies beside them; differences."""

from __future__ import annotations

import importlib.machinery
import subprocess
import sys
from pathlib import Path

from bench.compiled import differences, sample_files

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]
PROJECT = Path(__file__).resolve().parents[2]


def test_the_interpreted_side_imports_the_sources_and_not_the_extension_modules_beside_them(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("WHERE = 'source'\n")
    (package / f"mod{EXTENSION}").write_bytes(b"an extension module Python would import first (and fail on)")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "__init__.py").write_text("")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path\n"
        "from bench.compiled import interpreted_only\n"
        "import pkg.mod\n"
    )
    plain = subprocess.run(
        [sys.executable, "-c", code, str(PROJECT), str(tmp_path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert plain.returncode != 0 and "ImportError" in plain.stderr  # without it, the extension module is chosen
    code = code.replace("import pkg.mod\n", "interpreted_only(Path(sys.argv[2]) / 'pkg')\nimport pkg.mod, other\n")
    code += "print(pkg.mod.WHERE, type(pkg.mod.__loader__).__name__)\n"
    result = subprocess.run(
        [sys.executable, "-c", code, str(PROJECT), str(tmp_path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["source", "SourceFileLoader"]


def test_differences_name_the_articles_that_differ_or_that_one_side_lacks() -> None:
    assert differences({"a": "1", "b": "2"}, {"a": "1", "b": "2"}) == []
    assert differences({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"}) == ["b", "c", "d"]


def test_the_sample_is_the_project_sets_and_sample_articles_then_the_train_pool_heads() -> None:
    files = sample_files(0)
    assert all(limit is None for _, limit in files)
    names = {path.relative_to(PROJECT).as_posix() for path, _ in files}
    assert "fixtures/sample-articles.jsonl" in names and "tests/sets/golden/de/deployment.jsonl" in names
    assert all(limit == 5 for _, limit in sample_files(5)[len(files) :])
