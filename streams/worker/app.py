"""The Faust worker app, built from Settings: input topic, the pipeline and stories agents, the lag timer, /metrics,
/health and the story views."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import faust
from kafka.errors import KafkaError
from mode import CrashingSupervisor

from schemas import DeadLetterReason, EventType, OutcomeStatus
from streams.extraction import COMPILED as EXTRACTION_COMPILED
from streams.extraction.lexicon import available_languages
from streams.kafka.connection import bootstrap_list, faust_broker_url, faust_credentials
from streams.kafka.consumer_tuning import (
    commit_past_offset_holes,
    deliver_each_record_once,
    fetch_stream_partitions_after_the_queue_clear,
    keep_fetching_under_backpressure,
    shorten_fetch_wait,
)
from streams.kafka.partitioner import DefaultPartitioner
from streams.kafka.topics import create_topics
from streams.settings import ProcessingGuarantee, Settings
from streams.stories.core import Change
from streams.stories.rules import load_rules
from streams.worker.agents import (
    BATCH_MAX_MESSAGES,
    BatchingFaustPublisher,
    FaustPublisher,
    PipelineAgent,
    Publisher,
    WorkerState,
    check_broker,
    guard_offset_commits,
    update_consumer_lag,
)
from streams.worker.broadcast import StoryBroadcaster
from streams.worker.log_rate_limit import rate_limit_handlers
from streams.worker.log_redaction import redact_secrets_in_logs
from streams.worker.metrics import Metrics
from streams.worker.processing import LANG_OTHER, LANG_UNDETERMINED, MessageProcessor
from streams.worker.stories import StoriesAgent, StoriesConfig
from streams.worker.stories_changelog import story_tables
from streams.worker.stories_table import StoryStore
from streams.worker.watchdog import CommitProgress, StallWatchdog, watch_for_stalls
from streams.worker.web import PipelineWeb, StoryFeed, register_web_views

log = logging.getLogger(__name__)

AGENT_NAME = "newsevents.process_articles"
STORIES_AGENT_NAME = "newsevents.stories"
LAG_INTERVAL_SECONDS = 5.0
TOPIC_CHECK_TIMEOUT_MS = 10_000
# Input messages faust may queue for the agent beyond the batch it is handling. Faust's default (4096) times a
# broker's 1 MB message limit would let a flood of large messages hold gigabytes; two batches keep it fed.
STREAM_BUFFER_MESSAGES = 2 * BATCH_MAX_MESSAGES
# Bytes the producer gathers per partition before a record must wait for the next request (aiokafka keeps one open
# batch per partition and one request in flight per broker: a full batch makes the next send to that partition wait
# until the batch is drained). At aiokafka's 16 KB default a partition took ~5 story versions (or table values) per
# round trip, so the stories agent flushing a batch of stories made dozens of round trips one after the other
# (profile: 3,225 produce requests for 8,000 generated articles with stories on, 485 without). 512 KiB stays well
# under the broker's 1 MB message limit for a batch; a record larger than it travels in a batch of its own, as before.
PRODUCER_MAX_BATCH_BYTES = 512 * 1024
# glibc's M_MMAP_THRESHOLD (malloc.h) and the value we pin it to (its initial default, 128 KiB).
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024


@dataclass
class Pipeline:
    """The app plus the objects its agent, timer and views share."""

    app: PipelineApp
    settings: Settings
    metrics: Metrics
    state: WorkerState
    agent: PipelineAgent
    faust_agent: Any
    stories: StoriesAgent | None = None  # None when NEWSEVENTS_STORIES_ENABLED=false
    stories_faust_agent: Any = None
    watchdog: StallWatchdog | None = None  # started by run_worker (a test process must not be exited by it)


class PipelineApp(faust.App):
    """faust.App with hooks that adapt the consumer after faust created it and before it starts.

    App.on_start is that moment: the consumer object exists (faust attaches the topic conductor to it there) and
    joins the group only afterwards. Tasks (app.task) start too late for this: faust starts them once the first
    assignment has been handled.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consumer_setup: list[Callable[[Any], None]] = []
        self._set_up_consumer: Any = None

    async def on_start(self) -> None:
        await super().on_start()
        # on_start runs again if faust restarts the app; wrapping the same consumer twice (the commit guard takes a
        # lock that is not reentrant) would deadlock its commits, so each consumer object is set up once.
        if self.consumer is not self._set_up_consumer:
            self._set_up_consumer = self.consumer
            for setup in self.consumer_setup:
                setup(self.consumer)

    def _new_web(self) -> Any:
        # faust's driver for the `web` setting, minus its index page: `/` is the live page (streams/worker/web.py).
        return PipelineWeb(self)


