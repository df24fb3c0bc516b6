"""The learned stage: a per-language sentence classifier (sparse linear model, JSON weights) proposing (sentence, type)."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from pathlib import Path

from .literals import LiteralWords

MODEL_DIR = Path(__file__).resolve().parent / "models"
_TOKEN = re.compile(r"\w+")
# A word, or a masked name: the category written after a NUL, which no text word contains.
_MASKED_TOKEN = re.compile(r"\x00\w+|\w+")
# Listed names in a sentence: (start, end, category) relative to the sentence.
Entities = tuple[tuple[int, int, str], ...]


def logistic(score: float) -> float:
    """A linear model's score as a probability (clamped: exp overflows far out, where the answer is 0 or 1 anyway)."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))


@dataclass(frozen=True)
class FeatureSpec:
    """How a sentence becomes features; trainer and runtime share it, and the model file records it."""

    prefix_chars: int = 5  # a word's opening letters: a crude stem that survives German and English inflection
    suffix_chars: int = 0  # a word's closing letters: the head of a German compound ("...kontrollen"); 0 = off
    bigrams: bool = True

    mask_capitalised: bool = False  # for languages that capitalise names only: unlisted names are masked too
    mask_entities: bool = False  # a listed name counts by its category ("ent:country"), not as itself: what is
    # learned is how events are told, not which states were in the news that year
    # A word's cluster (learned from unlabelled text, `<lang>.clusters.json`) as a feature "k=<id>": words used alike
    # share evidence even when only one of them was labelled. Empty = off.
    clusters: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    # The rule engine's partial reading as features: the types and rules whose anchor words stand in the sentence
    # ("t=denial", "r=denial.reject"), also where a scope or actor check then dropped the rule's reading ...
    cues: bool = False
    # ... and the types the rules read an event of there ("q=denial"): where the rules read the model's own type it is
    # never asked, so in training that feature takes up what the rules find and the words learn what they miss.
    readings: bool = False
    # ... or only the cues of the types the rules did not read there ("u=denial", "v=denial.reject"): the model is
    # asked only about those types, and a cue whose reading a check dropped is what it may find again.
    unread: bool = False
    # What a bag of words does not see: a headline's missing full stop, a quotation, a number, a colon ("x=...").
    shape: bool = False

    def tokens(self, sentence: str) -> list[re.Match[str]]:
        """The words of the sentence as written (offsets into it; lowercasing may change a text's length)."""
        return list(_TOKEN.finditer(sentence))

    def words(self, sentence: str, entities: Entities = ()) -> list[str]:
        """The sentence's lowercased words, each listed name replaced by its category ("ent:country") and, where only
        names are capitalised, every capitalised word but the first by "ent:name" (a run of them by one)."""
        if self.mask_entities and entities:
            parts, last = [], 0
            for start, end, category in sorted(entities):
                if start >= last:
                    parts += [sentence[last:start], f" \x00{category} "]
                    last = end
            parts.append(sentence[last:])
            sentence = "".join(parts)
        if not self.mask_capitalised:
            return [w if w[0] != "\x00" else f"ent:{w[1:]}" for w in _MASKED_TOKEN.findall(sentence.lower())]
        out: list[str] = []
        for number, word in enumerate(_MASKED_TOKEN.findall(sentence)):
            if word[0] == "\x00":
                out.append(f"ent:{word[1:]}")
            elif number and word[0].isupper():
                if not out or out[-1] != "ent:name":
                    out.append("ent:name")
            else:
                out.append(word.lower())
        return out

    def features(self, sentence: str, entities: Entities = (), context: tuple[str, ...] = ()) -> list[str]:
        """The sentence's features; context, what the rules read in it as this spec asks (proposals.ModelReader)."""
        words = self.words(sentence, entities)
        plain = [w for w in words if not w.startswith("ent:")]
        prefix, suffix = self.prefix_chars, self.suffix_chars
        out = ["w=" + w for w in words]
        out += ["p=" + w[:prefix] for w in plain if len(w) > prefix]
        if suffix:
            out += ["s=" + w[-suffix:] for w in plain if len(w) > suffix + 3]
        if self.bigrams:
            out += [f"b={a}_{b}" for a, b in pairwise(words)]
        if self.clusters:
            clusters = self.clusters
            out += [f"k={clusters[w]}" for w in plain if w in clusters]
        if self.shape:
            out += sentence_shape(sentence)
        out += context
        return out


