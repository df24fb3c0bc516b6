"""The training sentences: every sentence of the labelled passages as the extractor's splitter cuts it, with the
types whose evidence it overlaps, its listed names and the rules anchored in it (what the sentence model reads)."""

from __future__ import annotations

from dataclasses import dataclass

from streams.extraction import Extractor
from streams.extraction.learned import FeatureSpec
from streams.extraction.proposals import context_features, cue_names, sentence_cues, sentence_entities
from streams.extraction.text import lower_same_length

from .labels import GoldPassage
from .scoring import TYPES
from .splits import split_of


@dataclass(frozen=True)
class Example:
    split: str
    text: str
    labels: frozenset[str]
    entities: tuple[tuple[int, int, str], ...] = ()
    record: str = ""  # the article's record id: cross-validation folds keep an article's sentences together
    cues: tuple[str, ...] = ()  # the names of the rules anchored in it (proposals.sentence_cues), as at runtime
    readings: tuple[str, ...] = ()  # the types the rules read an event of in it ("q=denial"), as at runtime

    def context(self, spec: FeatureSpec) -> tuple[str, ...]:
        """What the rules read in the sentence, as far as the spec's features ask (proposals.ModelReader.candidates)."""
        return context_features(spec, self.cues, self.readings)


def examples(lang: str, gold: list[GoldPassage]) -> list[Example]:
    """Every sentence of every labelled passage, as the extractor's own splitter cuts it, with the types whose
    evidence it overlaps, the names of the rules whose anchor words stand in it and the types the rules read there."""
    engine = Extractor(model_root=None).engine(lang)
    segmenter = engine.segmenter
    names = cue_names(engine)
    out = []
    for item in gold:
        text, offset = item.passage.text, item.passage.start
        lowered = lower_same_length(text)
        hits = engine.scanner.scan(lowered)
        starts = [start for start, _ in hits]
        read = {(c.type, c.sentence_start) for c in engine.analyse(text, None, lowered, hits)}
        for sentence in segmenter.sentences(text):
            types = frozenset(
                e.type
                for e in item.events
                if e.evidence_start - offset < sentence.end and e.evidence_end - offset > sentence.start
            )
            out.append(
                Example(
                    split_of(item.passage.record_id),
                    text[sentence.start : sentence.end],
                    types,
                    sentence_entities(engine, text, sentence.start, sentence.end),
                    item.passage.record_id,
                    sentence_cues(names, hits, starts, sentence.start, sentence.end),
                    tuple(f"q={type_}" for type_ in TYPES if (type_, sentence.start) in read),
                )
            )
    return out
