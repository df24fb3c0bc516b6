"""A batch's extraction taken stage by stage (extract_batch): each article's result is what extract() gives alone."""

from __future__ import annotations

import pytest
from support.agents import sample_articles

from schemas import Article
from streams.extraction import ExtractionTimeout, Extractor, extract, extract_batch

SLOW_TEXT = "Russia sent troops to Belarus. " * 20_000


def fixture_articles() -> list[Article]:
    return [Article.model_validate(article) for article in sample_articles()]


def outcomes(articles: list[Article], budget: float | None = None) -> list[object]:
    works, steps = extract_batch(articles, time_budget_seconds=budget)
    for _ in steps:
        pass
    answers: list[object] = []
    for work in works:
        try:
            answers.append(work.outcome())
        except Exception as exc:
            answers.append(exc)
    return answers


def test_each_article_of_a_batch_gets_what_extract_gives_it_alone() -> None:
    articles = fixture_articles()
    # Unsupported and undetermined languages pass through the batch too.
    articles += [Article(id="fr-less", text="Le ministre a parlé.", lang="xx"), Article(id="und", text="12 34")]
    alone = [extract(article) for article in articles]
    assert any(result.events for result in alone), "the fixtures must yield events"
    assert outcomes(articles) == alone
    assert outcomes(list(reversed(articles))) == list(reversed(alone))


def test_the_batch_is_taken_stage_by_stage() -> None:
    articles = fixture_articles()
    works, steps = extract_batch(articles)
    for _ in range(len(articles)):  # the first stage: language, lowercasing and the first pass, for every article
        next(steps)
    assert all(work.lowered and work.result is None for work in works)
    assert not any(work.split or work.candidates for work in works), "no article analysed before all are scanned"
    for _ in steps:
        pass
    assert all(work.result is not None for work in works)


def test_an_article_out_of_time_fails_alone_and_the_others_keep_their_budget() -> None:
    articles = fixture_articles()
    slow = Article(id="slow", text=SLOW_TEXT, lang="en")
    answers = outcomes([articles[0], slow, *articles[1:]], budget=0.5)
    assert isinstance(answers[1], ExtractionTimeout) and "'slow'" in str(answers[1])
    # Each article's budget runs only while its own stages do: the slow one's overrun costs the others nothing.
    assert answers[:1] + answers[2:] == [extract(article) for article in articles]


def test_an_extractor_error_stays_with_its_article() -> None:
    class Failing(Extractor):
        def language_of(self, text: str, declared: str | None) -> str:
            if text == "boom":
                raise ZeroDivisionError("bug")
            return super().language_of(text, declared)

    articles = fixture_articles()[:3]
    works, steps = Failing().extract_batch([articles[0], Article(id="b", text="boom", lang="en"), *articles[1:]])
    for _ in steps:
        pass
    with pytest.raises(ZeroDivisionError):
        works[1].outcome()
    assert [works[0].outcome(), works[2].outcome(), works[3].outcome()] == [extract(a) for a in articles]
    assert all(work.seconds > 0 for work in works)
