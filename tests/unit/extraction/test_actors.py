"""The actors stage (streams/extraction/actors.py): who acts in a cue's clause, and who acts with them."""

from __future__ import annotations

from support.extraction import actors_of, events_of, one_event, summaries_of
from support.sentences import sentence_table
from support.stages import cue_context, engine, reading


def _actor(sentence: str, lang: str = "en", kind: str = "deployment", before: str = "") -> tuple[str, str, str] | None:
    ctx = cue_context(sentence, lang, kind, before)
    actor = engine(lang).actors.actor(ctx, reading(ctx, lang))
    return None if actor is None else (actor.name, actor.entity.key, actor.via)


def _actor_countries(text: str, lang: str, kind: str) -> set[str | None]:
    return {e.actor.country for e in events_of(text, lang, kind)}


@sentence_table("sentence", "expected")
def test_a_deployment_is_done_by_the_owner_of_its_forces(lang: str, sentence: str, expected: list[str]) -> None:
    assert _actor(sentence, lang) == tuple(expected)


def test_the_subject_acts() -> None:
    assert _actor("Russia sent troops to Syria.") == ("Russia", "RUS", "subject")


def test_a_name_after_a_blocking_preposition_is_no_subject() -> None:
    # "Kyiv" is the subject; Germany is who is urged.
    assert _actor("Kyiv urged Germany to send troops to Ukraine.") == ("Kyiv", "UKR", "subject")


def test_the_speaker_acts_when_the_clause_names_nobody() -> None:
    assert _actor("Australia said it would send 100 troops to the Solomon Islands.") == ("Australia", "AUS", "speaker")


@sentence_table("sentence", "before", "name")
def test_a_bare_organ_acts_for_the_article_s_state(lang: str, sentence: str, before: str, name: str) -> None:
    assert _actor(sentence, lang, "denial", before) == (name, "SRB", "organ")
    assert _actor(sentence, lang, "denial") is None  # no state named anywhere else


def test_policy_shifts_are_not_made_by_bodies_known_only_by_their_form() -> None:
    assert _actor("Germany decided to lift the arms embargo.", kind="policy_shift") == ("Germany", "DEU", "subject")
    assert _actor("The Arakan Army decided to lift the arms embargo.", kind="policy_shift") is None


def test_coordinated_actors_are_partners() -> None:
    ctx = cue_context("France and Germany will send troops to Romania.", "en", "deployment")
    sentence_reading = reading(ctx, "en")
    actor = engine("en").actors.actor(ctx, sentence_reading)
    assert actor.name == "France"
    assert [(p.name, p.via) for p in engine("en").actors.partners(ctx, actor, sentence_reading)] == [
        ("Germany", "subject")
    ]


@sentence_table("sentence", "partners")
def test_an_article_after_the_coordinator_still_joins_the_names(lang: str, sentence: str, partners: list[str]) -> None:
    kind = "policy_shift" if lang == "en" else "deployment"
    ctx = cue_context(sentence, lang, kind)
    sentence_reading = reading(ctx, lang)
    actor = engine(lang).actors.actor(ctx, sentence_reading)
    assert sorted(p.name for p in engine(lang).actors.partners(ctx, actor, sentence_reading)) == partners


def test_a_name_alone_has_no_partners() -> None:
    ctx = cue_context("Russia sent troops to Syria and Iraq.", "en", "deployment")
    sentence_reading = reading(ctx, "en")
    actor = engine("en").actors.actor(ctx, sentence_reading)
    assert engine("en").actors.partners(ctx, actor, sentence_reading) == []


def test_foreign_forces_stationed_right_after_their_noun() -> None:
    stages = engine("de")
    ctx = cue_context(
        "Nach Erkenntnissen des ukrainischen Militärgeheimdienstes sollen nordkoreanische Soldaten bereits in "
        "Kursk sein.",
        "de",
        "deployment",
    )
    sentence_reading = reading(ctx, "de")
    actor = stages.actors.actor(ctx, sentence_reading)
    place = stages.places.location(ctx, sentence_reading.mentions, sentence_reading.attributions)
    assert stages.actors.owners.stationed_abroad(ctx.text, actor, place)
    assert not stages.actors.owners.stationed_abroad(ctx.text, actor, None)


@sentence_table("text", "country", "name")
def test_german_actors(lang: str, text: str, country: str, name: str) -> None:
    event = one_event(text, lang, "deployment")
    assert (event.actor.country, event.actor.name, event.actor.kind.value) == (country, name, "state")


def test_the_force_owner_beats_the_place() -> None:
    event = one_event("Ukrainische Truppen sind in die russische Region Kursk vorgestoßen und wurden dort stationiert.")
    assert (event.actor.country, event.location.name, event.location.country) == ("UKR", "Kursk", "RUS")


