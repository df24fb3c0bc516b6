"""`newsevents demo`: local broker, topics, one worker, the example articles fed in, events printed as they arrive."""

from __future__ import annotations

import dataclasses
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO

from kafka import KafkaProducer

from schemas import DeadLetter, Event, Outcome
from streams.commands.feed import FeedRecord, FeedResult, produce, read_records
from streams.harness.worker import PROJECT_ROOT, WorkerNotHealthy, WorkerProcess
from streams.kafka.connection import kafka_python_options
from streams.kafka.reader import TailRecord, TopicReader
from streams.kafka.topics import create_topics
from streams.settings import Settings

DEMO_FILES = (PROJECT_ROOT / "fixtures" / "kursk-article.json", PROJECT_ROOT / "fixtures" / "sample-articles.jsonl")
EVIDENCE_CHARS = 110


class _Stop(BaseException):
    """Unwinds the demo into its cleanup on Ctrl-C or SIGTERM (a BaseException: nothing on the way may swallow it)."""


class _StopOnSignal:
    """SIGINT/SIGTERM handler. kafka-python runs its network I/O as tasks that log and swallow any exception
    raised inside them (KeyboardInterrupt included), so while kafka-python code runs the handler only records
    the request, and the demo raises _Stop itself right after (see `deferred` and `check`)."""

    def __init__(self) -> None:
        self.requested = False
        self._raise_at_once = True

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True
        if self._raise_at_once:
            raise _Stop()

    def check(self) -> None:
        if self.requested:
            raise _Stop()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self._raise_at_once = False
        try:
            yield
        finally:
            self._raise_at_once = True
        self.check()


def describe_event(event: Event) -> str:
    """Two lines for a terminal: what, who, where, how many, how sure; then the evidence."""
    actor = event.actor.name + (f" ({event.actor.country})" if event.actor.country else "")
    parts = [f"{event.type.value:<12}", f"actor: {actor}"]
    if event.location:
        parts.append(f"→ {event.location.name}" + (f" ({event.location.country})" if event.location.country else ""))
    if event.quantity:
        parts.append(f"quantity: {event.quantity.value:,} ({event.quantity.qualifier.value})")
    parts.append(f"modality: {event.modality.value}")
    if event.attribution:
        parts.append(f"source: {event.attribution}")
    evidence = " ".join(event.evidence.text.split())
    if len(evidence) > EVIDENCE_CHARS:
        evidence = evidence[: EVIDENCE_CHARS - 1] + "…"
    more = f" (+{len(event.mentions)} more)" if event.mentions else ""
    return "  ".join(parts) + f"\n    [{event.article_id}] “{evidence}”{more}"


class DemoPrinter:
    """Prints records of the output topics and keeps the numbers for the summary."""

    def __init__(self, settings: Settings, out: IO[str]) -> None:
        self.settings = settings
        self.out = out
        self.outcomes: list[Outcome] = []
        self.dead_letters: Counter[str] = Counter()
        self.events: Counter[str] = Counter()
        self.positions: set[tuple[int, int]] | None = None
        self.article_ids: set[str] | None = None

    def only(self, positions: set[tuple[int, int]] | None, article_ids: set[str] | None) -> None:
        """Count and show only the demo's own articles (by raw partition and offset; events by article id), so
        other traffic on the topics does not enter its summary; None, None shows everything again."""
        self.positions, self.article_ids = positions, article_ids

    def _own(self, record: TailRecord) -> bool:
        if self.positions is None:
            return True
        try:
            value = record.json()
        except ValueError:  # not JSON: not one of ours
            return False
        if not isinstance(value, dict):
            return False
        if record.topic in (self.settings.topic_processed, self.settings.topic_dlq):
            return (value.get("source_partition"), value.get("source_offset")) in self.positions
        return self.article_ids is None or value.get("article_id") in self.article_ids

    def show(self, record: TailRecord) -> None:
        if not self._own(record):
            return
        if record.topic == self.settings.topic_processed:
            self.outcomes.append(Outcome.model_validate(record.json()))
        elif record.topic == self.settings.topic_dlq:
            letter = DeadLetter.model_validate(record.json())
            self.dead_letters[letter.reason.value] += 1
            print(f"dead letter  {letter.reason.value}: {letter.detail}", file=self.out)
        else:
            event = Event.model_validate(record.json())
            self.events[event.type.value] += 1
            print(describe_event(event), file=self.out)
        self.out.flush()

    def summary(self, metrics_url: str) -> str:
        ok = sum(1 for o in self.outcomes if o.status.value == "ok")
        latencies = sorted(o.latency_seconds for o in self.outcomes)
        lines = [
            "",
            f"articles processed: {len(self.outcomes)} ({ok} ok, {len(self.outcomes) - ok} dead-lettered)",
            "events: " + (", ".join(f"{n} {t}" for t, n in sorted(self.events.items())) or "none"),
        ]
        if self.dead_letters:
            lines.append("dead letters: " + ", ".join(f"{n} {r}" for r, n in sorted(self.dead_letters.items())))
        if latencies:
            lines.append(
                f"ingest → outcome latency: median {statistics.median(latencies) * 1000:.0f} ms, "
                f"max {latencies[-1] * 1000:.0f} ms"
            )
        lines.append(f"metrics: {metrics_url}/metrics   health: {metrics_url}/health   live stories: {metrics_url}/")
        return "\n".join(lines)


