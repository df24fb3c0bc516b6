"""Hostile input through a real worker on the real broker: malformed floods, adversarial text, oversize floods."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from schemas import DeadLetter, Outcome
from streams.harness.broker import LocalBroker
from streams.harness.faults import FaultBench
from streams.harness.feeding import make_producer, send_all
from streams.harness.hostile import hostile_flood, oversize_flood
from streams.harness.reading import read_all
from streams.harness.reliability import GroupProgress

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CAP = 65_536  # small cap: over-cap messages stay small, so the flood is about count, not bytes


@pytest.fixture
def bench_factory(kafka_broker: LocalBroker, tmp_path: Path) -> Iterator[Callable[..., FaultBench]]:
    benches: list[FaultBench] = []

    def make(**overrides: Any) -> FaultBench:
        overrides.setdefault("partitions", 4)
        bench = FaultBench(
            kafka_broker.bootstrap_servers, tmp_path / f"bench-{len(benches)}", guarantee="at_least_once", **overrides
        )
        benches.append(bench)
        return bench

    yield make
    for bench in benches:
        bench.close()


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"\nRELIABILITY {name} {json.dumps(figures)}")


def test_malformed_flood_every_message_reconciles_exactly(bench_factory: Callable[..., FaultBench]) -> None:
    """20,000 malformed messages of every kind mixed with 4,000 good ones (the 100k run: scripts/reliability)."""
    bench = bench_factory(max_message_bytes=CAP)
    result, figures = hostile_flood(bench, malformed=20_000, good=4_000)
    _print("hostile_flood", figures)

    assert figures["worker_alive_until_stopped"] and figures["worker_exit_code"] == 0, figures
    assert result.mismatches() == [], figures
    assert set(figures["kinds"]) >= {
        "random_bytes",
        "deep_nesting",
        "over_cap",
        "near_cap",
        "empty_or_tombstone",
        "null_bytes",
    }
    assert (
        figures["metrics_consumed"] == figures["metrics_ok"] + sum(figures["metrics_dead_letters"].values()) == 24_000
    )


def _adversarial_articles(prefix: str) -> dict[str, tuple[dict[str, str], set[str]]]:
    """Article id -> (article, allowed verdicts). Sizes stay under the broker's 1 MB record limit."""

    def repeat(pattern: str, size: int) -> str:
        return (pattern * (size // len(pattern) + 1))[:size]

    either = {"ok", "timeout"}
    return {
        f"{prefix}-megabyte-sentence": (
            {"text": repeat("Nordkorea schickt Soldaten nach Kursk und ", 950_000), "lang": "de"},
            either,
        ),
        f"{prefix}-cue-100000-times": ({"text": "deployed " * 100_000, "lang": "en"}, either),
        f"{prefix}-thousands-of-numbers": (
            {"text": " ".join(f"{n:,} troops" for n in range(1000, 40_000, 3)), "lang": "en"},
            either,
        ),
        f"{prefix}-rtl-zero-width": (
            {
                "text": repeat(
                    "\u202eقوات \u200bروسيا\u200f נשלחו \u200d troops\u2066 deployed\u2069 to Kursk\u200b. ", 400_000
                )
            },
            either,
        ),
        f"{prefix}-html-scripts": (
            {
                "text": repeat(
                    "<script>alert('deployed troops');</script><p>Russia deployed 3,000 troops to Kursk.</p>", 400_000
                )
            },
            either,
        ),
        # Tens of thousands of short sentences: far more work than the budget allows on any machine.
        f"{prefix}-over-budget": (
            {"text": repeat("Russia deployed troops to Kursk. ", 950_000), "lang": "en"},
            {"timeout"},
        ),
    }


def test_adversarial_text_is_bounded_by_the_time_budget_and_the_worker_keeps_going(
    bench_factory: Callable[..., FaultBench],
) -> None:
    budget = 1.0  # wall time: small enough for the hostile articles, large enough for a stall on a busy machine
    bench = bench_factory(article_time_budget_seconds=budget)
    settings = bench.settings
    adversarial = _adversarial_articles(settings.app_id)
    followers = bench.articles(200)  # ordinary articles after the hostile ones must still be processed
    worker = bench.start_worker()

    started = time.monotonic()
    producer = make_producer(settings)
    try:
        send_all(
            producer,
            settings.topic_raw,
            [(k.encode(), orjson.dumps({"id": k, **a})) for k, (a, _) in adversarial.items()],
        )
        send_all(producer, settings.topic_raw, [(a.article_id.encode(), a.value) for a in followers])
    finally:
        producer.close()
    total = len(adversarial) + len(followers)
    with GroupProgress(settings) as progress:
        progress.wait_committed(total, timeout=120, worker=worker)
    elapsed = time.monotonic() - started

    outcomes = [
        Outcome.model_validate_json(r.value)
        for r in read_all(settings, [settings.topic_processed], read_committed=True)
    ]
    verdicts = {o.article_id: (o.reason or o.status.value) for o in outcomes}
    figures = {
        "seconds": round(elapsed, 2),
        "verdicts": {k.removeprefix(settings.app_id + "-"): verdicts.get(k) for k in adversarial},
        "followers_not_ok": {
            a.article_id: verdicts.get(a.article_id) for a in followers if verdicts.get(a.article_id) != "ok"
        },
    }
    _print("adversarial_text", figures)

    # Exactly one outcome each: an extraction that blocked the worker past its session would be reprocessed.
    assert len(outcomes) == total, figures
    for article_id, (_, allowed) in adversarial.items():
        assert verdicts[article_id] in allowed, figures
    assert Counter(verdicts[a.article_id] for a in followers) == {"ok": len(followers)}, figures
    letters = [
        DeadLetter.model_validate_json(r.value) for r in read_all(settings, [settings.topic_dlq], read_committed=True)
    ]
    assert {letter.article_id for letter in letters if letter.reason.value == "timeout"} == {
        k for k in adversarial if verdicts[k] == "timeout"
    }
    status, health = worker.health()
    assert status == 200 and health["consuming"], health
    # Six hostile articles, each cut off at the budget (plus decoding and publishing ~1 MB), then 200 small ones.
    assert elapsed < len(adversarial) * (budget + 2.0) + 30, figures
    assert worker.terminate() == 0


def test_oversize_flood_keeps_worker_memory_bounded(bench_factory: Callable[..., FaultBench]) -> None:
    bench = bench_factory(max_message_bytes=CAP, partitions=2)
    figures = oversize_flood(bench, waves=3, per_wave=100, size=1_000_000)
    _print("oversize_flood", figures)

    assert figures["dead_lettered_too_large"] == 300
    first, *later = figures["rss_mib_peak_per_wave"]
    # Bounded: after the first wave warmed the buffers, more floods do not add memory ...
    assert all(peak <= first + 48 for peak in later), figures
    # ... and even the first stays far below the data it went through (300 MB).
    assert first - figures["rss_mib_baseline"] < 256, figures
    assert figures["worker_exit_code"] == 0
