"""Test yourself cards: made from the five notes, well formed, tied to real note lines;
the drop rules; the cards script, the Anki TSV, the pages, the report and the export."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from shared import shared

from studysite.cards import (
    KINDS,
    Card,
    anki_tsv,
    blank_names,
    card_id,
    drop_reason,
    make_cards,
)
from studysite.cards.pages import INDEX, SCRIPT, TSV
from studysite.cli import main
from studysite.facts.extract import plain
from studysite.model import SiteOutput
from studysite.render.sanitize import sanitize
from studysite.report import Report
from studysite.site import generate

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog" / "services.yml"

SMALL_NOTE = """\
# Amazon SQS

Exam tip: SQS is pull based, consumers poll the queue for messages.

Messages are kept for a default retention period of 4 days.

## Practice questions

1. Which service buffers work between producers and consumers that poll for it?
   - A. Amazon SNS
   - B. Amazon SQS
   - C. Amazon Route 53
   Answer: B
   Explanation: consumers poll the queue and delete what they processed.

# Amazon SNS

Exam tip: remember that fan-out pushes one message to many subscribers at once.
"""


@pytest.fixture(scope="module")
def out(seed_output: SiteOutput) -> SiteOutput:
    return seed_output


@pytest.fixture(scope="module")
@shared
def small(tmp_path_factory: pytest.TempPathFactory) -> SiteOutput:
    notes = tmp_path_factory.mktemp("notes")
    (notes / "sqs.md").write_text(SMALL_NOTE, encoding="utf-8")
    return generate(notes, CATALOG, tmp_path_factory.mktemp("docs"))


def _note_line(out: SiteOutput, card: Card) -> str:
    note = next(n for n in out.site.notes if n.file == card.file)
    assert 1 <= card.line <= len(note.lines), card
    return note.lines[card.line - 1]


def test_the_five_notes_give_300_cards_of_three_kinds(out: SiteOutput) -> None:
    cards = out.cards
    by_kind = Counter(c.kind for c in cards)
    print("cards by kind:", dict(by_kind), "total", len(cards))
    assert len(cards) >= 300
    assert sum(1 for k in KINDS if by_kind[k]) >= 3, by_kind
    for c in random.Random(15).sample(list(cards), 10):
        print(f"[{c.kind}] {c.clue}\n    -> {c.answer}  ({c.file}:{c.line}, {c.page})")
        assert c.clue.strip()
        assert c.answer.strip()
        assert c.answer.casefold() not in c.clue.casefold()
        line = _note_line(out, c)
        assert line.strip(), c
        assert c.page in out.site.pages
        if c.kind == "comparison":
            # The clue quotes the line (its own service blanked): the line holds its words.
            words = set(re.findall(r"\w+", c.detail.casefold()))
            assert words & set(re.findall(r"\w+", plain(line).casefold())), (c, line)
            assert c.answer in c.choices
        if c.kind == "fact" and not c.answer.startswith("The notes disagree"):
            assert re.search(r"\d+", c.answer).group() in line, (c, line)


def test_every_card_is_well_formed_and_ids_are_unique(out: SiteOutput) -> None:
    ids = [c.id for c in out.cards]
    assert len(ids) == len(set(ids))
    for c in out.cards:
        assert c.kind in KINDS
        assert c.clue.strip()
        assert c.answer.strip()
        assert c.answer.casefold() not in c.clue.casefold(), c
        assert c.id == card_id(c.kind, c.file, c.line, c.clue)
        assert _note_line(out, c).strip(), c


def test_cards_are_the_same_on_every_build(out: SiteOutput) -> None:
    again, _ = make_cards(out)
    assert [c.id for c in again] == [c.id for c in out.cards]


def test_a_fact_card_asks_the_number_and_shows_disagreements(out: SiteOutput) -> None:
    sqs = [c for c in out.cards if c.kind == "fact" and c.page == "sqs"]
    size = next(c for c in sqs if "message size" in c.clue.lower())
    assert size.clue == "Amazon SQS: Max message size?"
    assert size.answer.replace(" ", "") == "256KB"
    disputed = [c for c in out.cards if c.answer.startswith("The notes disagree")]
    assert disputed
    # Each value with the note and line that states it.
    assert all(re.search(r"\(\d{3} · \d+\)", c.answer) for c in disputed)


def test_a_comparison_card_blanks_its_service(out: SiteOutput) -> None:
    cmp = [c for c in out.cards if c.kind == "comparison"]
    assert any("___" in c.clue for c in cmp)
    for c in cmp:
        assert len(c.choices) >= 2
        assert c.answer in c.choices
        assert c.page in c.services


def test_drop_rules() -> None:
    ok = "Which service keeps messages until a consumer deletes them?"
    assert drop_reason(ok, ["SQS"]) is None
    assert drop_reason("Max size?", ["256 KB"]) == "clue under 4 words"
    assert drop_reason("SQS keeps messages until deleted", ["SQS"]) == "answer in clue"
    assert drop_reason("sqs keeps messages until deleted", ["SQS"]) == "answer in clue"
    assert drop_reason(ok, [""]) == "no answer"
    assert drop_reason(ok, []) == "no answer"
    # The whole clue counts for the answer, its own words for the length.
    assert drop_reason("keeps it", ["SQS"], "SQS: keeps it?") == "answer in clue"


def test_blank_names_blanks_whole_words_and_the_vendor() -> None:
    names = ["SQS", "Simple Queue Service"]
    text = "Amazon SQS (Simple Queue Service) beats SQSish tools; aws sqs too"
    assert blank_names(text, names) == "___ (___) beats SQSish tools; ___ too"
    assert blank_names("nothing here", []) == "nothing here"


def test_small_notes_give_a_question_a_tip_and_a_fact(small: SiteOutput) -> None:
    by_kind = {k: [c for c in small.cards if c.kind == k] for k in KINDS}
    (question,) = by_kind["question"]
    assert question.clue.startswith("Which service buffers work")
    assert question.answer == "B. Amazon SQS"
    assert question.choices == ("A. Amazon SNS", "B. Amazon SQS", "C. Amazon Route 53")
    assert "consumers poll the queue" in question.detail
    assert question.page == "sqs"
    assert question.line == 9
    tips = by_kind["tip"]
    # The SNS tip does not name its service: nothing to ask, dropped.
    assert [(t.page, t.answer) for t in tips] == [("sqs", "Amazon SQS")]
    assert tips[0].clue == (
        "Which service? Exam tip: ___ is pull based, consumers poll the queue for messages."
    )
    assert any(c.page == "sqs" and "retention" in c.clue.lower() for c in by_kind["fact"])


def test_cards_script_holds_every_card_with_links_that_exist(out: SiteOutput) -> None:
    text = out.assets[SCRIPT].decode("ascii")
    assert text.startswith("window.STUDYSITE_CARDS = [")
    assert text.rstrip().endswith("];")
    data = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    assert [d["id"] for d in data] == [c.id for c in out.cards]
    for d in data:
        assert d["note"].split("#")[0] in out.pages
        assert d["where"].split("#")[0] in out.pages
        assert re.fullmatch(r"\S+ · \d+", d["source"])
        assert d["category"]


def test_anki_tsv_has_four_escaped_columns(small: SiteOutput) -> None:
    card = replace(small.cards[0], clue="tab\there\r\nnew <b>line</b> é", detail="a\nb")
    data = anki_tsv(small, [*small.cards, card])
    text = data.decode("utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert header[:2] == ["#separator:tab", "#html:true"]
    rows = [ln for ln in text.split("\n") if ln and not ln.startswith("#")]
    assert len(rows) == len(small.cards) + 1
    for row in rows:
        front, back, source, tags = row.split("\t")
        assert front
        assert back
        assert source
        assert "studysite" in tags.split()
        assert "\r" not in row
    front, back, _, tags = rows[-1].split("\t")
    assert front == "tab here<br>new &lt;b&gt;line&lt;/b&gt; é"
    assert back.endswith("<br><br>a<br>b")
    assert f"studysite::{card.kind}" in tags.split()
    assert card.page in tags.split()


def test_pages_nav_and_page_links(out: SiteOutput) -> None:
    index = out.pages[INDEX]
    assert 'class="ss-trainer" data-ss-cards="all"' in index
    assert "search: {exclude: true}" in index
    assert "(../assets/cards.tsv)" in index
    assert 'data-ss-cards="storage"' in out.pages["test-yourself/storage.md"]
    study = next(i["Study"] for i in out.nav if isinstance(i, dict) and "Study" in i)
    assert study[0] == {"Numbers to know": "numbers-to-know.md"}
    assert next(iter(study[1])) == "Test yourself"
    s3 = out.pages["storage/s3/index.md"]
    assert "[Test yourself on this page](../../test-yourself/index.md?page=s3)" in s3
    assert TSV in out.assets


def test_the_trainer_markup_survives_the_sanitizer() -> None:
    html = (
        '<p><a class="ss-trainer-root" href="../numbers-to-know/">Numbers</a></p>\n'
        '<div class="ss-trainer" data-ss-cards="storage">\n'
        '<p class="ss-trainer-wait">The cards need JavaScript to show.</p>\n</div>'
    )
    assert sanitize(html) == html


def test_report_counts_cards_by_kind(out: SiteOutput) -> None:
    cards = Report.of(out).to_json()["cards"]
    assert cards["total"] == len(out.cards)
    assert set(cards["by_kind"]) == set(KINDS)
    assert sum(cards["by_kind"].values()) == cards["total"]


def test_export_writes_the_cards(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "notes").mkdir(parents=True)
    (project / "notes" / "sqs.md").write_text(SMALL_NOTE, encoding="utf-8")
    (project / "catalog").symlink_to(ROOT / "catalog", target_is_directory=True)
    assert main(["--root", str(project), "export", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / SCRIPT).read_text(encoding="ascii").startswith("window.")
    assert (tmp_path / "out" / TSV).read_text(encoding="utf-8").startswith("#separator:tab")
    assert (tmp_path / "out" / INDEX).is_file()
