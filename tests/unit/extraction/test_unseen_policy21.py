"""English policy shifts written for the twenty-first session's check (none from the pool): a headline's infinitive or
present tense with a rule-changing verb and its object, the BBC's "is to" and "has decided to", a change in the amount
of aid, and the near misses they must leave alone (a demand, the opposition, a company, a court, history, a denial)."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (sentence, the countries of its policy shifts, the rule that reads it); an empty set: no policy shift stands.
ROWS = [
    ("France to cut fuel duty as prices soar", {"FRA"}, "en.policy_shift.headline_infinitive"),
    ("Denmark caps the number of refugees it will take this year", {"DNK"}, "en.policy_shift.headline_infinitive"),
    ("China eases its quota on textile imports from Pakistan", {"CHN"}, "en.policy_shift.headline_infinitive"),
    ("Britain to roll back its planned cuts in police funding", {"GBR"}, "en.policy_shift.headline_infinitive"),
    ("Sweden raises the ceiling on child benefit payments", {"SWE"}, "en.policy_shift.headline_infinitive"),
    ("Beijing to abolish agricultural tax from next year", {"CHN"}, "en.policy_shift.headline_infinitive"),
    ("Greece to phase out coal by 2028", {"GRC"}, "en.policy_shift.headline_infinitive"),
    ("EU extends sanctions on Russia for six months", {None}, "en.policy_shift.headline_infinitive"),
    ("Austria is to phase out its border checks with Germany by the summer.", {"AUT"}, "en.policy_shift.is_to"),
    ("Hungary is to tighten its asylum law after the summer's arrivals.", {"HUN"}, "en.policy_shift.is_to"),
    ("Japan has doubled its aid to the tsunami-hit countries of Asia.", {"JPN"}, "en.policy_shift.scale"),
    (
        "Italy said the amount of food aid for the region will be stepped up next month.",
        {"ITA"},
        "en.policy_shift.scale",
    ),
]

NEAR_MISSES = [
    "Protesters urged Berlin to scrap the new immigration rules.",
    "The opposition leader said his party would abolish the tax if elected.",
    "A court in Vienna rejected an appeal against the asylum law.",
    "The government said there would be no change to its policy on refugees.",
    "Unilever is to phase out palm oil from its products by 2025.",
    "Police at the derby were told to tighten checks on ticket holders.",
    "The minister denied that ministers had decided to ease the rules on visas.",
    "In 1990 the government lifted the ban on the party.",
    "Analysts said the Bank of England is to raise interest rates next month.",
    "Shares rose after the company decided to double its dividend.",
    "The union is to call for the cap on public sector pay to be lifted.",
    "If elected, the Conservatives would scrap the scheme.",
    "Toyota caps the number of cars it exports to Europe",
    "Aid agencies hope the new pier will increase the amount of aid reaching the coast.",
    "No U-turn on tuition fees, says minister",
    "Opposition to scrap ID cards if it wins election",
    "UK to keep ban on fracking in place",
    "Germany will not ease sanctions on Russia, says Scholz",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("text", "actors", "rule"), ROWS)
def test_a_change_of_rules_is_its_government_s_policy_shift(
    extractor: Extractor, text: str, actors: set[str | None], rule: str
) -> None:
    events = [
        e for e in extractor.extract(Article(id="unseen", text=text, lang="en")).events if e.type == "policy_shift"
    ]
    assert {e.actor.country for e in events} == actors
    assert rule in {e.evidence.rule for e in events}


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_demand_a_company_a_court_or_history_is_no_policy_shift(extractor: Extractor, text: str) -> None:
    events = extractor.extract(Article(id="near", text=text, lang="en")).events
    assert not [e for e in events if e.type == "policy_shift"]


@pytest.mark.parametrize(
    "text",
    [
        "Officials said it was for the government to scrap the scheme.",
        "Critics say the plan to cut fuel duty came too late.",
    ],
)
def test_the_headline_infinitive_needs_the_opening_name(extractor: Extractor, text: str) -> None:
    # "to cut" reads as the headline's dropped "is to" only right after the opening name ("France to cut ...").
    events = extractor.extract(Article(id="opening", text=text, lang="en")).events
    assert "en.policy_shift.headline_infinitive" not in {e.evidence.rule for e in events}
