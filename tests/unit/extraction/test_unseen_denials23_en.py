"""English counter-accusations written for the twenty-third session (none from the pool; BBC 2004-05 / AG News 2004
and 2021-24 headline style): an actor accusing its accuser of distorting, exaggerating, fabricating, misrepresenting
or inventing a claim, record or figure, or of making or presenting false claims, dismisses that claim (cues.json
en.denial.counter_accuse); and the near misses that must stay quiet: the accused in a passive or a reduced relative
("was accused of exaggerating", "a journalist accused of inventing"), a charge brought by police or prosecutors,
spreading lies named by a third party, a negated or hypothetical accusation, history, "did not deny", a court or
an offer rejected, a visa denied."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (expected actor name, its state code or None; the text)
COUNTER_ACCUSATIONS = [
    (("Sudan's", "SDN"), "Sudan's government accused aid agencies of exaggerating the scale of the crisis in Darfur."),
    (("Yukos", None), "Yukos accused the prosecutors of fabricating the tax claims against the company."),
    (("Kremlin", "RUS"), "The Kremlin accused Western media of distorting its role in the Ukrainian election."),
    (("John Kerry", None), "John Kerry accused President Bush of misrepresenting his record on defence spending."),
    (
        ("Iraq's", "IRQ"),
        "Iraq's interim government accused the television channel of inventing reports of a massacre in Falluja.",
    ),
    (("Pentagon", "USA"), "The Pentagon accused the newspaper of twisting the words of its commanders."),
    (("Khartoum", "SDN"), "Khartoum accused the United States of lying about the number of deaths in Darfur."),
    (("Hungary", "HUN"), "Hungary accuses Brussels of misrepresenting its migration law"),
    (("Moscow", "RUS"), "Moscow accuses Kyiv of distorting the facts on Bucha killings"),
    (("Israel", "ISR"), "Israel accused the aid group of making false claims about its troops."),
    (("Tehran", "IRN"), "Tehran accuses Washington of presenting fabricated reports on its nuclear sites"),
]

NEAR_MISSES = [
    "The Iraqi minister was accused of distorting the figures on weapons programmes.",
    "Blair has been accused of exaggerating the threat posed by Saddam Hussein.",
    "Critics say the tycoon, accused of fabricating the accounts, faces ten years in prison.",
    "A journalist accused of inventing his reports was sacked by the newspaper on Friday.",
    "Prosecutors accused Khodorkovsky of evading taxes worth billions of dollars.",
    "Russian prosecutors accused Yukos of falsifying its tax returns.",
    "Police accused the driver of lying about the crash.",
    "Moscow police accused the man of inventing a bomb threat.",
    "The opposition did not accuse the government of distorting the figures.",
    "Fact-checkers accused the campaign group of spreading lies about the vaccine.",
    "Russia is spreading lies about the war, says UK defence chief",
    "Accusations of exaggerating the threat have dogged the government since 2003.",
    "In 1998 the newspaper accused the minister of distorting the truth.",
    "The government did not deny the report that troops had entered Falluja.",
    "The court rejected the appeal by Yukos against the tax claims.",
    "A spokesman refused to confirm or deny the report.",
    "Sudan denied visas to the aid workers on Monday.",
    "Chelsea rejected the offer from Madrid for the defender.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _denials(extractor: Extractor, text: str) -> list[tuple[str, str | None]]:
    events = extractor.extract(Article(id="unseen", text=text, lang="en")).events
    return [(e.actor.name, e.actor.country) for e in events if e.type == "denial"]


@pytest.mark.parametrize(("actor", "text"), COUNTER_ACCUSATIONS)
def test_a_counter_accusation_of_falsifying_is_a_denial(
    extractor: Extractor, actor: tuple[str, str | None], text: str
) -> None:
    assert actor in _denials(extractor, text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_accused_party_or_a_charge_is_no_denial(extractor: Extractor, text: str) -> None:
    assert _denials(extractor, text) == []
