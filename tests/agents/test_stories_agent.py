"""The stories agent in memory (agent.test_context): real extraction, the story-events records the pipeline
publishes, a dict for the table; stories, alerts and dead letters out."""

from __future__ import annotations

import asyncio
import time

import orjson
from prometheus_client import generate_latest
from support.agents import MemoryStoryStore, RecordingPublisher

from schemas import Alert, DeadLetter, Story
from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories.keys import HOUR
from streams.worker.app import create_pipeline
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord
from streams.worker.stories_table import StoredStory

HAPPENING = ["rp-2025-03-10-litauen", "baltictimes-2025-03-10-germany", "nordkurier-2025-03-11-litauen"]
LOOK_ALIKES = ["baltictimes-2025-03-10-canada", "rp-2025-03-10-rumaenien"]
LATER = "dw-2025-03-20-litauen"


async def _feed(pipeline, store, records: list[OutboundRecord | bytes], publisher: RecordingPublisher) -> None:
    async with pipeline.stories_faust_agent.test_context() as agent:
        for record in records:
            if isinstance(record, bytes):
                await agent.put(record, key=b"broken")
            else:
                await agent.put(record.value, key=record.key, headers=list(record.headers))
        deadline = time.monotonic() + 30
        while store.flushes < 1 or pipeline.stories.message_lock.locked():
            assert time.monotonic() < deadline, "the stories agent did not finish"
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the last batch: let it finish its acks


def run_stories(settings: Settings, store: MemoryStoryStore, records: list) -> tuple[RecordingPublisher, Metrics]:
    publisher, metrics = RecordingPublisher(), Metrics()
    pipeline = create_pipeline(settings, stories_publisher=publisher, story_store=store, metrics=metrics)
    asyncio.run(_feed(pipeline, store, records, publisher))
    return publisher, metrics


def latest_stories(publisher: RecordingPublisher, settings: Settings) -> dict[str, Story]:
    stories = {}
    for record in publisher.on(settings.topic_stories):
        story = Story.model_validate(orjson.loads(record.value))
        assert record.key == story.story_id.encode()
        stories[story.story_id] = story  # each update replaces the previous one, as on the compacted topic
    return stories


def test_one_happening_in_two_languages_is_one_story_with_one_alert_and_look_alikes_stay_apart(
    settings: Settings, story_events: dict
) -> None:
    store = MemoryStoryStore()
    records = [r for article_id in HAPPENING + LOOK_ALIKES for r in story_events[article_id]]
    publisher, metrics = run_stories(settings, store, records)

    stories = latest_stories(publisher, settings)
    by_key = {story.story_key: story for story in stories.values()}
    assert set(by_key) == {"deployment|DEU|LTU", "deployment|CAN|LTU", "deployment|DEU|ROU"}
    happening = by_key["deployment|DEU|LTU"]
    assert happening.article_ids == tuple(sorted(HAPPENING))
    assert happening.sources == ("Nordkurier", "Rheinische Post", "The Baltic Times")
    assert happening.languages == ("de", "en") and happening.corroboration == 3
    assert happening.quantity is not None and happening.quantity.maximum >= 800
    alerts = [Alert.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_alerts)]
    assert [(a.story_id, a.rule) for a in alerts] == [(happening.story_id, "independent-sources")]
    assert happening.alert_id == alerts[0].alert_id
    assert all(by_key[key].alert_id is None for key in ("deployment|CAN|LTU", "deployment|DEU|ROU"))
    # The table holds the three stories; their values name the partition that owns them.
    assert len(store) == 3 and {StoredStory.decode(v).partition for v in store.stories.values()} == {0}
    text = generate_latest(metrics.registry).decode()
    assert 'newsevents_alerts_total{rule="independent-sources",type="deployment"} 1.0' in text
    assert 'newsevents_story_updates_total{change="joined",type="deployment"} 2.0' in text
    assert 'newsevents_story_updates_total{change="opened",type="deployment"} 3.0' in text


def test_a_recovered_table_never_raises_the_alert_again(settings: Settings, story_events: dict) -> None:
    store = MemoryStoryStore()
    first = [r for article_id in HAPPENING[:2] for r in story_events[article_id]]
    publisher, _ = run_stories(settings, store, first)
    assert len(publisher.on(settings.topic_alerts)) == 1
    # A new worker with the recovered table: the same messages again (not committed) and the third report.
    again = first + list(story_events[HAPPENING[2]])
    publisher, metrics = run_stories(settings, store, again)
    assert publisher.on(settings.topic_alerts) == []
    (story,) = latest_stories(publisher, settings).values()
    assert story.corroboration == 3 and story.alert_rule == "independent-sources"
    text = generate_latest(metrics.registry).decode()
    assert 'newsevents_story_updates_total{change="duplicate",type="deployment"} 2.0' in text


def test_a_report_after_the_window_opens_a_new_story_and_expired_stories_leave_the_table(
    settings: Settings, story_events: dict
) -> None:
    store = MemoryStoryStore()
    records = [r for article_id in [*HAPPENING, *LOOK_ALIKES, LATER] for r in story_events[article_id]]
    publisher, metrics = run_stories(settings, store, records)
    stories = latest_stories(publisher, settings)
    germany_lithuania = [s for s in stories.values() if s.story_key == "deployment|DEU|LTU"]
    assert sorted(len(s.article_ids) for s in germany_lithuania) == [1, 3]
    later = next(s for s in germany_lithuania if s.article_ids == (LATER,))
    assert later.alert_id is None and later.sources == ("Deutsche Welle",)
    # 10 days on, the watermark is past every 10 March story's window and lateness: only the new story is left.
    assert [StoredStory.decode(v).state().story_id for v in store.stories.values()] == [later.story_id]
    text = generate_latest(metrics.registry).decode()
    assert 'newsevents_stories_expired_total{type="deployment"} 2.0' in text  # CAN and ROU; DEU|LTU was replaced
    assert 'newsevents_story_updates_total{change="reopened",type="deployment"} 1.0' in text
    assert store.watermarks[0] >= 1_742_461_200.0 - HOUR