def test_german_compounds_and_nouns() -> None:
    event = one_event("Die Truppenentsendung Frankreichs nach Estland wurde am Montag abgeschlossen.")
    assert event.actor.country == "FRA" and event.location.country == "EST"
    event = one_event("Die Stationierung deutscher Soldaten in Litauen beginnt.")
    assert (event.actor.country, event.location.country) == ("DEU", "LTU")


@sentence_table("text", "kind", "country")
def test_people_and_titles_act_for_their_state(lang: str, text: str, kind: str, country: str) -> None:
    assert _actor_countries(text, lang, kind) == {country}


@sentence_table("text", "kind", "country")
def test_a_state_joined_to_a_qualifying_participle_does_not_act(lang: str, text: str, kind: str, country: str) -> None:
    # "Iran-backed militias", "the Qatar-based network": the state qualifies the noun after it (text.json
    # qualifier_participles); the noun acts or, unnamed, nobody does.
    assert country not in _actor_countries(text, lang, kind)


@sentence_table("text", "country")
def test_a_deployment_noun_after_a_topic_preposition_is_not_run_by_the_subject(
    lang: str, text: str, country: str
) -> None:
    # text.json topic_prepositions and topic_phrases: "opposed to the military operation", "concern that a military
    # operation" is spoken about, not run, by the subject.
    assert country not in _actor_countries(text, lang, "deployment")


@sentence_table("text", "kind", "countries")
def test_coordinated_actors_each_get_an_event(lang: str, text: str, kind: str, countries: list[str]) -> None:
    assert _actor_countries(text, lang, kind) == set(countries)


def test_a_list_without_coordinator_is_no_coalition() -> None:
    countries = _actor_countries("In Vienna, Austria denied the report.", "en", "denial")
    assert countries == {"AUT"}


def test_names_after_a_preposition_are_not_partners() -> None:
    assert _actor_countries(
        "Talks between Chile and Peru ended as Bolivia moved troops to the border.", "en", "deployment"
    ) <= {"BOL"}


@sentence_table("text", "kind", "actor")
def test_a_dateline_place_is_never_the_actor(lang: str, text: str, kind: str, actor: str) -> None:
    [event] = events_of(text, lang, kind)
    assert event.actor.country is None and actor in event.actor.name


def test_a_capitalised_article_after_a_dash_opens_a_new_clause_not_a_relative_one() -> None:
    # "Die" after a dash is an article: the clause before it ("Brüssel") must not join the cue clause.
    [event] = events_of("Rom – Die Eurogruppe und die Nato schicken 300 Soldaten nach Moldau.", "de", "deployment")
    assert event.actor.country is None


@sentence_table("text", "country")
def test_a_subordinate_clause_has_its_own_subject(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


def test_as_many_as_opens_no_clause() -> None:
    [event] = events_of("Chad sent as many as 900 soldiers to Niger.", "en", "deployment")
    assert event.actor.country == "TCD"


@sentence_table("text", "kind", "actor")
def test_a_state_qualifying_an_organisation_does_not_act(lang: str, text: str, kind: str, actor: str) -> None:
    [event] = events_of(text, lang, kind)
    assert event.actor.country is None and actor in event.actor.name


@sentence_table("text", "actor")
def test_forces_after_by_or_through_are_not_the_ones_sent(lang: str, text: str, actor: str) -> None:
    [event] = events_of(text, lang, "deployment")
    assert event.actor.name == actor


def test_the_content_of_a_denial_names_no_actor() -> None:
    # The denier is unknown to the gazetteer: the state named inside the denied claim must not stand in for it.
    assert not events_of("The regional council denied allegations that Serbia had armed the militia.", "en", "denial")


@sentence_table("text", "country")
def test_a_leaders_office_acts_for_the_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


@sentence_table("text", "country")
def test_a_bare_organ_denies_for_the_state_the_article_is_about(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


@sentence_table("text")
def test_a_bare_organ_without_any_state_in_the_article_acts_for_nobody(lang: str, text: str) -> None:
    assert events_of(text, lang, "denial") == []


def test_an_organ_sent_to_the_state_the_article_names_most_is_not_that_state() -> None:
    text = (
        "Luftwaffe verlegt Kampfjets nach Litauen\n\nVilnius (dpa) – Litauen hatte um Hilfe gebeten. "
        "Litauen liegt an der Ostsee."
    )
    assert all(e.actor.country != "LTU" for e in events_of(text, "de", "deployment"))


def test_an_organ_keeps_a_domestic_destination() -> None:
    text = "BOGOTA (Reuters) - Colombia faces unrest. The army sent 900 soldiers to the province of Cauca on Sunday."
    events = events_of(text, "en", "deployment")
    assert [(e.actor.country, e.location.name if e.location else None) for e in events] == [("COL", "Cauca")]


def test_a_statement_after_a_dash_keeps_its_own_unlisted_subject() -> None:
    text = "Kairo öffnet die Grenze zu Gaza – Milizen bestreiten Beschuss eines Konvois"
    # The denial is the militias' own (named as the text names them), never Cairo's.
    assert [(e.actor.name, e.actor.country) for e in events_of(text, "de", "denial")] == [("Milizen", None)]


def test_a_noun_phrase_after_a_dash_comments_on_the_statement_before_it() -> None:
    text = "Kairo hebt das Exportverbot für Dünger auf – eine Kehrtwende nach zwei Jahren."
    assert {e.actor.country for e in events_of(text, "de", "policy_shift")} == {"EGY"}


@sentence_table("text", "country")
def test_an_organ_with_its_seat_acts_for_the_seat_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "denial")} == {country}


