"""One strict MkDocs build of a mini-site made from two small notes, through the real hooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import copy_project, mkdocs_build, write_notes

ROOT = Path(__file__).resolve().parents[1]

NOTE_MD = """\
# My AWS notes

## Amazon SQS

- Queue model: messages stay until a consumer deletes them
  - default retention 4 days, max 14 days

```shell
# not a heading
aws sqs list-queues
```

Often fed by SNS: SNS fans out to SQS queues.

## Amazon SNS

Pub/sub: a topic pushes to many subscribers.
"""

NOTE_TXT = """\
AWS – Storage

Amazon S3

- Objects in buckets, 11 nines of durability
"""


def _mini_site(tmp_path: Path, notes: dict[str, bytes]) -> Path:
    site = copy_project(tmp_path)
    write_notes(site, notes)
    return site


@pytest.mark.slow
def test_strict_build_of_a_mini_site(tmp_path: Path) -> None:
    site = _mini_site(tmp_path, {"a.md": NOTE_MD.encode(), "topics/storage.txt": NOTE_TXT.encode()})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    sqs = (site / "out" / "application-integration" / "sqs" / "index.html").read_text()
    assert "Queue model" in sqs
    assert "<h1" not in sqs.split("not a heading")[0].split("<pre")[-1]
    assert "default retention 4 days" in sqs
    s3 = (site / "out" / "storage" / "s3" / "index.html").read_text()
    assert "11 nines" in s3
    home = (site / "out" / "index.html").read_text()
    assert "Application Integration" in home
    assert "Storage" in home
    # Tooltips: once per section, never on the page's own name; no abbr definitions left.
    overview = sqs.split('id="compared-with"')[0]
    assert overview.count('<abbr title="Simple Notification Service">SNS</abbr>') == 1
    assert ">SQS</abbr>" not in sqs
    # A pruned navigation: the SQS page does not carry the Storage domain's pages.
    assert "storage/s3/" not in sqs.split('<div class="md-content"')[0]


@pytest.mark.slow
def test_a_note_that_cannot_be_read_fails_strict_but_names_the_file(tmp_path: Path) -> None:
    site = _mini_site(
        tmp_path, {"a.md": NOTE_MD.encode(), "broken.md": b"\x89PNG\r\n\x1a\n\x00\x00binary"}
    )
    result = mkdocs_build(site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("WARNING")]
    assert len(warnings) == 1
    assert "broken.md:1: " in warnings[0]
