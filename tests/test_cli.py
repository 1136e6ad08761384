"""The `studysite` command: report (text and JSON) and export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from studysite.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text(
        "# Notes\n\n## Amazon SQS\n\n- a queue\n\n## Thoughts on life\n\nnothing here\n",
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_report_json_shape(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (note,) = data["notes"]
    assert {"file", "lines", "placed", "noise", "unsorted", "unaccounted", "pages"} <= set(note)
    assert note["file"] == "a.md"
    assert note["lines"] == 5
    assert note["unaccounted"] == 0
    assert note["placed"] + note["noise"] == note["lines"]
    assert "sqs" in note["pages"]
    assert note["unsorted_sections"] == [{"line": 7, "title": "Thoughts on life"}]
    assert {"id": "sqs", "title": "Amazon SQS", "notes": ["a.md"]}.items() <= next(
        p for p in data["pages"] if p["id"] == "sqs"
    ).items()


def test_report_text_lists_unsorted_with_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--root", str(project), "report"])
    out = capsys.readouterr().out
    assert "a.md:7: Thoughts on life" in out
    assert "unsorted:" in out


BROKEN = """\
# Notes

## Amazon SQS

- a queue
- ![diagram](images/missing.png)

## Amazon SNS

- a topic
"""
COMPARISON = """\
- id: queues
  title: SQS vs SNS
  items: [sqs, sns]
  rows:
  - dimension: Model
    cells:
      sqs: {note: a.md, quote: a queue}
      sns: {note: a.md, quote: a pigeon}
"""


def test_report_json_lists_every_build_diagnostic_with_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "notes" / "a.md").write_text(BROKEN, encoding="utf-8")
    (project / "catalog" / "comparisons.yml").write_text(COMPARISON, encoding="utf-8")
    assert main(["--root", str(project), "report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    where = {(d["file"], d["line"]): d for d in data["diagnostics"]}
    image = where[("a.md", 6)]
    assert "image not found: images/missing.png" in image["message"]
    assert image["level"] in ("info", "warning")
    quote = where[("catalog/comparisons.yml", 8)]
    assert "a pigeon" in quote["message"]
    assert quote["level"] == "warning"
    # Counted once: the table of the one build, its problem listed once.
    assert data["comparisons_summary"]["tables"] == 1
    assert [d["line"] for d in data["comparisons_summary"]["diagnostics"]] == [8]
    assert sum(1 for d in data["diagnostics"] if "a pigeon" in d["message"]) == 1


def test_report_text_shows_diagnostics_with_level(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "notes" / "a.md").write_text(BROKEN, encoding="utf-8")
    (project / "catalog" / "comparisons.yml").write_text(COMPARISON, encoding="utf-8")
    main(["--root", str(project), "report"])
    out = capsys.readouterr().out
    assert "a.md:6: info: image not found: images/missing.png" in out
    assert "catalog/comparisons.yml:8: warning: " in out
    assert "1 problems" in out


def test_export_writes_the_markdown_tree(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "export"
    assert main(["--root", str(project), "export", str(target)]) == 0
    sqs = target / "application-integration" / "sqs.md"
    assert "- a queue" in sqs.read_text(encoding="utf-8")
    assert (target / "unsorted.md").exists()


def test_broken_catalog_is_one_line_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "catalog" / "services.yml").write_text("entries: [\n", encoding="utf-8")
    assert main(["--root", str(project), "report"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ")
    assert "services.yml" in err
    assert "not valid YAML" in err
