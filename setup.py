"""The build hook for the compiled extraction: `NEWSEVENTS_COMPILE=1` compiles streams/extraction with mypyc.

Without the variable this is a plain setuptools build (pyproject.toml holds the metadata): the package is pure
Python and installs anywhere. With NEWSEVENTS_COMPILE=1 (`make compile` builds in place; the Dockerfile's builder
stage builds a compiled wheel) the modules that streams/extraction/build_stamp.py names are compiled to C extension
modules by mypyc (mypy's compiler; gcc and the Python headers are needed). Once every extension module is built, a
build stamp with the list and hash of the build's inputs (the sources compiled and the project's modules they import) is
written beside them: the package refuses to import a compiled build whose stamp is missing or names other sources
(streams/extraction/build_stamp.py).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
PACKAGE = Path("streams/extraction")


def _build_stamp() -> Any:
    # Loaded on its own: importing the package would import its dependencies, which a build need not have.
    spec = importlib.util.spec_from_file_location("_newsevents_build_stamp", ROOT / PACKAGE / "build_stamp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compiled_build() -> dict[str, Any]:
    import mypy.version
    from mypyc.build import mypycify

    stamp = _build_stamp()
    sources = stamp.build_sources()  # before mypyc reads them
    compiler = f"mypyc {mypy.version.__version__}, Python {sys.version.split()[0]}"
    extensions = mypycify(
        [str(PACKAGE / f"{name}.py") for name in stamp.compiled_modules()], group_name=stamp.GROUP_NAME, opt_level="3"
    )

    class StampedBuildExt(build_ext):
        """build_ext, then the stamp beside the extension modules (in place, or in the wheel's build folder)."""

        def run(self) -> None:
            if self.inplace:  # no stamp while a build is under way, and no module left from an earlier build
                stamp.remove_build(ROOT / PACKAGE)
            super().run()
            target = ROOT / PACKAGE if self.inplace else Path(self.build_lib) / PACKAGE
            stamp.write_stamp(compiler=compiler, sources=sources, target_dir=target)

    return {"ext_modules": extensions, "cmdclass": {"build_ext": StampedBuildExt}}


setup(**(compiled_build() if os.environ.get("NEWSEVENTS_COMPILE") == "1" else {}))
