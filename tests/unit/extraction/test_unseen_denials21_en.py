"""English denials written for the twenty-first session's denial check (none from the pool; BBC 2004-05 and AG News
2004 style): a name after a lowercase descriptor ("oil giant Yukos"), a counter-claim that a report is "simply not the
case", a wrongdoing said never to have happened, strikes said to hit only fighters, and the near misses that must stay quiet (a court, "did not deny", a
refused offer or visa, a relative clause, a policy said to be unchanged)."""

from __future__ import annotations

import pytest
from support.extraction import named_actors_of

# (expected actor: its name when it has no state, else its state code; the sentence)
DENIALS = [
    ("Yukos", "The oil giant Yukos has denied the allegations of tax evasion."),
    ("Kostas Kenteris", "Greek sprinter Kostas Kenteris has denied deliberately missing a drugs test."),
    ("Tim Montgomery", "US sprinter Tim Montgomery denied ever using steroids."),
    ("Halliburton", "Oil services firm Halliburton rejected claims that it had overcharged the Pentagon."),
    ("Ahmed Chalabi", "Iraqi politician Ahmed Chalabi dismissed the accusations as nonsense."),
    ("SYR", "Damascus insisted it had not used chemical weapons against civilians."),
    ("IRN", "Iran's foreign ministry said the reports were simply not the case."),
    ("USA", "The US military said it had not mistreated prisoners at Abu Ghraib."),
    ("USA", "Rumsfeld said he had never authorised the abuse of prisoners."),
    ("Marion Jones", "Marion Jones said she had never used performance-enhancing drugs."),
    ("RUS", "The Kremlin dismissed the report as nonsense."),
    ("RUS", "Mr Putin branded the claims a fabrication."),
    ("IRN", "Tehran has repeatedly denied that its nuclear programme is aimed at building a bomb."),
    ("USA", "US officials poured cold water on the reports."),
    ("RUS", "Russia refuted claims that its soldiers had crossed the border."),
    ("IRQ", "Baghdad insisted it had no weapons of mass destruction."),
    ("RUS", "Russia's defence ministry said its jets only targeted militants in Syria."),
    ("USA", "The US military said its aircraft only struck insurgent positions in Falluja."),
]

NEAR_MISSES = [
    "The court rejected the appeal by the former Yukos chief.",
    "The athlete did not deny taking the drug but said it was prescribed.",
    "The Pentagon declined to comment on the report.",
    "A spokesman would neither confirm nor deny that talks had taken place.",
    "Russia rejected the EU's offer of mediation.",
    "The embassy denied him a visa.",
    "Police said they had never seen such crowds at a football match.",
    "He said he had never been to Baghdad before the war.",
    "Kenteris, who has never failed a drugs test, said he would appeal.",
    "Tehran said its policy had not changed.",
    "Oil giant Yukos said output had risen by five per cent.",
    "Police said the new fine only targets drivers who ignore the signs.",
    "The new tax only targets the very rich, the chancellor said.",
]


def _denials(text: str) -> list[tuple[str, str | None]]:
    return named_actors_of(text, "en", "denial")


@pytest.mark.parametrize(("actor", "text"), DENIALS)
def test_an_unseen_denial_is_found_with_its_actor(actor: str, text: str) -> None:
    found = _denials(text)
    assert any(country == actor if actor.isupper() else (name, country) == (actor, None) for name, country in found)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_unseen_near_miss_is_no_denial(text: str) -> None:
    assert _denials(text) == []
