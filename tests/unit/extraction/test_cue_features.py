"""The learned stage reading the rule engine's partial reading: the names of the rules whose anchor words stand in a
sentence are features (FeatureSpec.cues), computed from the anchor scan the rules run anyway."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.compiled import is_compiled, rerun_interpreted

from streams.extraction import Extractor, learned
from streams.extraction.learned import FeatureSpec, SentenceModel, TypeModel, load_model, model_path
from streams.extraction.proposals import ModelReader, cue_names, sentence_cues
from streams.extraction.text import lower_same_length


def test_the_rules_reading_follows_the_words_as_features() -> None:
    context = ("r=denial.reject", "t=denial")
    assert FeatureSpec(bigrams=False, cues=True).features("It rejected", (), context) == [
        "w=it",
        "w=rejected",
        "p=rejec",
        *context,
    ]


def test_a_sentence_names_the_rules_anchored_in_it_and_no_other_sentence_s() -> None:
    engine = Extractor(model_root=None).engine("en")
    text = "The ministry flatly denied the claims. Markets rose on Tuesday."
    hits = engine.scanner.scan(lower_same_length(text))
    starts = [start for start, _ in hits]
    names = cue_names(engine)
    cut = text.index("Markets")
    first = sentence_cues(names, hits, starts, 0, cut)
    assert "t=denial" in first and "r=denial.deny" in first
    assert first == tuple(sorted(set(first)))  # each once, in a fixed order: the features do not depend on the scan
    assert "t=denial" not in sentence_cues(names, hits, starts, cut, len(text))
    assert all(name.startswith("t=") and "." not in name for name, _ in names)  # a type, the same in every language


def _cue_model(lang: str) -> SentenceModel:
    """A model that proposes a denial only where a denial rule's anchor stands (no word of its own weighs enough)."""
    denial = TypeModel("denial", bias=-3.0, threshold=0.5, weights={"t=denial": 4.0, "w=statement": 1.0})
    return SentenceModel(
        name="toy", version="0", lang=lang, spec=FeatureSpec(cues=True), types=(denial,), triggers=("statem",)
    )


