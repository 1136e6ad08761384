"""The blind search query sets (issue 16, item 5) are well formed and names only catalog pages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from studysite.routing.catalog import load_catalog

REPO = Path(__file__).resolve().parents[1]
BLIND_SETS = ("search_queries_blind.yml", "search_queries_blind2.yml")
KINDS = {"use-case", "concept", "number", "pattern", "typo"}


@pytest.fixture(scope="module", params=BLIND_SETS)
def queries(request: pytest.FixtureRequest) -> list[dict]:
    data = yaml.safe_load((REPO / "tests" / "browser" / request.param).read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_blind_set_has_80_well_formed_entries(queries: list[dict]) -> None:
    assert len(queries) == 80
    for q in queries:
        assert set(q) == {"query", "pages", "kind"}, q
        assert isinstance(q["query"], str), q
        assert q["query"].strip(), q
        assert isinstance(q["pages"], list), q
        assert q["pages"], q
        assert q["kind"] in KINDS, q


def test_blind_queries_are_unique(queries: list[dict]) -> None:
    dupes = [t for t, n in Counter(q["query"].strip().lower() for q in queries).items() if n > 1]
    assert dupes == []


def test_blind_set_has_every_kind(queries: list[dict]) -> None:
    assert {q["kind"] for q in queries} == KINDS


def test_blind_pages_are_catalog_pages(queries: list[dict]) -> None:
    catalog = load_catalog(REPO / "catalog" / "services.yml")
    pages = {e.id for e in catalog.entries.values() if e.kind != "mention"}
    unknown = sorted({p for q in queries for p in q["pages"] if p not in pages})
    assert unknown == []
