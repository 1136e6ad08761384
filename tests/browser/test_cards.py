"""Test yourself, as a reader uses it, in both editions (HTTP and file://).

Three cards answered with the keyboard survive a reload; reset forgets them; the link on a
service page asks only that page's cards; a card's source link opens the note as written;
a phone shows it all without sideways scrolling; nothing leaves the site.
"""

from __future__ import annotations

import re

import pytest

from .support import Edition

pytestmark = [pytest.mark.slow, pytest.mark.browser]

TRAINER = "test-yourself"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _expect():  # imported late: without Playwright the fixtures skip before this runs
    from playwright.sync_api import expect

    return expect


def _fresh(edition: Edition, path: str = TRAINER) -> None:
    """Open ``path`` with no progress kept from an earlier test."""
    edition.goto(path)
    edition.page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('studysite-cards:'))"
        ".forEach(k => localStorage.removeItem(k))"
    )
    edition.goto(path)


def _assert_clean(edition: Edition) -> None:
    edition.assert_clean()
    assert not edition.outside, "requests left the site:\n" + "\n".join(edition.outside)


def test_progress_survives_a_reload_and_reset_clears_it(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    _fresh(edition)
    progress = page.locator(".ss-trainer-progress")
    expect(progress).to_have_text(re.compile(r"^0 of \d{3,} cards seen$"))
    for knew in ("1", "2", "j"):
        clue = page.locator(".ss-trainer-clue").inner_text()
        assert clue.strip()
        page.keyboard.press("Space")
        expect(page.locator(".ss-trainer-answer")).to_be_visible()
        page.keyboard.press(knew)
        expect(page.locator(".ss-trainer-answer")).to_have_count(0)
    expect(progress).to_contain_text("3 of ")
    expect(progress).to_contain_text("box 1: 1, 2: 2")
    page.reload(wait_until="load")
    expect(progress).to_contain_text("3 of ")
    expect(progress).to_contain_text("box 1: 1, 2: 2")
    reset = page.locator("button.ss-trainer-reset")
    reset.click()
    expect(reset).to_contain_text("Click again")
    reset.click()
    expect(progress).to_have_text(re.compile(r"^0 of \d+ cards seen$"))
    page.reload(wait_until="load")
    expect(progress).to_have_text(re.compile(r"^0 of \d+ cards seen$"))
    _assert_clean(edition)


def test_service_page_link_asks_its_own_cards(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    _fresh(edition, "storage/s3")
    page.locator("p.ss-test-link a").click()
    page.wait_for_url(re.compile(r"test-yourself/(index\.html)?\?page=s3$"))
    expect(page.locator(".ss-trainer-scope")).to_contain_text("about Amazon S3")
    page.keyboard.press("Space")
    source = page.locator(".ss-trainer-source a").first
    expect(source).to_have_text(re.compile(r"^\S+ · \d+$"))
    source.click()
    page.wait_for_url(re.compile(r"notes/.*#l\d+$"))
    expect(page.locator("article h1")).to_contain_text(re.compile(r"\S"))
    _assert_clean(edition)


def test_phone_has_no_sideways_scroll(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    page.set_viewport_size(PHONE)
    try:
        _fresh(edition, "test-yourself/storage")
        expect(page.locator(".ss-trainer-clue")).to_be_visible()
        page.locator("button", has_text="Show answer").click()
        expect(page.locator(".ss-trainer-answer")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
    finally:
        page.set_viewport_size(DESKTOP)
    _assert_clean(edition)
