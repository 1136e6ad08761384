"""The site built from the five seed notes: pages, coverage, accounting, routing checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studysite.build import Site
from studysite.report import Report
from studysite.routing.route import UNSORTED
from studysite.site import SiteOutput, generate

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "notes"
CATALOG = ROOT / "catalog" / "services.yml"
N000, N001, N002, N003, N004 = sorted(p.name for p in NOTES.glob("00*.txt"))

CORE_SERVICES = [
    "ec2",
    "s3",
    "ebs",
    "efs",
    "rds",
    "aurora",
    "dynamodb",
    "elasticache",
    "vpc",
    "route-53",
    "cloudfront",
    "elb",
    "ec2-auto-scaling",
    "lambda",
    "sqs",
    "sns",
    "kinesis-data-streams",
    "kinesis-data-firehose",
    "iam",
    "kms",
    "cloudwatch",
    "cloudtrail",
]


@pytest.fixture(scope="module")
def out(seed_output: SiteOutput) -> SiteOutput:
    return seed_output


@pytest.fixture(scope="module")
def site(out: SiteOutput) -> Site:
    return out.site


def page_of(site: Site, file: str, line: int) -> str:
    """The page the given source line landed on."""
    for note in site.notes:
        if note.file == file:
            for part in note.parts:
                if line in part.line_numbers:
                    return part.page
    raise AssertionError(f"{file}:{line} is on no page")


def test_at_least_100_pages(site: Site) -> None:
    assert len([p for p in site.pages if p != UNSORTED]) >= 100


@pytest.mark.parametrize("service", CORE_SERVICES)
def test_core_services_carry_three_notes(out: SiteOutput, service: str) -> None:
    page = out.site.pages[service]
    markdown = out.pages[page.path]
    # Sections of their own, plus quotes of what other notes say about it in passing.
    quoted = set(re.findall(r"\*([^*]+)\*, in \[", markdown))
    titles = {n.title.replace("(", "\\(") for n in out.site.notes if n.file in page.notes}
    notes = len(page.notes) + len({q for q in quoted if q not in titles})
    assert notes >= 3, f"{service} has content from {notes} notes"


def test_every_line_accounted(site: Site) -> None:
    for note in site.notes:
        assert note.unaccounted == [], note.file
        placed = {no for p in note.parts for no in p.line_numbers}
        noise = {n.no for n in note.noise}
        assert not placed & noise, note.file
        content = {i for i, line in enumerate(note.lines, 1) if line.strip()}
        assert placed | noise == content, note.file


def test_unsorted_at_most_two_percent(out: SiteOutput) -> None:
    data = Report.of(out).to_json()
    lines = sum(n["lines"] - n["noise"] for n in data["notes"])
    unsorted = sum(n["unsorted"] for n in data["notes"])
    assert unsorted / lines <= 0.02


@pytest.mark.parametrize(
    ("file", "lines", "page"),
    [
        (N001, range(2119, 2332, 7), "route-53"),  # Section 10 is missing: spliced under RDS
        (N001, range(4839, 4947, 7), "api-gateway"),  # after DynamoDB Global Tables
        (N000, [2006, 2008], "amazon-mq"),  # `### Amazon MQ` filed under Kinesis
        (N000, [2028, 2030], "eventbridge"),  # `### Event Bridge` filed under Kinesis
        (N002, [207, 209], "ec2-auto-scaling"),  # ASG under the load balancer heading
        (N003, [852], "aurora"),
        (N004, range(352, 389), "aurora"),  # four `Amazon Aurora Serverless` cards
    ],
)
def test_routing(site: Site, file: str, lines: range | list[int], page: str) -> None:
    note = next(n for n in site.notes if n.file == file)
    noise = {n.no for n in note.noise}
    content = [no for no in lines if note.lines[no - 1].strip() and no not in noise]
    family = {page, *(c.id for c in site.catalog.children(page))}
    misplaced = {no: page_of(site, file, no) for no in content}
    assert {no: p for no, p in misplaced.items() if p not in family} == {}


def test_aurora_serverless_cards_make_one_section(site: Site) -> None:
    note = next(n for n in site.notes if n.file == N004)
    titled = [p for p in note.parts if p.title_line in (352, 358, 370, 380)]
    assert [p.title_line for p in titled] == [352]
    assert {358, 370, 380} <= {n.no for n in note.noise}


def test_two_runs_are_byte_identical(out: SiteOutput) -> None:
    again = generate(NOTES, CATALOG, ROOT / "docs")
    assert again.pages == out.pages
    assert again.nav == out.nav


def test_pages_nest_under_their_parent(site: Site) -> None:
    for child, parent in [("alb", "elb"), ("aurora", "rds"), ("s3-glacier", "s3")]:
        assert child in site.pages[parent].children
        assert site.pages[child].path.startswith(site.pages[parent].path.rsplit("/", 1)[0])


def test_core_never_imports_mkdocs() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(mkdocs|material)\b", re.MULTILINE)
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "src" / "studysite").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_page_has_two_blank_lines_in_a_row(out: SiteOutput) -> None:
    # The backlinks appendix and every block join with one blank line: a page that grows
    # runs of blank lines has lost track of where its parts end.
    loose = [path for path, text in out.pages.items() if "\n\n\n" in text]
    assert not loose, loose[:5]