def build_faust_app(settings: Settings) -> PipelineApp:
    """A Faust app configured from settings. No topic, agent or view yet."""
    return PipelineApp(
        settings.app_id,
        broker=faust_broker_url(settings),
        broker_credentials=faust_credentials(settings),
        processing_guarantee=settings.processing_guarantee.value,
        autodiscover=False,
        store="memory://",
        datadir=str(settings.data_dir),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        # Input bytes reach the agent untouched: decoding (and dead-lettering what fails) is ours, not faust's.
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        stream_buffer_maxsize=STREAM_BUFFER_MESSAGES,
        # Faust's 60 s default session would leave the partitions of a SIGKILLed worker (and its restarted
        # successor) idle for a minute; heartbeats stay at a third of the session, as Kafka recommends.
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=min(3.0, settings.session_timeout_seconds / 3),
        producer_acks=-1,
        # The agent awaits delivery of each message's records, so lingering would only add latency per message.
        producer_linger=0.0,
        producer_max_batch_size=PRODUCER_MAX_BATCH_BYTES,
        # Kafka's default partitioning (murmur2 of the key) in about half of aiokafka's CPU: every keyed record pays it.
        producer_partitioner=DefaultPartitioner(),
        # An agent that dies must take the worker down (and be restarted from the last commit),
        # not be restarted silently in-process with an offset it can never commit past.
        agent_supervisor=CrashingSupervisor,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        # Only our /metrics and /health: faust's router, table, graph and stats pages stay off.
        web_router_enabled=False,
        web_tables_enabled=False,
        web_graph_enabled=False,
        web_stats_enabled=False,
    )


