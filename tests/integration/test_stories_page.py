"""The live page in a real headless browser (Debian's chromium through its chromedriver): it loads from a worker on
the real broker, shows a story fed through Kafka, and updates that story's card in place, without a reload, when a
second outlet reports the same happening."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from streams.harness.feeding import produce
from streams.harness.worker import PROJECT_ROOT

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTICLES = {
    article["id"]: article
    for article in map(orjson.loads, (PROJECT_ROOT / "tests/fixtures/stories/articles.jsonl").read_bytes().splitlines())
}
FIRST, SECOND = "rp-2025-03-10-litauen", "baltictimes-2025-03-10-germany"
STORY_KEY = "deployment|DEU|LTU"
CARD = f'li.story[data-story-key="{STORY_KEY}"]'


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Headless chromium driven by the system's chromedriver; nothing is downloaded (Selenium Manager stays off)."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not program.exists():
            # A missing browser is a broken environment: fail loudly, never skip.
            pytest.fail(f"{program} is missing; run `make system-deps` (apt-get install chromium chromium-driver)")
    monkeypatch.setenv("SE_OFFLINE", "true")  # should Selenium Manager ever be consulted, it may not go online
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="newsevents-chromium-")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, CSP violations included
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def text_in(card: Any, selector: str) -> str:
    """The text of the card's element matching selector, read in one step inside the page: the card re-renders its
    children on every update (the card itself stays the same), so a child found first and read afterwards may
    already be replaced by then."""
    text: str = card.parent.execute_script(
        "return arguments[0].querySelector(arguments[1]).textContent", card, selector
    )
    return text.strip()


def field(card: Any, name: str) -> str:
    return text_in(card, f'[data-field="{name}"] .value')


def test_the_page_shows_a_story_fed_through_kafka_and_updates_its_card_without_a_reload(
    pipeline_settings: Any, start_worker: Any, browser: Any
) -> None:
    settings = pipeline_settings(stories_enabled=True)
    worker = start_worker(settings)
    browser.get(worker.base_url + "/")
    assert browser.title == "newsevents · live stories"
    WebDriverWait(browser, 30).until(lambda b: b.find_element(By.ID, "live").get_attribute("data-state") == "live")
    assert browser.find_elements(By.CSS_SELECTOR, "li.story") == []
    # A page reload would lose this: its presence at the end proves the card changed in the same page.
    browser.execute_script("window.newseventsTestMarker = 'loaded once';")

    produce(settings, [orjson.dumps(ARTICLES[FIRST])])
    card = WebDriverWait(browser, 90, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: next(iter(b.find_elements(By.CSS_SELECTOR, CARD)), None)
    )
    assert field(card, "sources") == "Rheinische Post" and field(card, "corroboration") == "1"
    assert field(card, "languages") == "de" and field(card, "modality") in {"asserted", "reported", "possible"}
    assert "800 Soldaten nach Litauen" in text_in(card, ".sentence")
    assert text_in(card, ".place") == "Litauen"

    produce(settings, [orjson.dumps(ARTICLES[SECOND])])
    # The very element found above (no StaleElementReferenceException: not re-rendered by a reload) updates.
    WebDriverWait(browser, 90).until(lambda b: field(card, "corroboration") == "2")
    assert field(card, "sources") == "Rheinische Post, The Baltic Times" and field(card, "languages") == "de, en"
    assert text_in(card, ".alert") == "alert: independent-sources"
    assert len(browser.find_elements(By.CSS_SELECTOR, CARD)) == 1  # replaced, not added
    assert browser.execute_script("return window.newseventsTestMarker") == "loaded once"
    assert browser.find_element(By.ID, "live").get_attribute("data-state") == "live"

    # A fresh load builds the same card from GET /stories (and the marker is gone: it does detect reloads).
    browser.refresh()
    reloaded = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: next(iter(b.find_elements(By.CSS_SELECTOR, CARD)), None)
    )
    assert field(reloaded, "corroboration") == "2"
    assert browser.execute_script("return window.newseventsTestMarker") is None
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors  # a blocked inline script or style (Content-Security-Policy) would show here
    assert worker.terminate() == 0  # an open page does not hold up the worker's shutdown
