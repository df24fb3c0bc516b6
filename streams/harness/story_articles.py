"""Deterministic articles that form many stories: happenings reported by several outlets over simulated days."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from babel import Locale

from streams.extraction.geodata import alpha3
from streams.stories.keys import StoryKey, parse_time
from streams.stories.views import rfc3339

# Written for these tests. Each template yields exactly one event of its type, with {actor} as the acting state and,
# for deployments, {place} as the destination (tests/unit/test_story_articles.py checks this with the extractor).
TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("deployment", "de"): (
        "{actor} hat {n} Soldaten nach {place} verlegt. Das teilte das Verteidigungsministerium am {day} mit.",
        "Nach Angaben der Regierung hat {actor} {n} Soldaten nach {place} entsandt.",
        "{actor} verlegt weitere {n} Soldaten nach {place}, teilte das Verteidigungsministerium mit.",
    ),
    ("deployment", "en"): (
        "{actor} has deployed {n} soldiers to {place}, the defence ministry said on {day}.",
        "According to officials, {actor} has moved {n} soldiers to {place}.",
        "{actor} sent {n} troops to {place}, the defence ministry said.",
    ),
    ("denial", "de"): (
        "{actor} wies die Berichte über Truppen in {place} als falsch zurück.",
        "Die Regierung von {actor} bestritt, Soldaten nach {place} verlegt zu haben.",
    ),
    ("denial", "en"): (
        "{actor} denied the reports that it had sent troops to {place}.",
        "{actor} rejected reports of soldiers stationed in {place} as false.",
    ),
    ("policy_shift", "de"): (
        "{actor} hebt das Exportverbot für Waffen nach {place} auf.",
        "{actor} hat das Waffenembargo gegen {place} aufgehoben.",
    ),
    ("policy_shift", "en"): (
        "{actor} announced that it will lift its ban on weapons deliveries to {place}.",
        "{actor} has lifted its arms embargo on {place}.",
        "{actor} announced it would halt arms exports to {place}.",
    ),
}
# ISO 3166 alpha-3 codes; their German and English names come from babel's territory names, which the gazetteer
# lists as state names (streams/extraction/gazetteer.py). Every state whose names give exactly the intended event in
# every template (found with the extractor; tests/unit/test_story_articles.py keeps checking it): many story keys,
# so a corpus can be dense in simulated time (many happenings a day, each key resting past the window).
ACTORS = tuple(
    "ABW AFG AGO AIA ALB AND ARM ASM AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BLR BLZ BMU BOL BRA BRB BRN BTN "
    "BWA CAN CHE CHL CHN CMR COK COL COM CRI CUB CUW CYM CYP CZE DEU DJI DNK DZA ECU EGY ERI ESP EST ETH FIN "
    "FJI FLK FRA FRO FSM GAB GEO GGY GHA GIN GLP GMB GNB GNQ GRC GRL GTM GUF GUM GUY HND HRV HTI HUN IDN IMN "
    "IND IRL IRN IRQ ISL ISR ITA JAM JOR JPN KAZ KGZ KHM KIR KOR KWT LAO LBN LBR LBY LIE LKA LSO LTU LUX LVA "
    "MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MNE MOZ MRT MSR MUS MWI MYS MYT NAM NCL NER NGA NIC NIU NLD NOR "
    "NPL NRU NZL OMN PAK PAN PER PHL PLW PNG POL PRI PRT PRY PYF REU ROU RUS RWA SAU SDN SEN SGP SLB SLE SLV "
    "SMR SOM SRB SSD SUR SVK SVN SWE SWZ SXM SYC SYR TCD TGO THA TKM TLS TUN TUR TUV TWN TZA UGA UKR URY USA "
    "UZB VAT VEN VNM VUT WSM YEM ZAF ZMB ZWE ".split()
)
PLACES = tuple(
    "ABW AFG AGO AIA AND ARM ASM AUT AZE BDI BEL BEN BFA BGD BGR BHR BHS BLR BLZ BMU BOL BRA BRB BRN BTN BWA "
    "CAN CHE CHL CHN COD COK COL COM CRI CUB CUW CYM CYP CZE DEU DJI DNK DZA ECU EGY ERI ESP EST ETH FIN FJI "
    "FLK FRA FRO GAB GEO GGY GHA GIN GLP GMB GNB GNQ GRC GRL GTM GUF GUM GUY HND HRV HTI HUN IDN IMN IND IRL "
    "IRN IRQ ISL ISR JAM JOR JPN KAZ KGZ KHM KIR KOR KWT LAO LBN LBR LBY LIE LKA LSO LTU LUX LVA MAR MCO MDA "
    "MDG MDV MEX MHL MKD MLI MNE MOZ MRT MSR MUS MWI MYS MYT NAM NCL NER NGA NIC NIU NLD NOR NPL NRU NZL OMN "
    "PAK PAN PER PHL PLW PNG PRI PRT PRY PYF REU ROU RUS RWA SAU SDN SEN SGP SLB SLE SLV SMR SOM SRB SSD SUR "
    "SVK SVN SWE SWZ SXM SYC SYR TCD THA TKM TLS TUN TUR TUV TWN TZA UGA UKR URY USA UZB VAT VEN VNM VUT WSM "
    "YEM ZAF ZMB ZWE ".split()
)
# (name, language, web domain). A few are in the default alert rule's list of outlets (Reuters, AP, dpa, BBC, ...).
OUTLETS = (
    ("Rheinische Post", "de", "rp-online.example"),
    ("Nordkurier", "de", "nordkurier.example"),
    ("tagesschau", "de", "tagesschau.example"),
    ("dpa", "de", "dpa.example"),
    ("Süddeutsche Zeitung", "de", "sueddeutsche.example"),
    ("Der Spiegel", "de", "spiegel.example"),
    ("Reuters", "en", "reuters.example"),
    ("AP", "en", "apnews.example"),
    ("BBC", "en", "bbc.example"),
    ("The Baltic Times", "en", "baltictimes.example"),
    ("The Guardian", "en", "theguardian.example"),
    ("Politico Europe", "en", "politico.example"),
)
_DAYS = {"de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"), "en": ("Monday", "Tuesday", "Friday")}
START = "2025-01-06T00:00:00Z"
DAY = 86_400.0
# A story key rests this long between two of its happenings: longer than the 72 h window, so the next happening of a
# key opens a new story (and the previous one has expired or is replaced), never joins the previous one.
KEY_REST_SECONDS = 4 * DAY
# The reports of one happening lie within this span of its first report (well inside the 24 h lateness).
REPORT_SPREAD_SECONDS = 10 * 3600.0


def state_name(code: str, lang: str) -> str:
    """The babel territory name of an ISO alpha-3 code in German or English ('Litauen', 'Lithuania')."""
    territories = Locale(lang).territories
    for alpha2, name in territories.items():
        if len(alpha2) == 2 and alpha3(alpha2) == code:
            return name
    raise KeyError(code)


@dataclass(frozen=True, slots=True)
class Happening:
    """One thing that happened, reported by several outlets: one story."""

    number: int
    type: str
    actor: str  # ISO alpha-3
    place: str  # ISO alpha-3 (the key's place only for deployments)
    starts_at: float
    article_ids: tuple[str, ...]

    @property
    def story_key(self) -> str:
        """The story key of the events its reports yield (the key has a place for deployments only)."""
        place = self.place if self.type == "deployment" else None
        return StoryKey(self.type, self.actor, self.actor, place, place).text


@dataclass(frozen=True, slots=True)
class StoryArticle:
    article_id: str
    happening: int
    source: str
    lang: str
    published_at: str
    value: bytes

    def message(self) -> tuple[bytes, bytes]:
        return self.article_id.encode(), self.value


@dataclass(frozen=True)
class StoryCorpus:
    """Articles in publication order and the happenings (expected stories) they report."""

    articles: tuple[StoryArticle, ...]
    happenings: tuple[Happening, ...]

    def messages(self) -> Iterator[tuple[bytes, bytes]]:
        return (article.message() for article in self.articles)

    def expected_stories(self) -> dict[tuple[str, str], frozenset[str]]:
        """(story key, first report's publication time as a Story's first_seen) -> the story's article ids."""
        first: dict[int, str] = {}
        for article in self.articles:  # in publication order: the first one seen is the earliest
            first.setdefault(article.happening, article.published_at)
        return {(h.story_key, first[h.number]): frozenset(h.article_ids) for h in self.happenings if h.article_ids}

    def sources_of(self, happening: Happening) -> frozenset[str]:
        ids = set(happening.article_ids)
        return frozenset(article.source for article in self.articles if article.article_id in ids)

    @property
    def simulated_days(self) -> float:
        times = [parse_time(a.published_at) or 0.0 for a in (self.articles[0], self.articles[-1])]
        return (times[1] - times[0]) / DAY


