"""Actors a sentence only refers to (referents.py, text.json "referring"): 'It denied ...', 'The group rejects ...',
'Er wies die Vorwürfe zurück' act for whom the text named before; forces counted without their owner ('Soldaten
sind im Einsatz') act for the article's state where the language opts in. Language differences are data only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError
from support.extraction import events_of, one_event
from support.sentences import sentence_table

from schemas import Article
from streams.extraction import Extractor
from streams.extraction.lexicon import DEFAULT_ROOT, read_lexicon

RULES_ONLY = Extractor(model_root=None)


def _denials(text: str, lang: str, extractor: Extractor = RULES_ONLY) -> list[tuple[str, str | None]]:
    events = extractor.extract(Article(id="a", text=text, lang=lang)).events
    return [(e.actor.name, e.actor.country) for e in events if e.type.value == "denial"]


def _with_referring(tmp_path: Path, lang: str, **changes: object) -> Path:
    """A copy of a language's lexicon whose text.json "referring" has the given keys changed."""
    folder = shutil.copytree(DEFAULT_ROOT / lang, tmp_path / lang)
    path = folder / "text.json"
    text = json.loads(path.read_text(encoding="utf-8"))
    text["referring"].update(changes)
    path.write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")
    return folder


# ------------------------------------------------------------------ people and bodies referred to


@sentence_table("text", "name", "country")
def test_a_referring_subject_acts_for_the_actor_named_before(
    lang: str, text: str, name: str, country: str | None
) -> None:
    assert _denials(text, lang) == [(name, country)]


@sentence_table("text")
def test_a_referring_subject_without_a_fitting_actor_before_names_no_one(lang: str, text: str) -> None:
    assert _denials(text, lang) == []


@sentence_table("text", "name", "country")
def test_a_subject_after_the_finite_verb_or_after_adjectives_is_read_as_one_opening_the_clause(
    lang: str, text: str, name: str, country: str | None
) -> None:
    # "Am Freitag dementierte der Verband", "Die schiitische Miliz bestritt": where the verb comes second the subject
    # may follow it, and adjectives may stand between its article and noun; a private party's noun denies itself, a
    # role noun stands for the actor named before, an organisation's noun for the organisation.
    assert _denials(text, lang) == [(name, country)]


def test_the_languages_read_their_referring_words_as_their_data_says(tmp_path: Path) -> None:
    # English "it" opens the sentence and may stand for a state; German "er" may stand anywhere in the clause, for a
    # person only, and only where no name in the clause acts: the "reading" key of text.json "referring".
    english, german = read_lexicon(DEFAULT_ROOT / "en").text.referring, read_lexicon(DEFAULT_ROOT / "de").text.referring
    assert (english.reading, english.pronouns["it"]) == ("sentence_opening", "state or organisation")
    assert (german.reading, set(german.pronouns.values()), german.event_types) == ("clause", {"person"}, ["denial"])
    assert german.pronoun_event_types == ["policy_shift", "deployment"]
    # Without "it" among its pronouns, English no longer reads "It" as the state named before.
    pronouns = {"he": "person", "she": "person"}
    extractor = Extractor(root=_with_referring(tmp_path, "en", pronouns=pronouns).parent, model_root=None)
    text = "Peru moved two frigates into the bay on Monday. It has consistently denied reports of a blockade."
    assert _denials(text, "en") == [("Peru", "PER")]
    assert _denials(text, "en", extractor) == []


def test_either_reading_stands_for_the_referent_its_word_may_mean(tmp_path: Path) -> None:
    # Read as German reads "er", English "it" still stands for a state or organisation: the last one named before.
    text = "Jane Doe met officials from Peru on Monday. It has consistently denied reports of a blockade."
    assert _denials(text, "en") == []  # the opening reading takes no name after a preposition ("from Peru")
    extractor = Extractor(root=_with_referring(tmp_path, "en", reading="clause").parent, model_root=None)
    assert _denials(text, "en", extractor) == [("Peru", "PER")]


def _policy_shifts(text: str, extractor: Extractor = RULES_ONLY) -> list[tuple[str, str | None]]:
    events = extractor.extract(Article(id="a", text=text, lang="de")).events
    return [(e.actor.name, e.actor.country) for e in events if e.type.value == "policy_shift"]


