"""Extraction behaviour on small dev sentences written for these tests (not from the golden sets)."""

from __future__ import annotations

import time

import pytest
from support.extraction import events_of as _events

from schemas import Article
from streams.extraction import EXTRACTOR_VERSION, ExtractionResult, ExtractionTimeout, extract
from streams.extraction.lexicon import load_lexicon
from streams.extraction.numbers import NumberParser


def _one(text: str, lang: str | None = "de", kind: str | None = None):
    events = _events(text, lang, kind)
    assert len(events) == 1, [(e.type.value, e.actor.name) for e in events]
    return events[0]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("lang", "text", "value", "qualifier"),
    [
        ("de", "mindestens 3.000 Soldaten", 3000, "at_least"),
        ("de", "rund 12.000 Soldaten", 12000, "around"),
        ("de", "12 000 Soldaten", 12000, "exact"),
        ("de", "bis zu 1,5 Millionen Soldaten", 1_500_000, "up_to"),
        ("de", "zwei Fregatten", 2, "exact"),
        ("en", "3,000 troops", 3000, "exact"),
        ("en", "at least 3,000 troops", 3000, "at_least"),
        ("en", "up to 1.5 million troops", 1_500_000, "up_to"),
        ("en", "two battalions", 2, "exact"),
    ],
)
def test_amounts(lang: str, text: str, value: int, qualifier: str) -> None:
    parser = NumberParser(load_lexicon(lang).numbers)
    [amount, *_] = parser.amounts(text, 0, len(text))
    assert (amount.value, amount.qualifier) == (value, qualifier)


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("de", "zwei tauſend Soldaten", 2000),  # long s: the regex matches it as "s", lower() keeps it
        ("de", "ZWEİ Fregatten", 2),  # dotted capital I lowercases to "i" plus a combining dot
        ("en", "fıve battalions", 5),  # dotless i
        ("en", "ſome three thouſand troops", 3000),
    ],
)
def test_number_words_in_letters_the_regex_folds_differently_from_lower(lang: str, text: str, value: int) -> None:
    # re.IGNORECASE matched these words but the table lookup with str.lower() raised KeyError (extraction failed).
    parser = NumberParser(load_lexicon(lang).numbers)
    assert [amount.value for amount in parser.amounts(text, 0, len(text))][-1] == value


def test_vague_amounts_have_no_value() -> None:
    parser = NumberParser(load_lexicon("de").numbers)
    [amount] = parser.amounts("Dutzende Soldaten", 0, 17)
    assert amount.value is None
    event = _one("Russland hat Dutzende Soldaten nach Belarus verlegt.")
    assert event.quantity is None


def test_quantity_and_unit_in_an_event() -> None:
    event = _one("The US will send two battalions to Poland.", "en")
    assert (event.quantity.value, event.quantity.qualifier.value, event.quantity.unit) == (2, "exact", "battalions")
    event = _one("Russland hat rund 12.000 Soldaten in die Region Belgorod verlegt.")
    assert (event.quantity.value, event.quantity.qualifier.value) == (12000, "around")


# ---------------------------------------------------------------- actors and places


@pytest.mark.parametrize(
    ("text", "country", "name"),
    [
        ("Nordkoreanische Soldaten sind in Russland angekommen.", "PRK", "Nordkoreanische Soldaten"),
        (
            "Die Stationierung nordkoreanischer Soldaten in Russland beunruhigt Seoul.",
            "PRK",
            "nordkoreanischer Soldaten",
        ),
        ("Pjöngjang hat weitere Truppen nach Russland geschickt.", "PRK", "Pjöngjang"),
        ("Der Kreml hat Truppen an die Grenze zu Finnland verlegt.", "RUS", "Kreml"),
        ("Washington entsendet zusätzliche Kampfjets nach Polen.", "USA", "Washington"),
        ("US-Soldaten wurden nach Rumänien verlegt.", "USA", "US-Soldaten"),
    ],
)
def test_german_actors(text: str, country: str, name: str) -> None:
    event = _one(text, "de", "deployment")
    assert (event.actor.country, event.actor.name, event.actor.kind.value) == (country, name, "state")


def test_the_force_owner_beats_the_place() -> None:
    event = _one("Ukrainische Truppen sind in die russische Region Kursk vorgestoßen und wurden dort stationiert.")
    assert (event.actor.country, event.location.name, event.location.country) == ("UKR", "Kursk", "RUS")


