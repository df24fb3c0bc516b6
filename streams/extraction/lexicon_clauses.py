"""The lexicon schema of markers.json "clauses": how far a scope word reaches over the clauses of a sentence, and
which deployment rules a state or armed group as the clause's subject may run without a force word (scope.py)."""

from __future__ import annotations

from pydantic import Field

from .lexicon_terms import Strict, Terms


class Clauses(Strict):
    """markers.json "clauses": the clause reading of the scope stage."""

    # "Ukraine urges Nato to act as Russian troops gather": the demand governs only its own clause.
    demand_bounds: Terms = Field(
        default_factory=list, description="Subordinators (as, while, während) past which a demand does not reach"
    )
    demand_bound_exceptions: Terms = Field(
        default_factory=list, description="Phrases whose bound word opens no clause: as well as, such as"
    )
    # "pursuing a deal that would allow aid in": the relative clause says what the deal would do, not what is done.
    hypothetical_heads: Terms = Field(
        default_factory=list, description="Plan and deal nouns whose relative clause with a hedge states no event"
    )
    # "Putin and China will help if the west imposes sanctions": what follows "if" in its clause is a condition; "amid
    # fears Oslo could cut aid": a step only feared. Before the cue only: "halted sales over concerns that ..." stands.
    condition_openers: Terms = Field(
        default_factory=list,
        description="Words (if, unless, amid fears) making a policy cue after them in its clause a condition or a"
        " feared step, not a step taken",
    )
    # "Erhebt Washington Zölle, dann leiden die Hütten": a sentence opened by the cue's finite verb and continued by a
    # comma and a consequent word is a condition without an opener (German verb-first conditional).
    condition_consequents: Terms = Field(
        default_factory=list,
        description="Words (dann) that, after a comma, make a policy cue opening its sentence a verb-first condition",
    )
    # "Israel took control of the crossing": the cue names the place taken, its subject acts with its forces.
    subject_force_rules: list[str] = Field(
        default_factory=list, description="Deployment rules a state or armed group as subject may run without a force"
    )
    # "some in the crowd moved towards them", "the first aid trucks had entered": the cue's own subject is no force,
    # though forces stand elsewhere in the clause. A term ends with the cue word it binds to.
    non_force_movers: Terms = Field(
        default_factory=list,
        description="A subject and the deployment cue after it that move no forces: 'the crowd moved', 'trucks had "
        "entered' (matched only where the term ends at the cue's end)",
    )
    # "what the IDF move tells us", "a 'rest and refit' move": after a determiner or a genitive the cue word is a noun
    # naming a step (a decision, a tactic), not forces moving; "its troops move": a plural word before it is the
    # verb's subject. Only bare forms that are both noun and verb belong here ("move", not "moved").
    noun_cues: Terms = Field(
        default_factory=list,
        description="Deployment cue words that are nouns when a determiner or a genitive opens their phrase within a"
        " few singular words ('the IDF move', 'a tactical move', \"Israel's move\"): a step, not forces moving",
    )
    noun_cue_breaks: Terms = Field(
        default_factory=list,
        description="Words (to, will, could, not) after which a noun_cues word is a verb again ('the decision to move"
        " troops', 'the army will move')",
    )
    # "detained 200 men during the raid", "since Israel began its military operation": an operation noun opened by a
    # time preposition dates another act; the operation is not what the sentence tells (ANNOTATING: history as a date).
    time_frame_nouns: Terms = Field(
        default_factory=list,
        description="Operation nouns (raid, offensive, operation) that name a time when a time_frame_openers word opens"
        " their phrase ('during the raid'): the frame of another act, not a deployment told",
    )
    time_frame_openers: Terms = Field(
        default_factory=list,
        description="Prepositions (during, throughout) whose noun phrase dates the clause's act",
    )
    time_frame_places: Terms = Field(
        default_factory=list,
        description="Prepositions (in, on, at) that give a time_frame_nouns word its place right after it ('during a"
        " raid on the hospital'): a raid in a named place is told (labelled), a bare one dates another act",
    )
    # "asked whether Turkish troops had crossed": the movement is asked about; "crossed into Iraq and asked if
    # villagers had seen": the question after the cue leaves it standing.
    indirect_questions: Terms = Field(
        default_factory=list,
        description="Words (asked if, confirm whether) making a deployment cue after them in its clause a question,"
        " not a movement stated",
    )
    # "Dann hätte Putin Panzer geschickt", "Dafür müssten Soldaten entsandt werden": a past or necessary step only
    # imagined. In reported speech the same forms stand for the speaker's indicative ("Soldaten hätten die Grenze
    # überschritten, teilte die Armee mit"), so a report near the sentence keeps the cue.
    irrealis: Terms = Field(
        default_factory=list,
        description="Verb forms of the unreal (Konjunktiv II: hätte, müsste, stünde) that make a deployment or policy"
        " cue in their sentence imagined, unless the sentence or the one before reports someone's words",
    )
    # "troops raided the camp and killed two gunmen": a casualty word drops a lexicon cue (most clauses that count the
    # dead beside forces tell of fighting), but a learned-stage proposal stands on an anchor word that names the move.
    learned_disqualifier_exceptions: Terms = Field(
        default_factory=list,
        description="Deployment disqualifiers (killed) that do not drop a learned-stage deployment proposal (deployment"
        " only; each must be a term of cues.json disqualifiers.deployment, checked at load)",
    )
