"""Reading stories on the real broker: `newsevents stories` after a worker joined the fixture articles into stories
(JSON Lines when piped, a table in a terminal, filters, exit codes), and the worker's GET /stories agreeing with it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from typing import Any

import orjson
import pytest

from schemas import Story
from streams.harness.feeding import produce
from streams.harness.processes import free_port
from streams.harness.worker import PROJECT_ROOT, settings_env
from streams.settings import Settings

pytestmark = pytest.mark.integration

ARTICLES = {
    article["id"]: article
    for article in map(orjson.loads, (PROJECT_ROOT / "tests/fixtures/stories/articles.jsonl").read_bytes().splitlines())
}
FED = [
    "rp-2025-03-10-litauen",
    "baltictimes-2025-03-10-germany",
    "nordkurier-2025-03-11-litauen",
    "baltictimes-2025-03-10-canada",
    "rp-2025-03-10-rumaenien",
]
NEWEST_FIRST = ["deployment|DEU|LTU", "deployment|CAN|LTU", "deployment|DEU|ROU"]


def cli(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", *args],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", **settings_env(settings), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def stories_of(result: subprocess.CompletedProcess[str]) -> list[Story]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [Story.model_validate(orjson.loads(line)) for line in result.stdout.splitlines()]


def in_a_terminal(settings: Settings, *args: str, columns: int) -> str:
    """The command's output when stdout is a terminal (a pseudo-terminal `columns` wide)."""
    controller, terminal = pty.openpty()
    env = {"PATH": "/usr/bin:/bin", **settings_env(settings), "COLUMNS": str(columns)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streams.commands.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=terminal,
        stderr=subprocess.PIPE,
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done writing
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(60) == 0, process.stderr.read().decode()
    return output.decode().replace("\r\n", "\n")


def test_the_stories_command_lists_the_latest_versions_and_the_worker_agrees(
    pipeline_settings: Any, start_worker: Any
) -> None:
    settings = pipeline_settings(stories_enabled=True)
    worker = start_worker(settings)
    produce(settings, [orjson.dumps(ARTICLES[article_id]) for article_id in FED])

    deadline = time.monotonic() + 90
    while True:
        listed = stories_of(cli(settings, "stories"))  # piped: JSON Lines without asking
        if [s.story_key for s in listed] == NEWEST_FIRST and listed[0].corroboration == 3:
            break
        assert time.monotonic() < deadline, f"stories so far: {[(s.story_key, s.sources) for s in listed]}\n" + (
            worker.log_tail()
        )
        time.sleep(1)
    happening = listed[0]
    assert happening.sources == ("Nordkurier", "Rheinische Post", "The Baltic Times") and happening.alert_id

    # The worker's table says the same (this worker owns every partition).
    status, body = worker.get("/stories")
    assert status == 200
    served = [Story.model_validate(story) for story in orjson.loads(body)["stories"]]
    assert served == listed

    assert [s.story_key for s in stories_of(cli(settings, "stories", "--type", "deployment", "--actor", "can"))] == [
        "deployment|CAN|LTU"
    ]
    assert [s.story_key for s in stories_of(cli(settings, "stories", "--since", "2025-03-10T12:00:00Z"))] == [
        "deployment|DEU|LTU",
        "deployment|CAN|LTU",
    ]
    assert stories_of(cli(settings, "stories", "--since", "30m")) == []  # last seen in March 2025
    assert stories_of(cli(settings, "stories", "--type", "denial")) == []
    assert [s.story_key for s in stories_of(cli(settings, "stories", "--limit", "1"))] == NEWEST_FIRST[:1]

    table = in_a_terminal(settings, "stories", columns=110).splitlines()
    assert table[0].startswith("LAST SEEN") and table[0].endswith("EVIDENCE") and len(table) == 4
    assert all(len(line) <= 110 for line in table)
    assert table[1].startswith("2025-03-11") and " DEU " in table[1] and " 3! " in table[1]
    assert " CAN " in table[2] and " ROU " in table[3]
    assert (
        orjson.loads(in_a_terminal(settings, "stories", "--json", "--limit", "1", columns=110))["story_key"]
        == (NEWEST_FIRST[0])
    )
    assert worker.terminate() == 0


def test_the_stories_command_names_a_missing_topic_and_a_missing_broker(pipeline_settings: Any) -> None:
    settings = pipeline_settings(stories_enabled=True)
    missing = cli(settings, "stories", NEWSEVENTS_TOPIC_STORIES=settings.topic_stories + "-x")
    assert missing.returncode == 5 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    nobody = cli(
        settings,
        "stories",
        NEWSEVENTS_BOOTSTRAP_SERVERS=f"127.0.0.1:{free_port()}",
        NEWSEVENTS_CONNECT_TIMEOUT_SECONDS="2",
    )
    assert nobody.returncode == 3 and "newsevents broker start" in nobody.stderr
    assert nobody.stderr.count("\n") == 1
