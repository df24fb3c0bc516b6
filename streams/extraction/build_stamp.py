"""Which extraction modules are compiled with mypyc, and the guard that a compiled build is never used stale.

The interpreted sources are the source of truth. `make compile` (setup.py with NEWSEVENTS_COMPILE=1) builds C
extension modules beside them in place, and a wheel built that way ships them; Python then imports an extension
module before the `.py` file of the same name. So a build made from other sources than the ones beside it would be
run silently: `check()` (called by the package's `__init__` before any other module of the package is imported)
compares the build stamp, written at build time with the list of the build's inputs and their hash (the sources
compiled and the project's modules they import, schemas/ among them: mypyc compiles against their types), with the
sources present, and refuses to import a build that does not match them.

Standard library only, and never compiled itself: setup.py loads this file on its own (without the package and its
dependencies), and it must run before any compiled module is imported.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

PACKAGE_DIR = Path(__file__).resolve().parent
STAMP_NAME = "compiled-build.json"
# The shared library that holds the compiled modules' code (mypycify's group_name): a top-level module beside the
# `streams` package, where mypyc expects it (it derives each compiled module's __file__ from the library's folder).
GROUP_NAME = "newsevents_extraction"
SHARED_LIBRARY = f"{GROUP_NAME}__mypyc"
# Left interpreted: the package's entry and this guard; and every module that imports pydantic (its models: mypyc
# compiles no pydantic metaclass), found by PYDANTIC_IMPORT so that a new lexicon-schema module needs no entry here.
INTERPRETED = frozenset({"__init__", "build_stamp"})
PYDANTIC_IMPORT = re.compile(rb"^(?:from|import) pydantic\b", re.MULTILINE)
# The project's top-level packages (pyproject.toml's packages.find): what a compiled module imports from them is
# compiled against, and so part of the build's sources.
FIRST_PARTY = frozenset({"streams", "schemas"})


class StaleCompiledBuild(ImportError):
    """Compiled extension modules lie beside sources other than the ones they were built from (or a build is
    incomplete). Rebuild with `make compile`, or remove the build with `make uncompile`."""


def compiled_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The module names (without .py) that a compiled build compiles, sorted."""
    return sorted(
        path.stem
        for path in package_dir.glob("*.py")
        if path.stem not in INTERPRETED and not PYDANTIC_IMPORT.search(path.read_bytes())
    )


