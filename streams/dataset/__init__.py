"""Real-news data set: the training pool cut into passages, labels as offsets, annotation and splits.

The tooling here extends and instruments the extraction's classes (crossval's RecordingReader reads like the model
reader; diagnose lets a reading through every scope check), which a compiled build (`make compile`) does not allow:
its classes take no interpreted subclass and no patched method. So `python -m streams.dataset.…` imports the
extraction from its sources, whatever compiled build lies beside them (it computes the same events, more slowly).
"""

from __future__ import annotations

import importlib.machinery
import sys
from importlib.abc import PathEntryFinder
from pathlib import Path


def sources_only(package_dir: Path) -> None:
    """From now on this process imports the package in package_dir from its `.py` sources, whatever extension
    modules lie beside them (effective for a package not imported yet). Other folders keep the usual finders."""
    target = package_dir.resolve()
    source_only = importlib.machinery.FileFinder.path_hook(
        (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES)
    )

    def hook(path: str) -> PathEntryFinder:
        if Path(path).resolve() != target:
            raise ImportError("not the package read from its sources")  # the next hook takes it
        return source_only(path)

    sys.path_hooks.insert(0, hook)
    sys.path_importer_cache.clear()


if "streams.extraction" not in sys.modules:  # (imported already in a test process: nothing to choose any more)
    sources_only(Path(__file__).resolve().parents[1] / "extraction")