_DIGIT = re.compile(r"\d")
_QUOTES = frozenset('"„“”«»‚‘’')


def sentence_shape(sentence: str) -> list[str]:
    """The sentence's form as features: how it ends (a headline has no full stop), whether it quotes someone, holds a
    number or a colon."""
    body = sentence.rstrip()
    out = ["x=stop" if body[-1:] in (".", "!", "?", ":", ";") or body[-1:] in _QUOTES else "x=open"]
    if not _QUOTES.isdisjoint(body):
        out.append("x=quote")
    if _DIGIT.search(body):
        out.append("x=number")
    if ":" in body:
        out.append("x=colon")
    return out


@dataclass(frozen=True)
class TypeModel:
    type: str
    bias: float
    threshold: float  # probability at which the sentence is proposed (chosen out of fold)
    weights: dict[str, float]
    # The type's own anchor minimum (chosen out of fold per type); None: the model's anchor_min_weight.
    anchor_min: float | None = None

    def probability(self, features: list[str]) -> float:
        # Each feature counts once per sentence, as in training (binary features).
        score = self.bias + sum(map(self.weights.get, set(features), repeat(0.0)))
        return logistic(score)

    def word_weight(self, word: str, spec: FeatureSpec) -> float:
        """What a lowercased word weighs for the type on its own: itself, its opening and its cluster."""
        weight = self.weights.get(f"w={word}", 0.0) + self.weights.get(f"p={word[: spec.prefix_chars]}", 0.0)
        cluster = spec.clusters.get(word)
        return weight if cluster is None else weight + self.weights.get(f"k={cluster}", 0.0)

    def anchor(
        self, sentence: str, spec: FeatureSpec, entities: Entities = (), min_weight: float = 0.0
    ) -> tuple[int, int] | None:
        """The word that speaks most for the type: where the resolvers read the sentence from (the 'cue'); never a
        listed name, and none when no word weighs min_weight (a sentence carried by its context alone)."""
        best: tuple[float, int, int] | None = None
        for number, match in enumerate(spec.tokens(sentence)):
            if spec.mask_entities and any(start <= match.start() < end for start, end, _ in entities):
                continue
            if spec.mask_capitalised and number and sentence[match.start()].isupper():
                continue
            weight = self.word_weight(match.group(0).lower(), spec)
            if weight > 0 and weight >= min_weight and (best is None or weight > best[0]):
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
    actor: ActorModel | None = None  # picks the actor when the resolvers find none
    anchor_min_weight: float = 0.0  # a proposal needs a word this strong to be read from (see TypeModel.anchor)
    # Built from triggers (__post_init__); declared, so that a compiled build (mypyc) knows the attribute.
    _triggers: LiteralWords = field(init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}"

    def __post_init__(self) -> None:
        # Where a proposal can stand: a word that opens with a trigger. One Aho-Corasick pass over the article (the
        # rule engine's first pass works the same way, anchors.AnchorScanner); a regex alternation took as long as the
        # rules themselves.
        object.__setattr__(self, "_triggers", LiteralWords(self.trigger_words))

    @property
    def trigger_words(self) -> list[str]:
        """The distinct non-empty triggers, sorted: the words of the screen's automaton."""
        return sorted({trigger for trigger in self.triggers if trigger})

    def screen(self, lowered: str) -> list[int]:
        """Offsets of the words of the lowercased text that open with a trigger, in text order."""
        triggers = self._triggers
        return word_openings(triggers.occurrences(lowered), lowered)

    def propose(
        self, sentence: str, entities: Entities = (), context: tuple[str, ...] = ()
    ) -> list[tuple[str, float, tuple[int, int]]]:
        """(type, probability, anchor span relative to the sentence) for every type over its threshold."""
        features = set(self.spec.features(sentence, entities, context))
        out = []
        for model in self.types:
            if model.threshold > 1.0:
                continue  # a type the tuning switched off
            # Summed at C level (map over dict.get): this runs for every screened sentence of every article.
            score = model.bias + sum(map(model.weights.get, features, repeat(0.0)))
            probability = logistic(score)
            if probability >= model.threshold:
                minimum = self.anchor_min_weight if model.anchor_min is None else model.anchor_min
                anchor = model.anchor(sentence, self.spec, entities, minimum)
                if anchor is not None:
                    out.append((model.type, probability, anchor))
        return out


