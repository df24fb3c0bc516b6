"""Long reliability runs on a real local broker with real worker processes; figures printed and kept in bench/reports.

    .venv/bin/python -m scripts.reliability.run faults --articles 50000     # SIGKILL (both guarantees), broker
                                                                            # restart, takeover, SIGTERM
    .venv/bin/python -m scripts.reliability.run hostile --malformed 100000 --good 20000
    .venv/bin/python -m scripts.reliability.run memory --waves 10 --per-wave 100

The scenarios are the ones tests/integration/test_faults.py and test_hostile_input.py assert on, at larger sizes.
Each command starts its own broker (free loopback ports, temporary directory) and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import PROJECT_ROOT, write_report
from streams.harness.broker import LocalBroker, loopback_broker
from streams.harness.faults import FaultBench, broker_restart, sigkill_restart, sigterm_drain, worker_takeover
from streams.harness.hostile import hostile_flood, oversize_flood
from streams.harness.jars import ensure_jars
from streams.harness.reliability import assert_nothing_lost

FEED_RATE = 700.0


def start_broker(work_dir: Path) -> LocalBroker:
    ensure_jars()
    broker = loopback_broker(work_dir / "kafka")
    broker.start()
    return broker


def verdict(check: Callable[[], None]) -> str:
    try:
        check()
    except AssertionError as failure:
        return f"FAIL: {failure}"
    return "pass"


def run_faults(args: argparse.Namespace, broker: LocalBroker, work_dir: Path) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []

    def bench(name: str, **options: Any) -> FaultBench:
        return FaultBench(broker.bootstrap_servers, work_dir / name, partitions=args.partitions, **options)

    def record(report: Any, exactly_once: bool) -> None:
        figures = report.figures()
        figures["verdict"] = verdict(lambda: assert_nothing_lost(report.audit, exactly_once=exactly_once))
        runs.append(figures)
        print(json.dumps({k: v for k, v in figures.items() if k != "audit"}), flush=True)

    for guarantee in ("exactly_once", "at_least_once"):
        with bench(f"sigkill-{guarantee}", guarantee=guarantee) as b:
            record(sigkill_restart(b, count=args.articles, rate=FEED_RATE), b.exactly_once)
    with bench("broker-restart", guarantee="at_least_once") as b:
        record(broker_restart(b, broker, count=args.articles, rate=FEED_RATE, downtime=args.downtime), False)
    with bench("takeover", guarantee="at_least_once") as b:
        record(worker_takeover(b, count=args.articles, rate=FEED_RATE), False)
    with bench("sigterm", guarantee="at_least_once") as b:
        record(sigterm_drain(b, count=args.articles), True)
    return {"articles_per_run": args.articles, "partitions": args.partitions, "runs": runs}


def run_hostile(args: argparse.Namespace, broker: LocalBroker, work_dir: Path) -> dict[str, Any]:
    with FaultBench(
        broker.bootstrap_servers,
        work_dir / "hostile",
        partitions=args.partitions,
        guarantee="at_least_once",
        max_message_bytes=args.cap,
    ) as b:
        result, figures = hostile_flood(b, malformed=args.malformed, good=args.good)
    figures["verdict"] = "pass" if not result.mismatches() else "FAIL"
    print(json.dumps(figures), flush=True)
    return {"cap_bytes": args.cap, **figures}


def run_memory(args: argparse.Namespace, broker: LocalBroker, work_dir: Path) -> dict[str, Any]:
    with FaultBench(
        broker.bootstrap_servers,
        work_dir / "memory",
        partitions=2,
        guarantee="at_least_once",
        max_message_bytes=args.cap,
    ) as b:
        figures = oversize_flood(b, waves=args.waves, per_wave=args.per_wave, size=args.size)
    first, *later = figures["rss_mib_peak_per_wave"]
    # Bounded: once the first wave warmed the buffers, further waves must not keep adding memory.
    figures["verdict"] = "pass" if all(peak <= first + 48 for peak in later) else "FAIL: resident memory keeps growing"
    print(json.dumps(figures), flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    faults = commands.add_parser(
        "faults", help="SIGKILL (exactly-once and at-least-once), broker restart, takeover, SIGTERM"
    )
    faults.add_argument("--articles", type=int, default=50_000, help="articles per scenario")
    faults.add_argument("--partitions", type=int, default=4)
    faults.add_argument("--downtime", type=float, default=10.0, help="seconds the broker stays down")
    faults.set_defaults(run=run_faults)
    hostile = commands.add_parser(
        "hostile", help="labelled malformed messages mixed with good ones, reconciled exactly"
    )
    hostile.add_argument("--malformed", type=int, default=100_000)
    hostile.add_argument("--good", type=int, default=20_000)
    hostile.add_argument("--cap", type=int, default=65_536, help="NEWSEVENTS_MAX_MESSAGE_BYTES of the worker")
    hostile.add_argument("--partitions", type=int, default=4)
    hostile.set_defaults(run=run_hostile)
    memory = commands.add_parser("memory", help="waves of oversize messages; peak worker RSS per wave")
    memory.add_argument("--waves", type=int, default=10)
    memory.add_argument("--per-wave", type=int, default=100)
    memory.add_argument("--size", type=int, default=1_000_000, help="bytes per message (the broker takes up to ~1 MB)")
    memory.add_argument("--cap", type=int, default=65_536)
    memory.set_defaults(run=run_memory)
    args = parser.parse_args()

    started = time.time()
    with tempfile.TemporaryDirectory(prefix=f"reliability-{args.command}-") as tmp:
        broker = start_broker(Path(tmp))
        try:
            figures = args.run(args, broker, Path(tmp))
        finally:
            broker.stop(timeout=30)
    path = write_report(f"reliability-{args.command}", figures, started=started)
    print(f"report: {path.relative_to(PROJECT_ROOT)}")
    failed = [run for run in figures.get("runs", [figures]) if str(run.get("verdict", "pass")) != "pass"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
