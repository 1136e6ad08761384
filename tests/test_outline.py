"""Pages merged by topic: one outline per page, every note's words under it, marks that link
to the notes as written and back (issue: merge each service page by topic)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shared import shared

from studysite.model import SiteOutput, Topic, TopicSpec
from studysite.report import Report
from studysite.routing.catalog import load_catalog
from studysite.routing.topics import (
    Outline,
    build_outline,
    clean_title,
    display_title,
    outline_of,
    page_names,
    slugify,
    words,
)

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog" / "services.yml"


# -- headings compared as words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("📘 3.1 Amazon S3", "Amazon S3"),
        ("Section 4: Storage", "Storage"),
        ("Chapter 3 – S3 Basics", "S3 Basics"),
        ("🔶 Object Storage Basics", "Object Storage Basics"),
        ("2.2 Policies", "Policies"),
        ("__Networking__", "Networking"),
        ("3 Tier Architecture", "Tier Architecture"),
    ],
)
def test_clean_title_drops_numbering_and_decoration(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Buckets & Objects", "bucket and object"),
        ("Lifecycle Rules", "lifecycle rule"),
        ("Bucket Policies", "bucket policy"),
        ("Storage Classes", "storage class"),
    ],
)
def test_plurals_and_ampersands_fold(a: str, b: str) -> None:
    assert words(a) == words(b)


def test_page_names_are_the_name_short_name_and_spelled_out_acronym() -> None:
    names = page_names(
        "Amazon S3", "S3", ["S3", "Simple Storage Service", "S3 Replication", "MFA Delete"]
    )
    assert set(names) == {("s3",), ("simple", "storage", "service")}
    ec2 = page_names("Amazon EC2", "EC2", ["Elastic Compute Cloud", "EC2 instance types"])
    assert ("elastic", "compute", "cloud") in ec2
    assert ("ec2", "instance", "type") not in ec2


@pytest.fixture(scope="module")
@shared
def s3():
    return outline_of(load_catalog(CATALOG), "s3")


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Amazon S3 – Replication (CRR & SRR)", "replication"),
        ("S3 Lifecycle Rules (With S3 Analytics)", "lifecycle"),
        ("Bucket settings to Block Public Access", "security"),  # longest phrase wins
        ("You can encrypt objects in S3 buckets using one of 4 methods", "encryption"),
        ("CloudFront Signed URL vs S3 Pre-Signed URL", "presigned-urls"),
        ("Buckets & Objects - Hands on", "hands-on"),  # a strong slot wins
        ("Kinesis exam notes", "exam-tips"),
        ("Amazon S3 – Summary", "summary"),
        ("Types of Versioning", "versioning"),
        ("Components of Lifecycle configurations", "lifecycle"),
        # A weak slot named first still loses to the subtopic named after it.
        ("Intro to versioning", "versioning"),
        ("Summary of versioning", "versioning"),
    ],
)
def test_a_heading_names_its_subtopic(s3, title: str, topic: str) -> None:
    h = s3.classify(title)
    assert h.topic is not None, h
    assert h.topic.id == topic, h


@pytest.mark.parametrize(
    ("title", "context", "topic", "label"),
    [
        # A weak slot ("Theory") takes the subtopic of the heading before or above it.
        ("Theory", [("Versioning", False)], "versioning", ""),
        ("Theory", [("Intro", True), ("S3 Replication", True)], "replication", ""),
        ("Intro", [], "overview", ""),
        ("Theory", [("Amazon S3", True)], "overview", ""),
        # A named heading after a named sibling stands on its own ...
        ("Requester Pays Bucket", [("Amazon S3 – Lifecycle Rules", False)], "requester-pays", ""),
        # ... but under a parent it is a sub-part of the parent's subtopic.
        ("Storage comparison", [("Encryption", True)], "encryption", "Storage comparison"),
        # "Option 1", "Method 2": more of the heading before.
        ("Option 1: make it public", [("S3 Static Websites", False)], "static-website", "x"),
        # Hands-on keeps its context as a label.
        ("Hands on", [("S3 Static Websites", False)], "hands-on", "S3 Static Websites"),
        ("S3", [], "overview", ""),
        # A heading naming the page itself opens its Overview again, whatever came before.
        ("Amazon S3", [("Versioning", False)], "overview", ""),
        # So does one naming only its domain ("Cloud Storage" on the S3 page).
        ("Cloud Storage", [("Versioning", False)], "overview", ""),
        ("", [("Versioning", True)], "versioning", ""),
    ],
)
def test_a_heading_that_names_nothing_takes_its_context(
    s3, title: str, context: list[tuple[str, bool]], topic: str, label: str
) -> None:
    got, got_label = s3.place(title, context)
    assert got.id == topic
    assert got_label == (title if label == "x" else label)


def test_a_heading_naming_nothing_known_makes_its_own_subtopic_once(s3) -> None:
    a, _ = s3.place("Hybrid cloud storage", [])
    b, _ = s3.place("Hybrid Cloud Storage", [])
    assert a is b
    assert a.own
    assert a.title == "Hybrid cloud storage"


# -- the five notes, merged ----------------------------------------------------------------

SERVICE_PAGES = {
    "s3": "storage/s3/index.md",
    "ec2": "compute/ec2/index.md",
    "rds": "database/rds/index.md",
    "vpc": "networking-and-content-delivery/vpc/index.md",
    "lambda": "compute/lambda.md",
    "dynamodb": "database/dynamodb/index.md",
}
HEADING = re.compile(r"^(#{2,6}) (.*?)(?: \{[^}]*\})?$", re.M)
BOILERPLATE = {"compared with", "mentioned in", "related services", "in other notes in passing"}


@pytest.fixture(scope="module")
def out(seed_output: SiteOutput) -> SiteOutput:
    return seed_output


def _service_pages(out: SiteOutput) -> dict[str, str]:
    return {
        p.path: out.pages[p.path]
        for p in out.site.pages.values()
        if p.entry is not None and p.path in out.pages
    }


def _headings(markdown: str) -> list[tuple[int, str]]:
    return [(len(m.group(1)), m.group(2)) for m in HEADING.finditer(markdown)]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"&amp;|[^\w\s]", " ", text.lower()).split())


def test_no_heading_repeats_on_a_service_page(out: SiteOutput) -> None:
    repeated = {}
    for path, md in _service_pages(out).items():
        seen = [_norm(t) for _, t in _headings(md)]
        dup = {t for t in seen if seen.count(t) > 1}
        if dup:
            repeated[path] = dup
    assert repeated == {}


def test_no_heading_is_followed_by_nothing(out: SiteOutput) -> None:
    empty = []
    for path, md in _service_pages(out).items():
        lines = [ln for ln in md.splitlines() if ln.strip()]
        for i, line in enumerate(lines):
            m = HEADING.match(line)
            if not m or _norm(m.group(2)) in BOILERPLATE:
                continue
            nxt = HEADING.match(lines[i + 1]) if i + 1 < len(lines) else None
            if i + 1 == len(lines) or (nxt and len(nxt.group(1)) <= len(m.group(1))):
                empty.append((path, m.group(2)))
    assert empty == []


def test_generic_headings_are_slots_now(out: SiteOutput) -> None:
    for path, md in _service_pages(out).items():
        titles = [_norm(t) for _, t in _headings(md)]
        assert not {"intro", "introduction", "theory", "outro"} & set(titles), path
        assert titles.count("hands on") <= 1, path


def test_no_file_hash_in_page_text(out: SiteOutput) -> None:
    stems = [Path(n.file).stem for n in out.site.notes]
    for path, md in out.pages.items():
        # Link targets and HTML attributes are addresses, not text a reader sees.
        text = re.sub(r"\]\([^)]*\)|\b(?:href|src)=\"[^\"]*\"", "", md)
        assert not [s for s in stems if s in text], path


@pytest.mark.parametrize("title", ["Replication", "Lifecycle", "Event notifications"])
def test_s3_subtopic_is_one_heading(out: SiteOutput, title: str) -> None:
    titles = [t for level, t in _headings(out.pages[SERVICE_PAGES["s3"]]) if level == 2]
    assert titles.count(title) == 1


def test_s3_table_of_contents_is_short(out: SiteOutput) -> None:
    assert len(_headings(out.pages[SERVICE_PAGES["s3"]])) <= 40


# The outline of each core page (H2 headings before the site's own sections). A routing or
# subtopic change shows here as a reviewable difference.
OUTLINES = {
    "s3": [
        "Overview",
        "Buckets &amp; objects",
        "Versioning",
        "Replication",
        "Encryption",
        "Security &amp; access",
        "Object Lock",
        "Pre-signed URLs",
        "Static website hosting",
        "CORS",
        "Lifecycle",
        "Event notifications",
        "Performance",
        "Access logs",
        "Limits",
        "Multiple Origin",
        "Export",
        "Summary",
        "Hands-on",
    ],
    "ec2": [
        "Overview",
        "Instance types",
        "Purchasing options",
        "Security groups",
        "Access &amp; SSH",
        "User data &amp; metadata",
        "Networking &amp; IP addresses",
        "Hibernate",
        "Nitro",
        "AMIs &amp; launching",
        "Monitoring &amp; status checks",
        "Security",
        "High availability",
        "Instances",
        "EC2 - on Service CPU usage",
        "Should only be accessed from LB",
        "Load Balancer",
        "Hands-on",
    ],
    "rds": [
        "Overview",
        "Storage Auto Scaling",
        "Read replicas",
        "Multi-AZ",
        "Backups &amp; snapshots",
        "Encryption",
        "Security",
        "RDS Custom",
        "Scaling",
        "MySQL to Aurora MySQL",
        "Summary",
        "Hands-on",
    ],
    "vpc": [
        "Overview",
        "CIDR &amp; IP addressing",
        "Subnets",
        "Internet gateway &amp; route tables",
        "Bastion hosts",
        "Peering &amp; endpoints",
        "DNS resolution",
        "EC2-Classic &amp; ClassicLink",
        "Hands-on",
    ],
    "lambda": [
        "Overview",
        "Invocation &amp; triggers",
        "Limits",
        "Networking &amp; VPC",
        "RDS Proxy",
        "Monitoring",
    ],
    "dynamodb": [
        "Overview",
        "Capacity modes",
        "Streams",
        "Global tables",
        "Transactions",
        "API operations",
        "Lambda with RDS Proxy",
        "Summary",
    ],
}


@pytest.mark.parametrize("page", sorted(OUTLINES))
def test_core_page_outline(out: SiteOutput, page: str) -> None:
    titles = [
        t
        for level, t in _headings(out.pages[SERVICE_PAGES[page]])
        if level == 2 and _norm(t) not in BOILERPLATE
    ]
    assert titles == OUTLINES[page]


@pytest.mark.parametrize(
    ("file", "lines", "page", "topic"),
    [
        # A generic sub-heading keeps its parent's service: Lambda's networking bullets.
        ("000_ce436b559260a9a3.txt", range(338, 346), "lambda", "in-vpc"),
        # Under "SQS, SNS & Kinesis", Kinesis bullets go to Kinesis, even those naming
        # no service ("partition key", "shard" are Kinesis Data Streams' subtopics), and
        # take no subtopic from a title about three services.
        ("003_9d390e5a3ddb1340.txt", [656, 662], "kinesis-data-streams", "overview"),
        ("003_9d390e5a3ddb1340.txt", range(678, 683), "kinesis-data-streams", "overview"),
        ("003_9d390e5a3ddb1340.txt", [658], "kinesis-data-firehose", "overview"),
        ("003_9d390e5a3ddb1340.txt", [654], "sns", "overview"),
        # "__Health Checks__" after "__Multi-value__" is Route 53's, not a routing policy.
        ("000_ce436b559260a9a3.txt", [1721], "route-53", "health-checks"),
    ],
)
def test_content_routing(out: SiteOutput, file: str, lines, page: str, topic: str) -> None:
    note = next(n for n in out.site.notes if n.file == file)
    for no in lines:
        if not note.lines[no - 1].strip():
            continue
        part = next(p for p in note.parts if no in p.line_numbers)
        assert (part.page, part.topic) == (page, topic), no


def test_parts_cover_every_placed_line_once(out: SiteOutput) -> None:
    parts = Report.of(out).to_json()["parts"]
    for note in out.site.notes:
        placed = {no for p in note.parts for no in p.line_numbers}
        spans = [(e["first"], e["last"]) for e in parts if e["file"] == note.file]
        covered: dict[int, int] = {}
        for first, last in spans:
            for no in range(first, last + 1):
                if no in placed:
                    covered[no] = covered.get(no, 0) + 1
        assert set(covered) == placed, note.file
        assert max(covered.values()) == 1, note.file
    assert all(e["page"] and e["subtopic"] and e["anchor"] for e in parts)


def _ids(markdown: str) -> set[str]:
    return set(re.findall(r"\{:? ?#([\w-]+)", markdown)) | set(
        re.findall(r'id="([^"]+)"', markdown)
    )


def test_source_marks_and_note_pages_link_both_ways(out: SiteOutput) -> None:
    import posixpath

    checked = 0
    for path, md in out.pages.items():
        for href in re.findall(r"\]\(([^)\s]+#l\d+) \"", md) + re.findall(
            r"\]\(([^)\s]+#[\w-]+)\)", md if path in out.unlisted else ""
        ):
            target, anchor = href.split("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert anchor in _ids(out.pages[target]), (path, href)
            checked += 1
    assert checked > 1000


def test_every_note_has_a_page_as_written(out: SiteOutput) -> None:
    assert len(out.unlisted) == len(out.site.notes)
    for path in out.unlisted:
        assert "search:\n  exclude: true" in out.pages[path]


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        # A leading page name goes: what is left is the subtopic's title.
        ("S3 Access Logs", "Access Logs"),
        ("Amazon S3 – replication", "Replication"),
        ("S3: Event Notifications", "Event Notifications"),
        # It stays when what is left would not stand alone, or when nothing is left.
        ("S3 and CloudFront", "S3 and CloudFront"),
        ("Amazon S3", "Amazon S3"),
        ("Access Logs", "Access Logs"),
    ],
)
def test_display_title_drops_a_leading_page_name(title: str, shown: str) -> None:
    names = page_names("Amazon S3", "S3", ["Amazon S3", "S3", "Simple Storage Service"])
    assert display_title(title, names) == shown


def test_a_note_title_with_angle_brackets_is_a_plain_page_title(tmp_path: Path) -> None:
    from sitebuild import generate_notes

    out = generate_notes(tmp_path, {"a.md": "# S3 <-> Glacier\n\nLifecycle moves objects.\n"})
    front = out.pages["notes/a.md"].split("---")[1]
    assert 'title: "S3 - Glacier (as written)"' in front


def test_the_unsorted_page_says_what_it_holds_and_folds_the_owners_advice(
    out: SiteOutput,
) -> None:
    page = out.pages["unsorted.md"]
    assert '<p class="ss-summary">Sections no rule could route.</p>' in page
    assert '??? note "For the notes\' owner: placing these sections"' in page
    assert '(see the README, "When a section lands on the wrong page").' in page


def test_display_title_drops_the_longest_page_name_first() -> None:
    # "S3 Glacier" before "S3": the page's fuller name leaves the subtopic alone.
    names = [("s3",), ("s3", "glacier")]
    assert display_title("S3 Glacier Deep Archive", names) == "Deep Archive"


@pytest.mark.parametrize(
    ("anchors", "topic_id"),
    [
        # The anchor's id is one of the topic's phrases, its heading phrase is not ...
        ({"speed": ("Widget velocity tricks",)}, "speed"),
        # ... or its heading phrase is, and its id is not: either way the topic takes its id.
        ({"perf-x": ("Widget performance",)}, "perf-x"),
        ({"other": ("Widget velocity",)}, "performance"),
    ],
)
def test_a_topic_takes_the_id_of_the_anchor_it_covers(
    anchors: dict[str, tuple[str, ...]], topic_id: str
) -> None:
    own = [TopicSpec("Performance", ("performance", "speed"))]
    outline = build_outline("Amazon Widget", "Widget", [], anchors, own, [], [])
    performance = next(t for t in outline.topics if t.title == "Performance")
    assert performance.id == topic_id


def test_a_notes_own_subtopic_never_takes_a_catalog_topics_id() -> None:
    # A catalog topic whose id a note's heading slugifies to, though its phrases differ.
    catalog = Topic("hybrid-storage", "Gateways", (("gateway",),))
    outline = Outline([catalog], names=())
    own = outline.own_topic("Hybrid storage")
    again = outline.own_topic("Hybrid Storage!")
    other = outline.own_topic("Hybrid storage?!")
    assert own.id == "hybrid-storage-2"
    assert again is own
    assert other is own


@pytest.mark.parametrize(
    ("title", "anchor"),
    [("Lifecycle Rules (S3)", "lifecycle-rules-s3"), ("🚀 ✨", "section"), ("--", "section")],
)
def test_a_heading_with_no_words_gets_the_anchor_section(title: str, anchor: str) -> None:
    assert slugify(title) == anchor
