"""Proposed comparison cells of the shared corpora, and a fixed-seed sample of them to judge.

``python tests/comparisons/cells.py draw --n 60 --seed 18 > sample.yml`` writes the sample
(each cell with an empty ``verdict`` and ``reason`` for the judge);
``python tests/comparisons/cells.py score judged.yml`` prints the judged precision and the
filled share of shown tables per corpus. ``tests/test_tables.py`` reads the same cells.
"""

from __future__ import annotations

import random
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = ("obsidian-flochai-saa", "multifolder-tiagopala-dva", "qa-kananinirav-ccp")


@cache
def tables(corpus: str) -> tuple[dict[str, Any], ...]:
    """The report's per-table entries for one corpus (``by_table``, shown or not)."""
    from studysite.site import generate

    out = generate(SHARED / corpus, ROOT / "catalog" / "services.yml", ROOT / "nonexistent")
    assert out.comparisons is not None
    return tuple(out.comparisons.stats()["by_table"])


def proposed(corpus: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Proposed cells of the shown tables, keyed by (table, row, item)."""
    return {
        (t["id"], c["row"], c["item"]): c
        for t in tables(corpus)
        if t["shown"]
        for c in t["cells"]
        if c["status"] == "proposed"
    }


def filled_share(corpus: str) -> float:
    """Share of the cells of shown tables that are curated or proposed."""
    cells = [c for t in tables(corpus) if t["shown"] for c in t["cells"]]
    return sum(c["status"] != "empty" for c in cells) / max(len(cells), 1)


def draw(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` proposed cells drawn from every corpus together, in a fixed order."""
    pool = [
        {"corpus": corpus, "table": k[0], "row": k[1], "item": k[2], **_shown(c)}
        for corpus in CORPORA
        for k, c in sorted(proposed(corpus).items())
    ]
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return [{**p, "verdict": "", "reason": ""} for p in picked]


def _shown(cell: dict[str, Any]) -> dict[str, Any]:
    return {k: cell[k] for k in ("value", "quote", "file", "line")}


def score(judged: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision of the judged cells as judged (correct / all judged)."""
    counts = {
        v: sum(1 for j in judged if j["verdict"] == v) for v in ("correct", "partial", "wrong")
    }
    return {**counts, "precision": counts["correct"] / max(len(judged), 1)}


def main(argv: list[str]) -> None:
    if argv[:1] == ["draw"]:
        n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 60
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 18
        yaml.safe_dump(draw(n, seed), sys.stdout, sort_keys=False, allow_unicode=True, width=100)
    elif argv[:1] == ["score"]:
        judged = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8"))
        print(score(judged))
        for corpus in CORPORA:
            print(f"{corpus}: {filled_share(corpus):.0%} of the cells of shown tables filled")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
