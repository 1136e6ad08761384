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
    PHRASE_BOOST,
    PageSearch,
    Phrases,
    content_words,
    enrich_index,
    fix_lunr_token_set,
    needed,
    page_token,
    phrase_matches,
    search_data,
    stem,
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


def test_keywords_and_a_page_token_go_on_the_page_entry_only() -> None:
    pages = {
        "compute/ec2/": PageSearch(
            "compute/ec2/", ("virtual server",), ("m\\d\\.large",), ("Amazon EC2", "Servers")
        ),
        "db/neptune/": PageSearch("db/neptune/", ("graph database", "gremlin"), (), ("Neptune",)),
        "gone/": PageSearch("gone/", ("nothing",)),  # excluded from search: skipped
    }
    index, patterns, phrases = enrich_index(_index(), pages)
    by_location = {d["location"]: d.get(KEYWORDS_FIELD) for d in index["docs"]}
    assert by_location == {
        "compute/ec2/": ["virtual server", page_token(1)],
        "compute/ec2/#top": None,
        "compute/ec2/#types": None,
        "db/neptune/#intro": ["graph database", "gremlin", page_token(2)],  # its first section
        "db/neptune/#more": None,
    }
    assert patterns == [("m\\d\\.large", page_token(1))]
    # Phrases of two content words or more, stemmed; a name only where it shares a word
    # with another page's phrase (EC2's "Servers" is only in EC2's own: none here).
    assert phrases == Phrases(
        keywords=(("virtual server", page_token(1)), ("graph databas", page_token(2)))
    )


