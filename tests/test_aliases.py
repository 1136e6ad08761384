"""Alias matching: longest first, whole words, case rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared import shared

from studysite.routing.aliases import Alias, AliasMatcher, catalog_matcher
from studysite.routing.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
@shared
def matcher() -> AliasMatcher:
    return catalog_matcher(load_catalog(ROOT / "catalog" / "services.yml"))


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        ("Lambda@Edge runs at the edge", "text", ["lambda-edge"]),
        ("Lambda and Lambda@Edge", "text", ["lambda", "lambda-edge"]),
        ("CloudWatch Events rule", "text", ["eventbridge"]),
        ("Kinesis Data Firehose loads data", "text", ["kinesis-data-firehose"]),
        ("SAML federation", "text", []),
        ("RDSX is no service", "text", []),
        ("sqs in lower case", "text", []),
        ("SQS queue", "text", ["sqs"]),
        ("simple queue service", "text", ["sqs"]),
        ("some glue code", "text", []),
        ("AWS Glue crawler", "text", ["glue"]),
        ("Setion19 cloudwatch", "title", ["cloudwatch"]),
        ("RDS + Aurora + ElastiCache", "title", ["rds", "aurora", "elasticache"]),
        ("EC2-instance", "text", ["ec2"]),
    ],
)
def test_find(matcher: AliasMatcher, text: str, mode: str, expected: list[str]) -> None:
    assert [m.entry for m in matcher.find(text, mode)] == expected  # type: ignore[arg-type]


def test_offsets_survive_case_folding() -> None:
    m = AliasMatcher([Alias("Simple Queue Service", "sqs")])
    text = "İ then Simple Queue Service"
    (hit,) = m.find(text)
    assert text[hit.start : hit.end] == "Simple Queue Service"


def test_empty_matcher() -> None:
    assert AliasMatcher([]).find("anything") == []


def test_names_are_found_in_a_line_whose_case_folding_changes_its_length() -> None:
    # "ß" upper-cases to two letters: the line is folded to lower case letter by letter,
    # and the aliases the same way, so "S3" is still found.
    catalog = load_catalog(ROOT / "catalog" / "services.yml")
    found = [m.entry for m in catalog_matcher(catalog).find("Die Größe von S3 Buckets")]
    assert found == ["s3"]
