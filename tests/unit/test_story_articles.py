"""The story article generator: every template yields exactly its intended event with the real extractor, and the
story core joins a generated corpus into exactly the generator's happenings."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest

from schemas import Article
from streams.extraction import extract
from streams.harness.story_articles import (
    ACTORS,
    KEY_REST_SECONDS,
    PLACES,
    TEMPLATES,
    state_name,
    story_corpus,
)
from streams.settings import Settings
from streams.stories.core import apply_event, expired
from streams.stories.keys import HOUR, story_key
from streams.stories.rules import load_rules
from streams.stories.state import StoryWindow, report_of
from streams.stories.views import to_story
from streams.worker.processing import MessageProcessor, SourceMessage


def _renderings(kind: str, lang: str, template: str) -> list[tuple[str, str, str]]:
    """(text, actor, place): every actor once and every place once (paired round-robin)."""
    pairs = {(actor, PLACES[i % len(PLACES)]) for i, actor in enumerate(ACTORS)}
    pairs |= {(ACTORS[(i * 7) % len(ACTORS)], place) for i, place in enumerate(PLACES)}
    rendered = []
    for actor, place in sorted(pairs):
        if actor == place:
            continue
        text = template.format(
            actor=state_name(actor, lang),
            place=state_name(place, lang),
            n="1.250" if lang == "de" else "1,250",
            day="x",
        )
        rendered.append((text, actor, place))
    return rendered


@pytest.mark.parametrize(
    ("kind", "lang", "template"),
    [(kind, lang, template) for (kind, lang), templates in TEMPLATES.items() for template in templates],
)
def test_each_template_yields_exactly_its_event_for_every_actor_and_place(kind: str, lang: str, template: str) -> None:
    wrong = []
    for text, actor, place in _renderings(
        kind, lang, template.replace("{day}", "Montag" if lang == "de" else "Monday")
    ):
        events = extract(Article(id="probe", text=text, lang=lang)).events
        found = [(e.type.value, e.actor.country, e.location.country if e.location else None) for e in events]
        # Only deployments have the place in their story key; a denial's or a policy's place may go either way.
        ok = len(found) == 1 and found[0][:2] == (kind, actor) and (kind != "deployment" or found[0][2] == place)
        if not ok or story_key(events[0]).text != f"{kind}|{actor}|{place if kind == 'deployment' else '-'}":
            wrong.append((text, found))
    assert not wrong, wrong[:5]


def test_the_same_arguments_give_the_same_corpus_and_other_seeds_another() -> None:
    first, again, other = story_corpus(600), story_corpus(600), story_corpus(600, seed=14)
    assert [a.value for a in first.articles] == [a.value for a in again.articles]
    assert [a.value for a in first.articles] != [a.value for a in other.articles]
    assert len(first.articles) == 600 and len({a.article_id for a in first.articles}) == 600


def test_a_corpus_spans_windows_reuses_keys_after_their_rest_and_has_several_outlets_per_happening() -> None:
    corpus = story_corpus(4000, happenings_per_day=200)
    published = [a.published_at for a in corpus.articles]
    assert published == sorted(published)  # fed in publication order
    assert corpus.simulated_days > 4  # beyond window + lateness: stories expire while it is fed
    by_key: dict[str, list[float]] = {}
    for happening in corpus.happenings:
        by_key.setdefault(happening.story_key, []).append(happening.starts_at)
    starts = [sorted(times) for times in by_key.values() if len(times) > 1]
    assert starts, "no story key comes back: nothing would be reopened"
    assert all(b - a >= KEY_REST_SECONDS for times in starts for a, b in zip(times, times[1:], strict=False))
    sizes = Counter(len({*corpus.sources_of(h)}) for h in corpus.happenings)
    assert sizes[1] > 0 and sum(n for size, n in sizes.items() if size >= 3) > len(corpus.happenings) // 3
    assert {a.lang for a in corpus.articles} == {"de", "en"}


def test_the_worker_processor_and_the_story_core_turn_a_corpus_into_exactly_its_happenings(tmp_path) -> None:
    corpus = story_corpus(2500, prefix="unit", happenings_per_day=150)
    processor = MessageProcessor(Settings(data_dir=tmp_path))
    rules = load_rules()
    window = StoryWindow(72 * HOUR, 24 * HOUR)
    states: dict[str, object] = {}
    finished: list = []
    watermark = None
    happening_of = {a.article_id: a.happening for a in corpus.articles}
    keys = {h.number: h.story_key for h in corpus.happenings}
    for offset, article in enumerate(corpus.articles):
        result = processor.process(
            SourceMessage(topic="raw", partition=0, offset=offset, timestamp=2_000_000_000.0, value=article.value)
        )
        assert len(result.events) == 1, (orjson.loads(article.value)["text"], result.events)
        (event,) = result.events
        key = story_key(event)
        assert key.text == keys[happening_of[article.article_id]], orjson.loads(article.value)["text"]
        report = report_of(event, 2_000_000_000.0)
        update = apply_event(states.get(key.text), key, report, watermark=watermark, window=window, rules=rules)
        assert update.change.value in {"opened", "joined", "reopened"}, (article.article_id, update.change)
        if update.closed is not None:
            finished.append(update.closed)
        states[key.text] = update.state
        watermark = report.seen_at if watermark is None else max(watermark, report.seen_at)
        for text, state in list(states.items()):
            if expired(state, watermark, window):
                finished.append(states.pop(text))
    stories = [to_story(state, window) for state in [*finished, *states.values()]]
    found = {(s.story_key, s.first_seen): frozenset(s.article_ids) for s in stories}
    assert found == corpus.expected_stories()
