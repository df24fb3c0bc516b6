"""The quantities stage (streams/extraction/quantities.py, numbers.py): how many forces a deployment names."""

from __future__ import annotations

from support.extraction import events_of, one_event
from support.sentences import sentence_table
from support.stages import engine

from streams.extraction.lexicon import load_lexicon
from streams.extraction.numbers import NumberParser


@sentence_table("text", "expected")
def test_quantity(lang: str, text: str, expected: list[int | str] | None) -> None:
    assert engine(lang).quantities.quantity(text, 0, len(text)) == (None if expected is None else tuple(expected))


def test_only_the_span_is_read() -> None:
    text = "Russia has sent 1,500 troops to Syria."
    assert engine("en").quantities.quantity(text, 0, text.index("troops") + 3) is None


@sentence_table("text", "value", "qualifier")
def test_amounts(lang: str, text: str, value: int, qualifier: str) -> None:
    parser = NumberParser(load_lexicon(lang).numbers)
    [amount, *_] = parser.amounts(text, 0, len(text))
    assert (amount.value, amount.qualifier) == (value, qualifier)


@sentence_table("text", "value")
def test_number_words_in_letters_the_regex_folds_differently_from_lower(lang: str, text: str, value: int) -> None:
    # re.IGNORECASE matched these words but the table lookup with str.lower() raised KeyError (extraction failed).
    parser = NumberParser(load_lexicon(lang).numbers)
    assert [amount.value for amount in parser.amounts(text, 0, len(text))][-1] == value


def test_vague_amounts_have_no_value() -> None:
    parser = NumberParser(load_lexicon("de").numbers)
    [amount] = parser.amounts("Dutzende Soldaten", 0, 17)
    assert amount.value is None
    event = one_event("Russland hat Dutzende Soldaten nach Belarus verlegt.")
    assert event.quantity is None


def test_quantity_and_unit_in_an_event() -> None:
    event = one_event("The US will send two battalions to Poland.", "en")
    assert (event.quantity.value, event.quantity.qualifier.value, event.quantity.unit) == (2, "exact", "battalions")
    event = one_event("Russland hat rund 12.000 Soldaten in die Region Belgorod verlegt.")
    assert (event.quantity.value, event.quantity.qualifier.value) == (12000, "around")


@sentence_table("text", "country")
def test_a_year_like_number_counting_forces_is_a_quantity(lang: str, text: str, country: str) -> None:
    [event] = events_of(text, lang, "deployment")
    assert (event.actor.country, event.quantity.value if event.quantity else None) == (country, int(text.split()[2]))
