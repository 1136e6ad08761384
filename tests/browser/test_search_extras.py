"""Search beyond names, in both editions: catalog patterns (instance types, region codes),
"Did you mean …?" for typos, keywords and key facts in the index once per page.

The typo and pattern queries here check the mechanisms (README, "Reading offline and
search"); how well search answers exam questions is the query sets' job.
"""

from __future__ import annotations

import json
import time

import pytest

from studysite.render.search import Phrases, phrase_matches

from .support import BuiltSites, Edition, open_search, search

TOP = 3
PATTERN_QUERIES = [
    ("c5n.18xlarge", "ec2"),
    ("m5.large", "ec2"),
    ("r6g.xlarge", "ec2"),
    ("t3a.nano", "ec2"),
    ("ap-south-1", "global-infrastructure"),
    ("eu-west-3", "global-infrastructure"),
    ("us-gov-west-1", "global-infrastructure"),
]
# (typed, the corrected query shown, pages that count as found)
TYPO_QUERIES = [
    ("kinesiss", "kinesis", ("kinesis", "kinesis-data-streams")),
    ("cloudfrnt", "cloudfront", ("cloudfront",)),
    ("dynamdb", "dynamodb", ("dynamodb",)),
    ("dynamdb global tables", "dynamodb global tables", ("dynamodb",)),
    ("t3a.nano dynamdb", "t3a.nano dynamodb", ("dynamodb", "ec2")),  # a pattern beside it
]
# Queries that describe a need in several words, as exam questions do (issue 16), written
# before the keyword phrases were tuned: (query, its page).
NEED_QUERIES = [
    ("record every API call made in the account", "cloudtrail"),
    ("rotate database credentials automatically", "secrets-manager"),
    ("transfer files over SFTP into S3", "transfer-family"),
    ("run SQL queries directly on files in S3", "athena"),
    ("discover sensitive data such as credit card numbers in buckets", "macie"),
    ("route traffic between hundreds of VPCs from a central hub", "transit-gateway"),
    ("deliver one message to many subscribers at once", "sns"),
    ("block SQL injection attacks on a web application", "waf"),
    ("in-memory cache to reduce load on the database", "elasticache"),
    ("migrate an on-premises Oracle database to Aurora with minimal downtime", "dms"),
]


def _top(edition: Edition, urls: list[str]) -> list[str]:
    return [edition.page_id(u) for u in urls][:TOP]


def _note(edition: Edition) -> str | None:
    return edition.page.evaluate(
        "() => { const n = document.querySelector('.ss-did-you-mean');"
        " return n && n.offsetParent !== null ? n.textContent : null; }"
    )


@pytest.mark.slow
@pytest.mark.browser
def test_instance_types_and_region_codes_find_their_page(edition: Edition) -> None:
    edition.goto()
    box = open_search(edition)
    misses = []
    for query, page in PATTERN_QUERIES:
        top = _top(edition, search(edition, box, query))
        if page not in top:
            misses.append(f"{query!r}: top {top}, wanted {page}")
        assert _note(edition) is None, f"{query!r} is no typo"
    edition.assert_clean()
    assert not misses, f"{edition.name}:\n" + "\n".join(misses)


@pytest.mark.slow
@pytest.mark.browser
def test_need_descriptions_find_their_page(
    edition: Edition, capsys: pytest.CaptureFixture[str]
) -> None:
    edition.goto()
    box = open_search(edition)
    search(edition, box, "lambda")  # the index is loaded and warm before anything is timed
    lines, misses, timings = [], [], []
    for query, page in NEED_QUERIES:
        start = time.monotonic()
        found = [edition.page_id(u) for u in search(edition, box, query)]
        timings.append(time.monotonic() - start)
        rank = found.index(page) + 1 if page in found else None
        lines.append(f"  {rank or '-':>2} {query!r} -> {page} (top {found[:TOP]})")
        if rank is None or rank > TOP:
            misses.append(query)
    with capsys.disabled():
        hits = len(NEED_QUERIES) - len(misses)
        print(f"\n[{edition.name}] need descriptions: {hits}/{len(NEED_QUERIES)} in the top {TOP}")
        print("\n".join(lines))
        print(f"  last key to results: max {max(timings) * 1000:.0f} ms")
    edition.assert_clean()
    assert not misses, f"{edition.name}: not in the top {TOP}: {misses}"


def _phrases(data: dict) -> Phrases:
    def pairs(key: str) -> tuple[tuple[str, str], ...]:
        return tuple((p, t) for t, joined in data[key] for p in joined.split("|"))

    return Phrases(pairs("phrases"), pairs("names"))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        # A stop word before the last word would be a prefix of "interface", "instance" ...
        ("detect faces in images", "detect faces images"),
        ("who made this API call", "made API call"),
        ("a", "a"),  # the word being typed stays: it may be the start of "athena"
        ("security in", "security in"),
        ("In-memory cache", "In-memory cache"),  # a hyphenated word is no stop word
    ],
)
def test_stop_words_before_the_typed_word_are_left_out(
    edition: Edition, typed: str, sent: str
) -> None:
    edition.goto()
    open_search(edition)
    got = edition.page.evaluate("q => window.__ssQuery(q)", typed)
    assert " ".join(got.split()).split(" ss")[0] == sent
    edition.assert_clean()