def word_openings(matches: list[tuple[int, int, int]], lowered: str, wanted: list[bool] | None = None) -> list[int]:
    """The distinct starts, in text order, of an automaton's (word index, start, end) matches over lowered that open a
    word of it; with wanted, only of the matches of the words it flags (by index)."""
    hits = set()
    for index, start, _ in matches:
        if (wanted is None or wanted[index]) and (
            start == 0 or not (lowered[start - 1].isalnum() or lowered[start - 1] == "_")
        ):
            hits.add(start)
    return sorted(hits)


def model_path(lang: str, root: Path = MODEL_DIR) -> Path:
    return root / f"{lang}.sentence.json"


def clusters_path(lang: str, root: Path = MODEL_DIR) -> Path:
    return root / f"{lang}.clusters.json"


CLUSTERS_FORMAT = 1


def load_clusters(lang: str, root: Path = MODEL_DIR) -> dict[str, int]:
    """The language's word clusters ({lowercased word: cluster id}), checked: a sentence model that was trained with
    cluster features cannot run without the very map it was trained on."""
    path = clusters_path(lang, root)
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("format") != CLUSTERS_FORMAT or raw.get("lang") != lang:
        raise ValueError(f"{path}: not a format-{CLUSTERS_FORMAT} cluster map for {lang!r}")
    clusters = raw["clusters"]
    count = raw["params"]["clusters"]
    if not isinstance(clusters, dict) or not all(
        isinstance(w, str) and isinstance(c, int) and 0 <= c < count for w, c in clusters.items()
    ):
        raise ValueError(f"{path}: cluster ids must be integers in [0, {count})")
    return clusters


def clusters_fingerprint(clusters: Mapping[str, int]) -> str:
    """Short hash of a cluster map: the sentence model records the map it was trained with."""
    return hashlib.sha256(json.dumps(sorted(clusters.items()), ensure_ascii=False).encode()).hexdigest()[:12]


def load_model(lang: str, root: Path = MODEL_DIR) -> SentenceModel | None:
    """The language's model, or None when it has none (a language can run on rules alone)."""
    path = model_path(lang, root)
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    features = dict(raw["features"])  # a file that predates a feature switch keeps it off
    trained_with = features.pop("clusters", "")
    spec = FeatureSpec(**features)
    if trained_with:
        clusters = load_clusters(lang, root)
        if clusters_fingerprint(clusters) != trained_with:
            raise ValueError(f"{model_path(lang, root)} was trained with cluster map {trained_with}, not this one")
        spec = FeatureSpec(**features, clusters=clusters)
    types = tuple(
        TypeModel(t["type"], t["bias"], t["threshold"], t["weights"], t.get("anchor_min_weight")) for t in raw["types"]
    )
    actor = raw.get("actor")
    return SentenceModel(
        name=raw["name"],
        version=raw["version"],
        lang=raw["lang"],
        spec=spec,
        types=types,
        triggers=tuple(raw["triggers"]),
        anchor_min_weight=raw.get("anchor_min_weight", 0.0),
        actor=ActorModel(actor["bias"], actor["threshold"], actor["weights"]) if actor else None,
    )


