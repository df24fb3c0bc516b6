"""The worker's HTTP endpoints on its Faust web server: /metrics (Prometheus text) and /health."""

from __future__ import annotations

import os
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.worker.agents import WorkerState
from streams.worker.metrics import Metrics


def health_report(
    app: Any, state: WorkerState, *, stall_timeout_seconds: float, now: float | None = None
) -> dict[str, Any]:
    """Healthy = the agent is iterating, the consumer group has given this worker its assignment, and the batch
    in progress (if any) started less than stall_timeout_seconds ago.

    A worker whose group has more members than partitions gets an empty assignment: that is healthy (it is a
    standby for the others), so `consuming` is true once the group answered, whatever the partition count.
    A rebalance in progress is reported but does not make the worker unhealthy: it is routine, not a fault.
    A batch that does not finish is: its records wait for a broker that does not acknowledge them (the
    producer retries for many minutes), so the agent looks alive while nothing moves. Orchestrators then see
    503 (readiness fails, liveness restarts the worker, which resumes from the last commit).
    """
    now = time.time() if now is None else now
    consumer_alive = app.consumer is not None and not app.consumer.should_stop and not app.should_stop
    batch_seconds = None if state.batch_started_at is None else max(0.0, now - state.batch_started_at)
    stalled = batch_seconds is not None and batch_seconds > stall_timeout_seconds
    consuming = state.agent_running and state.assignment_received and consumer_alive and not stalled
    return {
        "status": "ok" if consuming else ("stalled" if stalled else "unavailable"),
        "consuming": consuming,
        "pid": os.getpid(),  # lets a supervisor (the demo) check that it talks to its own worker
        # Informational: a broker outage alone does not make the worker unhealthy (a restart would not help; it
        # resumes by itself), but a batch that cannot be published turns it to "stalled" after the stall timeout.
        "broker_reachable": state.broker_reachable,
        "broker_checked_seconds_ago": None
        if state.broker_checked_at is None
        else round(max(0.0, now - state.broker_checked_at), 1),
        "group": getattr(getattr(app, "conf", None), "id", None),
        "stalled": stalled,
        "seconds_in_current_batch": None if batch_seconds is None else round(batch_seconds, 3),
        "agent_running": state.agent_running,
        "rebalancing": bool(app.rebalancing),
        "assigned_partitions": sorted(state.assigned_partitions),
        "messages_processed": state.messages_processed,
        "seconds_since_last_message": (
            round(now - state.last_consumed_at, 3) if state.last_consumed_at is not None else None
        ),
    }


def register_web_views(app: Any, *, metrics: Metrics, state: WorkerState, stall_timeout_seconds: float) -> None:
    """Add /metrics and /health to the app's web server."""

    @app.page("/metrics", name="newsevents_metrics")
    async def metrics_view(view: Any, request: Any) -> Any:
        return view.bytes(generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/health", name="newsevents_health")
    async def health_view(view: Any, request: Any) -> Any:
        report = health_report(app, state, stall_timeout_seconds=stall_timeout_seconds)
        return view.json(report, status=200 if report["consuming"] else 503)