def test_bad_story_event_records_are_dead_lettered_and_the_agent_goes_on(
    settings: Settings, story_events: dict
) -> None:
    store = MemoryStoryStore()
    records = [b"\xff\xfe not utf-8", b"{not json", b"[1]", b'{"event_id": "x"}', *story_events[HAPPENING[0]]]
    publisher, metrics = run_stories(settings, store, records)
    letters = [DeadLetter.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_dlq)]
    assert [letter.reason.value for letter in letters] == ["not_utf8", "not_json", "not_an_object", "invalid_fields"]
    assert all(letter.source_topic == settings.topic_story_events for letter in letters)
    assert len(latest_stories(publisher, settings)) == 1
    assert 'newsevents_dead_letters_total{reason="not_json"} 1.0' in generate_latest(metrics.registry).decode()


class SlowPublisher(RecordingPublisher):
    """Takes a while per batch, as a broker does: messages keep arriving while a batch is handled."""

    async def publish(self, records, *, source_partition: int) -> None:
        await asyncio.sleep(0.005)
        await super().publish(records, source_partition=source_partition)


def test_every_message_arriving_while_a_batch_is_handled_is_handled_once(settings: Settings) -> None:
    # The agent used to make a batch's events current on the stream itself (for the table's changelog partition),
    # and noack_take's background task, buffering the message that had just arrived, took the stream's current
    # event: a message was lost and an event of the batch handled a second time (counted as a duplicate report).
    corpus = story_corpus(400, prefix="race")
    processor = MessageProcessor(settings)
    processor.warm_up()  # as the worker does: a cold first extraction may overrun the time budget
    records = []
    for offset, article in enumerate(corpus.articles):
        result = processor.process(
            SourceMessage(topic="raw", partition=0, offset=offset, timestamp=2_000_000_000.0, value=article.value)
        )
        records += result.story_records
    assert len(records) == len(corpus.articles)
    store, publisher, metrics = MemoryStoryStore(), SlowPublisher(), Metrics()
    pipeline = create_pipeline(settings, stories_publisher=publisher, story_store=store, metrics=metrics)

    def handled() -> dict[str, float]:
        samples: dict[str, float] = {}
        for metric in metrics.story_updates.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    samples[sample.labels["change"]] = samples.get(sample.labels["change"], 0.0) + sample.value
        return samples

    async def feed() -> None:
        async with pipeline.stories_faust_agent.test_context() as agent:
            for record in records:
                await agent.put(record.value, key=record.key, headers=list(record.headers))
            deadline = time.monotonic() + 60
            # Counted when applied; published and stored by the end of the batch, when the agent lets go of its lock.
            while sum(handled().values()) < len(records) or pipeline.stories.message_lock.locked():
                assert time.monotonic() < deadline, f"handled {handled()} of {len(records)}"
                await asyncio.sleep(0.02)

    asyncio.run(feed())
    changes = handled()
    assert changes.get("duplicate", 0) == 0 and changes.get("late", 0) == 0, changes
    stories = latest_stories(publisher, settings)
    found = {(s.story_key, s.first_seen): frozenset(s.article_ids) for s in stories.values()}
    assert found == corpus.expected_stories()


def test_reports_arriving_within_the_batch_window_give_one_story_version_and_one_table_write(
    settings: Settings, story_events: dict
) -> None:
    # The cost of the stage on event-dense input was its broker round trips (two per batch) and its records (a story
    # version and a changelog record per changed story per batch): with the pipeline's 5 ms batches, reports of one
    # story a few tens of milliseconds apart each made a version. Arriving within the agent's batch window, the three
    # reports of a happening are one batch: one version of the story, one table write, the alert once.
    store, publisher, metrics = MemoryStoryStore(), RecordingPublisher(), Metrics()
    pipeline = create_pipeline(settings, stories_publisher=publisher, story_store=store, metrics=metrics)
    records = [r for article_id in HAPPENING for r in story_events[article_id]]
    assert len(records) == 3

    async def feed() -> None:
        async with pipeline.stories_faust_agent.test_context() as agent:
            for record in records:
                await agent.put(record.value, key=record.key, headers=list(record.headers))
                await asyncio.sleep(0.05)  # ten times the pipeline's batch window
            deadline = time.monotonic() + 30
            while store.flushes < 1 or pipeline.stories.message_lock.locked():
                assert time.monotonic() < deadline, "the stories agent did not finish"
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)

    asyncio.run(feed())
    versions = publisher.on(settings.topic_stories)
    assert len(versions) == 1, [r.key for r in versions]
    story = Story.model_validate(orjson.loads(versions[0].value))
    assert story.article_ids == tuple(sorted(HAPPENING)) and story.corroboration == 3
    assert len(publisher.on(settings.topic_alerts)) == 1
    assert store.flushes == 1 and [list(changes) for _, changes in store.writes] == [[story.story_key.encode()]]