def test_a_pronoun_alone_stands_for_the_officeholder_who_shifts_a_policy(tmp_path: Path) -> None:
    # "pronoun_event_types": the officeholder named before acts for their state; no role noun refers ("Das Paket"),
    # and a pronoun does not own a cue that is a noun ("nach dem Bruch mit ...": she does something else).
    named = "Giorgia Meloni sprach am Abend in Rom. "
    text = named + "Sie legte den Bau der Brücke nach Sizilien auf Eis."
    assert _policy_shifts(text) == [("Giorgia Meloni", "ITA")]
    assert _policy_shifts(named + "Kurz darauf verhängte sie neue Zölle auf Importe aus Kanada.") == [
        ("Giorgia Meloni", "ITA")
    ]
    assert _policy_shifts(named + "Das Paket bedeutet einen Kurswechsel.") == []
    assert _policy_shifts(named + "Nach dem Bruch mit den Liberalen könne sie gut weiterarbeiten.") == []
    # Without the reading (and without agentless.py's referring subjects, which would read 'Sie' as well) no one acts.
    off = _with_referring(tmp_path, "de", pronoun_event_types=[], back_subjects=[])
    assert _policy_shifts(text, Extractor(root=off.parent, model_root=None)) == []


def test_a_pronoun_alone_stands_for_the_officeholder_who_sends_forces(tmp_path: Path) -> None:
    # "pronoun_event_types" has deployment too: "er" after a listed officeholder is the sender, with their state;
    # named states alone give the pronoun no one (test_a_force_whose_owner_is_only_referred_to_has_no_actor).
    named = "Premierminister Keir Starmer sprach am Abend mit Reportern. "
    text = named + "Er werde notfalls weitere Soldaten nach Estland entsenden."
    assert _deployments(text) == [("Keir Starmer", "GBR")]
    assert _deployments(named + "Dann schickte er weitere Soldaten nach Estland.") == [("Keir Starmer", "GBR")]
    # Only a listed actor with a state: a person the lists lack, however often named, sends no one.
    unlisted = "Der Spieleentwickler Max Beispiel stellte sein Spiel vor. Beispiel sprach von Rittern. "
    assert _deployments(unlisted + "Dann schickte er weitere Soldaten nach Estland.") == []
    off = _with_referring(tmp_path, "de", pronoun_event_types=["policy_shift"], back_subjects=[])
    assert _deployments(text, Extractor(root=off.parent, model_root=None)) == []


def test_a_pronoun_stands_only_for_the_sole_officeholder_of_the_sentence_before() -> None:
    # Review 17, finding 6: "er" continues the subject, not whom the subject threatened, warned of or met; a sentence
    # naming two officeholders, or opening with an article and a role noun, gives the pronoun no one.
    for text in (
        "Biden drohte Lukaschenko mit Folgen. Er habe Kriegsschiffe vor die Küste geschickt.",
        "Erdogan warnte am Abend vor Putin. Er schickt weitere Soldaten an die Grenze.",
        "Der Generalinspekteur traf Pistorius am Montag. Er verlegte daraufhin 200 Soldaten nach Estland.",
        "Macron sprach mit Meloni. Sie wollen gemeinsam Soldaten nach Zypern schicken.",
    ):
        assert not [name for name, country in _deployments(text) if country is not None and name != "Soldaten"], text
    assert _deployments("Putin regiert seit langem. Er hat im Winter Truppen nach Belarus geschickt.") == [
        ("Putin", "RUS")
    ]


def test_a_pronoun_of_the_main_clause_is_no_subject_of_a_relative_clause() -> None:
    # Review 17, finding 7: "die in Polen stationiert sind" has the relative pronoun as its subject.
    for text in (
        "Putin sprach am Abend im Fernsehen. Er lobte die Soldaten, die in Belarus stationiert sind.",
        "Merz sprach am Abend im Fernsehen. Er dankte den Soldaten, die in Estland stationiert sind.",
    ):
        assert _deployments(text) == [], text


def _deployments(text: str, extractor: Extractor = RULES_ONLY) -> list[tuple[str, str | None]]:
    events = extractor.extract(Article(id="a", text=text, lang="de")).events
    return [(e.actor.name, e.actor.country) for e in events if e.type.value == "deployment"]


def test_the_state_an_officeholder_calls_their_own_shifts_through_them(tmp_path: Path) -> None:
    # "own_state": "sein Land" opening the cue's clause is the state of the officeholder the sentence names before it
    # (not one after a preposition), ahead of the names the clause holds ("dem Partner Armenien").
    text = (
        "Recep Tayyip Erdogan erklärte, sein Land werde Projekten zwischen der EU und dem Partner Armenien künftig "
        "nicht mehr zustimmen."
    )
    assert _policy_shifts(text) == [("Recep Tayyip Erdogan", "TUR")]
    met = "Giorgia Meloni sagte nach dem Treffen mit Emmanuel Macron, ihr Land werde die Zölle auf Stahl aussetzen."
    assert _policy_shifts(met) == [("Giorgia Meloni", "ITA")]
    assert _policy_shifts("Der Sänger sagte, sein Land habe die Beziehungen zu Kuba abgebrochen.") == []
    extractor = Extractor(root=_with_referring(tmp_path, "de", own_state=[]).parent, model_root=None)
    assert _policy_shifts(text, extractor) == [("Armenien", "ARM")]


