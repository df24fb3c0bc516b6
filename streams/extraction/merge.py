"""Per-article merging: the candidates of an article's cue sentences become its events, one per (type, actor,
location), the other sentences that report the same act becoming mentions of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from operator import itemgetter

from schemas.models import (
    Actor,
    ActorKind,
    Article,
    Event,
    EventType,
    Evidence,
    Location,
    Mention,
    Modality,
    Quantity,
    QuantityQualifier,
)

from .context import UNOWNED, Candidate, Place

# A headline is one short line; longer first lines are body text without a headline.
_MAX_HEADLINE_CHARS = 300
_SENTENCE_END = ".!?:;"

_Key = tuple[str, str, str]  # event type, actor key, location key ("" when none)


def merge(article: Article, lang: str, candidates: list[Candidate], version: str) -> tuple[Event, ...]:
    """One event per (type, actor, location); its other sentences become mentions."""
    if not candidates:
        return ()  # most articles: nothing to group, and the headline need not be looked for
    groups: dict[_Key, list[Candidate]] = {}
    seen: set[tuple[_Key, int]] = set()  # one reading per event and sentence
    for candidate in sorted(candidates, key=lambda c: (c.sentence_start, -c.confidence, c.cue_start, c.rule)):
        place = candidate.location
        key = (candidate.type, candidate.actor.entity.key, place.key if place and not place.named_only else "")
        if (key, candidate.sentence_start) not in seen:
            seen.add((key, candidate.sentence_start))
            groups.setdefault(key, []).append(candidate)
    headline_end = headline_end_of(article.text)
    _fold_headlines(groups, headline_end)
    _fold_open_deployments(groups)
    places = _places_from_the_article(groups)
    events = _Events(article, lang, version, headline_end)
    return tuple(
        sorted(
            (events.event(key, group, places.get(key)) for key, group in groups.items()),
            key=lambda e: (e.evidence.start, e.type.value, e.event_id),
        )
    )


def _fold_headlines(groups: dict[_Key, list[Candidate]], headline_end: int) -> None:
    """A headline summarises the body: when the body reports the same act (type and actor), the headline is one
    more mention of it, even when it names the place more loosely ("in Rumänien" vs "Cincu in Zentralrumänien")."""
    for key in [k for k in groups if all(c.sentence_start < headline_end for c in groups[k])]:
        body = [
            k
            for k in groups
            if k[:2] == key[:2] and k != key and any(c.sentence_start >= headline_end for c in groups[k])
        ]
        if body:
            target = min(body, key=lambda k: groups[k][0].sentence_start)
            groups[target] = sorted(groups[target] + groups.pop(key), key=lambda c: (c.sentence_start, c.cue_start))


def _fold_open_deployments(groups: dict[_Key, list[Candidate]]) -> None:
    """A deployment whose place its clause leaves open belongs to the located one of the same actor in the same
    sentence or colon pair ("Die Truppenentsendung nach Grönland – dänische Spezialkräfte sollen ..."), or anywhere
    in the article when only the article gave it its actor ("... sind inzwischen 1.000 Soldaten dort stationiert")."""
    for key in [k for k in groups if k[0] == "deployment" and k[2] == ""]:
        for located in [k for k in groups if k[:2] == key[:2] and k[2]]:
            target = groups[located]
            passages = {c.sentence_start for c in target} | {c.lead_start for c in target}
            moving = [
                c
                for c in groups.get(key, [])
                if c.sentence_start in passages or c.lead_start in passages or c.actor.via == UNOWNED
            ]
            if moving:
                groups[located] = sorted(target + moving, key=lambda c: (c.sentence_start, c.cue_start))
                moved = {id(c) for c in moving}
                groups[key] = [c for c in groups[key] if id(c) not in moved]
        if not groups.get(key):
            groups.pop(key, None)


def _places_from_the_article(groups: dict[_Key, list[Candidate]]) -> dict[_Key, Place]:
    """Where a deployment that stayed apart from the located ones (its own count or modality: "Pjöngjang könnte
    12.000 Soldaten schicken") was going, when the article says it for the same actor and only one country: the place
    of the nearest located deployment of that actor before it (else the first after it). Left open when the actor's
    located deployments go to different countries, or a place has no country."""
    places: dict[_Key, Place] = {}
    for key in [k for k in groups if k[0] == "deployment" and k[2] == ""]:
        candidates = [c for k in groups if k[:2] == key[:2] and k[2] for c in groups[k]]
        located = [(c.sentence_start, c.location) for c in candidates if c.location is not None]
        countries = {place.country for _, place in located}
        if len(located) != len(candidates) or len(countries) != 1 or None in countries:
            continue
        start = groups[key][0].sentence_start
        before = [item for item in located if item[0] < start]
        places[key] = max(before, key=itemgetter(0))[1] if before else min(located, key=itemgetter(0))[1]
    return places


@dataclass(frozen=True)
class _Events:
    """Builds the events of one article."""

    article: Article
    lang: str
    version: str
    headline_end: int

    def event(self, key: _Key, group: list[Candidate], article_place: Place | None = None) -> Event:
        # The event is described by its most informative sentence (one that names its actor over one that counts
        # forces without their owner, a body sentence over the terse headline, then one that states a number, then a
        # place, then the highest confidence; the earliest on ties); the others follow as mentions in text order.
        article = self.article
        primary = max(
            group,
            key=lambda c: (
                c.actor.via != UNOWNED,
                c.sentence_start >= self.headline_end,
                c.quantity is not None,
                c.location is not None,
                c.confidence,
                -c.sentence_start,
            ),
        )
        others = [c for c in group if c is not primary]
        text = article.text
        # Fields the primary sentence leaves open are taken from the first mention that states them.
        quantity = next((c.quantity for c in [primary, *others] if c.quantity is not None), None)
        attribution = next((c.attribution for c in [primary, *others] if c.attribution is not None), None)
        entity = primary.actor.entity
        place = primary.location or article_place
        return Event(
            event_id=hashlib.sha256("\x1f".join((article.id, *key)).encode()).hexdigest()[:32],
            article_id=article.id,
            type=EventType(primary.type),
            lang=self.lang,
            actor=Actor(name=primary.actor.name, country=entity.country, kind=ActorKind(entity.kind)),
            location=Location(name=place.name, country=place.country) if place else None,
            quantity=_quantity(quantity),
            attribution=attribution,
            modality=Modality(primary.modality),
            evidence=_evidence(text, primary),
            mentions=tuple(
                Mention(evidence=_evidence(text, c), quantity=_quantity(c.quantity), modality=Modality(c.modality))
                for c in others
            ),
            # Each further independent sentence adds a little support.
            confidence=min(0.99, round(primary.confidence + 0.03 * len(others), 2)),
            published_at=article.published_at,
            extractor_version=self.version,
        )


def headline_end_of(text: str) -> int:
    """End of the headline: a first line without closing punctuation set off from the body by a blank line, else 0."""
    end = text.find("\n")
    if (
        end <= 0
        or end > _MAX_HEADLINE_CHARS
        or text[end - 1] in _SENTENCE_END
        or text[end + 1 :].lstrip(" \t")[:1] != "\n"
    ):
        return 0
    return end


def _quantity(value: tuple[int, str, str] | None) -> Quantity | None:
    return None if value is None else Quantity(value=value[0], qualifier=QuantityQualifier(value[1]), unit=value[2])


def _evidence(text: str, candidate: Candidate) -> Evidence:
    return Evidence(
        text=text[candidate.sentence_start : candidate.sentence_end],
        start=candidate.sentence_start,
        end=candidate.sentence_end,
        # "de.policy_shift.abolish/source_organ": the rule and the fallback that found its actor outside the clause.
        rule=f"{candidate.rule}/{candidate.actor.fallback}" if candidate.actor.fallback else candidate.rule,
    )
