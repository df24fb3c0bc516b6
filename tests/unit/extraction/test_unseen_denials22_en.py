"""English denials written for the twenty-second session's actor check (none from the pool; BBC 2004-05 and AG News
2004 style): a pronoun or role noun ("It", "the party", "the company", "the club", "the department") that stands for
the party a sentence before accused, listed or not ("Labour has been accused of ...", "prosecutors accuse Yukos of
..."); a representative for the client ("a spokesman for Yukos", "Yukos, through its lawyers,"); an unlisted name a
relative clause denies for ("X, who denies"); "she" after sentences that only refer to her ("The 41-year-old"); two
unlisted names coordinated as one subject ("Both X and Y have denied"); and the near misses that must stay quiet (a
refusal, a court, "did not deny", "declined to comment", "was denied bail", a pair that does something else)."""

from __future__ import annotations

import pytest
from support.extraction import named_actors_of

# (expected actor name, its state code or None; the text)
DENIALS = [
    (
        ("Yukos", None),
        "Russian prosecutors have accused Yukos of evading billions of dollars in taxes. The company denies the charges.",
    ),
    (
        ("Yukos", None),
        "The oil giant Yukos was accused on Monday of hiding assets abroad. It has consistently denied any wrongdoing.",
    ),
    (
        ("Labour", None),
        "Labour has been accused of misleading voters over the cost of tuition fees. But the party denies the claims.",
    ),
    (
        ("Conservative Party", None),
        "The Conservative Party was accused of accepting an illegal donation from an overseas businessman. The party"
        " denies the allegation.",
    ),
    (
        ("Halliburton", None),
        "Auditors accuse Halliburton of overcharging the army for fuel. The firm denies the allegations.",
    ),
    (
        ("Chelsea", None),
        "Chelsea were accused of making an illegal approach to the Arsenal defender. The club denies the allegations.",
    ),
    (("BBC", None), "The BBC was accused of bias in its coverage of the war. The corporation rejected the claims."),
    (
        ("Pentagon", "USA"),
        "The Pentagon was accused of covering up the abuse of prisoners at Abu Ghraib. The department denies the claims.",
    ),
    (("Mikhail Khodorkovsky", None), "Mikhail Khodorkovsky and Platon Lebedev deny all the charges against them."),
    (("Platon Lebedev", None), "Mikhail Khodorkovsky and Platon Lebedev deny all the charges against them."),
    (
        ("Kostas Kenteris", None),
        "Both Kostas Kenteris and Katerina Thanou have denied deliberately missing a drugs test.",
    ),
    (
        ("Katerina Thanou", None),
        "Both Kostas Kenteris and Katerina Thanou have denied deliberately missing a drugs test.",
    ),
    (("Tim Montgomery", None), "Marion Jones and Tim Montgomery have denied ever taking banned drugs."),
    # A representative denies for the client the lists lack (or know): "through its lawyers", "a spokesman for".
    (("Yukos", None), "A spokesman for Yukos denied the report that the company was preparing to sell its assets."),
    (("Yukos", None), "A Yukos spokesman dismissed the claims as nonsense."),
    (("Yukos", None), "Yukos, through its lawyers, denied that it owed any back taxes."),
    (("Mikhail Khodorkovsky", None), "Lawyers for Mikhail Khodorkovsky rejected the allegations."),
    (("Kenteris", None), "Kenteris's lawyer denied that the sprinter had dodged the test."),
    (("Blunkett", "GBR"), "A spokeswoman for Mr Blunkett denied the report."),
    # A subject relative clause on an unlisted name: "X, who denies ...".
    (
        ("Mikhail Khodorkovsky", None),
        "Mikhail Khodorkovsky, who denies fraud and tax evasion, appeared in court on Tuesday.",
    ),
    (("Platon Lebedev", None), "Platon Lebedev, who has always denied the charges, was sentenced on Monday."),
    # "She" after sentences that only refer to her ("The presenter", "The 41-year-old") stands for the name before them.
    (
        ("Kelly Holmes", None),
        "Kelly Holmes won the race in Athens. The 34-year-old celebrated with her family. The athlete later spoke to"
        " reporters. She denied that she had considered quitting the sport.",
    ),
    (
        ("Jane Hollis", None),
        "Jane Hollis has said police checked on her family after threats. The presenter added the trouble followed a"
        " rally in Leeds. The 41-year-old later faced accusations of racism. She continues to strongly deny them.",
    ),
    # Already read by the base (listed names), kept as guards of the same construction.
    (("Syria", "SYR"), "Syria has been accused of letting insurgents use its territory. It denies the accusation."),
    (
        ("Iran", "IRN"),
        "Iran has been accused of secretly enriching uranium. It denies that it is seeking nuclear weapons.",
    ),
    (
        ("Syria", "SYR"),
        "Washington has accused Damascus of harbouring militants who cross into Iraq. Syria denies the charge.",
    ),
]

NEAR_MISSES = [
    "The Conservative Party was accused of accepting an illegal donation. The party did not deny the report.",
    "Yukos has been accused of evading taxes. The company declined to comment.",
    "Labour has been accused of misleading voters. The party refused to confirm the figures.",
    "Yukos was accused of tax evasion. The court rejected the company's appeal on Friday.",
    "Chelsea were accused of tapping up the defender. The club rejected the offer from Madrid.",
    "Mikhail Khodorkovsky and Platon Lebedev appealed against the verdict.",
    "Both Kostas Kenteris and Katerina Thanou withdrew from the Games.",
    "Marion Jones and Tim Montgomery were denied entry to the meeting.",
    "Prosecutors accuse Yukos of fraud. The Kremlin said the case was a matter for the courts.",
    "The health ministry was accused of hiding the figures. The ministry published them a day later.",
    "In 1991 the Iraqi government was accused of hiding its weapons. It later let the inspectors in.",
    "Syria was accused of harbouring militants. The United Nations asked Damascus to deny them entry.",
    "A spokesman for Yukos declined to comment on the report.",
    "A spokesman for Yukos did not deny that talks had taken place.",
    "Lawyers for Yukos rejected the offer of a settlement.",
    "Khodorkovsky's lawyers said the verdict would be appealed.",
    "Army spokesman Major Smith said the convoy had reached Falluja.",
    "Mikhail Khodorkovsky, who was denied bail, appeared in court on Tuesday.",
    "The court heard from Ahmed Hassan, who rejected the appeal.",
    "Anna Berger met the prime minister in Paris. The minister said talks went well. The 52-year-old left early.",
]


def _denials(text: str) -> list[tuple[str, str | None]]:
    return named_actors_of(text, "en", "denial")


@pytest.mark.parametrize(("actor", "text"), DENIALS)
def test_a_referring_or_coordinated_denier_is_found(actor: tuple[str, str | None], text: str) -> None:
    assert actor in _denials(text)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_after_an_accusation_is_no_denial(text: str) -> None:
    assert _denials(text) == []
