"""Actors stage: a denial's subject that the gazetteer does not list (people and companies deny too)."""

from __future__ import annotations

import pytest
from support.extraction import events_of

from schemas import Article
from streams.extraction import Extractor


def _denials(text: str, lang: str) -> list[tuple[str, str | None, str]]:
    return [(e.actor.name, e.actor.country, e.evidence.rule) for e in events_of(text, lang, "denial")]


@pytest.mark.parametrize(
    ("lang", "text", "actor"),
    [
        (
            "de",
            "Mockridge wies die Anschuldigungen zurück, die Staatsanwaltschaft stellte ein Verfahren ein.",
            "Mockridge",
        ),
        ("de", "SPD-Generalsekretär Kevin Kühnert wies die Kritik zurück.", "SPD-Generalsekretär Kevin Kühnert"),
        ("de", "Auch Reifenhersteller Pirelli dementiert eine solche Änderung.", "Reifenhersteller Pirelli"),
        ("de", "Der Sänger Max Mustermann bestreitet die Vorwürfe vehement.", "Sänger Max Mustermann"),
        ("en", "Jane Doe denied the allegations on Tuesday.", "Jane Doe"),
        # An age or a party in parentheses between the name and its verb, and a listed place later in the sentence.
        (
            "de",
            "Ex-Nationalspieler Michael Ballack (48) räumt endgültig mit den Gerüchten um seine Lebensgefährtin Sophia "
            "Schneiderhan (24) auf.",
            "Ex-Nationalspieler Michael Ballack",
        ),
        ("en", "Jane Doe (Labour) denied the allegations.", "Jane Doe"),
    ],
)
def test_the_rules_name_an_unlisted_subject_standing_right_before_the_cue(lang: str, text: str, actor: str) -> None:
    [(name, country, rule)] = _denials(text, lang)
    assert (name, country) == (actor, None)
    assert ".model." not in rule  # a lexicon rule found it, not the learned stage


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Er wies die Anschuldigungen zurück."),  # a pronoun names no one
        ("en", "She denied the allegations."),
        ("de", "Der Musiker stritt die Vorwürfe stets ab."),  # one noun after an article: a role, not a name
    ],
)
def test_a_pronoun_or_a_bare_role_noun_is_not_taken_for_a_name(lang: str, text: str) -> None:
    rules_only = Extractor(model_root=None)
    assert [e for e in rules_only.extract(Article(id="a", text=text, lang=lang)).events] == []


def test_a_listed_actor_still_wins_over_the_words_before_the_cue() -> None:
    [(name, country, _)] = _denials("Der Kreml wies die Vorwürfe zurück.", "de")
    assert country == "RUS"


def test_a_capitalised_state_adjective_after_an_article_opens_an_organisations_name() -> None:
    # German writes adjectives lowercase: "Der Deutsche Journalisten-Verband" is the association, not Germany.
    text = "Der Deutsche Journalisten-Verband (DJV) hat die Vorwürfe gegen die Medien zurückgewiesen."
    assert [(n, c) for n, c, _ in _denials(text, "de")] == [("Deutsche Journalisten-Verband", None)]
    # ... while the lowercase adjective and a force or organ noun still name the state.
    assert [(n, c) for n, c, _ in _denials("Die japanische Regierung wies die Berichte zurück.", "de")] == [
        ("japanische Regierung", "JPN")
    ]
