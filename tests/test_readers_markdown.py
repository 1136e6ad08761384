"""Tests for the Markdown readers: generic (002), with a TOC (000) and course notes (003)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workcount import growth

from studysite.model import NoteTree, Section, unaccounted_lines
from studysite.readers import course, markdown, toc_markdown
from studysite.readers.source import split_lines

NOTES = Path(__file__).resolve().parents[1] / "notes"
N000 = "000_ce436b559260a9a3.txt"
N002 = "002_0bc181161c58bfae.txt"
N003 = "003_9d390e5a3ddb1340.txt"
SEEDS = [(N000, toc_markdown), (N002, markdown), (N003, course)]
READERS = (toc_markdown, course, markdown)


def no_titles(text: str) -> bool:
    return False


@cache
def seed(name: str) -> list[str]:
    return split_lines((NOTES / name).read_text(encoding="utf-8"))


@cache
def seed_tree(name: str, reader: ModuleType) -> NoteTree:
    tree, diags = reader.read(name, seed(name), no_titles)
    assert diags == []
    return tree


def read(reader: ModuleType, text: str) -> tuple[NoteTree, list[str]]:
    lines = text.split("\n")
    tree, _ = reader.read("note.md", lines, no_titles)
    return tree, lines


def at(tree: NoteTree, no: int) -> Section:
    """The section titled on line ``no``."""
    found = [s for s in tree.sections() if s.title_line == no]
    assert found, f"no section starts on line {no}"
    return found[0]


def body_lines(tree: NoteTree) -> set[int]:
    return {ln.no for s in tree.root.walk() for ln in s.body if ln.text.strip()}


def noise_at(tree: NoteTree) -> dict[int, str]:
    return {n.no: n.reason for n in tree.noise}


def outline(tree: NoteTree) -> list[tuple[str, int, bool]]:
    return [(s.title, s.level, s.flat) for s in tree.sections()]


def dump(tree: NoteTree) -> tuple[object, ...]:
    secs = [
        (s.title, s.title_line, s.level, s.flat, [(ln.no, ln.text) for ln in s.body])
        for s in tree.root.walk()
    ]
    return secs, tree.noise, tree.title, tree.toc


# --- format detection ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), SEEDS)
def test_detect_scores_pick_the_right_reader(name: str, expected: ModuleType) -> None:
    scores = {r: r.detect(seed(name)) for r in READERS}
    assert max(scores, key=lambda r: scores[r]) is expected
    assert scores[expected] > 0


@pytest.mark.parametrize(("name", "expected"), SEEDS)
def test_sniff_picks_the_right_reader(name: str, expected: ModuleType) -> None:
    from studysite.readers import sniff

    assert sniff(seed(name)) is expected


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("# Title\ntext", 1),
        ("Title\n=====\ntext", 1),
        ("```sh\n# only a shell comment\n```", 0),
        ("---\ntitle: x\n---\nplain text", 0),
        ("- a list\n---", 0),
        ("#hashtag is not a heading", 0),
    ],
)
def test_markdown_detect(text: str, score: int) -> None:
    assert markdown.detect(text.split("\n")) == score


def test_toc_detect_needs_contents_and_ten_links() -> None:
    links = [f"- [S{i}](#s{i})" for i in range(10)]
    assert toc_markdown.detect(["# T", "## Contents", *links]) > 0
    assert toc_markdown.detect(["# T", "## Contents", *links[:9]]) == 0
    assert toc_markdown.detect(["# T", "## Links", *links]) == 0


def test_course_detect_needs_three_sections() -> None:
    three = ["## Section1_A", "x", "## Setion2 B", "## Section3 C"]
    assert course.detect(three) > 0
    assert course.detect(three[:3]) == 0
    assert course.detect(["```", *three, "```"]) == 0


# --- every line accounted for -------------------------------------------------------------


@pytest.mark.parametrize(("name", "reader"), SEEDS)
def test_seed_lines_all_accounted(name: str, reader: ModuleType) -> None:
    assert unaccounted_lines(seed(name), seed_tree(name, reader)) == []


@pytest.mark.parametrize(("name", "reader"), SEEDS)
def test_fast_scan_matches_full_tokenizing(
    name: str, reader: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = seed_tree(name, reader)
    monkeypatch.setattr(markdown, "FAST_SCAN", False)
    full, _ = reader.read(name, seed(name), no_titles)
    assert dump(fast) == dump(full)


TRICKY_LINES = [
    *("", " ", "text", "  text", "    indented", "\tTab", "      deep", "a | b", "|---|---|"),
    *("- item", "  - nested", "* star", "1. one", "- ```", "-     code", "> quote", "> ```"),
    *("# H1", " # H1", "  # H2", "## H2 ##", "#", "---", "===", "-", "***", "Untitled"),
    *("__Bold__", "  __Bold__", "**Bold**", "*Em*", "*Unclosed", "***Label:***", "__end.__"),
    *("```", "```sh", "~~~", "  ```", "<img src='x'>", "<div>", "<!-- c -->", "[r]: /u"),
    *("## Contents", "- [A](#a)", "## Section1_X", "text __bold__ text", "\u00a0"),
]


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(TRICKY_LINES), max_size=25))
def test_any_note_is_fully_accounted_and_fast_scan_is_exact(lines: list[str]) -> None:
    for reader in READERS:
        fast, _ = reader.read("note.md", lines, no_titles)
        assert unaccounted_lines(lines, fast) == []
        markdown.FAST_SCAN = False
        try:
            full, _ = reader.read("note.md", lines, no_titles)
        finally:
            markdown.FAST_SCAN = True
        assert dump(fast) == dump(full)


def test_reading_000_is_linear() -> None:
    lines = seed(N000)

    def read(n: int) -> None:
        toc_markdown.read(N000, lines[:n], no_titles)

    # Function calls, not seconds: the whole note costs ~10x its first tenth, not 100x.
    tenth = len(lines) // 10
    ratio = growth(read, tenth, 10 * tenth)
    assert ratio < 10 * 1.5, ratio


# --- 000: GitHub Markdown with a table of contents ----------------------------------------


def test_000_toc_is_noise_and_mapped() -> None:
    tree = seed_tree(N000, toc_markdown)
    noise = noise_at(tree)
    assert noise[1] == "document title"
    assert tree.title == "aws-solutions-architect-associate-notes"
    assert all(noise[no] == "table of contents" for no in (2, 3, 4, 11, 12, 124))
    assert len(tree.toc) == 90
    assert tree.toc["ec2"] == "Compute services"
    assert tree.toc["event-bridge"] == "Decoupling applications"


@pytest.mark.parametrize(
    ("no", "title", "level"),
    [
        (126, "Docs", 1),  # inside the Contents part but real content
        (139, "Compute services", 1),
        (141, "EC2", 2),
        (835, "EBS", 2),  # a service written as `#`
        (1046, "Database", 1),  # ` # Database`, leading space
        (1831, "SQS", 2),  # `## SQS ` trailing space
        (1841, "Queue Types", 3),
        (1980, "Kinesis Data Streams", 3),
        (2006, "Amazon MQ", 2),  # `###` but a service of its own
        (2028, "Event Bridge", 2),
        (2181, "Disaster Recovery", 1),  # category ...
        (2183, "Disaster Recovery", 2),  # ... and its service of the same name
        (2475, "Metrics", 3),
    ],
)
def test_000_headings_classified_by_toc(no: int, title: str, level: int) -> None:
    sec = at(seed_tree(N000, toc_markdown), no)
    assert (sec.title, sec.level, sec.flat) == (title, level, False)


@pytest.mark.parametrize(
    ("no", "title", "level"),
    [
        (254, "Cluster", 3),
        (691, "You can encrypt objects in S3 buckets using one of 4 methods", 3),
        (1624, "Two types", 3),  # indented, in list context
        (1745, "Endpoint Types", 3),  # after a lone `-`
        (1887, "Message Visibility Timeout", 4),  # under ` ### Configurations`
    ],
)
def test_000_bold_lines_are_flat_subsections(no: int, title: str, level: int) -> None:
    sec = at(seed_tree(N000, toc_markdown), no)
    assert (sec.title, sec.level, sec.flat) == (title, level, True)


def test_000_bold_statements_and_labels_stay_body() -> None:
    tree = seed_tree(N000, toc_markdown)
    body = body_lines(tree)
    assert {1030, 2765, 809, 1880} <= body  # long/period statements, bold prefix + text
    assert {128, 137} <= {ln.no for ln in at(tree, 126).body}
    assert noise_at(tree)[1744] == "empty list item"


# --- 002: plain Markdown ------------------------------------------------------------------


def test_002_hash_lines_in_fences_are_body() -> None:
    tree = seed_tree(N002, markdown)
    fenced = {101, 103, 105, 107, 109, 112, 114, 240, 242, 244, 246, 249}
    assert fenced <= body_lines(tree)
    assert not fenced & {s.title_line for s in tree.sections()}


def test_002_outline() -> None:
    tree = seed_tree(N002, markdown)
    assert tree.title == "Amazon Web Service studies"
    assert noise_at(tree) == {1: "document title"}
    assert (at(tree, 3).title, at(tree, 3).level) == ("Organization", 1)
    assert (at(tree, 305).title, at(tree, 305).level) == ("Aurora", 2)
    assert (at(tree, 436).title, at(tree, 436).level) == ("S3 replication", 3)
    assert at(tree, 569).title == "Serverless"  # trailing space gone
    assert len(list(tree.sections())) == 52


# --- 003: course notes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("no", "title", "level", "flat"),
    [
        (1, "IAM+AWS CLI", 1, False),
        (2, "IAM(Identity and Access Management)", 2, True),
        (84, "EC2", 2, True),
        (85, "EC2 User Data", 3, True),  # no blank line after `__EC2__`
        (204, "IPV4 IPV6", 2, True),
        (256, "EC2 Instance Storage", 1, False),
        (361, "ALB - HTTP Based Traffic(Health checks are at the target group level)", 3, True),
        (489, "Route53", 1, False),
        (550, "ECS task placement and constraints", 2, True),  # no topic above it
        (565, "elastic beanstalk", 1, False),
        (802, "RDS+Aurora+ElastiCache", 1, False),
        (852, "Aurora", 2, True),
        (918, "Note", 1, False),
    ],
)
def test_003_outline(no: int, title: str, level: int, flat: bool) -> None:
    sec = at(seed_tree(N003, course), no)
    assert (sec.title, sec.level, sec.flat) == (title, level, flat)


def test_003_noise_and_labels() -> None:
    tree = seed_tree(N003, course)
    assert noise_at(tree) == {801: "separator line"}
    assert {546, 592, 622, 652} <= body_lines(tree)  # TODO remark, `*x* text`, Exam Notes
    # The separator inside Section22's body leaves a blank line there.
    assert [ln.text for ln in at(tree, 773).body if ln.no == 801] == [""]


# --- synthetic notes ----------------------------------------------------------------------

GENERIC = """---
title: Synthetic note
tags: [a, b]
---

