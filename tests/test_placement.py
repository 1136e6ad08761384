"""Where every line goes, pinned: the page (or noise reason) of every line of the seed notes.

``tests/golden/placement.tsv`` lists, for each note in ``notes/``, runs of non-blank lines
and where they landed: a page id, or ``noise: <reason>``. Blank lines between two lines of a
run join the run (they decide nothing). A line that lands twice or nowhere shows as
``TWICE: …`` or ``LOST``, so the table itself shows a lost line. A change to routing, a reader
or an override shows here as a diff of runs; if the move is right, rewrite the table with
``pytest tests/test_placement.py --update-golden`` and review the diff like any golden file.

To add a column (a subtopic, say), add it to :func:`placement` and :data:`HEADER`: runs are
cut wherever any column changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml
from accounting import misplaced

from studysite.build import Site

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests" / "golden" / "placement.tsv"
HEADER = ("file", "lines", "page", "subtopic")


def placement(site: Site) -> dict[str, dict[int, tuple[str, ...]]]:
    """note file -> non-blank line number -> its columns after ``lines`` (page, ...)."""
    out: dict[str, dict[int, tuple[str, ...]]] = {}
    for note in site.notes:
        where: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for part in note.parts:
            if part.title_line:
                where[part.title_line].append((part.page, part.topic))
            for no in {ln.no for ln in part.lines if ln.no and ln.text.strip()}:
                where[no].append((part.page, part.topic))
        for noise in note.noise:
            where[noise.no].append((f"noise: {noise.reason}", ""))
        rows: dict[int, tuple[str, ...]] = {}
        for no, text in enumerate(note.lines, 1):
            if not text.strip():
                continue
            places = where.get(no, [])
            if len(places) == 1:
                rows[no] = places[0]
            elif places:
                rows[no] = ("TWICE: " + ", ".join(p for p, _ in places), "")
            else:
                rows[no] = ("LOST", "")
        out[note.file] = rows
    return out


def table(site: Site) -> str:
    """The placement as runs: ``file<TAB>first-last<TAB>page<TAB>subtopic``, a run a line."""
    lines = [
        "# Where every non-blank line of notes/ lands (tests/test_placement.py).",
        "# Update: pytest tests/test_placement.py --update-golden, then review the diff.",
        "\t".join(HEADER),
    ]
    for file, rows in placement(site).items():
        run: list[int] = []
        for no, cols in [*rows.items(), (0, ())]:
            if run and cols != rows[run[0]]:
                span = str(run[0]) if run[0] == run[-1] else f"{run[0]}-{run[-1]}"
                lines.append("\t".join((file, span, *rows[run[0]])).rstrip("\t"))
                run = []
            run.append(no)
    return "\n".join(lines) + "\n"


def test_every_line_of_the_seed_notes_lands_where_the_table_says(
    seed_site: Site, golden: Callable[[Path, str], None]
) -> None:
    golden(TABLE, table(seed_site))


def test_no_seed_line_is_lost_or_placed_twice(seed_site: Site) -> None:
    bad = {
        (file, no, cols[0])
        for file, rows in placement(seed_site).items()
        for no, cols in rows.items()
        if cols[0] == "LOST" or cols[0].startswith("TWICE")
    }
    assert bad == set()


def test_the_table_covers_the_five_seed_notes(seed_site: Site) -> None:
    files = {n.file for n in seed_site.notes}
    assert len(files) >= 5
    assert {f[:4] for f in files} >= {"000_", "001_", "002_", "003_", "004_"}


def test_every_seed_line_keeps_its_words_and_noise_has_a_known_reason(seed_site: Site) -> None:
    rules = yaml.safe_load((ROOT / "notes" / "overrides.yml").read_text(encoding="utf-8"))
    whys = {r["why"] for file_rules in rules.values() for r in file_rules if r.get("why")}
    for note in seed_site.notes:
        assert misplaced(note.lines, note.parts, note.noise, whys) == [], note.file


def test_every_part_is_text_or_a_practice_question(seed_site: Site) -> None:
    # Also the parts a section's blocks make on other pages than its title's (they keep
    # their section's kind).
    kinds = {p.kind for note in seed_site.notes for p in note.parts}
    assert kinds == {"text"}
    moved = [p for note in seed_site.notes for p in note.parts if p.how.value == "mention"]
    assert moved
