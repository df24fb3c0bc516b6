"""Where the worker's CPU goes: the real worker under cProfile over preloaded articles, own time grouped by component.

Not part of `make bench` (profiling slows the worker down about twofold, so its rates are not figures); it explains
the end-to-end ratios: `python -m bench.profile_worker [--articles N] [--extractor rules|noop]`.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import PROJECT_ROOT, input_messages, table, write_report
from bench.endtoend import workload
from bench.kafka_env import BenchKafka
from bench.stories import metric_sum, story_updates
from streams.harness.feeding import preload
from streams.harness.reading import wait_for_records
from streams.harness.story_articles import story_corpus
from streams.harness.worker import settings_env

DEFAULT_ARTICLES = 20_000
TOP = 25
# First match wins: path fragment -> component.
COMPONENTS = (
    # Work done once before the first message: not a per-article cost, kept apart so shares are readable.
    ("lingua", "start-up (imports, lexicons, regex compilation, language models)"),
    ("/re/_parser", "start-up (imports, lexicons, regex compilation, language models)"),
    ("/re/_compiler", "start-up (imports, lexicons, regex compilation, language models)"),
    ("/json/", "start-up (imports, lexicons, regex compilation, language models)"),
    ("/importlib/", "start-up (imports, lexicons, regex compilation, language models)"),
    ("marshal", "start-up (imports, lexicons, regex compilation, language models)"),
    ("builtins.compile", "start-up (imports, lexicons, regex compilation, language models)"),
    ("__build_class__", "start-up (imports, lexicons, regex compilation, language models)"),
    ("/streams/extraction/gazetteer.py:add", "start-up (imports, lexicons, regex compilation, language models)"),
    ("_socket.socket", "socket send/recv (kernel)"),
    ("/streams/extraction/", "extraction (streams/extraction)"),
    ("/streams/", "pipeline code (streams/: decode, records, agent)"),
    ("/schemas/", "pipeline code (streams/: decode, records, agent)"),
    ("/faust/", "faust + mode (streams, conductor, consumer)"),
    ("/mode/", "faust + mode (streams, conductor, consumer)"),
    ("/aiokafka/", "aiokafka (protocol, fetch, produce)"),
    ("/kafka/", "aiokafka (protocol, fetch, produce)"),
    ("/asyncio/", "asyncio event loop"),
    ("select.epoll", "idle: waiting in epoll"),
    ("/pydantic", "pydantic (models, validation, dump)"),
    ("pydantic_core", "pydantic (models, validation, dump)"),
    ("/prometheus_client/", "prometheus-client"),
    ("orjson", "orjson"),
    ("'re.Pattern'", "regular expressions (re)"),
    ("/re/", "regular expressions (re)"),
)


def component(function: tuple[str, int, str]) -> str:
    filename, _, name = function
    text = f"{filename}:{name}"
    for fragment, label in COMPONENTS:
        if fragment in text:
            return label
    return "other (stdlib, builtins)"


def run(
    *, articles: int = DEFAULT_ARTICLES, extractor: str = "rules", stories: bool = False, generated: bool = False
) -> dict[str, Any]:
    started = time.time()
    with BenchKafka() as kafka:
        settings = kafka.settings(f"profile-{extractor}", extractor=extractor, stories_enabled=stories)
        messages = (
            story_corpus(articles, prefix="profile").messages() if generated else input_messages(workload(), articles)
        )
        preload(kafka.bootstrap, settings.topic_raw, messages)
        profile_path = kafka.work_dir / "worker.prof"
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSEVENTS_")}
        env.update(settings_env(settings))
        with (kafka.work_dir / "profiled-worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "cProfile", "-o", str(profile_path), "-m", "streams.commands.cli", "worker"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for_records(
                    kafka.bootstrap,
                    settings.topic_processed,
                    articles,
                    timeout=900,
                    alive=lambda: worker.poll() is None,
                )
                if stories:  # until the stories agent has handled every event (its tail is part of the cost)
                    url = f"http://{settings.web_host}:{settings.web_port}/metrics"
                    emitted = metric_sum(urllib.request.urlopen(url).read().decode(), "newsevents_events_emitted_total")
                    while story_updates(urllib.request.urlopen(url).read().decode()) < emitted:
                        time.sleep(0.5)
            finally:
                worker.terminate()  # SIGTERM: faust stops cleanly and cProfile writes its file
                worker.wait(60)
        stats = pstats.Stats(str(profile_path))
        kept = Path(tempfile.gettempdir()) / f"newsevents-worker-profile-{os.getpid()}.prof"
        shutil.copy(profile_path, kept)  # for pstats beyond the top functions (the broker's directory goes)
        print(f"profile: {kept}")
    total = sum(own for (_, _, own, _, _) in stats.stats.values()) or 1.0
    groups: dict[str, float] = {}
    rows = []
    for function, (_, calls, own, cumulative, _) in stats.stats.items():
        label = component(function)
        groups[label] = groups.get(label, 0.0) + own
        rows.append(
            {
                "function": f"{_short(function[0])}:{function[1]}({function[2]})",
                "component": label,
                "calls": calls,
                "own_seconds": round(own, 3),
                "cumulative_seconds": round(cumulative, 3),
            }
        )
    rows.sort(key=lambda row: row["own_seconds"], reverse=True)
    figures = {
        "method": f"the worker under cProfile (start-up included) over {articles:,} preloaded "
        f"{'generated story' if generated else 'mixed'} articles, NEWSEVENTS_EXTRACTOR={extractor}, stories "
        f"{'on' if stories else 'off'}; own time per function, grouped by where the code lives",
        "articles": articles,
        "extractor": extractor,
        "profiled_seconds": round(total, 2),
        "components": {
            label: {"own_seconds": round(own, 2), "share": round(own / total, 3)}
            for label, own in sorted(groups.items(), key=lambda item: item[1], reverse=True)
        },
        "top_functions": rows[:TOP],
    }
    name = f"worker_profile_{extractor}" + ("_generated" if generated else "") + ("_stories" if stories else "")
    path = write_report(name, figures, started=started)
    print(
        table(
            f"Worker CPU by component ({extractor}, {articles:,} articles, under cProfile)",
            ["component", "own s", "share"],
            [[label, r["own_seconds"], f"{r['share']:.1%}"] for label, r in figures["components"].items()],
        )
    )
    print(f"report: {path.relative_to(path.parents[2])}")
    return figures


def _short(filename: str) -> str:
    for marker in ("/site-packages/", "/main/", "/lib/python3.11/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--extractor", choices=("rules", "noop"), default="rules")
    parser.add_argument("--stories", action="store_true", help="NEWSEVENTS_STORIES_ENABLED=true")
    parser.add_argument("--generated", action="store_true", help="generated story articles (one event each)")
    args = parser.parse_args(argv)
    run(articles=args.articles, extractor=args.extractor, stories=args.stories, generated=args.generated)


if __name__ == "__main__":
    main()
