"""Tests for the plain-text readers: Notion toggle exports (001) and titled plain text (004)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workcount import growth

from studysite.model import NoteTree, Section, unaccounted_lines
from studysite.readers import common, notion, plaintext
from studysite.readers.source import split_lines
from studysite.routing.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
CATALOG = ROOT / "catalog" / "services.yml"
N001 = "001_d0d02486f0911ba5.txt"
N004 = "004_f4482a808476165e.txt"

SMALL_CATALOG = frozenset({"amazon ec2", "ec2", "aws glue", "amazon s3"})


@cache
def catalog_names() -> frozenset[str]:
    """Names and aliases of the project's catalog (catalog/services.yml)."""
    names: set[str] = set()
    for entry in load_catalog(CATALOG).entries.values():
        names.add(entry.name.casefold())
        names.update(a.casefold() for a in entry.aliases)
    return frozenset(names)


def known(text: str) -> bool:
    return text.casefold() in catalog_names()


def small_known(text: str) -> bool:
    return text.casefold() in SMALL_CATALOG


@cache
def note(name: str) -> list[str]:
    # A missing seed note is a failure, never a skip: these notes are committed.
    return split_lines((NOTES / name).read_text(encoding="utf-8"))


@cache
def tree_001() -> NoteTree:
    return notion.read(N001, note(N001), known)[0]


@cache
def tree_004() -> NoteTree:
    return plaintext.read(N004, note(N004), known)[0]


def section_at(tree: NoteTree, line: int) -> Section | None:
    return next((s for s in tree.sections() if s.title_line == line), None)


def owner_of(tree: NoteTree, line: int) -> Section | None:
    """The section whose body holds source line ``line``."""
    for sec in tree.root.walk():
        if any(ln.no == line for ln in sec.body):
            return sec
    return None


def body_text(tree: NoteTree, line: int) -> str | None:
    for sec in tree.root.walk():
        for ln in sec.body:
            if ln.no == line:
                return ln.text
    return None


def outline(tree: NoteTree) -> list[tuple[int, str, int | None]]:
    return [(s.level, s.title, s.title_line) for s in tree.sections()]


# --- detection ---------------------------------------------------------------------------


def test_detect_seed_notes() -> None:
    l1, l4 = note(N001), note(N004)
    assert notion.detect(l1) > plaintext.detect(l1)
    assert notion.detect(l1) >= 10
    assert plaintext.detect(l4) > 0
    assert notion.detect(l4) == 0


@pytest.mark.parametrize(
    ("lines", "notion_score", "plain_score"),
    [
        ([], 0, 0),
        (["▼ Section 1: Intro", "text"], 10, 0),
        (["▼ a"] * 20, 10, 0),
        (["▼ a", "▼ b", "▼ c"], 6, 0),
        (["# Title", "▼ a", "▼ b", "▼ c"], 0, 0),
        (["AWS – Compute", "", "AWS – Storage"], 0, 5),
        (["# Heading", "AWS – Compute", "AWS – Storage"], 0, 0),
        (["```", "# not a heading", "```", "AWS – Compute", "AWS – Storage"], 0, 5),
        (["AWS – Compute"], 0, 0),
    ],
)
def test_detect_scores(lines: list[str], notion_score: int, plain_score: int) -> None:
    assert notion.detect(lines) == notion_score
    assert plaintext.detect(lines) == plain_score


# --- every line accounted for ------------------------------------------------------------


def test_001_every_line_accounted_for() -> None:
    assert unaccounted_lines(note(N001), tree_001()) == []


def test_004_every_line_accounted_for() -> None:
    assert unaccounted_lines(note(N004), tree_004()) == []


def test_document_order_is_kept() -> None:
    for tree in (tree_001(), tree_004()):
        # Rendering a section's body before its children must follow the source order.
        nos = [ln.no for sec in tree.root.walk() for ln in sec.body]
        titles = [s.title_line for s in tree.sections()]
        assert nos == sorted(nos)
        assert not set(nos) & set(titles)


# --- 001: Notion ---------------------------------------------------------------------------


def test_001_sections_and_toggles() -> None:
    tree = tree_001()
    sec9 = section_at(tree, 1609)
    assert sec9 is not None
    assert (sec9.level, sec9.kind, sec9.flat) == (1, "heading", False)
    assert sec9.title == "AWS Fundamentals: RDS + Aurora + ElastiCache"
    assert sum(1 for s in tree.sections() if s.level == 1) == 21
    ebs = section_at(tree, 579)
    assert ebs is not None
    assert (ebs.title, ebs.level, ebs.flat) == ("Elastic Block Store (EBS)", 2, True)
    sec7 = section_at(tree, 576)
    assert sec7 is not None
    assert ebs in sec7.children


