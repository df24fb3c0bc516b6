"""Count in the train pool how often each word the cue terms may anchor on occurs: lexicons/<lang>/anchors.json.

The extractor's first pass (lexicon.AnchorScanner) finds, per term, one required word; a common word ("nicht",
"will") there proposes many places that the term's regex then rejects. With these counts each term is anchored on
its rarest required word or word class. Rerun after adding cue words (`python -m streams.dataset.anchor_counts de`);
a word not counted yet is costed by its length, so a stale file only slows the first pass, never changes results.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from streams.dataset.pool import POOL_FILES, read_records
from streams.extraction.anchor_schema import ANCHOR_COUNTS_FILE, AnchorCounts
from streams.extraction.lexicon import CLASS_REF, DEFAULT_ROOT, load_lexicon
from streams.extraction.text import lower_same_length

_WORD = re.compile(r"\w+")
INSIDE_WORD_WEIGHT = 0.02


def anchor_tokens(lang: str, root: Path = DEFAULT_ROOT) -> set[str]:
    """Every literal token of the language's cue terms and word classes, lowercased, wildcards kept."""
    cues = load_lexicon(lang, root).cues
    terms = [term for rule in cues.rules for term in rule.terms]
    terms += [term for members in cues.classes.values() for term in members]
    return {
        token.lower()
        for term in terms
        for token in term.split(" ")
        if token != "..." and not CLASS_REF.match(token) and token.strip("*")
    }


class WordCounts:
    """Word frequencies of a text collection, asked by whole word, word start, word end or part of a word."""

    def __init__(self, words: Counter[str]):
        self._counts = words
        self._forward = sorted(words)
        self._backward = sorted(word[::-1] for word in words)

    def _with_prefix(self, ordered: list[str], prefix: str) -> Iterable[str]:
        index = bisect.bisect_left(ordered, prefix)
        while index < len(ordered) and ordered[index].startswith(prefix):
            yield ordered[index]
            index += 1

    def occurrences(self, token: str) -> int:
        core = token.strip("*")
        opens, closes = token.startswith("*"), token.endswith("*")
        if not _WORD.fullmatch(core):  # "u.s.", "nato-beitritt": more than one word; rare enough to count as 0
            return 0
        if opens and closes:
            return sum(count for word, count in self._counts.items() if core in word)
        if closes:
            return sum(self._counts[word] for word in self._with_prefix(self._forward, core))
        if opens:
            return sum(self._counts[word[::-1]] for word in self._with_prefix(self._backward, core[::-1]))
        return self._counts.get(core, 0)


def count_anchors(lang: str, root: Path = DEFAULT_ROOT) -> AnchorCounts:
    words: Counter[str] = Counter()
    texts = []
    for record in read_records(lang):
        text = lower_same_length(f"{record.title or ''}\n{record.text}")
        texts.append(text)
        words.update(_WORD.findall(text))
    counts = WordCounts(words)
    pool = "\n".join(texts)
    per_million = 1e6 / max(1, len(pool))

    def cost(token: str) -> float:
        # A proposed place is read sentence by sentence; an occurrence inside a longer word ("it" in "with") is only
        # a step of the scan, dropped at its word-boundary check, about a fiftieth of that.
        inside_words = pool.count(token.strip("*"))
        return (counts.occurrences(token) + INSIDE_WORD_WEIGHT * inside_words) * per_million

    return AnchorCounts(
        source=f"train pool {', '.join(POOL_FILES[lang])}: {len(texts)} records, {len(pool)} characters",
        per_million_chars={token: round(cost(token), 3) for token in sorted(anchor_tokens(lang, root))},
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("langs", nargs="+", help="language codes with a train pool (de, en)")
    args = parser.parse_args(argv)
    for lang in args.langs:
        target = DEFAULT_ROOT / lang / ANCHOR_COUNTS_FILE
        counted = count_anchors(lang).model_dump()
        target.write_text(json.dumps(counted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
