"""Where the learned stage loses each labelled event the extractor misses: no trigger word, under threshold, a cue check,
no actor, a wrong actor (`python -m streams.dataset.diagnose --split dev`); train and dev only."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from streams.extraction import Extractor
from streams.extraction.context import Candidate, CueContext, DominantState
from streams.extraction.merge import merge
from streams.extraction.proposals import ModelReader
from streams.extraction.text import Sentence, lower_same_length

from .evaluate import gold_split
from .labels import GoldEvent, GoldPassage
from .scoring import TYPES, actor_matches, align, passage_article

# The stages a missed event can be lost at, earliest first; an event whose evidence spans several sentences counts
# at the furthest stage any of them reached.
STAGES = (
    "no trigger word",
    "type off",
    "under threshold",
    "no anchor word",
    "scope",
    "negator in clause",
    "denial in sentence",
    "combat or drawdown marker",
    "reporter",
    "no actor",
    "third party",
    "argument check",
    "model event, wrong actor",
    "model event, right actor, lost in merging",
    "rules read the type there, wrong actor",
    "rules read the type there, right actor, lost in merging",
)
# How far under its type's threshold a scored sentence fell (probability points).
GAP_BUCKETS = (0.05, 0.1, 0.2, 0.4, 1.0)


@dataclass
class Loss:
    stage: str
    probability: float  # the model's probability for the event's type in the sentence (scored or not)
    threshold: float
    sentence: str  # the sentence read (for the terminal only: never written to the repository)


@dataclass
class Diagnosis:
    """Per type: events found (by rules or model), the stage each miss was lost at, and how far under threshold."""

    found: Counter[tuple[str, str]] = field(default_factory=Counter)  # (type, "rules" | "model")
    lost: Counter[tuple[str, str]] = field(default_factory=Counter)  # (type, stage)
    gaps: Counter[tuple[str, float]] = field(default_factory=Counter)  # (type, bucket upper bound)
    # Misses in sentences the screen left alone that the model would propose: on train the probabilities are in-sample
    # (the model was fitted there) and overstate many times over; `python -m streams.dataset.screen_study` reads them
    # out of fold, where opening the screen to every sentence gains next to nothing (docs/real-news.md, fifteenth session).
    unscreened_over_threshold: Counter[str] = field(default_factory=Counter)
    false_alarms: Counter[tuple[str, str]] = field(default_factory=Counter)  # (type, "rules" | "model")
    misses: list[tuple[str, str, Loss]] = field(default_factory=list)  # (passage id, type, loss), in data order

    def add(self, event_type: str, loss: Loss, passage_id: str = "") -> None:
        self.misses.append((passage_id, event_type, loss))
        self.lost[event_type, loss.stage] += 1
        if loss.stage == "under threshold":
            gap = loss.threshold - loss.probability
            self.gaps[event_type, next(b for b in GAP_BUCKETS if gap <= b)] += 1
        if loss.stage == "no trigger word" and loss.probability >= loss.threshold:
            self.unscreened_over_threshold[event_type] += 1

    def as_dict(self) -> dict:
        out = {}
        for event_type in TYPES:
            out[event_type] = {
                "found": {k: self.found[event_type, k] for k in ("rules", "model")},
                "false_alarms": {k: self.false_alarms[event_type, k] for k in ("rules", "model")},
                "lost": {s: self.lost[event_type, s] for s in STAGES if self.lost[event_type, s]},
                "unscreened_but_over_threshold": self.unscreened_over_threshold[event_type],
                "under_threshold_by": {f"<={b}": self.gaps[event_type, b] for b in GAP_BUCKETS},
            }
        return out


def _source(rule: str) -> str:
    return "model" if ".model." in rule else "rules"


class Diagnoser:
    """The extractor with its learned stage, taken apart stage by stage for one language."""

    def __init__(self, lang: str, extractor: Extractor | None = None):
        self.lang = lang
        self.extractor = extractor or Extractor()
        self.engine = self.extractor.engine(lang)
        reader = self.extractor.reader(lang)
        if reader is None:
            raise ValueError(f"no learned stage for {lang!r}")
        self.reader: ModelReader = reader

    def passage(self, gold: GoldPassage, diagnosis: Diagnosis) -> None:
        article = passage_article(gold)
        text = article.text
        events = self.extractor.extract(article).events
        matches, unmatched = align(gold.events, events)
        for event in unmatched:
            diagnosis.false_alarms[event.type.value, _source(event.evidence.rule)] += 1
        missed = [g for g, m in zip(gold.events, matches, strict=True) if m is None]
        for match in matches:
            if match is not None:
                diagnosis.found[match.type.value, _source(match.evidence.rule)] += 1
        if not missed:
            return
        lowered = lower_same_length(text)
        rule_candidates = self.engine.analyse(text, None, lowered)
        screened = self.reader.model.screen(lowered)
        sentences = self.engine.segmenter.sentences(text)
        dominant = DominantState(self.engine.gazetteer, text)
        offset = gold.passage.start
        for event in missed:
            start, end = event.evidence_start - offset, event.evidence_end - offset
            losses = [
                self.loss(article.id, text, s, event, (rule_candidates, screened), dominant)
                for s in sentences
                if s.start < end and s.end > start
            ]
            if losses:
                diagnosis.add(event.type, max(losses, key=lambda loss: STAGES.index(loss.stage)), gold.passage.id)

    def loss(
        self,
        article_id: str,
        text: str,
        sentence: Sentence,
        event: GoldEvent,
        passes: tuple[list[Candidate], list[int]],
        dominant: DominantState,
    ) -> Loss:
        """The stage at which this sentence's reading of the event was lost; passes: the article's rule candidates
        and the model's screen hits."""
        rule_candidates, screened = passes
        body = text[sentence.start : sentence.end]
        ruled = [c for c in rule_candidates if c.type == event.type and c.sentence_start == sentence.start]
        if ruled:
            right = any(self._matches(article_id, text, c, event) for c in ruled)
            stage = f"rules read the type there, {'right actor, lost in merging' if right else 'wrong actor'}"
            return Loss(stage, 1.0, 0.0, body)
        model = self.reader.model
        type_model = next(t for t in model.types if t.type == event.type)
        entities = self.reader.entities(text, sentence.start, sentence.end)
        probability = type_model.probability(model.spec.features(body, entities))
        threshold = type_model.threshold
        if not any(sentence.start <= hit < sentence.end for hit in screened):
            return Loss("no trigger word", probability, threshold, body)
        if threshold > 1.0:
            return Loss("type off", probability, threshold, body)
        if probability < threshold:
            return Loss("under threshold", probability, threshold, body)
        minimum = model.anchor_min_weight if type_model.anchor_min is None else type_model.anchor_min
        anchor = type_model.anchor(body, model.spec, entities, minimum)
        if anchor is None:
            return Loss("no anchor word", probability, threshold, body)
        candidate, verdict = self.reader.read(text, sentence, event.type, probability, anchor, dominant)
        if candidate is None:
            return Loss(verdict, probability, threshold, body)
        right = self._matches(article_id, text, candidate, event)
        stage = f"model event, {'right actor, lost in merging' if right else 'wrong actor'}"
        return Loss(stage, probability, threshold, body)

    def _matches(self, article_id: str, text: str, candidate: Candidate, event: GoldEvent) -> bool:
        from schemas import Article

        [merged] = merge(Article(id=article_id, text=text, lang=self.lang), self.lang, [candidate], "diagnosis")
        return actor_matches(merged, event)