def _keys() -> list[tuple[str, str, str | None]]:
    """(type, actor, place or None): every story key the generator can use."""
    keys: list[tuple[str, str, str | None]] = [
        ("deployment", actor, place) for actor in ACTORS for place in PLACES if actor != place
    ]
    keys += [(kind, actor, None) for kind in ("denial", "policy_shift") for actor in ACTORS]
    return keys


def story_corpus(
    count: int,
    *,
    prefix: str = "story",
    seed: int = 13,
    happenings_per_day: int = 3000,
    reports: Sequence[int] = (1, 2, 2, 3, 3, 3, 4, 5),
) -> StoryCorpus:
    """`count` articles reporting happenings, `happenings_per_day` starting per simulated day (fewer when every
    story key is resting), each reported by a number of outlets drawn from `reports`; the same for the same args.

    Simulated time advances with the articles, so a long corpus spans many windows: stories expire, and keys come
    back as new stories after their rest."""
    rng = random.Random(seed)
    names = {lang: {code: state_name(code, lang) for code in {*ACTORS, *PLACES}} for lang in ("de", "en")}
    keys = _keys()
    rested_until: dict[tuple[str, str, str | None], float] = {}
    start = parse_time(START) or 0.0
    articles: list[tuple[float, StoryArticle]] = []
    happenings: list[Happening] = []
    day = 0
    while len(articles) < count:
        day_start = start + day * DAY
        free = [key for key in keys if rested_until.get(key, 0.0) <= day_start]
        rng.shuffle(free)
        for kind, actor, fixed_place in free[:happenings_per_day]:
            if len(articles) >= count:
                break
            place = fixed_place or rng.choice([p for p in PLACES if p != actor])
            starts_at = day_start + rng.uniform(0, 12 * 3600)
            rested_until[(kind, actor, fixed_place)] = starts_at + KEY_REST_SECONDS
            number = len(happenings)
            outlets = rng.sample(OUTLETS, min(rng.choice(reports), count - len(articles)))
            ids = []
            for index, (source, lang, domain) in enumerate(outlets):
                article_id = f"{prefix}-{number:06d}-{index}"
                published = starts_at + (0.0 if index == 0 else rng.uniform(0, REPORT_SPREAD_SECONDS))
                text = rng.choice(TEMPLATES[(kind, lang)]).format(
                    actor=names[lang][actor],
                    place=names[lang][place],
                    n=f"{rng.randint(2, 40) * 50:,}".replace(",", "." if lang == "de" else ","),
                    day=rng.choice(_DAYS[lang]),
                )
                body: dict[str, Any] = {
                    "id": article_id,
                    "lang": lang,
                    "source": source,
                    "url": f"https://{domain}/{article_id}",
                    "published_at": rfc3339(published),
                    "text": text,
                }
                articles.append(
                    (
                        published,
                        StoryArticle(article_id, number, source, lang, body["published_at"], orjson.dumps(body)),
                    )
                )
                ids.append(article_id)
            happenings.append(Happening(number, kind, actor, place, starts_at, tuple(ids)))
        day += 1
    articles.sort(key=lambda entry: (entry[0], entry[1].article_id))
    return StoryCorpus(tuple(article for _, article in articles), tuple(happenings))
