"""Actor names (names.py, the gazetteer's lists): listed, recognised by their form, or named right before a cue."""

from __future__ import annotations

from support.extraction import events_of, one_event
from support.sentences import sentence_table

from schemas import Article
from streams.extraction import Extractor


def _actor_names(text: str, lang: str, kind: str) -> list[tuple[str, str | None, str]]:
    return [(e.actor.name, e.actor.country, e.actor.kind) for e in events_of(text, lang, kind)]


def _denials(text: str, lang: str) -> list[tuple[str, str | None, str]]:
    return [(e.actor.name, e.actor.country, e.evidence.rule) for e in events_of(text, lang, "denial")]


def test_genitive_and_possessive_names() -> None:
    event = one_event("Russlands Regierung bestreitet die Berichte.", kind="denial")
    assert event.actor.country == "RUS"
    event = one_event("Russia's foreign ministry denied the reports.", "en", "denial")
    assert event.actor.country == "RUS"


def test_organisations_have_no_country() -> None:
    event = one_event("Die NATO verlegt zusätzliche Truppen nach Litauen.")
    assert (event.actor.name, event.actor.country, event.actor.kind.value) == ("NATO", None, "organization")
    event = one_event("Hezbollah denied the reports.", "en")
    assert (event.actor.country, event.actor.kind.value) == (None, "armed_group")


def test_an_officeholder_is_a_person_of_a_state() -> None:
    [event] = events_of("Sheinbaum denied the reports about cartel payments.", "en", "denial")
    assert (event.actor.name, event.actor.country, event.actor.kind.value) == ("Sheinbaum", "MEX", "person")


def test_a_named_armed_group_denies() -> None:
    [event] = events_of("The Syrian Democratic Forces denied Turkish claims about the attack.", "en", "denial")
    assert event.actor.country is None and "Syrian Democratic Forces" in event.actor.name


def test_an_organisation_named_with_its_head_noun_merges_with_its_bare_name() -> None:
    text = (
        "Die bewaffnete Gruppe ADF soll 300 Kämpfer in die Provinz Ituri verlegt haben. "
        "ADF soll die Kämpfer nach Ituri verlegt haben."
    )
    actors = {e.actor.name for e in events_of(text, "de", "deployment")}
    assert len(actors) == 1


@sentence_table("text", "country")
def test_a_capital_beginning_a_longer_english_name_is_not_its_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "policy_shift")} == {country}


@sentence_table("text", "country")
def test_a_capital_before_a_weekday_or_a_german_noun_still_stands_for_its_state(
    lang: str, text: str, country: str
) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


def test_a_bare_organ_keeps_its_whole_name() -> None:
    text = (
        "HANOI (Reuters) - Vietnam faces a dispute at sea. Vietnam has protested. "
        "The prime minister's office denied reports that talks had stalled."
    )
    assert [(e.actor.name, e.actor.country) for e in events_of(text, "en", "denial")] == [
        ("prime minister's office", "VNM")
    ]


def test_an_armed_group_named_as_a_clan_owns_the_fighters_it_moves() -> None:
    events = events_of("The Sierra Clan moved dozens of fighters into the port of Buenaventura.", "en", "deployment")
    assert [e.actor.name for e in events] == ["Sierra Clan"]


@sentence_table("text", "kind", "name")
def test_unlisted_organisations_act_without_a_country(lang: str, text: str, kind: str, name: str) -> None:
    [(actor, country, _)] = _actor_names(text, lang, kind)
    assert actor == name
    assert country is None


def test_armed_heads_make_armed_groups() -> None:
    [(_, _, kind)] = _actor_names("Die Miliz Zaraguma wies die Vorwürfe als Propaganda zurück.", "de", "denial")
    assert kind == "armed_group"


@sentence_table("text", "kind", "country")
def test_form_recognised_names_do_not_displace_states(lang: str, text: str, kind: str, country: str) -> None:
    assert {c for _, c, _ in _actor_names(text, lang, kind)} == {country}


@sentence_table("text")
def test_abbreviations_and_ship_prefixes_are_no_actors(lang: str, text: str) -> None:
    assert not any(e.actor.name in ("PUF", "USS") for e in events_of(text, lang))


@sentence_table("text", "name")
def test_a_name_glued_to_a_modifier_does_not_own_the_forces(lang: str, text: str, name: str) -> None:
    assert [e.actor.name for e in events_of(text, lang, "deployment")] == [name]


@sentence_table("text", "actor")
def test_the_rules_name_an_unlisted_subject_standing_right_before_the_cue(lang: str, text: str, actor: str) -> None:
    [(name, country, rule)] = _denials(text, lang)
    assert (name, country) == (actor, None)
    assert ".model." not in rule  # a lexicon rule found it, not the learned stage


@sentence_table("text")
def test_a_pronoun_or_a_bare_role_noun_is_not_taken_for_a_name(lang: str, text: str) -> None:
    rules_only = Extractor(model_root=None)
    assert [e for e in rules_only.extract(Article(id="a", text=text, lang=lang)).events] == []


def test_a_listed_actor_still_wins_over_the_words_before_the_cue() -> None:
    [(name, country, _)] = _denials("Der Kreml wies die Vorwürfe zurück.", "de")
    assert country == "RUS"
    # A capitalised adverb opening a verb-second clause is no name: the listed subject after the verb acts.
    [(name, country, _)] = _denials("Zugleich wies Peking die Vorwürfe entschieden zurück.", "de")
    assert (name, country) == ("Peking", "CHN")


@sentence_table("text", "country")
def test_capitals_in_local_spellings_stand_for_their_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


def test_a_capitalised_state_adjective_after_an_article_opens_an_organisations_name() -> None:
    # German writes adjectives lowercase: "Der Deutsche Journalisten-Verband" is the association, not Germany.
    text = "Der Deutsche Journalisten-Verband (DJV) wies die Anschuldigungen gegen Redaktionen am Montag zurück."
    assert [(n, c) for n, c, _ in _denials(text, "de")] == [("Deutsche Journalisten-Verband", None)]
    # ... while the lowercase adjective and a force or organ noun still name the state.
    assert [(n, c) for n, c, _ in _denials("Die japanische Regierung wies die Berichte zurück.", "de")] == [
        ("japanische Regierung", "JPN")
    ]


@sentence_table("text", "country")
def test_a_state_opening_a_longer_organ_name_acts_for_it(lang: str, text: str, country: str | None) -> None:
    # "the US National Security Council": a listed organisation's name ("Security Council") ending a longer one is
    # not that organisation, even when a state opens the run; the state acts. "the UN Security Council" stays the UN.
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}
