"""The learned stage: sentence features, the linear models, proposals read by the rule engine, and the model files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from support.extraction import english_deployment_verdict

from schemas import Article, EventType, enum_values
from streams.extraction import Extractor
from streams.extraction.learned import (
    MODEL_DIR,
    ActorModel,
    FeatureSpec,
    SentenceModel,
    TypeModel,
    actor_candidates,
    load_model,
    model_path,
    models_fingerprint,
)


def test_features_are_words_openings_and_bigrams() -> None:
    spec = FeatureSpec(prefix_chars=5, bigrams=True)
    assert spec.features("Troops arrived") == ["w=troops", "w=arrived", "p=troop", "p=arriv", "b=troops_arrived"]


def test_german_compound_heads_are_features_when_asked() -> None:
    spec = FeatureSpec(suffix_chars=6, bigrams=False)
    assert "s=rollen" in spec.features("Grenzkontrollen")
    assert not any(f.startswith("s=") for f in FeatureSpec(bigrams=False).features("Grenzkontrollen"))


def test_listed_names_count_by_their_category_not_as_themselves() -> None:
    spec = FeatureSpec(mask_entities=True)
    features = spec.features("North Korea sent troops", ((0, 11, "country"),))
    assert "w=ent:country" in features and "w=north" not in features and "p=korea" not in features
    assert "b=ent:country_sent" in features
    # Off: the same names are plain words.
    assert "w=north" in FeatureSpec().features("North Korea sent troops", ((0, 11, "country"),))


def _model(threshold: float = 0.5) -> SentenceModel:
    denial = TypeModel(
        "denial", bias=-3.0, threshold=threshold, weights={"w=denied": 4.0, "p=denie": 1.0, "w=reports": 0.5}
    )
    return SentenceModel(name="toy", version="0", lang="en", spec=FeatureSpec(), types=(denial,), triggers=("denie",))


def test_probability_is_the_logistic_of_the_summed_weights_counting_each_feature_once() -> None:
    model = _model().types[0]
    assert model.probability(["w=denied", "w=denied", "p=denie"]) == pytest.approx(1 / (1 + math.exp(-2.0)))


def test_a_sentence_over_the_threshold_is_proposed_at_its_strongest_word() -> None:
    sentence = "Officials denied the reports."
    [(type_, probability, (start, end))] = _model().propose(sentence)
    assert type_ == "denial" and probability > 0.5 and sentence[start:end] == "denied"
    assert _model(threshold=0.99).propose(sentence) == []
    assert _model().propose("Officials met the press.") == []


def test_the_screen_finds_words_that_open_with_a_trigger() -> None:
    model = _model()
    assert model.screen("officials denied it; denied.") == [10, 21]
    assert model.screen("officials undenied it") == [] and model.screen("") == []


def test_actor_candidates_skip_function_words_and_trailing_punctuation() -> None:
    spans = {c.text for c in actor_candidates("The agency of Jack Smith, said", frozenset({"the", "of"}))}
    assert "Jack Smith" in spans and "Smith" in spans and "The" not in spans and all("," not in s for s in spans)


def test_the_actor_model_picks_the_best_scored_span_above_its_threshold() -> None:
    sentence = "Krah bestreitet die Vorwürfe."
    anchor = (5, 15)
    model = ActorModel(bias=-1.0, threshold=0.5, weights={"side=before": 3.0})
    assert model.choose(sentence, anchor, "denial").text == "Krah"
    assert ActorModel(bias=-5.0, threshold=0.5, weights={}).choose(sentence, anchor, "denial") is None


def test_a_language_without_a_model_runs_on_rules_alone(tmp_path) -> None:
    assert load_model("fr", tmp_path) is None
    assert models_fingerprint(tmp_path) == models_fingerprint(tmp_path)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_committed_models_load_and_name_their_training_data(lang: str) -> None:
    model = load_model(lang)
    assert model is not None and model.lang == lang and model.triggers and model.actor is not None
    raw = json.loads((MODEL_DIR / f"{lang}.sentence.json").read_text(encoding="utf-8"))
    assert (
        raw["trained_on"]["labels"] and raw["dev"]["rules+model"]["micro"]["f1"] >= raw["dev"]["rules"]["micro"]["f1"]
    )
    assert {t.type for t in model.types} == set(enum_values(EventType))


def test_the_model_card_describes_the_committed_models() -> None:
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for lang in ("de", "en"):
        raw = json.loads((MODEL_DIR / f"{lang}.sentence.json").read_text(encoding="utf-8"))
        assert f"Labels {raw['trained_on']['labels']}" in card
        # C was chosen by cross-validation over train articles, which the card reports with the C chosen; screens and
        # thresholds on the mean of out-of-fold and dev F1, which the model may not lower.
        folds, dev = raw["cross_validation"], raw["dev"]
        assert f"Regularisation C {folds['c']} " in card and str(folds["c"]) in folds["c_tried"]
        assert "out-of-fold and dev F1" in card and folds["selection"] == "mean of out-of-fold and dev F1"
        for type_ in enum_values(EventType):
            with_model = folds["rules+model"][type_]["f1"] + dev["rules+model"][type_]["f1"]
            assert with_model >= folds["rules"][type_]["f1"] + dev["rules"][type_]["f1"] - 1e-9


@pytest.mark.parametrize(
    ("lang", "text", "type_"),
    [
        # A denial by someone the gazetteer does not list and the rules cannot name (one noun after an article):
        # the learned actor choice does.
        ("de", "Der Trainer bestritt die Vorwürfe des Spielers energisch.", "denial"),
    ],
)
def test_the_learned_stage_finds_what_the_rules_miss_and_names_itself(lang: str, text: str, type_: str) -> None:
    article = Article(id="a", text=text, lang=lang)
    assert [e for e in Extractor(model_root=None).extract(article).events if e.type.value == type_] == []
    [event] = [e for e in Extractor().extract(article).events if e.type.value == type_]
    assert event.evidence.rule == f"{lang}.{type_}.model.sentence-lr@1"
    assert text[event.evidence.start : event.evidence.end] == event.evidence.text


def test_the_learned_actor_is_never_the_tail_of_a_compound_after_a_number() -> None:
    # "Der 61-Jährige" refers to someone named before; its tail "Jährige" is no name (precision audit, German pool).
    tail = Article(id="a", text="Der 61-Jährige hat die Vorwürfe gegen ihn vor Gericht zurückgewiesen.", lang="de")
    assert [e.actor.name for e in Extractor().extract(tail).events] == []
    named = Article(
        id="b", text="Der Sänger Max Brandt hat die Vorwürfe gegen ihn vor Gericht zurückgewiesen.", lang="de"
    )
    assert [e.actor.name for e in Extractor().extract(named).events] == ["Sänger Max Brandt"]


def test_a_state_naming_a_coach_in_a_compound_gives_the_learned_actor_no_state() -> None:
    # "Slowakei-Trainer X": a national team's coach speaks for no state (precision audit, German pool); the rules
    # leave these sentences to the learned stage.
    coach = Article(id="a", text="Italien-Coach Rossi wies die Vorwürfe auf der Pressekonferenz von sich.", lang="de")
    assert not Extractor(model_root=None).extract(coach).events
    actors = [(e.actor.name, e.actor.country, e.actor.kind.value) for e in Extractor().extract(coach).events]
    assert actors == [("Italien-Coach Rossi", None, "person")]


def test_the_extractor_version_changes_with_the_model() -> None:
    assert Extractor().version != Extractor(model_root=None).version


def test_the_learned_stage_can_be_asked_for_before_the_engine() -> None:
    """reader() builds the engine it needs; the extractor's lock is not reentrant, so this once deadlocked."""
    extractor = Extractor()
    assert extractor.reader("en") is not None and extractor.reader("en").engine is extractor.engine("en")


