"""The page model: one layer of data types, complete at creation, and imports that only run down."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from shared import shared

from studysite.model import (
    NOISE_REASONS,
    UNSORTED,
    Catalog,
    Category,
    Entry,
    How,
    Layout,
    Line,
    Noise,
    NoteTree,
    Page,
    Part,
    Section,
    Site,
    SiteOutput,
    unaccounted_lines,
)
from studysite.model.names import short_names
from studysite.routing.aliases import catalog_matcher
from studysite.routing.overrides import Rule
from studysite.routing.route import Router, route_tree

SRC = Path(__file__).resolve().parent.parent / "src" / "studysite"

# Lower layers never import higher ones; a package may import itself.
LAYERS = {
    "errors": 0,
    "config": 1,
    "model": 1,
    "markdown_tokens": 1,
    "markers": 2,
    "facts": 2,
    "titles": 1,
    "stages": 1,
    "questions": 1,
    "notes": 2,
    "readers": 2,
    "routing": 2,
    "render": 3,
    "links": 3,
    "tables": 3,
    "cards": 4,
    "build": 4,
    "site": 5,
    "report": 5,
    "bench": 6,
    "cli": 7,
    "__main__": 8,
}
ORCHESTRATORS = {"build", "site"}


def _unit(module: str) -> str:
    """``studysite.routing.route`` -> ``routing``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _runtime_imports(tree: ast.Module) -> list[str]:
    """Every ``studysite`` module imported, except under ``if TYPE_CHECKING:``."""
    out: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            return
        if isinstance(node, ast.ImportFrom) and node.module == "studysite":
            out.extend(f"studysite.{a.name}" for a in node.names)  # from studysite import x
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("studysite"):
            out.append(node.module or "")
        elif isinstance(node, ast.Import):
            out.extend(a.name for a in node.names if a.name.startswith("studysite"))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _edges() -> list[tuple[str, str, str]]:
    edges = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).with_suffix("").parts
        unit = rel[0]
        for target in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            edges.append(("/".join(rel), unit, _unit(target)))
    return edges


def test_every_module_has_a_layer() -> None:
    units = {unit for _, unit, _ in _edges()} | {t for _, _, t in _edges()}
    assert units <= set(LAYERS), units - set(LAYERS)


def test_imports_only_run_down_the_layers() -> None:
    up = [
        f"{where} imports {target}"
        for where, unit, target in _edges()
        if target != unit and LAYERS[target] >= LAYERS[unit]
    ]
    assert up == []


def test_no_module_imports_an_orchestrator_for_its_types() -> None:
    allowed = {"site", "cli", "bench", "__main__"}
    users = [
        f"{where} imports {target}"
        for where, unit, target in _edges()
        if target in ORCHESTRATORS and unit != target and unit not in allowed
    ]
    assert users == []


def test_parts_and_pages_are_frozen() -> None:
    part = Part("s3", "n.md", "S3", 1, (Line(2, "x"),), How.TITLE, 1)
    page = Page("s3", "Amazon S3", "storage/s3.md", None, (part,))
    for obj, name in ((part, "page"), (page, "path")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, "elsewhere")


def test_how_reads_and_serialises_as_its_word() -> None:
    assert How.MENTION == "mention"
    assert f"{How.UNSORTED}" == "unsorted"
    assert {h.value for h in How} == {
        "override", "title", "inherited", "container", "mention", "context", "unsorted",
    }  # fmt: skip


@pytest.fixture(scope="module")
@shared
def router(catalog: Catalog) -> Router:
    return Router(
        catalog, catalog_matcher(catalog), catalog_matcher(catalog, include_context_only=False)
    )


def _note(*tops: Section) -> NoteTree:
    return NoteTree("n.md", "test", Section("", None, 0, [], list(tops), kind="root"))


def test_one_router_serves_notes_with_different_rules(router: Router) -> None:
    """Rules are passed per note: routing a note with rules leaves the next note unaffected."""
    note = _note(Section("Intro", 1, 1, [Line(2, "S3 buckets hold S3 objects in S3")]))
    rules = (Rule(None, None, "Intro", "page", "sqs", ""),)
    with_rule = route_tree(note, router, rules)
    without = route_tree(note, router)
    assert {p.page for p in with_rule} == {"sqs"}
    assert {p.how for p in with_rule} == {How.OVERRIDE}
    assert {p.page for p in without} != {"sqs"}


def test_untitled_pending_titles_end_on_unsorted_complete(router: Router) -> None:
    parts = route_tree(_note(Section("RDS + Aurora", 1, 1)), router)
    assert [(p.page, p.how, p.depth) for p in parts] == [(UNSORTED, How.UNSORTED, 0)]


# --- model/tree.py: what "no line lost" means -----------------------------------------------

_NOTE = ["# Amazon SQS", "Queues hold messages", "", "---"]


def _tree(body: str = "Queues hold messages", reason: str = "separator line") -> NoteTree:
    sec = Section("Amazon SQS", 1, 1, [Line(2, body), Line(3, "")])
    root = Section("", None, 0, [], [sec], kind="root")
    return NoteTree("n.md", "markdown", root, [Noise(4, "---", reason)])


