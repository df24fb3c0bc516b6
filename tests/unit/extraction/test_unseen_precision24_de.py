"""German near misses written for the twenty-fourth session's precision check (none from the pool, Der Standard
2015-16 style): a deployment or policy shift in a sentence whose verb is an unreal form (Konjunktiv II: "hätte",
"müsste") is only imagined ("Dann hätte Putin Truppen geschickt"), unless someone is reported as saying it: there the
same form stands for the speaker's indicative ("Soldaten hätten die Grenze überschritten, teilte die Armee mit"). An
attack told by the separable verb ("griff ... Ziele ... an") is fighting, no deployment, for the learned stage too."""

from __future__ import annotations

import pytest
from support.extraction import events_of

# (sentence, the event type it fired at 5c48665): each is a step imagined or found necessary, not taken.
IMAGINED = [
    ("Dann hätte Putin längst Truppen nach Kiew geschickt.", "deployment"),
    ("Sonst hätte Ankara längst Truppen nach Syrien geschickt.", "deployment"),
    ("Nach dieser Logik hätte die Nato schon 2014 Truppen ins Baltikum verlegt.", "deployment"),
    ("Dann müssten die Niederlande ihre Soldaten aus Mali abziehen und nach Litauen verlegen.", "deployment"),
    ('"Dann hätte Moskau sofort Truppen nach Kiew geschickt", sagte der Politologe.', "deployment"),
    ("Dann hätte Österreich die Grenzkontrollen zu Italien längst wieder eingeführt.", "policy_shift"),
    ("Eigentlich müsste Deutschland die Sanktionen gegen Russland verschärfen.", "policy_shift"),
]

# (sentence, the deployment's actor, the rule that reads it): the unreal form reports what someone said.
REPORTED = [
    (
        "Russische Soldaten hätten in der Nacht die Grenze zur Ukraine überschritten, teilte die Armee in Kiew mit.",
        "Russische Soldaten",
        "de.deployment.move",
    ),
    ("Laut dem Bericht hätte die Türkei Panzer an die Grenze zu Syrien verlegt.", "Türkei", "de.deployment.armour"),
    (
        "Am Morgen hätte die Armee weitere Soldaten nach Donezk geschickt, hieß es aus dem Verteidigungsministerium.",
        "Armee",
        "de.deployment.send",
    ),
    (
        "Zur gleichen Zeit hätten Hunderte Soldaten des Bundesheeres die Spezialkräfte der Polizei in Spielfeld"
        " unterstützt, so ein Sprecher des Ministeriums.",
        "Bundesheeres",
        "de.deployment.on_duty",
    ),
]

# (sentence, event type, the rule that reads it): plain statements of the same steps keep firing.
STATED = [
    ("Das Bundesheer schickt 500 Soldaten an die Grenze in Spielfeld.", "deployment", "de.deployment.send"),
    ("Russland hat Kampfjets auf einen Stützpunkt in Latakia verlegt.", "deployment", "de.deployment.move"),
    ("Österreich führt wieder Grenzkontrollen zu Slowenien ein.", "policy_shift", "de.policy_shift.lift"),
    (
        "Deutschland setzt den Familiennachzug für Flüchtlinge für zwei Jahre aus.",
        "policy_shift",
        "de.policy_shift.suspend",
    ),
]

# Each fired a learned deployment at 5c48665 (with the attacked group as its actor): an attack is no deployment.
ATTACKS = [
    "Das Militär griff in der Früh nach Armeeangaben Dutzende Ziele der Hisbollah im Libanon an.",
    "Das Militär greift seit Mittwoch nach Armeeangaben Ziele der Hamas im Gazastreifen an.",
    "Das Militär griff am Dienstag nach Armeeangaben Dutzende Stellungen der PKK im Nordirak an.",
]


@pytest.mark.parametrize(("sentence", "kind"), IMAGINED)
def test_a_step_in_an_unreal_verb_form_is_only_imagined(sentence: str, kind: str) -> None:
    assert events_of(sentence, "de", kind) == []


@pytest.mark.parametrize(("sentence", "actor", "rule"), REPORTED)
def test_an_unreal_form_in_reported_speech_keeps_the_deployment(sentence: str, actor: str, rule: str) -> None:
    assert [(e.actor.name, e.evidence.rule) for e in events_of(sentence, "de", "deployment")] == [(actor, rule)]


@pytest.mark.parametrize(("sentence", "kind", "rule"), STATED)
def test_a_stated_step_keeps_firing(sentence: str, kind: str, rule: str) -> None:
    assert [e.evidence.rule for e in events_of(sentence, "de", kind)] == [rule]


@pytest.mark.parametrize("sentence", ATTACKS)
def test_an_attack_is_no_learned_deployment(sentence: str) -> None:
    assert events_of(sentence, "de", "deployment") == []
