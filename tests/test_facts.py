"""Key facts and exam tips found in the notes (issue 14): recall against the hand-made gold
set, a judged sample for precision, conflicts, explicit tips, and the extraction rules."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from workcount import growth

from studysite.facts import (
    Fact,
    Tip,
    extract_facts,
    extract_tips,
    facts_in,
    mark_conflicts,
    tips_in,
)
from studysite.model import How, Line, Part, Site
from studysite.render.facts import facts_by_page, shown_facts, tips_page
from studysite.render.sources import NoteIndex
from studysite.report import Report
from studysite.site import generate

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "reference" / "key_numbers.yml"
RECALL = 0.85  # reached: 156 of 182 (85.7%); the issue asks for 80%


@pytest.fixture(scope="module")
def site(seed_site: Site) -> Site:
    return seed_site


@pytest.fixture(scope="module")
def facts(site: Site) -> list[Fact]:
    return extract_facts(site)


@pytest.fixture(scope="module")
def tips(site: Site) -> list[Tip]:
    return extract_tips(site)


def _numbers(text: str) -> set[float]:
    return {
        float(n.replace(",", ""))
        for n in re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text)
    }


@pytest.mark.skipif(not GOLD.exists(), reason="the gold set lives in the shared reference")
def test_recall_against_the_hand_made_gold_set(facts: list[Fact]) -> None:
    """A gold fact is found when a fact on one of its lines (same note) has one of its numbers."""
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    at: dict[tuple[str, int], list[Fact]] = {}
    for f in facts:
        at.setdefault((f.file, f.line), []).append(f)
    misses = []
    for g in gold:
        wanted = _numbers(str(g["value"]))
        places = [g["source"], *(g.get("also") or [])]
        found = any(
            _numbers(f.value) & wanted
            for place in places
            for f in at.get((place.rsplit(":", 1)[0], int(place.rsplit(":", 1)[1])), [])
        )
        if not found:
            misses.append(f"{g['source']}: {g['fact']} = {g['value']}")
    score = 1 - len(misses) / len(gold)
    print(f"\nrecall {len(gold) - len(misses)}/{len(gold)} = {score:.1%}; misses:")
    print("\n".join(f"  {m}" for m in misses))
    assert score >= RECALL


SAMPLE = Path(__file__).parent / "facts" / "precision_sample.yml"


def _shown(site: Site, facts: list[Fact]) -> list[Fact]:
    """The facts the site shows in its Key facts blocks, each once, in page order."""
    by_page = facts_by_page(facts)
    shown: dict[tuple[str, int, str], Fact] = {}
    for page in site.pages.values():
        for f in shown_facts(page, by_page.get(page.id, [])):
            shown.setdefault((f.file, f.line, f.value), f)
    return list(shown.values())


def test_precision_of_a_judged_sample_of_what_the_site_shows(site: Site, facts: list[Fact]) -> None:
    """50 facts drawn (fixed seed) from the Key facts blocks, judged in tests/facts/: at most
    5 are not worth knowing. A changed draw needs the new facts judged."""
    judged = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    drawn = random.Random(14).sample(_shown(site, facts), 50)
    assert [(f.file[:3], f.line, f.value) for f in drawn] == [
        (j["note"], j["line"], j["value"]) for j in judged
    ], "the draw changed: judge the new sample in tests/facts/precision_sample.yml"
    assert all(j["verdict"] in ("good", "not-worth-knowing") for j in judged)
    bad = [j for j in judged if j["verdict"] != "good"]
    assert all(j.get("reason") for j in bad)
    print(f"\nprecision {50 - len(bad)}/50")
    assert len(bad) <= 5


def test_conflicts_between_notes_are_marked(facts: list[Fact]) -> None:
    conflicting = {(f.page, f.file[:3], f.value) for f in facts if f.conflict}
    # Aurora storage: 128 TB (000, 001) against 64 TB (002, 003); Kinesis retention across
    # the service page and its parent's, in other words ("kept").
    assert {("aurora", "000", "128 TB"), ("aurora", "003", "64 TB")} <= conflicting
    assert {("kinesis-data-streams", "000", "1 day to 365 days"), ("kinesis", "002", "7 days")} <= (
        conflicting
    )
    # Notes that agree are no conflict: SQS retention and visibility timeout.
    assert not {f for f in facts if f.page == "sqs" and f.conflict}
    # One group per disagreement: every fact of it shares the group, no other fact does.
    aurora = {f.group for f in facts if f.page == "aurora" and f.value in ("128 TB", "64 TB")}
    assert len(aurora) == 1
    assert "" not in aurora


def test_conflict_marking_work_is_linear_in_copies_of_the_notes(facts: list[Fact]) -> None:
    """Issue 17: the notes copied N times cost about N times the fact comparisons."""
    plain_facts = [replace(f, conflict=False, group="") for f in facts]

    def copies(n: int) -> list[Fact]:
        return [
            replace(f, file=f"copy{k:03d}-{f.file}" if k else f.file)
            for k in range(n)
            for f in plain_facts
        ]

    marked = mark_conflicts(copies(3))
    # A copy disagrees where its original does: every copy of a note marks the same lines.
    size = len(plain_facts)
    by_copy = [
        {(f.file.removeprefix(f"copy{k:03d}-"), f.line, f.value) for f in part if f.conflict}
        for k, part in enumerate(marked[k * size : (k + 1) * size] for k in range(3))
    ]
    assert by_copy[0]
    assert by_copy[0] == by_copy[1] == by_copy[2]
    # Function calls, not seconds: 10x the notes is ~10x the calls, far from 100x.
    ratio = growth(lambda n: mark_conflicts(copies(n)), 1, 10)
    assert ratio < 10 * 1.5, ratio


def _notes(*texts: str, page: str = "sqs", title: str = "Amazon SQS") -> list[Fact]:
    """The facts of one part per note, conflicts marked."""
    out: list[Fact] = []
    for i, text in enumerate(texts):
        body = tuple(Line(no, t) for no, t in enumerate(text.split("\n"), start=2))
        out += facts_in(Part(page, f"{i}.md", title, 1, body, How.TITLE, 0))
    return mark_conflicts(out)


def _disputed(facts: list[Fact]) -> list[str]:
    return [f"{f.file[0]}:{f.value}" for f in facts if f.conflict]


def test_the_same_fact_with_other_values_in_two_notes_is_a_conflict() -> None:
    assert _disputed(_notes("- Max message size: 256KB", "- Max message size: 1 MB")) == [
        "0:256KB",
        "1:1 MB",
    ]
    # In other words, and a single value against a range that does not end with it.
    kept = _notes("- Retention between 1 day to 365 days", "Messages can be kept for 7 days.")
    assert _disputed(kept) == ["0:1 day to 365 days", "1:7 days"]
    # What an item stands under tells facts apart: the same value is agreement.
    nested = _notes(
        "- Standard queue\n - Max throughput 3,000 MB/s\n- FIFO queue\n - Max throughput 300 MB/s",
        "- FIFO queue\n - Max throughput 300 MB/s",
    )
    assert _disputed(nested) == []


def test_no_false_conflicts() -> None:
    # A minimum and a maximum of one range are no disagreement.
    assert _disputed(_notes("- Retention from 1 to 14 days", "- Max retention 14 days")) == []
    assert _disputed(_notes("- Retention from 1 to 14 days", "- Min retention 1 day")) == []
    # ... but a maximum that is the other's minimum is one.
    assert _disputed(_notes("- /tmp size: 512 MB to 10 GB", "- /tmp max size is 512MB")) == [
        "0:512 MB to 10 GB",
        "1:512MB",
    ]
    # Examples, defaults against limits, other units (GB and GiB), far-apart numbers.
    assert _disputed(_notes("- e.g. retention of 4 days", "- Max retention 14 days")) == []
    assert _disputed(_notes("- Default retention 4 days", "- Max retention 14 days")) == []
    assert _disputed(_notes("- Max memory 208 GB of RAM", "- Max memory 208 GiB RAM")) == []
    assert _disputed(_notes("- Max delay 15 minutes", "- Max delay 900 seconds")) == []
    assert _disputed(_notes("- Max storage 64 TB", "- Max storage 10 GB")) == []
    # One note's two facts in one line are not each other's disagreement.
    same = _notes("- Latency 100 ms vs 400 ms for ALB", "- Latency 100 ms vs 400 ms for ALB")
    assert _disputed(same) == []


# Every explicit tip of the five notes: (note, first line). Found by reading every line
# that says "exam" (not "example"), "remember", "tip" or "trigger": "Exam Tip:" / "Exam
# Note:" leads, "***Exam Note:***" headings, "Remember" leads (also a transcript's "But
# remember, the take away ..."), and sentences about the exam. The notes hold no tip
# admonition, callout or trigger words list (tests below build those).
EXPLICIT_TIPS = [
    ("000", 636),  # Remember that S3 is Object-based
    ("000", 962),  # Remember that FSx for Lustre ...
    ("001", 841),  # Really important for exam
    ("001", 2930),  # Remember the difference: Metadata / Userdata
    ("001", 3181),  # Exam Tip: ... Athena
    ("001", 6911),  # Remember: only for EC2 instances ...
    ("001", 7054),  # Exam Tip: 29 IP addresses
    ("001", 7141),  # Exam Tip: bastion host port 22
    ("001", 7807),  # Likely to be distractors at the exam
    ("001", 8394),  # Exam tip: Chef & Puppet => OpsWorks
    ("003", 300),  # what you remember is that for EFS you get billed for what you use
    ("003", 622),  # ***Exam Note:*** (metric filters are not retroactive)
    ("003", 638),  # if you see x-ray read and write APIs at the exam
    ("003", 642),  # But remember, the take away from this slide ... X-Ray daemon port
    ("003", 652),  # ***Exam Note:*** (SQS, SNS & Kinesis)
    ("003", 664),  # application decoupling in your exam
    ("003", 670),  # you will see in the exam some questions ... Long Polling
    ("003", 681),  # ProvisionedThroughputExceeded ... something that comes up at the exam
    ("003", 697),  # ***Exam Note:*** (containers on Lambda)
    ("003", 752),  # what you get to remember ... the concurrency limit
    ("003", 775),  # ***Exam Note:*** (DynamoDB)
    ("003", 795),  # a question exam ... wipe a whole table
]


def test_every_explicit_tip_is_found(tips: list[Tip]) -> None:
    found = {(t.file[:3], t.first) for t in tips}
    assert set(EXPLICIT_TIPS) <= found, sorted(set(EXPLICIT_TIPS) - found)
    assert all(t.page and t.first <= t.last for t in tips)


def test_every_explicit_tip_is_on_the_exam_tips_page_and_its_service_page(
    tips: list[Tip],
) -> None:
    out = generate(ROOT / "notes", ROOT / "catalog" / "services.yml", ROOT / "docs")
    index = NoteIndex(out.site.notes)
    collected = tips_page(out.site, tips, index, "exam-tips.md")
    for note, first in EXPLICIT_TIPS:
        tip = next(t for t in tips if t.file[:3] == note and t.first == first)
        assert f"[{note} · {first}](notes/" in collected, (note, first)
        page = out.site.pages[tip.page]
        assert page.entry is not None, (note, first, tip.page)  # a service page, not Unsorted
        # In the page's Exam tips block, unless it stands under the page's Exam tips subtopic.
        if tip.part.topic == "exam-tips":
            assert tip.part in page.parts
            continue
        block = out.pages[page.path].split('???+ tip "Exam tips from the notes"', 1)
        assert len(block) == 2, (note, first, page.path)
        items = re.findall(r"^    - .*$", block[1].split("\n\n", 2)[1], re.M)
        assert any(f"[{note} · {first}](" in item for item in items), (note, first)


def _part(*lines: str, title: str = "Amazon SQS", kind: str = "text") -> Part:
    body = tuple(Line(no, text) for no, text in enumerate(lines, start=2))
    return Part("sqs", "n.md", title, 1, body, How.TITLE, 0, kind=kind)


def test_a_fact_has_its_phrase_value_and_normalised_value() -> None:
    (f,) = facts_in(_part("- Max message size: 256KB"))
    assert (f.fact, f.value, f.kind, f.line) == ("Max message size", "256KB", "size", 2)
    assert f.normalised == (256e3,)
    (g,) = facts_in(_part("- Retention between 1 day (default) to 365 days"))
    assert g.fact == "Retention"
    assert g.normalised == (86400, 365 * 86400)
    fenced = facts_in(_part("Timeout: 900 seconds (15 minutes max)", "", "```", "max 10 GB", "```"))
    assert [f.value for f in fenced] == ["900 seconds", "15 minutes"]  # code skipped


def test_numbers_that_are_no_facts_are_skipped() -> None:
    assert not facts_in(_part("Section 4: the 10.0.0.0/16 block", "Released in 2014", "Step 3"))
    assert not facts_in(_part("What is the max size?", "Answer: A", kind="question"))


def test_tip_markers_of_every_note_kind() -> None:
    tips = tips_in(_part("> [!tip] Exam", "> SQS is pull", "", "!!! tip", "    Use FIFO"))
    assert [(t.first, t.last) for t in tips] == [(2, 3), (5, 6)]
    (t,) = tips_in(_part("Exam tip:", "- one", "- two", "", "Other text"))
    assert (t.first, t.last) == (2, 4)
    (whole,) = tips_in(_part("any text", "more"), exam_topic=True)
    assert (whole.first, whole.last) == (1, 3)  # its title line too


def test_report_json_lists_facts_and_tips() -> None:
    data = Report.of(generate(ROOT / "notes", ROOT / "catalog" / "services.yml", ROOT / "docs"))
    out = data.to_json()
    assert {"page", "fact", "value", "file", "line", "conflict"} == set(out["facts"][0])
    assert {"page", "file", "first", "last"} == set(out["tips"][0])
    assert any(f["conflict"] for f in out["facts"])


def test_an_obsidian_tip_callout_is_a_tip_on_both_pages(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "SQS.md").write_text(
        "SQS is a pull-based queue.\n\n"
        "> [!tip] For the exam\n> Decoupling means SQS.\n\n"
        "> [!exam]- Trap\n> FIFO does 300 msg/s without batching.\n\n"
        "> [!note] Not a tip\n> Queues hold messages.\n",
        encoding="utf-8",
    )
    out = generate(notes, ROOT / "catalog" / "services.yml", ROOT / "nonexistent-docs")
    tips = extract_tips(out.site)
    assert [(t.page, t.first, t.last) for t in tips] == [("sqs", 3, 4), ("sqs", 6, 7)]
    collected = tips_page(out.site, tips, NoteIndex(out.site.notes), "exam-tips.md")
    page = out.pages[out.site.pages["sqs"].path]
    block = page.split('???+ tip "Exam tips from the notes"', 1)[1]
    for text in ("Decoupling means SQS.", "FIFO does 300 msg/s"):
        assert text in collected
        assert text in block
    assert "Queues hold messages" not in collected
