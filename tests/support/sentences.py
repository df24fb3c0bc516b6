"""Labelled sentences of the extraction stage tests, kept as data: tests/unit/extraction/sentences/<lang>/<stage>.jsonl."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pytest

SENTENCES_DIR = Path(__file__).resolve().parents[1] / "unit" / "extraction" / "sentences"
# Besides the test it belongs to and the fields that test reads, a line may say why it is there.
BOOKKEEPING_KEYS = {"test", "note"}

Test = TypeVar("Test", bound=Callable[..., Any])


def stage_of(module: str) -> str:
    """The stage a test module is named after: test_actors -> actors (its sentences are in actors.jsonl)."""
    name = module.rsplit(".", 1)[-1]
    assert name.startswith("test_"), f"{module} is no test module"
    return name.removeprefix("test_")


@cache
def records(stage: str) -> tuple[tuple[str, Path, int, dict[str, Any]], ...]:
    """(lang, file, line number, record) of every labelled sentence of a stage, language by language."""
    found = []
    for path in sorted(SENTENCES_DIR.glob(f"*/{stage}.jsonl")):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert line.strip(), f"{path}:{line_no}: blank line"
            found.append((path.parent.name, path, line_no, json.loads(line)))
    return tuple(found)


def sentence_table(*fields: str) -> Callable[[Test], Test]:
    """Parametrise a stage test over its labelled sentences in every language: `lang` and the named fields of each
    line whose "test" is the function's name, read from sentences/<lang>/<stage>.jsonl of the module's stage."""

    def parametrise(test: Test) -> Test:
        rows = []
        for lang, path, line_no, record in records(stage_of(test.__module__)):
            if record.get("test") != test.__name__:
                continue
            keys = set(record) - BOOKKEEPING_KEYS
            assert keys == set(fields), f"{path}:{line_no}: fields {sorted(keys)}, {test.__name__} reads {fields}"
            rows.append((lang, *(record[field] for field in fields)))
        # An empty table would make the test vanish from the run instead of failing.
        assert rows, f"no labelled sentences for {test.__name__} in {SENTENCES_DIR}/*/{stage_of(test.__module__)}.jsonl"
        return pytest.mark.parametrize(("lang", *fields), rows)(test)

    return parametrise
