"""Routing decisions on hand-made section trees (no reader involved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared import shared
from sitebuild import generate_notes

from studysite.model import Line, Note, NoteTree, Section
from studysite.routing.aliases import catalog_matcher
from studysite.routing.catalog import load_catalog
from studysite.routing.overrides import Rule
from studysite.routing.route import UNSORTED, Router, route_tree, split_blocks

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
@shared
def router() -> Router:
    catalog = load_catalog(ROOT / "catalog" / "services.yml")
    return Router(
        catalog, catalog_matcher(catalog), catalog_matcher(catalog, include_context_only=False)
    )


def sec(
    title: str, line: int, *children: Section, body: list[str] | None = None, flat: bool = False
) -> Section:
    lines = [Line(line + 1 + i, t) for i, t in enumerate(body or [])]
    return Section(title, line, 1, lines, list(children), flat=flat)


def pages_of(router: Router, *tops: Section, rules: tuple[Rule, ...] = ()) -> dict[str, str]:
    root = Section("", None, 0, [], list(tops), kind="root")
    parts = route_tree(NoteTree("n.md", "test", root), router, rules)
    out: dict[str, str] = {}
    for p in parts:
        if p.title_line is not None:
            out[p.title] = p.page
    return out


@pytest.mark.parametrize(
    ("title", "parent", "prev", "expected"),
    [
        ("Amazon SQS", None, None, "sqs"),
        ("Security", "sqs", None, "sqs"),  # generic titles inherit
        ("Hands on", None, "sns", "sns"),  # flat: the previous sibling is the context
        ("Cluster", "ec2", "placement-groups", "placement-groups"),  # feature of the parent
        ("Security", "sqs", "ec2-auto-scaling", "sqs"),  # a real sub-heading: its parent
        ("S3 Storage Classes", "s3", None, "s3-storage-classes"),
        ("SQS + ASG", "sqs", None, "sqs"),
        ("CloudWatch vs CloudTrail vs Config", "config", None, "monitoring-and-audit"),
        ("Kinesis vs SQS", "sqs", None, "sqs"),  # a comparison stays on the page it is on
        ("Application Load Balancer (ALB)", "elb", None, "alb"),
        ("EC2 Spot Instances", "ec2", None, "ec2-purchasing-options"),
        ("IAM Roles for ECS tasks", "ecs", None, "ecs"),
        ("Lambda in VPC", "lambda", None, "lambda"),
        ("Encryption", "rds", None, "rds"),  # a topic word under a service
        ("Pilot Light", None, "disaster-recovery", "disaster-recovery"),
        ("Serverless: Lambda", None, None, "lambda"),
        ("Storage Classes", None, "efs", "efs"),  # a section the catalog gives EFS
    ],
)
def test_decide(
    router: Router, title: str, parent: str | None, prev: str | None, expected: str
) -> None:
    # Headings under a page are real sub-headings; under nothing they are flat (toggles).
    flat = parent is None or prev == "placement-groups"
    route, _ = router.decide(Section(title, 1, 2, flat=flat), parent, prev)
    assert route == expected


def test_container_titles(router: Router) -> None:
    route, how = router.decide(Section("RDS + Aurora + ElastiCache", 1, 1), None, None)
    assert how == "container"
    assert route.named == ("rds", "aurora", "elasticache")  # type: ignore[union-attr]


def test_container_blocks_go_to_the_service_they_mention(router: Router) -> None:
    body = ["- SQS is a queue", "- SNS is pub/sub", "- more about SNS topics", "", "No name here"]
    root = Section("", None, 0, [], [sec("SQS, SNS & Kinesis", 1, body=body)], kind="root")
    parts = route_tree(NoteTree("n.md", "test", root), router)
    placed = {ln.text: p.page for p in parts for ln in p.lines if ln.text}
    assert placed["- SQS is a queue"] == "sqs"
    assert placed["- SNS is pub/sub"] == "sns"
    assert placed["No name here"] == "sns"  # follows the block before it


def test_untitled_content_with_no_service_is_unsorted(router: Router) -> None:
    out = pages_of(router, sec("My random thoughts", 1, body=["nothing to see"]))
    assert out == {"My random thoughts": UNSORTED}


def test_override_by_span_and_heading(router: Router) -> None:
    rules = (
        Rule(10, 20, None, "page", "route-53", "spliced"),
        Rule(None, None, "Intro", "page", "api-gateway", ""),
    )
    out = pages_of(
        router,
        sec("Amazon RDS", 1),
        sec("Records", 10, body=["A records"]),
        sec("Intro", 30),
        rules=rules,
    )
    assert out == {"Amazon RDS": "rds", "Records": "route-53", "Intro": "api-gateway"}


def test_every_line_lands_once(router: Router) -> None:
    tree = [
        sec(
            "RDS + Aurora",
            1,
            sec("Aurora", 5, body=["Aurora is fast"]),
            body=["RDS intro", "", "Aurora intro"],
        ),
        sec("Nothing known", 10, body=["x", "", "y"]),
    ]
    root = Section("", None, 0, [], tree, kind="root")
    parts = route_tree(NoteTree("n.md", "test", root), router)
    nos = [no for p in parts for no in p.line_numbers]
    assert sorted(nos) == sorted(set(nos))
    assert set(nos) == {1, 2, 4, 5, 6, 10, 11, 13}


def test_split_blocks_keeps_fences_whole() -> None:
    body = [
        Line(i, t) for i, t in enumerate(["- a", "- b", "", "```", "x", "", "y", "```", "para"], 1)
    ]
    blocks = split_blocks(body)
    assert [[ln.text for ln in b] for b in blocks] == [
        ["- a"],
        ["- b", ""],
        ["```", "x", "", "y", "```"],
        ["para"],
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (["    - a", "       - b", "", "para"], ["- a", "   - b", "", "para"]),
        (["  - a", "    - b"], ["  - a", "    - b"]),  # under four spaces: a list already
        (["", "    x = 1", "    y = 2"], ["", "    x = 1", "    y = 2"]),  # real code
        (["```", "    code", "```"], ["```", "    code", "```"]),
        (["    - a", "    - b"], ["- a", "- b"]),  # the whole body is its first block
    ],
)
def test_dedent_leading(body: list[str], expected: list[str]) -> None:
    from studysite.render.pages import dedent_leading

    lines = [Line(i, t) for i, t in enumerate(body, 1)]
    assert [ln.text for ln in dedent_leading(lines)] == expected


def _one_note(tmp_path: Path, name: str, text: str) -> Note:
    """The one note ``text`` makes, read and routed with the project's catalog."""
    [note] = generate_notes(tmp_path, {name: text}).site.notes
    return note


