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

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from schemas.models import Article, Event

# First, before any module that may be compiled: a compiled build (`make compile`) is imported only when it was built
# from the sources beside it (build_stamp raises StaleCompiledBuild otherwise). COMPILED: this process runs that build
# (not when a path hook reads the sources, as the sources test lane does).
from .build_stamp import COMPILED

# isort: split
from .anchor_schema import load_anchor_counts
from .detect import UNDETERMINED, detect_language, normalize_lang
from .engine import LanguageEngine, TimeBudgetExceeded
from .learned import MODEL_DIR, load_model, models_fingerprint
from .lexicon import DEFAULT_ROOT, available_languages, lexicon_fingerprint, load_lexicon
from .merge import merge
from .proposals import ModelReader
from .source_view import tidy_names
from .text import Sentence, lower_same_length

__all__ = ["COMPILED", "EXTRACTOR_VERSION", "ExtractionResult", "ExtractionTimeout", "Extractor", "extract", "prepare"]

ENGINE_VERSION = "0.1.0"
EXTRACTOR_VERSION = f"{ENGINE_VERSION}+lex.{lexicon_fingerprint()}+model.{models_fingerprint()}"


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
                    engine = LanguageEngine(load_lexicon(lang, self.root), load_anchor_counts(self.root / lang))
                    self._engines[lang] = engine
        return engine

    def reader(self, lang: str) -> ModelReader | None:
        """The learned stage of a language, or None when it has no model (or models are off)."""
        if lang not in self._readers:
            engine = self.engine(lang)  # outside the lock: engine() takes it too, and it is not reentrant
            with self._lock:
                if lang not in self._readers:
                    model = load_model(lang, self.model_root) if self.model_root is not None else None
                    self._readers[lang] = None if model is None else ModelReader(engine, model)
        return self._readers[lang]

    def prepare(self) -> None:
        """Build every language's engine and learned stage and compile all their regexes, so that no article pays
        for a first use (a worker's start-up; a one-off command leaves this to first use and starts faster)."""
        for lang in self.languages:
            self.engine(lang).compile_all()
            self.reader(lang)

    def language_of(self, text: str, declared: str | None) -> str:
        lang = normalize_lang(declared)
        if lang is not None:
            return lang
        if self._detector_names is None:
            self._detector_names = tuple(
                load_lexicon(code, self.root).language.detector_language for code in self.languages
            )
        return detect_language(text, self._detector_names)

    def extract(self, article: Article, *, time_budget_seconds: float | None = None) -> ExtractionResult:
        lang = self.language_of(article.text, article.lang)
        # The budget covers the extraction proper; detection looks at a bounded sample, but its first use in a
        # process loads lingua's models, which must not count as this article's overrun.
        deadline = None if time_budget_seconds is None else time.monotonic() + time_budget_seconds
        if lang not in self.languages:
            return ExtractionResult(lang=lang or UNDETERMINED, supported=False, events=())
        try:
            engine = self.engine(lang)
            # Same length as the article's text, so every offset read in it slices the text too (source_view.py).
            text = engine.source_view.read(article.text)
            lowered = lower_same_length(text)  # read by the rules' scan and the model's screen alike
            reader = self.reader(lang)
            scanned = reader.first_pass.scan(lowered) if reader is not None else None
            hits = scanned[0] if scanned is not None else None
            split: list[Sentence] = []  # the rules' sentences, which the learned stage reads too
            candidates = engine.analyse(text, deadline, lowered, hits, split)
            if reader is not None:
                # The model proposes what the cues missed; each proposal passes the same scope checks and resolvers.
                # (A model veto of rule readings was tried: it gained 0.01-0.03 dev F1 but dropped plain sentences
                # with words the training set lacks, "The US will send two battalions to Poland", so it is not used.)
                candidates = candidates + reader.candidates(text, candidates, deadline, lowered, scanned, split)
        except TimeBudgetExceeded:
            raise ExtractionTimeout(f"article {article.id!r}: extraction exceeded {time_budget_seconds:.3f}s") from None
        events = merge(article, lang, candidates, self.version)
        return ExtractionResult(
            lang=lang, supported=True, events=events if text is article.text else tidy_names(events)
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


def prepare() -> None:
    """Extractor.prepare on the default extractor (the one extract() uses)."""
    _default_extractor().prepare()


def extract(article: Article, *, time_budget_seconds: float | None = None) -> ExtractionResult:
    """Events of one article (see the contract above). Pure and deterministic."""
    return _default_extractor().extract(article, time_budget_seconds=time_budget_seconds)
