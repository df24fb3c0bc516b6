"""Photo captions that open with a denial's verb ('Bestreitet die Vorwürfe: Sänger Max Beispiel.'): who the colon names."""

from __future__ import annotations

from .context import Actor, CueContext, SentenceReading
from .gazetteer import DEMONYM_ADJ, PERSON, PLACE, Gazetteer, Mention
from .lexicon_schema import Lexicon
from .names import Names, unlisted_actor
from .words import Vocabulary, may_be_name

# Words of the phrase after a caption's colon ("Grünen-Politikerin Erika Muster", "Russlands Präsident Putin").
_MAX_CAPTION_WORDS = 6


class CaptionSubjects:
    """The caption reading of one language (text.json referring.caption_event_types), set up once."""

    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, gazetteer: Gazetteer, names: Names):
        self._vocabulary = vocabulary
        self._gazetteer = gazetteer
        self._names = names
        self._caption_types = frozenset(lexicon.text.referring.caption_event_types)

    def subject(self, ctx: CueContext, reading: SentenceReading) -> Actor | None:
        """'Bestreitet die Anschuldigungen: Grünen-Politikerin Erika Muster.': a photo caption whose first word is
        a denial's verb names who denies after its colon, in a short phrase that the splitter reads as the next
        sentence: its listed person, else its first name that may act there, else an unlisted person ('Sänger Max
        Beispiel'). A phrase whose names may not act names no denier."""
        text, sentence, following = ctx.text, ctx.sentence, reading.following
        if following is None or not text[sentence.start : sentence.end].endswith(":"):
            return None
        if ctx.rule.type not in self._caption_types:
            return None  # text.json referring.caption_event_types: a policy headline opens with its noun, not a verb
        first = self._vocabulary.word.search(text, sentence.start, sentence.end)
        if first is None or first.start() != ctx.cue_start or not first.group(0)[:1].isupper():
            return None  # a subject or an opener stands before the cue: no caption
        if len(self._vocabulary.word.findall(text, following.start, following.end)) > _MAX_CAPTION_WORDS:
            return None  # a sentence of its own, not the caption's name
        found = [m for m in self._gazetteer.find(text, following.start, following.end) if m.entity.category != PLACE]
        acting = [m for m in found if self._name_may_act(text, m, following.start)]
        if mention := next((m for m in acting if m.entity.category == PERSON), acting[0] if acting else None):
            return Actor(mention.text, mention.entity, "subject", mention_start=mention.start)
        if found:
            return None  # "Polizeisprecher Jan Muster in Berlin", "Chef der Deutschen Bank": a seat or a company
        # An unlisted person after their role: "Grünen-Politikerin Erika Muster", "Sänger Max Beispiel (Archivbild)".
        end = text.find("(", following.start, following.end)
        words = self._vocabulary.word.findall(text, following.start, following.end if end < 0 else end)
        if len(words) < 3 or words[0].lower() in self._vocabulary.determiners:
            return None  # "die Bundesregierung": a body's noun phrase, not a person
        if not all(may_be_name(w) and w.lower() not in self._names.not_names for w in words[-2:]):
            return None
        name = " ".join(words[-2:])
        return None if (at := text.find(name, following.start, following.end)) < 0 else unlisted_actor(name, at)

    def _name_may_act(self, text: str, mention: Mention, start: int) -> bool:
        """Whether a caption phrase's name may be who denies: not after a location preposition ('in Berlin'), and a
        state's adjective only right before an organ or a force ('Russische Armee'; not 'der Deutschen Bank')."""
        vocabulary = self._vocabulary
        before = vocabulary.word.findall(text, start, mention.start)[-1:]
        if before and before[0].lower() in vocabulary.location_preps:
            return False
        if mention.entity.category != DEMONYM_ADJ:
            return True
        after = vocabulary.word.match(text, mention.end + 1) if text[mention.end : mention.end + 1] == " " else None
        noun = "" if after is None else after.group(0)
        organ = vocabulary.organ_nouns is not None and vocabulary.organ_nouns.fullmatch(noun) is not None
        return organ or vocabulary.force.fullmatch(noun) is not None
