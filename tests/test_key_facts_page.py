"""Key facts on the service pages: at most twelve, limits first, disagreements marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from studysite.model import SiteOutput
from studysite.render.facts import MAX_FACTS
from studysite.site import generate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(seed_output: SiteOutput) -> SiteOutput:
    return seed_output


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


GOLD = ROOT.parent / "shared" / "reference" / "key_numbers.yml"
# Each conflict key_numbers.yml marks, by its fact: the page it stands on and the two values
# as the notes write them (one of each side), or why its values do not both appear.
GOLD_CONFLICTS: dict[str, tuple[str, str, str] | str] = {
    "Convertible RI discount": ("ec2-purchasing-options", "54%", "66%"),
    "/tmp storage": ("lambda", "512 MB to 10GB", "512MB"),
    "st1 / sc1 max": ("ebs", "250 MiB/s", "500MiB/s"),
    "EFS scale": ("efs", "10 Gbps", "10 GB/s"),
    # 002 says "the edge has 100TB and compute power": the rule pairs it with the Compute
    # Optimized flavour (42 TB) the other notes give, not with Storage Optimized (80 TB).
    "Snowball Edge Storage Optimized": ("snow-family", "42 TB", "100TB"),
    "Max storage": ("aurora", "128 TB", "64 TB"),
    "Dedicated connection speeds": ("direct-connect", "1Gbps,10 Gbps and 100 Gbps", "1 Gbps"),
    "Subscriptions per topic": ("sns", "12,500,000", "10,000,000"),
    # 002:557 stands on the Kinesis page, the others on Kinesis Data Streams: shown on both.
    "Retention": ("kinesis-data-streams", "1 day to 365 days", "7 days"),
    "Pillars": "no note writes 6 as a number: 001 lists six pillars (8432-8439) and says "
    "5 at 2398; 002:372 names five without a number",
}


def _disputed_row(markdown: str, a: str, b: str) -> bool:
    return any(
        a in row and b in row and "**notes disagree" in row
        for row in markdown.splitlines()
        if row.lstrip().startswith("|")
    )


@pytest.mark.skipif(not GOLD.exists(), reason="the gold set lives in the shared reference")
def test_every_gold_conflict_is_shown_on_its_page_and_the_numbers_page(out: SiteOutput) -> None:
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    conflicts = [g["fact"] for g in gold if g["status"] == "conflict"]
    assert sorted(conflicts) == sorted(GOLD_CONFLICTS), "a gold conflict needs a case here"
    numbers = out.pages["numbers-to-know.md"].split("## Notes disagree", 1)[1].split("\n## ")[0]
    for fact, case in GOLD_CONFLICTS.items():
        if isinstance(case, str):
            continue
        page, a, b = case
        service = out.pages[out.site.pages[page].path]
        assert _disputed_row(service, a, b), (fact, page)
        assert _disputed_row(numbers, a, b), fact
    kinesis = out.pages[out.site.pages["kinesis"].path]
    assert _disputed_row(kinesis, "365 days", "7 days")


def test_no_other_disagreement_is_shown(out: SiteOutput) -> None:
    """The five notes disagree exactly on the gold conflicts: nothing else says so."""
    numbers = out.pages["numbers-to-know.md"].split("## Notes disagree", 1)[1].split("\n## ")[0]
    rows = [r for r in numbers.splitlines() if r.startswith("| [")]
    assert len(rows) == len([c for c in GOLD_CONFLICTS.values() if not isinstance(c, str)])


def _dated_notes(tmp_path: Path, dates: tuple[str | None, str | None], manifest: str = "") -> str:
    """Two Markdown notes on SQS that disagree on its retention (a.md says 4 days, b.md 14);
    the SQS page's row."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, date, days in (("a.md", dates[0], 4), ("b.md", dates[1], 14)):
        front = f"---\ndate: {date}\n---\n" if date else ""
        body = f"# Amazon SQS\n\n- Max message retention: {days} days\n"
        (notes / name).write_text(front + body, encoding="utf-8")
    if manifest:
        (notes / "manifest.yml").write_text(manifest, encoding="utf-8")
    out = generate(notes, ROOT / "catalog" / "services.yml", ROOT / "nonexistent-docs")
    rows = [r for r in _rows(out.pages[out.site.pages["sqs"].path]) if "retention" in r]
    assert len(rows) == 1, rows
    return rows[0]


def test_disagreeing_values_are_ordered_by_the_notes_dates_newest_first(tmp_path: Path) -> None:
    row = _dated_notes(tmp_path, ("2019-03-01", "2023-06-30"))
    assert row.index("14 days") < row.index("4 days")  # b.md first, though read second
    assert "2023-06-30" in row
    assert "2019-03-01" in row
    assert "**notes disagree, newest first**" in row


def test_the_manifest_date_wins_over_the_front_matter(tmp_path: Path) -> None:
    # The manifest reads b.md first; a.md is dated there, b.md in its front matter.
    manifest = "notes:\n  - file: b.md\n  - file: a.md\n    date: 2024-01-01\n"
    row = _dated_notes(tmp_path, (None, "2023-06-30"), manifest)
    assert row.index("4 days") < row.index("14 days")
    assert "2024-01-01" in row


def test_without_dates_no_order_is_guessed(tmp_path: Path) -> None:
    # One note undated: values stay in note order, and nothing says which is newer.
    row = _dated_notes(tmp_path, (None, "2023-06-30"))
    assert "**notes disagree**" in row
    assert row.index("4 days") < row.index("14 days")
    assert "newest" not in row
    assert "2023-06-30" not in row


def test_the_key_facts_block_is_a_folded_admonition_with_a_table(out: SiteOutput) -> None:
    md = out.pages[out.site.pages["sqs"].path]
    lines = md.split("\n")
    at = lines.index('???+ abstract "Key facts: the numbers the notes state"')
    assert lines[at + 1] == ""
    assert lines[at + 2] == "    | Fact | Value (note · line) |"


def test_the_numbers_page_ends_with_one_newline(out: SiteOutput) -> None:
    page = out.pages["numbers-to-know.md"]
    assert page.startswith("---\n")
    assert page.endswith("|\n")
    assert not page.endswith("\n\n")