@pytest.mark.slow  # fits two small models
def test_training_is_deterministic_and_learns_the_cue_words() -> None:
    """Two fits on the same labels give the same weights, and the words that mark a type weigh for it."""
    from streams.dataset.sentences import Example
    from streams.dataset.train import fit

    texts = [
        ("The ministry denied the reports.", {"denial"}),
        ("Officials denied the claims on Monday.", {"denial"}),
        ("The army denied any role.", {"denial"}),
        ("The spokesman denied the story.", {"denial"}),
        ("Troops were sent to the border.", {"deployment"}),
        ("More troops were sent to the north.", {"deployment"}),
        ("The navy sent troops to the coast.", {"deployment"}),
        ("Troops sent to the capital.", {"deployment"}),
        ("The weather was fine on Monday.", set()),
        ("Markets rose in early trading.", set()),
        ("The council met to discuss the budget.", set()),
        ("Fans filled the stadium for the final.", set()),
    ] * 3
    examples = [Example("train", text, frozenset(labels)) for text, labels in texts]
    spec = FeatureSpec()
    first, second = fit("en", examples, spec), fit("en", examples, spec)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    denial = next(t for t in first["types"] if t["type"] == "denial")["weights"]
    assert denial["w=denied"] > 0 and denial.get("w=troops", 0.0) <= 0
    # The regularisation cross-validation chooses is the one fitted: a weaker C shrinks the weights.
    shrunk = next(t for t in fit("en", examples, spec, c=0.1)["types"] if t["type"] == "denial")["weights"]
    assert 0 < shrunk["w=denied"] < denial["w=denied"]