@pytest.mark.parametrize("line", [623, 626, 3342])
def test_001_console_toggles_are_body(line: int) -> None:
    tree = tree_001()
    assert section_at(tree, line) is None
    text = body_text(tree, line)
    assert text is not None
    assert "▼" in text


def test_001_console_table_lines_kept_verbatim() -> None:
    lines = note(N001)
    for no in (622, 624, 628):
        assert body_text(tree_001(), no) == lines[no - 1]


@pytest.mark.parametrize(
    ("line", "title"), [(5326, "AWS Glue"), (5458, "Amazon Transcribe"), (823, None)]
)
def test_001_captions(line: int, title: str | None) -> None:
    sec = section_at(tree_001(), line)
    assert sec is not None
    assert (sec.kind, sec.level, sec.flat) == ("caption", 2, True)
    assert sec.title == (title or note(N001)[line - 1].strip())


def test_001_list_toggles_become_bold_items() -> None:
    tree = tree_001()
    assert (
        body_text(tree, 2126) == "- **TTL: amount of time the records are cached at DNS Resolvers**"
    )
    assert body_text(tree, 6601) == "  - **AWS Managed Service Default CMK (free)**"


def test_001_one_space_bullets_nest() -> None:
    assert (
        body_text(tree_001(), 54)
        == "  - Require users to change their password after some time (password expiration)"
    )


def test_001_noise() -> None:
    tree = tree_001()
    reasons = {n.no: n.reason for n in tree.noise}
    assert all(reasons[no] == "title page" for no in (3, 5, 9, 10, 12, 17, 19, 21))
    assert reasons[8468] == reasons[8470] == "closing page"
    assert reasons[314].startswith("'Untitled'")
    assert "new →" in {n.text for n in tree.noise}
    assert tree.title == "AWS Solutions Architect"
    # Noise inside a body stays as a blank line, so paragraphs do not merge.
    assert body_text(tree, 314) == ""


def test_001_whitespace_only_lines_are_empty() -> None:
    lines = note(N001)
    ws = [i for i, ln in enumerate(lines, start=1) if ln and not ln.strip()]
    assert ws
    assert all(body_text(tree_001(), no) == "" for no in ws)


def test_001_fences_hide_toggles() -> None:
    tree = tree_001()
    assert body_text(tree, 140) == note(N001)[139]


# --- 004: plain text -----------------------------------------------------------------------


def test_004_outline_start() -> None:
    tree = tree_004()
    assert outline(tree)[:3] == [
        (1, "Compute", 3),
        (2, "Amazon EC2", 5),
        (3, "Auto Scaling Policy Types", 11),
    ]
    assert sum(1 for s in tree.sections() if s.level == 1) == 7


def test_004_aurora_serverless_is_one_section() -> None:
    tree = tree_004()
    sec = section_at(tree, 352)
    assert sec is not None
    assert sec.level == 2
    for no in (358, 370, 380):
        assert section_at(tree, no) is None
        assert no in {n.no for n in tree.noise if n.reason == "repeated slide title"}
    assert all(owner_of(tree, no) is sec for no in (354, 360, 372, 382, 387))


@pytest.mark.parametrize("line", [92, 305, 538, 604, 761, 267, 224])
def test_004_sentences_stay_body(line: int) -> None:
    tree = tree_004()
    assert section_at(tree, line) is None
    assert body_text(tree, line) == note(N004)[line - 1]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        (144, 3),  # Server-Side Encryption Mechanisms with S3:
        (174, 3),  # Lifecycle configurations for S3:
        (265, 3),  # CONTROL PLANE OPERATIONS
        (650, 2),  # Amazon OpenSearch Service: opens a service
        (803, 2),  # AWS CLI: all caps, but a catalog name
        (751, 2),
    ],
)
def test_004_title_levels(line: int, level: int) -> None:
    sec = section_at(tree_004(), line)
    assert sec is not None
    assert (sec.level, sec.flat) == (level, True)


