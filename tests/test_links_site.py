"""link_site on a small site: placement, anchors, backlinks, related pages, tooltips, report."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared import shared
from workcount import growth

from studysite.errors import ConfigError
from studysite.links import abbreviations, link_markdown, link_site
from studysite.links.rules import LinkRules, make_rule
from studysite.routing.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[1]

EC2 = "compute/ec2/index.md"
SQS = "application-integration/sqs.md"
SNS = "application-integration/sns.md"
ELB = "networking-and-content-delivery/elb/index.md"
ALB = "networking-and-content-delivery/elb/alb.md"
CATEGORY = "compute/index.md"

PAGES = {
    EC2: """---
title: "Amazon EC2"
---

# Amazon EC2 { #amazon-ec2 }

## From *Note A* { #from-note-a }

### Instances { #instances }

EC2 instances send messages to SQS. SQS again, and EC2 again.

#### Deeper { #deeper }

SQS under an H4 is still the same section.

### User Data { #user-data }

Scripts poll SQS and publish to SNS.
""",
    SQS: """---
title: "Amazon SQS"
---

# Amazon SQS { #amazon-sqs }

## Notes { #notes }

SQS works with SNS, and EC2 User Data scripts can poll it.
""",
    SNS: """# Amazon SNS { #amazon-sns }

SNS fans out to SQS queues. Subnet planning is someone else's job.
""",
    ELB: """# Elastic Load Balancing { #elb }

ELB comes as ALB and NLB.
""",
    ALB: """# Application Load Balancer { #alb }

An ALB is an ELB behind a Load Balancer name; EC2 targets.
""",
    CATEGORY: """# Compute

- [Amazon EC2](ec2/index.md)

