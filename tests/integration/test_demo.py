"""`newsevents demo` as a user runs it: its own broker and worker, events printed, everything stopped afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from streams.harness.processes import free_ports
from streams.harness.worker import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _demo_env(tmp_path: Path) -> tuple[dict[str, str], list[int]]:
    broker_port, controller_port, web_port = free_ports(3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSEVENTS_")}
    env.update(
        NEWSEVENTS_BROKER_DIR=str(tmp_path / "kafka"),
        NEWSEVENTS_BROKER_PORT=str(broker_port),
        NEWSEVENTS_CONTROLLER_PORT=str(controller_port),
        NEWSEVENTS_WEB_PORT=str(web_port),
        NEWSEVENTS_DATA_DIR=str(tmp_path / "worker"),
    )
    return env, [broker_port, controller_port, web_port]


def _assert_nothing_left(ports: list[int], tmp_path: Path) -> None:
    deadline = time.monotonic() + 10
    while any(_listening(port) for port in ports):
        assert time.monotonic() < deadline, f"something still listens on {[p for p in ports if _listening(p)]}"
        time.sleep(0.2)
    assert not (tmp_path / "kafka" / "kafka.pid").exists()


def test_demo_once_prints_the_example_events_and_stops_everything(tmp_path: Path) -> None:
    env, ports = _demo_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "streams.commands.cli", "demo", "--once", "--timeout", "120"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "articles processed: 8 (8 ok, 0 dead-lettered)" in out, out
    assert "[tagesschau-2024-10-25-kursk]" in out and "→ Kursk (RUS)" in out, out
    assert f"http://127.0.0.1:{ports[2]}/metrics" in out
    assert "worker stopped (exit 0)" in out and "broker stopped" in out
    _assert_nothing_left(ports, tmp_path)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_demo_stops_worker_and_broker_on_ctrl_c_or_sigterm(tmp_path: Path, how: str) -> None:
    env, ports = _demo_env(tmp_path)
    # Its own process group, like a shell job: Ctrl-C is SIGINT to the whole foreground group.
    demo = subprocess.Popen(
        [sys.executable, "-m", "streams.commands.cli", "demo"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert demo.stdout is not None
        lines = []
        for line in demo.stdout:  # wait until the demo has processed its articles and is tailing
            lines.append(line)
            if line.startswith("still listening"):
                break
        else:
            pytest.fail("demo ended early:\n" + "".join(lines))
        if how == "ctrl-c":
            os.killpg(demo.pid, signal.SIGINT)
        else:
            demo.send_signal(signal.SIGTERM)
        rest, _ = demo.communicate(timeout=90)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    assert demo.returncode == 0, "".join(lines) + rest
    assert "worker stopped (exit 0)" in rest and "broker stopped" in rest
    _assert_nothing_left(ports, tmp_path)
