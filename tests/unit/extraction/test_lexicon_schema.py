"""Every lexicon validates against the strict schema; a new language is a new folder, nothing else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from schemas import Article, EventType, enum_values
from streams.extraction import Extractor
from streams.extraction.lexicon import DEFAULT_ROOT, available_languages, lexicon_fingerprint, read_lexicon
from streams.extraction.lexicon_schema import LEXICON_FILES

LANGUAGES = available_languages()


def test_german_and_english_are_shipped() -> None:
    assert {"de", "en"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lexicon_validates(lang: str) -> None:
    lexicon = read_lexicon(DEFAULT_ROOT / lang)
    assert lexicon.language.code == lang
    assert {rule.type for rule in lexicon.cues.rules} == set(enum_values(EventType))
    assert all(rule.id.startswith(f"{lang}.{rule.type}.") for rule in lexicon.cues.rules)


def _copy(lang: str, target: Path) -> Path:
    shutil.copytree(DEFAULT_ROOT / lang, target)
    return target


@pytest.mark.parametrize("section", LEXICON_FILES)
def test_unknown_keys_are_rejected(tmp_path: Path, section: str) -> None:
    folder = _copy("en", tmp_path / "en")
    path = folder / f"{section}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["surprise"] = ["not in the schema"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="surprise"):
        read_lexicon(folder)


def test_malformed_terms_and_unknown_classes_are_rejected(tmp_path: Path) -> None:
    folder = _copy("en", tmp_path / "en")
    path = folder / "cues.json"
    cues = json.loads(path.read_text(encoding="utf-8"))
    cues["rules"][0]["terms"].append("... dangling gap")
    path.write_text(json.dumps(cues), encoding="utf-8")
    with pytest.raises(ValidationError, match="gap"):
        read_lexicon(folder)
    cues["rules"][0]["terms"][-1] = "send {NO_SUCH_CLASS}"
    path.write_text(json.dumps(cues), encoding="utf-8")
    with pytest.raises(ValidationError, match="NO_SUCH_CLASS"):
        read_lexicon(folder)


def test_rule_types_and_ids_follow_the_event_type_enum(tmp_path: Path) -> None:
    folder = _copy("en", tmp_path / "en")
    path = folder / "cues.json"
    cues = json.loads(path.read_text(encoding="utf-8"))
    rule = cues["rules"][0]
    rule["type"], rule["id"] = "ceasefire", "en.ceasefire.agreed"
    path.write_text(json.dumps(cues), encoding="utf-8")
    with pytest.raises(ValidationError) as rejected:
        read_lexicon(folder)
    assert {error["loc"][-1] for error in rejected.value.errors()} == {"type", "id"}


def test_country_codes_must_be_alpha3(tmp_path: Path) -> None:
    folder = _copy("en", tmp_path / "en")
    path = folder / "entities.json"
    entities = json.loads(path.read_text(encoding="utf-8"))
    entities["metonyms"]["Russia"] = ["Kremlin"]
    path.write_text(json.dumps(entities), encoding="utf-8")
    with pytest.raises(ValidationError, match="alpha-3"):
        read_lexicon(folder)


def test_folder_name_must_match_the_language_code(tmp_path: Path) -> None:
    folder = _copy("en", tmp_path / "fr")
    with pytest.raises(ValueError, match="folder name"):
        read_lexicon(folder)


def _fake_language(root: Path) -> None:
    """A made-up language 'xx': English data with its own cue word, added as a folder only."""
    folder = _copy("en", root / "xx")
    language = json.loads((folder / "language.json").read_text(encoding="utf-8"))
    language["code"] = "xx"
    (folder / "language.json").write_text(json.dumps(language), encoding="utf-8")
    cues = json.loads((folder / "cues.json").read_text(encoding="utf-8"))
    for rule in cues["rules"]:
        rule["id"] = "xx." + rule["id"].split(".", 1)[1]
    deploy = next(rule for rule in cues["rules"] if rule["id"] == "xx.deployment.deploy")
    deploy["terms"].append("zorbled")
    (folder / "cues.json").write_text(json.dumps(cues), encoding="utf-8")


def test_a_new_language_is_a_data_only_change(tmp_path: Path) -> None:
    _copy("en", tmp_path / "en")
    _fake_language(tmp_path)
    extractor = Extractor(root=tmp_path, model_root=None)  # the lexicon's rules alone (models: test_learned)
    assert extractor.languages == ("en", "xx")
    result = extractor.extract(Article(id="a1", lang="xx", text="Russia zorbled 500 troops to Belarus."))
    assert result.supported and result.lang == "xx"
    [event] = result.events
    assert (event.actor.country, event.location.country, event.quantity.value) == ("RUS", "BLR", 500)
    assert event.evidence.rule == "xx.deployment.deploy"
    # The same sentence is no event in English, where "zorbled" is no cue.
    assert extractor.extract(Article(id="a2", lang="en", text="Russia zorbled 500 troops to Belarus.")).events == ()
    # Unknown languages pass through unsupported.
    assert extractor.extract(Article(id="a3", lang="fr", text="La Russie a envoyé des troupes.")).supported is False


def test_fingerprint_changes_with_the_data(tmp_path: Path) -> None:
    _copy("en", tmp_path / "en")
    before = lexicon_fingerprint(tmp_path)
    assert before == lexicon_fingerprint(tmp_path)
    path = tmp_path / "en" / "markers.json"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert lexicon_fingerprint(tmp_path) != before


@pytest.mark.parametrize("phrase", ["for fear that", "concern"])
def test_a_topic_phrase_has_exactly_two_words(tmp_path: Path, phrase: str) -> None:
    # nominal.GovernedNouns compares the two words before the article: a phrase of another length would load and
    # never match, so the schema refuses it.
    folder = _copy("en", tmp_path / "en")
    path = folder / "text.json"
    text = json.loads(path.read_text(encoding="utf-8"))
    text["topic_phrases"].append(phrase)
    path.write_text(json.dumps(text), encoding="utf-8")
    with pytest.raises(ValidationError, match="exactly two words"):
        read_lexicon(folder)
