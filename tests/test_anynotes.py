"""Notes as people really keep them: Obsidian vaults, folders of linked Markdown, book-style
headings. Small synthetic corpora live in ``tests/anynotes/``; the public corpora in
``../shared/corpora/`` are read where they are (``STUDYSITE_REQUIRE_CORPORA=1`` makes a
missing one fail, elsewhere those tests skip)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import copy_project, generate_notes, mkdocs_build

from studysite.links.notelinks import NoteLinks
from studysite.model import Line
from studysite.render.markdown import normalize
from studysite.report import Report
from studysite.routing.aliases import catalog_matcher
from studysite.routing.catalog import load_catalog
from studysite.routing.route import Router
from studysite.site import generate
from studysite.titles import file_title, folder_titles, name_candidates, routing_title

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests" / "anynotes"
SHARED = ROOT.parent / "shared" / "corpora"
# Unsorted share and dead links (info entries) measured per corpus: ceilings, not targets.
# Measured (SOURCE.md left out): obsidian 1.3%, multifolder 1.7%, qa 2.3%; the issue's bar is 5%.
CORPORA = {
    "obsidian-flochai-saa": 0.03,
    "multifolder-tiagopala-dva": 0.03,
    "qa-kananinirav-ccp": 0.03,
}
# One note per service: share of those notes' lines on the page their file or folder names
# (or a page under it). Measured: obsidian 99.1%, multifolder 93.8%, servicefolders 100%.
NAMED_SHARE = 0.90
ONE_NOTE_PER_SERVICE = ("obsidian-flochai-saa", "multifolder-tiagopala-dva")


def test_routing_title_strips_decoration_and_numbering() -> None:
    assert routing_title("📘 3.1 Amazon S3") == "Amazon S3"
    assert routing_title("🔹 Bucket Naming") == "Bucket Naming"
    assert routing_title("Section 4: IAM") == "IAM"
    assert routing_title("Chapter 3 – VPC") == "VPC"
    assert routing_title("3 Tier solution architecture") == "3 Tier solution architecture"
    assert routing_title("EC2 → Auto Scaling Groups") == "EC2 → Auto Scaling Groups"


def test_titles_from_file_and_folder_names() -> None:
    assert file_title("serverless/StepFunctions.md") == "Step Functions"
    assert file_title("Storage/s3-object-lock-setup.md") == "S3 Object Lock Setup"
    assert file_title("Security/iam-permission-boundaries.md") == "IAM Permission Boundaries"
    assert file_title("Domains/Storage/S3/README.md") == "S3"
    assert folder_titles("Domains/Storage/S3/README.md") == ["S3", "Storage", "Domains"]


def _norm(src: str, resolve=None) -> tuple[str, list]:
    lines = [Line(i, t) for i, t in enumerate(src.split("\n"), start=1)]
    return normalize(lines, file="n.md", resolve_link=resolve)


def test_callouts_become_admonitions() -> None:
    out, _ = _norm("> [!tip]- Exam\n> Think Step Functions.\n\n> [!warning] Careful\n> Hot.")
    assert '??? tip "Exam"\n\n    Think Step Functions.' in out
    assert '!!! warning "Careful"' in out


def test_wikilinks_resolve_or_become_plain_text_with_an_info_entry() -> None:
    def resolve(kind: str, target: str) -> str | None:
        return {"S3": "s3.md", "S3#Versioning": "s3.md#versioning"}.get(target)

    out, diags = _norm(
        "See [[S3|buckets]], [[S3#Versioning]], [[Nowhere]] and `[[code]]`.", resolve
    )
    assert "[buckets](s3.md)" in out
    assert "[S3 › Versioning](s3.md#versioning)" in out
    assert "Nowhere" in out
    assert "[[Nowhere" not in out
    assert "`[[code]]`" in out
    assert [(d.level, d.line) for d in diags] == [("info", 1)]


def test_dead_note_link_is_plain_text() -> None:
    out, diags = _norm("[gone](../nowhere.md) and [ok](https://aws.amazon.com)", lambda k, t: None)
    assert out.startswith("gone and ")
    assert diags[0].level == "info"
    assert diags[0].message == "link to '../nowhere.md' goes nowhere: shown as plain text"
    _, [wiki] = _norm("See [[Nowhere]].", lambda k, t: None)
    assert wiki.message == "[[Nowhere]] to 'Nowhere' goes nowhere: shown as plain text"


def _generate(notes: Path):
    return generate(notes, ROOT / "catalog" / "services.yml", ROOT / "nonexistent-docs")


@pytest.mark.parametrize("corpus", ["obsidian", "folders", "book", "servicefolders"])
def test_synthetic_corpus_routes_every_line_and_leaves_no_wikilink(corpus: str) -> None:
    out = _generate(SYNTHETIC / corpus)
    lines = sum(n.content_lines for n in out.site.notes)
    unsorted = sum(
        len(p.line_numbers) for n in out.site.notes for p in n.parts if p.page == "unsorted"
    )
    assert unsorted == 0
    assert lines > 0
    assert all(not n.unaccounted for n in out.site.notes)
    assert not [p for p, text in out.pages.items() if "[[" in text]
    assert not [d for d in out.diagnostics if d.level != "info" and "comparisons" not in d.file]


def test_obsidian_links_embeds_and_callouts() -> None:
    out = _generate(SYNTHETIC / "obsidian")
    page = out.pages["application-integration/step-functions.md"]
    assert "[S3](../storage/s3.md#overview)" in page
    assert "[S3 › Versioning](../storage/s3.md#versioning)" in page
    assert "![stepfunctions.webp](../assets/notes/attachments/stepfunctions.webp)" in page
    assert "assets/notes/attachments/stepfunctions.webp" in out.assets
    assert "image not available: `Pasted image 20230101120000.png`" in page
    assert '!!! tip "Exam"' in page
    dead = sorted(d.message for d in out.diagnostics if "goes nowhere" in d.message)
    assert len(dead) == 3  # [[Missing Note]], [[IdentityCenter|SSO]], [[2023-01-01]]


def test_links_between_folder_notes_follow_their_targets() -> None:
    out = _generate(SYNTHETIC / "folders")
    s3 = out.pages["storage/s3.md"]
    assert "[the boundaries](../security-identity-and-compliance/iam.md#use-cases)" in s3
    assert "[see](https://docs.aws.amazon.com)" in s3
    assert "[diagram](<../assets/notes/img/vpc layout.PNG>)" in s3
    assert "a note that moved" in s3
    assert "vpc.md" not in s3
    assert "[EC2](../compute/ec2/index.md" in s3
    routed = {n.file: {p.page for p in n.parts} for n in out.site.notes}
    assert routed["Security/iam-permission-boundaries.md"] == {"iam"}
    assert routed["Storage/S3/README.md"] == {"s3"}


def test_book_headings_find_their_service_and_children_inherit_it() -> None:
    out = _generate(SYNTHETIC / "book")
    pages = [(p.title, p.page) for n in out.site.notes for p in n.parts]
    assert ("🔹 Bucket Naming", "s3") in pages
    assert ("🔶 4.1 Purchasing", "ec2") in pages


# -- strict builds ------------------------------------------------------------------------


def _corpus(name: str) -> Path:
    path = SHARED / name
    if not path.is_dir():
        if os.environ.get("STUDYSITE_REQUIRE_CORPORA"):
            pytest.fail(f"corpus {path} missing (STUDYSITE_REQUIRE_CORPORA is set)")
        pytest.skip(f"corpus {path} not here (it sits in ../shared/corpora beside a checkout)")
    return path


def _build(tmp_path: Path, notes: Path) -> dict:
    site = copy_project(tmp_path, note_pages_only=True)
    shutil.rmtree(site / "notes")
    shutil.copytree(notes, site / "notes", ignore=shutil.ignore_patterns("SOURCE.md"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    report = subprocess.run(
        [sys.executable, "-m", "studysite", "--root", str(site), "report", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report.stdout)


def _shares(report: dict) -> tuple[float, int]:
    lines = sum(n["lines"] for n in report["notes"])
    unsorted = sum(n["unsorted"] for n in report["notes"])
    return unsorted / max(lines, 1), sum(n["unaccounted"] for n in report["notes"])


def _named_share(report: dict) -> tuple[float, list[str]]:
    """Of the notes whose file or folder names one catalog entry, the share of their placed
    lines on that entry's page or a page under it; and the notes below the bar."""
    catalog = load_catalog(ROOT / "catalog" / "services.yml")
    router = Router(catalog, catalog_matcher(catalog), catalog_matcher(catalog))
    total = on = 0
    low: list[str] = []
    for note in report["notes"]:
        named = None
        for name in name_candidates(note["file"]):
            entries = router.title_entries(name, ambiguous=False)
            named = entries[0] if len(entries) == 1 else None
            if entries:
                break
        if named is None:
            continue
        by_page = note["lines_by_page"]
        placed = sum(by_page.values())
        good = sum(
            n
            for page, n in by_page.items()
            if page == named or (page in catalog.entries and named in catalog.ancestors(page))
        )
        total, on = total + placed, on + good
        if placed and good / placed < NAMED_SHARE:
            low.append(f"{note['file']} ({named}): {good}/{placed}")
    return on / max(total, 1), low