def test_the_anchor_is_an_offset_into_the_sentence_as_written() -> None:
    """'İ' lowercases to two characters: offsets taken from a lowercased copy would run past the sentence."""
    model = TypeModel("denial", bias=0.0, threshold=0.5, weights={"w=denied": 2.0})
    sentence = "İİİ İstanbul denied it"
    start, end = model.anchor(sentence, FeatureSpec(mask_capitalised=True))
    assert sentence[start:end] == "denied"


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Russia sent 3,000 troops to Belarus; Moscow denied it.\nThe units deployed, officials said."),
        ("en", "Officials undenied nothing. The government rejected the reports as false and fabricated."),
        ("de", "Die Bundeswehr verlegt Soldaten nach Litauen. Moskau wies die Berichte als Lügen zurück."),
        ("de", ""),
    ],
)
def test_first_pass_finds_what_the_anchor_scan_and_the_screen_find_apart(lang: str, text: str) -> None:
    reader = Extractor().reader(lang)
    assert reader is not None
    lowered = text.lower()
    hits, screened = reader.first_pass.scan(lowered)
    apart = reader.engine.scanner.scan(lowered)
    # Hits at one offset may come in another order; analyse unites their terms.
    assert sorted((offset, sorted(terms)) for offset, terms in hits) == sorted(
        (offset, sorted(terms)) for offset, terms in apart
    )
    assert screened == reader.model.screen(lowered)
    assert bool(text) == bool(hits)  # the texts (but the empty one) hold anchors: the comparison is not vacuous


def _committed_with(directory: Path, lang: str, setting: dict, openings: set[str]) -> Extractor:
    """The committed model of lang with its deployment type at setting (threshold, anchor minimum) and these word
    openings screened: `make train` may switch a type off or narrow its screen (the twenty-first switched German
    deployment off, the twenty-second moved English deployment's minimum 1.25 -> 1.5, leaving "offen" unscreened),
    and the checks a learned proposal passes must hold whether or not the committed model proposes it."""
    raw = json.loads(model_path(lang, MODEL_DIR).read_text(encoding="utf-8"))
    next(t for t in raw["types"] if t["type"] == "deployment").update(setting)
    raw["triggers"] = sorted({*raw["triggers"], *openings})
    model_path(lang, directory).write_text(json.dumps(raw), encoding="utf-8")
    return Extractor(model_root=directory)


