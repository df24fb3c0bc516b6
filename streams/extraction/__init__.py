"""Pure event extraction: article text -> events. No faust, kafka or prometheus imports here."""

# CONTRACT (implemented by the extraction engine; the agent and the CLI call exactly this):
#
#   EXTRACTOR_VERSION: str
#   class ExtractionTimeout(Exception)          raised when time_budget_seconds is exceeded
#   @dataclass(frozen=True) class ExtractionResult:
#       lang: str                  ISO 639-1 code used ("und" when undetermined)
#       supported: bool            False when no lexicon exists for lang (events is then empty)
#       events: tuple[Event, ...]  deterministic order
#   def extract(article: schemas.Article, *, time_budget_seconds: float | None = None) -> ExtractionResult
#
# Offsets: events are extracted from `article.text` only; evidence.start/end index into it
# (Python str indices) and article.text[start:end] == evidence.text. The title is not scanned.

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from schemas.models import Actor, Event, Evidence, Location, Mention, Quantity

from .detect import UNDETERMINED, detect_language, normalize_lang
from .engine import Candidate, LanguageEngine, TimeBudgetExceeded
from .learned import MODEL_DIR, load_model, models_fingerprint
from .lexicon import DEFAULT_ROOT, available_languages, lexicon_fingerprint, load_lexicon
from .proposals import ModelReader

__all__ = ["EXTRACTOR_VERSION", "ExtractionResult", "ExtractionTimeout", "Extractor", "extract"]

ENGINE_VERSION = "0.1.0"
EXTRACTOR_VERSION = f"{ENGINE_VERSION}+lex.{lexicon_fingerprint()}+model.{models_fingerprint()}"


# A headline is one short line; longer first lines are body text without a headline.
_MAX_HEADLINE_CHARS = 300
_SENTENCE_END = ".!?:;"


class ExtractionTimeout(Exception):
    """The article took longer than its time budget (checked per sentence and per cue)."""


@dataclass(frozen=True)
class ExtractionResult:
    lang: str
    supported: bool
    events: tuple[Event, ...]


