"""A merged page as readers use it, on a desktop and on a phone, in both editions.

The S3 page: its outline is in the table of contents, a source mark opens the note as
written at the block's first line (and links back), a folded console block opens.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .support import Edition

pytestmark = [pytest.mark.slow, pytest.mark.browser]

S3 = "storage/s3"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _expect():  # imported late: without Playwright the fixtures skip before this runs
    from playwright.sync_api import expect

    return expect


@pytest.fixture(params=["desktop", "phone"])
def viewport(request: pytest.FixtureRequest, edition: Edition):
    edition.page.set_viewport_size(PHONE if request.param == "phone" else DESKTOP)
    yield request.param
    edition.page.set_viewport_size(DESKTOP)


def test_outline_is_the_table_of_contents(edition: Edition, viewport: str) -> None:
    expect, page = _expect(), edition.page
    edition.goto(S3)
    toc = page.locator("nav.md-nav--secondary[aria-label='Table of contents']").last
    if viewport == "phone":
        # On a phone the table of contents sits in the drawer, under the page's entry.
        page.locator("label.md-header__button[for='__drawer']").click()
    for title in ("Overview", "Replication", "Lifecycle", "Event notifications", "Hands-on"):
        link = toc.locator("a.md-nav__link", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))
        expect(link).to_have_count(1)
    if viewport == "phone":
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
    edition.assert_clean()


def test_source_mark_opens_the_note_as_written(edition: Edition, viewport: str) -> None:
    expect, page = _expect(), edition.page
    edition.goto(S3)
    mark = page.locator("#replication ~ p.ss-source a").first
    expect(mark).to_have_text(re.compile(r"^\S+ · \d+(–\d+)?$"))
    first_line = re.search(r"· (\d+)", mark.inner_text()).group(1)
    mark.click()
    page.wait_for_url(lambda url: urlsplit(url).fragment == f"l{first_line}")
    target = page.locator(f"[id='l{first_line}']")
    expect(target).to_be_attached()
    expect(page.locator("article h1")).to_contain_text(re.compile(r"\S"))
    # Every part of the note links back to where it now stands: here, S3's replication.
    back = page.locator(f"[id='l{first_line}'] ~ p.ss-where a, p.ss-where[id='l{first_line}'] a")
    expect(back.first).to_have_attribute("href", re.compile(r"s3/.*#"))
    back.first.click()
    page.wait_for_url(lambda url: edition.page_id(url) == "s3")
    edition.assert_clean()


def test_console_block_opens(edition: Edition, viewport: str) -> None:
    expect, page = _expect(), edition.page
    edition.goto(S3)
    fold = page.locator("details.note").filter(has_text="Console output").first
    expect(fold).not_to_have_attribute("open", "")
    fold.locator("summary").click()
    expect(fold).to_have_attribute("open", "")
    expect(fold.locator("pre, table").first).to_be_visible()
    edition.assert_clean()


def test_numbers_page_filters_as_you_type(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    edition.goto("numbers-to-know")
    rows = page.locator("article table tbody tr")
    total = rows.count()
    assert total > 50
    box = page.locator("input.ss-filter")
    box.click()
    box.press_sequentially("message size")
    visible = page.locator("article table tbody tr:not([hidden])")
    expect(visible.first).to_contain_text("256")
    assert 0 < visible.count() < total
    box.fill("")
    box.press("Backspace")
    edition.assert_clean()