def test_one_note_per_service_lands_on_its_page() -> None:
    out = _generate(SYNTHETIC / "servicefolders")
    share, low = _named_share(Report.of(out).to_json())
    print(f"servicefolders: {share:.1%} of named notes' lines on their page")
    assert share >= NAMED_SHARE, low
    assert low == []


def test_qa_corpus_questions_are_recognised_and_routed() -> None:
    out = _generate(_corpus("qa-kananinirav-ccp"))
    questions = Report.of(out).to_json()["questions"]
    routed = sum(1 for q in questions if q["page"] != "unsorted")
    print(f"qa: {len(questions)} questions, {routed / len(questions):.1%} on a page")
    assert len(questions) == 1142
    assert routed / len(questions) >= 0.98
    assert all(q["answer"] for q in questions)


@pytest.mark.slow
@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_shared_corpus_builds_strict(tmp_path: Path, corpus: str) -> None:
    report = _build(tmp_path, _corpus(corpus))
    share, unaccounted = _shares(report)
    print(f"{corpus}: unsorted {share:.1%}")
    assert unaccounted == 0
    assert share <= CORPORA[corpus]
    if corpus in ONE_NOTE_PER_SERVICE:
        named, low = _named_share(report)
        print(f"{corpus}: {named:.1%} of named notes' lines on their page; below: {low}")
        assert named >= NAMED_SHARE


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["obsidian", "folders", "book", "servicefolders"])
def test_synthetic_corpus_builds_strict(tmp_path: Path, corpus: str) -> None:
    share, unaccounted = _shares(_build(tmp_path, SYNTHETIC / corpus))
    assert share == 0
    assert unaccounted == 0


