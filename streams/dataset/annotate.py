"""Annotation workflow on the training pool: build batches, claim one, show it, submit quoted labels as offsets."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from .labels import BATCH_DIR, LABEL_DIR, LabelledEvent, PassageLabel, Span, readings_of, write_labels
from .pool import REPO_ROOT, Passage, passage_by_id, passages, read_records

SELECTION_FILE = Path(__file__).resolve().parent / "selection.json"
# Working files of annotators (their quoted drafts hold pool text): kept out of git.
WORK_DIR = REPO_ROOT / ".annotation-work"
SEED = 20261205
BATCH_SIZE = 150
RANDOM_PER_LANG = 500
PICKED_PER_LANG = 2050
DOUBLE_PER_LANG = 200
MAX_SAMPLED_CHARS = 1500
# English quotas per screen, so that headlines and BBC texts both feed every type.
# German has few deployment passages (about 500 screen hits in the whole pool), so its other screens take more.
PICKED_QUOTA = {
    "de": {"deployment": 800, "denial": 800, "policy_shift": 1000},
    "en": {"deployment": 800, "denial": 650, "policy_shift": 600},
}


def _selection() -> dict:
    """The screens that picked passages (read when batches are built: the file is not part of the wheel)."""
    return json.loads(SELECTION_FILE.read_text(encoding="utf-8"))


def _candidates(lang: str) -> list[Passage]:
    return [p for record in read_records(lang) for p in passages(record) if len(p.text) <= MAX_SAMPLED_CHARS]


def build(lang: str) -> list[Path]:
    """Random passages (honest base rates) and screened ones (may hold an event), shuffled into batches."""
    rng = random.Random(f"{SEED}-{lang}")
    selection = _selection()
    pool = _candidates(lang)
    if lang == "en":  # half BBC, half Guardian headlines
        bbc = [p for p in pool if p.source_file.startswith("en-bbc")]
        heads = [p for p in pool if not p.source_file.startswith("en-bbc")]
        randoms = rng.sample(bbc, RANDOM_PER_LANG // 2) + rng.sample(heads, RANDOM_PER_LANG // 2)
    else:
        randoms = rng.sample(pool, RANDOM_PER_LANG)
    taken = {p.id for p in randoms}
    picked: list[Passage] = []
    for type_, pattern in selection[lang].items():
        if type_.startswith("_"):
            continue
        screen = re.compile(pattern)
        hits = [p for p in pool if p.id not in taken and screen.search(p.text)]
        rng.shuffle(hits)
        for passage in hits[: PICKED_QUOTA[lang][type_]]:
            taken.add(passage.id)
            picked.append(passage)
    items = [(p, "random") for p in randoms] + [(p, "picked") for p in picked[:PICKED_PER_LANG]]
    rng.shuffle(items)
    BATCH_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(0, len(items), BATCH_SIZE):
        name = f"{lang}-{index // BATCH_SIZE + 1:02d}"
        chunk = items[index : index + BATCH_SIZE]
        written.append(write_batch(name, lang, [(p.id, p.sha, origin) for p, origin in chunk], double_of=None))
    # The second, independent reading: the first passages of the first batches, annotated by someone else.
    per_source = DOUBLE_PER_LANG // 2
    for number in (1, 2):
        source = json.loads(written[number - 1].read_text(encoding="utf-8"))
        entries = [(e["passage"], e["sha"], e["origin"]) for e in source["passages"][:per_source]]
        written.append(write_batch(f"{lang}-dbl-{number}", lang, entries, double_of=source["batch"]))
    return written


def extend(lang: str, first_number: int, round_name: str = "extension") -> list[Path]:
    """A further round of screened passages (a round of selection.json: "extension", "categories"), never a passage
    that is in a batch already. The round's quota names its screens in the order they pick: a screen of the round,
    "broad:<type>" for the first round's screen of a type, or "neighbours" for the unread passages of articles where an
    event was found. A round whose quota names a screen it does not define fails before anything is written."""
    from .labels import label_files, read_labels

    rng = random.Random(f"{SEED}-{lang}-{round_name}")
    selection = _selection()
    rules = selection[round_name]
    batched = {e["passage"] for path in BATCH_DIR.glob("*.json") for e in json.loads(path.read_text())["passages"]}
    pool = [p for p in _candidates(lang) if p.id not in batched]
    with_event = {label.passage.rpartition(":")[0] for label in read_labels(label_files(lang)) if label.events}
    screens = {name: _screen_filter(name, rules[lang], selection[lang], with_event) for name in rules["quota"][lang]}
    picked: list[Passage] = []
    taken: set[str] = set()
    for name, keep in screens.items():
        hits = [p for p in pool if p.id not in taken and keep(p)]
        rng.shuffle(hits)
        for passage in hits[: rules["quota"][lang][name]]:
            taken.add(passage.id)
            picked.append(passage)
    rng.shuffle(picked)
    return _write_picked_batches(lang, first_number, picked)


def _screen_filter(
    name: str, round_screens: dict, broad_screens: dict, with_event: set[str]
) -> Callable[[Passage], object]:
    """The test a passage passes to be picked by the named screen of a round (see `extend`)."""
    if name == "neighbours":
        return lambda passage: passage.record_id in with_event
    pattern = broad_screens[name.removeprefix("broad:")] if name.startswith("broad:") else round_screens[name]
    screen = re.compile(pattern)
    return lambda passage: screen.search(passage.text)


def extend_by_model(lang: str, first_number: int, quota: dict[str, int]) -> list[Path]:
    """Active learning: the unread passages the current sentence model finds most likely to hold each type (its
    highest sentence probability), so that rare types reach their counts with fewer passages read."""
    from streams.extraction import Extractor
    from streams.extraction.learned import load_model
    from streams.extraction.proposals import sentence_entities

    model = load_model(lang)
    engine = Extractor(model_root=None).engine(lang)
    segmenter = engine.segmenter
    batched = {e["passage"] for path in BATCH_DIR.glob("*.json") for e in json.loads(path.read_text())["passages"]}
    pool = [p for p in _candidates(lang) if p.id not in batched]
    best: dict[str, list[tuple[float, str, Passage]]] = {t.type: [] for t in model.types}
    for passage in pool:
        features = [
            model.spec.features(passage.text[s.start : s.end], sentence_entities(engine, passage.text, s.start, s.end))
            for s in segmenter.sentences(passage.text)
        ]
        for type_model in model.types:
            top = max((type_model.probability(f) for f in features), default=0.0)
            best[type_model.type].append((-top, passage.id, passage))
    picked: list[Passage] = []
    taken: set[str] = set()
    for type_, count in quota.items():
        ranked = (passage for _, pid, passage in sorted(best[type_]) if pid not in taken)
        for passage in list(ranked)[:count]:
            taken.add(passage.id)
            picked.append(passage)
    random.Random(f"{SEED}-{lang}-active").shuffle(picked)
    return _write_picked_batches(lang, first_number, picked)


def _write_picked_batches(lang: str, first_number: int, picked: list[Passage]) -> list[Path]:
    """Picked passages in batches of BATCH_SIZE, numbered from first_number."""
    return [
        write_batch(
            f"{lang}-{first_number + index // BATCH_SIZE:02d}",
            lang,
            [(p.id, p.sha, "picked") for p in picked[index : index + BATCH_SIZE]],
            double_of=None,
        )
        for index in range(0, len(picked), BATCH_SIZE)
    ]


def double(source_name: str, count: int) -> Path:
    """A second, independent reading of the first `count` passages of a batch, for the agreement study: the next free
    `<lang>-dbl-<n>` batch, which `claim` never gives to the source batch's annotator."""
    source = load_batch(source_name)
    taken = {p.stem for p in BATCH_DIR.glob(f"{source['lang']}-dbl-*.json")}
    number = next(n for n in range(1, len(taken) + 2) if f"{source['lang']}-dbl-{n}" not in taken)
    entries = [(e["passage"], e["sha"], e["origin"]) for e in source["passages"][:count]]
    return write_batch(f"{source['lang']}-dbl-{number}", source["lang"], entries, double_of=source_name)


