"""schemas/asyncapi.json: generated from the models, committed, and true to what the worker publishes."""

from __future__ import annotations

import json

import jsonschema
import orjson
from support.agents import KURSK_ARTICLE, message

from schemas.asyncapi import ASYNCAPI_FILE, render
from streams.settings import Settings
from streams.worker.processing import MessageProcessor
from streams.worker.records import story_event_batches


def _document() -> dict:
    return json.loads(ASYNCAPI_FILE.read_text(encoding="utf-8"))


def test_committed_document_matches_the_models() -> None:
    assert ASYNCAPI_FILE.read_text(encoding="utf-8") == render(), (
        "run `python -m schemas.asyncapi` and commit the result"
    )


def test_every_topic_is_a_channel_with_a_resolvable_message() -> None:
    document = _document()
    assert document["asyncapi"] == "2.6.0"
    assert set(document["channels"]) == set(Settings(stories_enabled=True).all_topics)  # every topic a worker may use
    for topic, channel in document["channels"].items():
        [operation] = [key for key in ("publish", "subscribe") if key in channel]
        name = channel[operation]["message"]["$ref"].rsplit("/", 1)[1]
        payload = document["components"]["messages"][name]["payload"]["$ref"].rsplit("/", 1)[1]
        assert payload in document["components"]["schemas"], topic


def test_published_records_validate_against_the_document(settings: Settings) -> None:
    document = _document()
    processor = MessageProcessor(settings)
    processor.warm_up()
    result = processor.process(message(KURSK_ARTICLE.read_bytes()))
    assert len(result.event_records) == 5
    story_events = story_event_batches(result.story_records, partitions=settings.partitions)
    assert story_events
    for record in (*result.event_records, *result.final_records, *story_events):
        name = (
            "newsevents-story-events" if record.topic == settings.topic_story_events else record.topic.replace(".", "_")
        )
        spec = document["components"]["messages"][name]
        # Draft-07: the default schema format of the document's AsyncAPI 2.6.0 (jsonschema.validate would take
        # the latest draft, under which a 2020-12 keyword such as prefixItems passes unnoticed).
        jsonschema.Draft7Validator({**document, **spec["payload"]}).validate(orjson.loads(record.value))
        headers = {key: value.decode() for key, value in record.headers}
        jsonschema.Draft7Validator(spec["headers"]).validate(headers)
    bad = orjson.loads(result.event_records[0].value) | {"confidence": 2}
    try:
        jsonschema.Draft7Validator({**document, "$ref": "#/components/schemas/Event"}).validate(bad)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the Event schema accepted a confidence of 2")
