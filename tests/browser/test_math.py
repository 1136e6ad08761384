"""Math in the notes renders as math, offline too: KaTeX is vendored and loaded only where needed.

Migration strategies holds the notes' transfer-time formulas (``$200(\\text{TB}) * ...$``);
pymdownx.arithmatex marks them and the vendored KaTeX renders them, from ``file://`` as well.
"""

from __future__ import annotations

import re

import pytest

from .support import Edition

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MATH = "migration-and-transfer/migration-strategies"
CATEGORY = "migration-and-transfer"
NO_MATH = "storage/s3"


def _expect():  # imported late: without Playwright the fixtures skip before this runs
    from playwright.sync_api import expect

    return expect


def _assert_rendered(edition: Edition) -> None:
    expect, page = _expect(), edition.page
    formulas = page.locator("article .arithmatex")
    expect(formulas.first.locator(".katex")).to_be_visible()
    assert formulas.count() >= 2
    assert page.locator("article .arithmatex:not(:has(.katex))").count() == 0
    assert page.locator("article .katex-error").count() == 0
    text = page.locator("article").inner_text()
    assert "\\text{" not in text
    assert "\\(" not in text
    assert not re.search(r"\$\s*200\(", text), "raw $...$ left on the page"


def test_formulas_render_with_katex(edition: Edition) -> None:
    edition.goto(MATH)
    _assert_rendered(edition)
    assert not edition.outside, edition.outside  # KaTeX, its fonts and CSS come from the site
    edition.assert_clean()


def test_katex_loads_only_on_pages_with_math(edition: Edition) -> None:
    page = edition.page
    loaded: list[str] = []
    page.on("request", lambda r: "katex" in r.url and loaded.append(r.url))
    edition.goto(NO_MATH)
    page.wait_for_load_state("load")
    assert page.locator("script[src*='katex'], link[href*='katex']").count() == 0
    assert not loaded, loaded
    edition.assert_clean()


def test_formulas_render_after_navigating_from_a_page_without_math(edition: Edition) -> None:
    # Hosted: Material's instant navigation swaps the page in (its scripts re-run);
    # offline: a plain page load.
    page = edition.page
    edition.goto(CATEGORY)
    page.locator("article a[href*='migration-strategies']").first.click()
    page.wait_for_url(lambda url: edition.page_id(url) == "migration-strategies")
    _assert_rendered(edition)
    edition.assert_clean()