def test_an_organ_before_a_place_that_is_no_seat_is_not_resolved_by_it() -> None:
    # "in Reaktion auf ..." is no seat; a state named later in the clause is what is denied, not who denies.
    assert events_of("Die Regierung in Reaktion auf Berichte aus Kenia bestritt alles.", "de", "denial") == []


def test_german_speaker_of_man_habe_is_the_actor() -> None:
    text = "Frankreich teilte am Montag mit, man habe 300 Soldaten nach Estland geschickt."
    assert summaries_of(text, "de") == [("deployment", "Frankreich", "Estland")]


def test_a_state_adjective_before_an_organ_beats_its_seat() -> None:
    event = one_event("Die russische Botschaft in Berlin wies die Vorwürfe zurück.", "de", "denial")
    assert (event.actor.name, event.actor.country) == ("russische Botschaft", "RUS")


def test_the_police_is_an_organ_of_the_article_s_state() -> None:
    text = "Der Vorfall ereignete sich in Frankreich. Die Polizei wies die Berichte als falsch zurück."
    event = one_event(text, "de", "denial")
    assert (event.actor.name, event.actor.country) == ("Polizei", "FRA")


def test_an_officeholder_denying_claims_about_his_own_conduct_speaks_for_no_state() -> None:
    # cues.json PERSONAL_CLAIM: accusations against the person himself, an affair; a report about the state stays his
    # state's denial.
    assert actors_of("Scholz bestreitet alle Vorwürfe gegen ihn.", "de", "denial") == {"Scholz"}
    assert actors_of("Macron wies die Vorwürfe einer Affäre mit einer Sängerin zurück.", "de", "denial") == {"Macron"}
    assert actors_of("Scholz bestreitet die Berichte über eine Kabinettsumbildung.", "de", "denial") == {"DEU"}


@sentence_table("text", "kind", "names")
def test_a_name_in_apposition_after_a_preposition_does_not_act(
    lang: str, text: str, kind: str, names: list[str | None]
) -> None:
    # "aus dem Bündnis Nato" names what is left, as "aus der Nato" would; a time word is no such noun.
    assert sorted((e.actor.country or e.actor.name for e in events_of(text, lang, kind)), key=str) == names


@sentence_table("text", "kind", "names")
def test_the_author_of_the_denied_claim_does_not_deny_it(
    lang: str, text: str, kind: str, names: list[str | None]
) -> None:
    assert sorted((e.actor.country or e.actor.name for e in events_of(text, lang, kind)), key=str) == names


def test_the_author_of_the_falsehood_a_denial_names_does_not_deny_it() -> None:
    # "a Hezbollah lie", "Hezbollah's lies", "Hisbollah-Propaganda": the name qualifies the falsehood noun (cues.json
    # FALSEHOOD), so it made the claim; with no other name the denial has no actor here.
    assert events_of('"This is a Hezbollah lie," he said in a statement.', "en", "denial") == []
    assert events_of('"These are Hezbollah\'s lies," he said in a statement.', "en", "denial") == []
    # The denier itself still acts.
    assert _actor_countries("Lebanon dismissed the report as false.", "en", "denial") == {"LBN"}


def test_a_name_in_a_where_clause_after_the_cue_does_not_act() -> None:
    # "..., where Hezbollah kept weapons": a relative clause about the place (text.json conjunctions), not the raider.
    text = "Troops raided buildings in Tyre, where Hezbollah kept weapons."
    assert "Hezbollah" not in {e.actor.name for e in events_of(text, "en", "deployment")}
    assert _actor_countries("Lebanon sent troops to Tyre, where Hezbollah kept weapons.", "en", "deployment") == {"LBN"}


@sentence_table("text", "countries")
def test_forces_a_fighting_verb_governs_send_no_one(lang: str, text: str, countries: list[str]) -> None:
    assert _actor_countries(text, lang, "deployment") == set(countries)