def test_the_reader_scores_a_sentence_with_its_rule_cues_whether_given_the_scan_or_not(monkeypatch, request) -> None:
    if is_compiled(learned):
        return rerun_interpreted(request)  # it patches SentenceModel.propose, which compiled code calls directly
    engine = Extractor(model_root=None).engine("en")
    reader = ModelReader(engine, _cue_model("en"))
    scored: list[tuple[str, tuple[str, ...]]] = []
    propose = SentenceModel.propose

    def recording(self: SentenceModel, sentence: str, entities=(), cues: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        scored.append((sentence, cues))
        return propose(self, sentence, entities, cues)

    monkeypatch.setattr(SentenceModel, "propose", recording)
    text = "Officials of Ruritania denied in a statement on Monday. The statement came late."
    lowered = lower_same_length(text)
    reader.candidates(text, [], None, lowered, (engine.scanner.scan(lowered), reader.model.screen(lowered)))
    given, scored[:] = list(scored), []
    reader.candidates(text, [], None, lowered)  # the reader runs the anchor scan itself
    assert scored == given
    [(first, cues), (second, none)] = given
    assert first.startswith("Officials") and "t=denial" in cues and "r=denial.deny" in cues
    assert second.startswith("The statement") and not any(c.startswith("t=denial") for c in none)
    # The toy model's denial weighs on the cue: scored with it the first sentence is over the threshold, the second not.
    model = reader.model
    assert [t for t, _, _ in model.propose(first, (), cues)] == ["denial"] and model.propose(second, (), none) == []


def test_a_model_trained_with_cue_features_loads_with_them(tmp_path: Path) -> None:
    raw = {
        "name": "toy",
        "version": "0",
        "lang": "en",
        "features": {"prefix_chars": 5, "suffix_chars": 0, "bigrams": True, "cues": True},
        "types": [{"type": "denial", "bias": -3.0, "threshold": 0.5, "weights": {"t=denial": 4.0}}],
        "triggers": ["denie"],
    }
    model_path("en", tmp_path).write_text(json.dumps(raw), encoding="utf-8")
    model = load_model("en", tmp_path)
    assert model is not None and model.spec.cues
    del raw["features"]["cues"]  # type: ignore[attr-defined]
    model_path("en", tmp_path).write_text(json.dumps(raw), encoding="utf-8")
    older = load_model("en", tmp_path)
    assert older is not None and not older.spec.cues


def test_the_reader_names_the_types_the_rules_read_in_the_sentence(monkeypatch, request) -> None:
    if is_compiled(learned):
        return rerun_interpreted(request)  # as above
    engine = Extractor(model_root=None).engine("en")
    deployment = TypeModel("deployment", bias=-3.0, threshold=0.5, weights={"q=denial": -2.0, "w=statement": 1.0})
    spec = FeatureSpec(readings=True)
    model = SentenceModel(name="toy", version="0", lang="en", spec=spec, types=(deployment,), triggers=("statem",))
    reader = ModelReader(engine, model)
    scored: list[tuple[str, ...]] = []
    propose = SentenceModel.propose

    def recording(self: SentenceModel, sentence: str, entities=(), context: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        scored.append(context)
        return propose(self, sentence, entities, context)

    monkeypatch.setattr(SentenceModel, "propose", recording)
    text = "Norway denied the allegation in a statement. The statement came late."
    lowered = lower_same_length(text)
    rules = engine.analyse(text, None, lowered)
    assert [c.type for c in rules] == ["denial"]
    reader.candidates(text, rules, None, lowered)
    assert scored == [("q=denial",), ()]  # no cue names: the spec does not ask for them


def test_a_training_sentence_carries_what_the_rules_read_as_the_spec_asks() -> None:
    from streams.dataset.sentences import Example

    example = Example("train", "Norway denied it.", frozenset(), cues=("t=denial",), readings=("q=denial",))
    assert example.context(FeatureSpec()) == ()
    assert example.context(FeatureSpec(cues=True, readings=True)) == ("t=denial", "q=denial")
    assert example.context(FeatureSpec(readings=True)) == ("q=denial",)


def test_the_sentence_form_is_what_a_bag_of_words_does_not_see() -> None:
    from streams.extraction.learned import sentence_shape

    assert sentence_shape("Ruritania moves 4,500 soldiers to its northern border") == ["x=open", "x=number"]
    assert sentence_shape("„Das stimmt nicht“, sagte die Sprecherin.") == ["x=stop", "x=quote"]
    assert sentence_shape("Der Minister: Wir bleiben dabei.") == ["x=stop", "x=colon"]
    spec = FeatureSpec(bigrams=False, shape=True)
    assert spec.features("Troops arrived")[-1] == "x=open"
    assert not any(f.startswith("x=") for f in FeatureSpec().features("Troops arrived"))


@pytest.mark.slow  # fits a small model
def test_a_model_names_the_feature_switches_it_was_fitted_with() -> None:
    from streams.dataset.sentences import Example
    from streams.dataset.train import fit

    texts = [("The ministry denied the reports.", {"denial"}), ("Markets rose in early trading.", set())] * 6
    examples = [Example("train", text, frozenset(labels), cues=("t=denial",)) for text, labels in texts]
    switched = fit("en", examples, FeatureSpec(shape=True, cues=True))["features"]
    assert switched["shape"] is True and switched["cues"] is True and "unread" not in switched
    plain = fit("en", examples, FeatureSpec())["features"]
    assert not {"shape", "cues", "readings", "unread"} & set(plain)


def _force_model() -> SentenceModel:
    """A model that proposes a deployment wherever "forces" stands, anchored on that word."""
    deployment = TypeModel("deployment", bias=-3.0, threshold=0.5, weights={"w=forces": 6.0})
    return SentenceModel(
        name="toy", version="0", lang="en", spec=FeatureSpec(), types=(deployment,), triggers=("force",)
    )


def test_a_proposal_s_forces_listed_with_their_owners_give_each_owner_an_event() -> None:
    # "Canadian, Dutch and Danish forces say they ...": no rule reads the sentence; the learned proposal's actor is the
    # forces' owner, and the names listed with it own them too, as in the rules' reading of such a list.
    engine = Extractor(model_root=None).engine("en")
    reader = ModelReader(engine, _force_model())
    text = "Canadian, Dutch and Danish forces say they are patrolling the strait near Oman."
    found = reader.candidates(text, [], None)
    assert sorted(c.actor.entity.country or "" for c in found) == ["CAN", "DNK", "NLD"]
    # A list that is the clause's subject, with the forces in a clause of their own, shares no proposal.
    subject = "Canada, Norway and Denmark call Ottawa as forces remain on the border."
    # Which one of them the toy model's anchor and the owner reading pick does not matter (review 17, finding 14).
    assert len(reader.candidates(subject, [], None)) == 1
