"""Key facts on the service pages: at most twelve, limits first, disagreements marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studysite.model import SiteOutput
from studysite.render.facts import MAX_FACTS
from studysite.site import generate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out() -> SiteOutput:
    return generate(ROOT / "notes", ROOT / "catalog" / "services.yml", ROOT / "docs")


def _rows(markdown: str) -> list[str]:
    block = markdown.split('"Key facts: the numbers the notes state"', 1)
    if len(block) == 1:
        return []
    rows = re.findall(r"^    \| (?!Fact |---).*\|$", block[1].split("\n## ", 1)[0], re.M)
    return rows


def test_sqs_states_its_limits(out: SiteOutput) -> None:
    rows = _rows(out.pages["application-integration/sqs.md"])
    assert any(r.startswith("    | Max message size | 256KB") for r in rows), rows
    size = next(r for r in rows if "Max message size" in r)
    # Two notes state it with one value: one row, a mark for each note, linking the line.
    assert re.findall(r"\[(\d{3}) · \d+\]\(\.\./notes/[^)]+#l\d+ ", size) == ["000", "001"]


def test_notes_that_disagree_are_shown_with_each_value(out: SiteOutput) -> None:
    rows = _rows(out.pages["database/rds/aurora.md"])
    storage = next(r for r in rows if "128 TB" in r)
    assert "64 TB" in storage
    assert "**notes disagree**" in storage


def test_at_most_twelve_rows_and_no_heading(out: SiteOutput) -> None:
    shown = 0
    for page in out.site.pages.values():
        md = out.pages[page.path]
        rows = _rows(md)
        assert len(rows) <= MAX_FACTS, page.path
        shown += bool(rows)
        assert "## Key facts" not in md
    assert shown >= 30  # the pages whose notes state a limit, a size or a duration
