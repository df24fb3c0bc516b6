"""The story views in memory (aiohttp test client on the worker's faust web app): GET /stories from the table with
checked query parameters, GET /stories/stream fed by the stories agent, heartbeats, slow clients dropped, streams
ended when the server stops, and the live page with its Content-Security-Policy."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from aiohttp import ClientPayloadError
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import generate_latest
from support.agents import MemoryStoryStore, RecordingPublisher

from schemas import Story
from streams.settings import Settings
from streams.stories.state import StoryWindow
from streams.worker.agents import WorkerState
from streams.worker.app import build_faust_app, create_pipeline
from streams.worker.broadcast import StoryBroadcaster
from streams.worker.metrics import Metrics
from streams.worker.web import MAX_STORY_LIMIT, StoryFeed, parse_story_query, register_story_views

HAPPENING = ["rp-2025-03-10-litauen", "baltictimes-2025-03-10-germany", "nordkurier-2025-03-11-litauen"]
LOOK_ALIKES = ["baltictimes-2025-03-10-canada", "rp-2025-03-10-rumaenien"]


async def wait_for(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:.0f} s"
        await asyncio.sleep(0.01)
    return result


async def next_block(response: Any, timeout: float = 10.0) -> list[str]:
    """The lines of the next server-sent event block (up to its blank line); [] at the end of the stream."""
    lines: list[str] = []
    while True:
        line = await asyncio.wait_for(response.content.readline(), timeout)
        if not line:
            return lines
        text = line.decode().rstrip("\n")
        if text == "":
            return lines
        lines.append(text)


async def next_story(response: Any) -> Story:
    """The next `story` event, skipping comments (connected, heartbeats)."""
    while True:
        block = await next_block(response)
        assert block, "the stream ended"
        if block[0].startswith(":") or block[0].startswith("retry:"):
            continue
        assert block[0] == "event: story" and block[1].startswith("data: ") and len(block) == 2, block
        return Story.model_validate(orjson.loads(block[1].removeprefix("data: ")))


def sample(metrics: Metrics, name: str) -> float:
    value = metrics.registry.get_sample_value(name)
    assert value is not None, name
    return value


async def put_all(agent: Any, records: Any) -> None:
    for record in records:
        await agent.put(record.value, key=record.key, headers=list(record.headers))


def test_the_stream_carries_each_stored_story_version_from_the_agent(settings: Settings, story_events: dict) -> None:
    async def scenario() -> None:
        store, metrics = MemoryStoryStore(), Metrics()
        pipeline = create_pipeline(settings, stories_publisher=RecordingPublisher(), story_store=store, metrics=metrics)
        pipeline.state.story_partitions = frozenset({0})
        web = pipeline.app.web
        web.init_server()
        async with TestClient(TestServer(web.web_app)) as client, pipeline.stories_faust_agent.test_context() as agent:
            stream = await client.get("/stories/stream")
            assert stream.status == 200 and stream.headers["Content-Type"] == "text/event-stream"
            assert stream.headers["Cache-Control"] == "no-cache"
            assert await next_block(stream) == ["retry: 3000", ": connected"]
            await wait_for(lambda: sample(metrics, "newsevents_sse_clients") == 1, "the client counted")

            await put_all(agent, story_events[HAPPENING[0]])
            opened = await next_story(stream)
            assert opened.story_key == "deployment|DEU|LTU" and opened.sources == ("Rheinische Post",)
            assert store.flushes >= 1  # sent only after the table write was acknowledged

            await put_all(agent, story_events[HAPPENING[1]])
            joined = await next_story(stream)
            assert joined.story_id == opened.story_id and joined.corroboration == 2
            assert joined.sources == ("Rheinische Post", "The Baltic Times") and joined.alert_id is not None

            listed = orjson.loads(await (await client.get("/stories")).read())
            assert [Story.model_validate(s) for s in listed["stories"]] == [joined]
            stream.close()
        assert sample(metrics, "newsevents_sse_dropped_clients_total") == 0

    asyncio.run(scenario())


def test_stories_lists_the_owned_partitions_stories_newest_first_with_filters(
    settings: Settings, story_events: dict
) -> None:
    async def scenario() -> None:
        store = MemoryStoryStore()
        pipeline = create_pipeline(settings, stories_publisher=RecordingPublisher(), story_store=store)
        web = pipeline.app.web
        web.init_server()
        async with TestClient(TestServer(web.web_app)) as client:
            async with pipeline.stories_faust_agent.test_context() as agent:
                for article_id in HAPPENING + LOOK_ALIKES:
                    await put_all(agent, story_events[article_id])
                await wait_for(lambda: len(store) == 3 and not pipeline.stories.message_lock.locked(), "3 stories")

            async def keys(query: str, status: int = 200) -> list[str]:
                response = await client.get("/stories" + query)
                assert response.status == status and response.content_type == "application/json"
                return [story["story_key"] for story in (await response.json())["stories"]]

            # Before the group assigned anything this worker owns no partition: nothing to show.
            assert await keys("") == []
            pipeline.state.story_partitions = frozenset({0})
            body = await (await client.get("/stories")).json()
            assert body["partitions"] == [0] and body["truncated"] is False
            assert [s["story_key"] for s in body["stories"]] == [
                "deployment|DEU|LTU",  # last seen 11 March
                "deployment|CAN|LTU",  # 10 March 14:00 UTC
                "deployment|DEU|ROU",  # 10 March 08:00 UTC
            ]
            happening = Story.model_validate(body["stories"][0])
            assert happening.corroboration == 3 and happening.best_evidence.text
            assert await keys("?type=deployment&actor=can") == ["deployment|CAN|LTU"]
            assert await keys("?actor=DEU") == ["deployment|DEU|LTU", "deployment|DEU|ROU"]
            assert await keys("?type=denial") == []
            assert await keys("?since=2025-03-10T12:00:00Z") == ["deployment|DEU|LTU", "deployment|CAN|LTU"]
            assert await keys("?since=30m") == []  # March 2025 is long past
            assert await keys("?type=&actor=") == await keys("")  # an empty form field is no filter
            limited = await (await client.get("/stories?limit=1")).json()
            assert [s["story_key"] for s in limited["stories"]] == ["deployment|DEU|LTU"] and limited["truncated"]
            # Stories of a partition another worker owns are that worker's to show.
            pipeline.state.story_partitions = frozenset({1})
            assert await keys("") == []

            for query, message in [
                ("?type=invasion", "unknown type 'invasion'; use one of deployment, denial, policy_shift"),
                ("?since=yesterday", "since: cannot read 'yesterday' as a time"),
                ("?typ=denial", "unknown parameter 'typ'; use type, actor, since, limit"),
                ("?type=denial&type=deployment", "give type at most once"),
                ("?limit=0", f"limit must be a whole number from 1 to {MAX_STORY_LIMIT}"),
                (f"?limit={MAX_STORY_LIMIT + 1}", "limit must be a whole number"),
            ]:
                response = await client.get("/stories" + query)
                assert response.status == 400, query
                assert (await response.json())["error"].startswith(message), query

    asyncio.run(scenario())


def test_parse_story_query_reads_durations_against_now() -> None:
    from datetime import UTC, datetime

    now = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
    query = parse_story_query([("since", "2h"), ("type", "denial"), ("actor", " NATO ")], now=now)
    assert query.since == now.timestamp() - 7200 and query.event_type == "denial" and query.actor == "NATO"
    assert parse_story_query([("since", "3d")], now=now).since == now.timestamp() - 3 * 86400


def feed_app(settings: Settings, broadcaster: StoryBroadcaster, *, heartbeat_seconds: float = 15.0) -> Any:
    app = build_faust_app(settings)
    feed = StoryFeed(
        store=MemoryStoryStore(), window=StoryWindow(), broadcaster=broadcaster, heartbeat_seconds=heartbeat_seconds
    )
    register_story_views(app, feed, WorkerState())
    app.web.init_server()
    return app


def test_an_idle_stream_gets_heartbeats(settings: Settings) -> None:
    async def scenario() -> None:
        app = feed_app(settings, StoryBroadcaster(), heartbeat_seconds=0.05)
        async with TestClient(TestServer(app.web.web_app)) as client:
            stream = await client.get("/stories/stream")
            assert await next_block(stream) == ["retry: 3000", ": connected"]
            assert await next_block(stream, timeout=2) == [": heartbeat"]
            assert await next_block(stream, timeout=2) == [": heartbeat"]
            stream.close()
            head = await asyncio.wait_for(client.head("/stories/stream"), 5)  # answered, not streamed
            assert head.status == 200 and head.headers["Content-Type"] == "text/event-stream"

    asyncio.run(scenario())


def test_a_client_that_stops_reading_is_dropped_counted_and_disconnected(settings: Settings) -> None:
    async def scenario() -> None:
        metrics = Metrics()
        broadcaster = StoryBroadcaster(
            queue_size=4, on_clients=metrics.sse_clients.set, on_dropped=metrics.sse_dropped_clients.inc
        )
        app = feed_app(settings, broadcaster)
        async with TestClient(TestServer(app.web.web_app)) as client:
            reader = await client.get("/stories/stream")
            slow = await client.get("/stories/stream")
            for stream in (reader, slow):
                assert await next_block(stream) == ["retry: 3000", ": connected"]
            await wait_for(lambda: broadcaster.clients == 2, "two clients")
            payload = b'{"story": "' + b"x" * 60 * 1024 + b'"}'  # below the client's longest line (128 KiB)
            received = 0
            # The slow client reads nothing more: once the socket buffers are full the server's writes to it wait,
            # its queue fills, and the next update drops it. The other client reads everything meanwhile.
            for _ in range(1000):
                broadcaster.publish(payload)
                block = await next_block(reader)
                assert block[0] == "event: story" and len(block[1]) == len(payload) + len("data: ")
                received += 1
                if sample(metrics, "newsevents_sse_dropped_clients_total") == 1:
                    break
            assert sample(metrics, "newsevents_sse_dropped_clients_total") == 1, "the slow client was never dropped"
            assert broadcaster.clients == 1 and sample(metrics, "newsevents_sse_clients") == 1
            assert 4 < received < 1000
            # Its connection is cut (mid-response: no proper end of the chunked body), well short of everything
            # that was published.
            rest = b""
            with pytest.raises(ClientPayloadError):
                while chunk := await asyncio.wait_for(slow.content.readany(), 10):
                    rest += chunk
            assert rest.count(b"event: story") < received
            reader.close()

    asyncio.run(scenario())


def test_stopping_the_server_ends_open_streams_at_once(settings: Settings) -> None:
    async def scenario() -> None:
        broadcaster = StoryBroadcaster()
        app = feed_app(settings, broadcaster)
        server = TestServer(app.web.web_app)
        client = TestClient(server)
        await client.start_server()
        stream = await client.get("/stories/stream")
        assert await next_block(stream) == ["retry: 3000", ": connected"]
        started = time.monotonic()
        closing = asyncio.ensure_future(server.close())  # runs aiohttp's shutdown, which waits for handlers
        assert await next_block(stream) == []  # the stream ended
        await asyncio.wait_for(closing, 10)
        assert time.monotonic() - started < 5  # not aiohttp's 60 s wait for a handler that never returns
        assert broadcaster.closed and broadcaster.clients == 0
        await client.close()

    asyncio.run(scenario())


def test_the_live_page_loads_nothing_from_elsewhere_and_runs_only_its_own_script(settings: Settings) -> None:
    async def scenario() -> tuple[int, dict, str]:
        app = feed_app(settings, StoryBroadcaster())
        async with TestClient(TestServer(app.web.web_app)) as client:
            response = await client.get("/")
            return response.status, dict(response.headers), await response.text()

    status, headers, page = asyncio.run(scenario())
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    (script,) = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    # Nothing to fetch at run time: no external scripts, styles, fonts or images; no HTML built from strings.
    for forbidden in ("http://", "https://", "<img", "@import", "url(", "src=", "innerHTML", "outerHTML"):
        assert forbidden not in page, forbidden
    assert re.findall(r"<link[^>]*>", page) == ['<link rel="icon" href="data:,">']  # no favicon request either
    assert "insertAdjacentHTML" not in page and "document.write" not in page
    # What the page asks the server for exists: the list and the stream.
    assert 'fetch("stories"' in page and 'new EventSource("stories/stream")' in page


def test_the_metrics_export_the_live_page_series() -> None:
    text = generate_latest(Metrics().registry).decode()
    assert "newsevents_sse_clients 0.0" in text and "newsevents_sse_dropped_clients_total 0.0" in text


@pytest.mark.parametrize("stories_enabled", [False])
def test_without_stories_there_is_no_page_and_no_story_views(settings: Settings, stories_enabled: bool) -> None:
    async def scenario() -> list[int]:
        pipeline = create_pipeline(settings.model_copy(update={"stories_enabled": stories_enabled}))
        pipeline.app.web.init_server()
        async with TestClient(TestServer(pipeline.app.web.web_app)) as client:
            return [(await client.get(path)).status for path in ("/", "/stories", "/stories/stream", "/health")]

    assert asyncio.run(scenario()) == [404, 404, 404, 503]
