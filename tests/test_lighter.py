"""A lighter site (issue 17): a short navigation, a home that leads somewhere, category cards,
Unsorted only when it holds something, acronym tooltips once per section, wide comparisons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studysite.model import NavItem, SiteOutput
from studysite.render.navigation import nav

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog" / "services.yml"
MAX_TOP_LEVEL = 8


@pytest.fixture(scope="module")
def out(seed_output: SiteOutput) -> SiteOutput:
    return seed_output


def _titles(items: list[NavItem]) -> list[str]:
    return [next(iter(i)) if isinstance(i, dict) else i for i in items]


def _flat(items: list[NavItem]) -> list[str]:
    """Every title and path anywhere in the navigation."""
    found: list[str] = []
    for item in items:
        if isinstance(item, str):
            found.append(item)
            continue
        for title, value in item.items():
            found.append(title)
            found += _flat(value) if isinstance(value, list) else [value]
    return found


def test_seed_navigation_is_short_and_ordered(out: SiteOutput) -> None:
    titles = _titles(out.nav)
    assert len(titles) <= MAX_TOP_LEVEL, titles
    assert titles[0] == "Home"
    assert titles[-3:] == ["Comparisons", "Study", "About the notes"]
    # The categories sit inside their domains, each category page first in its section.
    storage = next(i for i in out.nav if isinstance(i, dict) and "Storage & databases" in i)
    inner = storage["Storage & databases"]
    assert isinstance(inner, list)
    assert _titles(inner)[:2] == ["Storage", "Database"]
    assert "storage/index.md" in _flat(inner)
    # Every category page and every catalog page is still reachable.
    flat = _flat(out.nav)
    for page in out.site.pages.values():
        if page.id != "unsorted":
            assert page.path in flat, page.path


def test_unsorted_only_when_it_holds_something(out: SiteOutput) -> None:
    unsorted = out.site.pages["unsorted"]
    assert unsorted.parts  # the seed notes leave one section unsorted
    about = next(i for i in out.nav if isinstance(i, dict) and "About the notes" in i)
    assert _flat([about]) == ["About the notes", "about.md", "Unsorted", "unsorted.md"]
    # Emptied, it leaves the navigation (About stays a plain page).
    out.site.pages["unsorted"] = type(unsorted)(
        unsorted.id, unsorted.title, unsorted.path, None, [], (), unsorted.topics
    )
    try:
        again = nav(out.site, [{"Home": "index.md"}], [{"About the notes": "about.md"}])
    finally:
        out.site.pages["unsorted"] = unsorted
    assert "Unsorted" not in _flat(again)
    assert again[-1] == {"About the notes": "about.md"}
    assert len(again) <= MAX_TOP_LEVEL


def test_unsorted_advice_is_folded(out: SiteOutput) -> None:
    page = out.pages["unsorted.md"]
    assert "??? note \"For the notes' owner" in page
    assert "notes/overrides.yml" in page.split("??? note", 1)[1]
    assert "overrides.yml" not in page.split("??? note", 1)[0]


def test_home_offers_study_tools_then_category_cards(out: SiteOutput) -> None:
    home = out.finish((ROOT / "docs" / "index.md").read_text(encoding="utf-8"), "index.md")
    study, categories = home.index("## Study"), home.index("## Storage & databases")
    assert study < categories
    tools = home[study:categories]
    for link in ("(comparisons/index.md)", "(exam-tips.md)", "(about.md)"):
        assert link in tools
    assert "(unsorted.md)" not in home
    # Each service with its note count and a one-line description (the notes' definition).
    line = next(ln for ln in home.splitlines() if "(storage/s3/index.md)" in ln)
    assert re.search(r"· \d+ notes?: \S", line), line
    assert "S3 is a global AWS service" in line


def test_category_page_has_a_card_per_service(out: SiteOutput) -> None:
    page = out.pages["storage/index.md"]
    assert '<div class="grid cards" markdown>' in page
    assert re.search(r"-   \*\*\[S3\]\(s3/index\.md\)\*\* · \d+ notes", page)
    assert "S3 is a global AWS service" in page
    # A service the notes do not define is described by its catalog name and category.
    assert "Amazon EBS · Storage" in page


def test_comparison_pages_hide_the_toc_and_are_wide(out: SiteOutput) -> None:
    pages = [p for p in out.pages if p.startswith("comparisons/") and p != "comparisons/index.md"]
    assert pages
    for path in pages:
        front = out.pages[path].split("---", 2)[1]
        assert "hide:\n  - toc" in front, path
        assert "wide: true" in front, path


def _sections(markdown: str) -> list[str]:
    """The page cut at its H1-H3 headings, as the linker sees sections."""
    return re.split(r"(?m)^#{1,3} ", markdown)


def test_tooltips_once_per_section_never_on_the_pages_own_name(out: SiteOutput) -> None:
    s3 = out.pages["storage/s3/index.md"]
    assert not re.search(r"(?m)^\*\[", s3)  # no abbr definitions: they mark every occurrence
    assert ">S3</abbr>" not in s3
    tips = re.findall(r"<abbr title=\"[^\"]+\">([^<]+)</abbr>", s3)
    assert 10 <= len(tips) < 100, len(tips)
    for section in _sections(s3):
        names = re.findall(r"<abbr title=\"[^\"]+\">([^<]+)</abbr>", section)
        assert len(names) == len(set(names)), names
    # The S3 Glacier page names S3, its parent's name: no tooltip either; SQS gets one.
    glacier = out.pages["storage/s3/s3-glacier.md"]
    assert ">S3</abbr>" not in glacier
    sqs = out.pages["application-integration/sqs.md"]
    assert ">SQS</abbr>" not in sqs
    assert '<abbr title="Simple Notification Service">SNS</abbr>' in sqs


def test_tooltips_stay_out_of_headings_code_and_links(out: SiteOutput) -> None:
    for path, page in out.pages.items():
        for line in page.splitlines():
            if line.startswith("#"):
                assert "<abbr" not in line, (path, line)
        for code in re.findall(r"`[^`\n]+`", page):
            assert "<abbr" not in code, (path, code)


def test_cards_count_notes_in_words(out: SiteOutput) -> None:
    # "1 note", "2 notes": the category cards say how many notes fed each page.
    counts = [
        found
        for path, md in out.pages.items()
        if path.endswith("/index.md")
        for found in re.findall(r"· (\d+) (notes?)\b", md)
    ]
    assert counts
    for n, word in counts:
        assert word == ("note" if n == "1" else "notes"), (n, word)
    assert any(n != "1" for n, _ in counts)


def test_a_long_definition_is_cut_at_a_word_without_trailing_punctuation(
    out: SiteOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studysite.render import navigation

    long = "Amazon SQS is " + "a" * 90 + ", queues messages between the parts of an application"
    monkeypatch.setattr(navigation, "definition", lambda page: long)
    shown = navigation.description(out.site.pages["sqs"], out.site)
    assert shown == "Amazon SQS is " + "a" * 90 + "…"
    monkeypatch.setattr(navigation, "definition", lambda page: "Amazon SQS is a queue.")
    assert navigation.description(out.site.pages["sqs"], out.site) == "Amazon SQS is a queue."
