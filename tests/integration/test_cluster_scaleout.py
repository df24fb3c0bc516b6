"""Scale-out on a real 3-broker KRaft cluster: two workers, one broker stopped mid-stream, no article lost."""

from __future__ import annotations

import json
import struct
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient

from streams.harness.cluster import LocalCluster
from streams.harness.faults import RECOVERY_TIMEOUT_SECONDS, FaultBench
from streams.harness.reliability import BackgroundFeeder, GroupProgress, Timeline, assert_nothing_lost, poll_until
from streams.harness.worker import WorkerProcess
from streams.kafka.connection import kafka_python_options
from streams.settings import Settings
from streams.worker.app import build_faust_app

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(420)]

BROKERS = 3
REPLICATION_FACTOR = 3
MIN_INSYNC_REPLICAS = 2
PARTITIONS = 4
ARTICLES = 3_000
# Below what two workers sustain next to three brokers on 2 cores, so outcomes follow the feed closely and a
# pause caused by the broker stop shows up as a gap in the outcomes instead of hiding in a backlog.
FEED_RATE = 150.0
# The broker stops once this many articles are committed: the workers are busy and most of the feed is still to come.
STOP_AFTER_COMMITTED = ARTICLES // 4
# Samples of the workers' progress while the broker stops (seconds between /health probes).
PROGRESS_INTERVAL = 0.1


class ProgressSampler(threading.Thread):
    """Sums messages_processed of the workers every PROGRESS_INTERVAL: an article counts once its outcome is acked."""

    def __init__(self, workers: Sequence[WorkerProcess]) -> None:
        super().__init__(name="cluster-progress", daemon=True)
        self.workers = workers
        self.samples: list[tuple[float, int]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.samples.append((time.monotonic(), sum(w.health()[1]["messages_processed"] for w in self.workers)))
            except (OSError, ValueError, KeyError):
                pass  # a worker busy on a batch may miss one probe; the next sample counts
            self._stop_event.wait(PROGRESS_INTERVAL)

    def finish(self) -> None:
        self._stop_event.set()
        self.join(10)

    def at(self, moment: float) -> int:
        """The last total seen at or before `moment`."""
        return max((total for when, total in self.samples if when <= moment), default=0)

    def first_progress_after(self, moment: float) -> float:
        """Seconds from `moment` until the total grew beyond what it was at `moment`."""
        baseline = self.at(moment)
        for when, total in self.samples:
            if when > moment and total > baseline:
                return when - moment
        raise AssertionError(f"no outcome acknowledged after the broker stop (still {baseline})")

    def longest_stall(self, start: float, end: float) -> float:
        """The longest time within [start, end] between two increases of the total."""
        increases = [start] + [
            when
            for (when, total), (_, previous) in zip(self.samples[1:], self.samples[:-1], strict=True)
            if start <= when <= end and total > previous
        ]
        return max(later - earlier for earlier, later in zip(increases, [*increases[1:], end], strict=True))


def _java_string_hash(text: str) -> int:
    """String.hashCode() of the JVM (over UTF-16 code units, 32-bit signed overflow)."""
    data = text.encode("utf-16-be")
    value = 0
    for unit in struct.unpack(f">{len(data) // 2}H", data):
        value = (31 * value + unit) & 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def group_coordinator(admin: KafkaAdminClient, group_id: str) -> int:
    """The node coordinating the group: the leader of its __consumer_offsets partition (Kafka's own hash rule)."""
    (offsets_topic,) = admin.describe_topics(["__consumer_offsets"])
    hashed = _java_string_hash(group_id)
    partition = (0 if hashed == -(1 << 31) else abs(hashed)) % len(offsets_topic["partitions"])  # Utils.abs
    return next(p["leader_id"] for p in offsets_topic["partitions"] if p["partition_index"] == partition)


def partition_states(admin: KafkaAdminClient, topics: Sequence[str]) -> list[dict]:
    return [dict(p, topic=t["name"]) for t in admin.describe_topics(list(topics)) for p in t["partitions"]]


def effective_min_isr(admin: KafkaAdminClient, topic: str) -> int:
    configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter="all")
    return int(configs["topic"][topic]["min.insync.replicas"]["value"])


