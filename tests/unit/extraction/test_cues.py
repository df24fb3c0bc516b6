"""Lexicon cue coverage: the phrasings of each event type that are events, each beside its near misses."""

from __future__ import annotations

from support.extraction import actors_of, deployments_of, events_of, one_event, summaries_of
from support.sentences import sentence_table


def test_policy_shift_and_reaffirmation() -> None:
    event = one_event("Die Bundesregierung vollzieht eine Kehrtwende bei den Waffenlieferungen.", kind="policy_shift")
    assert event.actor.country == "DEU"
    event = one_event("The European Union lifted its arms embargo on Vietnam.", "en", "policy_shift")
    assert event.actor.name == "European Union"
    assert events_of("Britain will stick to its policy and keep the arms embargo.", "en", "policy_shift") == []


@sentence_table("text", "kind")
def test_further_cue_phrasings_are_events(lang: str, text: str, kind: str) -> None:
    assert events_of(text, lang, kind), text


@sentence_table("text")
def test_an_urged_planned_or_sporting_arrival_is_no_event(lang: str, text: str) -> None:
    assert events_of(text, lang) == []


def test_providing_barracks_for_a_brigade_is_no_deployment() -> None:
    assert not events_of("Die estnische Regierung stellt für die Brigade Unterkünfte und Übungsplätze bereit.", "de")


def test_a_noun_of_reinforcements_welcomed_is_no_act_but_the_verb_is() -> None:
    assert deployments_of("The mayor of Tromsø welcomed the reinforcements but asked for more housing.", "en") == []
    assert "NOR" in {
        a for a, _, _ in deployments_of("Norway reinforced its garrison in Tromsø with 200 soldiers.", "en")
    }


@sentence_table("text", "country")
def test_falsehood_predicates_and_spokespeople_are_denials(lang: str, text: str, country: str) -> None:
    assert actors_of(text, lang, "denial") == {country}


@sentence_table("text", "country")
def test_denied_content_passive_agents_and_relatives_find_their_denier(lang: str, text: str, country: str) -> None:
    """A refusal word inside the content denied cancels nothing ('denied reports that convoys were refused access');
    a passive agent stands past a coordinated verdict ('called "inaccurate" and "reckless" by the Lagos Stock
    Exchange', the name whole though a place opens it); a relative named by a genitive denies for themselves ('The
    Greek minister's wife denied', not Greece)."""
    assert actors_of(text, lang, "denial") == {country}


@sentence_table("text")
def test_a_refusal_word_as_the_object_of_the_denial_verb_still_cancels(lang: str, text: str) -> None:
    """'denied the journalists access', 'denied their request for talks': a refusal, no denial."""
    assert actors_of(text, lang, "denial") == set()


@sentence_table("text")
def test_negated_or_objectless_falsehoods_are_no_denials(lang: str, text: str) -> None:
    assert actors_of(text, lang, "denial") == set()


@sentence_table("text", "country")
def test_force_movements_without_a_send_verb_are_deployments(lang: str, text: str, country: str) -> None:
    assert actors_of(text, lang, "deployment") == {country}


@sentence_table("text")
def test_casualties_drawdowns_and_travelling_officers_are_no_deployments(lang: str, text: str) -> None:
    assert actors_of(text, lang, "deployment") == set()


@sentence_table("text", "country")
def test_abandoned_positions_and_ended_restrictions_are_policy_shifts(lang: str, text: str, country: str) -> None:
    assert actors_of(text, lang, "policy_shift") == {country}


@sentence_table("text")
def test_kept_demanded_or_sporting_positions_are_no_policy_shifts(lang: str, text: str) -> None:
    assert actors_of(text, lang, "policy_shift") == set()


@sentence_table("text", "countries")
def test_each_actor_of_a_clause_has_its_own_policy_shift(lang: str, text: str, countries: str) -> None:
    # One event per type and clause, except a policy shift of another actor ("... after Washington threatened to").
    assert sorted(e.actor.country or "" for e in events_of(text, lang, "policy_shift")) == countries.split()


