"""The worker's HTTP endpoints on its Faust web server: /metrics, /health, /stories, /stories/stream and the live page."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from typing import Any

import orjson
from aiohttp import web as aiohttp_web
from faust.web.drivers.aiohttp import Web as AiohttpWeb
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from schemas import EventType
from streams.extraction import COMPILED as EXTRACTION_COMPILED
from streams.kafka.reader import BadStartTime, parse_since
from streams.stories.state import StoryWindow
from streams.stories.views import select_stories
from streams.worker.agents import WorkerState
from streams.worker.broadcast import StoryBroadcaster
from streams.worker.metrics import Metrics
from streams.worker.stories_table import StoryStore, owned_states

STORY_QUERY_PARAMETERS = ("type", "actor", "since", "limit")
DEFAULT_STORY_LIMIT = 200
MAX_STORY_LIMIT = 1000
# A comment line this often keeps proxies and browsers from closing an idle stream and shows the client that the
# worker is alive while no story changes.
SSE_HEARTBEAT_SECONDS = 15.0
# A client that takes longer than this to accept one write is not reading: it is disconnected (its queue would be
# full soon anyway), so a stalled connection cannot hold a handler forever.
SSE_WRITE_TIMEOUT_SECONDS = 15.0
# The browser reconnects this long after the stream ended (worker restart, client dropped).
SSE_RETRY_MILLISECONDS = 3000
LIVE_PAGE = "static/index.html"


class PipelineWeb(AiohttpWeb):
    """Faust's aiohttp web server without its production index, so that `/` is the live page, not
    `{"status": "OK"}`."""

    production_blueprints = ()


class BadStoryQuery(ValueError):
    """A /stories query parameter that cannot be used; the message says which and what is valid."""


@dataclass(frozen=True, slots=True)
class StoryQuery:
    event_type: str | None = None
    actor: str | None = None
    since: float | None = None  # seconds since the epoch: stories last seen at or after it
    limit: int = DEFAULT_STORY_LIMIT


def parse_story_query(parameters: Iterable[tuple[str, str]], *, now: datetime | None = None) -> StoryQuery:
    """`?type=&actor=&since=&limit=` checked: an unknown parameter or type, a repeated parameter, a `since` that is
    neither a duration ago (30m, 2h, 3d) nor ISO 8601, or a limit outside 1..MAX_STORY_LIMIT is a BadStoryQuery.
    Empty values count as absent (a form with an empty field)."""
    values: dict[str, str] = {}
    for name, value in parameters:
        if name not in STORY_QUERY_PARAMETERS:
            raise BadStoryQuery(f"unknown parameter {name!r}; use {', '.join(STORY_QUERY_PARAMETERS)}")
        if name in values:
            raise BadStoryQuery(f"give {name} at most once")
        values[name] = value.strip()
    event_type = values.get("type") or None
    types = [member.value for member in EventType]
    if event_type is not None and event_type not in types:
        raise BadStoryQuery(f"unknown type {event_type!r}; use one of {', '.join(types)}")
    since = None
    if values.get("since"):
        try:
            since = parse_since(values["since"], now=now) / 1000
        except BadStartTime as exc:
            raise BadStoryQuery(f"since: {exc}") from None
    limit = DEFAULT_STORY_LIMIT
    if values.get("limit"):
        if not re.fullmatch(r"\d{1,9}", values["limit"]) or not 1 <= int(values["limit"]) <= MAX_STORY_LIMIT:
            raise BadStoryQuery(f"limit must be a whole number from 1 to {MAX_STORY_LIMIT}, got {values['limit']!r}")
        limit = int(values["limit"])
    return StoryQuery(event_type=event_type, actor=values.get("actor") or None, since=since, limit=limit)


@dataclass(frozen=True, slots=True)
class StoryFeed:
    """What the story views read: the stories agent's table and window, and the broadcaster it publishes to."""

    store: StoryStore
    window: StoryWindow
    broadcaster: StoryBroadcaster
    heartbeat_seconds: float = SSE_HEARTBEAT_SECONDS


def sse_event(payload: bytes) -> bytes:
    """One server-sent event carrying a story (compact JSON: a single line, as an SSE data field needs)."""
    return b"event: story\ndata: " + payload + b"\n\n"


