"""`newsevents worker` as a child process: settings of its own, started, probed over HTTP, stopped cleanly."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from streams.harness.processes import free_port, terminate_with_parent
from streams.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class WorkerNotHealthy(RuntimeError):
    """The worker exited or did not report healthy in time; the message carries its log tail."""


def settings_env(settings: Settings) -> dict[str, str]:
    """The NEWSEVENTS_* environment that reproduces these settings in a subprocess."""
    env: dict[str, str] = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        if name == "sasl_password" and settings.sasl_password is not None:
            value = settings.sasl_password.get_secret_value()
        env[f"NEWSEVENTS_{name.upper()}"] = str(value)
    return env


# The tree this harness belongs to. A/B benchmarks point PROJECT_ROOT at another (older) tree to start its workers.
_OWN_ROOT = PROJECT_ROOT


@functools.cache
def settings_known_to(tree: Path) -> frozenset[str]:
    """The setting names (NEWSEVENTS_*) the worker of another source tree accepts: it refuses unknown ones."""
    listing = subprocess.run(
        [sys.executable, "-c", "from streams.settings import Settings; print(*Settings.model_fields, sep='\\n')"],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return frozenset(f"NEWSEVENTS_{name.upper()}" for name in listing.stdout.split())


def env_for_tree(settings: Settings, known: frozenset[str]) -> dict[str, str]:
    """settings_env for a tree that knows only `known`: a setting it lacks is left out when it holds this tree's
    default (the other tree behaves as before the setting existed); one set otherwise would make the comparison
    unfair, so it is an error."""
    defaults = settings_env(Settings.model_construct())
    env = settings_env(settings)
    unfair = sorted(name for name in env if name not in known and env[name] != defaults.get(name))
    if unfair:
        raise ValueError(f"the other tree does not know these settings, set away from their defaults: {unfair}")
    return {name: value for name, value in env.items() if name in known}


def isolated_settings(
    bootstrap_servers: str, work_dir: Path, *, prefix: str | None = None, **overrides: Any
) -> Settings:
    """Settings whose topics and consumer group belong to one run alone (tests and benchmarks share a broker).

    prefix names the topics and the group (default: a random one); overrides replace any field.
    """
    prefix = prefix or f"t{uuid.uuid4().hex[:10]}"
    fields: dict[str, Any] = {
        "bootstrap_servers": bootstrap_servers,
        "app_id": prefix,
        "topic_raw": f"{prefix}.articles.raw",
        "topic_deployment": f"{prefix}.events.deployment",
        "topic_denial": f"{prefix}.events.denial",
        "topic_policy_shift": f"{prefix}.events.policy_shift",
        "topic_processed": f"{prefix}.articles.processed",
        "topic_dlq": f"{prefix}.articles.dlq",
        "topic_stories": f"{prefix}.stories",
        "topic_alerts": f"{prefix}.alerts",
        "partitions": 2,
        "web_port": free_port(),
        "data_dir": work_dir / "state" / "worker",  # nested and missing: the worker must create it
    }
    fields.update(overrides)
    return Settings(**fields)


class WorkerProcess:
    """`newsevents worker` as a subprocess with the given settings; its output goes to log_path.

    The worker gets SIGTERM from the kernel if its parent dies, so no worker outlives a crashed demo or test
    run. With own_session, Ctrl-C in the terminal reaches only the parent, which then stops the worker in
    order (the demo); without it the worker shares the parent's process group (tests).
    """

    def __init__(
        self,
        settings: Settings,
        log_path: Path,
        *,
        extra_env: Mapping[str, str] | None = None,
        own_session: bool = False,
    ) -> None:
        self.settings = settings
        self.log_path = log_path
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSEVENTS_")}
        # Another tree's worker (an A/B benchmark) gets only the settings it knows.
        env.update(
            settings_env(settings)
            if PROJECT_ROOT == _OWN_ROOT
            else env_for_tree(settings, settings_known_to(PROJECT_ROOT))
        )
        env.update(extra_env or {})
        env["PYTHONUNBUFFERED"] = "1"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = log_path.open("ab")
        # Set when terminate() or kill() found the process already gone: it stopped by itself (a crash, a kill by
        # someone else, the OOM killer), not on our request. exit_status() words the code.
        self.exited_by_itself = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streams.commands.cli", "worker"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=own_session,
            # preexec_fn is only safe from the main thread (fork in a threaded parent).
            preexec_fn=terminate_with_parent if threading.current_thread() is threading.main_thread() else None,
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.settings.web_host}:{self.settings.web_port}"

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def health(self) -> tuple[int, dict[str, Any]]:
        status, body = self.get("/health")
        return status, orjson.loads(body)

    def metrics(self) -> str:
        return self.get("/metrics")[1].decode()

    def wait_healthy(self, timeout: float = 60.0) -> dict[str, Any]:
        """Block until /health answers 200 (the group assigned the worker); fail with the log if it exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise WorkerNotHealthy(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, report = self.health()
            except (OSError, ValueError):
                status, report = 0, {}
            if report and report.get("pid") != self.process.pid:
                raise WorkerNotHealthy(
                    f"another process (pid {report.get('pid')}) answers /health on {self.base_url}, not this worker "
                    f"(pid {self.process.pid}); stop it or set NEWSEVENTS_WEB_PORT to a free port"
                )
            if status == 200:
                return report
            time.sleep(0.25)
        raise WorkerNotHealthy(f"worker not healthy within {timeout:.0f}s:\n{self.log_tail()}")

    def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait; returns the exit code (SIGKILL after timeout, then the code is negative)."""
        self._note_exit()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        return self.process.returncode

    def kill(self) -> None:
        self._note_exit()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._log.close()

    def _note_exit(self) -> None:
        if not self._log.closed and self.process.poll() is not None:
            self.exited_by_itself = True

    def exit_status(self) -> str:
        """How the process stands, in words: still running, exited with code N, or killed by a signal (named)."""
        code = self.process.poll()
        if code is None:
            return "still running"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"killed by {name} (exit code {code})"
        return f"exited with code {code}"

    def log_tail(self, lines: int = 60) -> str:
        if not self._log.closed:
            self._log.flush()
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