@sentence_table("text", "countries")
def test_the_state_that_owns_a_deployment_noun_runs_it(lang: str, text: str, countries: list[str]) -> None:
    assert _actor_countries(text, lang, "deployment") == set(countries)


def test_a_caption_opened_by_a_denial_verb_names_its_denier_after_the_colon() -> None:
    # German photo captions put the verb first and the person after a colon, which the splitter reads as a sentence
    # of its own: a listed name, else an unlisted person after a role noun.
    def deniers(text: str) -> list[tuple[str, str | None]]:
        return [(e.actor.name, e.actor.country) for e in events_of(text, "de", "denial")]

    assert deniers("Bestreitet die Berichte: Kremlsprecher Dmitri Peskow.") == [("Dmitri Peskow", "RUS")]
    assert deniers("Wies die Vorwürfe zurück: Sänger Max Beispiel (Archivbild).") == [("Max Beispiel", None)]
    # No caption: a body's noun phrase, a colon that opens a quote, a policy headline that opens with its noun.
    assert deniers("Wies die Vorwürfe zurück: die Polizei der Stadt.") == []
    assert deniers("Weist die Vorwürfe zurück: Es habe nie ein Treffen gegeben, sagte sie vor Reportern.") == []
    assert events_of("Notlage ausgerufen wegen der Seuche: Deutschland.", "de", "policy_shift") == []
    # Review 17, finding 8: a seat after a location preposition, or a state's adjective inside a company's name,
    # denies nothing; a state's adjective before a force or an organ still does, and a listed person comes first.
    assert deniers("Bestreitet die Vorwürfe: Polizeisprecherin Eva Beispiel in Hamburg.") == []
    assert deniers("Dementiert die Berichte: Pressestelle in Berlin.") == []
    assert deniers("Bestreitet jede Schuld: Chefin der Deutschen Bahn.") == []
    assert deniers("Bestreitet die Vorwürfe: Russische Armee.") == [("Russische", "RUS")]
    assert deniers("Bestreitet die Berichte: Frankreichs Präsident Emmanuel Macron.") == [("Emmanuel Macron", "FRA")]


def test_a_body_with_no_forces_never_deploys_but_still_denies() -> None:
    # Health, relief, rights and news bodies (entities.json "unarmed": WHO, UNRWA, Unicef, MSF ...) speak about an
    # operation or armour; they send none. On train and dev they took four deployments as speakers or subjects of a
    # nominal cue (an agency chief speaking of an unfolding operation in a city), none labelled.
    closing = (
        "Unicef chief Jane Doe told journalists in Geneva that clinics were closing because of the military"
        " operation in Kismayo."
    )
    assert events_of(closing, "en", "deployment") == []
    seen = "Médecins Sans Frontières said its staff fled as tanks were seen pushing deep into the district of Kismayo."
    assert "Médecins Sans Frontières" not in actors_of(seen, "en", "deployment")
    # Only deployments: the same bodies still deny and shift policy.
    denied = "The World Health Organization denied reports that its staff had left the hospital in Kismayo."
    assert actors_of(denied, "en", "denial") == {"World Health Organization"}


def test_that_alone_does_not_govern_a_deployment_noun() -> None:
    # Only a fear's two words govern ("grave concern that a military operation ...", text.json topic_prepositions):
    # a speaker's bare "that" still leaves the operation to the speaker's state, as the labels read it ("X's prime
    # minister has insisted that a military operation in Y is necessary").
    insisted = "The Kenyan president has insisted that a military operation in Kismayo is necessary to defeat them."
    assert _actor_countries(insisted, "en", "deployment") == {"KEN"}


@sentence_table("text", "country")
def test_an_actors_own_threatened_operation_stays_its_own(lang: str, text: str, country: str) -> None:
    # "threat of", "risk of/that", "prospect of" are no topic phrases: one threatens or weighs one's own operation
    # (the guideline counts planned deployments); only a fear's "concern/fear that" speaks about another's.
    assert country in _actor_countries(text, lang, "deployment")


@sentence_table("text", "left", "country")
def test_the_body_an_exit_leaves_does_not_leave(lang: str, text: str, left: str, country: str) -> None:
    # cues.json "exits": an organisation named from the exit cue on is what is left; who leaves stands before it.
    events = events_of(text, lang, "policy_shift")
    assert not any(left in e.actor.name for e in events)
    assert country in {e.actor.country for e in events}


@sentence_table("text", "country")
def test_a_possessive_organ_owns_the_act_for_the_article_s_one_state(lang: str, text: str, country: str) -> None:
    assert {e.actor.country for e in events_of(text, lang, "policy_shift")} == {country}


@sentence_table("text")
def test_a_possessive_organ_between_two_states_or_of_no_state_acts_for_nobody(lang: str, text: str) -> None:
    assert events_of(text, lang, "policy_shift") == []
