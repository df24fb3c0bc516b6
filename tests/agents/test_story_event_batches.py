"""Story-events records grouped per pipeline batch: one record per source and story-events partition, each story on
the partition its key always had, compact entries (streams/stories/wire.py) giving what the whole events gave, old
one-event records and whole-event entries still read, bad entries dead-lettered one by one."""

from __future__ import annotations

import asyncio
import base64
import itertools
from collections import defaultdict

import orjson
import pytest
from aiokafka.partitioner import DefaultPartitioner
from hypothesis import given
from hypothesis import strategies as st
from kafka.partitioner.default import murmur2 as kafka_python_murmur2
from prometheus_client import generate_latest
from support.agents import MemoryStoryStore, RecordingPublisher, stories_agent

from schemas import DeadLetter, Story
from streams.harness.story_articles import story_corpus
from streams.settings import Settings
from streams.stories.keys import parse_time
from streams.stories.wire import EntryReport, read_entry
from streams.worker.agents import PipelineAgent, WorkerState
from streams.worker.metrics import Metrics
from streams.worker.processing import MessageProcessor, SourceMessage
from streams.worker.records import OutboundRecord, StoryEventRecord, story_event_batches, story_partition
from streams.worker.stories import StoriesAgent
from streams.worker.stories_input import StoryMessage, record_ingest_time

ARTICLES = 120
SOURCE_PARTITIONS = 3
NOW = 1_800_000_000.0  # the agents' clock: after every generated article (2025), as a live worker's is


@pytest.fixture(scope="module")
def processor() -> MessageProcessor:
    processor = MessageProcessor(Settings(stories_enabled=True))
    processor.warm_up()
    return processor


@pytest.fixture(scope="module")
def source_messages() -> list[SourceMessage]:
    """Generated story articles (one event each, many story keys) spread over three raw partitions."""
    return [
        SourceMessage(
            topic="articles.raw",
            partition=index % SOURCE_PARTITIONS,
            offset=index // SOURCE_PARTITIONS,
            timestamp=(parse_time(article.published_at) or 0.0) + 600,
            value=article.value,
        )
        for index, article in enumerate(story_corpus(ARTICLES).articles)
    ]


def entries(record: OutboundRecord) -> list:
    data = orjson.loads(record.value)
    assert isinstance(data, list)
    return data


def whole_event_records(records: list[OutboundRecord]) -> list[OutboundRecord]:
    """The story-event records without their compact entries: story_event_batches sends the whole events, as before."""
    return [OutboundRecord(r.topic, r.key, r.value, r.headers) for r in records]


def assert_entries_are_the_singles(entries_: list, singles: list[OutboundRecord]) -> None:
    """Each entry is the compact entry of the one-event record in its place: its story key, event and ingest time."""
    assert all(isinstance(r, StoryEventRecord) and r.entry for r in singles)
    assert entries_ == [orjson.loads(r.entry) for r in singles]  # type: ignore[attr-defined]
    for entry, single in zip(entries_, singles, strict=True):
        read = read_entry(entry, NOW)
        assert isinstance(read, EntryReport) and read.key.text.encode() == single.key
        assert read.event_id == orjson.loads(single.value)["event_id"]
        assert read.ingest_time == float(dict(single.headers)["newsevents_ingest_time"])


