"""The stories agent's progress as the SIGKILL stories test reads it: lag per partition, the wait that lasts while the
committed offsets advance, and where missing reports sit against them (lag or loss)."""

from __future__ import annotations

import orjson

from streams.harness.story_progress import (
    PartitionLag,
    StoryEventsProgress,
    _article_ids,
    counter_totals,
    describe_missing,
    total_lag,
)


class _ScriptedProgress(StoryEventsProgress):
    """Committed offsets from a script instead of a broker: one list of PartitionLag per call of lags()."""

    def __init__(self, script: list[list[PartitionLag]]) -> None:  # no broker: the base __init__ is not called
        self.script = script
        self.calls = 0

    def lags(self) -> list[PartitionLag]:
        lags = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        return lags


def _lags(*committed: int, records_end: int = 100) -> list[PartitionLag]:
    return [PartitionLag(p, c, records_end, records_end + 3) for p, c in enumerate(committed)]


def test_lag_counts_committed_records_not_read_past_and_ignores_a_commit_past_the_markers() -> None:
    assert PartitionLag(0, committed=40, records_end=100, end=103).lag == 60
    assert PartitionLag(1, committed=103, records_end=100, end=103).lag == 0  # committed past the trailing marker
    assert PartitionLag(2, committed=0, records_end=0, end=0).lag == 0
    assert total_lag(_lags(40, 100, 90)) == 70


def test_the_wait_lasts_as_long_as_the_committed_offsets_advance() -> None:
    progress = _ScriptedProgress([_lags(10, 10), _lags(40, 10), _lags(70, 50), _lags(100, 80), _lags(100, 100)])
    drained = progress.wait_drained(stall_timeout=0.05, limit=10, check=lambda: None, poll=0.02)
    assert drained.caught_up and progress.calls == 5
    assert total_lag(drained.at_start) == 180 and drained.curve[-1][1] == 0


def test_the_wait_gives_up_when_the_committed_offsets_stop_advancing_and_keeps_the_lag() -> None:
    progress = _ScriptedProgress([_lags(10, 60), _lags(10, 100)])
    drained = progress.wait_drained(stall_timeout=0.1, limit=10, check=lambda: None, poll=0.02)
    assert not drained.caught_up
    assert [lag.lag for lag in drained.at_end] == [90, 0]


def test_the_wait_ends_at_its_limit_even_while_advancing() -> None:
    script = [_lags(n, records_end=10_000) for n in range(0, 10_000, 10)]
    drained = StoryEventsProgress.wait_drained(
        _ScriptedProgress(script), stall_timeout=5, limit=0.1, check=lambda: None, poll=0.01
    )
    assert not drained.caught_up and drained.seconds < 2


def test_missing_reports_below_the_committed_offset_are_told_apart_from_those_not_yet_committed() -> None:
    text = describe_missing({0: [5, 7, 20], 2: [31]}, _lags(10, 0, 30))
    assert text == (
        "p0 3 records 5..20: 2 below the committed offset 10, 1 at or above it; "
        "p2 1 records 31..31: 0 below the committed offset 30, 1 at or above it"
    )
    assert describe_missing({}, _lags(10)) == "none"


def test_the_articles_of_a_batched_and_of_a_single_story_events_record() -> None:
    batch = [{"story_key": "k1", "ingest_time": None, "event": {"article_id": "a1"}}, {"event": {"article_id": "a2"}}]
    assert _article_ids(orjson.dumps(batch)) == ["a1", "a2"]
    assert _article_ids(orjson.dumps({"article_id": "a3"})) == ["a3"]
    assert _article_ids(None) == []


def test_counter_totals_sum_a_counter_over_the_other_labels() -> None:
    metrics = "\n".join(
        [
            "# TYPE newsevents_story_updates_total counter",
            'newsevents_story_updates_total{type="deployment",change="joined"} 5.0',
            'newsevents_story_updates_total{type="denial",change="joined"} 2.0',
            'newsevents_story_updates_total{type="denial",change="opened"} 1.0',
        ]
    )
    assert counter_totals(metrics, "newsevents_story_updates_total", "change") == {"joined": 7.0, "opened": 1.0}
