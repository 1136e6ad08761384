"""Put each of issue 19's 14 one-line bugs back by hand, run the fast tests, revert.

    PYTHONPATH=src python tests/mutation/issue19_by_hand.py [pytest paths]

Prints KILLED (a fast test failed, named) or SURVIVED per bug; the source is restored after
each run. Not a test itself: it rewrites files under src/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROUTE = "src/studysite/routing/route.py"
MD = "src/studysite/render/markdown.py"
PLACE = "src/studysite/links/place.py"
RESOLVE = "src/studysite/tables/resolve.py"
SOURCE = "src/studysite/readers/source.py"
SEP = "            if kind == prev and kind in _SEPARATE:\n"
# (bug, file, original text, text with the bug)
BUGS = [
    ("every part depth 0", ROUTE, "p.depth = sum(", "p.depth = 0 * sum("),
    ("X vs Y goes to Y", ROUTE, 'return named[0], "title"', 'return named[-1], "title"'),
    (
        "toggle follows body naming its page",
        ROUTE,
        "and not family & set(counts) and not topic",
        "and not topic",
    ),
    ("no separator in nested blocks", MD, SEP + "                # Python", None),
    ("no separator between regions", MD, SEP + '                out.append("<!', None),
    ("bare URL keeps )", MD, 'while url.endswith(")") and', "while False and"),
    ("cell does not bound context", PLACE, r'(?=\s)|\|")', r'(?=\s)")'),
    ("silent cell auto-filled", RESOLVE, "if spec is not None and spec.silent:", "if False:"),
    ("guessed dimension needs one word", RESOLVE, "else min(2, len(words))", "else 1"),
    (
        "pin matches first line only",
        RESOLVE,
        "m.line <= cite.line <= m.end_line",
        "m.line == cite.line",
    ),
    ("several matches: last one", RESOLVE, "match = matches[0]\n", "match = matches[-1]\n"),
    (
        "split on FF, VT, U+2028",
        SOURCE,
        r're.compile(r"\r\n|\r|\n")',
        r're.compile(r"\r\n|[\r\n\f\v\u2028]")',
    ),
    ("second BOM stays", SOURCE, 'text.removeprefix("\\ufeff")', "text"),
    ("one UTF-8 sequence wins", SOURCE, "if valid and valid >= len(bad):", "if valid:"),
    ("undefined cp1252 bytes stay surrogates", SOURCE, ".translate(_CP1252_HOLES)", ""),
]


def main(tests: list[str]) -> int:
    survived = 0
    for bug, file, old, new in BUGS:
        path = Path(file)
        original = path.read_text(encoding="utf-8")
        assert original.count(old) == 1, f"{bug}: the original text is not in {file} once"
        if new is None:  # the separator condition, in one of its two places
            new = old.replace("kind == prev and kind in _SEPARATE", "False")
        path.write_text(original.replace(old, new), encoding="utf-8")
        try:
            cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
            run = subprocess.run(
                [*cmd, "-m", "not slow", *tests], capture_output=True, text=True, check=False
            )
        finally:
            path.write_text(original, encoding="utf-8")
        failed = [ln.split(" - ")[0][7:] for ln in run.stdout.splitlines() if ln[:6] == "FAILED"]
        survived += not run.returncode
        print(f"{bug:40} {'KILLED by' if run.returncode else 'SURVIVED'} {' '.join(failed)}")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["tests"]))