def test_a_batch_sends_one_story_events_record_per_source_and_story_events_partition(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    settings = Settings(stories_enabled=True)
    publisher = RecordingPublisher()
    agent = PipelineAgent(processor, publisher, Metrics(), WorkerState())
    results = asyncio.run(agent.handle_batch(source_messages))

    # What each source partition's messages gave, one record per event, in message order.
    expected: dict[int, list[OutboundRecord]] = defaultdict(list)
    for message, result in zip(source_messages, results, strict=True):
        expected[message.partition] += result.story_records
    assert sum(len(records) for records in expected.values()) == ARTICLES  # one event per article

    sent: dict[int, list[OutboundRecord]] = defaultdict(list)
    for source_partition, records in publisher.batches:
        sent[source_partition] += [r for r in records if r.topic == settings.topic_story_events]
    assert set(sent) == set(range(SOURCE_PARTITIONS))
    all_partitions = list(range(settings.partitions))
    for source_partition, records in sent.items():
        # One record per story-events partition, for the partitions this source partition's events go to.
        assert sorted(r.partition for r in records) == sorted({r.partition for r in records})
        assert len(records) <= settings.partitions < len(expected[source_partition])
        for record in records:
            assert record.key is None
            for entry in entries(record):
                # Where the producer's default partitioner would have put a record keyed by the story key.
                story_key = read_entry(entry, NOW).key.text.encode()  # type: ignore[union-attr]
                assert DefaultPartitioner()(story_key, all_partitions, all_partitions) == record.partition
        # The same events, keys and ingest times as the one-event records, each partition's in their order.
        for partition in {r.partition for r in records}:
            (record,) = [r for r in records if r.partition == partition]
            singles = [r for r in expected[source_partition] if story_partition(r.key or b"", 4) == partition]
            assert_entries_are_the_singles(entries(record), singles)
    # The story records are sent with the events, before any outcome (the outcome proves the events are stored).
    for _, records in publisher.batches:
        topics = [r.topic for r in records]
        if settings.topic_processed in topics:
            assert settings.topic_story_events not in topics


def test_without_transactions_a_batch_sends_one_story_events_record_per_story_events_partition(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    """At-least-once: the batch's story events of every source partition share the story-events records, each
    partition's entries in message order (under exactly-once they stay in their source partition's transaction)."""
    settings = Settings(stories_enabled=True)
    publisher = RecordingPublisher()
    agent = PipelineAgent(processor, publisher, Metrics(), WorkerState(), story_events_by_source_partition=False)
    results = asyncio.run(agent.handle_batch(source_messages))
    singles = [record for result in results for record in result.story_records]
    sent = [r for _, records in publisher.batches for r in records if r.topic == settings.topic_story_events]
    assert sorted(r.partition for r in sent) == sorted({story_partition(r.key or b"", 4) for r in singles})
    for record in sent:
        expected = [r for r in singles if story_partition(r.key or b"", 4) == record.partition]
        assert_entries_are_the_singles(entries(record), expected)
    for _, records in publisher.batches:  # still all before any outcome
        topics = [r.topic for r in records]
        if settings.topic_processed in topics:
            assert settings.topic_story_events not in topics


@given(st.binary(min_size=0, max_size=64), st.integers(min_value=1, max_value=64))
def test_story_partition_is_the_partition_kafkas_default_partitioner_gives_the_key(key: bytes, partitions: int) -> None:
    all_partitions = list(range(partitions))
    assert story_partition(key, partitions) == DefaultPartitioner()(key, all_partitions, all_partitions)
    assert story_partition(key, partitions) == (kafka_python_murmur2(key) & 0x7FFFFFFF) % partitions


def new_agent(settings: Settings, store: MemoryStoryStore, publisher: RecordingPublisher) -> StoriesAgent:
    return stories_agent(settings, store=store, publisher=publisher, clock=lambda: NOW)


def as_messages(records: list[OutboundRecord], partition_of) -> list[StoryMessage]:
    """The records as the agent reads them, each on its partition at that partition's next offset."""
    offsets: dict[int, itertools.count] = defaultdict(itertools.count)
    placed = [(partition_of(record), record) for record in records]
    return [
        StoryMessage("newsevents-story-events", p, next(offsets[p]), None, record.key, record.value, record.headers)
        for p, record in placed
    ]


def outputs(agent: StoriesAgent, messages: list[StoryMessage]) -> tuple[dict, list, dict, dict]:
    """The latest story per id, the alerts in order, the table and the watermarks after the messages."""
    for partition in sorted({m.partition for m in messages}):
        asyncio.run(agent.handle_batch([m for m in messages if m.partition == partition]))
    records = agent.publisher.records  # type: ignore[attr-defined]
    stories = {r.key: r.value for r in records if r.topic == Settings().topic_stories}
    alerts = [r.value for r in records if r.topic == Settings().topic_alerts]
    assert not [r for r in records if r.topic == Settings().topic_dlq]
    store = agent.store
    assert isinstance(store, MemoryStoryStore)
    return stories, alerts, dict(store.stories), dict(store.watermarks)


def test_old_one_event_records_and_batched_records_give_the_same_stories_alerts_and_table(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    settings = Settings(stories_enabled=True)
    singles = [record for message in source_messages for record in processor.process(message).story_records]
    batched = story_event_batches(singles, partitions=settings.partitions)
    assert len(batched) == settings.partitions < len(singles)

    old = outputs(
        new_agent(settings, MemoryStoryStore(), RecordingPublisher()),
        as_messages(singles, lambda r: story_partition(r.key, settings.partitions)),
    )
    new = outputs(
        new_agent(settings, MemoryStoryStore(), RecordingPublisher()), as_messages(batched, lambda r: r.partition)
    )
    assert old == new
    # Whole events as entries (the form before the compact entries) give the same too.
    whole = story_event_batches(whole_event_records(singles), partitions=settings.partitions)
    assert all(isinstance(entry, dict) for record in whole for entry in entries(record))
    assert (
        outputs(
            new_agent(settings, MemoryStoryStore(), RecordingPublisher()), as_messages(whole, lambda r: r.partition)
        )
        == new
    )
    stories, alerts, table, _ = new
    assert len(table) == len({r.key for r in singles}) and alerts
    assert sum(len(Story.model_validate(orjson.loads(v)).article_ids) for v in stories.values()) == ARTICLES


def handled(settings: Settings, entries_: list, *, offset: int) -> tuple[StoriesAgent, list[DeadLetter]]:
    """A new agent after one story-events record holding `entries_` (partition 0, at `offset`), and its dead letters."""
    agent = new_agent(settings, MemoryStoryStore(), RecordingPublisher())
    message = StoryMessage(
        topic=settings.topic_story_events,
        partition=0,
        offset=offset,
        timestamp=None,
        key=None,
        value=orjson.dumps(entries_),
    )
    asyncio.run(agent.handle_batch([message]))
    publisher = agent.publisher
    assert isinstance(publisher, RecordingPublisher)
    return agent, [DeadLetter.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_dlq)]


def test_a_bad_entry_is_dead_lettered_with_its_reason_and_the_rest_of_the_record_is_applied(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    settings = Settings(stories_enabled=True)
    good = whole_event_records([processor.process(message).story_records[0] for message in source_messages[:2]])
    (record,) = story_event_batches(good[:1], partitions=1)
    (second,) = story_event_batches(good[1:], partitions=1)
    first_entry, second_entry = entries(record)[0], entries(second)[0]
    bad_entries = [
        1,
        {"story_key": "x"},
        {"story_key": "x", "event": {"event_id": "not enough"}},
        {**second_entry, "ingest_time": "yesterday"},
    ]
    agent, letters = handled(settings, [first_entry, *bad_entries, second_entry], offset=41)
    store, publisher = agent.store, agent.publisher
    assert isinstance(store, MemoryStoryStore) and isinstance(publisher, RecordingPublisher)
    assert [letter.reason.value for letter in letters] == [
        "not_an_object",
        "not_an_object",
        "invalid_fields",
        "invalid_fields",
    ]
    assert [orjson.loads(base64.b64decode(letter.original_b64)) for letter in letters] == bad_entries
    assert all(letter.source_offset == 41 and letter.source_partition == 0 for letter in letters)
    assert letters[2].detail.startswith("entry 3 of the story-events record is not an event")
    # The two good entries were applied: their articles are in the stories (and in the table).
    stories = [Story.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_stories)]
    article_ids = {article_id for story in stories for article_id in story.article_ids}
    assert article_ids == {first_entry["event"]["article_id"], second_entry["event"]["article_id"]}
    assert len(store.stories) == len({first_entry["story_key"], second_entry["story_key"]})
    text = generate_latest(agent.metrics.registry).decode()
    assert 'newsevents_dead_letters_total{reason="not_an_object"} 2.0' in text
    assert 'newsevents_dead_letters_total{reason="invalid_fields"} 2.0' in text


def test_a_record_that_is_neither_an_event_nor_an_array_is_one_dead_letter() -> None:
    settings = Settings(stories_enabled=True)
    publisher = RecordingPublisher()
    agent = new_agent(settings, MemoryStoryStore(), publisher)
    message = StoryMessage(topic="story-events", partition=2, offset=7, timestamp=None, key=None, value=b'"text"')
    asyncio.run(agent.handle_batch([message]))
    (letter,) = [DeadLetter.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_dlq)]
    assert letter.reason.value == "not_an_object" and base64.b64decode(letter.original_b64) == b'"text"'


def compact_pair(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> tuple[list[OutboundRecord], list, list]:
    """The story-event records of the first two articles, and their compact entries."""
    good = [processor.process(message).story_records[0] for message in source_messages[:2]]
    first, second = (orjson.loads(record.entry) for record in good)  # type: ignore[attr-defined]
    return good, first, second


def test_a_bad_compact_entry_is_dead_lettered_and_the_rest_of_the_record_is_applied(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    settings = Settings(stories_enabled=True)
    good, first, second = compact_pair(processor, source_messages)
    bad_entries = [
        first[:-1],  # one value short
        [2, *first[1:]],  # another form
        [*first[:12], "rumour", *first[13:]],  # not a modality
        [*first[:13], 1, *first[14:]],  # a whole-number confidence: the pipeline writes a float
        [*first[:17], [5, 3], *first[18:]],  # quantities not in ascending order
        [*first[:19], True, *first[20:]],  # a bool offset
        [*first[:2], "", *first[3:]],  # an empty actor key
    ]
    agent, letters = handled(settings, [first, *bad_entries, second], offset=9)
    publisher = agent.publisher
    assert isinstance(publisher, RecordingPublisher)
    assert [letter.reason.value for letter in letters] == ["invalid_fields"] * len(bad_entries)
    assert [orjson.loads(base64.b64decode(letter.original_b64)) for letter in letters] == bad_entries
    assert [letter.detail.removeprefix("entry ") for letter in letters] == [
        "1 of the story-events record (compact) is not an array of 23 values",
        "2 of the story-events record (compact) has an invalid form (position 0)",
        "3 of the story-events record (compact) has an invalid modality (position 12)",
        "4 of the story-events record (compact) has an invalid confidence (position 13)",
        "5 of the story-events record (compact) has an invalid quantities (position 17)",
        "6 of the story-events record (compact) has an invalid evidence_start (position 19)",
        "7 of the story-events record (compact) has an invalid actor_key (position 2)",
    ]
    stories = [Story.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_stories)]
    assert {article_id for story in stories for article_id in story.article_ids} == {first[9], second[9]}


def test_an_implausible_ingest_time_is_dead_lettered_and_neither_fails_the_batch_nor_moves_the_watermark(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    """1e300 made every view of its story raise OverflowError (the whole batch failed, at every retry); 1e11 moved
    the partition's watermark so far that every open story expired and every later event was late, unreported."""
    settings = Settings(stories_enabled=True)
    good, first, second = compact_pair(processor, source_messages)
    (whole,) = story_event_batches(whole_event_records(good[:1]), partitions=1)
    whole_entry = entries(whole)[0]
    bad_entries = [
        [*first[:6], 1e300, *first[7:]],
        [*first[:6], 1e11, None, *first[8:]],  # no publication time: the ingest time is the event time
        [*first[:6], -5.0, *first[7:]],
        {**whole_entry, "ingest_time": 1e300},
        {**whole_entry, "ingest_time": 1e11},
    ]
    agent, letters = handled(settings, [first, *bad_entries, second], offset=3)
    assert [letter.reason.value for letter in letters] == ["invalid_fields"] * len(bad_entries)
    assert [letter.detail.removeprefix("entry ") for letter in letters] == [
        "1 of the story-events record (compact) has an ingest time (position 6) that is not a time from the epoch "
        "to an hour from now",
        "2 of the story-events record (compact) has an ingest time (position 6) that is not a time from the epoch "
        "to an hour from now",
        "3 of the story-events record (compact) has an ingest time (position 6) that is not a time from the epoch "
        "to an hour from now",
        "4 of the story-events record has an ingest time that is not a time from the epoch to an hour from now",
        "5 of the story-events record has an ingest time that is not a time from the epoch to an hour from now",
    ]
    store, publisher = agent.store, agent.publisher
    assert isinstance(store, MemoryStoryStore) and isinstance(publisher, RecordingPublisher)
    assert store.watermarks[0] < NOW
    stories = [Story.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_stories)]
    assert {article_id for story in stories for article_id in story.article_ids} == {first[9], second[9]}
    text = generate_latest(agent.metrics.registry).decode()
    assert 'newsevents_dead_letters_total{reason="invalid_fields"} 5.0' in text


def test_an_evidence_end_before_its_start_is_dead_lettered_in_either_form(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    settings = Settings(stories_enabled=True)
    good = [processor.process(message).story_records[0] for message in source_messages[:1]]
    (first,) = (orjson.loads(record.entry) for record in good)  # type: ignore[attr-defined]
    (whole,) = story_event_batches(whole_event_records(good), partitions=1)
    whole_entry = entries(whole)[0]
    end = whole_entry["event"]["evidence"]["end"]
    bad_whole = {**whole_entry, "event": {**whole_entry["event"]}}
    bad_whole["event"]["evidence"] = {**whole_entry["event"]["evidence"], "start": end + 1}
    _, letters = handled(settings, [[*first[:19], first[20] + 1, *first[20:]], bad_whole], offset=0)
    assert [letter.detail.removeprefix("entry ") for letter in letters] == [
        "0 of the story-events record (compact) has an evidence end (position 20) before its evidence start",
        "1 of the story-events record has an evidence end before its evidence start",
    ]


@pytest.mark.parametrize(
    ("header", "timestamp", "expected"),
    [
        (b"1736100000.5", 1736000000.0, 1736100000.5),
        (b"inf", 1736000000.0, 1736000000.0),  # float(b"inf") parses
        (b"nan", 1736000000.0, 1736000000.0),
        (b"1e300", None, NOW),
        (b"-1", 1e300, NOW),  # a timestamp is whatever its producer set
        (b"later", None, NOW),
    ],
)
def test_a_records_ingest_time_is_its_first_plausible_time(
    header: bytes, timestamp: float | None, expected: float
) -> None:
    message = StoryMessage("story-events", 0, 0, timestamp, None, b"[]", (("newsevents_ingest_time", header),))
    assert record_ingest_time(message, NOW) == expected


def test_a_story_time_no_view_can_render_is_one_dead_letter_not_a_failed_batch(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    """A publication time before year 1 in UTC (year 1 at +01:00) parsed, and its story's view raised ValueError."""
    settings = Settings(stories_enabled=True)
    good, first, second = compact_pair(processor, source_messages)
    bad = [*first[:7], "0001-01-01T00:00:00+01:00", *first[8:]]
    agent, letters = handled(settings, [bad, second], offset=0)
    assert [letter.reason.value for letter in letters] == ["internal_error"]
    publisher = agent.publisher
    assert isinstance(publisher, RecordingPublisher)
    stories = [Story.model_validate(orjson.loads(r.value)) for r in publisher.on(settings.topic_stories)]
    assert {article_id for story in stories for article_id in story.article_ids} == {second[9]}


class FailingWatermarks(MemoryStoryStore):
    def watermark(self, partition: int) -> float | None:
        if partition == 1:
            raise RuntimeError("the table is gone")
        return super().watermark(partition)


def test_a_failed_batch_leaves_no_update_counts_for_its_retry(
    processor: MessageProcessor, source_messages: list[SourceMessage]
) -> None:
    settings = Settings(stories_enabled=True)
    agent = new_agent(settings, FailingWatermarks(), RecordingPublisher())
    (record,) = [processor.process(message).story_records[0] for message in source_messages[:1]]
    value = orjson.dumps([orjson.loads(record.entry)])  # type: ignore[attr-defined]
    messages = [StoryMessage("story-events", partition, 0, None, None, value) for partition in (0, 1)]
    with pytest.raises(RuntimeError):
        asyncio.run(agent.handle_batch(messages))
    assert agent._updates == {}
