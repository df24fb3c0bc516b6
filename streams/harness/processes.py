"""Local processes: free loopback ports, children tied to their parent, signals, and /proc sampling (CPU, memory)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# --------------------------------------------------------------------------------------------- ports


def free_ports(count: int) -> list[int]:
    """Distinct loopback ports that were free a moment ago (all held open together, so never the same twice)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    return free_ports(1)[0]


def port_open(port: int, timeout: float = 0.5) -> bool:
    """Something accepts connections on this loopback port."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


# ----------------------------------------------------------------------------------------- children

_LIBC = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def terminate_with_parent() -> None:
    """A Popen preexec_fn (main thread only): the kernel sends the child SIGTERM when its parent dies."""
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def send_signal(pid: int, signum: int) -> None:
    """os.kill that ignores a process already gone."""
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def reap(pid: int) -> None:
    """Collect the exit status if the process is our child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


# ----------------------------------------------------------------------------------------- sampling


def _proc(pid: int, name: str) -> str:
    try:
        return Path(f"/proc/{pid}/{name}").read_text()
    except FileNotFoundError:
        raise ProcessLookupError(f"no process {pid}") from None


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (/proc/<pid>/statm); ProcessLookupError once it is gone."""
    return int(_proc(pid, "statm").split()[1]) * PAGE_SIZE


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (utime + stime from /proc/<pid>/stat)."""
    # After the ")" of the command name, field 3 (state) is index 0: utime is field 14, stime field 15.
    fields = _proc(pid, "stat").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass(frozen=True, slots=True)
class ProcessSample:
    at: float  # time.monotonic()
    cpu_seconds: float  # user + system, this process only
    rss_bytes: int


def sample_process(pid: int) -> ProcessSample:
    """CPU seconds and resident memory of one process, now."""
    return ProcessSample(at=time.monotonic(), cpu_seconds=cpu_seconds(pid), rss_bytes=rss_bytes(pid))


class RssSampler(threading.Thread):
    """Samples a process's resident memory every `interval` seconds; `peak()` since the last `reset()`."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.pid = pid
        self.interval = interval
        self._peak = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self._peak = max(self._peak, rss_bytes(self.pid))
            except ProcessLookupError:
                return  # the process is gone; the caller notices that on its own
            self._halt.wait(self.interval)

    def reset(self) -> int:
        peak, self._peak = self._peak, 0
        return peak

    def stop(self) -> None:
        self._halt.set()
        self.join(5)