# The verdicts of read_cue that a deployment check gave (see CheckCounter).
CHECK_VERDICTS = ("scope", "negator in clause", "denial in sentence", "combat or drawdown marker")


class CheckCounter:
    """What each deployment check removes (`--checks`): every learned deployment proposal a check dropped, read again
    with the checks let through and judged by the labels: "true" (it gives a labelled deployment the extractor
    misses), "found" (one it finds already), "false" (none), "no actor". Keyed by the check and the word that
    fired it ("combat: offensive", "disqualifier: killed", "negated", "asked for" ...); a proposal counts under
    every check that drops it, and under "alone" when only one word does."""

    def __init__(self, diagnoser: Diagnoser):
        self.diagnoser = diagnoser
        self.counts: Counter[tuple[str, str]] = Counter()  # (check, judgement)
        self.alone: Counter[tuple[str, str]] = Counter()

    def passage(self, gold: GoldPassage) -> None:
        d = self.diagnoser
        article = passage_article(gold)
        text = article.text
        events = d.extractor.extract(article).events
        matches, _ = align(gold.events, events)
        missed = [g for g, m in zip(gold.events, matches, strict=True) if m is None and g.type == "deployment"]
        found = [g for g, m in zip(gold.events, matches, strict=True) if m is not None and g.type == "deployment"]
        lowered = lower_same_length(text)
        hits = d.reader.model.screen(lowered)
        if not hits:
            return
        read = {(c.sentence_start) for c in d.engine.analyse(text, None, lowered) if c.type == "deployment"}
        dominant = DominantState(d.engine.gazetteer, text)
        for sentence in d.engine.segmenter.sentences(text):
            if sentence.start in read or not any(sentence.start <= hit < sentence.end for hit in hits):
                continue
            body = text[sentence.start : sentence.end]
            for type_, probability, anchor in d.reader.model.propose(body, d.reader.entities(text, *sentence[:2])):
                if type_ != "deployment":
                    continue
                _, verdict = d.reader.read(text, sentence, type_, probability, anchor, dominant)
                if verdict not in CHECK_VERDICTS:
                    continue
                checks = self.checks(text, sentence, anchor)
                candidate = self._released(text, sentence, probability, anchor, dominant)
                judgement = "no actor"
                if candidate is not None:
                    judgement = "false"
                    if any(d._matches(article.id, text, candidate, g) for g in missed):
                        judgement = "true"
                    elif any(d._matches(article.id, text, candidate, g) for g in found):
                        judgement = "found"
                for check in checks or [verdict]:
                    self.counts[check, judgement] += 1
                    if len({c.split(": ", 1)[-1] for c in checks}) == 1:
                        self.alone[check, judgement] += 1

    def checks(self, text: str, sentence: Sentence, anchor: tuple[int, int]) -> list[str]:
        """Each check that drops the proposal, with the word that fired it."""
        d = self.diagnoser
        ctx = self._context(text, sentence, anchor)
        scope = d.engine.scope
        found: list[str] = []
        disqualifier = scope.learned_disqualifiers.get("deployment")  # what drops a learned proposal
        if disqualifier is not None:
            start, end = scope.disqualifier_span(ctx)
            found += [f"disqualifier: {m.group(0).lower()}" for m in disqualifier.pattern.finditer(text, start, end)]
        rule, cue = ctx.rule, ctx.cue
        named: list[tuple[str, bool]] = [
            ("negated", scope.negated(text, ctx.clauses, ctx.clause_index, rule, cue)),
            ("asks whether", scope._asks_whether(ctx)),
            ("dated", scope._dated(ctx)),
            ("asked for", scope._asked_for(ctx)),
            ("negator in clause", scope.negator_in_context(ctx)),
            ("denial in sentence", scope.denies(ctx)),
        ]
        found += [name for name, fired in named if fired]
        if scope._combat is not None:
            found += [f"combat: {m.group(0).lower()}" for m in scope._combat.finditer(text, ctx.start, ctx.end)]
        return found

    def _context(self, text: str, sentence: Sentence, anchor: tuple[int, int]) -> CueContext:
        d = self.diagnoser
        start, end = sentence.start + anchor[0], sentence.start + anchor[1]
        cue = re.compile(re.escape(text[start:end])).match(text, start)
        assert cue is not None
        clauses = d.engine.segmenter.clauses(text, sentence.start, sentence.end)
        return d.engine._cue_context(text, sentence, d.reader._rules["deployment"], cue, clauses)

    def _released(
        self, text: str, sentence: Sentence, probability: float, anchor: tuple[int, int], dominant: DominantState
    ) -> Candidate | None:
        """The proposal read with every check let through."""
        scope = self.diagnoser.engine.scope
        saved = scope.rejects, scope.negator_in_context, scope.denies, scope.fighting
        try:
            scope.rejects = scope.negator_in_context = scope.denies = scope.fighting = _never  # type: ignore[method-assign]
            candidate, _ = self.diagnoser.reader.read(text, sentence, "deployment", probability, anchor, dominant)
        finally:
            scope.rejects, scope.negator_in_context, scope.denies, scope.fighting = saved  # type: ignore[method-assign]
        return candidate

    def lines(self) -> list[str]:
        checks = sorted({c for c, _ in self.counts}, key=lambda c: -sum(self.counts[c, j] for j in JUDGEMENTS))
        return [
            f"  {check:40} "
            + " ".join(f"{j} {self.counts[check, j]}" for j in JUDGEMENTS)
            + " | alone "
            + " ".join(f"{j} {self.alone[check, j]}" for j in JUDGEMENTS)
            for check in checks
        ]


