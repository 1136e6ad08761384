"""Mutation score per core package, from mutmut's results (``make mutation``).

    python scripts/mutation_report.py --run routing tables   # run mutmut on them, then report
    python scripts/mutation_report.py                        # report what mutants/ holds
    python scripts/mutation_report.py --run --sample 30 --seed 1   # an estimate from 30 a package


``--run`` calls ``mutmut run --max-children 1`` (one worker: the tests are CPU-bound) for the
named packages; mutmut runs, for each mutant, only the fast tests that call the mutated
function. The score of a package is killed / (mutants - listed equivalents): a timeout counts
as killed, a mutant no test reaches counts as survived. Equivalent mutants (they cannot change
behaviour) are listed in ``tests/mutation/equivalent.txt``, one name and its reason a line.
Writes ``mutants/mutation-report.{txt,json}`` and ``mutants/survivors.txt`` (the workflow
uploads them).

``--sample N --seed S`` is for a machine where the full run (about 15,000 mutants, hours on
one core) does not fit: it has mutmut generate every mutant, picks N of each package at
random with a fixed seed (the same seed picks the same mutants), runs only those, and reports
the score of the sample as an estimate of the package's score, with its sample size and a 95%
(Wilson) interval. The picked names are kept in ``mutants/sample.json`` so a later report
without ``--run`` scores the same sample. A sample is drawn from every mutant, listed
equivalents included (they then leave the denominator), so listing an equivalent does not
change which mutants a seed picks. An honest estimate comes from a seed whose survivors were
not the ones tests were written for: after adding tests for a sample's survivors, measure with
a new seed. The full run stays the default (the weekly workflow).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("readers", "routing", "render", "links", "tables", "model")
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.txt"
MUTANTS = ROOT / "mutants"
SAMPLE = MUTANTS / "sample.json"
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


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval (percent) of a proportion seen in a sample; Wilson's, sound near 100%."""
    if n == 0:
        return (0.0, 100.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1))


def pick_sample(names: list[str], packages: list[str], n: int, seed: int) -> dict[str, list[str]]:
    """N mutants of each package, the same for the same seed whatever else is picked."""
    picked: dict[str, list[str]] = {}
    for pkg in packages:
        mine = sorted(k for k in names if package_of(k) == pkg)
        # A seed per package: adding a package to the command does not change another's pick.
        rng = random.Random(f"{seed}:{pkg}")
        picked[pkg] = sorted(rng.sample(mine, min(n, len(mine))))
    return picked


def score(
    codes: dict[str, int | None],
    equivalent: dict[str, str],
    sample: dict[str, list[str]] | None = None,
) -> dict[str, dict]:
    """Per package: counts, the score (None: not measured) and the surviving mutants.

    With a sample, only its mutants count, and the score comes with its 95% interval.
    """
    report: dict[str, dict] = {}
    for pkg in PACKAGES:
        if sample is not None and pkg not in sample:
            continue
        mine = {k: v for k, v in codes.items() if package_of(k) == pkg}
        population = len(mine)
        if sample is not None:
            mine = {k: codes.get(k) for k in sample[pkg]}
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
            "mutants": population,
            **{k: count[k] for k in ("killed", "survived", "equivalent", "other", "not run")},
            "score": round(100 * count["killed"] / counted, 1) if measured and counted else None,
            "survivors": survivors,
        }
        if sample is not None:
            report[pkg]["sample"] = len(mine)
            report[pkg]["interval"] = wilson(count["killed"], counted) if measured else None
    return report


# Mutant generation is the first step of `mutmut run` and has no command of its own; these are
# the calls `mutmut run` makes (mutmut is pinned, requirements-dev.txt), so a sample can be
# drawn from the names before any mutant runs.
GENERATE = """
from pathlib import Path
import mutmut.__main__ as m
m.set_mutant_under_test("mutant_generation")
Path("mutants").mkdir(exist_ok=True)
m.copy_src_dir(); m.copy_also_copy_files(); m.setup_source_paths(); m.store_lines_covered_by_tests()
m.create_mutants(1)
"""


