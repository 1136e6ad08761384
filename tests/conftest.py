"""Shared pytest options and fixtures."""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from shared import credit, shared

from studysite.links import Linker
from studysite.model.site import Site
from studysite.routing.catalog import Catalog, load_catalog
from studysite.site import SiteOutput, generate

ROOT = Path(__file__).resolve().parents[1]

# Under `make mutation`, mutmut wraps every core function in a trampoline (about three frames
# per call): the deep-nesting tests get the headroom they have without it.
if "MUTANT_UNDER_TEST" in os.environ:
    sys.setrecursionlimit(sys.getrecursionlimit() * 4)

# Tests mutmut leaves out: they check cost or import structure, not what a function returns,
# and under trampolines each takes minutes (a mutant runs every test that reaches it). A mutant
# only they would kill counts as survived, so the score stays a lower bound.
NOT_FOR_MUTANTS = (
    "tests/test_bad_input.py::test_many_headings_cost_grows_linearly",
    "tests/test_bad_input.py::test_bad_input[fifty-thousand-headings]",
    "tests/test_bad_input.py::test_bad_input[table-with-1000-columns]",
    "tests/test_model.py::test_every_module_has_a_layer",
    "tests/test_model.py::test_imports_only_run_down_the_layers",
    "tests/test_model.py::test_no_module_imports_an_orchestrator_for_its_types",
    "tests/test_bench.py::test_other_commands_do_not_import_the_benchmark",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    left = [i for i in items if i.nodeid.removeprefix("mutants/") in NOT_FOR_MUTANTS]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [i for i in items if i not in left]
    items[:] = quickest_modules_first(items, ROOT / "mutmut-stats.json")


def quickest_modules_first(items: list[pytest.Item], stats: Path) -> list[pytest.Item]:
    """The tests of the quickest modules first, each module's own order kept.

    mutmut runs a mutant's tests with ``-x`` in the order given, which is a set's: a mutant a
    unit test kills in a second could wait a minute behind site builds. Modules stay whole so
    their fixtures are built once. Without mutmut's timings (its first run) nothing moves.
    """
    try:
        took: dict[str, float] = json.loads(stats.read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return items
    cost: dict[str, float] = defaultdict(float)
    for item in items:
        cost[item.nodeid.split("::")[0]] += took.get(item.nodeid.removeprefix("mutants/"), 1.0)
    order = {
        module: n for n, module in enumerate(dict.fromkeys(i.nodeid.split("::")[0] for i in items))
    }
    return sorted(items, key=lambda i: (cost[m := i.nodeid.split("::")[0]], order[m]))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden expected files from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[Path, str], None]:
    """``golden(path, actual)``: assert ``actual`` equals the file, or rewrite it.

    With ``--update-golden`` the file is (re)written and the check passes; review the diff.
    """
    update = bool(request.config.getoption("--update-golden"))

    def check(path: Path, actual: str) -> None:
        if update:
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"{path} is missing; run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    f"{path.name} (expected)",
                    f"{path.name} (actual)",
                )
            )
            pytest.fail(
                f"{path.name} differs; run pytest --update-golden if the change is right\n{diff}",
                pytrace=False,
            )

    return check


@pytest.fixture(autouse=True)
def _shared_builds_count_for_their_readers(request: pytest.FixtureRequest) -> None:
    credit(request)  # under mutmut's stats pass only (tests/shared.py)


@pytest.fixture(scope="session")
@shared
def seed_output() -> SiteOutput:
    """The five notes' site, generated once for every test module that reads it (read-only)."""
    return generate(ROOT / "notes", ROOT / "catalog" / "services.yml", ROOT / "docs")


@pytest.fixture(scope="session")
def seed_site(seed_output: SiteOutput) -> Site:
    """The five notes' section tree and routing (``seed_output.site``)."""
    return seed_output.site


@pytest.fixture(scope="session")
@shared
def catalog() -> Catalog:
    """The project's catalog (catalog/services.yml)."""
    return load_catalog(ROOT / "catalog" / "services.yml")


@pytest.fixture(scope="session")
@shared
def linker(catalog: Catalog) -> Linker:
    """A linker over every catalog page, each at ``svc/<id>.md``."""
    targets = {e.id: f"svc/{e.id}.md" for e in catalog.entries.values() if e.kind != "mention"}
    return Linker(catalog, targets)
