"""Practice questions (question, choices, answer, explanation) and #tags, in any note.

The recogniser is pinned table by table on the two formats of the qa corpus, the plain forms
and the look-alikes that must stay text; routing, rendering and the report are checked on
small notes folders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studysite.model import Line, unaccounted_lines
from studysite.readers import read_note
from studysite.readers.questions import find_blocks
from studysite.readers.tags import extract_tags
from studysite.render.questions import render_question
from studysite.report import Report
from studysite.site import generate

ROOT = Path(__file__).resolve().parents[1]

QA_OLD = """\
1. AWS allows users to manage their resources using a web based user interface. What is it?
    - A. AWS CLI.
    - B. AWS API.
    - C. AWS SDK.
    - D. AWS Management Console.

    <details markdown=1><summary markdown='span'>Answer</summary>
      Correct answer: D
    </details>

2. Which of the below options are related to the reliability of AWS? (Choose TWO)
    - A. Applying the principle of least privilege to all AWS resources.
    - B. Automatically provisioning new resources to meet demand.
    - C. All AWS services are considered Global Services.
    - D. Providing compensation to customers if issues occur.
    - E. Ability to recover quickly from failures.

    <details markdown=1><summary markdown='span'>Answer</summary>
      Correct answer: B, E
    </details>
"""

QA_NEW = """\
1. Which AWS service helps identify malicious activity in AWS accounts? <br/> Pick one.
    - A. Amazon Rekognition
    - B. AWS Trusted Advisor
    - C. Amazon GuardDuty
    - D. Amazon CloudWatch

    <details markdown=1><summary markdown="span">Answer</summary>

    Correct Answer: C

    Explanation: <https://aws.amazon.com/guardduty/>

    </details>

2. Which AWS services can host a Microsoft SQL Server database? (Select TWO)
    - A. Amazon EC2
    - B. Amazon Relational Database Service (Amazon RDS)
    - C. Amazon Aurora

    <details markdown=1><summary markdown="span">Answer</summary>

    Correct Answer: AB

    </details>
"""

PLAIN = """\
Q1. A company needs a queue that decouples two services. Which service fits?
A) Amazon SNS
B) Amazon SQS
Answer: B
Explanation: SQS is a pull-based queue;
SNS pushes to subscribers.

This paragraph is no part of the question.

Question 2: Which TWO store objects or files? (Choose TWO)
(a) Amazon S3
(b) Amazon EFS
(c) Amazon Route 53
Correct answer: A, B

3) Which one is a CDN?
a. CloudFront
b. Direct Connect
**Answer:** a
"""

STEPS = """\
1. Open the console
2. Choose Create bucket
    - A. name it
    - B. pick a Region
3. Upload a file (the answer: C is not an answer line here, it ends no question)
"""

IN_CODE = """\
```text
1. Which service stores objects?
A) S3
B) EBS
Answer: A
```
"""

OUT_OF_ORDER = """\
1. Which service stores objects?
b. EBS
a. S3
Answer: a
"""

NO_ANSWER = """\
Q1. Which service stores objects?
A) S3
B) EBS
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(QA_OLD, [(1, 9, ("D",)), (11, 20, ("B", "E"))], id="qa-exams-1-12"),
        pytest.param(QA_NEW, [(1, 13, ("C",)), (15, 24, ("A", "B"))], id="qa-exams-13-23"),
        pytest.param(
            PLAIN, [(1, 6, ("B",)), (10, 14, ("A", "B")), (16, 19, ("A",))], id="plain-forms"
        ),
        pytest.param(STEPS, [], id="numbered-steps-are-no-question"),
        pytest.param(IN_CODE, [], id="inside-fenced-code"),
        pytest.param(OUT_OF_ORDER, [], id="choices-out-of-order"),
        pytest.param(NO_ANSWER, [], id="no-answer"),
    ],
)
def test_question_blocks_are_recognised(text: str, expected: list[tuple]) -> None:
    blocks = find_blocks(text.split("\n"))
    assert [(b.first, b.last, b.answer) for b in blocks] == expected


@pytest.mark.parametrize(("text", "count"), [(QA_OLD, 2), (QA_NEW, 2), (PLAIN, 3), (STEPS, 0)])
@pytest.mark.parametrize("name", ["exam.md", "exam.txt"])
def test_each_question_is_its_own_section_and_every_line_lands_once(
    text: str, count: int, name: str
) -> None:
    lines = ["# Practice", "", *text.split("\n")] if name.endswith(".md") else text.split("\n")
    tree, _ = read_note(name, lines)
    questions = [s for s in tree.sections() if s.kind == "question"]
    assert len(questions) == count
    assert unaccounted_lines(lines, tree) == []
    for q in questions:
        assert q.title.startswith("Question: ")
        assert q.title_line is not None
        assert q.body[0].no == 0  # the first line is the title line: counted once
        assert q.body[0].text == lines[q.title_line - 1]


def test_render_question_hides_answer_and_explanation() -> None:
    lines = PLAIN.split("\n")
    block = [Line(0, lines[0]), *(Line(no, lines[no - 1]) for no in range(2, 7))]
    markdown, q = render_question(block, "quiz.txt", 1)
    visible, hidden = markdown.split('??? success "Answer"\n')
    assert "A company needs a queue" in visible
    assert "- **A.** Amazon SNS" in visible
    assert "- **B.** Amazon SQS" in visible
    assert "Answer: B" not in visible
    assert "pull-based" not in visible
    assert all(not t or t.startswith("    ") for t in hidden.split("\n"))
    assert "**Correct answer: B**" in hidden
    assert "SQS is a pull-based queue;" in hidden
    assert q.answer == ("B",)
    assert q.choices == (("A", "Amazon SNS"), ("B", "Amazon SQS"))
    assert (q.file, q.line) == ("quiz.txt", 1)
    assert q.explanation == "SQS is a pull-based queue;\nSNS pushes to subscribers."