def generate_mutants() -> None:
    print("$ (mutmut) generating mutants", flush=True)
    cmd = [sys.executable, "-c", GENERATE]
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def run_mutmut(packages: list[str], children: int, names: list[str] | None = None) -> None:
    patterns = names or [f"studysite.{p}.*" for p in packages]
    cmd = ["mutmut", "run", "--max-children", str(children), *patterns]
    shown = cmd if names is None else [*cmd[:4], f"<{len(names)} sampled mutants>"]
    print("$", " ".join(shown), flush=True)
    # mutmut's own exit code says nothing about the score; the table below does.
    subprocess.run(cmd, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


def table_header(sampled: bool) -> str:
    head = f"{'package':10} {'mutants':>7} {'killed':>7} {'survived':>8} {'equiv.':>6} score"
    return head.replace(" score", f" {'sample':>6} score (95% interval)") if sampled else head


def table_row(pkg: str, r: dict) -> str:
    survived = r["survived"] + r["other"]
    row = f"{pkg:10} {r['mutants']:7} {r['killed']:7} {survived:8} {r['equivalent']:6}"
    if r["score"] is None:
        shown = "not measured"
    elif "sample" in r:
        low, high = r["interval"]
        shown = f"~{r['score']:.1f}% ({low:.0f}-{high:.0f}%)"
    else:
        shown = f"{r['score']:.1f}%"
    return f"{row} {r['sample']:6} {shown}" if "sample" in r else f"{row} {shown}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("packages", nargs="*", help=f"any of {', '.join(PACKAGES)} (default all)")
    parser.add_argument("--run", action="store_true", help="run mutmut on them first")
    parser.add_argument("--max-children", type=int, default=1, help="mutmut workers (1)")
    parser.add_argument("--fail-under", type=float, help="exit 1 if a measured score is lower")
    parser.add_argument("--sample", type=int, metavar="N", help="estimate from N mutants a package")
    parser.add_argument("--seed", type=int, default=1, help="which N mutants --sample picks (1)")
    args = parser.parse_args(argv)
    wanted = [p for pkg in args.packages for p in pkg.replace(",", " ").split()] or list(PACKAGES)
    if unknown := set(wanted) - set(PACKAGES):
        parser.error(f"unknown package(s): {', '.join(sorted(unknown))}")
    if args.sample is not None and args.sample < 1:
        parser.error("--sample needs N >= 1")
    equivalent = equivalents()
    sample = None
    if args.sample is not None:
        if args.run or not results():
            generate_mutants()
        sample = pick_sample(list(results()), wanted, args.sample, args.seed)
        drawn = {"n": args.sample, "seed": args.seed, "mutants": sample}
        SAMPLE.write_text(json.dumps(drawn, indent=2) + "\n", encoding="utf-8")
    elif not args.run and SAMPLE.exists():
        # The last sampled run, scored again (e.g. after listing equivalents).
        drawn = json.loads(SAMPLE.read_text(encoding="utf-8"))
        sample = {p: names for p, names in drawn["mutants"].items() if p in wanted}
        wanted = [p for p in wanted if p in sample]
    elif SAMPLE.exists():
        SAMPLE.unlink()  # a full run: later reports score every mutant again
    if args.run:
        names = [n for p in wanted for n in sample[p]] if sample is not None else None
        run_mutmut(wanted, args.max_children, names)
    codes = results()
    if stale := sorted(set(equivalent) - set(codes)):
        print(f"warning: {EQUIVALENT.name} lists mutants mutmut no longer makes: {stale}")
    report = {p: r for p, r in score(codes, equivalent, sample).items() if p in wanted}
    lines = [table_header(sample is not None)]
    lines += [table_row(pkg, r) for pkg, r in report.items()]
    if sample is not None:
        how = f"--sample {drawn['n']} --seed {drawn['seed']}"
        lines.append(f"estimates from a random sample ({how}) with their 95% interval")
    print("\n".join(lines))
    MUTANTS.mkdir(exist_ok=True)
    (MUTANTS / "mutation-report.txt").write_text("\n".join(lines) + "\n")
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
