"""Key facts at the top of a service page: the numbers the notes state, disagreements shown.

From :func:`studysite.facts.extract_facts`: at most :data:`MAX_FACTS` rows, the most
exam-relevant first (named by a limit word, stated by several notes, or disputed). A fact
stated by several notes with one value is one row with each note's mark; where notes
disagree, the row says so and shows every value beside its note. The notes' order decides
nothing: no value is taken to be the newer one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from studysite.facts import Fact
from studysite.facts.extract import phrase_key
from studysite.model import Page
from studysite.render.sources import NoteIndex, line_anchor

MAX_FACTS = 12
# A phrase that names a limit, a default or a size is what an exam asks.
_STRONG = re.compile(
    r"\b(?:max(?:imum)?|min(?:imum)?|default|limit|retention|timeout|size|up to|durability|"
    r"availability|duration|period|ttl|throughput|capacity|storage|memory|cost|price|iops|"
    r"latency|interval|quota)\b",
    re.IGNORECASE,
)
_WEAK_PHRASE = re.compile(r"[<…]|^\W|^(?:\w+\s?){0,1}$")


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


def key_facts(page: Page, facts: Sequence[Fact], notes: NoteIndex) -> str:
    """The Key facts block of ``page`` ("" when its notes state none worth listing)."""
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        if f.page != page.id or _WEAK_PHRASE.search(f.fact) or not _STRONG.search(f.fact):
            continue
        groups.setdefault(phrase_key(f.fact), []).append(f)
    if not groups:
        return ""

    def score(item: tuple[str, list[Fact]]) -> tuple[int, int]:
        key, fs = item
        notes_count = len({f.file for f in fs})
        disputed = len({f.normalised for f in fs}) > 1 and notes_count > 1
        return (-(notes_count + 2 * disputed), order[key])

    order = {key: i for i, key in enumerate(groups)}
    chosen = sorted(groups.items(), key=score)[:MAX_FACTS]
    chosen.sort(key=lambda item: order[item[0]])
    rows = []
    for _, fs in chosen:
        by_value: dict[tuple[float, ...], list[Fact]] = {}
        for f in fs:
            by_value.setdefault(f.normalised, []).append(f)
        disputed = len(by_value) > 1 and len({f.file for f in fs}) > 1
        values = []
        for same in by_value.values():
            marks = ", ".join(
                dict.fromkeys(
                    notes.link(f.file, page.path, f" · {f.line}", line_anchor(f.part)) for f in same
                )
            )
            values.append(f"{_cell(same[0].value)} ({marks})")
        mark = " **notes disagree**" if disputed else ""
        rows.append(f"| {_cell(fs[0].fact)} | {'; '.join(values)}{mark} |")
    return "\n".join(
        [
            '???+ abstract "Key facts: the numbers the notes state"',
            "",
            *("    " + line for line in ["| Fact | Value (note · line) |", "| --- | --- |", *rows]),
        ]
    )
