"""Unowned forces pushing into a place act for the one army the text names, not for the place's land (context.py
DominantState.occupier, owners.py owned_where_placed; session 24, en-actors24). Sentences written for the test in the
style of BBC 2004-05 and 2021-24 war reports."""

from __future__ import annotations

import pytest
from support.extraction import events_of
from support.stages import engine

from streams.extraction.context import DominantState

# The place's land is named only by its people ('Palestinian medics') or as a place ('into southern Lebanon'); the one
# army the text names ('Israeli tanks', 'US marines', "Russia's invasion") owns the troops that push into it.
OCCUPIED = [
    (
        "Palestinian medics said five people were wounded. Israeli tanks had massed on the edge of the camp. Troops"
        " moved into Jenin before dawn, witnesses said.",
        "ISR",
    ),
    (
        "Palestinian officials condemned the raid. An Israeli military spokesman said the operation would continue."
        " Tanks rolled into Khan Younis early on Tuesday.",
        "ISR",
    ),
    (
        "Iraqi doctors said at least 12 people had died overnight. US marines have surrounded the city for a week."
        " Troops pushed into the centre of Falluja on Monday, residents said.",
        "USA",
    ),
    (
        "Afghan elders in the province said the fighting had forced hundreds of families to flee. British troops"
        " have been based there since May. Soldiers pushed into Musa Qala on Friday, local officials said.",
        "GBR",
    ),
    (
        "Lebanese officials said several villages had been hit. The Israeli army has massed along the border. Troops"
        " crossed into southern Lebanon overnight, residents said.",
        "ISR",
    ),
    (
        "Ukrainian officials said the village had been cut off for days. Russian forces have kept up their assault on"
        " the region. Troops advanced into Avdiivka on Saturday, residents said.",
        "RUS",
    ),
    (
        # A pronoun leaves the owner open ("It said troops ..."): the one army named, the IDF, fills it.
        "Palestinian medics said the wounded were taken to hospital. The IDF said it was continuing its operations."
        " It said troops had pushed into Khan Younis overnight.",
        "ISR",
    ),
]


@pytest.mark.parametrize(("text", "owner"), OCCUPIED)
def test_unowned_forces_in_a_land_named_only_by_its_people_act_for_the_one_army_named(text: str, owner: str) -> None:
    last = text.rindex(". ") + 2
    unowned = [e for e in events_of(text, "en", "deployment") if e.evidence.start >= last]
    assert [e.actor.country for e in unowned] == [owner]


# The land acts as a state ('Kyiv said', "Iraq's government", 'Khartoum said'), another state is named most (Egypt
# at the crossing), no place is named (review 17), or the forces are sent there: the base reading stands.
KEPT = [
    (
        "Ukrainian officials said Russian forces were shelling the town. Troops were sent to Kupiansk to reinforce the"
        " defence, Kyiv said.",
        "UKR",
    ),
    (
        "British troops are based near the city. Iraq's government said soldiers were deployed to Basra to restore"
        " order.",
        "IRQ",
    ),
    (
        "Sudanese officials said rebels had attacked El Fasher. Chadian troops massed on the border. Soldiers were"
        " sent to El Fasher on Monday, Khartoum said.",
        "SDN",
    ),
    (
        "Israeli tanks moved into the north of Gaza last month. Egypt said it would keep the crossing closed. Troops"
        " were sent to Rafah on the Egyptian side, Cairo said.",
        "EGY",
    ),
    (
        "Taiwan's defence ministry said it tracked Chinese warships near the island on Monday. Taiwan protested to"
        " Beijing. Fighter jets were deployed in response, the ministry said.",
        "TWN",
    ),
    # Forces sent or posted to a town after an attack on it are the defender's (cues.json "dispatch" rules).
    (
        "Ukrainian officials said Russian forces shelled Kharkiv overnight. Troops were sent to Kharkiv on Tuesday.",
        "UKR",
    ),
    (
        "Lebanese officials said Israeli troops had crossed the border. Soldiers were deployed to Tyre to protect"
        " civilians.",
        "LBN",
    ),
]


@pytest.mark.parametrize(("text", "owner"), KEPT)
def test_forces_of_a_land_that_acts_as_a_state_or_of_no_place_keep_their_reading(text: str, owner: str) -> None:
    last = text.rindex(". ") + 2
    found = {e.actor.country for e in events_of(text, "en", "deployment") if e.evidence.start >= last}
    assert found == {owner}


def test_two_armies_or_none_name_no_occupier() -> None:
    heads = engine("en").vocabulary.force_owner_heads
    assert heads is not None
    places = frozenset({"in", "into", "to"})
    for text, place, occupier in (
        ("Israeli tanks massed at the fence. Palestinians fled.", "PSE", "ISR"),
        ("The IDF said it was ready. Palestinians fled.", "PSE", "ISR"),  # a listed army owns itself
        ("Israeli tanks and Egyptian troops massed at the fence.", "PSE", None),  # two armies
        ("Palestinian medics said people fled.", "PSE", None),  # no army
        ("Israeli tanks massed at the fence. Palestine asked the UN for help.", "PSE", None),  # the land acts
        ("Israeli tanks pushed into southern Lebanon.", "LBN", "ISR"),  # the land only as a place
        ("Israeli tanks massed near Gaza.", "ISR", None),  # the army's own land
    ):
        found = DominantState(engine("en").gazetteer, text).occupier(heads, place, places)
        assert (found.country if found else None) == occupier, text
