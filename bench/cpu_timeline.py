"""CPU seconds of processes over time, sampled in a thread: how much of a run's clock a process spent on the CPU."""

from __future__ import annotations

import bisect
import threading
import time

from streams.harness.processes import cpu_seconds


def main_thread_schedstat(pid: int) -> tuple[float, float]:
    """Seconds the process's main thread (its event loop) ran on a CPU and waited runnable for one
    (/proc/<pid>/task/<pid>/schedstat). Wall time minus both is the time it slept: waiting for I/O or a timer, which
    a loaded machine does not inflate the way it inflates the clock."""
    with open(f"/proc/{pid}/task/{pid}/schedstat") as stat:
        run_ns, wait_ns, _ = stat.read().split()
    return int(run_ns) / 1e9, int(wait_ns) / 1e9


class CpuTimeline(threading.Thread):
    """Samples (wall time, CPU seconds) of each named process every `interval` seconds until stopped, and of the
    first one's main thread its running ("<name>.run") and runnable-waiting ("<name>.wait") seconds."""

    def __init__(self, pids: dict[str, int], interval: float = 0.1) -> None:
        super().__init__(name="cpu-timeline", daemon=True)
        self.pids = dict(pids)
        self.interval = interval
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in pids}
        self.main = next(iter(pids))
        self.samples[f"{self.main}.run"] = []
        self.samples[f"{self.main}.wait"] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self) -> None:
        now = time.time()
        for name, pid in self.pids.items():
            try:
                self.samples[name].append((now, cpu_seconds(pid)))
            except (ProcessLookupError, FileNotFoundError):
                pass  # the process is gone; its samples so far stand
        try:
            run, wait = main_thread_schedstat(self.pids[self.main])
        except (ProcessLookupError, FileNotFoundError):
            return
        self.samples[f"{self.main}.run"].append((now, run))
        self.samples[f"{self.main}.wait"].append((now, wait))

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()

    def cpu_between(self, name: str, start: float, end: float) -> float:
        """CPU seconds the process used between two wall times (linear between samples)."""
        return self._at(name, end) - self._at(name, start)

    def _at(self, name: str, when: float) -> float:
        samples = self.samples[name]
        if not samples:
            return 0.0
        times = [at for at, _ in samples]
        index = bisect.bisect_left(times, when)
        if index == 0:
            return samples[0][1]
        if index == len(samples):
            return samples[-1][1]
        (t0, c0), (t1, c1) = samples[index - 1], samples[index]
        return c0 + (c1 - c0) * (when - t0) / (t1 - t0) if t1 > t0 else c1
