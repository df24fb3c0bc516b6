"""The CLI without a broker: help everywhere, readable settings errors, and how `feed` reads files."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from support.agents import REPO_ROOT

from streams.commands.cli import build_parser
from streams.commands.feed import FeedRecord, RateLimiter, read_records, repeated

SUBCOMMANDS = ["broker", "topics", "worker", "feed", "tail", "stories", "replay", "extract", "demo"]


@pytest.mark.parametrize("argv", [[], *([name] for name in SUBCOMMANDS)])
def test_help_everywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: newsevents" in capsys.readouterr().out


def test_invalid_settings_exit_2_naming_the_variable() -> None:
    env = {"PATH": "/usr/bin:/bin", "NEWSEVENTS_PARTITIONS": "zero", "NEWSEVENTS_WEB_PORT": "70000"}
    result = subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", "topics", "create"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "NEWSEVENTS_PARTITIONS" in result.stderr and "NEWSEVENTS_WEB_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_secret_settings_do_not_echo_the_password() -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSEVENTS_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "NEWSEVENTS_SASL_PASSWORD": "s3cr3t-value",
    }
    result = subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", "topics", "create"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "SASL" in result.stderr
    assert "s3cr3t-value" not in result.stderr + result.stdout


def test_jsonl_lines_are_sent_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "x"}\n\nnot json\r\n{"id": 5, "text": "y"}\n')
    records = read_records(path)
    assert records == [
        FeedRecord(b"a", b'{"id": "a", "text": "x"}'),
        FeedRecord(None, b"not json"),
        FeedRecord(None, b'{"id": 5, "text": "y"}'),
    ]


def test_json_object_or_array(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text('{"id": "one", "text": "x"}')
    many = tmp_path / "many.json"
    many.write_text('[{"id": "m1", "text": "x"}, {"id": "m2", "text": "y"}]')
    assert [r.key for r in read_records(single)] == [b"one"]
    assert [r.key for r in read_records(many)] == [b"m1", b"m2"]


def test_plain_text_becomes_one_article_named_after_the_file(tmp_path: Path) -> None:
    # The file name with its suffix, as `newsevents extract` has always named plain-text articles (one reader).
    path = tmp_path / "bericht-7.txt"
    path.write_text("Soldaten wurden verlegt.\nZweite Zeile.")
    [record] = read_records(path)
    assert record.key == b"bericht-7.txt"
    assert orjson.loads(record.value) == {"id": "bericht-7.txt", "text": "Soldaten wurden verlegt.\nZweite Zeile."}


def test_stdin_is_read_as_json_lines() -> None:
    records = read_records(Path("-"), stdin=io.BytesIO(b'{"id": "s", "text": "x"}\n'))
    assert [r.key for r in records] == [b"s"]


def test_repeat_makes_ids_unique_after_the_first_round() -> None:
    records = [FeedRecord(b"a", b'{"id":"a","text":"x"}'), FeedRecord(None, b"junk")]
    keys = [r.key for r in repeated(records, 3)]
    assert keys == [b"a", None, b"a~1", None, b"a~2", None]


def test_rate_limiter_spaces_calls() -> None:
    limiter = RateLimiter(200.0)
    started = time.monotonic()
    for _ in range(21):
        limiter.wait()
    assert time.monotonic() - started >= 0.09
