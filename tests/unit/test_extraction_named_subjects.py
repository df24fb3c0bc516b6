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
