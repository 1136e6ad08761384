"""Mutation score per core package, from mutmut's results (``make mutation``).

    python scripts/mutation_report.py --run routing tables   # run mutmut on them, then report
    python scripts/mutation_report.py                        # report what mutants/ holds

``--run`` calls ``mutmut run --max-children 1`` (one worker: the tests are CPU-bound) for the
named packages; mutmut runs, for each mutant, only the fast tests that call the mutated
function. The score of a package is killed / (mutants - listed equivalents): a timeout counts
as killed, a mutant no test reaches counts as survived. Equivalent mutants (they cannot change
behaviour) are listed in ``tests/mutation/equivalent.txt``, one name and its reason a line.
Writes ``mutants/mutation-report.{txt,json}`` and ``mutants/survivors.txt`` (the workflow
uploads them).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("readers", "routing", "render", "links", "tables", "model")
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.txt"
MUTANTS = ROOT / "mutants"
KILLED = {1, 3, 36, 24, -24, 152, 255}  # mutmut's exit codes for killed and timed out
SURVIVED = {0, 5, 33}  # survived, and no test reached it


def equivalents(path: Path = EQUIVALENT) -> dict[str, str]:
    """Listed equivalent mutants and why; a line without a reason is an error."""
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path.name}:{n}: {name} needs a reason (`NAME reason`)")
        found[name] = reason.strip()
    return found


def package_of(mutant: str) -> str:
    """``studysite.tables.quotes.x_find__mutmut_3`` -> ``tables``."""
    return mutant.split(".")[1]


def results(mutants_dir: Path = MUTANTS) -> dict[str, int | None]:
    """Every mutant mutmut made and its exit code (None: not run yet)."""
    codes: dict[str, int | None] = {}
    for meta in sorted((mutants_dir / "src" / "studysite").rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return codes


def score(codes: dict[str, int | None], equivalent: dict[str, str]) -> dict[str, dict]:
    """Per package: counts, the score (None: not measured) and the surviving mutants."""
    report: dict[str, dict] = {}
    for pkg in PACKAGES:
        mine = {k: v for k, v in codes.items() if package_of(k) == pkg}
        count: Counter[str] = Counter()
        survivors = []
        for name, code in sorted(mine.items()):
            if code is None:
                count["not run"] += 1
            elif code in KILLED:
                count["killed"] += 1
            elif name in equivalent:
                count["equivalent"] += 1
            elif code in SURVIVED:
                count["survived"] += 1
                survivors.append(name)
            else:
                count["other"] += 1  # suspicious or crashed: not a kill
                survivors.append(name)
        counted = len(mine) - count["equivalent"] - count["not run"]
        measured = bool(mine) and not count["not run"]
        report[pkg] = {
            "mutants": len(mine),
            **{k: count[k] for k in ("killed", "survived", "equivalent", "other", "not run")},
            "score": round(100 * count["killed"] / counted, 1) if measured and counted else None,
            "survivors": survivors,
        }
    return report


def run_mutmut(packages: list[str], children: int) -> None:
    patterns = [f"studysite.{p}.*" for p in packages]
    cmd = ["mutmut", "run", "--max-children", str(children), *patterns]
    print("$", " ".join(cmd), flush=True)
    # mutmut's own exit code says nothing about the score; the table below does.
    subprocess.run(cmd, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", help=f"any of {', '.join(PACKAGES)} (default all)")
    parser.add_argument("--run", action="store_true", help="run mutmut on them first")
    parser.add_argument("--max-children", type=int, default=1, help="mutmut workers (1)")
    parser.add_argument("--fail-under", type=float, help="exit 1 if a measured score is lower")
    args = parser.parse_args(argv)
    wanted = [p for pkg in args.packages for p in pkg.replace(",", " ").split()] or list(PACKAGES)
    if unknown := set(wanted) - set(PACKAGES):
        parser.error(f"unknown package(s): {', '.join(sorted(unknown))}")
    equivalent = equivalents()
    if args.run:
        run_mutmut(wanted, args.max_children)
    codes = results()
    if stale := sorted(set(equivalent) - set(codes)):
        print(f"warning: {EQUIVALENT.name} lists mutants mutmut no longer makes: {stale}")
    report = {p: r for p, r in score(codes, equivalent).items() if p in wanted}
    print(f"{'package':10} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv.':>6} score")
    for pkg, r in report.items():
        shown = f"{r['score']:.1f}%" if r["score"] is not None else "not measured"
        survived = r["survived"] + r["other"]
        print(f"{pkg:10} {r['mutants']:7} {r['killed']:7} {survived:8} {r['equivalent']:6} {shown}")
    MUTANTS.mkdir(exist_ok=True)
    (MUTANTS / "mutation-report.json").write_text(json.dumps(report, indent=2) + "\n")
    survivors = [s for r in report.values() for s in r["survivors"]]
    (MUTANTS / "survivors.txt").write_text("".join(f"{s}\n" for s in survivors))
    low = [
        p
        for p, r in report.items()
        if r["score"] is not None and r["score"] < (args.fail_under or 0)
    ]
    return 1 if args.fail_under is not None and low else 0


if __name__ == "__main__":
    sys.exit(main())
