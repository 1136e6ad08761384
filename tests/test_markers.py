"""The one marker grammar: what is found, what is expanded, what is sanitized, what is warned."""

from __future__ import annotations

from pathlib import Path

import pytest

from studysite import markers
from studysite.tables.spec import load_comparisons

PAGE = """\
# Tips

<!-- compare: s3.classes -->

<!--compare:queues-->  <!-- studysite:notes -->

<!-- compare: two words -->
<!-- studysite: nope -->
<!-- compare: unterminated
<!-- compare:
  dr-strategies -->
"""


def test_find_every_marker_with_its_line() -> None:
    found = [(m.kind, m.arg, m.line) for m in markers.find(PAGE)]
    assert found == [
        ("compare", "s3.classes", 3),
        ("compare", "queues", 5),
        ("studysite", "notes", 5),
        ("compare", "", 7),  # malformed: found, never expanded
        ("studysite", "nope", 8),
        ("compare", "", 9),
        ("compare", "dr-strategies", 10),  # across lines, as expand() sees it
    ]


def test_expand_replaces_well_formed_markers_only() -> None:
    seen: list[tuple[str, str]] = []

    def replace(kind: str, arg: str) -> str | None:
        seen.append((kind, arg))
        return None if arg == "nope" else f"[{kind}={arg}]"

    out = markers.expand(PAGE, replace)
    assert seen == [
        ("compare", "s3.classes"),
        ("compare", "queues"),
        ("studysite", "notes"),
        ("studysite", "nope"),
        ("compare", "dr-strategies"),
    ]
    assert "[compare=s3.classes]" in out
    assert "[compare=queues]  [studysite=notes]" in out
    assert "<!-- studysite: nope -->" in out  # None keeps the marker
    assert "<!-- compare: two words -->" in out


@pytest.mark.parametrize(
    ("text", "embeds"),
    [
        ("<!-- compare: s3.classes -->", True),
        ("<!--compare:x-->", True),
        ("<!-- compare: <b>odd</b> -->", True),  # whatever the id
        ("<!-- compare :", True),
        ("<!-- studysite:categories -->", True),
        ("<!-- a comment about compare: x -->", False),
        ("compare: x", False),
    ],
)
def test_embeds_notes_does_not_depend_on_the_id(text: str, embeds: bool) -> None:
    assert markers.embeds_notes(f"# Page\n\n{text}\n") is embeds


def test_every_expandable_marker_is_one_the_sanitizer_sees() -> None:
    for m in markers.find(PAGE):
        assert markers.embeds_notes(m.text)


@pytest.mark.parametrize(
    ("value", "ok"),
    [("s3.classes", True), ("sqs-sns_kds", True), ("a b", False), ("a/b", False), ("", False)],
)
def test_valid_id(value: str, ok: bool) -> None:
    assert markers.valid_id(value) is ok


def test_catalog_rejects_a_comparison_id_no_marker_can_name(tmp_path: Path) -> None:
    path = tmp_path / "comparisons.yml"
    rows = "  items: [sqs, sns]\n  rows:\n  - dimension: D\n"
    path.write_text(
        f"- id: s3.classes\n  title: A\n{rows}- id: sqs vs sns\n  title: B\n{rows}",
        encoding="utf-8",
    )
    comps, diags = load_comparisons(path, "catalog/comparisons.yml")
    assert [c.id for c in comps] == ["s3.classes"]
    assert [(d.line, d.level) for d in diags] == [(6, "warning")]
    assert "comparison 'sqs vs sns'" in diags[0].message
    assert "<!-- compare: ID -->" in diags[0].message


def test_check_warns_about_markers_that_name_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "tips.md").write_text(PAGE, encoding="utf-8")
    (docs / "ok.md").write_text("<!-- studysite:notes -->\n", encoding="utf-8")
    ids = {"s3.classes", "dr-strategies"}
    diags = markers.check(docs, {"notes"}, ids, "catalog/comparisons.yml")
    assert [str(d) for d in diags] == [
        "docs/sub/tips.md:5: marker '<!--compare:queues-->' left unexpanded:"
        " no comparison 'queues' in catalog/comparisons.yml",
        "docs/sub/tips.md:7: marker '<!-- compare: two words -->' left unexpanded:"
        " write <!-- compare: ID -->, ID of letters, digits, '.', '-', '_'",
        "docs/sub/tips.md:8: marker '<!-- studysite: nope -->' left unexpanded:"
        " no such marker (known: notes)",
        "docs/sub/tips.md:9: marker '<!-- compare: unterminated' left unexpanded:"
        " write <!-- compare: ID -->, ID of letters, digits, '.', '-', '_'",
    ]
    assert all(d.level == "warning" for d in diags)
