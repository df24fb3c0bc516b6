"""Stories and alerts on the real broker: one happening reported by 3 outlets in 2 languages is 1 story with 3
sources and 1 alert; look-alikes stay apart; a report after the window starts a new story; a replacing worker
recovers the table from its changelog and raises no second alert (exactly_once, read_committed)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from schemas import Alert, Story
from streams.harness.feeding import produce
from streams.harness.reading import metric_value, read_all
from streams.harness.worker import PROJECT_ROOT
from streams.kafka.quiet_take import BATCH_CLOSES
from streams.kafka.topics import describe_topics
from streams.settings import Settings

pytestmark = pytest.mark.integration

ARTICLES = {
    article["id"]: article
    for article in map(orjson.loads, (PROJECT_ROOT / "tests/fixtures/stories/articles.jsonl").read_bytes().splitlines())
}
FIRST_DAYS = [
    "rp-2025-03-10-litauen",
    "baltictimes-2025-03-10-germany",
    "nordkurier-2025-03-11-litauen",
    "baltictimes-2025-03-10-canada",
    "rp-2025-03-10-rumaenien",
]
LATER = "dw-2025-03-20-litauen"
# A fourth outlet on the same happening, fed to the replacing worker.
FOURTH = {
    **ARTICLES["baltictimes-2025-03-10-germany"],
    "id": "lrt-2025-03-11-germany",
    "source": "LRT",
    "url": "https://lrt.example/germany-troops",
    "published_at": "2025-03-11T09:00:00+02:00",
}


def latest_stories(settings: Settings) -> dict[str, Story]:
    stories: dict[str, Story] = {}
    for record in read_all(settings, [settings.topic_stories], read_committed=True):
        story = Story.model_validate(record.json())
        assert record.key == story.story_id.encode()
        previous = stories.get(story.story_id)
        if previous is None or len(story.reports) >= len(previous.reports):
            stories[story.story_id] = story  # partitions keep a story's updates in order; compaction keeps the last
    return stories


def alerts(settings: Settings) -> list[Alert]:
    return [Alert.model_validate(r.json()) for r in read_all(settings, [settings.topic_alerts], read_committed=True)]


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, worker: Any) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:.0f} s\n{worker.log_tail()}"
        time.sleep(0.5)


def by_key(stories: dict[str, Story]) -> dict[str, list[Story]]:
    grouped: dict[str, list[Story]] = {}
    for story in stories.values():
        grouped.setdefault(story.story_key, []).append(story)
    return grouped


def test_stories_and_one_alert_per_happening_across_a_worker_restart(pipeline_settings: Any, start_worker: Any) -> None:
    settings = pipeline_settings(processing_guarantee="exactly_once", stories_enabled=True)
    worker = start_worker(settings)
    produce(settings, [orjson.dumps(ARTICLES[article_id]) for article_id in FIRST_DAYS])

    def happening_complete() -> dict[str, list[Story]] | None:
        grouped = by_key(latest_stories(settings))
        (story,) = grouped.get("deployment|DEU|LTU", [None])
        return grouped if story is not None and len(story.article_ids) == 3 and len(grouped) == 3 else None

    grouped = wait_until(happening_complete, timeout=90, what="three stories, one with 3 reports", worker=worker)
    (story,) = grouped["deployment|DEU|LTU"]
    assert story.sources == ("Nordkurier", "Rheinische Post", "The Baltic Times")
    assert story.languages == ("de", "en") and story.corroboration == 3
    assert set(story.article_ids) == set(FIRST_DAYS[:3])
    (canada,), (romania,) = grouped["deployment|CAN|LTU"], grouped["deployment|DEU|ROU"]
    assert canada.article_ids == ("baltictimes-2025-03-10-canada",) and canada.alert_id is None
    assert romania.article_ids == ("rp-2025-03-10-rumaenien",) and romania.alert_id is None
    (alert,) = alerts(settings)
    assert (alert.story_id, alert.rule, alert.alert_id) == (story.story_id, "independent-sources", story.alert_id)
    assert len(alert.sources) == 2  # raised when the second outlet's report joined
    metrics = worker.metrics()
    assert metric_value(metrics, "newsevents_alerts_total", {"type": "deployment", "rule": "independent-sources"}) == 1
    assert metric_value(metrics, "newsevents_table_recovery_seconds") >= 0
    # Every batch the stories agent took is counted by the rule that closed it.
    assert sum(metric_value(metrics, "newsevents_story_batches_total", {"closed_by": why}) for why in BATCH_CLOSES) >= 1
    assert (
        describe_topics(settings, [settings.topic_stories])[settings.topic_stories].configs["cleanup.policy"]
        == "compact"
    )

    # A replacing worker: the table comes back from its changelog, so the fourth outlet's report joins the same
    # story, and the story, already alerted, raises no second alert.
    assert worker.terminate() == 0
    worker = start_worker(settings)
    produce(settings, [orjson.dumps(FOURTH)])

    def fourth_joined() -> Story | None:
        (current,) = by_key(latest_stories(settings))["deployment|DEU|LTU"]
        return current if len(current.article_ids) == 4 else None

    story = wait_until(fourth_joined, timeout=90, what="the fourth report joining the story", worker=worker)
    assert story.corroboration == 4 and story.alert_id == alert.alert_id
    assert [a.alert_id for a in alerts(settings)] == [alert.alert_id]

    # Ten days later: outside the 72 h window, the same actor and place start a new story.
    produce(settings, [orjson.dumps(ARTICLES[LATER])])

    def new_story() -> list[Story] | None:
        grouped = by_key(latest_stories(settings))["deployment|DEU|LTU"]
        return grouped if len(grouped) == 2 else None

    later = next(
        s for s in wait_until(new_story, timeout=60, what="a new story", worker=worker) if s.story_id != story.story_id
    )
    assert later.article_ids == (LATER,) and later.sources == ("Deutsche Welle",) and later.alert_id is None
    assert [a.alert_id for a in alerts(settings)] == [alert.alert_id]
    assert worker.terminate() == 0
