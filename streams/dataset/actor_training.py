"""The learned actor choice: a logistic regression over the capitalised spans of a sentence the model proposes, fitted
on the labelled actors of the training sentences (picks one when the resolvers find none)."""

from __future__ import annotations

from streams.extraction import Extractor
from streams.extraction.learned import FeatureSpec, TypeModel, actor_candidates, actor_features
from streams.extraction.proposals import function_words, sentence_entities

from .crossval import OFF
from .labels import GoldPassage
from .linear import design, logistic_fit
from .scoring import _names_agree

ACTOR_THRESHOLD = 0.25
ACTOR_C = 1.0  # the actor model's regularisation (not cross-validated)
MIN_ACTORS = 10  # fewer labelled actors than this: no actor model


def actor_rows(lang: str, gold: list[GoldPassage], model: dict, spec: FeatureSpec) -> list[tuple[list[str], int]]:
    """(features, is the labelled actor) for every candidate span of every sentence of gold whose actor it names."""
    engine = Extractor(model_root=None).engine(lang)
    segmenter = engine.segmenter
    stop = function_words(engine)
    type_models = {t["type"]: TypeModel(t["type"], t["bias"], OFF, t["weights"]) for t in model["types"]}
    rows = []
    for item in gold:
        text, offset = item.passage.text, item.passage.start
        sentences = segmenter.sentences(text)
        for event in item.events:
            if event.actor_start is None or event.type not in type_models:
                continue
            start, end = event.actor_start - offset, event.actor_end - offset
            sentence = next((s for s in sentences if s.start <= start and end <= s.end), None)
            if sentence is None:
                continue  # the actor is named in another sentence: nothing in this one to choose
            body = text[sentence.start : sentence.end]
            anchor = type_models[event.type].anchor(
                body, spec, sentence_entities(engine, text, sentence.start, sentence.end)
            )
            if anchor is None:
                continue
            candidates = actor_candidates(body, stop)
            labels = [
                int(
                    _names_agree(c.text, event.actor_name or "")
                    and c.start < end - sentence.start
                    and c.end > start - sentence.start
                )
                for c in candidates
            ]
            if any(labels):
                rows.extend(
                    (actor_features(body, c, anchor, event.type), y) for c, y in zip(candidates, labels, strict=True)
                )
    return rows


def fit_actor(rows: list[tuple[list[str], int]]) -> dict | None:
    if sum(y for _, y in rows) < MIN_ACTORS:
        return None
    matrix, names = design([f for f, _ in rows])
    bias, weights = logistic_fit(matrix, names, [y for _, y in rows], ACTOR_C, 4)
    return {"bias": bias, "threshold": ACTOR_THRESHOLD, "rows": len(rows), "weights": weights}
