"""The pure story core: keys, windows, joining in any order, expiry, alert once, rules as data."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.story_reference import reference_rfc3339

from schemas import Actor, Alert, Event, Evidence, Location, Quantity, Story
from streams.stories.core import Change, apply_event, expired
from streams.stories.keys import HOUR, MAX_PUBLICATION_AHEAD_SECONDS, actor_keys_for, normalise_name, story_key
from streams.stories.rules import DEFAULT_RULES_FILE, AlertRules, load_rules
from streams.stories.state import StoryWindow, report_of, state_from_dict, state_to_dict
from streams.stories.views import RENDERABLE_FROM, RENDERABLE_TO, rfc3339, select_stories, select_story_views, to_story

WINDOW = StoryWindow(72 * HOUR, 12 * HOUR)
T0 = 1_741_590_000.0  # 2025-03-10T07:00:00Z
TWO_SOURCES = AlertRules.model_validate(
    {"version": 1, "rules": [{"id": "two-sources", "description": "2 outlets", "min_sources": 2}]}
)


def event(
    article_id: str,
    *,
    source: str | None = "Outlet A",
    actor: tuple[str, str | None] = ("Germany", "DEU"),
    place: tuple[str, str | None] | None = ("Lithuania", "LTU"),
    type_: str = "deployment",
    modality: str = "reported",
    confidence: float = 0.8,
    hours: float = 0.0,
    lang: str = "en",
    quantity: int | None = None,
) -> Event:
    text = f"Report {article_id}."
    return Event(
        event_id=f"ev-{article_id}-{type_}",
        article_id=article_id,
        type=type_,
        lang=lang,
        actor=Actor(name=actor[0], country=actor[1], kind="state" if actor[1] else "organization"),
        location=Location(name=place[0], country=place[1]) if place and type_ == "deployment" else None,
        quantity=Quantity(value=quantity, qualifier="exact") if quantity is not None else None,
        modality=modality,
        evidence=Evidence(text=text, start=0, end=len(text), rule="test.rule"),
        confidence=confidence,
        published_at=_iso(T0 + hours * HOUR),
        extractor_version="test",
        source=source,
    )


def _iso(seconds: float) -> str:

    return datetime.fromtimestamp(seconds, UTC).isoformat()


def run(events: list[Event], rules: AlertRules = TWO_SOURCES, window: StoryWindow = WINDOW):
    """Apply events in order to one table of story key -> state, as the agent does (one watermark)."""
    table: dict[str, object] = {}
    watermark = None
    updates, alerts = [], []
    for item in events:
        key = story_key(item)
        report = report_of(item, ingest_time=T0 + 1000 * HOUR)
        update = apply_event(table.get(key.text), key, report, watermark=watermark, window=window, rules=rules)
        updates.append(update)
        if update.state is not None:
            table[key.text] = update.state
        if update.alert is not None:
            alerts.append(update.alert)
        watermark = report.seen_at if watermark is None else max(watermark, report.seen_at)
    return table, updates, alerts


def test_story_key_uses_codes_so_languages_meet() -> None:
    german = event("de1", actor=("Bundeswehr", "DEU"), place=("Litauen", "LTU"), lang="de")
    english = event("en1", actor=("Germany", "DEU"), place=("Lithuania", "LTU"))
    assert story_key(german).text == story_key(english).text == "deployment|DEU|LTU"
    assert story_key(event("x", actor=("Die NATO", None), place=None, type_="denial")).text == "denial|nato|-"
    assert story_key(event("y", actor=("NATO", None), place=None, type_="denial")).text == "denial|nato|-"
    assert normalise_name("  Hisbollah-Miliz ") == "hisbollah miliz"


def test_three_outlets_two_languages_make_one_story_and_one_alert() -> None:
    events = [
        event("rp", source="Rheinische Post", lang="de", actor=("Bundeswehr", "DEU"), place=("Litauen", "LTU")),
        event("bt", source="The Baltic Times", hours=5, quantity=800),
        event("nk", source="Nordkurier", lang="de", hours=20, modality="asserted", quantity=1000),
    ]
    table, updates, alerts = run(events)
    assert [u.change for u in updates] == [Change.opened, Change.joined, Change.joined]
    (state,) = table.values()
    story = to_story(state, WINDOW)
    assert story.sources == ("Nordkurier", "Rheinische Post", "The Baltic Times")
    assert story.languages == ("de", "en") and story.corroboration == 3
    assert story.article_ids == ("bt", "nk", "rp")
    assert story.modality.value == "asserted" and story.best_evidence.article_id == "nk"
    assert (story.quantity.minimum, story.quantity.maximum) == (800, 1000)
    assert story.actor.names == ("Bundeswehr", "Germany") and story.place.names == ("Litauen", "Lithuania")
    assert story.confidence == pytest.approx(1 - 0.2**3)
    assert len(alerts) == 1 and alerts[0].rule == "two-sources" and alerts[0].story_id == story.story_id
    assert alerts[0].sources == ("Rheinische Post", "The Baltic Times")  # what the story had when the rule was met
    assert story.alert_id == alerts[0].alert_id and story.alert_rule == "two-sources"
    Story.model_validate_json(story.model_dump_json())
    Alert.model_validate_json(alerts[0].model_dump_json())


def test_look_alikes_stay_apart() -> None:
    table, _, alerts = run(
        [
            event("a", source="A"),
            event("other-actor", source="B", actor=("Canada", "CAN")),
            event("other-place", source="C", place=("Romania", "ROU")),
            event("other-type", source="D", type_="denial", place=None),
        ]
    )
    assert sorted(table) == ["denial|DEU|-", "deployment|CAN|LTU", "deployment|DEU|LTU", "deployment|DEU|ROU"]
    assert alerts == []  # one outlet each


def test_an_event_after_the_window_starts_a_new_story() -> None:
    table, updates, alerts = run([event("a", source="A"), event("b", source="B", hours=24), event("c", hours=80)])
    assert [u.change for u in updates] == [Change.opened, Change.joined, Change.reopened]
    assert updates[2].closed is not None and updates[2].closed.story_id == updates[1].state.story_id
    assert updates[2].state.story_id != updates[1].state.story_id
    assert [r.article_id for r in table["deployment|DEU|LTU"].reports] == ["c"]
    assert len(alerts) == 1  # the old story's; the new one has one outlet
    assert table["deployment|DEU|LTU"].alert_id is None


def test_late_events_and_duplicates_change_nothing() -> None:
    _, updates, _ = run([event("a"), event("b", hours=40), event("a"), event("old", hours=20)])
    assert [u.change for u in updates] == [Change.opened, Change.joined, Change.duplicate, Change.late]


def test_expiry_after_window_and_lateness() -> None:
    table, _, _ = run([event("a", hours=0), event("b", hours=10)])
    state = table["deployment|DEU|LTU"]
    assert not expired(state, T0 + 84 * HOUR, WINDOW)
    assert expired(state, T0 + 84 * HOUR + 1, WINDOW)
    assert not expired(state, None, WINDOW)


def test_publication_time_far_ahead_falls_back_to_ingest_time() -> None:
    item = event("future", hours=10_000)
    assert report_of(item, ingest_time=T0).seen_at == T0
    near = event("near", hours=0.5)
    assert report_of(near, ingest_time=T0).seen_at == T0 + 0.5 * HOUR
    assert 0.5 * HOUR < MAX_PUBLICATION_AHEAD_SECONDS
    assert report_of(event("none").model_copy(update={"published_at": None}), ingest_time=T0).seen_at == T0


def test_listed_outlet_rule_fires_on_one_asserted_report_and_names_itself() -> None:
    rules = load_rules()
    _, _, alerts = run([event("r", source="reuters", modality="asserted")], rules=rules)
    assert [a.rule for a in alerts] == ["asserted-by-listed-outlet"]
    _, _, alerts = run([event("r", source="reuters", modality="reported")], rules=rules)
    assert alerts == []


def test_rules_file_is_strict(tmp_path: Path) -> None:
    assert {rule.id for rule in load_rules(DEFAULT_RULES_FILE).rules} == {
        "asserted-by-listed-outlet",
        "independent-sources",
    }
    bad = tmp_path / "rules.json"
    for payload in (
        {"version": 1, "rules": [{"id": "x", "description": "d", "min_sources": 0}]},
        {"version": 1, "rules": [{"id": "x", "description": "d", "min_sources": 1, "colour": "red"}]},
        {"version": 2, "rules": []},
        {"version": 1, "rules": [{"id": "x", "description": "d", "min_sources": 1}] * 2},
    ):
        bad.write_bytes(orjson.dumps(payload))
        with pytest.raises(ValueError, match="rules.json"):
            load_rules(bad)


def test_state_round_trips_through_json() -> None:
    table, _, _ = run([event("a", quantity=5), event("b", source="B", hours=1)])
    (state,) = table.values()
    assert state_from_dict(orjson.loads(orjson.dumps(state_to_dict(state)))) == state


def test_select_stories_filters_and_orders_newest_first() -> None:
    table, _, _ = run(
        [event("a", hours=0), event("b", actor=("Canada", "CAN"), hours=5), event("c", type_="denial", hours=9)]
    )
    listed = select_stories(table.values(), WINDOW)
    assert [s.story_key for s in listed] == ["denial|DEU|-", "deployment|CAN|LTU", "deployment|DEU|LTU"]
    assert [s.story_key for s in select_stories(table.values(), WINDOW, event_type="deployment", actor="can")] == [
        "deployment|CAN|LTU"
    ]
    assert select_stories(table.values(), WINDOW, since=T0 + 6 * HOUR)[0].story_key == "denial|DEU|-"


def test_select_stories_limit_keeps_the_newest() -> None:
    table, _, _ = run([event(f"a{i}", actor=(f"Org {i}", None), place=None, hours=i) for i in range(5)])
    assert [s.actor.key for s in select_stories(table.values(), WINDOW, limit=2)] == ["org 4", "org 3"]


def test_an_actor_filter_matches_codes_and_names_of_non_state_actors() -> None:
    assert actor_keys_for("deu") == {"DEU", "deu"}
    assert actor_keys_for("Die NATO") == {"nato"}
    table, _, _ = run(
        [
            event("a", actor=("IDF", None), place=None, type_="denial"),
            event("b", actor=("Germany", "DEU"), hours=1),
        ]
    )
    assert [s.story_key for s in select_stories(table.values(), WINDOW, actor="IDF")] == ["denial|idf|-"]
    assert [s.story_key for s in select_stories(table.values(), WINDOW, actor="deu")] == ["deployment|DEU|LTU"]


def test_select_story_views_filters_public_stories_like_the_table_selection() -> None:
    events = [
        event("a", hours=0),
        event("b", actor=("Canada", "CAN"), hours=5),
        event("c", type_="denial", hours=9),
        event("d", actor=("Die NATO", None), place=None, type_="policy_shift", hours=2),
    ]
    table, _, _ = run(events)
    views = [to_story(state, WINDOW) for state in table.values()]
    for filters in [
        {},
        {"event_type": "deployment"},
        {"actor": "can"},
        {"actor": "NATO"},
        {"since": T0 + 4 * HOUR},
        {"event_type": "denial", "since": T0 + 10 * HOUR},
    ]:
        assert select_story_views(views, **filters) == select_stories(table.values(), WINDOW, **filters), filters
    assert [s.story_key for s in select_story_views(views, since=T0 + 4 * HOUR)] == [
        "denial|DEU|-",
        "deployment|CAN|LTU",
    ]


outlets = st.sampled_from(["A", "B", "C", None])
report_events = st.lists(
    st.builds(
        lambda i, source, hours, modality, confidence, quantity: event(
            f"art{i}", source=source, hours=hours, modality=modality, confidence=confidence, quantity=quantity
        ),
        st.integers(0, 30),
        outlets,
        st.floats(0, 60),  # hours after T0: all within one 72 h window
        st.sampled_from(["asserted", "reported", "possible"]),
        st.floats(0, 1),
        st.none() | st.integers(0, 5000),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda e: e.article_id,
)


@settings(max_examples=200, deadline=None)
@given(report_events, st.randoms(use_true_random=False))
def test_joining_in_any_order_gives_the_same_story(events: list[Event], random) -> None:
    # No lateness in play (lateness 0 would drop older events; a long one keeps every order valid): window 72 h,
    # lateness 71 h, events within 60 h of each other, so every order joins all of them into one story.
    window = StoryWindow(72 * HOUR, 71 * HOUR)
    shuffled = list(events)
    random.shuffle(shuffled)
    first, _, alerts_first = run(events, window=window)
    second, _, alerts_second = run(shuffled, window=window)
    (a,), (b,) = first.values(), second.values()
    story_a, story_b = to_story(a, window), to_story(b, window)
    # The id (and the alert's) names the event that opened the story; everything else is order-independent.
    ignore = {"story_id", "alert_id"}
    assert story_a.model_dump(exclude=ignore) == story_b.model_dump(exclude=ignore)
    assert len(alerts_first) == len(alerts_second) <= 1
    assert (len(alerts_first) == 1) == (len({e.source for e in events} - {None}) >= 2)


@settings(max_examples=200, deadline=None)
@given(report_events)
def test_an_alert_is_raised_at_most_once_per_story_even_when_events_repeat(events: list[Event]) -> None:
    window = StoryWindow(72 * HOUR, 71 * HOUR)
    repeated = [item for item in events for _ in range(2)] + events  # redelivery and reprocessing
    table, updates, alerts = run(repeated, window=window)
    assert len(alerts) <= 1
    assert sum(u.change is Change.duplicate for u in updates) == 2 * len(events)
    (state,) = table.values()
    assert (state.alert_id is not None) == (len(alerts) == 1)


def test_best_evidence_ties_break_on_the_smallest_article_id_in_every_order() -> None:
    # Equal modality and confidence: without the id tie-break the best evidence would follow the arrival order.
    events = [event(f"t{i}", confidence=0.5, modality="reported") for i in range(3)]
    bests = {
        to_story(next(iter(run(list(order))[0].values())), WINDOW).best_evidence.article_id
        for order in itertools.permutations(events)
    }
    assert bests == {"t0"}


@settings(max_examples=500, deadline=None)
@given(
    st.floats(RENDERABLE_FROM, RENDERABLE_TO)
    | st.integers(int(RENDERABLE_FROM), int(RENDERABLE_TO)).map(float)
    | st.integers(0, 4_000_000_000).map(lambda whole: whole - 5e-7)  # rounds up to the next second, or not
    | st.floats(RENDERABLE_FROM, -30_610_224_000.0)  # years before 1000: four digits too (strftime's %Y wrote fewer)
)
def test_rfc3339_writes_the_utc_second_with_a_four_digit_year(seconds: float) -> None:
    rfc3339.cache_clear()
    assert rfc3339(seconds) == reference_rfc3339(seconds)