def test_004_repeats_merge_but_distant_titles_do_not() -> None:
    tree = tree_004()
    repeated = {n.no for n in tree.noise if n.reason == "repeated slide title"}
    assert {220, 289, 450, 654, 674, 849, 884, 898, 943, 964} <= repeated
    # `Amazon Aurora:` comes back after the `Endpoints:` sub-heading: a new section keeps the
    # text in source order.
    assert 346 not in repeated
    # The second CloudWatch card comes 58 lines later: a new section, not a repeat.
    assert section_at(tree, 746) is not None


def test_004_nested_bullets_follow_ordered_parent() -> None:
    assert body_text(tree_004(), 17).startswith("   - 3.1. Step Scaling")
    assert body_text(tree_004(), 989) == "  - ☐ Creating or deleting a branch or tag"


def test_004_table_is_kept() -> None:
    lines = note(N004)
    assert [body_text(tree_004(), no) for no in range(1035, 1044)] == lines[1034:1043]


# --- pure helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["- a", " - b"], ["- a", "  - b"]),
        (["1. a", " - b"], ["1. a", "   - b"]),
        (["10. a", " - b", "", " - c"], ["10. a", "    - b", "", "    - c"]),
        (["para", " - b"], ["para", "  - b"]),
        (["- a", "para", " - b"], ["- a", "para", "  - b"]),
        (["  ", "\t", " \t "], ["", "", ""]),
        ([" - x\ty\t"], [" - x\ty\t"]),
        (["-\tRunning\t"], ["-\tRunning\t"]),
        (["  - already nested"], ["  - already nested"]),
        ([" text"], [" text"]),
    ],
)
def test_body_cleaner(lines: list[str], expected: list[str]) -> None:
    clean = plaintext.BodyCleaner()
    assert [clean(ln) for ln in lines] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- ▼ X", "- **X**"),
        (" - ▼ Symmetric (AES-256 keys)  ", " - **Symmetric (AES-256 keys)**"),
        ("1. ▼ Step", "1. **Step**"),
        ("- ▼ **Bold** part", "- **Bold** part"),
        ("- ▼", "- ▼"),
        ("- ▼ a\tb", "- ▼ a\tb"),
        ("▼ not a list", "▼ not a list"),
        ("- plain", "- plain"),
    ],
)
def test_unfold_list_toggle(text: str, expected: str) -> None:
    assert notion.unfold_list_toggle(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Auto Scaling Policy Types:", True),
        ("Server-Side Encryption Mechanisms with S3:", True),
        ("Best Practice:", True),
        ("AWS SAM has two components:", False),
        ("There are 3 different types of Trails that you can create:", False),
        ("For ACID compliance:", False),
        ("Each shard can:", False),
        ("Amazon says:", False),
        ("lowercase label:", False),
        ("No colon", False),
        ("A very long label with far too many words:", False),
    ],
)
def test_is_label(text: str, expected: bool) -> None:
    assert plaintext.is_label(text) is expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Block vs Object vs File Storage", "Block vs. Object vs. File Storage", True),
        ("Amazon Aurora", "Amazon Aurora:", True),
        ("AMAZON AURORA", "amazon aurora", True),
        ("Amazon Aurora", "Amazon Aurora Serverless", False),
    ],
)
def test_title_key(a: str, b: str, same: bool) -> None:
    assert (plaintext.title_key(a) == plaintext.title_key(b)) is same


@pytest.mark.parametrize(
    ("text", "variants"),
    [
        ("Amazon EC2", ["Amazon EC2", "EC2"]),
        ("AWS Glue:", ["AWS Glue:", "Glue:", "AWS Glue", "Glue"]),
        (
            "Amazon EFS – Elastic File System",
            ["Amazon EFS – Elastic File System", "EFS – Elastic File System", "Amazon EFS", "EFS"],
        ),
        ("  ", []),
    ],
)
def test_title_variants(text: str, variants: list[str]) -> None:
    assert common.title_variants(text) == variants


@pytest.mark.parametrize(
    ("cover", "title", "author"),
    [
        (
            ["AWS", "SOLUTIONS ARCHITECT", "PREPARED BY", "ARJUNAN K", "Sneak", "Peek",
             "AWS Solutions Architect: Arjunan K"],
            "AWS Solutions Architect",
            "ARJUNAN K",
        ),
        (["My Cloud Notes", "Prepared by: Jane Doe"], "My Cloud Notes", "Jane Doe"),
        (["Notes"], None, None),
        # "Prepared by" as the cover's last line names no one.
        (["My Cloud Notes", "Prepared by"], "My Cloud Notes", None),
        ([], None, None),
    ],
)  # fmt: skip
def test_document_title(cover: list[str], title: str | None, author: str | None) -> None:
    assert notion.document_title(cover) == (title, author)