def stop_everything(cluster: LocalCluster, workers: Sequence[WorkerProcess]) -> dict[str, int]:
    """SIGTERM the workers, then the whole cluster; returns the worker exit codes by name."""
    codes = {worker.log_path.stem: worker.terminate() for worker in workers}
    cluster.stop()
    return codes


def test_two_workers_on_three_brokers_lose_nothing_when_one_broker_stops(
    cluster_factory: Callable[..., LocalCluster], tmp_path: Path
) -> None:
    timeline = Timeline()
    cluster = cluster_factory(BROKERS, replication_factor=REPLICATION_FACTOR, min_insync_replicas=MIN_INSYNC_REPLICAS)
    timeline.mark("cluster_ready")
    bench = FaultBench(
        cluster.bootstrap_servers,
        tmp_path / "bench",
        partitions=PARTITIONS,
        guarantee="at_least_once",
        replication_factor=REPLICATION_FACTOR,
    )
    settings: Settings = bench.settings
    assert len(settings.bootstrap_servers.split(",")) == BROKERS  # workers and clients know every broker
    # Durability rests on the workers' producer waiting for all in-sync replicas (faust's conf, as the worker builds it).
    assert build_faust_app(settings).conf.producer_acks == -1

    admin = KafkaAdminClient(
        client_id="cluster-scaleout-admin", request_timeout_ms=15_000, **kafka_python_options(settings)
    )
    try:  # workers are killed and the admin closed on any failure; the fixture stops the cluster
        # A broker that has not applied the topic records yet describes nothing: wait until every topic is seen.
        poll_until(
            lambda: {p["topic"] for p in partition_states(admin, settings.all_topics)} == set(settings.all_topics),
            timeout=30,
            what="every topic in the brokers' metadata",
        )
        layout = partition_states(admin, settings.all_topics)
        assert {len(p["replica_nodes"]) for p in layout} == {REPLICATION_FACTOR}, layout
        assert len([p for p in layout if p["topic"] == settings.topic_raw]) == PARTITIONS
        assert {effective_min_isr(admin, topic) for topic in settings.all_topics} == {MIN_INSYNC_REPLICAS}

        workers = [bench.start_worker(wait=False) for _ in range(2)]
        for worker in workers:
            worker.wait_healthy(timeout=RECOVERY_TIMEOUT_SECONDS)
        poll_until(
            lambda: all(0 < len(w.health()[1]["assigned_partitions"]) < PARTITIONS for w in workers),
            timeout=RECOVERY_TIMEOUT_SECONDS,
            what="the input partitions split between the two workers",
        )
        split = {w.log_path.stem: w.health()[1]["assigned_partitions"] for w in workers}
        timeline.mark("workers_ready")

        # The hardest single broker to lose: the group's coordinator, which also leads input and output partitions.
        victim_id = group_coordinator(admin, settings.app_id)
        victim = victim_id - 1  # LocalCluster node ids are index + 1
        led_by_victim = sum(1 for p in layout if p["leader_id"] == victim_id)
        assert led_by_victim > 0, layout  # its stop must move partition leaders, not only the coordinator

        articles = bench.articles(ARTICLES)
        sampler = ProgressSampler(workers)
        sampler.start()
        # Half the articles wait for the broker's stop: however slowly a loaded machine gets to the stop, articles
        # are still arriving when it happens.
        feeder = BackgroundFeeder(settings, articles, rate=FEED_RATE, hold_back=ARTICLES // 2)
        feeder.start()
        timeline.mark("feed_started")
        with GroupProgress(settings) as progress:
            progress.wait_committed(STOP_AFTER_COMMITTED, timeout=120, worker=workers[0])
        fed_at_stop = feeder.sent
        assert fed_at_stop < ARTICLES, "the broker must stop while articles are still arriving"
        stopping_at = timeline.mark("broker_stopping")
        cluster.stop_node(victim)
        stopped_at = timeline.mark("broker_stopped")
        assert not cluster.nodes[victim].status().running
        feeder.release()

        # A controlled shutdown hands leadership over before the JVM exits; after a crash the cluster needs the
        # broker session timeout to notice. Either way every partition must get a leader among the survivors.
        poll_until(
            lambda: all(p["leader_id"] not in (victim_id, -1) for p in partition_states(admin, settings.all_topics)),
            timeout=30,
            what="every partition led by a surviving broker",
        )
        min_isr_seen = min(len(p["isr_nodes"]) for p in partition_states(admin, settings.all_topics))

        feeder.join_checked(120 + ARTICLES / FEED_RATE)
        fed_until = timeline.mark("feed_done")
        # A new client: kafka-python's admin caches the group coordinator for good, so the one used before the stop
        # would keep asking the stopped node.
        with GroupProgress(settings) as progress:
            progress.wait_committed(ARTICLES, timeout=120, worker=workers[0])
        timeline.mark("drained")
        sampler.finish()
        for worker in workers:
            assert worker.process.poll() is None, f"a worker exited during the outage:\n{worker.log_tail()}"

        # Read while the broker is still down: the two surviving replicas hold every record.
        result = bench.audit(articles)
        timeline.mark("audited")

        restarting_at = timeline.mark("broker_restarting")
        cluster.start_node(victim)
        timeline.mark("broker_restarted")
        poll_until(
            lambda: all(
                len(p["isr_nodes"]) == REPLICATION_FACTOR for p in partition_states(admin, settings.all_topics)
            ),
            timeout=120,
            what="the restarted broker back in every partition's ISR",
        )
        back_in_isr = time.monotonic() - restarting_at
        timeline.mark("isr_complete")
        exit_codes = stop_everything(cluster, bench.workers)
        timeline.mark("all_stopped")
    finally:
        admin.close()
        bench.close()
    left_running = [node.config.node_id for node in cluster.nodes if node.status().running]
    stray_workers = [w.process.pid for w in bench.workers if w.process.poll() is None]
    wall_seconds = round(time.monotonic() - timeline.started, 1)

    figures = {
        "brokers": BROKERS,
        "replication_factor": REPLICATION_FACTOR,
        "min_insync_replicas": MIN_INSYNC_REPLICAS,
        "partitions": PARTITIONS,
        "workers": len(bench.workers),
        "partitions_before_stop": split,
        "stopped_node": victim_id,
        "stopped_node_role": "group coordinator",
        "partitions_led_by_stopped_node": led_by_victim,
        "articles_sent": result.sent,
        "fed_at_stop": fed_at_stop,
        "outcomes_found": result.outcomes_found,
        "lost": result.lost,
        "duplicate_outcomes": result.duplicate_outcomes,
        "events_expected": result.events_expected,
        "events_found": result.events_found,
        "duplicate_events": result.duplicate_events,
        "min_isr_during_outage": min_isr_seen,
        "broker_stop_seconds": timeline.between("broker_stopping", "broker_stopped"),
        "outcomes_resumed_after_stop_seconds": round(sampler.first_progress_after(stopped_at), 3),
        "longest_outcome_pause_seconds": round(sampler.longest_stall(stopping_at, fed_until), 3),
        "restart_to_full_isr_seconds": round(back_in_isr, 3),
        "cluster_start_seconds": round(timeline.marks["cluster_ready"] - timeline.started, 1),
        "feed_to_drained_seconds": timeline.between("feed_started", "drained"),
        "worker_exit_codes": exit_codes,
        "test_wall_seconds": wall_seconds,
        "timeline": timeline.relative(),
    }
    print(f"\nCLUSTER {json.dumps(figures)}")

    assert_nothing_lost(result, exactly_once=False)
    assert result.outcomes_found == ARTICLES and result.lost == 0, figures
    assert result.events_expected > 0 and result.events_found > 0, "the synthetic feed must yield events"
    assert min_isr_seen == MIN_INSYNC_REPLICAS, figures  # writes went on with one replica missing
    assert figures["outcomes_resumed_after_stop_seconds"] < settings.session_timeout_seconds + 30, figures
    assert set(exit_codes.values()) == {0}, figures
    assert left_running == [] and stray_workers == [], f"still running: nodes {left_running}, workers {stray_workers}"
