"""The stories agent's fast story view and alert give exactly what the pydantic models give, for any events."""

from __future__ import annotations

import json

import jsonschema
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st
from support.story_reference import reference_alert

from schemas import Actor, Event, Evidence, Location, Quantity, Story
from schemas.export import schema_file
from streams.stories.core import apply_event
from streams.stories.keys import HOUR, story_key
from streams.stories.rules import AlertRule, AlertRules, load_rules
from streams.stories.state import StoryState, StoryWindow, report_of, state_from_dict, state_to_dict
from streams.stories.views import alert_of, story_view, to_story
from streams.worker.records import alert_record, alert_view_record, story_record, story_view_record, to_json

T0 = 1_741_590_000.0  # 2025-03-10T07:00:00Z
WINDOW = StoryWindow(72 * HOUR, 24 * HOUR)
RULES = AlertRules.model_validate(
    {
        "version": 1,
        "rules": [
            *load_rules().model_dump(mode="json")["rules"],
            {"id": "two-sources", "description": "2 outlets", "min_sources": 2},
        ],
    }
)


def _iso(seconds: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, UTC).isoformat()


@st.composite
def events(draw: st.DrawFn, number: int) -> Event:
    """One event of a few story keys, outlets, languages, modalities, quantities and times (some unset)."""
    type_ = draw(st.sampled_from(["deployment", "denial", "policy_shift"]))
    actor = draw(st.sampled_from([("Germany", "DEU"), ("Deutschland", "DEU"), ("die NATO", None), ("NATO", None)]))
    place = draw(st.sampled_from([("Lithuania", "LTU"), ("Litauen", "LTU"), ("Kursk", None), None]))
    quantity = draw(st.none() | st.integers(0, 50_000))
    mentions = draw(st.lists(st.integers(0, 50_000), max_size=2))
    text = f"Report {number}."
    return Event.model_validate(
        {
            "event_id": f"ev-{number}-{type_}",
            "article_id": f"art-{draw(st.integers(0, 40)):02d}-{number}",
            "type": type_,
            "lang": draw(st.sampled_from(["de", "en", "fr"])),
            "actor": {"name": actor[0], "country": actor[1], "kind": "state" if actor[1] else "organization"},
            "location": {"name": place[0], "country": place[1]} if place else None,
            "quantity": {"value": quantity, "qualifier": "exact"} if quantity is not None else None,
            "mentions": [
                {
                    "evidence": {"text": text, "start": 0, "end": len(text), "rule": "r"},
                    "modality": "reported",
                    "quantity": {"value": value, "qualifier": "around"},
                }
                for value in mentions
            ],
            "modality": draw(st.sampled_from(["asserted", "reported", "possible"])),
            "evidence": {"text": text, "start": draw(st.integers(0, 9)), "end": 20, "rule": "test.rule"},
            # Whole numbers too: a JSON 1 is validated to the float 1.0, which the view must encode as 1.0.
            "confidence": draw(st.sampled_from([0, 1, 0.5]) | st.floats(0, 1)),
            "published_at": draw(st.none() | st.floats(0, 200).map(lambda hours: _iso(T0 + hours * HOUR))),
            "extractor_version": "test",
            "source": draw(st.sampled_from([None, "Reuters", "dpa", "BBC", "Rheinische Post", "Nordkurier"])),
            "article_url": draw(st.sampled_from([None, f"https://www.example.org/{number}"])),
            "article_title": draw(st.sampled_from([None, f"Über {number}"])),
        }
    )


event_sequences = st.integers(1, 25).flatmap(lambda n: st.tuples(*(events(i) for i in range(n))))
ingest_offsets = st.lists(st.floats(0, 100 * HOUR), min_size=25, max_size=25)