def test_a_topic_page_keeps_an_untitled_toggle_that_names_one_service_often(
    tmp_path: Path,
) -> None:
    # Topics (decoupling, caching) name services by nature: a toggle under one that names SQS
    # four times is still about the topic. Under a service page it would follow its body.
    text = (
        "▼ Section 1: Decoupling Applications\n▼ Synchronous vs asynchronous\n"
        "Services can call each other directly or through a middleware.\n"
        "A queue absorbs spikes.\n▼ Part 2\n- SQS decouples the web tier.\n"
        "- SQS buffers the writes.\n- SQS scales with load.\n- Use SQS for retries.\n"
        "▼ Section 2: Amazon SNS\nSNS pushes messages to subscribers.\n"
        "▼ Section 3: Amazon Kinesis\nKinesis streams data.\n"
    )
    note = _one_note(tmp_path, "a.txt", text)
    assert [(p.title, p.page) for p in note.parts] == [
        ("Decoupling Applications", "decoupling-applications"),
        ("Synchronous vs asynchronous", "decoupling-applications"),
        ("Part 2", "decoupling-applications"),
        ("Amazon SNS", "sns"),
        ("Amazon Kinesis", "kinesis"),
    ]


def test_text_before_the_first_title_is_an_untitled_first_part(tmp_path: Path) -> None:
    text = (
        "- Some words about Amazon SQS queues before any title.\n"
        "▼ Section 1: Amazon SNS\nSNS pushes messages.\n▼ Section 2: Amazon SQS\nSQS polls.\n"
        "▼ Section 3: Amazon Kinesis\nKinesis streams.\n"
    )
    note = _one_note(tmp_path, "a.txt", text)
    first = note.parts[0]
    assert (first.title, first.title_line, first.first_line) == ("", None, 1)


def test_blocks_under_a_title_naming_several_services_go_to_those_it_names(
    tmp_path: Path,
) -> None:
    # "RDS & Redshift" names two pages: each block goes to the one of them it mentions,
    # even when it mentions another service (S3) more often.
    text = (
        "# Study notes\n\n## RDS & Redshift\n\n"
        "- RDS keeps backups in S3 and exports to S3 too.\n\n"
        "- Redshift loads from S3 with COPY, and S3 holds the unload files.\n"
    )
    note = _one_note(tmp_path, "a.md", text)
    assert [(p.first_line, p.page) for p in note.parts] == [(3, "rds"), (7, "redshift")]


def test_a_bold_title_naming_a_subtopic_of_its_page_stays_whatever_its_body_names(
    tmp_path: Path,
) -> None:
    # "Networking" is one of Lambda's own subtopics (catalog/topics.yml): a body that names
    # RDS three times and Lambda never is still Lambda's networking, not an RDS section.
    text = (
        "# AWS Lambda notes\n\n**Cold starts**\n\nLambda runs your code without servers.\n\n"
        "**Networking**\n\n- Attach to subnets so it can reach Amazon RDS.\n"
        "- RDS connections are pooled by a proxy.\n- Put the RDS instance in a private subnet.\n"
    )
    note = _one_note(tmp_path, "n.md", text)
    assert [(p.title, p.page) for p in note.parts if p.title] == [
        ("Cold starts", "lambda"),
        ("Networking", "lambda"),
    ]


@pytest.mark.parametrize(
    ("text", "known"),
    [("Amazon S3", True), ("Amazon S3:", True), ("Amazon S3!", False), ("Amazon S3.", False)],
)
def test_a_known_title_names_entries_and_ends_no_sentence(
    router: Router, text: str, known: bool
) -> None:
    assert router.known_title(text) is known


@pytest.mark.parametrize(
    ("title", "context"),
    [
        ("Amazon Route 53", "route-53"),
        # A name the catalog keeps for context only ("Health Checks" may be Route 53's or a
        # load balancer's) does not make a whole note about one page.
        ("Health Checks", None),
        ("On Demand", None),
    ],
)
def test_a_note_is_about_the_page_its_title_names_unambiguously(
    router: Router, title: str, context: str | None
) -> None:
    from studysite.routing.notecontext import note_context

    tree = NoteTree("notes.md", "markdown", Section(title, 1, 0, kind="root"), title=title)
    assert note_context(tree, router) == context