def create_pipeline(
    settings: Settings,
    *,
    processor: MessageProcessor | None = None,
    publisher: Publisher | None = None,
    metrics: Metrics | None = None,
    stories_publisher: Publisher | None = None,
    story_store: StoryStore | None = None,
) -> Pipeline:
    """Wire the whole worker. `processor`, the publishers and the story store may be replaced (tests); defaults are
    the real ones."""
    app = build_faust_app(settings)
    metrics = metrics or Metrics()
    metrics.extraction_compiled.set(1 if EXTRACTION_COMPILED else 0)
    rules = load_rules(settings.alert_rules_file)  # an invalid rules file stops the start, naming the file
    metrics.prime(
        event_types=[event_type.value for event_type in EventType],
        langs=[*available_languages(), LANG_OTHER, LANG_UNDETERMINED],
        statuses=[status.value for status in OutcomeStatus],
        reasons=[reason.value for reason in DeadLetterReason],
        story_changes=[change.value for change in Change],
        alert_rules=[rule.id for rule in rules.rules],
    )
    state = WorkerState()
    raw_topic = app.topic(settings.topic_raw, key_type=bytes, value_type=bytes, partitions=settings.partitions)
    publisher = publisher or FaustPublisher(
        app,
        source_topic=settings.topic_raw,
        exactly_once=settings.processing_guarantee is ProcessingGuarantee.exactly_once,
    )
    pipeline_agent = PipelineAgent(
        processor or MessageProcessor(settings),
        publisher,
        metrics,
        state,
        story_events_by_source_partition=settings.processing_guarantee is ProcessingGuarantee.exactly_once,
    )
    faust_agent = app.agent(raw_topic, name=AGENT_NAME, concurrency=1)(pipeline_agent.run)

    stories_agent = stories_faust_agent = story_feed = None
    if settings.stories_enabled:

        async def on_stories_recovered() -> None:
            if state.assigned_at is not None:
                metrics.table_recovery_seconds.set(time.monotonic() - state.assigned_at)
            if stories_agent is not None:
                stories_agent.forget_expiry_index()  # the table now holds the stories of this assignment

        store = story_store if story_store is not None else story_tables(app, settings, on_stories_recovered)
        broadcaster = StoryBroadcaster(on_clients=metrics.sse_clients.set, on_dropped=metrics.sse_dropped_clients.inc)
        stories_agent = StoriesAgent(
            store=store,
            publisher=stories_publisher
            or BatchingFaustPublisher(
                app,
                source_topic=settings.topic_story_events,
                exactly_once=settings.processing_guarantee is ProcessingGuarantee.exactly_once,
            ),
            metrics=metrics,
            config=StoriesConfig.of_settings(settings, rules),
            broadcaster=broadcaster,
        )
        story_feed = StoryFeed(store=store, window=stories_agent.config.window, broadcaster=broadcaster)
        story_events = app.topic(
            settings.topic_story_events, key_type=bytes, value_type=bytes, partitions=settings.partitions
        )
        stories_faust_agent = app.agent(story_events, name=STORIES_AGENT_NAME, concurrency=1)(stories_agent.run)

    async def on_assigned(sender: Any, assigned: Any, **_: Any) -> None:
        shorten_fetch_wait(app.consumer)  # before the fetcher resumes for the new assignment
        state.assigned_at = time.monotonic()
        state.assignment_received = True
        assignment = app.consumer.assignment()
        state.assigned_partitions = frozenset(tp.partition for tp in assignment if tp.topic == settings.topic_raw)
        state.story_partitions = frozenset(tp.partition for tp in assignment if tp.topic == settings.topic_story_events)
        # A rebalance drains the agents with the same final commit as a shutdown (guard_offset_commits stops them
        # taking batches there); the new assignment lets them take batches again.
        pipeline_agent.accepting = True
        if stories_agent is not None:
            stories_agent.accepting = True

    async def on_revoked(sender: Any, revoked: Any, **_: Any) -> None:
        for tp in revoked:
            if tp.topic == settings.topic_raw:
                state.next_offsets.pop(tp.partition, None)

    app.on_partitions_assigned.connect(on_assigned)
    app.on_partitions_revoked.connect(on_revoked)

    async def consumer_lag() -> None:
        await check_broker(bootstrap_list(settings), state)
        await update_consumer_lag(app, topic=settings.topic_raw, metrics=metrics, state=state)
        if stories_agent is not None:
            metrics.stories_open.set(len(stories_agent.store))

    app.timer(LAG_INTERVAL_SECONDS, name="newsevents.consumer_lag")(consumer_lag)

    batch_agents = [pipeline_agent] + ([stories_agent] if stories_agent is not None else [])
    commits = CommitProgress()
    app.consumer_setup.append(lambda consumer: guard_offset_commits(consumer, *batch_agents, progress=commits))
    app.consumer_setup.append(keep_fetching_under_backpressure)
    app.consumer_setup.append(commit_past_offset_holes)
    app.consumer_setup.append(fetch_stream_partitions_after_the_queue_clear)
    app.consumer_setup.append(deliver_each_record_once)  # outermost: commit_past_offset_holes sees no redelivery
    register_web_views(
        app,
        metrics=metrics,
        state=state,
        stall_timeout_seconds=settings.stall_timeout_seconds,
        stories=story_feed,
    )
    pipeline = Pipeline(
        app=app,
        settings=settings,
        metrics=metrics,
        state=state,
        agent=pipeline_agent,
        faust_agent=faust_agent,
        stories=stories_agent,
        stories_faust_agent=stories_faust_agent,
    )
    pipeline.watchdog = watch_for_stalls(pipeline, commits)
    return pipeline


def ensure_topics(settings: Settings) -> None:
    """Create missing pipeline topics before consuming: brokers usually refuse to auto-create them, and a send
    to a missing output topic would block in retries instead of failing. An unreachable broker is only
    logged: faust waits for it, and a restarted worker must not crash-loop while the broker is down."""
    try:
        created = [
            name
            for name, state in create_topics(settings, timeout_ms=TOPIC_CHECK_TIMEOUT_MS, changelogs=True).items()
            if state == "created"
        ]
    except KafkaError as exc:
        log.warning("could not check the topics (%s); continuing, faust will wait for the broker", type(exc).__name__)
        return
    if created:
        log.info("created topics: %s", ", ".join(created))


