"""Every user error of the CLI is one line naming the cause and the fix, with its exit code; never a traceback.

These cases need no broker (a closed port stands for "no broker"); the ones that cross Kafka are in
tests/integration/test_cli_live.py.
"""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from support.agents import REPO_ROOT

from schemas import SCHEMA_VERSION
from streams.kafka.reader import BadStartTime, EventFilter, TailRecord, parse_since
from streams.settings import unknown_variables

# A case that starts the CLI as a process costs about half a second: those are marked slow (run by `make test`,
# left out of `make unit`).


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(args: list[str], env: dict[str, str] | None = None, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", *args],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


CASES = [
    # (argv, environment, exit code, words the line must contain)
    (
        ["topics", "create"],
        {"NEWSEVENTS_BOOTSTRAP_SERVER": "kafka:9092"},
        2,
        ["unknown setting NEWSEVENTS_BOOTSTRAP_SERVER", "did you mean NEWSEVENTS_BOOTSTRAP_SERVERS"],
    ),
    (
        ["feed", "x.jsonl"],
        {"NEWSEVENTS_BOOTSTRAP_SERVERS": "localhost"},
        2,
        ["NEWSEVENTS_BOOTSTRAP_SERVERS", "'localhost' is not host:port"],
    ),
    (
        ["worker"],
        {"NEWSEVENTS_LOG_LEVEL": "verbose"},
        2,
        ["NEWSEVENTS_LOG_LEVEL", "'verbose' is not a log level", "debug, info"],
    ),
    (["worker", "-l", "loud"], {}, 2, ["--log-level", "'loud' is not a log level"]),
    (["feed", "--rate", "0", "x.jsonl"], {}, 2, ["--rate", "must be a number above 0", "newsevents feed --help"]),
    (["feed", "--repeat", "-1", "x.jsonl"], {}, 2, ["--repeat", "must be 1 or more"]),
    (["tail", "t", "--max", "0"], {}, 2, ["--max", "must be 1 or more"]),
    (["tail", "t", "--min-confidence", "2"], {}, 2, ["--min-confidence", "between 0 and 1"]),
    (["tail", "t", "--since", "gestern"], {}, 2, ["--since", "'gestern'", "ISO 8601"]),
    (["tail", "t", "--group", "g", "--offset", "3"], {}, 2, ["--group", "without --group"]),
    (["tail", "t", "--from-beginning", "--offset", "3"], {}, 2, ["--offset", "not allowed with"]),
    (["nosuchcommand"], {}, 2, ["invalid choice", "newsevents --help"]),
    (["replay"], {}, 2, ["give --since TIME or --to-earliest"]),
    (["replay", "--since", "soon"], {}, 2, ["--since", "'soon'"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "env", "code", "words"), CASES, ids=[" ".join(c[0]) + " " + " ".join(c[1]) for c in CASES]
)
def test_user_errors_are_one_line_with_their_exit_code(
    argv: list[str], env: dict[str, str], code: int, words: list[str]
) -> None:
    result = _run(argv, env)
    line = _one_line(result)
    assert result.returncode == code, result.stderr
    assert line.startswith("newsevents"), line
    for word in words:
        assert word in line, line


@pytest.mark.slow
def test_no_broker_names_the_fix_and_exits_3(tmp_path: Path) -> None:
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"id": "a", "text": "x"}\n')
    port = _closed_port()
    env = {"NEWSEVENTS_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}", "NEWSEVENTS_CONNECT_TIMEOUT_SECONDS": "1"}
    result = _run(["feed", str(articles)], env)
    line = _one_line(result)
    assert result.returncode == 3
    assert "Connect call failed" in line or "refused" in line.lower(), line
    assert "newsevents broker start" in line and "NEWSEVENTS_BOOTSTRAP_SERVERS" in line


@pytest.mark.slow
@pytest.mark.parametrize("command", ["worker", "demo"])
def test_web_port_in_use_is_reported_before_the_worker_starts(command: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "NEWSEVENTS_WEB_PORT": str(port),
            "NEWSEVENTS_BOOTSTRAP_SERVERS": f"127.0.0.1:{_closed_port()}",
            "NEWSEVENTS_BROKER_DIR": str(tmp_path / "kafka"),
        }
        result = _run([command], env)
    line = _one_line(result)
    assert result.returncode == 6
    assert f"127.0.0.1:{port} is already in use" in line and "NEWSEVENTS_WEB_PORT" in line


@pytest.mark.slow
def test_feed_refuses_binary_files_before_connecting(tmp_path: Path) -> None:
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = _run(["feed", str(blob)], {"NEWSEVENTS_BOOTSTRAP_SERVERS": f"127.0.0.1:{_closed_port()}"})
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert lines == [
        f"newsevents feed: {blob}: skipped (binary): a binary file (NUL byte at offset 4), not articles; give UTF-8 text, JSON or JSON Lines",
        "newsevents feed: nothing to send: no file held an article; give JSON Lines, JSON or UTF-8 text files",
    ]


@pytest.mark.slow
def test_version() -> None:
    result = _run(["--version"])
    assert (
        result.returncode == 0
        and result.stdout.startswith("newsevents ")
        and f"schema v{SCHEMA_VERSION}" in result.stdout
    )


@pytest.mark.slow
def test_debug_shows_the_traceback_of_a_user_error() -> None:
    result = _run(["--debug", "topics", "create"], {"NEWSEVENTS_TYPO": "1"})
    assert result.returncode != 0 and "Traceback" in result.stderr and "UserError" in result.stderr


def test_unknown_variables_suggest_the_closest_name() -> None:
    found = unknown_variables(
        {"NEWSEVENTS_WEBPORT": "1", "NEWSEVENTS_PARTITIONS": "2", "NEWSEVENTS_BENCH_CORPUS": "x", "OTHER": "y"}
    )
    assert found == [("NEWSEVENTS_WEBPORT", "NEWSEVENTS_WEB_PORT")]


# ------------------------------------------------------------------------------------------ tail without a broker


def _record(value: bytes | None, key: bytes | None = b"k", headers=()) -> TailRecord:
    return TailRecord("events.deployment", 2, 41, 1729849000123, key, value, tuple(headers))


def test_envelope_of_json_binary_and_tombstone_records() -> None:
    event = _record(b'{"event_id": "e1"}', headers=[("ce_type", b"org.newsevents.deployment.v1"), ("raw", b"\xff")])
    assert event.envelope() == {
        "topic": "events.deployment",
        "partition": 2,
        "offset": 41,
        "timestamp": "2024-10-25T09:36:40.123Z",
        "timestamp_ms": 1729849000123,
        "key": "k",
        "key_encoding": "text",
        "headers": {"ce_type": "org.newsevents.deployment.v1", "raw": "base64:/w=="},
        "tombstone": False,
        "value": {"event_id": "e1"},
        "value_encoding": "json",
    }
    binary = _record(b"\x00\xfe\x01", key=b"\xff").envelope()
    assert (binary["value"], binary["value_encoding"], binary["key"], binary["key_encoding"]) == (
        "AP4B",
        "base64",
        "/w==",
        "base64",
    )
    assert base64.b64decode(binary["value"]) == b"\x00\xfe\x01"
    text = _record(b"not json").envelope()
    assert (text["value"], text["value_encoding"]) == ("not json", "text")
    tombstone = _record(None).envelope()
    assert tombstone["tombstone"] is True and tombstone["value"] is None and tombstone["value_encoding"] is None
    for envelope in (binary, text, tombstone):
        orjson.dumps(envelope)  # every envelope is JSON


def test_event_filter() -> None:
    event = {
        "event_id": "e",
        "type": "deployment",
        "modality": "reported",
        "confidence": 0.7,
        "actor": {"country": "PRK"},
        "location": {"country": "RUS"},
    }
    record = _record(orjson.dumps(event))
    assert EventFilter().matches(_record(b"\x00binary"))  # no filter: everything passes
    assert EventFilter(types=frozenset({"deployment"}), countries=frozenset({"RUS"})).matches(record)
    assert EventFilter(countries=frozenset({"PRK"}), min_confidence=0.7, modalities=frozenset({"reported"})).matches(
        record
    )
    assert not EventFilter(types=frozenset({"denial"})).matches(record)
    assert not EventFilter(countries=frozenset({"UKR"})).matches(record)
    assert not EventFilter(min_confidence=0.71).matches(record)
    assert not EventFilter(modalities=frozenset({"asserted"})).matches(record)
    assert not EventFilter(types=frozenset({"deployment"})).matches(_record(b'{"article_id": "a", "status": "ok"}'))
    assert not EventFilter(types=frozenset({"deployment"})).matches(_record(b"\x00binary"))


def test_parse_since() -> None:
    now = datetime(2024, 10, 25, 12, 0, tzinfo=UTC)
    assert parse_since("2024-10-25T11:36:00+02:00", now=now) == int(
        datetime(2024, 10, 25, 9, 36, tzinfo=UTC).timestamp() * 1000
    )
    assert parse_since("2024-10-25T09:36:00", now=now) == parse_since("2024-10-25T09:36:00Z", now=now)
    assert parse_since("15m", now=now) == int(datetime(2024, 10, 25, 11, 45, tzinfo=UTC).timestamp() * 1000)
    assert parse_since("1d", now=now) == int(datetime(2024, 10, 24, 12, 0, tzinfo=UTC).timestamp() * 1000)
    with pytest.raises(BadStartTime):
        parse_since("yesterday", now=now)


def test_since_reads_a_time_as_a_published_at_is_read() -> None:
    # One ISO 8601 reader (streams/stories/times.py): a lowercase z and spaces, which decode accepts in a published_at,
    # name the same time for `--since` (review 18: parse_since kept its own parse and refused them).
    now = datetime(2024, 10, 25, 12, 0, tzinfo=UTC)
    expected = parse_since("2024-10-25T09:36:00Z", now=now)
    assert parse_since("2024-10-25T09:36:00z", now=now) == parse_since(" 2024-10-25T09:36:00Z ", now=now) == expected
    with pytest.raises(BadStartTime, match="cannot read ''"):
        parse_since("", now=now)


def test_broker_port_alone_moves_the_clients_too() -> None:
    from streams.settings import Settings

    assert Settings(broker_port=19092).bootstrap_servers == "127.0.0.1:19092"
    assert Settings(broker_port=19092, bootstrap_servers="kafka:9092").bootstrap_servers == "kafka:9092"
    assert Settings().bootstrap_servers == "127.0.0.1:9092"