def _german_deployment_switched_on(directory: Path) -> Extractor:
    """German deployment as the twentieth release had it (threshold 0.2, anchor minimum 1.5, "solda" screened)."""
    return _committed_with(directory, "de", {"threshold": 0.2, "anchor_min_weight": 1.5}, {"solda"})


def test_a_learned_deployment_proposal_about_fleeing_soldiers_is_dropped(tmp_path) -> None:
    # Forces that flee or desert leave; they are not sent (markers.json "drawdown", precision audit, German pool).
    extractor = _german_deployment_switched_on(tmp_path)
    taken_in = "Der Irak hat mehr als 500 Soldaten der syrischen Armee aufgenommen."
    fled = "Der Irak hat mehr als 500 flüchtige Soldaten der syrischen Armee aufgenommen."
    rules = [e.evidence.rule for e in extractor.extract(Article(id="a", text=taken_in, lang="de")).events]
    assert rules == ["de.deployment.model.sentence-lr@1"]
    assert not extractor.extract(Article(id="b", text=fled, lang="de")).events


def test_a_learned_deployment_proposal_about_forces_that_fought_somewhere_stands() -> None:
    # Forces that fought in a place are there (the labels count troops that "have fought" an enemy "face-to-face" as
    # a deployment): "fought" and "seized control" left markers.json "combat" (thirteenth session),
    # and so did "fighting", "battle(s)", "shelling", a bare "attack", "offensive", "raid", "assault", "destroyed"
    # (fourteenth session, see below). Clashes still drop a proposal (they add external false alarms when let through).
    fought = "Kenyan troops have fought al-Shabab fighters face-to-face in the area of Kismayo in the last day."
    clashed = "Kenyan troops have clashed with al-Shabab fighters in the area of Kismayo in the last day."
    found = Extractor().extract(Article(id="a", text=fought, lang="en")).events
    assert [(e.evidence.rule, e.actor.country) for e in found] == [("en.deployment.model.sentence-lr@1", "KEN")]
    assert not Extractor().extract(Article(id="b", text=clashed, lang="en")).events


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan troops pressed their offensive in the area of Kismayo on Tuesday.",
        "Battles between Kenyan troops and al-Shabab fighters raged in the area of Kismayo on Tuesday.",
        "Kenyan troops destroyed several buildings in the area of Kismayo on Tuesday.",
        "Moroccan troops began their assault on the village of Tifariti on Monday.",
        # "occupied" names the place here, not what the troops did ("the occupied West Bank").
        "Moroccan troops patrolled a village in the occupied Western Sahara on Monday.",
    ],
)
def test_forces_fighting_in_a_place_are_a_deployment(text: str) -> None:
    # The labels count an army's offensive, battles, raids, assaults and the damage it does in a place as forces
    # there (train sentences of the kinds "an army's offensive went on in a town", "battles between an army and a
    # militia raged in a city", "soldiers destroyed buildings at a campus"); none of these words drops an
    # external none-item that no other marker drops. Taking a place ("have occupied the village") still does.
    found = Extractor().extract(Article(id="a", text=text, lang="en")).events
    assert [e.type.value for e in found] == ["deployment"]
    assert all(e.actor.country in ("KEN", "MAR") for e in found)
    taken = "Moroccan troops have occupied the village of Tifariti in Western Sahara."
    assert not Extractor().extract(Article(id="b", text=taken, lang="en")).events