def test_a_tree_placing_each_line_once_with_its_words_accounts_for_every_line() -> None:
    assert unaccounted_lines(_NOTE, _tree()) == []


def test_a_body_line_with_other_words_than_its_source_line_is_unaccounted() -> None:
    """A reader may rewrite markup (a bullet, a quote mark), never the words."""
    assert unaccounted_lines(_NOTE, _tree(body="- **Queues hold messages**")) == []
    assert unaccounted_lines(_NOTE, _tree(body="Queues hold")) == [2]


@pytest.mark.parametrize("reason", ["", "  ", "because"])
def test_noise_needs_a_reason_from_the_known_list(reason: str) -> None:
    assert unaccounted_lines(_NOTE, _tree(reason=reason)) == [4]


def test_an_override_rule_why_is_a_known_reason_for_that_note() -> None:
    assert unaccounted_lines(_NOTE, _tree(reason="slide footer"), {"slide footer"}) == []
    assert "marked as noise" in NOISE_REASONS  # the default of an `as: noise` rule


def test_a_line_placed_twice_or_nowhere_is_unaccounted() -> None:
    tree = _tree()
    tree.root.children[0].body.append(Line(2, "Queues hold messages"))  # same line, twice
    tree.root.children.append(Section("Amazon SNS", 2, 1))  # the title line again
    assert unaccounted_lines(_NOTE, tree) == [2]
    tree.noise.clear()
    assert unaccounted_lines(_NOTE, tree) == [2, 4]


# --- model/catalog.py, layout.py, site.py: behaviour the mutation run found untested --------


def _three_levels() -> Catalog:
    def entry(eid: str, parent: str | None, category: str = "Storage") -> Entry:
        return Entry(
            eid, eid.upper(), "service" if parent is None else "feature", category, parent, ()
        )

    entries = [
        entry("s3", None),
        entry("s3-storage-classes", "s3"),
        entry("glacier", "s3-storage-classes"),
    ]
    return Catalog([Category("Storage", "storage")], {e.id: e for e in entries})


def test_ancestors_run_nearest_first_up_to_the_top() -> None:
    cat = _three_levels()
    assert cat.ancestors("glacier") == ["s3-storage-classes", "s3"]
    assert cat.ancestors("s3") == []


def test_root_of_is_the_top_ancestor_or_the_entry_itself() -> None:
    cat = _three_levels()
    assert cat.root_of("glacier") == "s3"
    assert cat.root_of("s3") == "s3"
    assert cat.category_of("glacier") == Category("Storage", "storage")


def test_the_project_layout_reads_notes_catalog_and_docs_under_the_root() -> None:
    root = Path("/project")
    layout = Layout.project(root)
    assert (layout.notes_dir, layout.catalog_path, layout.docs_dir) == (
        root / "notes",
        root / "catalog" / "services.yml",
        root / "docs",
    )
    assert Layout.project(root, Path("/elsewhere")).docs_dir == Path("/elsewhere")


def test_a_hand_written_page_goes_through_the_finish_step_generate_gives() -> None:
    site = Site(catalog=_three_levels(), notes=[], pages={}, diagnostics=[])
    out = SiteOutput(site, {}, {}, [], [], finish=lambda md, uri: f"{uri}: {md.upper()}")
    assert out.finish_hand_written("see s3", "guide.md") == "guide.md: SEE S3"


@pytest.mark.parametrize(
    ("files", "shown"),
    [
        (["Storage/S3.md"], ["S3"]),  # a note's own name, not its folder's
        (["Storage/S3/README.md", "index.md"], ["S3", "index"]),  # README/index: the folder's
        (["Step_Functions  notes.md"], ["Step Functions notes"]),
        (["0bc181161c58bfae.txt", "c0ffee12.md"], ["note 1", "note 2"]),  # a hash says nothing
        (["x" * 28 + ".md"], ["x" * 28]),
        (["A very long note name about everything.md"], ["A very long note name about…"]),
        (["Abcdefghijklmnopqrstuvwxyz123456.md"], ["Abcdefghijklmnopqrstuvwxyz1…"]),  # 28 in all
        (["Abcdefghijklmnopqrstuvwxyz123.md"], ["Abcdefghijklmnopqrstuvwxyz1…"]),  # 29: cut
        (["a/notes.md", "b/notes.txt"], ["a/notes", "b/notes"]),  # told apart by folder
    ],
)
def test_short_names_of_notes(files: list[str], shown: list[str]) -> None:
    assert list(short_names(files).values()) == shown


def test_the_last_line_of_a_note_is_compared_word_for_word_too() -> None:
    note = ["# Amazon SQS", "Queues hold messages"]
    sec = Section("Amazon SQS", 1, 1, [Line(2, "Queues hold")])
    tree = NoteTree("n.md", "markdown", Section("", None, 0, [], [sec], kind="root"), [])
    assert unaccounted_lines(note, tree) == [2]