def _module_file(folder: Path, dotted: str) -> Path | None:
    """The source of module `dotted` below `folder` (a module file or a package's __init__), None if not there."""
    base = folder.joinpath(*dotted.split(".")) if dotted else folder
    for candidate in (base.with_suffix(".py") if dotted else None, base / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def _imports(path: Path, root: Path) -> set[Path]:
    """The project's source files that `path` imports, at any depth of its code: relative imports, and absolute ones of
    FIRST_PARTY packages (third-party packages are versioned dependencies, not sources of the build)."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            targets = [(root, alias.name) for alias in node.names if alias.name.split(".")[0] in FIRST_PARTY]
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] in FIRST_PARTY):
            folder = path.parents[node.level - 1] if node.level else root
            module = node.module or ""
            # `from x import y`: y is a name of x, or its submodule.
            targets = [(folder, module), *((folder, f"{module}.{a.name}".lstrip(".")) for a in node.names)]
        else:
            continue
        found.update(source for folder, dotted in targets if (source := _module_file(folder, dotted)) is not None)
    return found


def build_inputs(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """What mypyc reads to compile a build: the modules it compiles and every project module they import, directly or
    not (the extraction's interpreted modules, `schemas`), with the packages that hold them; sorted. The compiled code
    is compiled against their types and constants, so an edit to any of them makes a build stale."""
    root = package_dir.parents[1]
    pending = [package_dir / f"{name}.py" for name in compiled_modules(package_dir)]
    seen: set[Path] = set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        package = path.parent if path.name != "__init__.py" else path.parent.parent
        holder = package / "__init__.py"
        pending += [*_imports(path, root), *([holder] if holder.is_file() and package != root else [])]
    return sorted(seen)


class BuildSources(NamedTuple):
    """The build's inputs (paths from the project's root, as build_inputs finds them) and the sha256 over them."""

    inputs: list[str]
    sha256: str


def _inputs_hash(root: Path, inputs: list[str]) -> str | None:
    """sha256 over the names and bytes of `inputs` (paths from `root`); None when one of them is gone."""
    digest = hashlib.sha256()
    for name in inputs:
        try:
            data = (root / name).read_bytes()
        except OSError:
            return None
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def build_sources(package_dir: Path = PACKAGE_DIR) -> BuildSources:
    """The build's inputs and their hash, taken at build time (setup.py, before mypyc reads them). Only the build
    follows the imports; the import guard hashes the listed files again, which costs no parse."""
    root = package_dir.parents[1]
    inputs = [path.relative_to(root).as_posix() for path in build_inputs(package_dir)]
    sha256 = _inputs_hash(root, inputs)
    assert sha256 is not None  # (build_inputs lists files it has just read)
    return BuildSources(inputs, sha256)


def _sources_match(package_dir: Path, stamp: dict[str, Any]) -> bool:
    """Whether the stamped inputs are all there, unchanged, and still include every module a build would compile.
    This is as strict as following the imports again: a new import can only come from an edit to a listed file, which
    changes the hash; a module added to the package is caught by the last test."""
    inputs = stamp.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(name, str) for name in inputs):
        return False  # (a stamp written before the inputs were listed)
    root = package_dir.parents[1]
    folder = package_dir.relative_to(root).as_posix()
    compiled = {f"{folder}/{name}.py" for name in compiled_modules(package_dir)}
    return stamp.get("sources_sha256") == _inputs_hash(root, inputs) and compiled <= set(inputs)


def extension_files(package_dir: Path = PACKAGE_DIR) -> dict[str, str]:
    """The compiled extension modules present in the package folder: module name -> file name."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    found: dict[str, str] = {}
    for entry in os.listdir(package_dir):
        for suffix in suffixes:
            if entry.endswith(suffix):
                found[entry[: -len(suffix)]] = entry
                break
    return found


def remove_build(package_dir: Path = PACKAGE_DIR) -> None:
    """Delete a compiled build made in place (its extension modules, shared library and stamp): the sources run
    interpreted."""
    for name in extension_files(package_dir).values():
        (package_dir / name).unlink()
    root = package_dir.parents[1]
    shared = extension_files(root).get(SHARED_LIBRARY)
    if shared is not None:
        (root / shared).unlink()
    (package_dir / STAMP_NAME).unlink(missing_ok=True)


def write_stamp(compiler: str, sources: BuildSources, target_dir: Path = PACKAGE_DIR) -> Path:
    """Record what a build compiled, once it is complete (setup.py; sources taken before compiling)."""
    stamp = {
        "sources_sha256": sources.sha256,
        "inputs": sources.inputs,
        "modules": compiled_modules(target_dir),
        "compiler": compiler,
    }
    path = target_dir / STAMP_NAME
    path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return path


def check(package_dir: Path = PACKAGE_DIR) -> bool:
    """True when a compiled build that matches its sources lies in package_dir, False when there is none (no extension
    module present); StaleCompiledBuild when a build is present but stale, incomplete or unstamped."""
    extensions = extension_files(package_dir)
    if not extensions:
        return False
    fix = "rebuild it (`make compile`) or remove it (`make uncompile`)"
    stamp_path = package_dir / STAMP_NAME
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StaleCompiledBuild(
            f"compiled extraction modules without a readable build stamp ({error}): {fix}"
        ) from None
    if not _sources_match(package_dir, stamp):
        raise StaleCompiledBuild(
            f"the compiled extraction modules in {package_dir} were built from other sources than the ones beside "
            f"them (a module compiled or one it is compiled against, such as schemas/, changed, was added or removed "
            f"since the build): {fix}"
        )
    built = set(stamp.get("modules", ()))
    missing = sorted(built - set(extensions))
    if missing:
        raise StaleCompiledBuild(f"incomplete compiled build, no extension module for {missing[:5]}: {fix}")
    foreign = sorted(set(extensions) - built)
    if foreign:
        # (Python would import these before their sources: left by an earlier build that compiled more modules.)
        raise StaleCompiledBuild(f"extension modules that the stamped build did not make: {foreign[:5]}: {fix}")
    return True


COMPILED_ENV = "NEWSEVENTS_REQUIRE_COMPILED"


def require_compiled(compiled: bool) -> None:
    """With NEWSEVENTS_REQUIRE_COMPILED=1 (CI's compiled lane, the image) an interpreted extraction is an error."""
    if os.environ.get(COMPILED_ENV) == "1" and not compiled:
        raise ImportError(f"{COMPILED_ENV}=1 but the extraction is not compiled (build it with `make compile`)")


def build_is_fresh(package_dir: Path = PACKAGE_DIR) -> bool:
    """True when a compiled build matching the sources lies in package_dir; False when there is none or it is stale
    (what `make compile` asks, by the same hash the import guard checks, not by file times)."""
    try:
        return check(package_dir)
    except StaleCompiledBuild:
        return False


def loads_extensions(package_dir: Path = PACKAGE_DIR) -> bool:
    """Whether this process's import system takes the build's extension modules in package_dir: a path hook installed
    before (streams.dataset's sources_only, the sources test lane) reads the `.py` sources instead, and then the
    package runs interpreted although a fresh build lies beside it."""
    name = min(extension_files(package_dir))
    spec = importlib.machinery.PathFinder.find_spec(name, [str(package_dir)])
    return spec is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader)


def load_shared_library(package_dir: Path = PACKAGE_DIR) -> None:
    """Make the build's shared library importable for the compiled modules. A wheel installs it at the top of
    site-packages, where the import system finds it; an in-place build (`make compile`) leaves it at the project's
    root, which an editable install's entry points (`newsevents extract`) do not have on sys.path. So when it is not
    importable it is loaded from the root by its file name, and registered under its module name."""
    if SHARED_LIBRARY in sys.modules or importlib.util.find_spec(SHARED_LIBRARY) is not None:
        return
    root = package_dir.parents[1]
    shared = extension_files(root).get(SHARED_LIBRARY)
    if shared is None:
        raise StaleCompiledBuild(
            f"compiled extraction modules without their shared library {SHARED_LIBRARY} in {root}: rebuild it "
            "(`make compile`) or remove it (`make uncompile`)"
        )
    spec = importlib.util.spec_from_file_location(SHARED_LIBRARY, root / shared)
    assert spec is not None and spec.loader is not None  # (a file with an extension suffix always has a loader)
    library = importlib.util.module_from_spec(spec)
    sys.modules[SHARED_LIBRARY] = library
    spec.loader.exec_module(library)


# The package imports this module first (see its __init__); setup.py loads the file under another name, to stamp a
# build, and must not check the build it is about to replace. Run as a script (`python build_stamp.py`, by `make
# compile`) it exits 0 when a fresh build is present and 1 otherwise.
COMPILED = False
if __name__ == "streams.extraction.build_stamp":
    COMPILED = check() and loads_extensions()
    require_compiled(COMPILED)
    if COMPILED:
        load_shared_library()
elif __name__ == "__main__":
    raise SystemExit(0 if build_is_fresh() else 1)
