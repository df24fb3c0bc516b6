"""End to end on the real broker: articles and malformed messages in, events, outcomes and dead letters out."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from typing import Any

import orjson
import pytest
from kafka import KafkaAdminClient

from schemas import SCHEMA_VERSION, DeadLetter, Event, Outcome
from streams.harness.feeding import produce
from streams.harness.reading import consume, metric_value
from streams.harness.worker import PROJECT_ROOT, settings_env
from streams.kafka.connection import kafka_python_options
from streams.kafka.topics import create_topics
from streams.worker.watchdog import STALL_EXIT_CODE

pytestmark = pytest.mark.integration

KURSK = PROJECT_ROOT / "fixtures" / "kursk-article.json"
SAMPLES = PROJECT_ROOT / "fixtures" / "sample-articles.jsonl"
MAX_MESSAGE_BYTES = 16_384

MALFORMED: list[tuple[bytes, str]] = [
    (b"\xff\xfe\xfa not utf-8 at all", "not_utf8"),
    (b"{this is not json", "not_json"),
    (b'["an", "array"]', "not_an_object"),
    (b'{"text": "Soldaten ohne id."}', "invalid_fields"),
    (b'{"id": "empty-1", "text": "   "}', "empty_text"),
    (orjson.dumps({"id": "huge-1", "text": "x" * (MAX_MESSAGE_BYTES + 1)}), "too_large"),
]


def _sample_ids() -> list[str]:
    return [orjson.loads(line)["id"] for line in SAMPLES.read_bytes().splitlines() if line.strip()]


def _cli(settings_vars: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": "/usr/bin:/bin", **settings_vars}
    return subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )


def _quantities(event: Event) -> set[int]:
    found = {event.quantity.value} if event.quantity else set()
    return found | {m.quantity.value for m in event.mentions if m.quantity}


def test_articles_and_malformed_messages_end_to_end(pipeline_settings: Any, start_worker: Any) -> None:
    settings = pipeline_settings(max_message_bytes=MAX_MESSAGE_BYTES)
    worker = start_worker(settings)

    # The example article through the CLI, then every kind of malformed message, then good articles again:
    # messages after a bad one must still be processed.
    _cli(settings_env(settings), "feed", str(KURSK))
    produce(settings, [value for value, _ in MALFORMED])
    _cli(settings_env(settings), "feed", str(SAMPLES))
    total = 1 + len(MALFORMED) + len(_sample_ids())

    outcome_records = consume(settings, [settings.topic_processed], count=total, timeout=90)
    outcomes = [Outcome.model_validate(r.json()) for r in outcome_records]
    assert len(outcomes) == total, f"expected {total} outcomes, got {len(outcomes)}\n{worker.log_tail()}"
    # Exactly one outcome per consumed message (no duplicates on a clean run).
    assert len({(o.source_partition, o.source_offset) for o in outcomes}) == total
    ok_ids = sorted(o.article_id for o in outcomes if o.status.value == "ok")
    assert ok_ids == sorted(["tagesschau-2024-10-25-kursk", *_sample_ids()])
    assert Counter(o.reason for o in outcomes if o.reason) == Counter(reason for _, reason in MALFORMED)
    for record in outcome_records:
        assert record.header("ce_type") == f"org.newsevents.outcome.v{SCHEMA_VERSION}" and record.header("ce_id")

    dlq_records = consume(settings, [settings.topic_dlq], count=len(MALFORMED), timeout=30)
    letters = [DeadLetter.model_validate(r.json()) for r in dlq_records]
    assert sorted(letter.reason.value for letter in letters) == sorted(reason for _, reason in MALFORMED)
    assert all(letter.source_topic == settings.topic_raw for letter in letters)

    # Outcomes are published after their events, so every event is on its topic by now.
    expected_events = sum(o.events for o in outcomes)
    event_topics = list(settings.event_topics.values())
    event_records = consume(settings, event_topics, count=expected_events, timeout=30)
    assert len(event_records) == expected_events
    for record in event_records:
        event = Event.model_validate(record.json())
        assert record.topic == settings.event_topics[event.type.value]
        assert record.key == event.event_id.encode()
        assert record.header("ce_id") == event.event_id
        assert record.header("ce_type") == f"org.newsevents.{event.type.value}.v{SCHEMA_VERSION}"
        assert record.header("ce_specversion") == "1.0"

    kursk = [
        Event.model_validate(r.json()) for r in event_records if r.json()["article_id"] == "tagesschau-2024-10-25-kursk"
    ]
    deployments = [e for e in kursk if e.type.value == "deployment" and e.actor.country == "PRK"]
    assert any(e.location and e.location.name == "Kursk" and e.location.country == "RUS" for e in deployments), kursk
    assert any(e.location and e.location.country == "RUS" and 3000 in _quantities(e) for e in deployments), kursk
    assert any(e.type.value == "denial" and e.actor.country == "PRK" for e in kursk), kursk
    assert not any(e.type.value == "denial" and e.actor.country == "RUS" for e in kursk), kursk
    assert any(e.type.value == "policy_shift" and e.actor.country == "KOR" for e in kursk), kursk

    metrics = worker.metrics()
    assert metric_value(metrics, "newsevents_articles_consumed_total") == total
    for reason, count in Counter(reason for _, reason in MALFORMED).items():
        assert metric_value(metrics, "newsevents_dead_letters_total", {"reason": reason}) == count
    assert metric_value(metrics, "newsevents_articles_processed_total", {"status": "ok", "lang": "de"}) >= 1
    assert metric_value(metrics, "newsevents_events_emitted_total", {"type": "deployment", "lang": "de"}) >= 2
    assert metric_value(metrics, "newsevents_extraction_duration_seconds_count") == len(ok_ids)
    assert metric_value(metrics, "newsevents_ingest_to_event_latency_seconds_count") == total
    assert metric_value(metrics, "newsevents_worker_up") == 1
    status, health = worker.health()
    assert status == 200 and health["status"] == "ok" and health["consuming"] is True

    started = time.monotonic()
    assert worker.terminate(timeout=30) == 0, worker.log_tail()
    assert time.monotonic() - started < 30


def test_health_turns_ok_once_consuming_and_lag_is_exported(pipeline_settings: Any, start_worker: Any) -> None:
    settings = pipeline_settings()
    worker = start_worker(settings, wait=False)
    seen_statuses = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = worker.health()
        except OSError:
            status = 0  # web server not up yet
        seen_statuses.add(status)
        if status == 200:
            break
        time.sleep(0.1)
    assert 200 in seen_statuses, worker.log_tail()
    assert seen_statuses <= {0, 503, 200}  # before the group assigned partitions: not up yet, or 503
    lag_deadline = time.monotonic() + 15  # the lag timer runs every few seconds
    while "newsevents_consumer_lag_messages{" not in worker.metrics():
        assert time.monotonic() < lag_deadline, "no consumer lag gauge exported"
        time.sleep(0.5)
    for partition in range(settings.partitions):
        assert metric_value(worker.metrics(), "newsevents_consumer_lag_messages", {"partition": str(partition)}) == 0
    assert worker.terminate() == 0


def test_cli_tail_prints_records_as_json_lines(pipeline_settings: Any) -> None:
    settings = pipeline_settings()
    produce(settings, [orjson.dumps({"id": f"t{i}", "text": "x"}) for i in range(3)])
    result = _cli(
        settings_env(settings), "tail", settings.topic_raw, "--from-beginning", "--max", "3", "--timeout", "20"
    )
    assert sorted(orjson.loads(line)["id"] for line in result.stdout.splitlines()) == ["t0", "t1", "t2"]


def test_topics_create_is_idempotent(pipeline_settings: Any) -> None:
    settings = pipeline_settings()  # creates them once
    result = _cli(settings_env(settings), "topics", "create")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(settings.all_topics) and all("\texists\t" in line for line in lines)


def _wait_for_health(worker: Any, predicate: Any, *, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status, health = worker.health()
        if predicate(status, health):
            return health
        assert time.monotonic() < deadline, f"health stayed {status} {health}\n{worker.log_tail()}"
        time.sleep(0.2)


def _delete_topic_and_wait(settings: Any, topic: str) -> None:
    """Delete `topic` and wait until the broker no longer lists it: an outcome sent before would still be delivered."""
    admin = KafkaAdminClient(**kafka_python_options(settings))
    try:
        admin.delete_topics([topic])
        deadline = time.monotonic() + 30
        while topic in admin.list_topics():
            assert time.monotonic() < deadline, f"the deletion of {topic} did not complete"
            time.sleep(0.2)
    finally:
        admin.close()


def test_health_reports_a_worker_stuck_publishing_and_recovers(pipeline_settings: Any, start_worker: Any) -> None:
    # The audit topic disappears (the broker does not auto-create topics): the outcome of the next article
    # cannot be delivered, the producer waits for the topic, and the agent stays inside its batch. /health must
    # say so instead of staying 200, and turn ok again once the topic is back and the outcome delivered.
    settings = pipeline_settings(stall_timeout_seconds=3.0)
    worker = start_worker(settings)
    _delete_topic_and_wait(settings, settings.topic_processed)
    produce(settings, [orjson.dumps({"id": "weather-1", "lang": "de", "text": "In Hamburg regnet es am Wochenende."})])

    health = _wait_for_health(worker, lambda status, h: status == 503, timeout=60)
    assert health["status"] == "stalled" and health["stalled"] is True and health["consuming"] is False, health
    assert health["seconds_in_current_batch"] > 3.0 and health["agent_running"] is True, health

    create_topics(settings)
    outcomes = consume(settings, [settings.topic_processed], count=1, timeout=90)
    assert [Outcome.model_validate(r.json()).article_id for r in outcomes] == ["weather-1"]
    health = _wait_for_health(worker, lambda status, h: status == 200, timeout=30)
    assert health["stalled"] is False and health["seconds_in_current_batch"] is None, health


def test_the_stall_watchdog_ends_a_worker_whose_agent_holds_a_message_on_the_real_consumer(
    pipeline_settings: Any, start_worker: Any
) -> None:
    # The watchdog reads the messages in an agent's hands from faust's public Consumer.unacked: on a live consumer, an
    # outcome that cannot be delivered (its topic deleted) keeps the article un-acked until the worker exits with 70.
    settings = pipeline_settings(stall_restart_seconds=4.0, stall_exit_grace_seconds=0.5)
    worker = start_worker(settings)
    _delete_topic_and_wait(settings, settings.topic_processed)
    produce(settings, [orjson.dumps({"id": "weather-2", "lang": "de", "text": "In Kiel regnet es am Montag."})])
    try:
        code = worker.process.wait(90)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the watchdog did not end the stuck worker\n{worker.log_tail()}")
    log = worker.log_tail(400)
    assert code == STALL_EXIT_CODE, log
    assert f"agent pipeline held 1 un-acked {settings.topic_raw} messages" in log, log