def test_a_referent_outside_the_schema_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="person"):
        read_lexicon(_with_referring(tmp_path, "en", pronouns={"it": "place"}))
    with pytest.raises(ValidationError, match="NO_SUCH_CLASS"):
        read_lexicon(_with_referring(tmp_path / "other", "en", unowned_forces=["{NO_SUCH_CLASS}"]))


# ------------------------------------------------------------------ forces whose owner is not named


def test_a_force_without_its_owner_serves_the_article_s_state() -> None:
    # German news reports domestic forces by count alone; the article's state (or where a place puts them) owns them.
    text = "Frankreich sichert den Gipfel in Nizza. Mehr als 20.000 Polizisten und Soldaten sind im Einsatz."
    event = one_event(text, "de")
    assert (event.actor.country, event.actor.name) == ("FRA", "Polizisten")
    # Police sent somewhere count (police merely 'im Einsatz' at an event do not).
    event = one_event("Rund 3.000 Polizisten wurden nach Hamburg geschickt.", "de")
    assert (event.actor.country, event.location.country) == ("DEU", "DEU")


def test_a_force_whose_owner_is_only_referred_to_has_no_actor() -> None:
    # A pronoun or possessive stands for the owner, and "Kämpfer des Nordens" names one the lists lack: no guess.
    before = "Mexiko streitet mit den USA über die Grenze. "
    assert events_of(before + "Dazu werde er weitere Soldaten an die Grenze schicken.", "de", "deployment") == []
    assert events_of(before + "Der Trainer schickt seine Truppe nach Mailand.", "de", "deployment") == []
    assert events_of(before + "Kämpfer des Nordens wurden an die Grenze verlegt.", "de", "deployment") == []


def test_english_reads_only_plain_soldier_and_armour_words_as_unowned_forces(tmp_path: Path) -> None:
    # English force words also name attackers ("suicide bombers") and adjectives ("military action"): its text.json
    # "referring" lists only the plain words for a state's soldiers and its armour (tanks, armoured and military
    # vehicles, warships, fighter jets: war reports tell "tanks pushed into the camp" with the army named sentences
    # before; on train 8 such deployments were missed for want of an actor, sixteenth session) as unowned forces.
    text = "Mexico is tense. Two suicide bombers were deployed near the border."
    assert events_of(text, "en", "deployment") == []
    troops = "Mexico is tense. Two thousand troops were deployed near the border."
    assert [e.actor.country for e in events_of(troops, "en", "deployment")] == ["MEX"]
    tanks = "Mexico is tense. Tanks have moved closer to the middle of the border town of Nogales."
    assert [e.actor.country for e in events_of(tanks, "en", "deployment")] == ["MEX"]
    # The state the article names most owns them, not an army it names elsewhere (review 17, finding 1).
    armed = "Moldovan soldiers crossed the bridge. Ukraine, Ukraine and Ukraine voted. Troops were deployed near the border."
    assert "UKR" in {e.actor.country for e in events_of(armed, "en", "deployment")}
    # A capitalised word before them is an owner the lists lack.
    unknown = "Mexico is tense. On Friday Varnesian troops were deployed near the border."
    assert "MEX" not in {e.actor.country for e in events_of(unknown, "en", "deployment")}
    # The reading is data: a language that lists its forces there opts in.
    extractor = Extractor(root=_with_referring(tmp_path, "en", unowned_forces=["{FORCE}"]).parent, model_root=None)
    events = extractor.extract(Article(id="a", text=text, lang="en")).events
    assert [(e.type.value, e.actor.country) for e in events] == [("deployment", "MEX")]


def test_the_types_a_caption_reads_are_data(tmp_path: Path) -> None:
    # text.json referring.caption_event_types (review 17, finding 13): without it a verb-first caption names no one.
    text = "Bestreitet die Berichte: Kremlsprecher Dmitri Peskow."
    assert [e.actor.country for e in events_of(text, "de", "denial")] == ["RUS"]
    off = Extractor(root=_with_referring(tmp_path, "de", caption_event_types=[]).parent, model_root=None)
    assert not [e for e in off.extract(Article(id="a", text=text, lang="de")).events if e.type.value == "denial"]
