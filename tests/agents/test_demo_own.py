"""The demo talks to its own worker and counts only its own articles."""

from __future__ import annotations

import http.server
import io
import os
import socket
import subprocess
import threading
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from support.agents import hand_built_event

from streams.commands.demo import DemoPrinter
from streams.harness.worker import WorkerNotHealthy, WorkerProcess
from streams.kafka.reader import TailRecord
from streams.settings import Settings
from streams.worker.web import health_report


def _record(topic: str, value: dict, partition: int = 0, offset: int = 0) -> TailRecord:
    return TailRecord(topic, partition, offset, 0, None, orjson.dumps(value), ())


def _outcome(article_id: str, partition: int, offset: int) -> dict:
    return {
        "article_id": article_id,
        "status": "ok",
        "events": 1,
        "lang": "de",
        "extractor_version": "t",
        "latency_seconds": 0.1,
        "source_partition": partition,
        "source_offset": offset,
    }


def test_demo_summary_counts_only_its_own_articles() -> None:
    settings = Settings()
    printer = DemoPrinter(settings, io.StringIO())
    printer.only({(0, 5)}, {"mine"})
    printer.show(_record(settings.topic_processed, _outcome("mine", 0, 5)))
    printer.show(_record(settings.topic_processed, _outcome("other", 1, 5)))  # someone else's article
    printer.show(_record(settings.topic_deployment, hand_built_event("mine", "deployment").model_dump(mode="json")))
    printer.show(_record(settings.topic_deployment, hand_built_event("other", "deployment").model_dump(mode="json")))
    printer.show(TailRecord(settings.topic_deployment, 0, 9, 0, None, b"\x00junk", ()))
    assert [o.article_id for o in printer.outcomes] == ["mine"] and sum(printer.events.values()) == 1
    printer.only(None, None)  # after the summary: show whatever is fed
    printer.show(_record(settings.topic_processed, _outcome("other", 1, 6)))
    assert len(printer.outcomes) == 2


def test_health_names_the_process_and_group() -> None:
    app = SimpleNamespace(
        consumer=SimpleNamespace(should_stop=False), should_stop=False, rebalancing=False, conf=SimpleNamespace(id="g1")
    )
    from streams.worker.agents import WorkerState

    report = health_report(app, WorkerState(), stall_timeout_seconds=30)
    assert report["pid"] == os.getpid() and report["group"] == "g1"


class _ForeignHealth(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = orjson.dumps({"status": "ok", "consuming": True, "pid": 1})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_wait_healthy_refuses_another_process_on_the_port(tmp_path: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _ForeignHealth)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        worker = object.__new__(WorkerProcess)
        worker.settings = Settings(web_port=server.server_address[1])
        worker.process = sleeper
        worker.log_path = tmp_path / "w.log"
        with pytest.raises(WorkerNotHealthy, match=r"another process \(pid 1\) answers /health"):
            worker.wait_healthy(timeout=5)
    finally:
        sleeper.kill()
        sleeper.wait()
        server.shutdown()


def test_check_broker_reports_reachability() -> None:
    import asyncio
    import socket

    from streams.worker.agents import WorkerState, check_broker

    state = WorkerState()
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        asyncio.run(check_broker([f"127.0.0.1:{port}"], state))
        assert state.broker_reachable is True and state.broker_checked_at is not None
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        free = closed.getsockname()[1]
    asyncio.run(check_broker([f"127.0.0.1:{free}"], state))
    assert state.broker_reachable is False
    app = SimpleNamespace(consumer=SimpleNamespace(should_stop=False), should_stop=False, rebalancing=False)
    report = health_report(app, state, stall_timeout_seconds=30)
    assert report["broker_reachable"] is False


def test_a_check_that_only_times_out_counts_as_unreachable_when_the_next_one_times_out_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A busy event loop can make a connect to a live broker time out once; a blackholed broker times out every time."""
    import asyncio

    from streams.worker import agents
    from streams.worker.agents import WorkerState, check_broker

    async def never_answers(*args: object, **kwargs: object) -> None:
        await asyncio.sleep(3600)

    state = WorkerState(broker_reachable=True)
    monkeypatch.setattr(agents.asyncio, "open_connection", never_answers)
    asyncio.run(check_broker(["127.0.0.1:9"], state, timeout=0.01))
    assert state.broker_reachable is True and state.broker_checks_timed_out == 1
    asyncio.run(check_broker(["127.0.0.1:9"], state, timeout=0.01))
    assert state.broker_reachable is False
    monkeypatch.undo()
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        asyncio.run(check_broker([f"127.0.0.1:{listening.getsockname()[1]}"], state))
    assert state.broker_reachable is True and state.broker_checks_timed_out == 0


def test_a_worker_that_cannot_reach_its_broker_is_healthy_but_not_consuming() -> None:
    from streams.worker.agents import WorkerState

    app = SimpleNamespace(consumer=SimpleNamespace(should_stop=False), should_stop=False, rebalancing=False)
    state = WorkerState(agent_running=True, assignment_received=True, broker_reachable=False)
    report = health_report(app, state, stall_timeout_seconds=30)
    assert (report["status"], report["healthy"], report["consuming"]) == ("waiting_for_broker", True, False)
    state.broker_reachable = True
    report = health_report(app, state, stall_timeout_seconds=30)
    assert (report["status"], report["healthy"], report["consuming"]) == ("ok", True, True)