def test_genitive_and_possessive_names() -> None:
    event = _one("Russlands Regierung bestreitet die Berichte.", kind="denial")
    assert event.actor.country == "RUS"
    event = _one("Russia's foreign ministry denied the reports.", "en", "denial")
    assert event.actor.country == "RUS"


def test_organisations_have_no_country() -> None:
    event = _one("Die NATO verlegt zusätzliche Truppen nach Litauen.")
    assert (event.actor.name, event.actor.country, event.actor.kind.value) == ("NATO", None, "organization")
    event = _one("Hezbollah denied the reports.", "en")
    assert (event.actor.country, event.actor.kind.value) == (None, "armed_group")


def test_location_with_region_noun_and_demonym() -> None:
    event = _one("Die ersten nordkoreanischen Soldaten sollen in der russischen Grenzregion Kursk angekommen sein.")
    assert (event.location.name, event.location.country) == ("Kursk", "RUS")
    event = _one("Russland hat Truppen in Russland zusammengezogen.")
    assert event.location is None or event.location.country == "RUS"


def test_german_compounds_and_nouns() -> None:
    event = _one("Die Truppenentsendung Frankreichs nach Estland wurde am Montag abgeschlossen.")
    assert event.actor.country == "FRA" and event.location.country == "EST"
    event = _one("Die Stationierung deutscher Soldaten in Litauen beginnt.")
    assert (event.actor.country, event.location.country) == ("DEU", "LTU")


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Putin dementierte die Berichte aber auch nicht.", "de"),
        ("Der Kanzler schließt die Entsendung von Bodentruppen in die Ukraine aus.", "de"),
        ("Deutschland wird keine Soldaten in die Ukraine schicken.", "de"),
        ("Germany ruled out sending troops to Ukraine.", "en"),
        ("North Korea did not deny the reports.", "en"),
        ("Japan refused to send troops to Iraq.", "en"),
        ("Apple deployed a software update to millions of phones.", "en"),
        ("The embassy denied him a visa.", "en"),
        ("Russia withdrew its troops from Kherson.", "en"),
        ("The government reaffirmed its policy on arms exports.", "en"),
        ("Die Regierung will an ihrer Politik festhalten.", "de"),
        ("In 1944, American troops landed in Normandy.", "en"),
    ],
)
def test_no_event(text: str, lang: str) -> None:
    assert _events(text, lang) == []


def test_a_denied_deployment_is_a_denial_only() -> None:
    [event] = _events("Russia denied sending troops to Belarus.", "en")
    assert (event.type.value, event.actor.country) == ("denial", "RUS")


@pytest.mark.parametrize(
    ("text", "lang", "modality"),
    [
        ("Russland könnte weitere Soldaten nach Belarus schicken.", "de", "possible"),
        ("Russland soll weitere Soldaten nach Belarus geschickt haben.", "de", "reported"),
        ("Russland hat weitere Soldaten nach Belarus geschickt.", "de", "asserted"),
        ("Russia may send more troops to Belarus.", "en", "possible"),
        ("Russia has reportedly sent more troops to Belarus.", "en", "reported"),
        ("Russia sent more troops to Belarus, Ukrainian officials said.", "en", "reported"),
        ("Russia sent more troops to Belarus.", "en", "asserted"),
    ],
)
def test_modality(text: str, lang: str, modality: str) -> None:
    assert _one(text, lang).modality.value == modality


@pytest.mark.parametrize(
    ("text", "lang", "source"),
    [
        (
            "Laut dem ukrainischen Generalstab hat Russland 5.000 Soldaten nach Belarus verlegt.",
            "de",
            "ukrainischen Generalstab",
        ),
        (
            "Russland hat 5.000 Soldaten nach Belarus verlegt, teilte das Verteidigungsministerium in Kiew mit.",
            "de",
            "Verteidigungsministerium",
        ),
        # "X geht davon aus, dass ...": X's assessment (kursk example, event 3), with or without a word in between.
        ("Polen geht aber davon aus, dass Russland 5.000 Soldaten nach Belarus schicken könnte.", "de", "Polen"),
        ("Die Nato geht davon aus, dass Russland 5.000 Soldaten nach Belarus verlegt hat.", "de", "Nato"),
        ("Russia moved 5,000 troops to Belarus, according to Ukrainian intelligence.", "en", "Ukrainian intelligence"),
        ("Russia moved 5,000 troops to Belarus, Ukraine's defence minister said.", "en", "Ukraine's defence minister"),
    ],
)
def test_attribution(text: str, lang: str, source: str) -> None:
    assert _one(text, lang).attribution == source