Intro before any heading.

## Setup

```sh
# not a heading
echo hi
```

__Install steps__
- step one

**A bold statement, not a title.**

Usage
-----

### Details
text
***Exam Note:***"""


def test_generic_synthetic_note() -> None:
    tree, lines = read(markdown, GENERIC)
    assert unaccounted_lines(lines, tree) == []
    assert tree.title == "Synthetic note"
    assert outline(tree) == [
        ("", 1, False),
        ("Setup", 1, False),
        ("Install steps", 2, True),
        ("Usage", 1, False),
        ("Details", 2, False),
    ]
    noise = noise_at(tree)
    assert [noise[n] for n in (1, 2, 3, 4)] == ["front matter"] * 4
    assert noise[21] == "setext heading underline"
    setup = at(tree, 8)
    assert "# not a heading" in [ln.text for ln in setup.body]
    assert "**A bold statement, not a title.**" in [ln.text for ln in at(tree, 15).body]
    assert at(tree, 23).body[-1].text == "***Exam Note:***"


def test_generic_lone_h1_is_document_title_and_levels_are_relative() -> None:
    tree, lines = read(markdown, "# Doc\n\n### Deep\ntext\n##### Deeper\n## Up\n")
    assert tree.title == "Doc"
    assert noise_at(tree) == {1: "document title"}
    assert outline(tree) == [("Deep", 1, False), ("Deeper", 2, False), ("Up", 1, False)]
    assert unaccounted_lines(lines, tree) == []


def test_generic_several_h1_are_sections() -> None:
    tree, _ = read(markdown, "# A\ntext\n# B\n")
    assert tree.title is None
    assert outline(tree) == [("A", 1, False), ("B", 1, False)]


@pytest.mark.parametrize("bad", ["title: [unclosed", "date: 2020-13-45"])
def test_front_matter_with_bad_yaml_warns_and_is_noise(bad: str) -> None:
    lines = ["---", bad, "---", "# A", "text"]
    tree, diags = markdown.read("bad.md", lines, no_titles)
    assert [(d.file, d.level) for d in diags] == [("bad.md", "warning")]
    assert 1 <= diags[0].line <= 3
    assert noise_at(tree) == {
        1: "front matter",
        2: "front matter",
        3: "front matter",
        4: "document title",
    }
    assert unaccounted_lines(lines, tree) == []


def test_rule_prose_rule_is_markdown_not_front_matter() -> None:
    tree, lines = read(markdown, "---\nJust prose\n---\ntext")
    assert outline(tree) == [("Just prose", 1, False)]
    assert unaccounted_lines(lines, tree) == []


def test_toc_without_groups_and_unknown_headings() -> None:
    links = "\n".join(f"  - [S{i}](#s{i})" for i in range(10))
    head = "# Guide\n## Table of contents\n- [Compute](#compute)\n"
    text = f"{head}{links}\n\n# Compute\n## S1\n### Deep\n__Bold__\n## Other\n"
    tree, lines = read(toc_markdown, text)
    assert unaccounted_lines(lines, tree) == []
    assert tree.title == "Guide"
    assert tree.toc["s3"] == "Compute"
    assert outline(tree) == [
        ("Compute", 1, False),
        ("S1", 2, False),
        ("Deep", 3, False),
        ("Bold", 4, True),
        ("Other", 3, False),  # not in the TOC: a subsection of S1, whatever its `#`s
    ]


def test_contents_heading_without_links_is_content() -> None:
    tree, lines = read(toc_markdown, "## Contents\nThis book covers EC2.\n")
    assert outline(tree) == [("Contents", 1, False)]
    assert tree.toc == {}
    assert unaccounted_lines(lines, tree) == []


# --- pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("EC2 ", "EC2"),
        ("**Bold** title", "Bold title"),
        ("__IPV4_IPV6__", "IPV4_IPV6"),
        ("Steps:", "Steps"),
        ("[Link](https://x) text", "Link text"),
        ("`code` name", "code name"),
        ("snake_case_name", "snake_case_name"),
        ("C\\# notes", "C# notes"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert markdown.clean_title(raw) == clean


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("__Cluster__", "Cluster"),
        ("  __Two types__  ", "Two types"),
        ("**Allowlist :**", "Allowlist"),
        ("__Only gp2 can boot.__", None),
        ("__Is it?__", None),
        ("__" + "x" * 71 + "__", None),
        ("__3,500 PUT__ General Perf", None),
        ("__cached__ in the file gateway__", None),
        ("***Exam Note:***", None),
        ("- __Provisioned__", None),
        ("*Italic*", None),
    ],
)
def test_bold_title(line: str, title: str | None) -> None:
    assert markdown.bold_title(line) == title


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("*Introduction*", "Introduction"),
        ("*Server Name Indication(SNI)", "Server Name Indication(SNI)"),
        ("*What host is right for me?*", "What host is right for me?"),
        ("* bullet", None),
        ("*codeCommit* like github", None),
        ("*__Below content needs work later__*", None),
        ("***Exam Note:***", None),
        ("*Done.*", None),
    ],
)
def test_em_title(line: str, title: str | None) -> None:
    assert course.em_title(line) == title


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("Section4_IAM+AWS CLI", "IAM+AWS CLI"),
        ("Section6_EC2_Instance_Storage", "EC2 Instance Storage"),
        ("Setion16 elastic beanstalk", "elastic beanstalk"),
        ("Section 7 - ELB", "ELB"),
        ("Section 9", "Section 9"),
        ("Note", "Note"),
    ],
)
def test_section_title(raw: str, title: str) -> None:
    assert course.section_title(raw) == title


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Event Bridge", "event-bridge"),
        ("Site-to-Site VPN", "site-to-site-vpn"),
        ("Data & Analytics", "data--analytics"),
        ("Lambda@Edge ", "lambdaedge"),
        ("Route 53", "route-53"),
    ],
)
def test_github_slug(text: str, slug: str) -> None:
    assert toc_markdown.github_slug(text) == slug


def test_each_reader_names_its_format() -> None:
    assert seed_tree(N000, toc_markdown).fmt == "toc_markdown"
    assert seed_tree(N002, markdown).fmt == "markdown"
    assert seed_tree(N003, course).fmt == "course"


def test_a_contents_link_to_no_heading_is_named_with_its_file_and_line() -> None:
    links = [f"- [Amazon S{i}](#amazon-s{i})" for i in range(10)]
    sections = [x for i in range(9) for x in (f"## Amazon S{i}", "", f"text {i}", "")]
    lines = ["# T", "", "## Contents", "", *links, "", *sections]
    _, diags = toc_markdown.read("toc.md", lines, lambda t: True)
    assert [(d.file, d.line, d.level) for d in diags] == [("toc.md", 14, "info")]
    assert "links to #amazon-s9, but no heading has that anchor" in diags[0].message
