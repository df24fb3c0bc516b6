"""The guards a learned threshold must pass whatever the objective chose: no more false alarms on the external sets'
event-free items than max(2 %, the rules' own), no error added on the golden sets."""

from __future__ import annotations

import json
import os
from pathlib import Path

from streams.extraction import Extractor

from .pool import REPO_ROOT

MAX_FALSE_ALARMS = 0.02  # the project's bound on the external sets' `none` items
EXTERNAL_DIR = Path(os.environ.get("NEWSEVENTS_EXTERNAL_EVAL_DIR", REPO_ROOT.parent / "shared" / "eval" / "external"))


class FalseAlarmGuard:
    """The public labelled sets' items that hold none of our types (../shared/eval/external, English): a threshold
    may not raise any file's false-alarm rate above max(MAX_FALSE_ALARMS, the rules' own rate). A guardrail, not an
    objective: it keeps the model from firing on look-alikes (fighting, refused offers) that our labels are loose
    about. Where the sets are missing, or for a language they do not cover, there is no guard."""

    def __init__(self, lang: str):
        self.files: dict[str, list] = {}
        if EXTERNAL_DIR.is_dir():
            from schemas import Article

            for path in sorted(EXTERNAL_DIR.glob("*.jsonl")):
                rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
                items = [
                    Article(id=r["id"], text=r["text"], lang=r.get("lang"))
                    for r in rows
                    if r.get("map_tier") == "none" and r.get("lang", "en") == lang
                ]
                if items:
                    self.files[path.name] = items
        self.golden = GoldenGuard(lang)
        rules = Extractor(model_root=None)
        self.limits = {name: max(MAX_FALSE_ALARMS, self._rate(rules, items)) for name, items in self.files.items()}

    @staticmethod
    def _rate(extractor: Extractor, items: list) -> float:
        return sum(1 for article in items if extractor.extract(article).events) / len(items)

    def allows(self, directory: Path) -> bool:
        extractor = Extractor(model_root=directory)
        return all(
            self._rate(extractor, items) <= self.limits[name] + 1e-9 for name, items in self.files.items()
        ) and self.golden.allows(extractor)


class GoldenGuard:
    """The project's golden sets (tests/sets/golden/<lang>, regression sets): a threshold may not add an error (a
    spurious or missed event) to what the rules alone get wrong there."""

    def __init__(self, lang: str):
        from streams.commands.evaluation import GOLDEN_DIR, load_golden

        directory = GOLDEN_DIR / lang
        self.lang = lang
        self.items = load_golden(directory) if directory.is_dir() else []
        self.limit = self.errors(Extractor(model_root=None))

    def errors(self, extractor: Extractor) -> int:
        """Spurious and missed events of the extractor on the golden set."""
        from streams.commands.evaluation import score_golden

        return score_golden(self.items, self.lang, extractor.extract).error_count

    def allows(self, extractor: Extractor) -> bool:
        return self.errors(extractor) <= self.limit
