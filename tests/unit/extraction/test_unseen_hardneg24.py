"""English hard negatives written for the twenty-fourth session's precision check (none from the pool): an aid stop
forced by fighting, weather or want of supplies (ANNOTATING.md: an organisation pausing its own deliveries), a
company's or relief body's own halt (entities.json "private"), and a deployment named as the topic of a debate or a
review, are no events; states suspending aid, sending troops while others talk, and a company's denial still are."""

from __future__ import annotations

import pytest
from support.extraction import events_of

# Each fired a policy shift at 5c48665: the stop is operational, forced by circumstances, not a state's step.
FORCED_STOPS = [
    "Insecurity in South Darfur has forced the UN to suspend aid flights to the region, officials said.",
    "Aid convoys to the north were halted because of heavy fighting, the UN relief agency said on Tuesday.",
    "Aid shipments through the port were suspended due to bad weather, the UN said.",
]

# The first fired a policy shift at 5c48665 (the demonym inside the company's name read as the state); the others
# were quiet there, their names unlisted, and guard that listing them gives their halt to no state in the sentence.
PRIVATE_HALTS = [
    "British American Tobacco halted sales in Russia after a U-turn.",
    "Facebook banned accounts linked to the Russian military.",
    "Oxfam suspended its operations in West Darfur after two of its staff were killed.",
]

# Each fired a deployment at 5c48665: the sending is what is talked about, not done.
TALKED_ABOUT = [
    "The debate over the deployment of British troops to Iraq dominated the Labour conference.",
    "The issue of sending more troops to Afghanistan will be discussed by Nato ministers.",
    "US officials met to discuss Israel's planned offensive in Rafah.",
]

# (sentence, type, actor's country or name): true events beside those words keep firing.
STILL_EVENTS = [
    ("The United States suspended military aid to Uzbekistan over its human rights record.", "policy_shift", "USA"),
    ("Washington halted arms deliveries to Israel over the planned offensive in Rafah.", "policy_shift", "USA"),
    ("The EU lifted its arms embargo on Libya.", "policy_shift", "EU"),
    ("Shell denied that its security staff had fired on protesters in the Niger Delta.", "denial", "Shell"),
    (
        "Nato sent 1,000 extra troops to Kosovo as ministers met in Brussels to discuss the crisis.",
        "deployment",
        "Nato",
    ),
    ("Poland deployed 10,000 soldiers to its border with Belarus as the migrant crisis deepened.", "deployment", "POL"),
    ("Britain is sending 650 more troops to Iraq ahead of the elections.", "deployment", "GBR"),
]


@pytest.mark.parametrize("sentence", FORCED_STOPS)
def test_an_aid_stop_forced_by_circumstances_is_no_policy_shift(sentence: str) -> None:
    assert events_of(sentence, "en", "policy_shift") == []


@pytest.mark.parametrize("sentence", PRIVATE_HALTS)
def test_a_company_or_relief_body_halting_its_own_work_shifts_no_policy(sentence: str) -> None:
    assert events_of(sentence, "en", "policy_shift") == []


@pytest.mark.parametrize("sentence", TALKED_ABOUT)
def test_a_deployment_named_as_a_topic_of_talk_is_no_deployment(sentence: str) -> None:
    assert events_of(sentence, "en", "deployment") == []


@pytest.mark.parametrize(("sentence", "kind", "actor"), STILL_EVENTS)
def test_true_events_beside_those_words_stay_events(sentence: str, kind: str, actor: str) -> None:
    assert [e.actor.country or e.actor.name for e in events_of(sentence, "en", kind)] == [actor]
