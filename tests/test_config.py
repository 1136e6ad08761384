"""Project YAML files: the catalog, the manifest and the overrides fail with one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studysite.errors import ConfigError
from studysite.notes import load_manifest
from studysite.routing.catalog import load_catalog
from studysite.routing.overrides import load_overrides

ROOT = Path(__file__).resolve().parents[1]


def _overrides(path: Path) -> object:
    return load_overrides(path, {"sqs"})


@pytest.mark.parametrize(
    ("loader", "text", "message"),
    [
        (load_manifest, "notes: [\n", "2: the manifest is not valid YAML"),
        (load_manifest, "notes: 3\n", "1: the manifest needs a 'notes:' list"),
        (
            _overrides,
            "a.md:\n  - lines: 3\n    page: nope\n",
            "sends lines 3 to unknown page 'nope'",
        ),
        (
            _overrides,
            "a.md:\n  - lines: 9-3\n    page: sqs\n",
            "'lines: 9-3' ends before it starts",
        ),
        (
            _overrides,
            "a.md:\n  - lines: 3\n",
            "needs 'page: ID', 'context: ID' or 'as: body|noise'",
        ),
        (load_catalog, "entries: [{name: x}]\n", "entry #1 needs at least 'id' and 'name'"),
        (load_catalog, "entries:\n  - {id: a, name: A, parent: b}\n", "unknown parent 'b'"),
        (load_catalog, "\tentries: []\n", "the catalog is not valid YAML"),
    ],
)
def test_config_errors_name_file_and_line(
    tmp_path: Path, loader: object, text: str, message: str
) -> None:
    path = tmp_path / "file.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        loader(path)  # type: ignore[operator]
    assert str(info.value).startswith(str(path) + ":")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_manifest_and_overrides_are_fine(tmp_path: Path) -> None:
    assert load_manifest(tmp_path / "manifest.yml") == {}
    assert load_overrides(tmp_path / "overrides.yml", set()) == {}


def test_overrides_parse(tmp_path: Path) -> None:
    path = tmp_path / "o.yml"
    path.write_text(
        "a.md:\n  - lines: 3-9\n    context: sqs\n  - heading: Intro\n    as: body\n",
        encoding="utf-8",
    )
    (ctx, body) = load_overrides(path, {"sqs"})["a.md"]
    assert (ctx.action, ctx.page, ctx.first, ctx.last) == ("context", "sqs", 3, 9)
    assert (body.action, body.heading) == ("body", "Intro")
    assert ctx.covers(5)
    assert not ctx.covers(10)


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        (
            "slots:\n  - title: Overview\n    slot: first\n  - match: [intro]\n",
            "slot #2 needs a 'title'",
        ),
        ("entries:\n  s3:\n    Versioning: versions\n", "topic 'Versioning' of 's3' needs a list"),
        ("defaults:\n  Pricing: cost\n", "default topic 'Pricing' needs a list"),
        ("- Overview\n", "the topics file needs 'slots', 'defaults' and 'entries'"),
    ],
)
def test_a_broken_topics_file_names_itself_and_the_item(
    tmp_path: Path, topics: str, message: str
) -> None:
    shutil.copy(ROOT / "catalog" / "services.yml", tmp_path / "services.yml")
    (tmp_path / "topics.yml").write_text(topics, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog(tmp_path / "services.yml")
    assert Path(caught.value.file).name == "topics.yml"
    assert message in caught.value.message


# A catalog of two entries, each case breaking one thing: the error names the file and says
# what is wrong in words a user can act on (README, Bad input).
_GOOD_ENTRY = "  - id: sqs\n    name: Amazon SQS\n    aliases: [SQS]\n"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ("entries: nope\n", "the catalog needs an 'entries:' list"),
        ("[1, 2]\n", "the catalog needs an 'entries:' list"),
        ("entries:\n  - name: No id\n", "entry #1 needs at least 'id' and 'name'"),
        ("entries:\n" + _GOOD_ENTRY + "  - id: sns\n", "entry #2 needs at least 'id' and 'name'"),
        ("entries:\n" + _GOOD_ENTRY * 2, "entry id 'sqs' is defined twice; rename one"),
        (
            "entries:\n  - id: x\n    name: X\n    kind: gadget\n",
            "entry 'x' has unknown kind 'gadget'",
        ),
        (
            "entries:\n" + _GOOD_ENTRY + "  - id: dlq\n    name: DLQ\n    parent: sq\n",
            "entry 'dlq' has unknown parent 'sq'",
        ),
        (
            "entries:\n" + _GOOD_ENTRY + "    link_context: [SQS]\n",
            "entry 'sqs': 'link_context' must map aliases to words",
        ),
        (
            "entries:\n" + _GOOD_ENTRY + "    link_context:\n      Queue: any\n",
            "entry 'sqs': link_context names 'Queue', which is no alias of it",
        ),
        (
            "entries:\n" + _GOOD_ENTRY + "    link_context:\n      SQS: []\n",
            "entry 'sqs': link_context for 'SQS' needs a word or a list of words",
        ),
        (
            "entries:\n  - id: m\n    name: M\n    kind: mention\n    keywords: [x y]\n",
            "entry 'm' is a mention (no page): drop its keywords",
        ),
        (
            "entries:\n  - id: m\n    name: M\n    kind: mention\n    patterns: ['m\\d']\n",
            "entry 'm' is a mention (no page): drop its patterns",
        ),
        (
            "entries:\n" + _GOOD_ENTRY + "    patterns: ['(?P<q>sqs)']\n",
            "entry 'sqs': pattern '(?P<q>sqs)' uses '(?P', which the browser's regexes",
        ),
        (
            "entries:\n" + _GOOD_ENTRY + "    keywords: ['" + "q" * 30 + " " + "w" * 60 + "']\n",
            "entry 'sqs': keyword '" + "q" * 30 + " " + "w" * 9 + "…' is over 80 characters",
        ),
    ],
)
def test_a_broken_catalog_entry_is_named_with_what_to_fix(
    tmp_path: Path, entries: str, message: str
) -> None:
    path = tmp_path / "services.yml"
    path.write_text(entries, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    assert caught.value.file == str(path)
    # An entry is read without line numbers (the file as a whole has line 1).
    assert caught.value.line == (1 if "'entries:' list" in message else 0)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("- a.md\n", "the override file must map note files to lists of rules"),
        ("a.md: {lines: 3, page: sqs}\n", "'a.md' must hold a list of rules"),
        ("a.md:\n  - page: sqs\n", "a rule of 'a.md' needs 'lines:' or 'heading:'"),
        ("a.md:\n  - lines: three\n    page: sqs\n", "'lines: three' must be N or N-M"),
        ("a.md:\n  - lines: 9-3\n    page: sqs\n", "'lines: 9-3' ends before it starts"),
        ("a.md:\n  - lines: 3\n", "a rule of 'a.md' needs 'page: ID', 'context: ID' or 'as:"),
        ("a.md:\n  - lines: 3-4\n    page: sq\n", "'a.md' sends lines 3-4 to unknown page 'sq'"),
    ],
)
def test_a_broken_override_rule_is_named_with_what_to_fix(
    tmp_path: Path, rules: str, message: str
) -> None:
    path = tmp_path / "overrides.yml"
    path.write_text(rules, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_overrides(path, {"sqs"})
    assert caught.value.file == str(path)
    assert message in caught.value.message


def test_override_rules_read_lines_headings_and_actions(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yml"
    path.write_text(
        "a.md:\n"
        "  - lines: 3 - 5\n    page: sqs\n    why: misfiled\n"
        "  - lines: 7\n    as: noise\n"
        "  - heading: Extras\n    context: sqs\n",
        encoding="utf-8",
    )
    [spans, single, heading] = load_overrides(path, {"sqs"})["a.md"]
    assert (spans.first, spans.last, spans.action, spans.page, spans.why) == (
        3,
        5,
        "page",
        "sqs",
        "misfiled",
    )
    assert (single.first, single.last, single.action, single.page) == (7, 7, "noise", None)
    assert (heading.first, heading.heading, heading.action, heading.page) == (
        None,
        "Extras",
        "context",
        "sqs",
    )
    assert load_overrides(tmp_path / "absent.yml", {"sqs"}) == {}


def test_a_category_without_a_slug_gets_one_from_its_name(tmp_path: Path) -> None:
    path = tmp_path / "services.yml"
    path.write_text(
        "categories:\n  - name: Machine Learning & AI\n  - name: Storage\n    slug: disks\n"
        "entries:\n  - id: sagemaker\n    name: Amazon SageMaker\n"
        "    category: Machine Learning & AI\n",
        encoding="utf-8",
    )
    catalog = load_catalog(path)
    assert [(c.name, c.slug, c.domain) for c in catalog.categories] == [
        ("Machine Learning & AI", "machine-learning-and-ai", "Machine Learning & AI"),
        ("Storage", "disks", "Storage"),
    ]


def test_an_entry_without_a_category_is_filed_under_other(tmp_path: Path) -> None:
    path = tmp_path / "services.yml"
    path.write_text("entries:\n" + _GOOD_ENTRY, encoding="utf-8")
    catalog = load_catalog(path)
    assert [(c.name, c.slug) for c in catalog.categories] == [("Other", "other")]
    assert catalog.entries["sqs"].category == "Other"
