"""The learned stage: a per-language sentence classifier (sparse linear model, JSON weights) proposing (sentence, type)."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .lexicon import trie_regex

MODEL_DIR = Path(__file__).resolve().parent / "models"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class FeatureSpec:
    """How a sentence becomes features; trainer and runtime share it, and the model file records it."""

    prefix_chars: int = 5  # a word's opening letters: a crude stem that survives German and English inflection
    bigrams: bool = True

    def tokens(self, sentence: str) -> list[re.Match[str]]:
        return list(_TOKEN.finditer(sentence.lower()))

    def features(self, sentence: str) -> list[str]:
        words = [m.group(0) for m in self.tokens(sentence)]
        out = [f"w={w}" for w in words]
        out += [f"p={w[:self.prefix_chars]}" for w in words if len(w) > self.prefix_chars]
        if self.bigrams:
            out += [f"b={a}_{b}" for a, b in zip(words, words[1:])]
        return out


@dataclass(frozen=True)
class TypeModel:
    type: str
    bias: float
    threshold: float  # probability at which the sentence is proposed (tuned on dev)
    weights: dict[str, float]

    def probability(self, features: list[str]) -> float:
        weights = self.weights
        # Each feature counts once per sentence, as in training (binary features).
        score = self.bias + sum(weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))

    def anchor(self, sentence: str, spec: FeatureSpec) -> tuple[int, int] | None:
        """The word that speaks most for the type: where the resolvers read the sentence from (the 'cue')."""
        best: tuple[float, int, int] | None = None
        for match in spec.tokens(sentence):
            word = match.group(0)
            weight = self.weights.get(f"w={word}", 0.0) + self.weights.get(f"p={word[:spec.prefix_chars]}", 0.0)
            if weight > 0 and (best is None or weight > best[0]):
                best = (weight, match.start(), match.end())
        return None if best is None else (best[1], best[2])


@dataclass(frozen=True)
class SentenceModel:
    name: str
    version: str
    lang: str
    spec: FeatureSpec
    types: tuple[TypeModel, ...]
    triggers: tuple[str, ...]  # lowercased word openings; a sentence without one is never proposed

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def screen(self) -> re.Pattern[str] | None:
        """Where a proposal can stand: a word opening with one of the triggers (searched in the lowercased text)."""
        return re.compile(r"(?<!\w)(?:" + trie_regex(set(self.triggers)) + ")") if self.triggers else None

    def propose(self, sentence: str) -> list[tuple[str, float, tuple[int, int]]]:
        """(type, probability, anchor span relative to the sentence) for every type over its threshold."""
        features = self.spec.features(sentence)
        out = []
        for model in self.types:
            probability = model.probability(features)
            if probability >= model.threshold:
                anchor = model.anchor(sentence, self.spec)
                if anchor is not None:
                    out.append((model.type, probability, anchor))
        return out


def model_path(lang: str, root: Path = MODEL_DIR) -> Path:
    return root / f"{lang}.sentence.json"


def load_model(lang: str, root: Path = MODEL_DIR) -> SentenceModel | None:
    """The language's model, or None when it has none (a language can run on rules alone)."""
    path = model_path(lang, root)
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    spec = FeatureSpec(**raw["features"])
    types = tuple(TypeModel(type=t["type"], bias=t["bias"], threshold=t["threshold"], weights=t["weights"])
                  for t in raw["types"])
    return SentenceModel(name=raw["name"], version=raw["version"], lang=raw["lang"], spec=spec, types=types,
                         triggers=tuple(raw["triggers"]))


def models_fingerprint(root: Path = MODEL_DIR) -> str:
    """Short hash of every model file: part of the extractor version, so a retrained model is a new version."""
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.sentence.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