class Extractor:
    """Extraction over one lexicon root; engines are compiled lazily, once per language."""

    def __init__(self, root: Path = DEFAULT_ROOT, version: str | None = None, model_root: Path | None = MODEL_DIR):
        """model_root=None runs the rules alone (the learned stage off), as when a model is trained or compared."""
        self.root = root
        self.model_root = model_root
        self.languages = available_languages(root)
        model_part = models_fingerprint(model_root) if model_root is not None else "none"
        self.version = version or f"{ENGINE_VERSION}+lex.{lexicon_fingerprint(root)}+model.{model_part}"
        self._engines: dict[str, LanguageEngine] = {}
        self._readers: dict[str, ModelReader | None] = {}
        self._lock = threading.Lock()
        self._detector_names: tuple[str, ...] | None = None

    def engine(self, lang: str) -> LanguageEngine:
        engine = self._engines.get(lang)
        if engine is None:
            with self._lock:
                engine = self._engines.get(lang)
                if engine is None:
                    engine = LanguageEngine(load_lexicon(lang, self.root))
                    self._engines[lang] = engine
        return engine

    def reader(self, lang: str) -> ModelReader | None:
        """The learned stage of a language, or None when it has no model (or models are off)."""
        if lang not in self._readers:
            with self._lock:
                if lang not in self._readers:
                    model = load_model(lang, self.model_root) if self.model_root is not None else None
                    self._readers[lang] = None if model is None else ModelReader(self.engine(lang), model)
        return self._readers[lang]

    def language_of(self, text: str, declared: str | None) -> str:
        lang = normalize_lang(declared)
        if lang is not None:
            return lang
        if self._detector_names is None:
            self._detector_names = tuple(load_lexicon(code, self.root).language.detector_language for code in self.languages)
        return detect_language(text, self._detector_names)

    def extract(self, article, *, time_budget_seconds: float | None = None) -> ExtractionResult:
        lang = self.language_of(article.text, article.lang)
        # The budget covers the extraction proper; detection looks at a bounded sample, but its first use in a
        # process loads lingua's models, which must not count as this article's overrun.
        deadline = None if time_budget_seconds is None else time.monotonic() + time_budget_seconds
        if lang not in self.languages:
            return ExtractionResult(lang=lang or UNDETERMINED, supported=False, events=())
        try:
            candidates = self.engine(lang).analyse(article.text, deadline)
            reader = self.reader(lang)
            if reader is not None:
                # The model proposes what the cues missed; each proposal passes the same scope checks and resolvers.
                # (A model veto of rule readings was tried: it gained 0.01-0.03 dev F1 but dropped plain sentences
                # with words the training set lacks, "The US will send two battalions to Poland", so it is not used.)
                candidates = candidates + reader.candidates(article.text, candidates, deadline)
        except TimeBudgetExceeded:
            raise ExtractionTimeout(
                f"article {article.id!r}: extraction exceeded {time_budget_seconds:.3f}s"
            ) from None
        return ExtractionResult(lang=lang, supported=True, events=self._merge(article, lang, candidates))

    def _merge(self, article, lang: str, candidates: list[Candidate]) -> tuple[Event, ...]:
        """One event per (type, actor, location); its other sentences become mentions."""
        if not candidates:
            return ()  # most articles: nothing to group, and the headline need not be looked for
        groups: dict[tuple[str, str, str], list[Candidate]] = {}
        seen: set[tuple[tuple[str, str, str], int]] = set()  # one reading per event and sentence
        for candidate in sorted(candidates, key=lambda c: (c.sentence_start, -c.confidence, c.cue_start, c.rule)):
            key = (candidate.type, candidate.actor.entity.key, candidate.location.key if candidate.location else "")
            if (key, candidate.sentence_start) not in seen:
                seen.add((key, candidate.sentence_start))
                groups.setdefault(key, []).append(candidate)
        # A headline summarises the body: when the body reports the same act (type and actor), the headline is one
        # more mention of it, even when it names the place more loosely ("in Rumänien" vs "Cincu in Zentralrumänien").
        headline_end = _headline_end(article.text)
        for key in [k for k in groups if all(c.sentence_start < headline_end for c in groups[k])]:
            body = [k for k in groups if k[:2] == key[:2] and k != key and any(c.sentence_start >= headline_end for c in groups[k])]
            if body:
                target = min(body, key=lambda k: groups[k][0].sentence_start)
                groups[target] = sorted(groups[target] + groups.pop(key), key=lambda c: (c.sentence_start, c.cue_start))
        # A deployment whose place its clause leaves open belongs to the located one of the same actor in the
        # same sentence or colon pair ("Die Truppenentsendung nach Grönland – dänische Spezialkräfte sollen ...").
        for key in [k for k in groups if k[0] == "deployment" and k[2] == ""]:
            for located in [k for k in groups if k[:2] == key[:2] and k[2]]:
                target = groups[located]
                passages = {c.sentence_start for c in target} | {c.lead_start for c in target}
                moving = [c for c in groups.get(key, []) if c.sentence_start in passages or c.lead_start in passages]
                if moving:
                    groups[located] = sorted(target + moving, key=lambda c: (c.sentence_start, c.cue_start))
                    moved = {id(c) for c in moving}
                    groups[key] = [c for c in groups[key] if id(c) not in moved]
            if not groups.get(key):
                groups.pop(key, None)
        events = [self._event(article, lang, key, group, headline_end) for key, group in groups.items()]
        return tuple(sorted(events, key=lambda e: (e.evidence.start, e.type.value, e.event_id)))

    def _event(self, article, lang: str, key: tuple[str, str, str], group: list[Candidate], headline_end: int) -> Event:
        # The event is described by its most informative sentence (a body sentence over the terse headline, then
        # one that states a number, then a place, then the highest confidence; the earliest on ties); the others
        # follow as mentions in text order.
        primary = max(group, key=lambda c: (c.sentence_start >= headline_end, c.quantity is not None,
                                            c.location is not None, c.confidence, -c.sentence_start))
        others = [c for c in group if c is not primary]
        text = article.text
        # Fields the primary sentence leaves open are taken from the first mention that states them.
        quantity = next((c.quantity for c in [primary, *others] if c.quantity is not None), None)
        attribution = next((c.attribution for c in [primary, *others] if c.attribution is not None), None)
        entity = primary.actor.entity
        return Event(
            event_id=hashlib.sha256("\x1f".join((article.id, *key)).encode()).hexdigest()[:32],
            article_id=article.id,
            type=primary.type,
            lang=lang,
            actor=Actor(name=primary.actor.name, country=entity.country, kind=entity.kind),
            location=Location(name=primary.location.name, country=primary.location.country) if primary.location else None,
            quantity=_quantity(quantity),
            attribution=attribution,
            modality=primary.modality,
            evidence=_evidence(text, primary),
            mentions=tuple(
                Mention(evidence=_evidence(text, c), quantity=_quantity(c.quantity), modality=c.modality)
                for c in others
            ),
            # Each further independent sentence adds a little support.
            confidence=min(0.99, round(primary.confidence + 0.03 * len(others), 2)),
            published_at=article.published_at,
            extractor_version=self.version,
        )


def _headline_end(text: str) -> int:
    """End of the headline: a first line without closing punctuation set off from the body by a blank line, else 0."""
    end = text.find("\n")
    if end <= 0 or end > _MAX_HEADLINE_CHARS or text[end - 1] in _SENTENCE_END or text[end + 1:].lstrip(" \t")[:1] != "\n":
        return 0
    return end


def _quantity(value: tuple[int, str, str] | None) -> Quantity | None:
    return None if value is None else Quantity(value=value[0], qualifier=value[1], unit=value[2])


def _evidence(text: str, candidate: Candidate) -> Evidence:
    return Evidence(
        text=text[candidate.sentence_start:candidate.sentence_end],
        start=candidate.sentence_start,
        end=candidate.sentence_end,
        rule=candidate.rule,
    )


_default: Extractor | None = None
_default_lock = threading.Lock()


def _default_extractor() -> Extractor:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Extractor(version=EXTRACTOR_VERSION)
    return _default


def extract(article, *, time_budget_seconds: float | None = None) -> ExtractionResult:
    """Events of one article (see the contract above). Pure and deterministic."""
    return _default_extractor().extract(article, time_budget_seconds=time_budget_seconds)
