"""Search data from the catalog: keywords and patterns are checked when the catalog loads,
reach the page's front matter, and go into the search index once per page; the search
box's data (patterns, vocabulary) is what the browser script reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from studysite.errors import ConfigError
from studysite.render.search import (
    KEYWORDS_FIELD,
    PageSearch,
    enrich_index,
    pattern_token,
    search_data,
    vocabulary,
)
from studysite.routing.catalog import load_catalog

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "catalog" / "services.yml"


def _load(tmp_path: Path, entry: str) -> None:
    path = tmp_path / "services.yml"
    path.write_text("entries:\n" + entry, encoding="utf-8")
    load_catalog(path)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- {id: a, name: A, keywords: graph}\n", "'keywords' must be a list of phrases"),
        ("- {id: a, name: A, keywords: ['']}\n", "must be a non-empty phrase"),
        ("- {id: a, name: A, keywords: [x, X]}\n", "keyword 'X' is listed twice"),
        (f"- {{id: a, name: A, keywords: [{'w' * 81}]}}\n", "is over 80 characters"),
        ("- {id: a, name: A, kind: mention, keywords: [x]}\n", "is a mention (no page)"),
        ("- {id: a, name: A, patterns: '[0-9]+'}\n", "'patterns' must be a list of regexes"),
        ("- {id: a, name: A, patterns: ['[0-9']}\n", "is no regex"),
        ("- {id: a, name: A, patterns: ['(?P<n>x1)']}\n", "uses '(?P'"),
        ("- {id: a, name: A, patterns: ['\\Ax1']}\n", "uses '\\A'"),
        ("- {id: a, name: A, patterns: ['[0-9]*']}\n", "matches an empty word"),
        (
            "- {id: a, name: A, keywords: [graph database], patterns: ['[a-z]+']}\n",
            "matches the word 'a' of the catalog",
        ),
    ],
)
def test_bad_keywords_and_patterns_are_config_errors(
    tmp_path: Path, entry: str, message: str
) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, entry)
    assert message in str(err.value)


def test_keywords_and_patterns_load_into_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "services.yml"
    path.write_text(
        "entries:\n- id: a\n  name: A\n  keywords: [graph  database, 400 KB item]\n"
        "  patterns: ['x\\d\\.big']\n",
        encoding="utf-8",
    )
    entry = load_catalog(path).entries["a"]
    assert entry.keywords == ("graph database", "400 KB item")
    assert entry.patterns == ("x\\d\\.big",)


def test_the_catalog_gives_every_page_keywords_and_core_services_five() -> None:
    catalog = load_catalog(CATALOG)
    pages = [e for e in catalog.entries.values() if e.kind != "mention"]
    assert all(e.keywords for e in pages), [e.id for e in pages if not e.keywords]
    core = [e for e in pages if e.kind == "service" and e.parent is None]
    assert all(len(e.keywords) >= 5 for e in core), [e.id for e in core if len(e.keywords) < 5]


@pytest.mark.parametrize(
    ("entry_id", "words", "not_words"),
    [
        (
            "ec2",
            ["m5.large", "c5n.18xlarge", "r6g.xlarge", "t3a.nano", "t2.micro", "u-6tb1.metal"],
            ["m5", "large", "buildspec.yml", "10.0.0.0", "t2.micro.", "s3"],
        ),
        (
            "global-infrastructure",
            ["ap-south-1", "eu-west-3", "us-gov-west-1", "us-east-1a", "use1-az1"],
            ["us-east", "east-1", "ap-south", "eu-west-x", "1-south-1"],
        ),
    ],
)
def test_catalog_patterns_match_shapes_not_words(
    entry_id: str, words: list[str], not_words: list[str]
) -> None:
    patterns = load_catalog(CATALOG).entries[entry_id].patterns
    compiled = [re.compile(f"(?:{p})", re.IGNORECASE) for p in patterns]
    assert compiled
    for word in words:
        assert any(c.fullmatch(word) for c in compiled), word
    for word in not_words:
        assert not any(c.fullmatch(word) for c in compiled), word


def _index() -> dict:
    return {
        "config": {"separator": r"[\s\-]+", "fields": {}},
        "docs": [
            {"location": "compute/ec2/", "title": "Amazon EC2", "text": ""},
            {"location": "compute/ec2/#top", "title": "Amazon EC2", "text": "<p>Instances run</p>"},
            {"location": "compute/ec2/#types", "title": "Instance types", "text": "m5 &amp; c5"},
            {"location": "db/neptune/#intro", "title": "Neptune", "text": "graph"},
            {"location": "db/neptune/#more", "title": "More", "text": "the graph"},
        ],
    }


def test_keywords_and_a_pattern_token_go_on_the_page_entry_only() -> None:
    pages = {
        "compute/ec2/": PageSearch("compute/ec2/", ("virtual server",), ("m\\d\\.large",)),
        "db/neptune/": PageSearch("db/neptune/", ("graph database",)),
        "gone/": PageSearch("gone/", ("nothing",)),  # excluded from search: skipped
    }
    index, patterns = enrich_index(_index(), pages)
    by_location = {d["location"]: d.get(KEYWORDS_FIELD) for d in index["docs"]}
    assert by_location == {
        "compute/ec2/": ["virtual server", pattern_token(1)],
        "compute/ec2/#top": None,
        "compute/ec2/#types": None,
        "db/neptune/#intro": ["graph database"],  # no page entry: its first section
        "db/neptune/#more": None,
    }
    assert patterns == [("m\\d\\.large", pattern_token(1))]


def test_vocabulary_is_the_index_words_weightiest_first() -> None:
    index, _ = enrich_index(
        _index(), {"db/neptune/": PageSearch("db/neptune/", ("graph database",), ("x\\d",))}
    )
    words = vocabulary(index)
    # Two titles each (2 x 20), then a keyword (20) and two mentions in text.
    assert words[:3] == ["amazon", "ec2", "graph"]
    assert set(words) == {
        "amazon", "ec2", "instances", "run", "instance", "types", "m5", "c5", "neptune",
        "graph", "more", "database",
    }  # fmt: skip
    assert not {"the", "amp", "p"} & set(words)  # a stop word, an entity, a tag
    assert not any(w.startswith("sspattern") for w in words)


def test_search_data_is_a_script_the_browser_reads() -> None:
    script = search_data([("m\\d\\.large", "sspattern1")], ["graph", "</script>"])
    assert script.startswith("window.__ssSearchData=")
    assert "</script>" not in script  # it could end an inline script
    data = json.loads(script.removeprefix("window.__ssSearchData=").rstrip(";\n"))
    assert data["patterns"] == [["m\\d\\.large", "sspattern1"]]
    assert data["words"] == "graph </script>"
    assert "us" in data["stop"]
