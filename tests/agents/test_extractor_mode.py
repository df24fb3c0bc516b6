"""NEWSEVENTS_EXTRACTOR: `rules` runs the extractor, `noop` (benchmarks) skips it and says so in every outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.settings import ExtractorMode, Settings
from streams.worker.processing import NOOP_EXTRACTOR_VERSION, MessageProcessor, SourceMessage

# The example article: the rules extractor finds several events in it.
KURSK = (Path(__file__).resolve().parents[2] / "fixtures" / "kursk-article.json").read_bytes()


def _message(value: bytes) -> SourceMessage:
    return SourceMessage(topic="articles.raw", partition=0, offset=7, timestamp=None, value=value)


def test_rules_is_the_default_and_finds_events(tmp_path):
    settings = Settings(data_dir=tmp_path)
    assert settings.extractor is ExtractorMode.rules
    result = MessageProcessor(settings).process(_message(KURSK))
    assert result.outcome.events >= 1
    assert result.outcome.extractor_version != NOOP_EXTRACTOR_VERSION


def test_noop_emits_an_ok_outcome_without_events(tmp_path):
    result = MessageProcessor(Settings(data_dir=tmp_path, extractor="noop")).process(_message(KURSK))
    assert result.event_records == ()
    assert result.outcome.status.value == "ok"
    assert result.outcome.extractor_version == NOOP_EXTRACTOR_VERSION
    assert [record.topic for record in result.final_records] == ["articles.processed"]


def test_noop_still_dead_letters_bad_input(tmp_path):
    processor = MessageProcessor(Settings(data_dir=tmp_path, extractor="noop"))
    bad = SourceMessage(topic="articles.raw", partition=0, offset=8, timestamp=None, value=b"not json")
    assert processor.process(bad).outcome.status.value == "dead_letter"


def test_unknown_mode_is_rejected(monkeypatch):
    monkeypatch.setenv("NEWSEVENTS_EXTRACTOR", "regex")
    with pytest.raises(ValueError):
        Settings()