def test_forces_that_killed_fighters_are_a_learned_deployment_but_forces_killed_are_not() -> None:
    # "killed" drops a lexicon cue (casualties beside a presence or raid cue are mostly fighting, and the rule path
    # gave +20 false alarms without it), but a learned proposal stands on an anchor word that names the forces' move:
    # on train the word dropped 12 labelled learned deployments and 2 false ones (sixteenth session). It left
    # markers.json "combat" and is a clauses.learned_disqualifier_exceptions word; forces that were killed (the
    # victim forms of cues.json, "troops were killed", "troops killed by") still drop the proposal (a CASE2021
    # none-item of that kind).
    killing = "Kenyan troops have killed twelve al-Shabab fighters in the area of Kismayo, the army said."
    found = Extractor().extract(Article(id="a", text=killing, lang="en")).events
    assert [(e.evidence.rule, e.actor.country) for e in found] == [("en.deployment.model.sentence-lr@1", "KEN")]
    killed = (
        "At least five Niger troops killed by mines: army Niamey, May 3 (AFP) - Five soldiers were killed on Sunday."
    )
    assert not Extractor().extract(Article(id="b", text=killed, lang="en")).events
    # The rule path keeps the word: a stationing cue beside the dead states no deployment.
    stationed = "Several Kenyan soldiers stationed near Kismayo were killed in a mortar attack on their camp."
    assert not [
        e
        for e in Extractor().extract(Article(id="c", text=stationed, lang="en")).events
        if "model" not in e.evidence.rule
    ]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        (
            "Nigerian special forces entered the village of Bama overnight in an operation to rescue three hostages.",
            "NGA",
        ),
        (
            "Kenya's allies warned that its plan to send ground forces into Kismayo would be a disaster for the displaced.",
            "KEN",
        ),
    ],
)
def test_a_rescue_or_a_feared_disaster_leaves_a_learned_deployment_standing(text: str, country: str) -> None:
    # "rescue", "disaster" and "pressure on" drop a lexicon cue (relief work, natural disasters), not a learned
    # proposal: on train they dropped 5 labelled learned deployments (hostage rescues, warnings that sending troops
    # would be a disaster, operations to keep military pressure on an enemy) and 1 false one; the external sets are
    # unchanged ("hit" stays: it would let a CASE2021 none-item through).
    found = Extractor().extract(Article(id="a", text=text, lang="en")).events
    assert [(e.evidence.rule, e.actor.country) for e in found] == [("en.deployment.model.sentence-lr@1", country)]


def test_an_offensive_against_an_enemy_still_drops_a_learned_proposal(tmp_path: Path) -> None:
    # "intensified an offensive against Houthi-held territory", "launched an offensive military operation against
    # militants": the external sets count these as fighting (CASE2021, PLOVER), so "offensive against" and
    # "offensive military" stay combat markers.
    # English deployment as the twenty-first release had it (threshold 0.3, anchor minimum 1.25, "offen" screened),
    # so that "offensive" is read by the model whatever the committed screen holds.
    extractor = _committed_with(tmp_path, "en", {"threshold": 0.3, "anchor_min_weight": 1.25}, {"offen"})
    text = "Kenyan troops launched an offensive against al-Shabab fighters in the area of Kismayo on Tuesday."
    assert not extractor.extract(Article(id="a", text=text, lang="en")).events
    # An owned offensive against an enemy is the owner's forces there (sixteenth session: only the forms with an
    # indefinite article stay markers, "resumed its offensive against Hamas in Gaza" is labelled a deployment).
    owned = "On Friday the Kenyan army resumed its offensive against al-Shabab in the area of Kismayo."
    found = extractor.extract(Article(id="c", text=owned, lang="en")).events
    assert [(e.evidence.rule, e.actor.country) for e in found] == [("en.deployment.model.sentence-lr@1", "KEN")]
    # An offensive nobody in its phrase owns ("the military offensive", "an offensive") gave the actor stage
    # whoever else the sentence names (train: a Hamas leader, the UN, a critic): those forms stay markers too.
    ownerless = (
        "In response to the military offensive in Kismayo, al-Shabab leader Ahmed Diriye said Kenya would"
        " never impose its will on the movement."
    )
    assert not extractor.extract(Article(id="b", text=ownerless, lang="en")).events