def test_policy_shift_and_reaffirmation() -> None:
    event = _one("Die Bundesregierung vollzieht eine Kehrtwende bei den Waffenlieferungen.", kind="policy_shift")
    assert event.actor.country == "DEU"
    event = _one("The European Union lifted its arms embargo on Vietnam.", "en", "policy_shift")
    assert event.actor.name == "European Union"
    assert _events("Britain will stick to its policy and keep the arms embargo.", "en", "policy_shift") == []


# ---------------------------------------------------------------- article level


def test_repeats_merge_into_mentions_with_exact_offsets() -> None:
    text = (
        "Russland hat Truppen nach Belarus verlegt. Das meldet die Agentur.\n\n"
        "Nach Angaben aus Kiew sollen mindestens 3.000 russische Soldaten nach Belarus verlegt worden sein."
    )
    [event] = _events(text)
    assert event.actor.country == "RUS" and event.location.country == "BLR" and len(event.mentions) == 1
    assert event.quantity.value == 3000
    for evidence in (event.evidence, event.mentions[0].evidence):
        assert text[evidence.start : evidence.end] == evidence.text


def test_event_ids_are_stable_and_deterministic() -> None:
    article = Article(id="same", text="Russia sent 500 troops to Belarus. Moscow denied the reports.", lang="en")
    first, second = extract(article), extract(article)
    assert first == second
    assert [e.model_dump_json() for e in first.events] == [e.model_dump_json() for e in second.events]
    assert len({e.event_id for e in first.events}) == 2
    other = extract(article.model_copy(update={"id": "other"}))
    assert {e.event_id for e in other.events}.isdisjoint({e.event_id for e in first.events})


def test_result_contract() -> None:
    result = extract(Article(id="x", text="Russia sent troops to Belarus.", lang="EN-gb"))
    assert isinstance(result, ExtractionResult) and result.lang == "en" and result.supported
    assert all(e.extractor_version == EXTRACTOR_VERSION and e.lang == "en" for e in result.events)
    assert EXTRACTOR_VERSION.startswith("0.1.0+lex.")


def test_language_detection_and_unsupported_languages() -> None:
    german = extract(
        Article(
            id="d",
            text="Die Bundeswehr hat am Montag weitere Soldaten nach Litauen verlegt, teilte das Ministerium mit.",
        )
    )
    assert german.lang == "de" and german.supported and german.events
    spanish = extract(
        Article(
            id="s",
            text="Rusia ha enviado miles de soldados adicionales a Bielorrusia, según el ministerio de Defensa.",
        )
    )
    assert (spanish.lang, spanish.supported, spanish.events) == ("es", False, ())
    assert extract(Article(id="u", text="1234 5678 !!!")).lang == "und"


# ---------------------------------------------------------------- adversarial input
# CPU time, not wall time: other processes on a busy machine must not make these fail.


@pytest.mark.slow
def test_one_megabyte_without_punctuation_is_fast() -> None:
    text = ("Russland schickt Soldaten nach Belarus und " * 25_000)[:1_000_000]
    started = time.process_time()
    extract(Article(id="big", text=text, lang="de"))
    assert time.process_time() - started < 5


@pytest.mark.slow
def test_a_cue_repeated_100000_times_is_fast() -> None:
    text = "deploy " * 100_000
    started = time.process_time()
    extract(Article(id="cue", text=text, lang="en"))
    assert time.process_time() - started < 5


def test_thousands_of_numbers_are_fast() -> None:
    text = "Russia sent " + " ".join(f"{n:,} troops" for n in range(1000, 40_000, 7)) + " to Belarus."
    started = time.process_time()
    extract(Article(id="num", text=text, lang="en"))
    assert time.process_time() - started < 5


def test_the_time_budget_raises() -> None:
    text = "Russia sent troops to Belarus. " * 20_000
    with pytest.raises(ExtractionTimeout):
        extract(Article(id="slow", text=text, lang="en"), time_budget_seconds=0.001)