# A folder's README whose words land on the SNS page (``.format(title)``).
_QUEUE_README = "# {}\n\n## Amazon SNS\n\nSNS pushes messages.\n"


def _see(out, page: str) -> list[str]:
    """The lines of ``page`` that start "See " (where these tests put their links)."""
    return [ln for ln in out.pages[page].splitlines() if ln.startswith("See ")]


def test_a_wikilink_to_a_service_with_no_such_note_links_to_its_page(tmp_path: Path) -> None:
    text = (
        "# Messaging\n\nSee [[Amazon SQS|the queue]] and [[Services/Amazon SNS|pub/sub]].\n\n"
        "## Amazon SQS\n\nSQS keeps messages.\n\n## Amazon SNS\n\nSNS pushes them.\n"
    )
    out = generate_notes(tmp_path, {"a.md": text})
    # On the page the note routes to and on the note's page as written.
    lines = [ln for t in out.pages.values() for ln in t.splitlines() if ln.startswith("See ")]
    assert len(lines) >= 2
    for line in lines:
        # The folder part of a wiki link is dropped when no note answers it: its last part
        # names the service.
        assert "[the queue](" in line
        assert "sqs.md)" in line
        assert "[pub/sub](" in line
        assert "sns.md)" in line


def test_links_to_a_folder_and_to_an_empty_note(tmp_path: Path) -> None:
    intro = (
        "# Intro\n\nSee [the queue notes](../b/) and [the blank one](blank.md).\n\n"
        "## Amazon SQS\n\nSQS keeps messages.\n"
    )
    out = generate_notes(
        tmp_path,
        {"a/intro.md": intro, "b/README.md": _QUEUE_README.format("Queues"), "a/blank.md": "\n"},
    )
    [line] = _see(out, "notes/a/intro.md")
    # A folder link opens the folder's README, where its words now stand (the SNS page).
    assert "[the queue notes](../../application-integration/sns.md#" in line
    # A note with nothing placed anywhere (empty) is linked as written, not to the home page.
    assert "[the blank one](blank.md)" in line
    assert "notes/a/blank.md" in out.pages


def test_links_by_heading_and_wikilinks_by_note_title(tmp_path: Path) -> None:
    intro = (
        "# Intro\n\nSee [SNS](../b/README.md#amazon-sns), [[Queue notes]] and "
        "[[Queue notes#Amazon SNS|pushing]].\n\n## Amazon SQS\n\nSQS keeps messages.\n"
    )
    out = generate_notes(
        tmp_path, {"a/intro.md": intro, "b/README.md": _QUEUE_README.format("Queue notes")}
    )
    [line] = _see(out, "notes/a/intro.md")
    sns = "(../../application-integration/sns.md#overview)"
    # A wiki link names a note by its title as well as by its file name.
    assert line == f"See [SNS]{sns}, [Queue notes]{sns} and [pushing]{sns}."


