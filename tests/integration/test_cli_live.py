"""The consumer-facing CLI against the real broker: tail's JSON envelope on every kind of record, unknown topics,
durable groups, start positions, filters; topics list/describe/create; feed's per-article size report."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.harness.feeding import produce
from streams.harness.reading import consume
from streams.harness.worker import PROJECT_ROOT, isolated_settings, settings_env
from streams.kafka.topics import create_topics
from streams.settings import Settings

pytestmark = pytest.mark.integration


def _cli(settings: Settings, *args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": "/usr/bin:/bin", **settings_env(settings), **env}
    return subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", *args],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin.decode() if stdin is not None else None,
    )


@pytest.fixture
def settings(kafka_broker: Any, tmp_path: Path) -> Settings:
    made = isolated_settings(kafka_broker.bootstrap_servers, tmp_path)
    create_topics(made)
    return made


def _envelopes(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [orjson.loads(line) for line in result.stdout.splitlines()]


def test_tail_json_envelope_on_raw_with_binary_values_and_tombstones(settings: Settings) -> None:
    produce(
        settings, [(b"a1", b'{"id": "a1", "text": "x"}'), (b"\xff\xfe", b"\x00\x01\x02binary\xff"), (b"gone", None)]
    )
    envelopes = _envelopes(
        _cli(settings, "tail", settings.topic_raw, "--from-beginning", "--json", "--max", "3", "--timeout", "20")
    )
    by_key = {e["key"]: e for e in envelopes}
    assert set(by_key) == {"a1", base64.b64encode(b"\xff\xfe").decode(), "gone"}
    article = by_key["a1"]
    assert (
        article["value"] == {"id": "a1", "text": "x"}
        and article["value_encoding"] == "json"
        and article["topic"] == settings.topic_raw
    )
    assert (
        isinstance(article["partition"], int)
        and isinstance(article["offset"], int)
        and article["timestamp"].endswith("Z")
    )
    binary = by_key[base64.b64encode(b"\xff\xfe").decode()]
    assert binary["key_encoding"] == "base64" and binary["value_encoding"] == "base64"
    assert base64.b64decode(binary["value"]) == b"\x00\x01\x02binary\xff"
    assert by_key["gone"]["tombstone"] is True and by_key["gone"]["value"] is None


def test_tail_unknown_topic_is_reported_at_once(settings: Settings) -> None:
    started = time.monotonic()
    result = _cli(settings, "tail", settings.topic_raw + "x", "--timeout", "5")
    seconds = time.monotonic() - started
    assert result.returncode == 5 and seconds < 15, (seconds, result.stderr)
    [line] = result.stderr.strip().splitlines()
    assert f"topic '{settings.topic_raw}x' does not exist" in line and f"did you mean '{settings.topic_raw}'" in line
    assert "newsevents topics create" in line


def test_tail_group_continues_where_it_stopped(settings: Settings) -> None:
    produce(settings, [orjson.dumps({"id": f"g{i}", "text": "x"}) for i in range(5)])
    group = f"{settings.app_id}-reader"
    first = _envelopes(
        _cli(
            settings, "tail", settings.topic_raw, "--group", group, "--from-beginning", "--max", "3", "--timeout", "20"
        )
    )
    second = _envelopes(
        _cli(settings, "tail", settings.topic_raw, "--group", group, "--from-beginning", "--timeout", "8")
    )
    ids = [e["id"] for e in first] + [e["id"] for e in second]  # plain output: one value per line
    assert sorted(ids) == [f"g{i}" for i in range(5)] and len(set(ids)) == 5


def test_tail_offset_and_since(settings: Settings) -> None:
    produce(settings, [orjson.dumps({"id": "old", "text": "x"})])
    time.sleep(1.5)
    boundary = time.time()
    time.sleep(0.5)
    produce(settings, [orjson.dumps({"id": "new", "text": "x"})])
    from datetime import datetime

    since = datetime.fromtimestamp(boundary, UTC).isoformat()
    recent = _envelopes(_cli(settings, "tail", settings.topic_raw, "--since", since, "--timeout", "5"))
    assert [e["id"] for e in recent] == ["new"]
    everything = _envelopes(_cli(settings, "tail", settings.topic_raw, "--offset", "0", "--timeout", "5"))
    assert sorted(e["id"] for e in everything) == ["new", "old"]


def test_tail_filters_events(settings: Settings) -> None:
    events = [
        {
            "event_id": "e1",
            "type": "deployment",
            "modality": "reported",
            "confidence": 0.9,
            "actor": {"country": "PRK"},
            "location": {"country": "RUS"},
        },
        {
            "event_id": "e2",
            "type": "deployment",
            "modality": "possible",
            "confidence": 0.4,
            "actor": {"country": "DEU"},
            "location": {"country": "LTU"},
        },
    ]
    produce(settings, [orjson.dumps(e) for e in events], topic=settings.topic_deployment)
    kept = _envelopes(
        _cli(
            settings,
            "tail",
            settings.topic_deployment,
            "--from-beginning",
            "--country",
            "rus",
            "--min-confidence",
            "0.5",
            "--timeout",
            "5",
        )
    )
    assert [e["event_id"] for e in kept] == ["e1"]
    kept = _envelopes(
        _cli(
            settings, "tail", settings.topic_deployment, "--from-beginning", "--modality", "possible", "--timeout", "5"
        )
    )
    assert [e["event_id"] for e in kept] == ["e2"]


def test_topics_list_describe_and_create_report_the_real_topics(settings: Settings, tmp_path: Path) -> None:
    listed = _cli(settings, "topics", "list")
    assert listed.returncode == 0, listed.stderr
    assert f"{settings.topic_raw}\tpartitions 2\treplication 1" in listed.stdout.splitlines()

    described = _cli(settings, "topics", "describe", settings.topic_raw)
    assert described.returncode == 0, described.stderr
    assert (
        "partitions 2" in described.stdout
        and "retention.ms=" in described.stdout
        and "cleanup.policy=delete" in described.stdout
    )

    missing = _cli(settings, "topics", "describe", "no.such.topic")
    assert (
        missing.returncode == 5 and len(missing.stderr.strip().splitlines()) == 1 and "no.such.topic" in missing.stderr
    )

    recreated = _cli(settings, "topics", "create", NEWSEVENTS_PARTITIONS="8")
    assert recreated.returncode == 0, recreated.stderr
    assert f"{settings.topic_raw}\texists\t(partitions 2, replication 1)" in recreated.stdout.splitlines()
    assert f"warning: {settings.topic_raw} has 2 partitions, NEWSEVENTS_PARTITIONS is 8" in recreated.stderr

    too_many = isolated_settings(settings.bootstrap_servers, tmp_path, replication_factor=3)
    refused = _cli(too_many, "topics", "create")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    [line] = refused.stderr.strip().splitlines()
    assert "NEWSEVENTS_REPLICATION_FACTOR=3" in line and "the cluster has 1" in line


def test_feed_reports_an_oversize_article_and_sends_the_rest(settings: Settings, tmp_path: Path) -> None:
    articles = tmp_path / "mixed.jsonl"
    articles.write_bytes(
        orjson.dumps({"id": "huge", "text": "x" * 1_400_000})
        + b"\n"
        + orjson.dumps({"id": "fine", "text": "Soldaten."})
        + b"\n"
    )
    result = _cli(settings, "feed", str(articles))
    assert result.returncode == 4 and "Traceback" not in result.stderr, result.stderr
    assert f"{articles}:1 (id huge): not sent:" in result.stderr and "fed 1 messages" in result.stderr
    sent = _envelopes(_cli(settings, "tail", settings.topic_raw, "--from-beginning", "--json", "--timeout", "5"))
    assert [e["key"] for e in sent] == ["fine"]


def test_replay_reprocesses_with_the_same_event_ids(pipeline_settings: Any, start_worker: Any) -> None:
    settings = pipeline_settings()
    article = orjson.loads((PROJECT_ROOT / "fixtures" / "kursk-article.json").read_bytes())
    produce(settings, [orjson.dumps(article)])
    worker = start_worker(settings)

    base = f"http://{settings.web_host}:{settings.web_port}"
    assert f"metrics {base}/metrics, health {base}/health" in worker.log_path.read_text(), (
        "the worker names its URLs at start"
    )

    first = consume(settings, [settings.topic_processed], count=1, timeout=60)
    assert len(first) == 1

    busy = _cli(settings, "replay", "--to-earliest")  # the worker is a member of the group: refused, one line
    assert busy.returncode == 1 and len(busy.stderr.strip().splitlines()) == 1, busy.stderr
    assert "stop every worker of the group first" in busy.stderr
    assert worker.terminate() == 0

    replayed = _cli(settings, "replay", "--to-earliest")
    assert replayed.returncode == 0, replayed.stderr
    assert any(line.endswith("-> 0") and "1 ->" in line for line in replayed.stdout.splitlines()), replayed.stdout

    start_worker(settings)
    outcomes = consume(settings, [settings.topic_processed], count=2, timeout=60)
    assert [orjson.loads(r.value)["article_id"] for r in outcomes] == [article["id"]] * 2
    events = consume(settings, list(settings.event_topics.values()), count=10, timeout=10)
    ids = [r.key for r in events]
    assert len(ids) == 10 and len(set(ids)) == 5  # the same five events twice, with the same ids
