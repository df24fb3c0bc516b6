"""Export the public models as JSON Schema files next to this module (`python -m schemas.export`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.models import SCHEMA_VERSION, Alert, Article, DeadLetter, Event, Outcome, Story

SCHEMA_DIR = Path(__file__).resolve().parent

# One file per record that crosses a topic or the offline CLI.
PUBLIC_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "event": Event,
    "outcome": Outcome,
    "dead_letter": DeadLetter,
    "story": Story,
    "alert": Alert,
}


def schema_file(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.v{SCHEMA_VERSION}.schema.json"


def render(model: type[BaseModel]) -> str:
    """The exact text committed for a model: sorted keys so diffs stay readable."""
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://newsevents.example/schemas/{schema['title'].lower()}.v{SCHEMA_VERSION}.schema.json"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    check_only = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for name, model in PUBLIC_MODELS.items():
        path, text = schema_file(name), render(model)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.name)
        if not check_only:
            path.write_text(text, encoding="utf-8")
    if stale and check_only:
        print(f"JSON Schema files are stale: {', '.join(stale)}; run `python -m schemas.export`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
