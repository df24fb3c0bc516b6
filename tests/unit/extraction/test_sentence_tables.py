"""The labelled sentences under sentences/<lang>/<stage>.jsonl: every line belongs to a stage test that reads it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support.sentences import SENTENCES_DIR, records

from streams.extraction.lexicon import available_languages

STAGES = sorted({path.stem for path in SENTENCES_DIR.glob("*/*.jsonl")})


def _tables(module: Path) -> dict[str, set[str]]:
    """The test functions of a module parametrised by @sentence_table, with the fields each reads."""
    tables = {}
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "sentence_table":
                    tables[node.name] = {ast.literal_eval(arg) for arg in decorator.args}
    return tables


def test_the_sentences_are_in_shipped_languages() -> None:
    assert STAGES
    assert {path.name for path in SENTENCES_DIR.iterdir()} <= set(available_languages())


@pytest.mark.parametrize("stage", STAGES)
def test_every_sentence_is_read_by_a_test_of_its_stage(stage: str) -> None:
    module = SENTENCES_DIR.parent / f"test_{stage}.py"
    assert module.is_file(), f"sentences for {stage!r} but no {module.name}"
    tables = _tables(module)
    for _, path, line_no, record in records(stage):
        where = f"{path.parent.name}/{path.name}:{line_no}"
        assert record.get("test") in tables, f"{where}: no @sentence_table test {record.get('test')!r} in {module.name}"
        assert set(record) - {"test", "note"} == tables[record["test"]], f"{where}: fields differ from the test's"
