"""The extraction compiled with mypyc (`make compile`): never run stale, and the same events as its sources.

The guard (streams/extraction/build_stamp.py) is tested on small packages made here, and on a copy of the project
whose package is imported in a subprocess. The comparison with the interpreted sources runs whenever this tree has a
compiled build; CI builds one (`make test` compiles first), and there a missing build fails instead of skipping.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.compiled import is_compiled

from bench.compiled import differences, side_digests
from streams.extraction import COMPILED, build_stamp
from streams.extraction.build_stamp import StaleCompiledBuild, build_sources, check, write_stamp

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]
PROJECT = Path(__file__).resolve().parents[3]


def _package(root: Path) -> Path:
    """A package folder with two modules a build compiles and one it leaves interpreted."""
    root.mkdir(parents=True, exist_ok=True)
    modules = {"__init__": "", "anchors": "from pydantic import BaseModel\n", "text": "T = 1\n", "merge": "M = 1\n"}
    for name, body in modules.items():
        (root / f"{name}.py").write_text(body)
    return root


def _build(package: Path) -> None:
    """What a complete build leaves: an extension module per compiled module, then the stamp."""
    for name in build_stamp.compiled_modules(package):
        (package / f"{name}{EXTENSION}").write_bytes(b"not loaded by check()")
    write_stamp("test", build_sources(package), package)


def test_the_modules_compiled_are_all_but_the_entry_the_guard_and_the_pydantic_models(tmp_path: Path) -> None:
    assert build_stamp.compiled_modules(_package(tmp_path)) == ["merge", "text"]
    real = build_stamp.compiled_modules()
    assert "engine" in real and "text" in real and "anchors" in real and len(real) >= 40
    assert not {"__init__", "build_stamp", "lexicon_schema", "lexicon_phrases", "anchor_schema"} & set(real)


def test_no_extension_module_is_the_interpreted_build(tmp_path: Path) -> None:
    assert check(_package(tmp_path)) is False


def test_a_complete_build_of_the_sources_beside_it_is_used(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _build(package)
    assert check(package) is True
    # An interpreted module that no compiled module imports: the build stays valid.
    (package / "anchors.py").write_text("import pydantic\n\nA = 2\n")
    assert check(package) is True


@pytest.mark.parametrize(
    "change",
    [
        lambda p: (p / "text.py").write_text("T = 2\n"),  # a compiled module edited after the build
        lambda p: (p / "places.py").write_text("P = 1\n"),  # a module added
        lambda p: (p / "merge.py").unlink(),  # a module removed
    ],
    ids=["edited", "added", "removed"],
)
def test_a_build_from_other_sources_is_refused(tmp_path: Path, change) -> None:
    package = _package(tmp_path)
    _build(package)
    change(package)
    with pytest.raises(StaleCompiledBuild, match="built from other sources"):
        check(package)


def test_a_build_is_stale_when_a_module_it_is_compiled_against_changes(tmp_path: Path) -> None:
    # mypyc compiles against the types and constants of what the compiled modules import (schemas/, the pydantic
    # lexicon models): an edit there left a build that the guard called fresh (review 17).
    package = _package(tmp_path / "streams" / "extraction")
    (tmp_path / "schemas").mkdir()
    for name, body in {"__init__": "from schemas.models import V\n", "models": "V = 1\n", "export": "E = 1\n"}.items():
        (tmp_path / "schemas" / f"{name}.py").write_text(body)
    (package / "text.py").write_text("from schemas import V\n\nfrom .anchors import A\n\nT = V\n")
    for edited in (tmp_path / "schemas" / "models.py", package / "anchors.py"):
        _build(package)
        edited.write_text(edited.read_text() + "W = 2\n")
        with pytest.raises(StaleCompiledBuild, match="built from other sources"):
            check(package)
    _build(package)
    (tmp_path / "schemas" / "export.py").write_text("E = 2\n")  # not imported by the build: it stays valid
    assert check(package) is True
    inputs = {path.relative_to(tmp_path).as_posix() for path in build_stamp.build_inputs(package)}
    assert {"schemas/models.py", "schemas/__init__.py", "streams/extraction/anchors.py"} <= inputs
    real = {path.relative_to(PROJECT).as_posix() for path in build_stamp.build_inputs()}
    assert {"schemas/models.py", "streams/extraction/lexicon_schema.py", "streams/extraction/engine.py"} <= real


def test_the_import_guard_hashes_the_inputs_the_build_listed_without_parsing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Following the imports parses every input (0.18 CPU s per import of a compiled extraction, review 18): the
    # build lists its inputs in the stamp, and the guard only hashes them again.
    package = _package(tmp_path / "streams" / "extraction")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "__init__.py").write_text("V = 1\n")
    (package / "text.py").write_text("from schemas import V\n\nT = V\n")
    _build(package)
    stamp = json.loads((package / build_stamp.STAMP_NAME).read_text(encoding="utf-8"))
    assert set(stamp["inputs"]) == {
        "schemas/__init__.py",
        "streams/extraction/__init__.py",
        "streams/extraction/merge.py",
        "streams/extraction/text.py",
    }

    def no_parse(*args: object) -> None:
        raise AssertionError("the import guard followed the imports")

    monkeypatch.setattr(build_stamp, "build_inputs", no_parse)
    monkeypatch.setattr(build_stamp.ast, "parse", no_parse)
    assert check(package) is True
    (tmp_path / "schemas" / "__init__.py").unlink()  # a listed input deleted
    with pytest.raises(StaleCompiledBuild, match="built from other sources"):
        check(package)


def test_a_stamp_that_lists_no_inputs_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _build(package)
    stamp_path = package / build_stamp.STAMP_NAME
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    del stamp["inputs"]  # as a build made before the inputs were listed
    stamp_path.write_text(json.dumps(stamp), encoding="utf-8")
    with pytest.raises(StaleCompiledBuild, match="built from other sources"):
        check(package)


def test_a_build_without_its_stamp_or_with_a_module_missing_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _build(package)
    (package / f"merge{EXTENSION}").unlink()
    with pytest.raises(StaleCompiledBuild, match=r"incomplete compiled build.*merge"):
        check(package)
    (package / build_stamp.STAMP_NAME).unlink()  # as while a build is under way, or after one that failed
    with pytest.raises(StaleCompiledBuild, match="without a readable build stamp"):
        check(package)


def test_an_extension_module_the_stamped_build_did_not_make_is_refused(tmp_path: Path) -> None:
    # An earlier build compiled a module that the newer one leaves interpreted: Python would import the old one.
    package = _package(tmp_path)
    (package / f"anchors{EXTENSION}").write_bytes(b"left by an earlier build")
    _build(package)
    with pytest.raises(StaleCompiledBuild, match=r"did not make: \['anchors'\]"):
        check(package)
    build_stamp.remove_build(package)
    assert check(package) is False and not build_stamp.extension_files(package)


def test_make_compile_asks_the_guards_own_question_not_file_times(tmp_path: Path) -> None:
    # `make compile` runs build_stamp.py as a script: exit 0 (nothing to do) only for a build the import would take.
    # Run from the package folder with -P, as the Makefile does, so that the folder's modules shadow no stdlib one.
    package = _package(tmp_path / "extraction")
    shutil.copy(build_stamp.__file__, package / "build_stamp.py")

    def fresh() -> int:
        command = [sys.executable, "-P", str(package / "build_stamp.py")]
        return subprocess.run(command, capture_output=True, timeout=60).returncode

    assert fresh() == 1  # no build
    _build(package)
    assert fresh() == 0
    (package / f"merge{EXTENSION}").unlink()  # a deleted extension module, its stamp newer than every source
    assert fresh() == 1
    _build(package)
    (package / "text.py").write_text("T = 3\n")  # an edit made during a build: the stamp is newer, the hash is not
    assert fresh() == 1


def _project_copy(tmp_path: Path) -> Path:
    """The importable code of the project without any compiled build."""
    ignore = shutil.ignore_patterns("__pycache__", f"*{EXTENSION}", "*.so", build_stamp.STAMP_NAME)
    for part in ("streams", "schemas"):
        shutil.copytree(PROJECT / part, tmp_path / part, ignore=ignore)
    return tmp_path


def _import_extraction(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    environment.pop("PYTHONPATH", None)
    command = [sys.executable, "-c", "import streams.extraction as e; print('compiled', e.COMPILED)"]
    return subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True, timeout=120)


def test_importing_the_package_refuses_a_stale_build_before_loading_any_of_it(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    package = root / "streams" / "extraction"
    assert _import_extraction(root).stdout.strip() == "compiled False"
    # Garbage where the extension modules go: had the import system reached one, the error would be another.
    _build(package)
    (package / "text.py").write_text((package / "text.py").read_text() + "\n# edited after the build\n")
    refused = _import_extraction(root)
    assert refused.returncode != 0
    assert "StaleCompiledBuild" in refused.stderr and "built from other sources" in refused.stderr


def test_a_process_that_reads_the_sources_says_it_runs_them_although_a_fresh_build_lies_beside_them(
    tmp_path: Path,
) -> None:
    # The sources lane (--extraction-sources) and any process that imports streams.dataset first read the extraction
    # from its sources: COMPILED said True there (a fresh build on disk), and loaded the build's shared library.
    root = _project_copy(tmp_path)
    _build(root / "streams" / "extraction")  # fresh, but garbage: loading any of it would fail
    script = "import streams.dataset, streams.extraction as e; print(e.COMPILED, type(e.engine.__loader__).__name__)"
    environment = {**os.environ}
    environment.pop("PYTHONPATH", None)
    ran = subprocess.run([sys.executable, "-c", script], cwd=root, env=environment, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split() == ["False", "SourceFileLoader"]


def test_an_image_or_lane_that_requires_the_compiled_build_refuses_the_interpreted_one(tmp_path: Path) -> None:
    refused = _import_extraction(_project_copy(tmp_path), NEWSEVENTS_REQUIRE_COMPILED="1")
    assert refused.returncode != 0 and "NEWSEVENTS_REQUIRE_COMPILED=1" in refused.stderr


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="CI only: `make test` compiles before it runs the suite")
def test_ci_runs_the_suite_against_the_compiled_build_and_the_extraction_tests_on_the_sources(
    pytestconfig: pytest.Config,
) -> None:
    assert build_stamp.build_is_fresh(), "CI's `make test` should have compiled the extraction (make compile) first"
    # The suite's own process must also have loaded the build (a process that imported streams.dataset first reads
    # the extraction from its sources), unless it is the sources lane; COMPILED says which one runs.
    from streams.extraction import engine

    if pytestconfig.getoption("--extraction-sources"):
        assert not is_compiled(engine) and not COMPILED, "the sources lane runs the compiled extraction"
    else:
        assert is_compiled(engine) and COMPILED, (
            "the test process runs the interpreted extraction although a build is present"
        )


def test_make_test_runs_the_extraction_s_fast_tests_on_the_sources_too() -> None:
    # CI (.ci/run) runs the README's `make test`: the whole suite against the compiled build, then the fast lane's
    # extraction and article-set tests once more with the compiled build not loaded (the sources are the truth).
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/pytest\n" in recipe and "$(MAKE) --no-print-directory unit-sources" in recipe
    sources = makefile.split("\nunit-sources:", 1)[1].split("\n\n", 1)[0]
    assert '-m "not slow and not integration" --extraction-sources' in sources
    lane = makefile.split("\nSOURCES_TESTS := ", 1)[1].split("\n", 1)[0].split()
    assert {"tests/unit/extraction", "tests/sets"} <= set(lane)
    assert "exec make test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(
    not COMPILED, reason="interpreted here: no compiled build (`make compile`; CI builds one), or the sources lane"
)
def test_the_compiled_build_gives_the_events_of_the_interpreted_sources() -> None:
    # The project's article sets and sample articles (800+), and 150 articles of each train-pool file when there.
    compiled, native = side_digests(150, interpreted=False)
    interpreted, leaked = side_digests(150, interpreted=True)
    assert leaked == [], "the interpreted side imported compiled modules"
    assert {"engine", "text", "actors", "merge"} <= set(native) <= set(build_stamp.compiled_modules())
    assert len(compiled) >= 800
    assert differences(compiled, interpreted) == []


@pytest.mark.skipif(
    not COMPILED, reason="interpreted here: no compiled build (`make compile`; CI builds one), or the sources lane"
)
def test_the_installed_command_runs_the_compiled_build_from_outside_the_project(tmp_path: Path) -> None:
    # An editable install's entry points (`newsevents extract`) do not have the project's root on sys.path, where an
    # in-place build leaves its shared library: the package loads it from there (a run from the root hid this).
    environment = {**os.environ}
    environment.pop("PYTHONPATH", None)
    script = "from streams.extraction import COMPILED, engine; print(COMPILED, type(engine.__loader__).__name__)"
    ran = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.split() == ["True", "ExtensionFileLoader"]
    command = Path(sys.executable).parent / "newsevents"
    article = '{"id": "k1", "lang": "de", "text": "Nordkorea hatte die Berichte bestritten."}\n'
    extracted = subprocess.run(
        [str(command), "extract"], cwd=tmp_path, env=environment, input=article, capture_output=True, text=True
    )
    assert extracted.returncode == 0, extracted.stderr[-2000:]
    assert '"denial"' in extracted.stdout
