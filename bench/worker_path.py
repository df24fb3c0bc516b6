"""The pipeline worker's whole per-article CPU, step by step, beside the no-op worker's (in process: no broker, no Faust).

Issue 10 compares the pipeline worker with the same worker running NEWSEVENTS_EXTRACTOR=noop, per CPU second. Only what
the pipeline does and the no-op worker does not can move that ratio; a cost both pay (decoding, the outcome record,
metrics) lowers it when cut, since the same saving is a larger share of the no-op worker's smaller cost. This
benchmark shows which is which, on the end-to-end workload (`bench.endtoend.workload()`):

* `--steps` (default): the pipeline agent's batch path (`PipelineAgent._handle_batch` without its awaits) in batches
  of 200, for both extractors: decode, the per-article bookkeeping and extraction, building the records (events,
  outcome), grouping them by partition for publishing, and the metrics, each timed in CPU time of this process;
* `--stages`: the extraction (`Extractor.extract`) by stage: lowercasing, the first pass (anchors and triggers),
  the rules, the learned stage, merging into events;
* `--classes`: the extraction's cost by what an article reaches (no hit; hits but no sentence read; sentences read
  but no candidate; events).

Run it from two trees alternately to compare them (medians of `--rounds` passes after a warm-up pass):

    python -m bench.worker_path [--articles N] [--rounds R] [--steps] [--stages] [--classes]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import input_messages
from bench.endtoend import workload
from schemas import Article
from streams.harness.worker import isolated_settings
from streams.worker.agents import PipelineAgent, WorkerState
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, ProcessingResult, SourceMessage

BATCH = 200  # the agent's batch (agents.BATCH_MAX_MESSAGES) when it has a backlog, as in the end-to-end run
STEPS = ("decode", "extract", "finish", "group", "count")
STAGES = ("view", "lowercase", "first pass", "rules", "learned", "merge")  # view: the language and source view
CLASSES = ("no hit", "hits, no sentence read", "sentences read, no candidate", "candidates, no event", "events")


class _NoPublisher:
    async def publish(self, records: Any, *, source_partition: int) -> None:
        return None


def messages(count: int) -> list[SourceMessage]:
    """The end-to-end benchmark's input messages, four partitions as on its input topic."""
    now = time.time()
    return [
        SourceMessage(topic="raw", partition=n % 4, offset=n // 4, timestamp=now, value=value)
        for n, (_, value) in enumerate(input_messages(workload(), count))
    ]


def one_pass(agent: PipelineAgent, batch_source: Sequence[SourceMessage]) -> dict[str, float]:
    """CPU seconds of each step over all messages, taken in batches as PipelineAgent._handle_batch takes them."""
    clock: Callable[[], float] = time.process_time
    spent = dict.fromkeys(STEPS, 0.0)
    processor, metrics, state = agent.processor, agent.metrics, agent.state
    for first in range(0, len(batch_source), BATCH):
        batch = batch_source[first : first + BATCH]
        t0 = clock()
        decoded = [processor.decode(message) for message in batch]
        t1 = clock()
        extracted = []
        for article in decoded:
            now = time.time()
            metrics.articles_consumed.inc()
            metrics.last_consumed_timestamp.set(now)
            state.last_consumed_at = now
            extracted.append(processor.extract(article))
            time.monotonic()  # the agent's yield check
        t2 = clock()
        results = [processor.finish(message, done) for message, done in zip(batch, extracted, strict=True)]
        t3 = clock()
        _group(batch, results)
        t4 = clock()
        for message, result in zip(batch, results, strict=True):
            agent._count(result, message)
            state.next_offsets[message.partition] = message.offset + 1
            state.messages_processed += 1
        t5 = clock()
        for step, spent_here in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
            spent[step] += spent_here
    return spent


def _group(batch: Sequence[SourceMessage], results: Sequence[ProcessingResult]) -> None:
    # What PipelineAgent._publish_by_partition does before it awaits the publisher (twice: events, then outcomes).
    for kind in ("event_records", "final_records"):
        by_partition: dict[int, list[Any]] = {}
        for message, result in zip(batch, results, strict=True):
            if records := getattr(result, kind):
                by_partition.setdefault(message.partition, []).extend(records)


def steps(extractor: str, source: Sequence[SourceMessage], rounds: int) -> dict[str, float]:
    """Median CPU µs per article of each step (and in all) for one extractor, "rules" or "noop"."""
    with tempfile.TemporaryDirectory() as work_dir:
        processor = MessageProcessor(isolated_settings("localhost:9", Path(work_dir), extractor=extractor))
        processor.warm_up()
        gc.freeze()  # as run_worker does after warming up
        agent = PipelineAgent(processor, _NoPublisher(), Metrics(), WorkerState())
        one_pass(agent, source)  # rules first met late compile their regexes here, not in the timed passes
        passes = [one_pass(agent, source) for _ in range(rounds)]
    figures = {step: statistics.median(p[step] for p in passes) for step in STEPS}
    figures["all"] = statistics.median(sum(p.values()) for p in passes)
    return {name: value / len(source) * 1e6 for name, value in figures.items()}


def _extractor() -> Any:
    from streams import extraction

    extraction.prepare()
    return extraction._default_extractor()


def stages(articles: Sequence[Article], rounds: int) -> dict[str, float]:
    """Median CPU µs per article of each stage of Extractor.extract (the same calls in the same order)."""
    from streams.extraction.merge import merge
    from streams.extraction.source_view import tidy_names
    from streams.extraction.text import lower_same_length

    extractor = _extractor()
    clock = time.process_time

    def one(article: Article, spent: dict[str, float]) -> None:
        t0 = clock()
        lang = extractor.language_of(article.text, article.lang)
        if lang not in extractor.languages:
            spent["view"] += clock() - t0
            return
        text = extractor.engine(lang).source_view.read(article.text)
        t1 = clock()
        lowered = lower_same_length(text)
        t2 = clock()
        reader = extractor.reader(lang)
        scanned = reader.first_pass.scan(lowered) if reader is not None else None
        hits = scanned[0] if scanned is not None else None
        t3 = clock()
        split: list[Any] = []
        candidates = extractor.engine(lang).analyse(text, None, lowered, hits, split)
        t4 = clock()
        if reader is not None:
            candidates = candidates + reader.candidates(text, candidates, None, lowered, scanned, split)
        t5 = clock()
        events = merge(article, lang, candidates, extractor.version)
        if text is not article.text:
            tidy_names(events)
        t6 = clock()
        for stage, spent_here in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True):
            spent[stage] += spent_here

    passes = []
    for _ in range(rounds + 1):
        spent = dict.fromkeys(STAGES, 0.0)
        for article in articles:
            one(article, spent)
        passes.append(spent)
    figures = {stage: statistics.median(p[stage] for p in passes[1:]) for stage in STAGES}
    figures["all"] = statistics.median(sum(p.values()) for p in passes[1:])
    return {name: value / len(articles) * 1e6 for name, value in figures.items()}