EC2 and SQS are everywhere.
""",
}
PAGE_IDS = {EC2: "ec2", SQS: "sqs", SNS: "sns", ELB: "elb", ALB: "alb"}


@pytest.fixture(scope="module")
@shared
def linked(catalog: Catalog):
    return link_site(PAGES, PAGE_IDS, catalog)


def _links(graph, path: str) -> list[tuple[str, str]]:
    return [(k.text, k.href) for k in graph.links[path]]


def test_first_mention_per_section_and_no_self_link(linked) -> None:
    _, graph, _ = linked
    # One SQS link per H2/H3 section (the H4 belongs to "Instances"); EC2 never links itself.
    assert _links(graph, EC2) == [
        ("SQS", "../../application-integration/sqs.md"),
        ("SQS", "../../application-integration/sqs.md"),
        ("SNS", "../../application-integration/sns.md"),
    ]
    assert [k.section for k in graph.links[EC2]] == [3, 4, 4]


def test_never_links_the_parent_section(linked) -> None:
    _, graph, _ = linked
    assert _links(graph, ELB) == [("ALB", "alb.md")]  # a child is fine; NLB has no page
    assert _links(graph, ALB) == [("EC2", "../../compute/ec2/index.md")]  # no ELB: the parent


def test_anchor_link_when_the_target_has_the_heading(linked) -> None:
    _, graph, _ = linked
    assert ("EC2 User Data", "../compute/ec2/index.md#user-data") in _links(graph, SQS)


def test_anchor_missing_on_target_links_the_page(catalog: Catalog) -> None:
    pages = dict(PAGES)
    pages[EC2] = pages[EC2].replace("{ #user-data }", "{ #scripts }")
    _, graph, diags = link_site(pages, PAGE_IDS, catalog)
    assert ("EC2 User Data", "../compute/ec2/index.md") in _links(graph, SQS)
    assert [(d.file, d.level) for d in diags] == [(EC2, "info")]
    assert "#user-data" in diags[0].message


def test_anchor_only_alias_needs_the_anchor(linked) -> None:
    _, graph, _ = linked
    assert "Subnet" not in [text for text, _ in _links(graph, SNS)]


def test_non_catalog_pages_are_linked_but_are_no_targets(linked) -> None:
    pages, graph, _ = linked
    assert _links(graph, CATEGORY) == [
        ("EC2", "ec2/index.md"),
        ("SQS", "../application-integration/sqs.md"),
    ]
    assert "- [Amazon EC2](ec2/index.md)" in pages[CATEGORY]


def test_mentioned_in_most_links_first_with_counts(linked) -> None:
    pages, graph, _ = linked
    page = pages[SQS]
    assert "## Mentioned in { #mentioned-in data-search-exclude }" in page
    block = page.split("## Mentioned in { #mentioned-in data-search-exclude }")[1].split("##")[0]
    # Any page that mentions it counts, catalog page or not (comparisons, categories).
    assert block.strip().splitlines() == [
        "- [Amazon EC2](../compute/ec2/index.md) · 2 links",
        "- [Amazon SNS](sns.md) · 1 link",
        "- [Compute](../compute/index.md) · 1 link",
    ]
    assert graph.inbound(SQS) == [(EC2, 2), (SNS, 1), (CATEGORY, 1)]


def test_related_services_most_co_mentioned(linked) -> None:
    pages, graph, _ = linked
    assert [p for p, _ in graph.related(SNS)] == [SQS, EC2]
    assert "## Related services { #related-services data-search-exclude }" in pages[SNS]
    # EC2's "User Data" section, SQS's "Notes" section, SNS's own page: three sections.
    assert "- [Amazon SQS](sqs.md) · mentioned together in 3 sections" in pages[SNS]


def test_appended_heading_ids_stay_unique(catalog: Catalog) -> None:
    pages = dict(PAGES)
    pages[SQS] = pages[SQS].replace("## Notes { #notes }", "## Notes { #mentioned-in }")
    out, _, _ = link_site(pages, PAGE_IDS, catalog)
    assert "## Mentioned in { #mentioned-in-2 data-search-exclude }" in out[SQS]


def test_hand_written_page(linked) -> None:
    _, graph, _ = linked
    md = "# About\n\nThese notes cover SQS and `SNS`.\n"
    expected = "# About\n\nThese notes cover [SQS](application-integration/sqs.md) and `SNS`.\n"
    assert link_markdown(md, "about.md", graph.linker) == expected
    # The hook's way also gives the acronym its tooltip, inside the link.
    tip = '<abbr title="Simple Queue Service">SQS</abbr>'
    assert graph.link_page(md, "about.md") == expected.replace("[SQS]", f"[{tip}]")


def test_one_automaton_pass_per_page(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = LinkRules(catalog)
    calls: list[int] = []
    find = rules.matcher.find

    def counting(text: str, mode: str = "text"):
        calls.append(len(text))
        return find(text, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(rules.matcher, "find", counting)
    from studysite.links import Linker

    linker = Linker(catalog, {"sqs": SQS, "sns": SNS}, rules=rules)
    page = "# P\n\n" + "SQS and SNS and Lambda@Edge and CloudWatch Events.\n\n" * 200
    linker.link(page, "x.md")
    assert calls == [len(page)]  # the whole page, once, whatever the number of aliases


def test_cost_is_linear_in_text_size(catalog: Catalog) -> None:
    from studysite.links import Linker

    linker = Linker(catalog, {e: f"{e}.md" for e in ("sqs", "sns", "ec2", "rds", "s3")})
    para = (
        "- EC2 instances read from SQS, write to S3 and RDS; `code SNS` and [SNS](x.md).\n"
        "    - nested On-Demand pricing for EC2 instances, RAM 4GB, CF origin\n\n"
    )

    def link(n: int) -> None:
        linker.link("## Section\n\n" + para * n, "x.md")

    # Function calls, not seconds: 8x the text is ~8x the calls, far from 64x (quadratic).
    ratio = growth(link, 100, 800)
    assert ratio < 8 * 1.5, ratio


def test_abbreviations_from_the_catalog(catalog: Catalog) -> None:
    abbr = abbreviations(catalog).splitlines()
    assert "*[SQS]: Simple Queue Service" in abbr
    assert "*[EC2]: Elastic Compute Cloud" in abbr
    assert "*[NACL]: Network Access Control List" in abbr
    assert "*[KMS]: AWS Key Management Service" in abbr
    assert "*[SNI]: Server Name Indication" in abbr  # needs context to link, not to expand
    for ambiguous in ("RAM", "EB", "CF", "SMS", "ES", "CIDR"):
        assert not any(line.startswith(f"*[{ambiguous}]") for line in abbr), ambiguous
    assert all(line.startswith("*[") and "]: " in line for line in abbr)


def test_report_lists_links_and_pages_without_inbound_links(linked) -> None:
    _, graph, _ = linked
    data = graph.report_data()
    by_path = {p["path"]: p for p in data["pages"]}
    assert by_path[EC2]["links"] == 3
    assert by_path[SQS]["inbound"] == 4
    assert data["links"] == sum(p["links"] for p in data["pages"])
    assert ELB in data["not_mentioned"]  # only its child mentions it, and that never links
    assert "links:" in graph.report_text()


@pytest.mark.parametrize(
    ("spec", "mode", "flags"),
    [
        (None, "always", {}),
        (("any",), "always", {}),
        (("never",), "never", {}),
        (("share", "heading"), "context", {"heading": True}),
        (("not memory",), "always", {}),
        (("anchor",), "always", {"anchor_only": True}),
        (("never", "tooltip"), "never", {"tooltip": True}),
        (("not heading",), "always", {"not_heading": True}),
    ],
)
def test_rule_keywords(catalog: Catalog, spec, mode: str, flags: dict) -> None:
    from dataclasses import replace

    entry = catalog.entries["sqs"]
    entry = replace(entry, link_context={"SQS": spec} if spec else {})
    rule = make_rule(entry, "SQS")
    assert rule.mode == mode
    for name, value in flags.items():
        assert getattr(rule, name) == value


def _catalog_file(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "services.yml"
    path.write_text(
        "entries:\n- id: ram\n  name: AWS Resource Access Manager (RAM)\n  aliases: [RAM]\n"
        "  ambiguous:\n    RAM: {policy: context-only, why: memory}\n" + extra,
        encoding="utf-8",
    )
    return path


def test_link_context_is_optional(tmp_path: Path) -> None:
    assert load_catalog(_catalog_file(tmp_path, "")).entries["ram"].link_context == {}


def test_link_context_parses_words(tmp_path: Path) -> None:
    cat = load_catalog(_catalog_file(tmp_path, "  link_context:\n    RAM: [share, not GB]\n"))
    assert cat.entries["ram"].link_context == {"RAM": ("share", "not GB")}
    cat = load_catalog(_catalog_file(tmp_path, "  link_context:\n    RAM: never\n"))
    assert cat.entries["ram"].link_context == {"RAM": ("never",)}


@pytest.mark.parametrize(
    "extra",
    [
        "  link_context: [RAM]\n",
        "  link_context:\n    RAM: []\n",
        "  link_context:\n    RAM: [1, 2]\n",
        "  link_context:\n    Memory: [share]\n",
    ],
)
def test_link_context_errors(tmp_path: Path, extra: str) -> None:
    with pytest.raises(ConfigError, match="link_context"):
        load_catalog(_catalog_file(tmp_path, extra))


def test_time_link_site_figures(catalog: Catalog) -> None:
    from studysite.links import time_link_site
    from studysite.links.bench import scaled

    pages, ids = scaled(PAGES, PAGE_IDS, 3)
    timing = time_link_site(pages, ids, catalog, repeat=1)
    assert timing.pages == 3 * len(PAGES)
    assert timing.links >= 3 * 9  # each copy links like the original (copies are no targets)
    assert timing.seconds_per_mb > 0
    assert timing.cpu_seconds_per_mb > 0
    print(timing)


def test_a_context_only_alias_without_context_words_never_links(catalog: Catalog) -> None:
    # "Infrastructure as Code" names CloudFormation for routing, but is a concept in prose.
    cfn = catalog.entries["cloudformation"]
    assert cfn.policies["Infrastructure as Code"] == "context-only"
    assert make_rule(cfn, "Infrastructure as Code").mode == "never"
    assert make_rule(catalog.entries["sqs"], "SQS").mode == "always"


def test_the_link_report_lists_pages_and_those_nobody_links_to(catalog: Catalog) -> None:
    pages = {**PAGES, "storage/s3/index.md": "# Amazon S3\n\nBuckets hold objects.\n"}
    _, graph, _ = link_site(pages, {**PAGE_IDS, "storage/s3/index.md": "s3"}, catalog)
    text = graph.report_text()
    assert text.startswith("links: ")
    assert "Pages no other page links to:\n  storage/s3/index.md" in text
    assert EC2 in text  # the per-page table stays above the list


def test_a_link_the_page_already_had_counts_as_a_link_to_its_target(catalog: Catalog) -> None:
    s3 = "storage/s3/index.md"
    pages = {
        **PAGES,
        s3: "# Amazon S3\n\nBuckets hold objects.\n",
        SNS: PAGES[SNS] + "\nSee [the bucket notes](../storage/s3/index.md).\n",
    }
    _, graph, _ = link_site(pages, {**PAGE_IDS, s3: "s3"}, catalog)
    assert SNS in graph.linked_from(s3)
    assert s3 not in graph.report_data()["no_inbound"]


def test_link_figures_report_coverage(catalog: Catalog) -> None:
    from studysite.links.bench import link_figures

    lines = link_figures(PAGES, PAGE_IDS, catalog)
    _, graph, _ = link_site(PAGES, PAGE_IDS, catalog)
    data = graph.report_data()
    expected = (
        f"service pages: {data['service_pages']}, "
        f"{100 * data['service_coverage']:.1f}% linked from another page, "
        f"{100 * data['service_mention_coverage']:.1f}% mentioned by another page"
    )
    assert expected in lines


def test_coverage_is_the_share_of_service_pages_something_links_to(catalog: Catalog) -> None:
    s3 = "storage/s3/index.md"
    pages = {**PAGES, s3: "# Amazon S3\n\nBuckets hold objects.\n"}
    _, graph, _ = link_site(pages, {**PAGE_IDS, s3: "s3"}, catalog)
    data = graph.report_data()
    services = graph.entry_pages(("service",))
    orphans = [p for p in data["no_inbound"] if p in services]
    assert orphans == [s3]
    assert data["service_coverage"] == pytest.approx(1 - 1 / len(services))
    assert 0 < data["service_coverage"] < 1


def test_a_path_or_image_mention_is_skipped_and_linking_goes_on(catalog: Catalog) -> None:
    md = "# Notes\n\nLogs go to aws/lambda groups.\n\nSQS decouples the tiers.\n"
    _, graph, _ = link_site({**PAGES, "notes/x.md": md}, PAGE_IDS, catalog)
    assert [(k.text, k.line) for k in graph.links["notes/x.md"]] == [("SQS", 5)]


def test_a_backlink_shows_its_pages_title_on_one_line_and_escaped(catalog: Catalog) -> None:
    pages = {**PAGES, SNS: '---\ntitle: "Amazon  SNS\t [v2]"\n---\n\n' + PAGES[SNS]}
    out, _, _ = link_site(pages, PAGE_IDS, catalog)
    mentioned = out[SQS].split("## Mentioned in")[1]
    assert "[Amazon SNS \\[v2\\]](sns.md)" in mentioned


def test_the_link_report_table_has_its_header(linked) -> None:
    _, graph, _ = linked
    header = f"{'page':<60} {'links':>5} {'in':>5} {'from':>5}"
    assert header in graph.report_text().splitlines()


def test_linking_can_consume_its_pages_and_links_them_the_same(catalog: Catalog, linked) -> None:
    pages = dict(PAGES)
    out, _, _ = link_site(pages, PAGE_IDS, catalog, consume=True)
    assert pages == {}  # each page was let go once linked: a large site is not held twice
    assert out == linked[0]
    assert PAGES  # without consume the input stays as it was


def test_related_services_count_as_links_between_the_two_pages(catalog: Catalog) -> None:
    # SQS and ELB never mention each other; EC2 names both in one section, so each lists
    # the other under "Related services", and the graph counts those links.
    pages = {
        EC2: "# Amazon EC2\n\n## Setup\n\nEC2 instances send jobs to SQS behind an ELB.\n",
        SQS: "# Amazon SQS\n\nQueues hold messages.\n",
        ELB: "# Elastic Load Balancing\n\nIt spreads traffic.\n",
    }
    out, graph, _ = link_site(pages, {EC2: "ec2", SQS: "sqs", ELB: "elb"}, catalog)
    assert "[Amazon SQS](../../application-integration/sqs.md) · mentioned together" in out[ELB]
    assert graph.linked_from(SQS) == {EC2, ELB}
    assert graph.linked_from(ELB) == {EC2, SQS}
