"""The built editions, read as files (no browser needed): nothing from a CDN, the vendored
iframe-worker shim in every page, system fonts, a search index small enough for file://."""

from __future__ import annotations

import re

import pytest

from .support import REPO, BuiltSites

pytestmark = pytest.mark.slow

SHIM = "assets/vendor/iframe-worker/shim.js"
# A resource the browser would fetch by itself from another host: script, stylesheet,
# font or image sources, preconnects, CSS url()/@import. (Plain <a href> links are fine.)
FETCHED = re.compile(
    r"""<(?:script|img|iframe|video|audio|source|embed)\b[^>]*\s(?:src|srcset)=["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref=["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.IGNORECASE,
)
CDNS = ("unpkg.com", "cdn.jsdelivr.net", "fonts.googleapis.com", "fonts.gstatic.com")


def test_offline_edition_fetches_nothing_from_the_network(built_sites: BuiltSites) -> None:
    site = built_sites.offline
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in FETCHED.finditer(text):
            found.append(f"{path.relative_to(site)}: {text[m.start() : m.end() + 60]!r}")
        found += [f"{path.relative_to(site)}: names {cdn}" for cdn in CDNS if cdn in text]
        # Material's bundle fetches mermaid from unpkg for a page with a mermaid diagram
        # (and a ResizeObserver polyfill for browsers too old to matter): none may have one.
        if 'class="mermaid"' in text:
            found.append(f"{path.relative_to(site)}: a mermaid diagram (loads unpkg.com)")
    assert not found, "the offline edition would load from the network:\n" + "\n".join(found)


def test_every_offline_page_loads_the_vendored_shim(built_sites: BuiltSites) -> None:
    site = built_sites.offline
    assert (site / SHIM).read_bytes() == (REPO / "docs" / SHIM).read_bytes()
    # 404.html is excluded: its links are absolute (/assets/...), for servers only.
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    missing = [
        str(p.relative_to(site))
        for p in pages
        if not re.search(r'<script src="(\.\./)*' + re.escape(SHIM) + '"', p.read_text("utf-8"))
    ]
    assert not missing, f"pages without the local iframe-worker shim: {missing[:10]}"
    assert (site / "assets/vendor/iframe-worker/LICENSE").is_file()


def test_offline_search_index_is_inlined_for_file_urls(built_sites: BuiltSites) -> None:
    script = (built_sites.offline / "search" / "search_index.js").read_text("utf-8")
    assert script.startswith("var __index = {")


@pytest.mark.parametrize("edition_name", ["hosted", "offline"])
def test_search_index_is_small_enough(built_sites: BuiltSites, edition_name: str) -> None:
    # Large indexes freeze file:// pages (the offline edition loads it as one script).
    site = getattr(built_sites, edition_name)
    name = "search_index.js" if edition_name == "offline" else "search_index.json"
    size = (site / "search" / name).stat().st_size
    print(f"{edition_name}: search/{name} {size / 1e6:.3f} MB")
    assert size <= 1_500_000, f"{edition_name}: {name} is {size / 1e6:.2f} MB (limit 1.5 MB)"


def test_site_and_the_s3_page_stay_light(built_sites: BuiltSites) -> None:
    # Issue 17's bars. Every page carries what the theme inlines: a script inlined in the
    # template (the search query fixes once were, 12 KB) costs it once per page.
    site = built_sites.hosted
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    s3 = (site / "storage" / "s3" / "index.html").stat().st_size
    print(f"hosted site {total / 1e6:.1f} MB, S3 page {s3 / 1e3:.0f} KB")
    assert total <= 20_000_000, f"the site is {total / 1e6:.1f} MB (limit 20 MB)"
    assert s3 <= 120_000, f"the S3 page is {s3 / 1e3:.0f} KB of HTML (limit 120 KB)"