@sentence_table("text", "type", "countries")
def test_each_actor_of_a_clause_has_its_own_deployment_or_denial(
    lang: str, text: str, type: str, countries: str
) -> None:
    # A deployment or denial cue of its own with another actor named after the clause's first event is its own event
    # ("... after China and Russia send"), as for policy shifts; the same actor's second cue is not.
    assert sorted(e.actor.country or "" for e in events_of(text, lang, type)) == countries.split()


@sentence_table("text", "actor")
def test_german_softened_bans_and_halted_plans_are_policy_shifts(lang: str, text: str, actor: str) -> None:
    assert summaries_of(text, lang) == [("policy_shift", actor, None)]


@sentence_table("text", "actor", "place")
def test_english_naval_forces_and_speaker_actors_are_deployments(lang: str, text: str, actor: str, place: str) -> None:
    assert summaries_of(text, lang) == [("deployment", actor, place)]


@sentence_table("text", "actor")
def test_contractors_flights_and_current_capitals_are_read(lang: str, text: str, actor: str) -> None:
    assert actor in {e.actor.country for e in events_of(text, lang, "deployment")}


@sentence_table("text")
def test_vehicles_delivered_and_civilians_travelling_are_no_deployments(lang: str, text: str) -> None:
    assert events_of(text, lang, "deployment") == []


@sentence_table("text", "actor")
def test_english_policy_phrasings_of_reinstating_ending_and_opening(lang: str, text: str, actor: str) -> None:
    assert actor in {e.actor.country for e in events_of(text, lang, "policy_shift")}


@sentence_table("text")
def test_negated_demanded_or_routine_checks_are_no_policy_shift(lang: str, text: str) -> None:
    assert events_of(text, lang, "policy_shift") == []


@sentence_table("text", "country", "modality")
def test_german_policy_shifts(lang: str, text: str, country: str, modality: str) -> None:
    [event] = events_of(text, lang, "policy_shift")
    assert (event.actor.country, event.modality.value) == (country, modality)


@sentence_table("text", "name")
def test_international_bodies_shift_policy_by_name(lang: str, text: str, name: str) -> None:
    [event] = events_of(text, lang, "policy_shift")
    assert (event.actor.name, event.actor.country) == (name, None)


@sentence_table("text")
def test_german_policy_near_misses(lang: str, text: str) -> None:
    assert events_of(text, lang, "policy_shift") == []


def test_returning_soldiers_are_no_deployment() -> None:
    assert events_of("Die letzten 80 Soldaten sind nach ihrer Rückkehr in Köln gelandet.", "de", "deployment") == []


@sentence_table("text", "kind")
def test_audited_false_alarm_categories_are_no_events(lang: str, text: str, kind: str) -> None:
    # From the precision audits of whole train/dev pool articles (German in the ninth session, English in the tenth;
    # an English line's "note" names its category). German: 'bestreiten' a match, tour, race, election or one's
    # living; an indicative 'hat mit ... nichts zu tun'; leaving a country or a show; police on duty at an event; a
    # rate cut judged by an onlooker; an emergency declared for a storm; forces pressing on along a front; a parade;
    # a falsehood word that is its own "claim" ("mit Falschbehauptungen Stimmung gemacht"); a yes/no question; (second
    # round) denying the Holocaust, and a headline whose only capitalised words are the claim denied.
    # English: a negation written with a typographic or mis-encoded apostrophe; forces abroad as the target of an
    # attack; one soldier's service, trial or training; sending words or shells; civilians told to move; recognition
    # as a standing status, a condition or opposed; a crossing already open or aid still frozen; outsiders trying to
    # force a change; insisting on what rebuts no claim; refusing someone something.
    # Sixteenth session (fresh unlabelled text): a change urged ('it is essential that X changes course'); the course
    # of a war; an invitation to join sought; an analyst's word; 'There' as a speaker; a newsroom's 'we have been
    # reporting' as the claim.
    assert events_of(text, lang, kind) == []


@sentence_table("text", "kind", "actor")
def test_neighbours_of_audited_false_alarms_stay_events(lang: str, text: str, kind: str, actor: str) -> None:
    assert actors_of(text, lang, kind) == {actor}


