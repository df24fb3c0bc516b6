"""`newsevents stories` in memory: its arguments, the last value per key of the compacted topic, the table and the
JSON Lines it prints."""

from __future__ import annotations

import orjson
import pytest

from schemas import Actor, Event, Evidence, Location, Story
from streams.commands.cli import build_parser
from streams.commands.stories import MIN_EVIDENCE_WIDTH, json_line, latest_stories, table_lines
from streams.kafka.reader import TailRecord
from streams.stories.core import apply_event
from streams.stories.keys import HOUR, story_key
from streams.stories.rules import AlertRules
from streams.stories.state import StoryWindow, report_of
from streams.stories.views import to_story

WINDOW = StoryWindow()
T0 = 1_741_590_000.0  # 2025-03-10T07:00:00Z
TWO_SOURCES = AlertRules.model_validate(
    {"version": 1, "rules": [{"id": "two-sources", "description": "2 outlets", "min_sources": 2}]}
)


def make_event(article_id: str, *, source: str, hours: float = 0.0, actor=("Germany", "DEU"), sentence=None) -> Event:
    text = sentence or f"Germany has deployed soldiers to Lithuania, {source} reports."
    return Event(
        event_id=f"ev-{article_id}",
        article_id=article_id,
        type="deployment",
        lang="en",
        actor=Actor(name=actor[0], country=actor[1], kind="state" if actor[1] else "organization"),
        location=Location(name="Lithuania", country="LTU"),
        modality="reported",
        evidence=Evidence(text=text, start=0, end=len(text), rule="test.rule"),
        confidence=0.7,
        published_at=f"2025-03-10T{7 + int(hours):02d}:00:00+00:00",
        extractor_version="test",
        source=source,
    )


def story_versions(*events: Event) -> list[Story]:
    """Each version of one story as the agent publishes it, one per event."""
    state, versions = None, []
    for event in events:
        key = story_key(event)
        update = apply_event(
            state, key, report_of(event, T0 + 100 * HOUR), watermark=None, window=WINDOW, rules=TWO_SOURCES
        )
        state = update.state
        versions.append(to_story(state, WINDOW))
    return versions


def record(story: Story | None, *, key: bytes, offset: int, partition: int = 0) -> TailRecord:
    value = None if story is None else orjson.dumps(story.model_dump(mode="json"))
    return TailRecord("stories", partition, offset, 0, key, value, ())


def test_the_last_value_per_key_wins_whatever_the_read_order_and_tombstones_remove() -> None:
    first, second = story_versions(make_event("a", source="Reuters"), make_event("b", source="BBC", hours=2))
    other = story_versions(make_event("c", source="AP", actor=("Canada", "CAN")))[0]
    gone = story_versions(make_event("d", source="AP", actor=("NATO", None)))[0]
    key = first.story_id.encode()
    records = [
        record(second, key=key, offset=7),  # read before the older version: the offset decides, not the order
        record(first, key=key, offset=3),
        record(other, key=other.story_id.encode(), offset=4, partition=1),
        record(gone, key=gone.story_id.encode(), offset=5),
        record(None, key=gone.story_id.encode(), offset=6),  # a tombstone
        TailRecord("stories", 1, 9, 0, b"junk", b"{not a story", ()),
    ]
    latest = latest_stories(records)
    assert sorted((story.story_id, story.corroboration) for story in latest.stories) == sorted(
        [(first.story_id, 2), (other.story_id, 1)]
    )
    assert latest.not_stories == 1


def test_the_table_fits_the_terminal_and_marks_alerted_stories() -> None:
    long_sentence = "Germany has deployed " + "a great many " * 20 + "soldiers to Lithuania."
    (_, alerted) = story_versions(
        make_event("a", source="Reuters", sentence=long_sentence), make_event("b", source="BBC", hours=2)
    )
    (single,) = story_versions(make_event("c", source="AP", actor=("Canada", "CAN"), hours=5))
    lines = table_lines([single, alerted], width=100)
    assert lines[0].split()[:4] == ["LAST", "SEEN", "TYPE", "ACTOR"] and lines[0].endswith("EVIDENCE")
    assert all(len(line) <= 100 for line in lines), [len(line) for line in lines]
    assert lines[1].startswith("2025-03-10 12:00  deployment") and " CAN " in lines[1] and " LTU " in lines[1]
    assert " 1 " in lines[1] and " 2! " in lines[2]  # sources; `!` marks the alerted story
    assert lines[2].endswith("…") and "Germany has deployed a great many" in lines[2]
    # A narrow terminal still shows some evidence rather than none.
    narrow = table_lines([alerted], width=40)
    assert len(narrow[1].split("  ")[-1]) >= MIN_EVIDENCE_WIDTH - 1


def test_json_lines_are_whole_stories_one_per_line() -> None:
    (story,) = story_versions(make_event("a", source="Reuters", sentence="Line one.\nLine two."))
    line = json_line(story)
    assert "\n" not in line and Story.model_validate(orjson.loads(line)) == story


def test_arguments() -> None:
    args = build_parser().parse_args(["stories", "--type", "denial", "--actor", "NATO", "--since", "3d", "--json"])
    assert (args.type, args.actor, args.since, args.json, args.limit) == ("denial", "NATO", "3d", True, None)
    defaults = build_parser().parse_args(["stories"])
    assert (defaults.type, defaults.actor, defaults.since, defaults.json) == (None, None, None, False)


@pytest.mark.parametrize("argv", [["stories", "--type", "invasion"], ["stories", "--limit", "0"], ["stories", "x"]])
def test_bad_arguments_exit_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("newsevents") and "--help" in error


def test_a_bad_since_exits_2_before_any_kafka_connection(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    from streams.commands import cli

    # No broker on this port: reaching the connection check would be exit 3 after a timeout, not 2 at once.
    monkeypatch.setenv("NEWSEVENTS_BOOTSTRAP_SERVERS", "127.0.0.1:9")
    assert cli.main(["stories", "--since", "yesterday"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("newsevents stories: --since: cannot read 'yesterday'") and error.count("\n") == 1
