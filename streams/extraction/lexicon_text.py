"""The lexicon schema of text.json: sentence and clause splitting, articles, prepositions and topic phrases."""

from __future__ import annotations

from pydantic import Field, field_validator

from .lexicon_phrases import PrivatePhrases
from .lexicon_referring import Referring
from .lexicon_terms import Strict, Terms


class SourceDebris(Strict):
    """How older sources' encoding debris reads (source_view.py): "Iraq #39;s" is "Iraq's", "second\\team" two words."""

    entities: dict[str, str] = Field(
        default_factory=dict,
        description="HTML entity names as a source leaves them, without their '&' (written as ' ' or '&' before "
        "them), each with the one character it stands for: '#39;' -> \"'\", 'quot;' -> '\"'",
    )
    line_marks: str = Field(
        default="", description="Characters a source wrote where a line broke: each reads as a space"
    )
    currency_words: dict[str, str] = Field(
        default_factory=dict,
        description="Currency words a plain-ASCII source writes before an amount, each with its sign: "
        "'pounds 21m' reads '£21m'",
    )
    mojibake: bool = Field(
        default=False,
        description="Characters whose UTF-8 bytes a source read as Latin-1 ('Israelâ\\x80\\x99s') read as meant",
    )
    escaped_markup: bool = Field(default=False, description="Markup written escaped ('&lt;b&gt;') reads as spaces")
    dateline_agencies: list[str] = Field(
        default_factory=list,
        description="News agencies of wire datelines: a text opening with a dateline ('LONDON (Reuters) - ', "
        "'MOSCOW - ', 'AP - ') reads it as spaces, since it says where and by whom a story was filed, not who acts; "
        "none listed: datelines are read as text",
    )

    @field_validator("entities")
    @classmethod
    def _entities(cls, entities: dict[str, str]) -> dict[str, str]:
        """A view of the text keeps its length: an entity stands for one character, and ends in ';' like HTML's."""
        if wrong := [name for name, char in entities.items() if len(char) != 1 or not name.endswith(";")]:
            raise ValueError(f"source_debris entities must end in ';' and stand for one character: {wrong}")
        return entities


