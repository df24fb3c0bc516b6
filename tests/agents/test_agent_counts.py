"""The pipeline agent's counters say what its results say: per status and language, per event type and language,
per dead-letter reason (the labelled children are kept between articles, metrics.LabelledChildren)."""

from __future__ import annotations

import asyncio
from collections import Counter

import orjson
from support.agents import RecordingPublisher, sample_articles

from streams.settings import Settings
from streams.worker.agents import PipelineAgent, WorkerState
from streams.worker.metrics import LabelledChildren, Metrics
from streams.worker.processing import MessageProcessor, SourceMessage


def test_a_labelled_child_is_the_metrics_own_and_counts_in_its_series() -> None:
    metrics = Metrics()
    children = LabelledChildren(metrics.articles_processed)
    child = children("ok", "en")
    assert child is metrics.articles_processed.labels(status="ok", lang="en")
    assert children("ok", "en") is child
    assert children("dead_letter", "und") is not child
    child.inc()
    children("ok", "en").inc(2)
    value = metrics.registry.get_sample_value("newsevents_articles_processed_total", {"status": "ok", "lang": "en"})
    assert value == 3.0


def _values() -> list[bytes]:
    articles = sample_articles()
    other_language = {"id": "other-lang", "lang": "pt", "text": "O governo enviou tropas para a fronteira ontem."}
    bad = [b"{not json", b'{"text": "no id"}', b"\xc3\x28", b'{"id": "blank", "text": "  "}']
    # Each article twice (fresh ids), so that every labelled child is met again after its first use.
    good = [orjson.dumps({**a, "id": f"{a['id']}~{n}"}) for n in range(2) for a in [*articles, other_language]]
    return [*good[:3], *bad, *good[3:], *bad[:2]]


def test_counters_match_the_results_over_a_mixed_batch(settings: Settings) -> None:
    quiet = settings.model_copy(update={"article_time_budget_seconds": 30.0, "stories_enabled": False})
    processor = MessageProcessor(quiet)
    processor.warm_up()
    metrics = Metrics()
    agent = PipelineAgent(processor, RecordingPublisher(), metrics, WorkerState())
    messages = [
        SourceMessage(topic="raw", partition=n % 3, offset=n, timestamp=None, value=value)
        for n, value in enumerate(_values())
    ]
    # Two batches: the children made in the first are used again in the second.
    results = asyncio.run(agent.handle_batch(messages[:7])) + asyncio.run(agent.handle_batch(messages[7:]))

    processed = Counter((r.outcome.status.value, r.lang_label) for r in results)
    emitted = Counter((e.type.value, r.lang_label) for r in results for e in r.events)
    dead = Counter(r.dead_letter.reason.value for r in results if r.dead_letter is not None)
    assert sum(emitted.values()) > 0 and len(dead) >= 3 and len(processed) >= 3  # the batch meets every kind

    def sample(name: str, labels: dict[str, str]) -> float | None:
        return metrics.registry.get_sample_value(name, labels)

    for (status, lang), count in processed.items():
        assert sample("newsevents_articles_processed_total", {"status": status, "lang": lang}) == count
    for (type_, lang), count in emitted.items():
        assert sample("newsevents_events_emitted_total", {"type": type_, "lang": lang}) == count
    for reason, count in dead.items():
        assert sample("newsevents_dead_letters_total", {"reason": reason}) == count
    total = sum(
        sample.value
        for family in metrics.registry.collect()
        if family.name == "newsevents_articles_processed"
        for sample in family.samples
    )
    assert total == len(messages)