@contextmanager
def _watching_sentences(reached: dict[str, bool]) -> Iterator[None]:
    """Notes whether an extraction read a sentence around a cue hit and whether that gave a candidate."""
    from streams.extraction.engine import LanguageEngine

    original = LanguageEngine._analyse_sentence

    def watched(self: LanguageEngine, *args: Any) -> Any:
        reached["read"] = True
        found = original(self, *args)
        reached["candidate"] = reached.get("candidate", False) or bool(found)
        return found

    LanguageEngine._analyse_sentence = watched  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        LanguageEngine._analyse_sentence = original  # type: ignore[method-assign]


def classes(articles: Sequence[Article], rounds: int) -> dict[str, tuple[float, float, float]]:
    """Per class of article (CLASSES): its share of the articles, CPU µs per article of the class, and its cost spread
    over every article of the workload (median of rounds)."""
    from streams.extraction.text import lower_same_length

    extractor = _extractor()
    reached: dict[str, bool] = {}
    kinds: list[str] = []
    with _watching_sentences(reached):
        for article in articles:
            reached.clear()
            lowered = lower_same_length(article.text)
            reader = extractor.reader(extractor.language_of(article.text, article.lang))
            screened_any = reader is not None and any(reader.first_pass.scan(lowered))
            events = extractor.extract(article).events
            if events:
                kinds.append(CLASSES[4])
            elif reached.get("candidate"):
                kinds.append(CLASSES[3])
            elif reached.get("read"):
                kinds.append(CLASSES[2])
            else:
                kinds.append(CLASSES[1] if screened_any else CLASSES[0])
    clock = time.process_time
    passes: list[dict[str, float]] = []
    for _ in range(rounds):
        spent = dict.fromkeys(CLASSES, 0.0)
        for article, kind in zip(articles, kinds, strict=True):
            started = clock()
            extractor.extract(article)
            spent[kind] += clock() - started
        passes.append(spent)
    counts = Counter(kinds)
    return {
        kind: (
            counts[kind] / len(articles),
            statistics.median(p[kind] for p in passes) / counts[kind] * 1e6,
            statistics.median(p[kind] for p in passes) / len(articles) * 1e6,
        )
        for kind in CLASSES
        if counts[kind]
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=21_000, help="messages of the workload (default 21,000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes; medians are reported (default 3)")
    parser.add_argument("--steps", action="store_true", help="the agent's steps, no-op and pipeline (the default)")
    parser.add_argument("--stages", action="store_true", help="the extraction by stage")
    parser.add_argument("--classes", action="store_true", help="the extraction's cost by class of article")
    args = parser.parse_args(argv)
    source = messages(args.articles)
    if args.steps or not (args.stages or args.classes):
        for extractor in ("noop", "rules"):
            figures = steps(extractor, source, args.rounds)
            print(
                f"{extractor:5s}",
                "  ".join(f"{name} {value:.1f}" for name, value in figures.items()),
                "(CPU µs/article)",
            )
    if args.stages or args.classes:
        articles = [Article.model_validate_json(message.value or b"") for message in source]
        if args.stages:
            figures = stages(articles, args.rounds)
            print("stages", "  ".join(f"{name} {value:.1f}" for name, value in figures.items()), "(CPU µs/article)")
        if args.classes:
            for kind, (share, each, spread) in classes(articles, args.rounds).items():
                print(
                    f"{kind:30s} {share:6.1%} of articles  {each:7.1f} µs each  {spread:6.1f} µs per workload article"
                )


if __name__ == "__main__":
    main()
