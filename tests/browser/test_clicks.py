"""What readers click, in the offline edition (file://) and the hosted one (HTTP).

Home -> study tool -> back -> category -> service page, a link to another page, search -> a
result's section, an image in the lightbox, the dark-mode toggle across pages; each test
also checks that the page logged no console error and, offline, made no request that needs
the network.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .support import FIXTURE_ALT, Edition, open_search, search

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _expect():  # imported late: without Playwright the fixtures skip before this runs
    from playwright.sync_api import expect

    return expect


def _title(text: str) -> re.Pattern[str]:
    """A page's h1 text: the title, then the heading's permalink sign."""
    return re.compile(rf"^\s*{re.escape(text)}\s*¶?\s*$")


def test_home_to_category_to_service_page(edition: Edition) -> None:
    # Home -> a study tool -> back -> a category's card -> a service in it.
    expect, page = _expect(), edition.page
    edition.goto()
    page.locator("article").get_by_role("link", name="Comparisons", exact=True).first.click()
    expect(page.locator("article h1")).to_have_text(_title("Comparisons"))
    page.go_back()
    expect(page.locator("article h1")).to_have_text(_title("AWS Solutions Architect study notes"))
    page.locator("article").get_by_role("link", name="Application Integration", exact=True).click()
    expect(page.locator("article h1")).to_have_text(_title("Application Integration"))
    page.locator("article").get_by_role("link", name="SQS", exact=True).first.click()
    expect(page.locator("article h1")).to_have_text(_title("Amazon SQS"))
    assert edition.page_id(page.url) == "sqs"
    edition.assert_clean()


def test_link_to_another_page(edition: Edition) -> None:
    # A cross-link the generator put in the notes' text: "Lambda functions" in an SQS list.
    expect, page = _expect(), edition.page
    edition.goto("application-integration/sqs")
    link = page.locator("article li a[href*='compute/lambda']").first
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("article h1")).to_have_text(_title("AWS Lambda"))
    assert edition.page_id(page.url) == "lambda"
    edition.assert_clean()


def test_search_result_lands_on_its_section(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    edition.goto()
    box = open_search(edition)
    search(edition, box, "visibility timeout")
    best = page.locator(".md-search-result__list > li.md-search-result__item").first
    section = best.locator("a.md-search-result__link[href*='#']:visible").first
    fragment = urlsplit(section.get_attribute("href") or "").fragment
    assert fragment, "the best result lists no section"
    section.click()
    page.wait_for_url(lambda url: urlsplit(url).fragment == fragment)
    assert edition.page_id(page.url) == "sqs"
    heading = page.locator(f"[id='{fragment}']")
    expect(heading).to_contain_text("isibility")
    expect(heading).to_be_in_viewport()
    edition.assert_clean()


def test_image_opens_in_the_lightbox(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    edition.goto("application-integration/sqs")
    page.locator(f"a.glightbox img[alt='{FIXTURE_ALT}']").click()
    shown = page.locator(".glightbox-container .gslide.current img")
    expect(shown).to_be_visible()
    assert "browser-test-fixture/queue-diagram.png" in (shown.get_attribute("src") or "")
    page.wait_for_function(
        "() => { const i = document.querySelector('.gslide.current img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    page.keyboard.press("Escape")
    expect(page.locator(".glightbox-container")).to_have_count(0)
    edition.assert_clean()


def test_dark_mode_stays_on_across_pages(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    body = page.locator("body")
    try:
        edition.goto()
        for _ in range(3):  # auto -> light -> dark: the toggle cycles through the palettes
            if body.get_attribute("data-md-color-scheme") == "slate":
                break
            page.locator("form[data-md-component=palette] label:not([hidden])").click()
        expect(body).to_have_attribute("data-md-color-scheme", "slate")
        edition.goto("application-integration/sqs")  # a new page load, not a re-render
        expect(body).to_have_attribute("data-md-color-scheme", "slate")
        page.locator("article").get_by_role("link", name="Amazon SNS").first.click()
        expect(page.locator("article h1")).to_have_text(_title("Amazon SNS"))
        expect(body).to_have_attribute("data-md-color-scheme", "slate")
    finally:
        page.evaluate("localStorage.clear()")
    edition.assert_clean()


def test_no_page_loads_from_the_network(edition: Edition) -> None:
    # Home and pages with images from the web: offline, nothing may leave the machine (the
    # images become "image (online only)" links); hosted, only those images may. (The
    # file check in test_offline_files.py covers every page; these show it in a browser.)
    with_web_images = sorted(
        str(p.relative_to(edition.root).with_suffix("")).removesuffix("/index")
        for p in edition.root.rglob("*.html")
        if "user-images.githubusercontent.com" in p.read_text(encoding="utf-8")
    )
    pages = ["", *with_web_images[:: max(1, len(with_web_images) // 7)]]
    if edition.name == "hosted":
        pages = pages[:4]
    assert len(pages) > 1, "no page has a web image any more: pick other pages to visit"
    before = len(edition.outside)
    for path in pages:
        edition.goto(path)
    made = edition.outside[before:]
    if edition.name == "offline":
        assert not made, "the offline edition made requests:\n" + "\n".join(made)
        label = edition.page.locator("article a:has(> img[data-ss-online-src])").first
        assert "image (online only)" in label.evaluate(
            "a => getComputedStyle(a, '::before').content"
        )
    else:
        assert all(r.startswith("image ") for r in made), "\n".join(made)
    edition.assert_clean()