JUDGEMENTS = ("true", "false", "found", "no actor")


def _never(ctx: CueContext, learned: bool = False) -> bool:
    return False


def diagnose(lang: str, split: str, extractor: Extractor | None = None) -> Diagnosis:
    if split == "test":
        raise ValueError("the test split is scored, never inspected")
    diagnoser = Diagnoser(lang, extractor)
    diagnosis = Diagnosis()
    for gold in gold_split(lang, split):
        diagnoser.passage(gold, diagnosis)
    return diagnosis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.diagnose", description=__doc__)
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--lang", choices=["de", "en"], action="append")
    parser.add_argument("--show", type=int, default=0, help="list this many misses of each type and stage")
    parser.add_argument("--checks", action="store_true", help="count what each deployment check removes")
    args = parser.parse_args(argv)
    for lang in args.lang or ["de", "en"]:
        if args.checks:
            counter = CheckCounter(Diagnoser(lang))
            for gold in gold_split(lang, args.split):
                counter.passage(gold)
            print(f"{lang} {args.split}: learned deployment proposals each check drops (judged with it let through)")
            print("\n".join(counter.lines()))
            continue
        diagnosis = diagnose(lang, args.split)
        print(json.dumps({"lang": lang, "split": args.split, "types": diagnosis.as_dict()}, ensure_ascii=False))
        shown: Counter[tuple[str, str]] = Counter()
        for passage_id, event_type, loss in diagnosis.misses:
            if shown[event_type, loss.stage] < args.show:
                shown[event_type, loss.stage] += 1
                print(
                    f"  {event_type} | {loss.stage} | p {loss.probability:.2f} / {loss.threshold} | {passage_id} | "
                    + " ".join(loss.sentence.split())
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