def test_an_officeholder_denying_his_own_conduct_speaks_for_no_state() -> None:
    # cues.json PERSONAL_CLAIM ('allegations he', 'against him', misconduct): the denial is the person's, not Britain's.
    [event] = events_of("Rishi Sunak denied allegations he had misled the Commons.", "en", "denial")
    assert (event.actor.name, event.actor.country) == ("Rishi Sunak", None)


@sentence_table("text", "actor")
def test_a_state_adjective_before_a_private_noun_is_no_state(lang: str, text: str, actor: str) -> None:
    # text.json private_nouns: "Russian MP denies ..." is the MP's denial, not Russia's.
    [event] = events_of(text, lang, "denial")
    assert (event.actor.name, event.actor.country) == (actor, None)


@sentence_table("text", "actor")
def test_a_body_run_by_a_name_acts_as_that_body(lang: str, text: str, actor: str) -> None:
    # text.json controller_participles: "the Hamas-run ministry denied ..." is the ministry's denial, not Hamas's,
    # and not that of a state named in an earlier clause.
    [event] = events_of(text, lang, "denial")
    assert (event.actor.name, event.actor.country) == (actor, None)


@sentence_table("text", "name")
def test_a_quoted_denial_or_a_denial_idiom_names_its_denier(lang: str, text: str, name: str) -> None:
    # "«...», sagte X": where the verb comes second, the speaker follows the speech verb after the quote. cues.json also
    # holds the verb-final, subjunctive and zu-infinitive forms of the denial verbs and the idioms of a claim not let
    # stand ("so nicht stehen lassen", "nicht auf sich sitzen lassen"), each naming its subject.
    assert [e.actor.name for e in events_of(text, lang, "denial")] == [name]


@sentence_table("text")
def test_a_quoted_statement_or_idiom_without_a_denial_is_none(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") == []


@sentence_table("text", "noun")
def test_a_claim_noun_never_denies(lang: str, text: str, noun: str) -> None:
    assert noun not in {e.actor.name for e in events_of(text, lang, "denial")}


@sentence_table("text", "actor")
def test_armed_groups_taking_or_entering_a_place_are_their_deployments(lang: str, text: str, actor: str) -> None:
    # cues.json ARMED_GROUP and de.deployment.group_advance: the group is the subject the cue opens with, and acts
    # for no state (armed_groups.py); a group governed by a genitive or 'von' is what others take, not who acts.
    [event] = events_of(text, lang, "deployment")
    assert (event.actor.name, event.actor.country) == (actor, None)


@sentence_table("text", "name")
def test_a_source_phrase_in_the_denying_clause_says_the_denial(lang: str, text: str, name: str) -> None:
    """'Die Vorwürfe sind laut X haltlos', 'Laut X entbehren die Berichte jeder Grundlage': where the verb comes second
    and no speech verb governs the cue, the source of 'laut' / 'nach Angaben' in the cue's own clause denies; a role
    or claim noun there ('laut seinem Anwalt', 'laut Bericht') names no one."""
    assert [e.actor.name for e in events_of(text, lang, "denial")] == ([name] if name else [])


@sentence_table("text", "rule")
def test_a_word_that_only_begins_like_a_cue_stem_fires_no_rule(lang: str, text: str, rule: str) -> None:
    # The fifteenth session's stem audit: a stem written with a trailing '*' matched unrelated words of the train
    # records (closely, Putin, ceasefire, several; unwahrscheinlich, Rücktritt, Stellungnahme, Stockholm), so it was
    # narrowed to the word's own forms. Each line fired its rule on the words alone before; the "note" names them.
    assert rule not in {event.evidence.rule for event in events_of(text, lang)}, text


@sentence_table("text", "modality")
def test_a_word_that_only_begins_like_a_modal_marker_leaves_the_modality(lang: str, text: str, modality: str) -> None:
    # The same audit of the hedges: 'considerable', 'weight' and a name such as 'Mullins' hedged the event.
    [event] = events_of(text, lang)
    assert event.modality.value == modality, text