# --- synthetic notes -----------------------------------------------------------------------


def read_notion(lines: list[str]) -> NoteTree:
    tree, diags = notion.read("t.txt", lines, small_known)
    assert diags == []
    assert unaccounted_lines(lines, tree) == []
    return tree


def read_plain(lines: list[str]) -> NoteTree:
    tree, diags = plaintext.read("t.txt", lines, small_known)
    assert diags == []
    assert unaccounted_lines(lines, tree) == []
    return tree


@pytest.mark.parametrize("reader", [read_notion, read_plain])
@pytest.mark.parametrize(
    "lines",
    [[], [""], ["   "], ["Untitled"], ["---", "", "new →", "-"], ["only text"], ["\t\t"]],
)
def test_degenerate_notes(reader, lines: list[str]) -> None:
    tree = reader(lines)
    assert list(tree.sections()) == []


def test_notion_synthetic() -> None:
    lines = [
        "My Notes Title",  # 1 title page
        "",
        "▼ Section 1: Basics:",  # 3
        "",
        "▼ Topic\t\t",  # 5 console widget
        "▼ Real toggle   ",  # 6
        "```",
        "▼ inside a fence",  # 8
        "```",
        "",
        "Amazon EC2",  # 11 caption
        "",
        "- ▼ Item",  # 13
        " - child",  # 14
        "▼",  # 15 empty toggle
        "My Notes Title",  # 16 running header
        "more text",
        "",
        "Thank you!",  # 19 closing page
    ]
    tree = read_notion(lines)
    assert outline(tree) == [
        (1, "Basics", 3),
        (2, "Real toggle", 6),
        (2, "Amazon EC2", 11),
    ]
    assert tree.title == "My Notes Title"
    reasons = {n.no: n.reason for n in tree.noise}
    assert reasons == {
        1: "title page",
        15: "empty Notion toggle",
        16: "running header",
        19: "closing page",
    }
    assert body_text(tree, 5) == "▼ Topic\t\t"
    assert body_text(tree, 8) == "▼ inside a fence"
    assert body_text(tree, 13) == "- **Item**"
    assert body_text(tree, 14) == "  - child"
    assert section_at(tree, 11).kind == "caption"


def test_notion_long_intro_is_not_a_title_page() -> None:
    intro = [f"Intro paragraph number {i} with enough words to be prose." for i in range(50)]
    lines = [*intro, "▼ A", "x"]
    tree = read_notion(lines)
    assert tree.noise == []
    assert tree.title is None
    assert body_text(tree, 1) == intro[0]


def test_notion_without_section_lines_uses_level_1() -> None:
    tree = read_notion(["▼ A", "x", "▼ B", "y", "▼ C"])
    assert [(s.level, s.title) for s in tree.sections()] == [(1, "A"), (1, "B"), (1, "C")]


def test_plain_synthetic() -> None:
    lines = [
        "AWS – Compute",  # 1
        "",
        "Amazon EC2",  # 3
        "",
        "Amazon EC2",  # 5 repeated: the section goes on
        "",
        "Launch Types:",  # 7
        "- one",
        " - nested",
        "",
        "SOME CAPTION",  # 11
        "",
        "Amazon EC2 runs servers.",  # 13 a sentence
        "```",
        "Amazon EC2",  # 15 in a fence
        "```",
        "| a | b |",
        "|---|---|",
        "",
        "Amazon EC2",  # 20 after sub-headings: a new section, to keep source order
    ]
    tree = read_plain(lines)
    assert outline(tree) == [
        (1, "Compute", 1),
        (2, "Amazon EC2", 3),
        (3, "Launch Types", 7),
        (3, "SOME CAPTION", 11),
        (2, "Amazon EC2", 20),
    ]
    assert {n.no: n.reason for n in tree.noise} == {5: "repeated slide title"}
    assert owner_of(tree, 5) is section_at(tree, 3)
    assert body_text(tree, 9) == "  - nested"
    assert body_text(tree, 15) == "Amazon EC2"
    assert body_text(tree, 18) == "|---|---|"


def test_plain_fallback_without_catalog() -> None:
    lines = ["Intro", "", "Some text.", "", "Key Points:", "", "- a"]
    tree, _ = plaintext.read("t.txt", lines, lambda _t: False)
    assert outline(tree) == [(3, "Key Points", 5)]
    assert unaccounted_lines(lines, tree) == []