def _demo_records() -> list[FeedRecord]:
    return [record for path in DEMO_FILES for record in read_records(path)]


def run_demo(settings: Settings, *, once: bool = False, timeout: float = 120.0, out: IO[str] = sys.stdout) -> int:
    """Run the demo; returns the exit code. Stops the worker and (if it started it) the broker on every exit path."""
    from streams.harness.broker import BrokerConfig, LocalBroker
    from streams.harness.jars import BrokerError, ensure_jars

    stop = _StopOnSignal()
    previous_sigterm = signal.signal(signal.SIGTERM, stop)
    previous_sigint = signal.signal(signal.SIGINT, stop)
    broker: LocalBroker | None = None
    worker: WorkerProcess | None = None
    started_broker = False
    try:
        # die_with_parent: should the demo itself be killed (SIGKILL), the kernel still stops what it started.
        broker = LocalBroker(dataclasses.replace(BrokerConfig.from_settings(settings), die_with_parent=True))
        if broker.is_running():
            print(f"using the local broker already running at {broker.bootstrap_servers}", file=out)
        else:
            print(
                "preparing Kafka jars (downloaded on the first run only) and starting the local broker …",
                file=out,
                flush=True,
            )
            ensure_jars()
            began = time.monotonic()
            started_broker = True  # before start(): a Ctrl-C during start-up must still stop it
            broker.start()
            print(f"broker up at {broker.bootstrap_servers} in {time.monotonic() - began:.1f} s", file=out)
        # The demo talks to the broker it manages, whatever NEWSEVENTS_BOOTSTRAP_SERVERS says.
        # The demo shows stories and the live page unless NEWSEVENTS_STORIES_ENABLED says otherwise (the stage is off by
        # default in a worker: see the README's known issue on multi-broker clusters).
        stories = settings.stories_enabled or "stories_enabled" not in settings.model_fields_set
        settings = settings.model_copy(
            update={"bootstrap_servers": broker.bootstrap_servers, "stories_enabled": stories}
        )
        with stop.deferred():
            create_topics(settings)

        log_path = Path(settings.broker_dir).resolve().parent / "demo-worker.log"
        worker = WorkerProcess(settings, log_path, own_session=True)
        print(f"starting the worker (log: {log_path}) …", file=out, flush=True)
        worker.wait_healthy(timeout=90)

        printer = DemoPrinter(settings, out)
        topics = [*settings.event_topics.values(), settings.topic_dlq, settings.topic_processed]
        with stop.deferred(), TopicReader(settings, topics) as reader:
            records = _demo_records()
            producer = KafkaProducer(acks="all", **kafka_python_options(settings))
            fed = FeedResult()
            try:
                produce(producer, settings.topic_raw, records, total=len(records), result=fed)
            finally:
                producer.close()
            if fed.not_sent:
                raise BrokerError(f"could not feed the example articles: {fed.not_sent[0]}")
            printer.only(fed.positions, {record.key.decode() for record in records if record.key})
            print(
                f"fed {len(records)} articles to {settings.topic_raw}; events as they arrive:\n", file=out, flush=True
            )

            deadline = time.monotonic() + timeout
            while len(printer.outcomes) < len(records):
                stop.check()
                if once and time.monotonic() > deadline:
                    print(f"timed out after {timeout:.0f} s waiting for outcomes\n{worker.log_tail()}", file=out)
                    return 1
                if worker.process.poll() is not None:
                    print(f"the worker exited ({worker.process.returncode}):\n{worker.log_tail()}", file=out)
                    return 1
                for record in reader.poll():
                    printer.show(record)
            print(printer.summary(worker.base_url), file=out, flush=True)
            if once:
                return 0
            print(
                "\nstill listening: feed more with `newsevents feed FILE`; Ctrl-C stops everything\n",
                file=out,
                flush=True,
            )
            printer.only(None, None)
            while worker.process.poll() is None:
                stop.check()
                for record in reader.poll():
                    printer.show(record)
            print(f"the worker exited ({worker.process.returncode}):\n{worker.log_tail()}", file=out)
            return 1
    except _Stop:
        print("\nstopping …", file=out)
        return 0
    except (BrokerError, WorkerNotHealthy) as exc:
        print(f"newsevents demo: {exc}", file=out)
        return 1
    finally:
        # A second Ctrl-C or SIGTERM must not interrupt the cleanup.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if worker is not None:
            code = worker.terminate(timeout=30)
            print(f"worker stopped (exit {code})", file=out)
        if broker is not None and started_broker:
            broker.stop()
            print("broker stopped", file=out)
        signal.signal(signal.SIGTERM, previous_sigterm)
        signal.signal(signal.SIGINT, previous_sigint)