class Text(Strict):
    """text.json: sentence and clause splitting, articles and prepositions."""

    abbreviations: list[str] = Field(description="Tokens followed by '.' that do not end a sentence (no dot)")
    months: list[str] = Field(description="Month names: '3. Oktober' is a date, not a sentence end")
    ordinal_dot: bool = Field(description="A number with a dot before a capitalised word is ordinal ('76. Division')")
    glued_headlines: bool = Field(
        default=False,
        description="A lowercase word running into a capitalised one ('as talks stallBritain sends') ends a sentence: "
        "news pages that glue a link headline to the next sentence",
    )
    clause_breaks: list[str] = Field(description="Punctuation (or words) that separate clauses")
    relative_pronouns: list[str] = Field(description="Words that open a relative clause attached to the previous one")
    determiners: list[str] = Field(description="Articles, possessives and similar that may precede a noun")
    pronouns: list[str] = Field(
        default_factory=list,
        description="Personal and quantifying pronouns ('er', 'she', 'beide'): they stand for an actor but never name one",
    )
    pronoun_verbs: list[str] = Field(
        default_factory=list,
        description="Pronouns that are also a verb ('sein'): before a conjunction or the clause's end they are the verb",
    )
    referring: Referring = Field(default_factory=Referring, description="Actors a sentence only refers to")
    focus_particles: list[str] = Field(
        default_factory=list,
        description="Words that may stand before a clause's subject without being part of it ('auch', 'even')",
    )
    auxiliaries: list[str] = Field(default_factory=list, description="Finite auxiliaries: 'hat', 'has'")
    passive_auxiliaries: list[str] = Field(default_factory=list, description="Passive auxiliaries: 'wurde', 'was'")
    location_prepositions: list[str] = Field(description="Prepositions introducing where-to/where-at")
    non_subject_prepositions: list[str] = Field(description="A name after these is not the sentence subject")
    owner_prepositions: list[str] = Field(description="'troops from X', 'Soldaten aus X': X owns the force")
    bystander_prepositions: list[str] = Field(
        default_factory=list,
        description="A force after these is not the one sent: 'violations by Russian jets', 'Kasernen für die Brigade'",
    )
    organ_nouns: Terms = Field(
        description="Nouns that make a country's genitive/possessive an actor: government, president"
    )
    genitive_suffixes: list[str] = Field(description="Suffixes of a name in the genitive: 's' (Russlands), \"'s\"")
    adjective_suffixes: list[str] = Field(description="Inflection endings of demonym adjectives: e, er, en, es, em")
    conjunctions: list[str] = Field(description="Words that start a new clause without a comma: while, and, but, weil")
    passive_agents: list[str] = Field(default_factory=list, description="'a claim denied by Hamas': the agent's word")
    accusation_verbs: Terms = Field(default_factory=list, description="'accused X of ..., which it denied': X")
    place_modifiers: Terms = Field(
        description="Words that may stand between a preposition and a place: occupied, eastern"
    )
    coordinators: list[str] = Field(description="Words joining co-actors: 'France and Germany', 'Kiew und Warschau'")
    list_closers: list[str] = Field(default_factory=list, description="After a list's coordinator: 'and other states'")
    list_openers: list[str] = Field(default_factory=list, description="Before a list whose names act: 'such as', 'wie'")
    partner_frames: list[str] = Field(default_factory=list, description="'joins * in': '*' is a partner who acts too")
    place_links: list[str] = Field(
        description="Words joining a place noun to its name or owner: 'region of X', 'border with X', 'Osten der Ukraine'"
    )
    place_relatives: list[str] = Field(
        default_factory=list, description="Relative adverbs that point back to a place: 'Flugplatz, wo Bomber stehen'"
    )
    border_nouns: Terms = Field(description="Place nouns named after the neighbour beyond them: border, *grenze")
    adjective_borders: bool = Field(
        default=False,
        description="A border named by a demonym adjective is a place ('an die syrische Grenze' read as 'Grenze zu "
        "Syrien'); off, it names none ('the Israeli border')",
    )
    border_links: Terms = Field(description="Link words of such a neighbour: 'border with X', 'Grenze zu X'")
    reference_links: Terms = Field(
        default_factory=list,
        description="Words before a state named only as a place's reference point: 'östlich von X', 'Nachbarland X'",
    )
    present_participle_endings: list[str] = Field(
        description="Endings of attributive present participles ('grenzende'): a place before one sits inside an attribute"
    )
    time_words: list[str] = Field(description="Weekdays and similar capitalised words that are never places")
    capitalized_adjectives: bool = Field(description="True when demonym adjectives are capitalised (English)")
    nouns_capitalized: bool = Field(
        description="True when every noun is capitalised (German): a capital letter alone then does not mark a name"
    )
    private_nouns: list[str] = Field(
        default_factory=list,
        description="Nouns of private people and bodies ('MP', 'wife'): 'Russian MP denies' is no state's",
    )
    descriptor_nouns: list[str] = Field(
        default_factory=list,
        description="Lowercase heads of a descriptor before a name ('oil giant Yukos', 'Greek sprinter Kostas Kenteris'): "
        "the name after them is the subject; private_nouns count too",
    )
    private_phrases: PrivatePhrases = Field(default_factory=PrivatePhrases, description="lexicon_phrases.py")
    controller_participles: list[str] = Field(
        default_factory=list,
        description="Participles joined by a hyphen to a name that controls a body ('run', 'controlled' in 'Hamas-run "
        "health ministry'): the name then says who runs the body that acts, it does not act itself",
    )
    qualifier_participles: list[str] = Field(
        default_factory=list,
        description="Participles joined by a hyphen to a name that only qualifies the noun after it ('backed', 'based' "
        "in 'Iran-backed militia', 'Qatar-based network'): the name neither acts nor runs what acts",
    )
    articles: list[str] = Field(default_factory=list, description="Determiners naming no owner, unlike 'its': the, a")
    topic_prepositions: list[str] = Field(
        default_factory=list,
        description="Prepositions after which an article and a deployment noun name what the clause's subject speaks "
        "about, not what it runs: 'opposed to the military operation', 'concern over an unfolding offensive'",
    )
    topic_phrases: list[str] = Field(
        default_factory=list,
        description="A fear's two words ('concern that') that govern like a topic preposition, though neither word does "
        "alone ('insisted that a military operation ...': the speaker runs it); exactly two words each",
    )
    stance_nouns: list[str] = Field(
        default_factory=list,
        description="Nouns of a stance ('position', 'policy'): a name qualifying one inside a change cue ('the change "
        "in the US position', 'a shift in Japan's whaling policy') says whose stance changed",
    )
    gerund_links: list[str] = Field(
        default_factory=list,
        description="Prepositions between a verb's object and a gerund the object does: 'warns France against "
        "deploying', 'accused Israel of blocking', 'praised Putin for moving' (France, Israel, Putin act)",
    )
    gerund_endings: list[str] = Field(default_factory=list, description="How a gerund ends ('ing', as in 'having')")
    # The weak "foreign troops in X" reading (en.deployment.presence) does not stand where the force word qualifies
    # a noun ('Israel's military campaign in Gaza') or where another word governs the force phrase ('accused Israeli
    # forces in Gaza of ...', 'rockets at Turkish troops in Iraq'): the place then says nothing of a stay.
    force_attribute_nouns: list[str] = Field(default_factory=list, description="campaign, operations: 'military ~ in'")
    force_object_words: list[str] = Field(default_factory=list, description="accused, at: before a force phrase")
    force_target_words: list[str] = Field(default_factory=list, description="eliminate, dislodge: forces fought")
    source_debris: SourceDebris = Field(default_factory=SourceDebris, description="Encoding debris of older sources")

    @field_validator("topic_phrases")
    @classmethod
    def _two_words(cls, phrases: list[str]) -> list[str]:
        """nominal.GovernedNouns compares the two words before the article: a longer or shorter phrase never matches."""
        if wrong := [p for p in phrases if len(p.split()) != 2]:
            raise ValueError(f"topic_phrases must have exactly two words each: {wrong}")
        return phrases