def write_batch(name: str, lang: str, entries: list[tuple[str, str, str]], double_of: str | None) -> Path:
    path = BATCH_DIR / f"{name}.json"
    body = {
        "batch": name,
        "lang": lang,
        "double_of": double_of,
        "passages": [{"passage": pid, "sha": sha, "origin": origin} for pid, sha, origin in entries],
    }
    path.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    return path


def load_batch(name: str) -> dict:
    return json.loads((BATCH_DIR / f"{name}.json").read_text(encoding="utf-8"))


def claim(annotator: str, lang: str | None) -> str | None:
    """The next batch nobody holds (atomic: a claim file is created exclusively). Never your own batch's double."""
    claims = WORK_DIR / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    mine = {p.name for p in claims.iterdir() if p.read_text().strip() == annotator}
    names = sorted(p.stem for p in BATCH_DIR.glob("*.json"))
    # Double readings first (agreement is needed early), then batches in order.
    names.sort(key=lambda n: (0 if "-dbl-" in n else 1, n))
    for name in names:
        batch = load_batch(name)
        if (lang and batch["lang"] != lang) or "-adj" in name:
            continue  # an adjudication batch is for the adjudicator, who is given it by name
        if batch["double_of"] in mine or any(load_batch(n)["double_of"] == name for n in mine if "-dbl-" in n):
            continue
        try:
            fd = os.open(claims / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(annotator)
        return name
    return None


def show(name: str) -> str:
    batch = load_batch(name)
    lines = [f"# batch {name} ({batch['lang']}), {len(batch['passages'])} passages"]
    for number, entry in enumerate(batch["passages"], 1):
        passage = passage_by_id(entry["passage"], batch["lang"])
        lines.append(f"\n### {number}\n{passage.text}")
        if name.endswith("-adj"):  # the adjudicator sees both readings
            for reading in readings_of(batch["lang"], entry["passage"]):
                events = [
                    f"{e.type} actor={e.actor_name!r} code={e.actor_code} modality={e.modality}" for e in reading.events
                ]
                lines.append(
                    f"  reading {reading.label.annotator}: hard_negative={reading.label.hard_negative} "
                    f"events={events or 'none'}"
                )
    return "\n".join(lines) + "\n"


_QUOTES = "\"'“”„‚‘’«»‹›`´"


def _flexible(quote: str) -> re.Pattern[str]:
    """A quote matched with any run of white space for white space and any quote mark for a quote mark."""
    parts = []
    for char in quote.strip():
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in _QUOTES:
            parts.append(f"[{re.escape(_QUOTES)}]")
        elif char in "-–—":
            parts.append("[-–—]")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts))