def test_qa_answer_in_details_renders_without_the_html() -> None:
    tree, _ = read_note("exam.md", QA_NEW.split("\n"))
    first = next(s for s in tree.sections() if s.kind == "question")
    markdown, q = render_question(first.body)
    assert "<details" not in markdown
    assert "</details>" not in markdown
    assert q.answer == ("C",)
    assert q.explanation == "<https://aws.amazon.com/guardduty/>"
    assert q.text.endswith("<br/> Pick one.")


QUIZ = """\
# Exam practice

1. Several EC2 instances were terminated. Which service shows who took this action?
    - A. Amazon Inspector
    - B. AWS CloudTrail
    - C. AWS Trusted Advisor

    Correct answer: B

## Amazon S3

1. What is the largest object size?
    - A. 5 GB
    - B. 5 TB
    Answer: B

## Thoughts

1. Which option is the best?
    - A. This one
    - B. That one
    Answer: A
"""


def test_questions_route_by_their_text_then_context_and_are_reported(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "quiz.md").write_text(QUIZ, encoding="utf-8")
    out = generate(notes, ROOT / "catalog" / "services.yml", tmp_path / "docs")
    parts = [p for n in out.site.notes for p in n.parts if p.kind == "question"]
    # The correct choice names CloudTrail, the question EC2: the answer counts double.
    assert [p.page for p in parts] == ["cloudtrail", "s3", "unsorted"]
    report = Report.of(out).to_json()
    assert report["questions"] == [
        {"page": "cloudtrail", "file": "quiz.md", "line": 3, "answer": "B"},
        {"page": "s3", "file": "quiz.md", "line": 12, "answer": "B"},
        {"page": "unsorted", "file": "quiz.md", "line": 19, "answer": "A"},
    ]
    page = out.pages["management-and-governance/cloudtrail.md"]
    assert "## Practice questions" in page
    assert (
        'Several <abbr title="Elastic Compute Cloud">EC2</abbr> instances were terminated' in page
    )
    assert '??? success "Answer"' in page
    assert "practice questions: 3, 2 on a service or topic page" in Report.of(out).to_text()


# -- tags ----------------------------------------------------------------------------------

TAGGED = """\
---
tags: [exam, aws/storage]
---
#Amazon #aws/storage

# S3 { #s3 }

Remember the limits #exam-tip, not C# or https://example.com/page#anchor or [x](#s3).

```sh
#notatag
```

`#code` and #1 are no tags either.
"""


def test_tags_lines_become_noise_and_tags_become_note_tags() -> None:
    lines = TAGGED.split("\n")
    tree, _ = read_note("s3.md", lines)
    assert tree.tags == ["exam", "aws/storage", "Amazon", "exam-tip"]
    reasons = {n.no: n.reason for n in tree.noise}
    assert reasons[4] == "tags line"
    body = [ln.text for s in tree.root.walk() for ln in s.body]
    assert any("#exam-tip" in t for t in body)  # a tag in a sentence stays in it
    assert unaccounted_lines(lines, tree) == []


def test_extract_tags_without_any_tag_leaves_the_tree_alone() -> None:
    lines = ["# Title", "", "Text with # a hash and a heading above."]
    tree, _ = read_note("n.md", lines)
    extract_tags(tree, lines)
    assert tree.tags == []


def test_note_tags_are_front_matter_tags_of_the_pages_it_feeds(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "Storage").mkdir(parents=True)
    (notes / "Storage" / "S3.md").write_text(
        "#Amazon #aws/storage\n\nBuckets hold objects.\n", encoding="utf-8"
    )
    out = generate(notes, ROOT / "catalog" / "services.yml", tmp_path / "docs")
    page = out.pages["storage/s3.md"]
    front = page.split("---")[1]
    assert '"Amazon"' in front
    assert '"aws/storage"' in front
    assert "#Amazon" not in page
    assert out.site.notes[0].tags == ("Amazon", "aws/storage")


def test_only_a_numbered_line_opens_a_question() -> None:
    # Choices and an answer after an unnumbered line are no question: a note's prose often
    # runs into a lettered list ("Pick one of these:").
    lines = ["Pick one of these:", "A. SQS", "B. SNS", "Answer: A"]
    assert find_blocks(lines) == []
    assert [(b.first, b.last) for b in find_blocks(["1. Which one queues?", *lines[1:]])] == [
        (1, 4)
    ]


def test_a_question_never_runs_across_a_section_title() -> None:
    # Its choices stop at a title (line 4): the answer after it belongs to no question.
    lines = ["1. Which one queues?", "A. SQS", "B. SNS", "## Next part", "Answer: A"]
    assert find_blocks(lines, stops={4}) == []
    assert [(b.first, b.last) for b in find_blocks(lines)] == [(1, 5)]


def test_text_indented_under_the_question_line_belongs_to_it() -> None:
    # The question's own indent (0) decides, not its choices' (3): after a blank line, text
    # indented two spaces is still the question's.
    lines = [
        "1. Which one queues?",
        "   A. SQS",
        "   B. SNS",
        "   Answer: A",
        "",
        "  More.",
        "",
        "Next",
    ]
    assert [(b.first, b.last) for b in find_blocks(lines)] == [(1, 6)]
