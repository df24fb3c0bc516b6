"""The source view (source_view.py): English news as older sources wrote it (AG News entity debris and wrapped lines,
plain-ASCII currency words, headline mojibake) reads as meant, and evidence offsets still slice the article's text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Article
from streams.extraction import Extractor, extract

ENGLISH_VIEW = Extractor().engine("en").source_view


def _mojibake(text: str) -> str:
    """Every non-ASCII character as its UTF-8 bytes read as Latin-1, as the 2020-24 headline files keep them."""
    return "".join(ch.encode("utf-8").decode("latin-1") for ch in text)


def _keys(text: str) -> set[tuple[str, str | None]]:
    return {(e.type.value, e.actor.country) for e in extract(Article(id="v", text=text, lang="en")).events}


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("Peru #39;s army said", "Peru's army said"),
        ("it  quot;will not quot; move", 'it "will not"'),
        ("a cost of pounds 15m, he said", "a cost of £15m"),
        ("Chile\\sent", "Chile sent"),
        ("&lt;b&gt;Lima&lt;/b&gt; said", "Lima"),
        (_mojibake("Peru’s army said"), "Peru’s army said"),
    ],
)
def test_the_view_reads_debris_as_meant_and_keeps_the_length(text: str, meant: str) -> None:
    view = ENGLISH_VIEW.read(text)
    assert len(view) == len(text)
    assert meant in view


def test_a_text_without_debris_is_its_own_view_and_german_reads_none() -> None:
    clean = "Peru's army said on Monday that 300 soldiers would stay; costs: $5m (£4m)."
    assert ENGLISH_VIEW.read(clean) is clean
    debris = "Peru #39;s army\\said"
    assert Extractor().engine("de").source_view.read(debris) is debris  # German declares no debris (text.json)
    assert ENGLISH_VIEW.read("10 pounds heavier") == "10 pounds heavier"  # a currency word only before an amount


@pytest.mark.parametrize(
    ("text", "kind", "country"),
    [
        # The possessor of a nominal cue acts: the entity hid the "'s" (the base read the United Nations).
        ("The United Nations condemned Russia #39;s military operation in Georgia.", "deployment", "RUS"),
        # A wrapped line end is no sentence's end either: the second sentence's deployment was lost.
        (
            "The US military said it had moved 1,000 Marines to Najaf.\\Officials in Baghdad denied that Iraqi "
            "forces had withdrawn.",
            "deployment",
            "USA",
        ),
        # A plain-ASCII currency word is one word more between the cue's words: the resumption was out of reach.
        ("Ministers told MPs that a resumption of Britain's pounds 12m yearly funding would begin in May.", "", ""),
        (_mojibake("Japan’s government lifted its ban on arms exports to allies on Tuesday."), "policy_shift", "JPN"),
        (_mojibake("Iran’s foreign ministry rejected reports that it had supplied drones to Russia."), "denial", "IRN"),
        (_mojibake("Poland’s army moved 10,000 troops to its border with Belarus."), "deployment", "POL"),
    ],
)
def test_events_in_debris_laden_text_are_read_as_in_clean_text(text: str, kind: str, country: str) -> None:
    if not kind:  # the same event as the text written with the sign
        assert _keys(text) == _keys(text.replace("pounds ", "£")) != set()
        return
    assert (kind, country) in _keys(text)


def test_a_negation_hidden_by_an_entity_still_negates() -> None:
    text = "The army didn #39;t deploy any troops in the region, Pakistan #39;s foreign ministry said."
    assert not [key for key in _keys(text) if key[0] == "deployment"]


def test_names_read_from_the_view_lose_its_padding() -> None:
    events = extract(Article(id="v", text="Chile #39;s army has sent 3,000 troops to Bolivia.", lang="en")).events
    assert [e.actor.name for e in events] == ["Chile's army"]


# Sentences whose events the extractor reads in clean text; written for this test (no pool text).
_CLEAN = [
    "Japan’s government lifted its ban on arms exports to allies on Tuesday.",
    "Poland’s army moved 10,000 troops to its border with Belarus.",
    "The Kremlin denied that Russian soldiers were fighting in eastern Ukraine.",
    "France’s president announced that 2,000 soldiers would be sent to Mali.",
    "China’s navy sent three warships to waters near Taiwan on Monday, Taipei said.",
]


def _agnews(text: str) -> str:
    return text.replace("’", " #39;").replace("“", " quot;").replace("”", " quot;")


@settings(max_examples=60, deadline=None)
@given(
    picked=st.lists(st.sampled_from(_CLEAN), min_size=1, max_size=3, unique=True),
    debris=st.sampled_from([_agnews, _mojibake]),
    wrapped=st.sets(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_debris_changes_no_event_and_offsets_slice_the_evidence(picked: list[str], debris, wrapped: set[int]) -> None:
    """Entities or mojibake, and "\\" for any of its spaces (a wrapped line end): the clean text's events, with
    evidence offsets that slice the laden text itself."""
    clean = " ".join(picked)
    laden = "".join("\\" if ch == " " and i in wrapped else ch for i, ch in enumerate(debris(clean)))
    events = extract(Article(id="p", text=laden, lang="en")).events
    assert {(e.type.value, e.actor.country) for e in events} == _keys(clean)
    for event in events:
        assert laden[event.evidence.start : event.evidence.end] == event.evidence.text
        assert event.evidence.text.strip()


# The unseen-sentence check of session 20 (robust-en20), sentences written for it: each should fire, in clean text,
# as AG News writes it and as the headline files' mojibake keeps it (the base found 6 of these 13 in mojibake).
_SHOULD_FIRE = [
    ("deployment", "Britain’s defence ministry said it would send 500 troops to Estonia next month."),
    ("deployment", "Turkey’s army has deployed tanks to the Syrian border, officials said."),
    ("denial", "The Kremlin denied that Russian soldiers were fighting in eastern Ukraine."),
    ("policy_shift", "Japan’s government lifted its ban on arms exports to allies on Tuesday."),
    ("policy_shift", "Canada said it would suspend its £20m aid programme to the region."),
    ("denial", "Belarus’s defence ministry denied reports that its troops had crossed into Ukraine."),
    ("deployment", "France’s president announced that 2,000 soldiers would be sent to Mali."),
    ("denial", "Iran’s foreign ministry rejected reports that it had supplied drones to Russia."),
    (
        "deployment",
        "The US has sent two aircraft carriers to the eastern Mediterranean – a move aimed at deterring Hezbollah.",
    ),
    ("policy_shift", "Germany’s government reversed its policy on weapons deliveries to Kyiv."),
    ("deployment", "Poland’s army moved 10,000 troops to its border with Belarus."),
    ("denial", "Hamas denied that it had fired the rocket, calling the claim “baseless”."),
    ("deployment", "China’s navy sent three warships to waters near Taiwan on Monday, Taipei said."),
]
# ... and near misses that must stay quiet in every style.
_QUIET = [
    "The court rejected Israel’s appeal against the ruling.",
    "The minister did not deny that troops could be sent to the region.",
    "The government announced a plan to review its policy next year.",
    "Police officers were deployed at the football match on Saturday.",
    "In 1944, Allied troops landed in Normandy.",
    "Analysts said Moscow’s army was stretched thin after two years of war.",
    "The museum’s exhibition on the Gulf war opened in London on Friday.",
    "Ticket prices rose by £5 at the club’s stadium this season.",
    "Troops paraded through the capital to mark the country’s independence day.",
    "The film’s director said the soldiers in the story were fictional.",
    "Mr Smith’s lawyer said the firm would appeal against the decision.",
]


@pytest.mark.parametrize("debris", [_agnews, _mojibake], ids=["agnews", "mojibake"])
def test_unseen_sentences_fire_and_near_misses_stay_quiet_in_each_style(debris) -> None:
    missed = [text for kind, text in _SHOULD_FIRE if kind not in {key[0] for key in _keys(debris(text))}]
    fired = [text for text in _QUIET if _keys(debris(text))]
    assert (missed, fired) == ([], [])
