"""The stories stage's cost in two source trees, interleaved case by case over one preloaded input.

`bench/stories.py` runs one tree; on the shared 2-core machine its cost swings by several points between runs of
the same code (other sessions' load changes from minute to minute), more than a change of a few µs per event moves
it. Here the workers of both trees (this one and `--other`, e.g. a worktree of the base commit) read the same
preloaded topic one after the other, stories off then on, tree order alternating each round, so both see the same
load; per tree the CPU cost is computed from the least worker CPU per article of each side over the rounds (load
only ever adds CPU), and also per round.

`python -m bench.stories_ab --other ../wt-base [--articles N] [--rounds R] [--workload generated|news]`
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streams.harness.worker as worker_harness
from bench.common import PROJECT_ROOT, input_messages, table, write_report
from bench.endtoend import workload as news_workload
from bench.kafka_env import BenchKafka
from bench.stories import cost_case
from streams.harness.feeding import preload
from streams.harness.story_articles import story_corpus

DEFAULT_ARTICLES = 15_000
DEFAULT_ROUNDS = 3


def _cpu_per_article(case: dict[str, Any]) -> float:
    return float(case["worker_cpu_seconds"]) / max(1, int(case["articles"])) * 1e6


def run(*, other: Path, articles: int, rounds: int, workload: str) -> dict[str, Any]:
    started = time.time()
    trees = {"other": other.resolve(), "this": PROJECT_ROOT.resolve()}
    cases: dict[str, list[dict[str, Any]]] = {f"{tree}-{side}": [] for tree in trees for side in ("off", "on")}
    with BenchKafka() as kafka:
        source = kafka.settings(f"stories-ab-{workload}-input")
        messages = (
            story_corpus(articles, prefix="ab").messages()
            if workload == "generated"
            else input_messages(news_workload(), articles)
        )
        preload(kafka.bootstrap, source.topic_raw, messages)
        for round_ in range(1, rounds + 1):
            order = list(trees) if round_ % 2 else list(reversed(trees))
            for tree in order:
                worker_harness.PROJECT_ROOT = trees[tree]  # the worker process runs in (and imports from) that tree
                try:
                    for stories in (False, True):
                        side = "on" if stories else "off"
                        case = cost_case(
                            kafka,
                            f"ab-{tree}-{side}-{round_}",
                            topic_raw=source.topic_raw,
                            articles=articles,
                            stories=stories,
                        )
                        case["round"] = round_
                        case["load_average_1m"] = _load_average()
                        case["cpu_us_per_article"] = round(_cpu_per_article(case), 1)
                        cases[f"{tree}-{side}"].append(case)
                        print(
                            f"round {round_} {tree} stories {side}: {case['cpu_us_per_article']} µs/article, "
                            f"{case['articles_per_second']} art/s; outcomes {case['outcome_seconds']} s (worker CPU "
                            f"{case['worker_cpu_outcomes']} s, broker {case['broker_cpu_outcomes']} s), tail "
                            f"{case['tail_seconds']} s (worker {case['worker_cpu_tail']} s, broker "
                            f"{case['broker_cpu_tail']} s), {case['articles_per_unqueued_second']} art/unqueued s, loop asleep {case['loop_sleep_outcomes']} s + {case['loop_sleep_tail']} s, "
                            f"{case['story_records']} story versions",
                            flush=True,
                        )
                finally:
                    worker_harness.PROJECT_ROOT = PROJECT_ROOT
    summary = {}
    for tree in trees:
        off, on = cases[f"{tree}-off"], cases[f"{tree}-on"]
        least_off = min(c["cpu_us_per_article"] for c in off)
        least_on = min(c["cpu_us_per_article"] for c in on)
        events = max(c["events"] for c in on)
        summary[tree] = {
            "tree": str(trees[tree]),
            "least_cpu_us_per_article_off": least_off,
            "least_cpu_us_per_article_on": least_on,
            "cpu_cost_from_least": round(1 - least_off / least_on, 4),
            "extra_cpu_us_per_event_from_least": round((least_on - least_off) * articles / max(1, events), 1),
            "cpu_cost_per_round": [
                round(1 - a["cpu_us_per_article"] / b["cpu_us_per_article"], 4) for a, b in zip(off, on, strict=True)
            ],
            "clock_cost_per_round": [
                round(1 - b["articles_per_second"] / a["articles_per_second"], 4) for a, b in zip(off, on, strict=True)
            ],
            "unqueued_clock_cost_per_round": [
                round(1 - b["articles_per_unqueued_second"] / a["articles_per_unqueued_second"], 4)
                for a, b in zip(off, on, strict=True)
            ],
            "loop_sleep_per_round": [
                [a["loop_sleep_outcomes"], b["loop_sleep_outcomes"] + b["loop_sleep_tail"]]
                for a, b in zip(off, on, strict=True)
            ],
            "tail_seconds": [c["tail_seconds"] for c in on],
            "broker_cpu_seconds": [
                [a["broker_cpu_outcomes"], b["broker_cpu_outcomes"] + b["broker_cpu_tail"]]
                for a, b in zip(off, on, strict=True)
            ],
            "story_records": [c["story_records"] for c in on],
        }
    figures = {
        "method": f"{articles:,} preloaded {workload} articles; per round and tree (order alternating) a worker with "
        "stories off, then one with stories on (each its own group; bench.stories.cost_case); CPU cost = 1 - worker "
        "CPU per article off / on, from the least of the rounds per side, and per round",
        "workload": workload,
        "articles": articles,
        "rounds": rounds,
        "summary": summary,
        "cases": cases,
    }
    path = write_report(f"stories-ab-{workload}", figures, started=started)
    print(
        table(
            f"Stories CPU cost, {workload}, {rounds} rounds interleaved",
            [
                "tree",
                "µs/article off",
                "on",
                "extra µs/event",
                "CPU cost (least)",
                "per round",
                "clock cost per round",
                "unqueued clock cost",
            ],
            [
                [
                    tree,
                    s["least_cpu_us_per_article_off"],
                    s["least_cpu_us_per_article_on"],
                    s["extra_cpu_us_per_event_from_least"],
                    f"{s['cpu_cost_from_least']:.1%}",
                    " ".join(f"{c:.1%}" for c in s["cpu_cost_per_round"]),
                    " ".join(f"{c:.1%}" for c in s["clock_cost_per_round"]),
                    " ".join(f"{c:.1%}" for c in s["unqueued_clock_cost_per_round"]),
                ]
                for tree, s in summary.items()
            ],
        )
    )
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def _load_average() -> float:
    with open("/proc/loadavg") as loadavg:
        return float(loadavg.read().split()[0])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--other", type=Path, required=True, help="the other source tree (its workers run from it)")
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--workload", choices=("generated", "news"), default="generated")
    args = parser.parse_args(argv)
    run(other=args.other, articles=args.articles, rounds=args.rounds, workload=args.workload)


if __name__ == "__main__":
    main()