def return_large_buffers_to_the_os() -> bool:
    """Pin glibc's mmap threshold so every large buffer (an input message, a fetch response) is its own mapping,
    unmapped when freed. Left dynamic, glibc raises the threshold after the first large free and serves later
    ones from the heap, which fragments and keeps growing under floods of large messages (measured: resident
    memory crept 25-35 MiB per wave of 100 x 1 MB messages; pinned, it stays flat and starts 30 MiB lower).
    Returns False where there is no glibc (musl, macOS): nothing to tune there."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    except (OSError, AttributeError):
        return False


class BoundedShutdownWorker(faust.Worker):
    """faust.Worker whose shutdown after a signal has a deadline.

    Faust stops by committing offsets and leaving the consumer group; with the broker unreachable it retries
    those forever, so a stop or redeploy during a broker outage hung the worker until someone killed it. After
    the deadline the process exits with code 1: a supervisor sees an unclean stop, and the uncommitted messages
    are processed again after the restart (at-least-once; under exactly-once their transaction was not committed).
    """

    def __init__(self, *args: Any, shutdown_timeout_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shutdown_timeout_seconds = shutdown_timeout_seconds

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        super().on_setup_root_logger(logger, level)
        # A broker outage makes aiokafka log the same error ~40 times a second: one line per kind per interval.
        rate_limit_handlers(logger)
        self._shutdown_deadline: threading.Timer | None = None

    def _schedule_shutdown(self, signal: Any) -> None:
        if self._shutdown_deadline is None:
            # At warning level (the benchmarks' and the default production level), so that a worker stopped by a
            # signal is told apart from one that crashed: faust logs the signal at info only, and exits 0 after it.
            log.warning("stopping on %s", getattr(signal, "name", signal))
            # A thread, not the event loop: the loop is what may be stuck.
            self._shutdown_deadline = threading.Timer(self._shutdown_timeout_seconds, self._exit_after_deadline)
            self._shutdown_deadline.daemon = True
            self._shutdown_deadline.start()
        super()._schedule_shutdown(signal)

    def _exit_after_deadline(self) -> None:
        log.error(
            "shutdown did not finish within %g s (is the broker reachable?); exiting without committing",
            self._shutdown_timeout_seconds,
        )
        logging.shutdown()
        os._exit(1)


def run_worker(settings: Settings, *, loglevel: str | None = None) -> None:
    """Run the worker in this process until SIGTERM/SIGINT (exit 0) or a crash (exit 1)."""
    return_large_buffers_to_the_os()
    if settings.sasl_password is not None:
        redact_secrets_in_logs([settings.sasl_password.get_secret_value()])
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # faust creates only the last path component
    ensure_topics(settings)
    pipeline = create_pipeline(settings)
    pipeline.agent.processor.warm_up()  # before joining the group, so no heartbeat waits on it
    how = "compiled with mypyc" if EXTRACTION_COMPILED else "interpreted (`make compile` builds it compiled)"
    log.info("extraction %s: %s", pipeline.agent.processor.extractor_version, how)
    # The extractor's lexicons and gazetteer are some 120,000 objects that live as long as the process; every full
    # garbage collection walked them all (about 100 ms, stalling the agent: the latency tail at load). Freezing
    # moves everything allocated so far out of the collector's reach; later garbage is collected as usual.
    gc.freeze()
    worker = BoundedShutdownWorker(
        pipeline.app,
        loglevel=(loglevel or settings.log_level).upper(),
        quiet=True,
        shutdown_timeout_seconds=settings.shutdown_timeout_seconds,
    )
    # Faust's start-up spinner sets the root logger to DEBUG (it spins on every record) and never resets it, so
    # every aiokafka debug call would build a LogRecord for each message sent; no spinner, the level set above.
    worker.spinner = None
    base = f"http://{settings.web_host}:{settings.web_port}"
    print(
        f"newsevents worker (pid {os.getpid()}, group {settings.app_id}, {settings.bootstrap_servers}): "
        f"metrics {base}/metrics, health {base}/health"
        + (f", live stories {base}/" if settings.stories_enabled else ""),
        file=sys.stderr,
        flush=True,
    )
    if pipeline.watchdog is not None:
        pipeline.watchdog.start()
    worker.execute_from_commandline()  # installs the signal handlers; always exits via SystemExit
