"""The worker's HTTP endpoints on its Faust web server: /metrics (Prometheus text) and /health."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from streams.agents import WorkerState
from streams.metrics import Metrics


def health_report(app: Any, state: WorkerState) -> dict[str, Any]:
    """Healthy = the agent is iterating and the consumer group has given this worker its assignment.

    A worker whose group has more members than partitions gets an empty assignment: that is healthy (it is a
    standby for the others), so `consuming` is true once the group answered, whatever the partition count.
    A rebalance in progress is reported but does not make the worker unhealthy: it is routine, not a fault.
    """
    consumer_alive = app.consumer is not None and not app.consumer.should_stop and not app.should_stop
    consuming = state.agent_running and state.assignment_received and consumer_alive
    return {
        "status": "ok" if consuming else "unavailable",
        "consuming": consuming,
        "agent_running": state.agent_running,
        "rebalancing": bool(app.rebalancing),
        "assigned_partitions": sorted(state.assigned_partitions),
        "messages_processed": state.messages_processed,
        "seconds_since_last_message": (
            round(time.time() - state.last_consumed_at, 3) if state.last_consumed_at is not None else None
        ),
    }


def register_web_views(app: Any, *, metrics: Metrics, state: WorkerState) -> None:
    """Add /metrics and /health to the app's web server."""

    @app.page("/metrics", name="newsevents_metrics")
    async def metrics_view(view: Any, request: Any) -> Any:
        return view.bytes(generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/health", name="newsevents_health")
    async def health_view(view: Any, request: Any) -> Any:
        report = health_report(app, state)
        return view.json(report, status=200 if report["consuming"] else 503)