def stories_of(sequence: tuple[Event, ...], offsets: list[float]) -> list[tuple[StoryState, AlertRule | None]]:
    """Every story version (and the rule of an alert it raised) when the events join their stories in order."""
    table: dict[str, StoryState] = {}
    watermark = None
    versions = []
    for item, offset in zip(sequence, offsets, strict=False):
        key = story_key(item)
        report = report_of(item, T0 + offset)
        update = apply_event(table.get(key.text), key, report, watermark=watermark, window=WINDOW, rules=RULES)
        if update.state is not None:
            table[key.text] = update.state
            rule = next(r for r in RULES.rules if r.id == update.alert.rule) if update.alert else None
            versions.append((update.state, rule))
            assert update.alert is None or update.alert == reference_alert(update.state, rule, WINDOW)
            if update.alert_view is not None:
                # The alert's data is byte for byte the Alert model's JSON, and its view the story's.
                assert orjson.dumps(update.alert_view) == to_json(reference_alert(update.state, rule, WINDOW))
                assert update.view == story_view(update.state, WINDOW)
                assert alert_view_record(update.alert_view, topic="a", ce_source="c") == alert_record(
                    reference_alert(update.state, rule, WINDOW), topic="a", ce_source="c"
                )
        watermark = report.seen_at if watermark is None else max(watermark, report.seen_at)
    return versions


@settings(max_examples=300, deadline=None)
@given(event_sequences, ingest_offsets)
def test_the_view_is_byte_for_byte_the_story_models_json_and_the_alert_the_same(
    sequence: tuple[Event, ...], offsets: list[float]
) -> None:
    for state, _ in stories_of(sequence, offsets):
        reference = to_story(state, WINDOW)
        assert orjson.dumps(story_view(state, WINDOW)) == to_json(reference)
        assert story_view_record(story_view(state, WINDOW), topic="s", ce_source="c") == story_record(
            reference, topic="s", ce_source="c"
        )
        # Reports stay sorted by (article, event) as they are inserted one by one.
        assert list(state.reports) == sorted(state.reports, key=lambda r: (r.article_id, r.event_id))
        # A state read back from the table gives the same view.
        read_back = state_from_dict(orjson.loads(orjson.dumps(state_to_dict(state))))
        assert orjson.dumps(story_view(read_back, WINDOW)) == to_json(reference)


@settings(max_examples=25, deadline=None)
@given(event_sequences, ingest_offsets)
def test_the_view_meets_the_committed_story_schema(sequence: tuple[Event, ...], offsets: list[float]) -> None:
    schema = json.loads(schema_file("story").read_text(encoding="utf-8"))
    for state, _ in stories_of(sequence, offsets):
        view = orjson.loads(orjson.dumps(story_view(state, WINDOW)))
        jsonschema.validate(view, schema)
        assert Story.model_validate(view) == to_story(state, WINDOW)


def test_a_hand_built_story_with_every_field_set_matches() -> None:
    def made(article: str, source: str, modality: str, hours: float) -> Event:
        return Event(
            event_id=f"ev-{article}",
            article_id=article,
            type="deployment",
            lang="de",
            actor=Actor(name="Deutschland", country="DEU", kind="state"),
            location=Location(name="Litauen", country="LTU"),
            quantity=Quantity(value=800, qualifier="exact"),
            modality=modality,
            evidence=Evidence(text="Satz.", start=0, end=5, rule="r"),
            confidence=0.9,
            published_at=_iso(T0 + hours * HOUR),
            extractor_version="test",
            source=source,
            article_url=f"https://example.org/{article}",
            article_title=f"Titel {article}",
        )

    versions = stories_of((made("b", "Reuters", "reported", 1), made("a", "dpa", "asserted", 2)), [0.0, 0.0])
    state, rule = versions[-1]
    assert rule is not None and state.alert_id is not None
    assert orjson.dumps(story_view(state, WINDOW)) == to_json(to_story(state, WINDOW))
    assert alert_of(state, rule, WINDOW) == reference_alert(state, rule, WINDOW)
