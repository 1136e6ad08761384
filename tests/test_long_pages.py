"""A note of thousands of short headings: its page keeps a short TOC and no tooltips.

MkDocs' cost for such a page grows with the square of its sections (Material's search looks
each section up in the whole TOC; the abbr extension finds each block among its siblings),
so a long page lists only its main subtopics in its TOC and gets no acronym definitions; a one-line
notice names the note. ``studysite bench --pathological`` measures the cost per KB.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitebuild import copy_project, mkdocs_build, write_notes

from studysite.render import pages
from studysite.site import generate

ROOT = Path(__file__).resolve().parents[1]


def _note(sections: int) -> str:
    body = "".join(f"### Topic {i}\n\nFact {i} about SQS.\n\n" for i in range(sections))
    return f"# Many headings\n\n## Amazon S3\n\n{body}"


def test_long_page_has_short_toc_no_tooltips_and_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "MAX_SECTIONS", 5)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "long.md").write_text(_note(6), encoding="utf-8")
    (notes / "short.md").write_text(
        "# Short\n\n## Amazon SQS\n\nQueues of SQS, fed by SNS.\n", "utf-8"
    )
    out = generate(notes, ROOT / "catalog" / "services.yml", tmp_path / "docs")
    s3 = out.pages.get("storage/s3.md")
    assert s3 is not None, sorted(out.pages)
    front = s3.split("---", 2)[1]
    assert "toc_depth: 2" in front
    assert "<abbr" not in s3  # no acronym tooltips on a long page
    # The notes' own headings stand as anchored bold lines under one entry.
    assert "\n## More from the notes { #more-from-the-notes }\n" in s3
    assert "\n**Topic 3**\n{: #topic-3 }\n" in s3
    assert "\n## Topic 3" not in s3
    sqs = next(text for path, text in out.pages.items() if path.endswith("sqs.md"))
    assert "toc_depth" not in sqs.split("---", 2)[1]
    # Other pages keep their tooltips, never on their own name.
    assert '<abbr title="Simple Notification Service">SNS</abbr>' in sqs
    assert ">SQS</abbr>" not in sqs
    notices = [str(d) for d in out.diagnostics if d.message.startswith(pages.LONG_PAGE)]
    assert notices == [
        "long.md:0: long page storage/s3.md has 7 sections (over 5): its table of contents "
        "lists only its main subtopics, and it has no acronym tooltips"
    ]
    assert all(d.level == "info" for d in out.diagnostics if str(d) in notices)


@pytest.mark.slow
def test_long_page_builds_with_a_short_toc(tmp_path: Path) -> None:
    site = copy_project(tmp_path, note_pages_only=True)
    write_notes(site, {"long.md": _note(pages.MAX_SECTIONS + 1).encode()})
    proc = mkdocs_build(site)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"long.md:0: long page storage/s3.md has {pages.MAX_SECTIONS + 2:,} sections" in (
        proc.stderr
    )
    html = (site / "out" / "storage" / "s3" / "index.html").read_text(encoding="utf-8")
    toc = re.findall(r'<a href="#([^"]*)" class="md-nav__link', html)
    assert set(toc) == {"more-from-the-notes"}  # the TOC lists the subtopics only ...
    assert 'id="topic-0"' in html  # ... the sections are on the page, as anchored lines
    assert f'id="topic-{pages.MAX_SECTIONS}"' in html
    index = (site / "out" / "search" / "search_index.json").read_text(encoding="utf-8")
    # ... and their words are found by search, in the section that holds them.
    assert '"location":"storage/s3/#more-from-the-notes"' in index
    assert f"Topic {pages.MAX_SECTIONS}" in index


def test_anchors_for_many_alike_titles_count_on_from_the_last() -> None:
    anchors = pages.Anchors()
    assert anchors.make("x-3", "x-3") == "x-3"  # a catalog anchor taken early
    made = [anchors.make("X") for _ in range(20_000)]
    assert made[:4] == ["x", "x-2", "x-4", "x-5"]
    assert len(set(made)) == 20_000
    assert made[-1] == "x-20001"
