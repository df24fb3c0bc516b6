"""The evaluation's per-source view: headlines, live posts and articles are scored apart and add up to the whole."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from streams.dataset import evaluate
from streams.dataset.evaluate import evaluate_by_source, gold_split, source_of
from streams.dataset.pool import POOL_DIR

needs_pool = pytest.mark.skipif(not POOL_DIR.is_dir(), reason=f"the training pool is read from {POOL_DIR}")


def test_a_passage_s_source_is_its_record_id_without_the_number() -> None:
    assert source_of("guardian-ru-00412:0-57") == "guardian-ru"
    assert source_of("bbcgaza-lf-00031:120-512") == "bbcgaza-lf"
    assert source_of("bbcgaza-article-01673:0-640") == "bbcgaza-article"
    assert source_of("trends-2024-04-08-litauen:0-300") == "trends"


def _nothing_found(_article) -> SimpleNamespace:
    return SimpleNamespace(events=())


@needs_pool
def test_the_sources_partition_the_split_and_their_misses_add_up() -> None:
    parts = evaluate_by_source("en", "train", _nothing_found)
    assert set(parts) == {"guardian-ru", "bbcgaza-lf", "bbcgaza-article"}
    assert sum(part.passages for part in parts.values()) == len(gold_split("en", "train"))
    whole = evaluate.evaluate("en", "train", _nothing_found)
    assert sum(part.overall.fn for part in parts.values()) == whole.overall.fn > 0
    assert all(part.overall.tp == 0 for part in parts.values())


@needs_pool
def test_the_command_prints_one_line_per_source_then_the_whole(monkeypatch, capsys) -> None:
    monkeypatch.setattr(evaluate, "extract", _nothing_found)
    monkeypatch.setattr(
        evaluate, "evaluate", lambda lang, split, extractor=_nothing_found, style="original": evaluate.score([])
    )
    monkeypatch.setattr(
        evaluate, "evaluate_by_source", lambda lang, split, extractor, style: {"guardian-ru": evaluate.score([])}
    )
    assert evaluate.main(["--split", "dev", "--lang", "en", "--by-source"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("source") for line in lines] == ["guardian-ru", None]
