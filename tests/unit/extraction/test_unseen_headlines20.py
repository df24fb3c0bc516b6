"""English headlines written for the twentieth session's headline check (none from the pool): headline grammar (no
article, present tense for the past, "to" for the future, a colon lead, a trailing "says X") read by the whole
extractor, and the near misses it must leave alone (a demand, a refusal, sport and business, a court, history)."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (type, whether an event of the type stands, headline)
ROWS = [
    ("policy_shift", True, "Japan to impose sanctions on Russian banks"),
    ("policy_shift", True, "EU imposes sanctions on Serbian football club owners"),
    ("policy_shift", True, "US, UK and Japan to freeze assets of Russian central bank"),
    ("deployment", True, "Norway to send 200 troops to Lithuania"),
    ("deployment", True, "Poland deploys troops to Belarus border amid migrant standoff"),
    ("policy_shift", True, "Finland lifts ban on Russian tourists"),
    ("denial", True, "Ukraine war: Kremlin denies plan to mobilise reservists"),
    ("denial", True, "Kremlin dismisses reports of Putin illness as 'fake news'"),
    ("policy_shift", True, "Berlin U-turn on arms exports to Kyiv"),
    ("deployment", True, "Britain to station warships in Gulf as tensions rise"),
    ("denial", True, "Estonia rejects 'baseless' claims of spying, foreign ministry says"),
    ("policy_shift", True, "Hungary drops veto on EU aid package for Ukraine"),
    ("deployment", True, "US sends aircraft carrier to eastern Mediterranean"),
    ("policy_shift", True, "Germany sending Leopard tanks to Kyiv for first time, says Scholz"),
    ("deployment", False, "Calls for Nato to deploy troops to Ukraine grow"),
    ("deployment", False, "Britain will not send troops to Ukraine, says PM"),
    ("deployment", False, "Amazon to deploy delivery drones across Europe"),
    ("deployment", False, "Manchester United deploy new striker in cup final"),
    ("deployment", False, "Bank deploys capital to emerging markets"),
    ("deployment", False, "Police deployed for derby match at Wembley"),
    ("denial", False, "Court rejects appeal by Russian oligarch over sanctions"),
    ("policy_shift", False, "Opposition calls for government to change course on migration"),
    ("policy_shift", False, "Government reaffirms commitment to two-state solution"),
    ("deployment", False, "How the Soviet army sent troops to Afghanistan in 1979"),
    ("policy_shift", False, "Nato chief says alliance will keep its policy unchanged"),
    ("policy_shift", False, "Central banks raise interest rates as Russian gas prices soar"),
    ("policy_shift", False, "Premier League club lifts ban on supporters' flags"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("type_", "stands", "headline"), ROWS)
def test_an_unseen_headline_is_read_as_its_kind(extractor: Extractor, type_: str, stands: bool, headline: str) -> None:
    events = extractor.extract(Article(id="unseen", text=headline, lang="en")).events
    assert any(e.type == type_ for e in events) is stands


@pytest.mark.parametrize(
    ("headline", "actors"),
    [
        ("Japan to impose sanctions on Russian banks", {"JPN"}),
        ("EU imposes sanctions on Serbian football club owners", {None}),
        ("US, UK and Japan to freeze assets of Russian central bank", {"USA", "GBR", "JPN"}),
    ],
)
def test_the_target_a_sanction_names_is_no_sign_of_banking_or_sport(
    extractor: Extractor, headline: str, actors: set[str | None]
) -> None:
    # "banks", "club", "central bank" disqualify a policy cue in their own domain; after "sanctions on" they name
    # whom the sanction hits (cues.json SANCTION_TARGET).
    events = extractor.extract(Article(id="target", text=headline, lang="en")).events
    assert {e.actor.country for e in events if e.type == "policy_shift"} == actors


@pytest.mark.parametrize(
    ("headline", "actors"),
    [
        ("Germany sending Leopard tanks to Kyiv for first time, says Scholz", {"DEU"}),
        ("UK and US sending more missiles to Ukraine", {"GBR", "USA"}),
        ("Ukraine war: Norway sending air-defence systems to Kyiv", {"NOR"}),
        ("Analysts say sending tanks to Kyiv is a risk", set()),
        ("Critics of the plan fear sending missiles would escalate the war", set()),
    ],
)
def test_a_headline_participle_is_its_opening_subject_s_step(
    extractor: Extractor, headline: str, actors: set[str]
) -> None:
    # The headline drops "is": "UK sending missiles" (en.policy_shift.headline_participle, opening_subject). The
    # participle anywhere else is no one's step of its own ("sending tanks is a risk").
    events = extractor.extract(Article(id="participle", text=headline, lang="en")).events
    found = {e.actor.country for e in events if e.type == "policy_shift" and e.evidence.rule.endswith("participle")}
    assert found == actors