def test_reference_links_use_definitions_anywhere_in_the_note(tmp_path: Path) -> None:
    # GitHub-style notes often define their links once, at the end: each section is
    # rendered alone, yet its reference links still resolve.
    text = (
        "# Messaging\n\n## Amazon SQS\n\nSee [the SQS docs][sqs] and [SNS].\n\n"
        "## Amazon SNS\n\nSNS pushes.\n\n"
        "[sqs]: https://docs.aws.amazon.com/sqs/\n"
        "[SNS]:\n  https://docs.aws.amazon.com/sns/ 'SNS'\n"
        "[sqs]: https://example.com/ignored-second-definition\n"
    )
    out = generate_notes(tmp_path, {"a.md": text})
    for page in ("application-integration/sqs.md", "notes/a.md"):
        [line] = _see(out, page)
        assert line == (
            "See [the SQS docs](https://docs.aws.amazon.com/sqs/) and "
            '[SNS](https://docs.aws.amazon.com/sns/ "SNS").'
        ), page


def test_link_references_are_read_only_from_notes_that_have_some() -> None:
    from studysite.markdown_tokens import link_references

    assert link_references(["# Title", "", "[not a definition] here", "    [code]: x"]) == {}
    refs = link_references(["Text", "", "[A b]: /one", "[a  B]: /two", "```", "[c]: /c", "```"])
    assert {label: ref["href"] for label, ref in refs.items()} == {"A B": "/one"}


def test_a_wiki_link_with_a_folder_picks_that_folders_note(tmp_path: Path) -> None:
    notes = {
        f"{folder}/queues.md": f"# {folder} queues\n\n## Amazon {service}\n\n{service} moves.\n"
        for folder, service in (("a", "SQS"), ("b", "SNS"))
    }
    notes["index.md"] = (
        "# Index\n\nSee [[b/queues|the other one]].\n\n## Amazon EC2\n\nEC2 runs code.\n"
    )
    [line] = _see(generate_notes(tmp_path, notes), "notes/index.md")
    assert "[the other one](../application-integration/sns.md#" in line


def test_a_link_to_a_note_lands_where_the_note_went_not_on_unsorted(tmp_path: Path) -> None:
    text = "# Thoughts\n\n## Musings\n\nWords.\n\n## Amazon SNS\n\nSNS pushes messages.\n"
    out = generate_notes(tmp_path, {"thoughts.md": text})
    [note] = out.site.notes
    # As when routing found no page for the first section (Unsorted): a link to the note
    # as a whole goes to the first line placed on a real page.
    first, *rest = note.parts
    note = dataclasses.replace(note, parts=[dataclasses.replace(first, page="unsorted"), *rest])
    site = dataclasses.replace(out.site, notes=[note])
    links = NoteLinks(tmp_path / "notes", site, {})
    sns = next(p for p in note.parts if p.title == "Amazon SNS")
    assert links._line("thoughts.md", "") == sns.first_line
    assert links._line("thoughts.md", "Musings") == first.title_line


_QUEUES = "# Queues\n\n## Amazon SQS\n\nSQS keeps messages.\n\n## Amazon SNS\n\nSNS pushes.\n"


def test_a_note_as_written_is_its_parts_in_order_each_with_where_it_went(tmp_path: Path) -> None:
    out = generate_notes(tmp_path, {"queues.md": _QUEUES})
    assert out.pages["notes/queues.md"] == (
        '---\ntitle: "Queues (as written)"\nsearch:\n  exclude: true\n---\n\n'
        "# Queues { #top }\n\n"
        '<p class="ss-summary">The note as written, in its own order · queues · markdown · '
        "5 lines. Each part links to the page and subtopic where it now stands.</p>\n\n"
        "## Amazon SQS { #l3 }\n\n"
        "→ [Amazon SQS › Overview](../application-integration/sqs.md#overview)\n"
        "{: .ss-where data-search-exclude }\n\nSQS keeps messages.\n\n"
        "## Amazon SNS { #l7 }\n\n"
        "→ [Amazon SNS › Overview](../application-integration/sns.md#overview)\n"
        "{: .ss-where data-search-exclude }\n\nSNS pushes.\n"
    )


def test_the_about_pages_notes_table_has_a_row_per_note(tmp_path: Path) -> None:
    from studysite.render.navigation import notes_table

    out = generate_notes(tmp_path, {"queues.md": _QUEUES})
    assert notes_table(out.site).splitlines() == [
        "| Note | Author | Format | Lines | Pages fed |",
        "| --- | --- | --- | ---: | ---: |",
        '| **Queues**<br>[queues](notes/queues.md "Queues") (as written) |  | markdown | 5 | 2 |',
    ]


def test_a_page_is_defined_by_a_sentence_whose_subject_is_its_longest_name(
    tmp_path: Path,
) -> None:
    # "KMS key" is one of the KMS page's names, longer than "KMS": the verb follows it.
    text = "# AWS KMS\n\n## Overview\n\nKMS key is a logical key that stays inside the service.\n"
    page = generate_notes(tmp_path, {"kms.md": text}).pages[
        "security-identity-and-compliance/kms.md"
    ]
    assert (
        '<p class="ss-definition" data-search-exclude markdown>KMS key is a logical key that stays'
        " inside the service.</p>"
    ) in page