def locate(quote: str, text: str, offset: int, within: tuple[int, int] | None = None) -> Span:
    """Span of `quote` in text (first in `within` if it is there, else first anywhere), as record offsets."""
    pattern = _flexible(quote)
    if not quote.strip():
        raise ValueError("empty quote")
    for lo, hi in ([within] if within else []) + [(0, len(text))]:
        match = pattern.search(text, lo, hi)
        if match:
            return Span(start=offset + match.start(), end=offset + match.end())
    raise ValueError(f"not found verbatim in the passage: {quote!r}")


_FIELDS = {
    "type",
    "actor",
    "actor_code",
    "actor_kind",
    "location",
    "location_code",
    "quantity",
    "modality",
    "attribution",
    "evidence",
}


def _optional_span(item: dict, field: str, passage, within: tuple[int, int]) -> Span | None:
    """The span of an optional quoted field, searched inside the evidence sentence; None when left empty."""
    value = item.get(field)
    return None if value in (None, "") else locate(value, passage.text, passage.start, within)


def convert(name: str, annotator: str, draft: Path, upto: int | None = None) -> tuple[list[PassageLabel], list[str]]:
    """Labels of passages 1..upto (all by default): a batch read only in part is stored only in part."""
    batch = load_batch(name)
    entries = batch["passages"][:upto]
    found: dict[int, dict] = {}
    errors: list[str] = []
    for line_number, line in enumerate(draft.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            number = int(raw["n"])
            if not 1 <= number <= len(entries):
                raise ValueError(f"n={number} is not a passage of this batch")
            if number in found:
                raise ValueError(f"passage {number} appears twice")
            found[number] = raw
        except (ValueError, KeyError, TypeError) as error:
            errors.append(f"line {line_number}: {error}")
    labels = []
    for number, entry in enumerate(entries, 1):
        raw = found.get(number, {"events": [], "hard_negative": False})
        passage = passage_by_id(entry["passage"], batch["lang"])
        events = []
        for index, item in enumerate(raw.get("events", [])):
            where = f"passage {number} event {index + 1}"
            try:
                unknown = set(item) - _FIELDS
                if unknown:
                    raise ValueError(f"unknown fields {sorted(unknown)}")
                evidence = locate(item["evidence"], passage.text, passage.start)
                within = (evidence.start - passage.start, evidence.end - passage.start)

                events.append(
                    LabelledEvent(
                        type=item["type"],
                        actor=_optional_span(item, "actor", passage, within),
                        actor_code=item.get("actor_code") or None,
                        actor_kind=item["actor_kind"],
                        location=_optional_span(item, "location", passage, within),
                        location_code=item.get("location_code") or None,
                        quantity=item.get("quantity"),
                        modality=item["modality"],
                        attribution=_optional_span(item, "attribution", passage, within),
                        evidence=evidence,
                    )
                )
            except (ValueError, KeyError, TypeError, ValidationError) as error:
                errors.append(f"{where}: {error}".replace("\n", " "))
        try:
            labels.append(
                PassageLabel(
                    passage=entry["passage"],
                    sha=entry["sha"],
                    lang=batch["lang"],
                    batch=name,
                    origin=entry["origin"],
                    annotator=annotator,
                    hard_negative=bool(raw.get("hard_negative", False)),
                    events=tuple(events),
                )
            )
        except ValidationError as error:
            errors.append(f"passage {number}: {error}".replace("\n", " "))
    return labels, errors


def label_path(name: str, annotator: str) -> Path:
    return LABEL_DIR / load_batch(name)["lang"] / f"{name}.{annotator}.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.dataset.annotate", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build").add_argument("lang", choices=["de", "en"])
    extend_parser = sub.add_parser("extend")
    extend_parser.add_argument("lang", choices=["de", "en"])
    extend_parser.add_argument("first_number", type=int, help="number of the first new batch")
    extend_parser.add_argument(
        "--round", default="extension", help="the round of selection.json whose screens pick (default: extension)"
    )
    extend_parser.add_argument(
        "--by-model",
        metavar="TYPE=N",
        nargs="+",
        help="active learning: the N passages the current model ranks highest for TYPE",
    )
    double_parser = sub.add_parser("double", help="a second reading of a batch's first passages (agreement study)")
    double_parser.add_argument("batch")
    double_parser.add_argument("count", type=int)
    claim_parser = sub.add_parser("claim")
    claim_parser.add_argument("annotator")
    claim_parser.add_argument("--lang", choices=["de", "en"])
    sub.add_parser("show").add_argument("batch")
    submit = sub.add_parser("submit")
    submit.add_argument("batch")
    submit.add_argument("annotator")
    submit.add_argument("draft", type=Path)
    submit.add_argument("--upto", type=int, help="only passages 1..UPTO were read (a batch left unfinished)")
    args = parser.parse_args(argv)
    if args.command == "build":
        for path in build(args.lang):
            print(path.relative_to(REPO_ROOT))
    elif args.command == "extend":
        if args.by_model:
            quota = {k: int(v) for k, v in (item.split("=") for item in args.by_model)}
            paths = extend_by_model(args.lang, args.first_number, quota)
        else:
            paths = extend(args.lang, args.first_number, args.round)
        for path in paths:
            print(path.relative_to(REPO_ROOT))
    elif args.command == "double":
        print(double(args.batch, args.count).relative_to(REPO_ROOT))
    elif args.command == "claim":
        name = claim(args.annotator, args.lang)
        print(name or "none left")
        return 0 if name else 1
    elif args.command == "show":
        sys.stdout.write(show(args.batch))
    elif args.command == "submit":
        labels, errors = convert(args.batch, args.annotator, args.draft, args.upto)
        if errors:
            print(f"{len(errors)} problem(s); nothing written. Fix the draft and submit again:")
            print("\n".join(errors))
            return 1
        path = label_path(args.batch, args.annotator)
        write_labels(path, labels)
        events = sum(len(label.events) for label in labels)
        print(f"wrote {path.relative_to(REPO_ROOT)}: {len(labels)} passages, {events} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