# --- fences and robustness -----------------------------------------------------------------


@pytest.mark.parametrize("name", [f"00{i}" for i in range(5)])
def test_fence_lines_fast_matches_full_parse(name: str) -> None:
    paths = sorted(NOTES.glob(f"{name}_*.txt"))
    assert paths, f"seed note {name} is missing from notes/"
    lines = split_lines(paths[0].read_text(encoding="utf-8"))
    assert common.fence_lines_fast(lines) == common.fence_lines(lines)


PIECES = [
    "",
    " ",
    "\t",
    "text",
    "Amazon EC2",
    "Amazon EC2:",
    "AWS – Compute",
    "AWS - Storage",
    "SOME CAPS",
    "Label:",
    "A sentence.",
    "▼ Section 2: S",
    "▼ T",
    "▼",
    "▼ T\t",
    " ▼ U",
    "- ▼ V",
    "- item",
    " - child",
    "1. one",
    "-",
    "---",
    "Untitled",
    "new →",
    "```",
    "  ```",
    "- ```",
    "> ```",
    "~~~",
    "<!--",
    "-->",
    "<pre>",
    "</pre>",
    "| a | b |",
    "a\tb",
    "# heading",
    "Thank You",
    "PREPARED BY",
    "Jane Doe",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_random_notes_account_for_every_line(lines: list[str]) -> None:
    assert common.fence_lines_fast(lines) == common.fence_lines(lines)
    for reader in (notion, plaintext):
        tree, diags = reader.read("r.txt", lines, small_known)
        assert diags == []
        assert unaccounted_lines(lines, tree) == []


def test_read_001_is_linear() -> None:
    lines = note(N001)

    def read(n: int) -> None:
        notion.read(N001, lines[:n], known)

    # Function calls, not seconds: the whole note costs ~10x its first tenth, not 100x.
    tenth = len(lines) // 10
    ratio = growth(read, tenth, 10 * tenth)
    assert ratio < 10 * 1.5, ratio


def test_a_new_section_forgets_the_numbered_lists_indent() -> None:
    # A flat child after "1. " nests at 3 spaces; after a new title with no list yet it is
    # a child of a "- " item, so it nests at 2 (the documented default).
    clean = plaintext.BodyCleaner()
    assert [clean("1. first"), clean(" - child")] == ["1. first", "   - child"]
    clean.reset()
    assert clean(" - orphan") == "  - orphan"


def test_notion_cover_runs_up_to_the_first_toggle() -> None:
    # The line right before the first toggle is still on the title page.
    tree = read_notion(
        [
            "AWS Study Notes",
            "Prepared by Jane Doe",
            f"{notion.TOGGLE} Section 1: EC2",
            "EC2 is compute.",
            f"{notion.TOGGLE} Section 2: S3",
            "S3 stores objects.",
        ]
    )
    assert tree.title == "AWS Study Notes"
    assert [(n.no, n.reason) for n in tree.noise] == [(1, "title page"), (2, "title page")]


@pytest.mark.parametrize(
    ("lines", "reader"),
    [
        # No format claims these: a heading makes Markdown, none plain text.
        (["Some words about S3.", "More words about buckets."], "plaintext"),
        (["# S3", "", "Words about buckets."], "markdown"),
    ],
)
def test_sniff_falls_back_on_headings(lines: list[str], reader: str) -> None:
    from studysite.readers import sniff

    assert sniff(lines).__name__.rsplit(".", 1)[-1] == reader


@pytest.mark.parametrize(("length", "caption"), [(80, True), (81, False)])
def test_a_caption_is_at_most_80_characters(length: int, caption: bool) -> None:
    text = "Amazon Elastic Compute Cloud instance types, purchasing options and placement groups"
    text = text[:length]
    lines = ["▼ Section 1: Basics", "", "intro text here", "", text, "", "more text"]
    tree, _ = notion.read("t.txt", lines, lambda t: t == text)
    assert (section_at(tree, 5) is not None) is caption


@pytest.mark.parametrize(
    ("text", "label"),
    [("Tiers:", True), ("3 tiers:", True), ("tiers:", False), ("The tiers are:", False)],
)
def test_a_label_starts_with_a_capital_or_a_digit(text: str, label: bool) -> None:
    assert plaintext.is_label(text) is label
