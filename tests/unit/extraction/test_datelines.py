"""Wire datelines ('LONDON (Reuters) - ', 'MOSCOW - ', 'AP - ') open many 2004 agency stories: the English view reads
them as spaces, so no place or agency there is taken for the actor and the evidence sentence starts after them.
Sentences written for the twenty-first session, none from the pool or the corpus."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor, extract

ENGLISH_VIEW = Extractor().engine("en").source_view


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("LONDON (Reuters) - The union denied the report.", "The union denied the report."),
        ("OKLAHOMA CITY - Police said the road was closed.", "Police said the road was closed."),
        ("WASHINGTON, D.C. (AP) -- The Pentagon said on Monday.", "The Pentagon said on Monday."),
        ("PARIS, France (AFP) - France said it would lift the ban.", "France said it would lift the ban."),
        ("AP - A company won a grant.", "A company won a grant."),
        ("BAGHDAD \u2013 Troops arrived.", "Troops arrived."),
    ],
)
def test_a_dateline_reads_as_spaces_and_the_view_keeps_the_length(text: str, rest: str) -> None:
    view = ENGLISH_VIEW.read(text)
    assert len(view) == len(text)
    assert view.lstrip() == rest


@pytest.mark.parametrize(
    "text",
    [
        "The UN said on Monday - as expected - that talks would resume.",
        "Britain sent troops - 500 of them - to Basra.",
        "Iraq - the story so far.",  # a capital and lowercase letters: no place in capitals
    ],
)
def test_text_that_opens_without_a_dateline_is_read_as_it_is(text: str) -> None:
    assert ENGLISH_VIEW.read(text) == text


def test_the_actor_is_the_subject_after_the_dateline_not_its_place() -> None:
    [event] = extract(Article(id="d", text="MOSCOW - Yukos denied the charges on Monday.", lang="en")).events
    assert event.actor.name == "Yukos"
    text = "LONDON - Train drivers will walk out next week. The union denied that its members would strike."
    assert all(e.actor.name != "LONDON" for e in extract(Article(id="d", text=text, lang="en")).events)


def test_the_evidence_of_a_datelined_story_starts_after_the_dateline_and_slices_the_text() -> None:
    text = "BAGHDAD (Reuters) - The US military denied that its troops had fired on the crowd."
    [event] = extract(Article(id="d", text=text, lang="en")).events
    assert event.evidence.text.startswith("The US military denied")
    assert text[event.evidence.start : event.evidence.end] == event.evidence.text