@pytest.mark.slow
@pytest.mark.browser
def test_queries_with_numbers_find_pages_and_crash_nothing(edition: Edition) -> None:
    # A prefix query over digits once expanded to a word the index lacked (page tokens
    # with digits set off a lunr bug: page_token) and every query with a number crashed.
    edition.goto()
    box = open_search(edition)
    for query in ("15", "15 minutes", "256 KB", "us-east-1", "1 MB per second"):
        assert search(edition, box, query), f"nothing found for {query!r}"
    edition.assert_clean()


@pytest.mark.slow
@pytest.mark.browser
def test_the_browser_matches_keyword_phrases_as_python_does(edition: Edition) -> None:
    edition.goto()
    open_search(edition)
    data = edition.page.evaluate("() => window.__ssSearchData")
    phrases = _phrases(data)
    assert len(phrases.keywords) > 500
    queries = [q for q, _ in NEED_QUERIES] + [
        "Application Load Balancer",
        "Fargate launch type",
        "storing and querying cached policies in S3 buckets",
        "running stopped instances, accessed by the AWS CLI",
        "one",
        "",
    ]
    for query in queries:
        assert edition.page.evaluate("q => window.__ssPhrases(q)", query) == phrase_matches(
            query, phrases
        ), query
    edition.assert_clean()


@pytest.mark.slow
@pytest.mark.browser
def test_a_typo_shows_did_you_mean_and_the_right_page(
    edition: Edition, capsys: pytest.CaptureFixture[str]
) -> None:
    edition.goto()
    box = open_search(edition)
    search(edition, box, "lambda")  # the index is loaded and warm before anything is timed
    timings = []
    misses = []
    for typed, corrected, pages in TYPO_QUERIES:
        start = time.monotonic()
        top = _top(edition, search(edition, box, typed))
        timings.append((typed, time.monotonic() - start))
        note = _note(edition)
        if note != f"Did you mean {corrected}?":
            misses.append(f"{typed!r}: note {note!r}, wanted 'Did you mean {corrected}?'")
        if not set(pages) & set(top):
            misses.append(f"{typed!r}: top {top}, wanted one of {list(pages)}")
    for query in ("dynamodb", "cloudfront caching"):  # the normal path, for comparison
        start = time.monotonic()
        search(edition, box, query)
        timings.append((query, time.monotonic() - start))
        assert _note(edition) is None, f"{query!r} is no typo"
    with capsys.disabled():
        print(
            f"\n[{edition.name}] last key to results: "
            + ", ".join(f"{q!r} {s * 1000:.0f} ms" for q, s in timings)
        )
    edition.assert_clean()
    assert not misses, f"{edition.name}:\n" + "\n".join(misses)


@pytest.mark.slow
@pytest.mark.browser
def test_typing_a_typo_key_by_key_ends_on_the_correction(edition: Edition) -> None:
    edition.goto()
    box = open_search(edition)
    top = _top(edition, search(edition, box, "cloudfrnt", every_key=True))
    assert _note(edition) == "Did you mean cloudfront?"
    assert "cloudfront" in top
    search(edition, box, "cloudfront")
    assert _note(edition) is None, "the note stays only while a word is corrected"
    edition.assert_clean()


@pytest.mark.slow
def test_keywords_are_in_the_index_once_per_page_and_key_facts_with_their_page(
    built_sites: BuiltSites,
) -> None:
    index = json.loads((built_sites.hosted / "search" / "search_index.json").read_text("utf-8"))
    docs = index["docs"]
    assert "keywords" in index["config"]["fields"]
    with_keywords = [d for d in docs if d.get("keywords")]
    assert all("#" not in d["location"] for d in with_keywords), "keywords on a section entry"
    locations = [d["location"] for d in with_keywords]
    assert len(locations) == len(set(locations))
    sqs = next(d for d in with_keywords if d["location"].endswith("/sqs/"))
    assert "visibility timeout" in sqs["keywords"]
    # Key facts and exam tips are indexed with the service page they are on.
    sqs_text = " ".join(d["text"] for d in docs if d["location"].startswith(sqs["location"]))
    assert "Max message size" in sqs_text
    assert "Exam tips from the notes" in sqs_text
    data = (built_sites.hosted / "assets" / "search-data.js").read_text("utf-8")
    assert data.startswith("window.__ssSearchData=")
    print(f"assets/search-data.js {len(data.encode()) / 1e3:.1f} KB")
