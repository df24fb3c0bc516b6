"""English policy shifts written for the twenty-second session's check (none from the pool): a member state calling on
the EU to impose or lift a measure proposes a step of its own (ANNOTATING.md, Sanctions), and the near misses that
must stay silent (an outsider's call on the EU, a call on another state); headline forms of 2021-24 with a surname or
a capital as the actor ("Scholz signals shift on ...", "X ends ...", "X to allow ..."), "No 10" as Downing Street, and
the BBC 2004-05 forms of an announced change ("... will be scrapped", Iran's enrichment), and a bare organ as the speaker
of an announced change ("The government announced that ..."), for the one state the article names most."""

from __future__ import annotations

import pytest

from schemas import Article
from streams.extraction import Extractor

# (sentence, the countries of its policy shifts, the rule that reads it, its modality); an empty set: none stands.
ROWS = [
    ("France and Germany urged the EU to lift its arms embargo on China.", {"FRA", "DEU"}, "en.policy_shift.lift"),
    ("Chirac called on the European Union to lift the arms embargo on China.", {"FRA"}, "en.policy_shift.lift"),
    # Was a near miss in sentences/en/cues.jsonl (2026-12-06); ANNOTATING.md (session 20) labels a member's call a step.
    ("Lithuania urged the EU to adopt new sanctions against Minsk.", {"LTU"}, "en.policy_shift.sanction"),
    (
        "Spain's foreign minister has urged the European Union to impose new sanctions on Belarus.",
        {"ESP"},
        "en.policy_shift.lift",
    ),
    (
        "The Dutch government said it would press its EU partners to tighten the sanctions on Zimbabwe.",
        {"NLD"},
        "en.policy_shift.lift",
    ),
]

# (text, the countries of its policy shifts, the rule that reads it); texts of two sentences are joined by a newline.
FORMS = [
    ("Scholz signals shift on Leopard tanks", {"DEU"}, "en.policy_shift.reversal"),
    ("Macron backs down on pension age", {"FRA"}, "en.policy_shift.reversal"),
    ("Orban backs down over Sweden's Nato bid", {"HUN"}, "en.policy_shift.reversal"),
    ("Biden ends Title 42 border policy", {"USA"}, "en.policy_shift.headline_infinitive"),
    ("Japan to allow Ukrainian refugees to work", {"JPN"}, "en.policy_shift.headline_infinitive"),
    ("Sunak to ditch smoking ban", {"GBR"}, "en.policy_shift.headline_infinitive"),
    ("Biden lifts freeze on federal hiring", {"USA"}, "en.policy_shift.headline_infinitive"),
    ("No 10 scraps plan to cap benefits", {"GBR"}, "en.policy_shift.reversal"),
    ("A No 10 spokesman said the ban on fox hunting would be lifted.", {"GBR"}, "en.policy_shift.lift"),
    ("Iran will suspend uranium enrichment, its chief negotiator said.", {"IRN"}, "en.policy_shift.suspend"),
    ("Tehran said it would resume enrichment at the Isfahan plant.", {"IRN"}, "en.policy_shift.suspend"),
    (
        "Britain faces a crisis in social care.\nMinisters say the cap on care costs will be scrapped.",
        {"GBR"},
        "en.policy_shift.passive",
    ),
    ("Spain said the tax on fuel would be cut next year.", {"ESP"}, "en.policy_shift.passive"),
    (
        "Britain's universities want more foreign students.\nThe government announced that the rules on student visas"
        " will be relaxed from April.",
        {"GBR"},
        "en.policy_shift.passive",
    ),
    (
        "Italy has faced criticism over its asylum law.\nThe interior ministry said that the law would be tightened.",
        {"ITA"},
        "en.policy_shift.passive",
    ),
    (
        "France is weighing its response.\nThe ban on British beef will be lifted, the government announced.",
        {"FRA"},
        "en.policy_shift.lift",
    ),
]