def models_fingerprint(root: Path = MODEL_DIR) -> str:
    """Short hash of every model file: part of the extractor version, so a retrained model is a new version."""
    digest = hashlib.sha256()
    for path in sorted([*root.glob("*.sentence.json"), *root.glob("*.clusters.json")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# ---------------------------------------------------------------- learned actor choice
# A capitalised word (a name, or in German any noun), its run joined by spaces or name particles.
_CAPITAL_WORD = r"[^\W\d_a-zß-ÿ][\w'’.&+-]*"
_NAME_RUN = re.compile(
    rf"{_CAPITAL_WORD}(?:\s+(?:(?:von|van|der|de|al|bin|ibn|la|le|del|di|da)\s+)?{_CAPITAL_WORD}){{0,4}}"
)
_MAX_ACTOR_WORDS = 3


@dataclass(frozen=True)
class ActorCandidate:
    start: int  # relative to the sentence
    end: int
    text: str


def actor_candidates(sentence: str, function_words: frozenset[str] = frozenset()) -> list[ActorCandidate]:
    """Every run of up to three capitalised words inside a longer run: who may be the actor of the sentence. A run
    neither opens nor ends with a function word of the language ("The", "Since", "Der")."""
    out = []
    for run in _NAME_RUN.finditer(sentence):
        words = list(re.finditer(r"\S+", run.group(0)))
        for i in range(len(words)):
            if words[i].group(0).lower() in function_words:
                continue
            for j in range(i, min(len(words), i + _MAX_ACTOR_WORDS)):
                if words[j].group(0).lower().rstrip(".,;:'’") in function_words:
                    continue
                start, end = run.start() + words[i].start(), run.start() + words[j].end()
                text = sentence[start:end].rstrip(".,;:'’")
                if text:
                    out.append(ActorCandidate(start, start + len(text), text))
    return out


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "CAPS"
    return "Xx" if "-" not in word else "X-x"


def actor_features(sentence: str, candidate: ActorCandidate, anchor: tuple[int, int], event_type: str) -> list[str]:
    """Where the candidate stands to the anchor word, what surrounds it, and what it looks like."""
    before = sentence[: candidate.start].split()
    after = sentence[candidate.end :].split()
    words = candidate.text.split()
    side = "before" if candidate.end <= anchor[0] else ("after" if candidate.start >= anchor[1] else "at")
    gap = (
        len(sentence[candidate.end : anchor[0]].split())
        if side == "before"
        else len(sentence[anchor[1] : candidate.start].split())
    )
    distance = "0" if gap == 0 else "1-2" if gap <= 2 else "3-5" if gap <= 5 else "6+"
    prev = before[-1].lower().strip("\"'„“”«»(") if before else "<s>"
    nxt = after[0].lower().strip("\"'„“”«»),.;:") if after else "</s>"
    last = words[-1]
    features = [
        f"side={side}",
        f"dist={distance}",
        f"side_dist={side}_{distance}",
        f"type_side={event_type}_{side}",
        f"len={len(words)}",
        f"prev={prev}",
        f"next={nxt}",
        f"shape={_shape(last)}",
        f"suffix={last[-3:].lower()}",
        f"first={words[0].lower()}",
        f"last={last.lower()}",
        f"initial={not before}",
        f"comma_before={bool(before) and before[-1].endswith(',')}",
    ]
    if after and after[0][:1] in ",.;:":
        features.append("punct_after")
    return features


@dataclass(frozen=True)
class ActorModel:
    bias: float
    threshold: float
    weights: dict[str, float]

    def choose(
        self, sentence: str, anchor: tuple[int, int], event_type: str, function_words: frozenset[str] = frozenset()
    ) -> ActorCandidate | None:
        """The most likely actor span of the sentence, when one is likely enough."""
        best: tuple[float, int, ActorCandidate] | None = None
        for candidate in actor_candidates(sentence, function_words):
            score = self.bias + sum(
                self.weights.get(f, 0.0) for f in actor_features(sentence, candidate, anchor, event_type)
            )
            # Ties go to the earlier, then the longer candidate: the choice never depends on dict order.
            key = (score, -candidate.start)
            if best is None or key > best[:2]:
                best = (score, -candidate.start, candidate)
        if best is None:
            return None
        probability = logistic(best[0])
        return best[2] if probability >= self.threshold else None
