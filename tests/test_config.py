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
