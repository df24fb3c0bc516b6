"""Language of an article: the producer's `lang` when given, else lingua-language-detector (built once, lazily)."""

from __future__ import annotations

import threading
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

UNDETERMINED = "und"
# Detection looks at the start of the text only: enough for a reliable guess, and bounded in time.
_SAMPLE_CHARS = 2000
# Below this length lingua's fast low-accuracy mode guesses wrong too often ("Moscow denied the reports.");
# short texts use the full models, which are loaded lazily the first time one arrives.
_SHORT_TEXT_CHARS = 200
# Candidates beyond the shipped languages, so that French or Russian news is not forced into German or English.
_OTHER_CANDIDATES = (
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "POLISH",
    "RUSSIAN",
    "UKRAINIAN",
    "TURKISH",
    "ARABIC",
    "CHINESE",
    "JAPANESE",
    "KOREAN",
    "SWEDISH",
    "DANISH",
    "CZECH",
)

# The full models are big (tens of MB per language): short texts choose among fewer candidates.
_SHORT_TEXT_CANDIDATES = ("FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "POLISH", "RUSSIAN", "UKRAINIAN")

_lock = threading.Lock()
_detectors: dict[tuple[tuple[str, ...], bool], LanguageDetector] = {}


# Language tags are short; longer strings are malformed and not worth remembering.
_CACHED_CODE_CHARS = 35


def normalize_lang(code: str | None) -> str | None:
    """'de-DE', 'DE', ' en ' -> 'de', 'en'; empty or malformed -> None (then the detector decides)."""
    if code and len(code) <= _CACHED_CODE_CHARS:
        return _normalize_short(code)
    return _normalize(code)


@lru_cache(maxsize=256)  # producers send a handful of distinct codes: parse each once, not once per article
def _normalize_short(code: str) -> str | None:
    return _normalize(code)


def _normalize(code: str | None) -> str | None:
    if not code:
        return None
    head = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return head if len(head) == 2 and head.isalpha() else None


def _detector(names: tuple[str, ...], low_accuracy: bool) -> LanguageDetector:
    with _lock:
        key = (names, low_accuracy)
        if key not in _detectors:
            languages = [getattr(Language, name) for name in names if hasattr(Language, name)]
            builder = LanguageDetectorBuilder.from_languages(*languages)
            _detectors[key] = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()
        return _detectors[key]


def detect_language(text: str, supported_detector_names: tuple[str, ...]) -> str:
    """ISO 639-1 code of the text's language, or 'und' when the detector cannot tell."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED
    short = len(sample) < _SHORT_TEXT_CHARS
    others = _SHORT_TEXT_CANDIDATES if short else _OTHER_CANDIDATES
    names = tuple(sorted(set(supported_detector_names) | set(others)))
    language = _detector(names, low_accuracy=not short).detect_language_of(sample)
    if language is None:
        return UNDETERMINED
    return language.iso_code_639_1.name.lower()
