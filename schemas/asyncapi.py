"""The AsyncAPI 2.6 document of the pipeline's topics, generated from the pydantic models
(`python -m schemas.asyncapi` writes schemas/asyncapi.json, `--check` fails when it is stale)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from schemas.models import SCHEMA_VERSION, Alert, Article, DeadLetter, Event, EventType, Outcome, Story

ASYNCAPI_FILE = Path(__file__).resolve().parent / "asyncapi.json"
REF = "#/components/schemas/{model}"

# Default topic names (NEWSEVENTS_TOPIC_* may rename them); kept here so the schemas package needs no settings.
TOPICS = {
    "articles.raw": ("Article", "Raw articles in: a UTF-8 JSON object; anything else is dead-lettered"),
    "events.deployment": ("Event", "Deployment events, key = event_id"),
    "events.denial": ("Event", "Denial events, key = event_id"),
    "events.policy_shift": ("Event", "Policy-shift events, key = event_id"),
    "articles.processed": ("Outcome", "One outcome per consumed message (the audit trail), key = article id"),
    "articles.dlq": ("DeadLetter", "Dead letters: the reason and the original bytes, key = article id when readable"),
    "stories": (
        "Story",
        "Stories: the events of every article reporting one happening, key = story_id; compacted, each update "
        "replaces the previous value",
    ),
    "alerts": ("Alert", "One alert per story, when it first meets an alert rule, key = story_id; dedupe on alert_id"),
    "newsevents-story-events": (
        "StoryEventBatch",
        "Internal (<app id>-story-events): the events again, read by the workers' stories agent. One record per "
        "pipeline batch and story-events partition (under exactly-once one per raw partition too, in its "
        "transaction), without a key: the partition is the one Kafka's default partitioner gives each entry's story "
        "key. (Workers before this format sent one Event per record, key = story key; the stories agent still reads "
        "those.)",
    ),
}
# Entries of a story-events record (streams/worker/records.py story_event_batches); not a model of the public API.
_NULLABLE_STRING: dict[str, Any] = {"type": ["string", "null"]}
_COUNTRY: dict[str, Any] = {"anyOf": [{"type": "string", "pattern": "^[A-Z]{3}$"}, {"type": "null"}]}
_OFFSET: dict[str, Any] = {"type": "integer", "minimum": 0}
# The compact entry (streams/stories/wire.py): the story key's fields, the story window's times, the report's fields.
_COMPACT_ENTRY: dict[str, Any] = {
    "type": "array",
    "description": "compact entry (streams/stories/wire.py): [1, type, actor_key, actor_country, place_key, "
    "place_country, ingest_time, published_at, event_id, article_id, source, lang, modality, confidence, actor_name, "
    "actor_kind, place_name, quantities, evidence_text, evidence_start, evidence_end, url, title]",
    # Draft-07's tuple form (AsyncAPI 2.6.0's default schema format): items as a list, no further item. The 2020-12
    # form (prefixItems, items false) means under Draft-07 "no item at all": every entry would fail.
    "items": [
        {"const": 1},
        {"$ref": REF.format(model="EventType")},
        {"type": "string", "minLength": 1},
        _COUNTRY,
        _NULLABLE_STRING,
        _COUNTRY,
        {"type": ["number", "null"]},
        _NULLABLE_STRING,
        {"type": "string"},
        {"type": "string"},
        _NULLABLE_STRING,
        {"type": "string"},
        {"$ref": REF.format(model="Modality")},
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string"},
        {"$ref": REF.format(model="ActorKind")},
        _NULLABLE_STRING,
        {"type": "array", "items": _OFFSET},
        {"type": "string"},
        _OFFSET,
        _OFFSET,
        _NULLABLE_STRING,
        _NULLABLE_STRING,
    ],
    "additionalItems": False,
    "minItems": 23,
}
_EVENT_ENTRY: dict[str, Any] = {
    "type": "object",
    "description": "the whole event (the form before the compact entries; still read)",
    "properties": {
        "story_key": {"type": "string", "description": "the story key the event joins (its partition's key)"},
        "ingest_time": {
            "type": ["number", "null"],
            "description": "the input record's timestamp (seconds since the epoch), for the story window when "
            "the article has no publication time",
        },
        "event": {"$ref": REF.format(model="Event")},
    },
    "required": ["story_key", "ingest_time", "event"],
    "additionalProperties": False,
}
STORY_EVENT_BATCH_SCHEMA: dict[str, Any] = {
    "title": "StoryEventBatch",
    "type": "array",
    "items": {"oneOf": [_COMPACT_ENTRY, _EVENT_ENTRY]},
}


def _cloudevents_headers(kind: str | None) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string"},
        "ce_source": {
            "type": "string",
            "description": "events: urn:newsevents:outlet:<source>, else urn:newsevents:<app id>",
        },
        "ce_type": {"type": "string", **({"const": f"org.newsevents.{kind}.v{SCHEMA_VERSION}"} if kind else {})},
        "ce_subject": {"type": "string", "description": "article id; stories and alerts: story id"},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_schemaversion": {"type": "string", "const": SCHEMA_VERSION},
        "content-type": {"type": "string", "const": "application/json"},
    }
    return {"type": "object", "properties": properties, "required": ["ce_specversion", "ce_id", "ce_source", "ce_type"]}


def build() -> dict[str, Any]:
    _, definitions = models_json_schema(
        [(model, "serialization") for model in (Article, Event, Outcome, DeadLetter, Story, Alert)], ref_template=REF
    )
    schemas = dict(sorted({**definitions["$defs"], "StoryEventBatch": STORY_EVENT_BATCH_SCHEMA}.items()))
    kinds = {
        "events.deployment": EventType.deployment.value,
        "events.denial": EventType.denial.value,
        "events.policy_shift": EventType.policy_shift.value,
        "articles.processed": "outcome",
        "articles.dlq": "dead_letter",
        "stories": "story",
        "alerts": "alert",
        "newsevents-story-events": None,  # any event type
    }
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic, (model, description) in TOPICS.items():
        name = topic.replace(".", "_")
        message: dict[str, Any] = {
            "name": name,
            "contentType": "application/json",
            "payload": {"$ref": REF.format(model=model)},
            "bindings": {"kafka": {"key": {"type": "string"}, "bindingVersion": "0.4.0"}},
        }
        if topic == "newsevents-story-events":
            message["bindings"] = {"kafka": {"bindingVersion": "0.4.0"}}  # no key: the partition is named
            message["headers"] = {"type": "object", "properties": {"content-type": {"const": "application/json"}}}
        elif topic != "articles.raw":
            message["headers"] = _cloudevents_headers(kinds[topic])
        messages[name] = message
        operation = "publish" if topic == "articles.raw" else "subscribe"  # from the point of view of a client
        channels[topic] = {
            "description": description,
            operation: {"operationId": f"{operation}_{name}", "message": {"$ref": f"#/components/messages/{name}"}},
            "bindings": {"kafka": {"topic": topic, "bindingVersion": "0.4.0"}},
        }
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "newsevents",
            "version": SCHEMA_VERSION,
            "description": "Real-time extraction of deployments, denials and policy shifts from news, on Apache Kafka. "
            "Topic names are the defaults (NEWSEVENTS_TOPIC_*). Generated from schemas/models.py.",
        },
        "defaultContentType": "application/json",
        "servers": {"local": {"url": "127.0.0.1:9092", "protocol": "kafka", "description": "newsevents broker start"}},
        "channels": channels,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    check_only = "--check" in (argv if argv is not None else sys.argv[1:])
    text = render()
    if ASYNCAPI_FILE.exists() and ASYNCAPI_FILE.read_text(encoding="utf-8") == text:
        return 0
    if check_only:
        print(f"{ASYNCAPI_FILE.name} is stale; run `python -m schemas.asyncapi`", file=sys.stderr)
        return 1
    ASYNCAPI_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