def test_a_state_that_reports_troop_movements_is_not_their_actor() -> None:
    # "Ukraine meldet Truppenbewegungen": the subject of a reporting verb is the source, not whose forces move
    # (precision audit, German pool); the actor model's proposal is dropped rather than given to the reporter.
    reported = Article(id="a", text="Litauen meldet Truppenbewegungen an der Grenze zu Belarus.", lang="de")
    assert not Extractor().extract(reported).events
    moved = Article(id="b", text="Litauen verlegt Truppen an die Grenze zu Belarus.", lang="de")
    assert [(e.actor.name, e.actor.country) for e in Extractor().extract(moved).events] == [("Litauen", "LTU")]


def test_a_common_word_opening_the_sentence_is_no_learned_actor() -> None:
    # English capitalises a common noun only where a sentence opens ("Analysts say ..."): a one-word pick there is a
    # name only when the text writes it capitalised elsewhere too (precision audit, English train pool).
    common = Article(
        id="a", text="Observers believe soldiers will be deployed to the frontier within weeks.", lang="en"
    )
    assert [e.actor.name for e in Extractor().extract(common).events] == []
    text = "Ramirez says troops will be deployed to the frontier within weeks. Later, Ramirez was asked about it."
    named = Article(id="b", text=text, lang="en")
    assert [e.actor.name for e in Extractor().extract(named).events] == ["Ramirez"]


def test_the_learned_actor_is_never_a_cue_of_the_type_opening_the_sentence() -> None:
    # "Weist die Vorwürfe ... zurück: X" opens with the denial's own verb, capitalised: the verb names no one.
    headline = Article(id="a", text="Weist die Vorwürfe als haltlos zurück: Der Sänger Max Brandt.", lang="de")
    assert "Weist" not in {e.actor.name for e in Extractor().extract(headline).events}


@pytest.mark.parametrize(
    "text",
    [
        "Up to 2,000 Kenyan troops killed since the war began, says the minister.",
        "It brings the number of Kenyan soldiers killed so far in the Kismayo campaign to 85, the army said.",
        "Almost 900 Kenyan troops killed or missing near Kismayo this year, US officials say.",
    ],
)
def test_forces_counted_as_killed_without_an_auxiliary_drop_a_learned_proposal(text: str) -> None:
    # Tallies write the victims' participle bare ("troops killed since", "killed so far", "killed or wounded"): the
    # victim forms of cues.json now take these after a force word. Out of fold the fold models proposed two such
    # train tallies as deployments; no labelled deployment holds one. "killed in" stays out: a glued headline ("24
    # soldiers killed in Gaza") would drop the labelled sentence glued to it. The active "troops killed twelve
    # fighters" has an object instead and stands.
    assert english_deployment_verdict(text, "troops" if "troops" in text else "soldiers") == "scope"
    active = "Kenyan troops killed twelve al-Shabab fighters in the area of Kismayo on Monday."
    assert english_deployment_verdict(active, "troops") == "event for KEN"


def test_force_used_or_a_weapon_deployed_is_no_learned_deployment() -> None:
    # "deployed deadly force", "used lethal force", "deployed a chemical weapon": force as violence and weapons, not
    # forces sent (cues.json disqualifiers; a dev rule alarm and an out-of-fold train proposal; 16 train and dev
    # sentences hold the words, none in a labelled deployment; "with maximum force" stays, one labelled sentence).
    weapon = "The envoy said Kenya has already deployed a chemical weapon against the rebels in Kismayo."
    assert english_deployment_verdict(weapon, "deployed") == "scope"
    troops = "The envoy said Kenya has already deployed troops against the rebels in Kismayo."
    assert english_deployment_verdict(troops, "deployed") == "event for KEN"