def test_vocabulary_is_the_index_words_weightiest_first() -> None:
    index, _, _ = enrich_index(
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
    phrases = Phrases(
        keywords=(("graph databas", "sspage2"), ("gremlin queri", "sspage2")),
        names=(("neptun", "sspage2"),),
    )
    script = search_data([("m\\d\\.large", "sspage1")], ["graph", "</script>"], phrases)
    assert script.startswith("window.__ssSearchData=")
    assert "</script>" not in script  # it could end an inline script
    data = json.loads(script.removeprefix("window.__ssSearchData=").rstrip(";\n"))
    assert data["patterns"] == [["m\\d\\.large", "sspage1"]]
    assert data["phrases"] == [["sspage2", "graph databas|gremlin queri"]]
    assert data["names"] == [["sspage2", "neptun"]]
    assert data["words"] == "graph </script>"
    assert "us" in data["stop"]


@pytest.mark.parametrize(
    ("words", "stem_"),
    [
        (["store", "stores", "stored", "storing"], "stor"),
        (["query", "queries", "queried"], "queri"),
        (["cache", "caches", "cached", "caching"], "cach"),
        (["bucket", "buckets"], "bucket"),
        (["run", "runs", "running"], "run"),
        (["stop", "stopped"], "stop"),
        (["access", "accessed"], "access"),
        (["policy", "policies"], "polici"),
    ],
)
def test_the_light_stemmer_folds_plurals_ing_and_ed(words: list[str], stem_: str) -> None:
    assert {stem(w) for w in words} == {stem_}


def test_content_words_leave_out_stop_words_and_filler() -> None:
    assert content_words("Serverless SQL queries on the data in S3") == [
        "serverless", "sql", "queri", "data", "s3",
    ]  # fmt: skip
    assert content_words("AWS managed keys, managed") == ["manag", "key"]
    assert content_words("pub/sub") == ["pub", "sub"]


def test_a_long_phrase_needs_three_quarters_of_its_words() -> None:
    assert [needed(n) for n in range(2, 9)] == [2, 3, 3, 4, 5, 6, 6]


ATHENA, MACIE, S3, ELB, ALB = (page_token(n) for n in range(1, 6))


def _phrases(*pairs: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((" ".join(content_words(text)), token) for text, token in pairs)


PHRASES = Phrases(
    keywords=_phrases(
        ("serverless sql on s3", ATHENA),
        ("query data in s3", ATHENA),
        ("pii detection in s3", MACIE),
        ("find personal data in buckets", MACIE),
        ("object storage", S3),
        ("load balancer", ELB),
        ("distribute traffic across instances", ELB),
    ),
    names=_phrases(("Amazon S3", S3), ("Application Load Balancer", ALB), ("ALB", ALB)),
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # All of a short phrase: the page's token; two phrases of a page cover more.
        ("serverless SQL queries on data in S3", {ATHENA: PHRASE_BOOST}),
        ("run SQL on S3 serverless", {ATHENA: 8}),  # 3 of 4 words: 7.5, rounded up
        # Three words of a four-word phrase (and "S3", in no other whole phrase).
        ("find personal data in S3", {MACIE: 8}),
        ("find personal data in my S3 bucket", {MACIE: 8}),
        ("pii in s3", {}),
        # Under three content words, or a phrase's words not all there: nothing.
        ("athena", {}),
        ("serverless", {}),
        ("serverless sql", {}),
        ("load balancer", {}),  # the keywords field finds it whole; its section stays first
        # A name the query holds whole claims its words from other pages' phrases.
        ("application load balancer", {}),
        ("the load balancer for ec2", {ELB: 7}),
        ("distribute traffic across instances with a load balancer", {ELB: PHRASE_BOOST}),
    ],
)
def test_phrase_matches(query: str, expected: dict[str, int]) -> None:
    assert phrase_matches(query, PHRASES) == expected


def test_no_name_or_alias_of_the_catalog_gives_another_page_a_phrase_token() -> None:
    catalog = load_catalog(CATALOG)
    pages = {
        e.id: PageSearch(e.id, e.keywords, e.patterns, (e.name, *e.aliases))
        for e in catalog.entries.values()
        if e.kind != "mention"
    }
    docs = [{"location": p, "title": p, "text": ""} for p in pages]
    index, _, phrases = enrich_index({"docs": docs}, pages)
    token_of = {d[KEYWORDS_FIELD][-1]: d["location"] for d in index["docs"]}
    wrong = [
        (name, page.location, token_of[t])
        for page in pages.values()
        for name in page.names
        for t in phrase_matches(name, phrases)
        if token_of[t] != page.location
    ]
    assert not wrong


LUNR_TO_STRING = (
    "x.TokenSet.prototype.toString=function(){if(this._str)return this._str;for(var e=this.final"
    '?"1":"0",r=Object.keys(this.edges).sort(),n=r.length,i=0;i<n;i++){var s=r[i],o=this.edges'
    "[s];e=e+s+o.id}return e},x.TokenSet.prototype.intersect=function(){}"
)


@pytest.mark.parametrize(
    ("script", "found", "marked"),
    [
        (LUNR_TO_STRING, True, True),
        (LUNR_TO_STRING.replace("e=e+s+o.id}return e", 'e=e+s+o.id+"|"}return e'), True, True),
        ("function f(){}", False, False),  # another worker: said, not guessed
    ],
)
def test_lunr_token_set_node_names_get_an_end_mark(script: str, found: bool, marked: bool) -> None:
    fixed, ok = fix_lunr_token_set(script)
    assert ok is found
    assert ('o.id+"|"}return e' in fixed) is marked
    assert fix_lunr_token_set(fixed) == (fixed, found)  # a second build changes nothing


def test_the_pinned_material_search_worker_can_be_fixed() -> None:
    import material  # the theme, not the core: tests may import it

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    scripts = sorted(workers.glob("search*.min.js"))
    assert scripts, f"no search worker in {workers}"
    for script in scripts:
        assert fix_lunr_token_set(script.read_text(encoding="utf-8"))[1], script.name


def test_a_page_name_that_shares_a_word_with_another_pages_phrase_is_kept_once() -> None:
    pages = {
        # "graph" is also in Neptune's phrase; EC2 has one name twice (title and tag).
        "compute/ec2/": PageSearch(
            "compute/ec2/", ("virtual server",), (), ("Graph Store", "graph store")
        ),
        "db/neptune/": PageSearch("db/neptune/", ("graph database",), (), ("Neptune",)),
    }
    _, _, phrases = enrich_index(_index(), pages)
    assert phrases.names == (("graph stor", page_token(1)),)  # stemmed
