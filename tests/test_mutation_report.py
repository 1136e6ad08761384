"""scripts/mutation_report.py: the score per package, equivalents, and the sampled estimate."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "mutation_report.py"
_spec = importlib.util.spec_from_file_location("mutation_report", SCRIPT)
assert _spec is not None
assert _spec.loader is not None
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)

NAMES = [f"studysite.{pkg}.mod.x_f__mutmut_{i}" for pkg in ("tables", "model") for i in range(50)]


def test_a_seed_picks_the_same_mutants_whatever_else_is_picked() -> None:
    alone = report.pick_sample(NAMES, ["tables"], 10, seed=3)
    both = report.pick_sample(NAMES, ["model", "tables"], 10, seed=3)
    assert alone["tables"] == both["tables"]
    assert len(set(both["tables"])) == 10
    assert all(n.startswith("studysite.tables.") for n in both["tables"])
    assert report.pick_sample(NAMES, ["tables"], 10, seed=4) != alone


def test_a_sample_larger_than_the_package_takes_all_of_it() -> None:
    assert len(report.pick_sample(NAMES, ["model"], 500, seed=1)["model"]) == 50


def test_sampled_score_counts_only_the_sample_and_drops_its_equivalents() -> None:
    codes = dict.fromkeys(NAMES, 1)  # every mutant killed ...
    picked = report.pick_sample(NAMES, ["tables"], 4, seed=1)
    survivor, equivalent, *_ = picked["tables"]
    codes[survivor] = 0  # ... but one survives and one is equivalent
    codes[equivalent] = 0
    got = report.score(codes, {equivalent: "why"}, picked)
    assert list(got) == ["tables"]
    tables = got["tables"]
    assert (tables["mutants"], tables["sample"], tables["killed"]) == (50, 4, 2)
    assert (tables["survived"], tables["equivalent"]) == (1, 1)
    assert tables["score"] == pytest.approx(66.7)
    assert tables["survivors"] == [survivor]
    low, high = tables["interval"]
    assert low < 66.7 < high


def test_full_score_has_no_interval_and_not_run_means_not_measured() -> None:
    codes: dict[str, int | None] = dict.fromkeys(NAMES, 1)
    codes[NAMES[0]] = None
    got = report.score(codes, {})
    assert (got["tables"]["score"], got["tables"]["not run"]) == (None, 1)
    assert got["model"]["score"] == 100.0
    assert "interval" not in got["model"]


@pytest.mark.parametrize(
    ("killed", "n", "low", "high"),
    [(30, 30, 88.6, 100.0), (0, 30, 0.0, 11.4), (24, 30, 62.7, 90.5), (0, 0, 0.0, 100.0)],
)
def test_wilson_interval(killed: int, n: int, low: float, high: float) -> None:
    assert report.wilson(killed, n) == (low, high)


def test_an_equivalent_needs_a_reason(tmp_path: Path) -> None:
    listed = tmp_path / "equivalent.txt"
    listed.write_text("# comment\n\nstudysite.a.b.x_c__mutmut_1 same output\n", encoding="utf-8")
    assert report.equivalents(listed) == {"studysite.a.b.x_c__mutmut_1": "same output"}
    listed.write_text("studysite.a.b.x_c__mutmut_2\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="needs a reason"):
        report.equivalents(listed)


def test_the_committed_equivalents_all_have_reasons() -> None:
    report.equivalents()
