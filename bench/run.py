"""`make bench`: every benchmark in one run on one broker (or `--only NAME ...`), a JSON report each, a table each."""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench import endtoend, extractor, latency, memory, scaleout, stories
from bench.common import load_average, machine, write_report
from bench.kafka_env import BenchKafka

# In the order they run: latency feeds at half the rate endtoend measured.
BENCHMARKS: dict[str, Callable[..., dict[str, Any]]] = {
    "extractor": lambda kafka, args: extractor.run(),
    "endtoend": lambda kafka, args: endtoend.run(kafka, articles=args.articles),
    "latency": lambda kafka, args: latency.run(kafka, seconds=args.latency_seconds),
    "memory": lambda kafka, args: memory.run(kafka, articles=args.soak_articles),
    "scaleout": lambda kafka, args: scaleout.run(kafka, articles=args.scale_articles),
    "stories": lambda kafka, args: stories.run(
        kafka, articles=args.stories_articles, soak_articles=args.stories_soak_articles
    ),
}
NEEDS_BROKER = {"endtoend", "latency", "memory", "scaleout", "stories"}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument(
        "--articles", type=int, default=endtoend.DEFAULT_ARTICLES, help="end to end: articles preloaded"
    )
    parser.add_argument(
        "--latency-seconds", type=float, default=latency.DEFAULT_SECONDS, help="latency: seconds of feeding"
    )
    parser.add_argument(
        "--soak-articles", type=int, default=memory.DEFAULT_ARTICLES, help="memory: articles in the soak"
    )
    parser.add_argument(
        "--scale-articles", type=int, default=scaleout.DEFAULT_ARTICLES, help="scale-out: articles per case"
    )
    parser.add_argument(
        "--stories-articles",
        type=int,
        default=stories.DEFAULT_COST_ARTICLES,
        help="stories: articles per cost case (with / without the stories stage)",
    )
    parser.add_argument(
        "--stories-soak-articles",
        type=int,
        default=stories.DEFAULT_SOAK_ARTICLES,
        help="stories: generated articles in the soak with stories expiring (0: no soak)",
    )
    args = parser.parse_args(argv)
    # Topic creation races metadata propagation: the clients retry by themselves, their warnings are noise here.
    logging.basicConfig(level=logging.ERROR)
    selected = args.only or list(BENCHMARKS)
    started = time.time()
    print(f"machine: {machine()}\nload average at start: {load_average()}\n")
    durations: dict[str, float] = {}
    kafka: BenchKafka | None = None
    try:
        if NEEDS_BROKER & set(selected):
            kafka = BenchKafka().__enter__()
            print(f"broker {kafka.bootstrap} ready in {kafka.start_seconds} s\n")
        for name in selected:
            began = time.monotonic()
            BENCHMARKS[name](kafka, args)
            durations[name] = round(time.monotonic() - began, 1)
            print()
    finally:
        if kafka is not None:
            kafka.__exit__(None, None, None)
    if set(selected) == set(BENCHMARKS):
        write_report("suite", {"benchmarks": selected, "seconds_per_benchmark": durations}, started=started)
    print(f"suite finished in {time.time() - started:.0f} s: {durations}")


if __name__ == "__main__":
    main()