@dataclass(frozen=True, slots=True)
class LivePage:
    """The page's bytes and a Content-Security-Policy that allows its own inline script and style (by hash) and
    connections to this server only: nothing else may load, from anywhere."""

    body: bytes
    content_security_policy: str

    @classmethod
    def load(cls) -> LivePage:
        body = files("streams.worker").joinpath(LIVE_PAGE).read_bytes()
        text = body.decode("utf-8")

        def hashes(tag: str) -> str:
            found = re.findall(rf"<{tag}>(.*?)</{tag}>", text, flags=re.S)
            return " ".join(
                f"'sha256-{base64.b64encode(hashlib.sha256(part.encode()).digest()).decode()}'" for part in found
            )

        policy = (
            f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; connect-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return cls(body, policy)


def health_report(
    app: Any, state: WorkerState, *, stall_timeout_seconds: float, now: float | None = None
) -> dict[str, Any]:
    """Healthy = the agent is iterating, the consumer group has given this worker its assignment, and the batch
    in progress (if any) started less than stall_timeout_seconds ago.

    A worker whose group has more members than partitions gets an empty assignment: that is healthy (it is a
    standby for the others), so `consuming` is true once the group answered, whatever the partition count.
    A rebalance in progress is reported but does not make the worker unhealthy: it is routine, not a fault.
    Nor does a broker it cannot reach (a restart would not help; it resumes by itself): it is then not `consuming`,
    its status is "waiting_for_broker", and it still answers 200.
    A batch that does not finish is: its records wait for a broker that does not acknowledge them (the
    producer retries for many minutes), so the agent looks alive while nothing moves. Orchestrators then see
    503 (readiness fails, liveness restarts the worker, which resumes from the last commit).
    """
    now = time.time() if now is None else now
    consumer_alive = app.consumer is not None and not app.consumer.should_stop and not app.should_stop
    batch_seconds = None if state.batch_started_at is None else max(0.0, now - state.batch_started_at)
    stalled = (batch_seconds is not None and batch_seconds > stall_timeout_seconds) or state.stalled_reason is not None
    healthy = state.agent_running and state.assignment_received and consumer_alive and not stalled
    waiting_for_broker = healthy and state.broker_reachable is False
    consuming = healthy and not waiting_for_broker
    status = (
        "ok" if consuming else "waiting_for_broker" if waiting_for_broker else "stalled" if stalled else "unavailable"
    )
    return {
        "status": status,
        "healthy": healthy,
        "consuming": consuming,
        "pid": os.getpid(),  # lets a supervisor (the demo) check that it talks to its own worker
        # A broker outage alone does not make the worker unhealthy, but a batch that cannot be published turns it to
        # "stalled" after the stall timeout.
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
        "extraction_compiled": EXTRACTION_COMPILED,  # built with `make compile` (mypyc), else interpreted
    }


def register_web_views(
    app: Any,
    *,
    metrics: Metrics,
    state: WorkerState,
    stall_timeout_seconds: float,
    stories: StoryFeed | None = None,
) -> None:
    """Add /metrics and /health to the app's web server, and with `stories` the story views and the live page."""

    @app.page("/metrics", name="newsevents_metrics")
    async def metrics_view(view: Any, request: Any) -> Any:
        return view.bytes(generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/health", name="newsevents_health")
    async def health_view(view: Any, request: Any) -> Any:
        report = health_report(app, state, stall_timeout_seconds=stall_timeout_seconds)
        return view.json(report, status=200 if report["healthy"] else 503)

    if stories is not None:
        register_story_views(app, stories, state)


def register_story_views(app: Any, feed: StoryFeed, state: WorkerState) -> None:
    """GET /stories (JSON), GET /stories/stream (server-sent events) and GET / (the live page), all scoped to the
    story-events partitions this worker owns."""
    page = LivePage.load()

    @app.page("/", name="newsevents_live_page")
    async def live_page_view(view: Any, request: Any) -> Any:
        return view.bytes(
            page.body,
            content_type="text/html",
            headers={
                "Content-Security-Policy": page.content_security_policy,
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.page("/stories", name="newsevents_stories")
    async def stories_view(view: Any, request: Any) -> Any:
        try:
            query = parse_story_query(request.query.items())
        except BadStoryQuery as exc:
            return view.json({"error": str(exc)}, status=400)
        partitions = state.story_partitions
        listed = select_stories(
            owned_states(feed.store, partitions),
            feed.window,
            event_type=query.event_type,
            actor=query.actor,
            since=query.since,
            limit=query.limit + 1,  # one more than asked tells whether there were more
        )
        body = {
            "partitions": sorted(partitions),
            "truncated": len(listed) > query.limit,
            "stories": [story.model_dump(mode="json") for story in listed[: query.limit]],
        }
        return view.bytes(orjson.dumps(body), content_type="application/json")

    @app.page("/stories/stream", name="newsevents_story_stream")
    async def story_stream_view(view: Any, request: Any) -> Any:
        headers = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        if request.method == "HEAD":  # faust serves HEAD with this handler: headers only, no endless stream
            return aiohttp_web.Response(headers=headers)
        response = aiohttp_web.StreamResponse(headers=headers)
        await response.prepare(request)
        with feed.broadcaster.subscribe() as subscription:
            try:
                await _write(response, b"retry: %d\n: connected\n\n" % SSE_RETRY_MILLISECONDS)
                while True:
                    try:
                        payload = await asyncio.wait_for(subscription.next(), feed.heartbeat_seconds)
                    except TimeoutError:
                        await _write(response, b": heartbeat\n\n")
                        continue
                    if payload is None:  # dropped, or the server is stopping
                        break
                    await _write(response, sse_event(payload))
            except (ConnectionError, TimeoutError):  # the client left, or stopped reading
                _close(request)
                return response
        if subscription.dropped:
            # A client that fell behind may not read the end of the response either: cut the connection.
            _close(request)
        return response

    async def end_streams(_: Any) -> None:
        # aiohttp waits for running handlers when it stops: open streams would hold a stopping worker for a minute.
        feed.broadcaster.close()

    app.web.web_app.on_shutdown.append(end_streams)


async def _write(response: Any, data: bytes) -> None:
    await asyncio.wait_for(response.write(data), SSE_WRITE_TIMEOUT_SECONDS)


def _close(request: Any) -> None:
    if request.transport is not None:
        request.transport.close()