NEAR_MISSES = [
    "The US urged the EU to lift its arms embargo on China.",
    "Washington called on the European Union not to lift the arms embargo on China.",
    "France urged Iran to suspend its uranium enrichment programme.",
    "Human rights groups called on the EU to impose sanctions on Sudan.",
    "Germany called on Russia to lift its ban on Polish meat imports.",
    "Norway urged the EU to ease the restrictions on its salmon exports.",
    "Apple to allow users to delete preinstalled apps",
    "High Court to allow appeal against deportation ruling",
    "Labour signals shift on tuition fees if it wins power",
    "Minister refuses to back down on benefit cuts",
    "Government will not back down over asylum plan, says minister",
    "Protesters urge Biden to end ban on oil exports",
    "Police to allow fans to enter the ground early",
    "Tesla ends production of Model S",
    "There were no 10 people there when the ban was announced in 1990.",
    "Critics fear the rules on asylum will be tightened if the Conservatives win.",
    "The UK government plans to introduce tuition fees of up to 3,000 pounds a year.",
    "The government said that the rules on student visas would be relaxed.",
    "Britain and France disagree.\nThe ministry said that the ban on beef would be lifted.",
    "Israel has pressed the UN.\nThe agency said that aid deliveries would be suspended.",
    "Iran denied that it would resume uranium enrichment.",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _policy(extractor: Extractor, text: str) -> list:
    return [e for e in extractor.extract(Article(id="unseen", text=text, lang="en")).events if e.type == "policy_shift"]


@pytest.mark.parametrize(("text", "actors", "rule"), ROWS)
def test_a_member_state_calling_on_its_union_proposes_a_shift(
    extractor: Extractor, text: str, actors: set[str | None], rule: str
) -> None:
    events = _policy(extractor, text)
    assert {e.actor.country for e in events} == actors
    assert rule in {e.evidence.rule for e in events}
    assert {e.modality.value for e in events} == {"possible"}


@pytest.mark.parametrize(("text", "actors", "rule"), FORMS)
def test_a_headline_or_an_announced_change_is_its_government_s_policy_shift(
    extractor: Extractor, text: str, actors: set[str | None], rule: str
) -> None:
    events = _policy(extractor, text)
    assert {e.actor.country for e in events} == actors
    assert rule in {e.evidence.rule for e in events}


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_an_outsider_s_call_is_no_policy_shift(extractor: Extractor, text: str) -> None:
    assert not _policy(extractor, text)


# The session's unseen-sentence check (its report): the rows read right on the branch, kept as guards.
CHECK = [
    (
        "Britain's police chiefs have long complained about the paperwork.\nThe Home Office announced that the rules on stop and search will be relaxed from next month.",
        "GBR",
    ),
    ("Chirac urged his EU partners to lift the arms embargo on China before the end of the year.", "FRA"),
    ("Schroeder called on the European Union to ease its restrictions on Chinese textile imports.", "DEU"),
    ("Iran will suspend uranium enrichment while talks with the EU continue, a senior negotiator said.", "IRN"),
    ("Tehran says it will resume enrichment at Natanz within weeks.", "IRN"),
    ("No 10 drops plans for a referendum on the EU constitution", "GBR"),
    ("Blair backs down over foundation hospitals", "GBR"),
    ("Italy's interior minister said that the asylum rules would be tightened after the summer arrivals.", "ITA"),
    ("Bush ends ban on federal funding for faith groups", "USA"),
    ("Sunak signals shift on onshore wind farms", "GBR"),
    ("Scholz backs down on Leopard tanks for Ukraine", "DEU"),
    ("Poland to allow Ukrainian grain to transit again", "POL"),
    ("Biden ditches Trump-era limit on refugee admissions", "USA"),
    (
        "Japan's farm exports have slumped.\nThe cap on rice imports will be raised next year, the government announced.",
        "JPN",
    ),
]

CHECK_QUIET = [
    "The United States urged the EU to keep its arms embargo on China.",
    "Blunkett denied that the rules on asylum would be relaxed.",
    "A court in London ruled that the ban on hunting was lawful.",
    "Tory leader Michael Howard said a Conservative government would scrap the tax.",
    "Manchester United end season with defeat at Chelsea",
    "The government said there would be no change to its policy on Iraq.",
    "Police at the match were told to tighten checks on fans.",
    "Human rights groups called on the EU to impose sanctions on Sudan over Darfur.",
    "In 1998 the government lifted the ban on the party.",
    "The company said its fees would be raised next year.",
    "Opposition signals shift on tuition fees",
    "Iran denied it would resume uranium enrichment.",
    "The union plans to call for the pay cap to be scrapped.",
]


@pytest.mark.parametrize(("text", "country"), CHECK)
def test_the_unseen_check_reads_its_policy_shifts(extractor: Extractor, text: str, country: str) -> None:
    assert country in {e.actor.country for e in _policy(extractor, text)}


@pytest.mark.parametrize("text", CHECK_QUIET)
def test_the_unseen_check_s_near_misses_stay_quiet(extractor: Extractor, text: str) -> None:
    assert not _policy(extractor, text)
