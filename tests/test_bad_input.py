"""Bad notes never break the build, never lose a line, never hang.

Every case of ``tests/corpus/README.md`` is made here, in ``tmp_path`` (no 10 MB file is
committed), next to one good note, and run through the pure core: ``build_site`` (read and
route) and ``generate`` (render every page to Markdown). For each case the test asserts the
diagnostics word for word, that the good note still produced its page, that no line of any
note is unaccounted for or missing from the pages without a noise reason. "Never hang" is
checked by counting work (function calls grow linearly with the number of headings), never by
the clock; a hang guard of minutes only stops a real infinite loop. The slow test at the end
runs ``mkdocs build --strict`` over a folder of bad notes through the real hooks.
"""

from __future__ import annotations

import errno
import json
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sitebuild import copy_project, mkdocs_build
from workcount import growth

from studysite.build import Note, Site, build_site
from studysite.readers import source
from studysite.site import SiteOutput, generate

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog" / "services.yml"
# Only an infinite loop takes this long (the slowest case takes seconds): a guard, not a bound.
HANG_GUARD_SECONDS = 600

# The note every case sits beside: it must always produce its page.
GOOD_FILE = "good.md"
GOOD = b"# Good note\n\n## Amazon S3\n\nS3 stores objects in buckets.\n"

Maker = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One bad input and its expected outcome."""

    id: str
    # Relative path under notes/ -> file content, or a function that makes the entry.
    files: dict[str, bytes | Maker]
    # str() of every diagnostic, word for word and in order, with its level.
    messages: tuple[tuple[str, str], ...] = ()
    # Pages the bad note must feed (beyond the good note's s3).
    pages: tuple[str, ...] = ()
    # Text that must appear in the rendered Markdown of the named page.
    shows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Also render every page (generate); off only where build_site is the point.
    render: bool = True
    # Needs POSIX file system features (symlinks, FIFOs, undecodable names).
    posix: bool = False
    # A known bug this case shows (strict: the case fails once the bug is fixed).
    bug: str = ""


def _symlink(target: str) -> Maker:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _sparse(size: int) -> Maker:
    def make(path: Path) -> None:
        with path.open("wb") as f:
            f.truncate(size)

    return make


W = "warning"
RESAVE = "re-save the note as UTF-8"
EC2 = "## Amazon EC2\n\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
TEN_MB_JSON = json.dumps([{"id": i, "tags": ["a", "b"]} for i in range(400_000)])[:10_000_000]

CASES: list[Case] = [
    Case(
        "empty-file",
        {"empty.md": b""},
        (("info", "empty.md:1: the note is empty; nothing to show"),),
    ),
    Case(
        "whitespace-only",
        {"blank.txt": b"   \n\t\n \r\n\xc2\xa0\n"},
        (("info", "blank.txt:1: the note is empty; nothing to show"),),
    ),
    Case(
        "png-image",
        {"image.md": PNG},
        ((W, "image.md:1: skipped: not a text file (a PNG image); move it out of notes/"),),
    ),
    Case(
        "nul-bytes",
        {"nul.txt": b"Amazon EC2\n\nsome\x00binary\x00bytes\n"},
        ((W, "nul.txt:1: skipped: not a text file (binary data); move it out of notes/"),),
    ),
    Case(
        "invalid-utf8",
        {
            "broken.md": (EC2 + "Café – naïve\nbad \udcff byte\nfine\nalso \udcc3( bad\n").encode(
                "utf-8", "surrogateescape"
            )
        },
        ((W, f"broken.md:4: invalid UTF-8 bytes on lines 4, 6 replaced by U+FFFD; {RESAVE}"),),
        pages=("ec2",),
        shows={"ec2": ("Café – naïve", "bad \ufffd byte", "also \ufffd( bad")},
    ),
    Case(
        "latin-1",
        {"latin.txt": "Amazon EC2\n\ncafé crème, 20 °C\n".encode("latin-1")},
        (
            (
                W,
                "latin.txt:3: not UTF-8: read as Windows-1252 (Latin-1); if accented letters "
                f"look wrong, {RESAVE}",
            ),
        ),
        pages=("ec2",),
        shows={"ec2": ("café crème, 20 °C",)},
    ),
    Case(
        "utf8-bom",
        {"bom.md": b"\xef\xbb\xbf## Amazon EC2\n\nwith a BOM\n"},
        pages=("ec2",),
        shows={"ec2": ("with a BOM",)},
    ),
    Case(
        "utf16-bom",
        {
            "le.md": (EC2 + "little endian\n").encode("utf-16"),
            "be.txt": b"\xfe\xff" + "Amazon SQS\n\nbig endian\n".encode("utf-16-be"),
        },
        pages=("ec2", "sqs"),
        shows={"ec2": ("little endian",), "sqs": ("big endian",)},
    ),
    Case(
        "utf16-without-bom",
        {"nobom.md": (EC2 + "no byte order mark\n").encode("utf-16-le")},
        pages=("ec2",),
        shows={"ec2": ("no byte order mark",)},
    ),
    Case(
        "crlf-line-endings",
        {"crlf.md": b"## Amazon EC2\r\n\r\nfirst line\r\nsecond line\r\n"},
        pages=("ec2",),
        shows={"ec2": ("first line\nsecond line",)},
    ),
    Case(
        "lone-cr-line-endings",
        {"cr.md": b"## Amazon EC2\r\rfirst line\rsecond line\r## Amazon SQS\r\rqueues"},
        pages=("ec2", "sqs"),
        shows={"ec2": ("first line\nsecond line",), "sqs": ("queues",)},
    ),
    Case(
        "ten-mb-single-line",
        {"big.md": (EC2 + TEN_MB_JSON + "\n").encode()},
        (
            (
                W,
                "big.md:3: skipped: line 3 is 10,000,000 characters long (the limit is "
                "1,000,000); break it into shorter lines, or move pasted data (minified JSON, "
                "embedded files) out of the note",
            ),
        ),
    ),
    Case(
        "fifty-thousand-headings",
        {
            "headings.md": "".join(
                f"## Heading {i}\n\nText {i}.\n\n" for i in range(50_000)
            ).encode()
        },
        pages=("unsorted",),
        render=False,  # rendering 50,000 sections is measured by test_fifty_thousand_...
    ),
    Case(
        "list-nested-100-deep",
        {"deep.md": (EC2 + "".join("  " * i + f"- level {i}\n" for i in range(100))).encode()},
        pages=("ec2",),
        shows={"ec2": ("- level 0", "level 50", "level 99")},
    ),
    Case(
        "unclosed-code-fence",
        {"fence.md": (EC2 + "```python\nprint('hi')\n## Not a heading\n\nstill code\n").encode()},
        pages=("ec2",),
        shows={"ec2": ("```python\nprint('hi')\n## Not a heading\n\nstill code\n```",)},
    ),
    Case(
        "unbalanced-emphasis",
        {
            "emph.md": (
                EC2 + "**bold never closed\n__under never closed\nmid ** and __ x\n"
            ).encode()
        },
        pages=("ec2",),
        shows={"ec2": ("\\*\\*bold never closed", "\\_\\_under never closed")},
    ),
    Case(
        "table-with-1000-columns",
        {
            "wide.md": (
                EC2
                + "|"
                + "|".join(f"c{i}" for i in range(1000))
                + "|\n"
                + "|"
                + "---|" * 1000
                + "\n"
                + "|"
                + "|".join(f"v{i}" for i in range(1000))
                + "|\n"
            ).encode()
        },
        pages=("ec2",),
        shows={"ec2": ("| c0 | c1 |", "| v998 | v999 |")},
    ),
    Case(
        "same-file-name-in-two-folders",
        {"a/notes.md": EC2.encode() + b"from folder a\n", "b/notes.md": EC2.encode() + b"from b\n"},
        pages=("ec2",),
        shows={
            "ec2": (
                "[a/notes · 1–3](",
                "from folder a",
                "[b/notes · 1–3](",
                "from b",
            )
        },
    ),
    Case(
        "symlink-loop",
        {
            "loop/again": _symlink(".."),
            "loop/inside.md": EC2.encode() + b"inside the looping folder\n",
            "self.md": _symlink("other.md"),
            "other.md": _symlink("self.md"),
        },
        (
            (
                W,
                "loop/again:1: skipped: a symbolic link loop (it links to a folder it is in); "
                "remove the link",
            ),
            (W, "other.md:1: skipped: a symbolic link loop; remove the link"),
            (W, "self.md:1: skipped: a symbolic link loop; remove the link"),
        ),
        pages=("ec2",),
        posix=True,
    ),
    Case(
        "broken-and-duplicate-links",
        {"gone.md": _symlink("nowhere.md"), "copy.md": _symlink(GOOD_FILE)},
        (
            (W, "copy.md:1: skipped: it links to good.md, which is read anyway; remove the link"),
            (
                W,
                "gone.md:1: skipped: a broken symbolic link (its target does not exist); fix "
                "or remove the link",
            ),
        ),
        posix=True,
    ),
    Case(
        "fifo-named-like-a-note",
        {"pipe.md": _fifo},
        ((W, "pipe.md:1: skipped: not a regular file; move it out of notes/"),),
        posix=True,
    ),
    Case(
        "file-larger-than-20-mb",
        {"huge.txt": _sparse(source.MAX_NOTE_BYTES + 1)},
        (
            (
                W,
                "huge.txt:1: skipped: 20.0 MB is too large for a note (the limit is 20 MB); "
                "split it into smaller notes",
            ),
        ),
    ),
    Case(
        "unusable-file-names",
        {
            os.fsdecode(b"caf\xe9.md"): b"not UTF-8 in the name\n",
            "two\nlines.md": b"a newline in the name\n",
        },
        (
            (
                W,
                "caf\\xe9.md:1: skipped: the file name is not valid UTF-8 or has control "
                "characters; rename the file",
            ),
            (
                W,
                "two\\nlines.md:1: skipped: the file name is not valid UTF-8 or has control "
                "characters; rename the file",
            ),
        ),
        posix=True,
    ),
    Case(
        "no-known-service",
        {"cooking.md": b"# Cooking\n\n## Pasta\n\nBoil water.\n\n## Sauce\n\nTomatoes.\n"},
        pages=("unsorted",),
        shows={"unsorted": ("Boil water.", "Tomatoes.")},
    ),
    Case(
        "plain-text-before-any-title",
        {"intro.txt": b"Some words before any title.\n\nAmazon EC2\n\nEC2 runs servers.\n"},
        # A note about one service only: its untitled lead is more of that service.
        pages=("ec2",),
        shows={"ec2": ("Some words before any title.", "EC2 runs servers.")},
    ),
    Case(
        "front-matter-not-yaml",
        {"meta.md": b"---\ntitle: [unclosed\nauthor: : :\n---\n## Amazon EC2\n\nbody text\n"},
        (
            (
                W,
                "meta.md:3: front matter is not valid YAML (expected ',' or ']', but got ':'); "
                "fix it or remove it",
            ),
        ),
        pages=("ec2",),
        shows={"ec2": ("body text",)},
    ),
    Case(
        "template-looking-text",
        {"tpl.md": EC2.encode() + b"Use {{ ssm:x }} and {% raw %} and {{ config.site_name }}\n"},
        pages=("ec2",),
        shows={"ec2": ("{{ ssm:x }} and {% raw %} and {{ config.site_name }}",)},
    ),
    Case(
        "line-break-characters-python-splits-on",
        {"breaks.md": EC2.encode() + "form\x0cfeed, vertical\x0btab, line\u2028sep\n".encode()},
        pages=("ec2",),
    ),
    Case(
        "private-use-characters",  # icon-font glyphs (Nerd Fonts) pasted from a terminal
        {"icons.md": EC2.encode() + "\U000f0001 ready \U000f0000 \\\U000f0002 ok\n".encode()},
        pages=("ec2",),
        shows={"ec2": ("\U000f0001 ready \U000f0000",)},
    ),
    Case(
        "hidden-files-are-ignored",
        {".draft.md": PNG, ".obsidian/x.md": b"\x00"},
    ),
]


def _make(notes: Path, files: dict[str, bytes | Maker]) -> None:
    notes.mkdir(parents=True, exist_ok=True)
    (notes / GOOD_FILE).write_bytes(GOOD)
    for rel, content in files.items():
        path = notes / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)


def lost_lines(note: Note) -> list[int]:
    """Non-blank lines of a note that are not exactly once on a page or noise."""
    seen: Counter[int] = Counter()
    for part in note.parts:
        if part.title_line:
            seen[part.title_line] += 1
        seen.update({ln.no for ln in part.lines if ln.no and ln.text.strip()})
    seen.update(n.no for n in note.noise)
    return [no for no, line in enumerate(note.lines, 1) if line.strip() and seen[no] != 1]


def check_site(site: Site) -> None:
    """The good note built, and no note lost a line."""
    good = next(n for n in site.notes if n.file == GOOD_FILE)
    assert [p.page for p in good.parts] == ["s3"]
    assert "s3" in site.pages
    for note in site.notes:
        assert note.unaccounted == [], note.file
        assert lost_lines(note) == [], note.file


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """Fail a test that loops forever instead of stalling the run (POSIX only)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {HANG_GUARD_SECONDS} s: an infinite loop?")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case, tmp_path: Path) -> tuple[Site, SiteOutput | None]:
    notes = tmp_path / "notes"
    _make(notes, case.files)
    site = build_site(notes, CATALOG)
    out = generate(notes, CATALOG, tmp_path / "docs") if case.render else None
    return site, out


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] * bool(c.bug))
        for c in CASES
    ],
)
def test_bad_input(case: Case, tmp_path: Path) -> None:
    if case.posix and os.name != "posix":
        pytest.skip("needs POSIX symlinks, FIFOs and byte file names")
    site, out = run_case(case, tmp_path)
    assert [(d.level, str(d)) for d in site.diagnostics] == list(case.messages)
    check_site(site)
    bad = [n for n in site.notes if n.file != GOOD_FILE]
    fed = {p.page for n in bad for p in n.parts}
    assert set(case.pages) <= fed, fed
    if out is None:
        return
    # Rendering adds no warning of its own for these notes.
    assert [d for d in out.diagnostics if d.level != "info"] == [
        d for d in site.diagnostics if d.level != "info"
    ]
    for page_id, texts in case.shows.items():
        markdown = out.pages[site.pages[page_id].path]
        for text in texts:
            assert text in markdown, (page_id, text)


def test_the_corpus_table_lists_every_case() -> None:
    """tests/corpus/README.md documents every case and its messages."""
    table = (ROOT / "tests" / "corpus" / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"| `{case.id}` |" in table, case.id
        for _level, message in case.messages:
            assert message.split(": ", 1)[1] in table, message


def test_every_message_is_one_line_naming_the_file() -> None:
    for case in CASES:
        for _level, message in case.messages:
            assert "\n" not in message
            file, line, text = message.split(":", 2)
            assert file
            assert line.isdigit()
            assert text.startswith(" ")


UNREADABLE = [
    "locked.md:1: skipped: cannot read the file (permission denied); make it readable (chmod a+r)",
    "private:1: skipped: cannot read the folder (permission denied); make it readable (chmod a+rx)",
]
LOCKED = {"locked.md": EC2.encode() + b"secret\n", "private/inside.md": EC2.encode() + b"x\n"}


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads any file (see the simulated test)"
)
def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    _make(notes, LOCKED)
    (notes / "locked.md").chmod(0)
    (notes / "private").chmod(0)
    try:
        site = build_site(notes, CATALOG)
    finally:
        (notes / "locked.md").chmod(0o644)
        (notes / "private").chmod(0o755)
    assert sorted(str(d) for d in site.diagnostics) == UNREADABLE
    check_site(site)


def test_unreadable_file_and_folder_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same outcome when the tests run as root, where chmod 000 does not stop reading."""
    notes = tmp_path / "notes"
    _make(notes, LOCKED)
    read_bytes, scandir = Path.read_bytes, os.scandir

    def deny_file(path: Path) -> bytes:
        if path.name == "locked.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return read_bytes(path)

    def deny_folder(path: Any) -> Any:
        if Path(path).name == "private":
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(Path, "read_bytes", deny_file)
    monkeypatch.setattr(os, "scandir", deny_folder)
    site = build_site(notes, CATALOG)
    assert sorted((d.level, str(d)) for d in site.diagnostics) == [
        ("warning", message) for message in UNREADABLE
    ]
    check_site(site)


def test_symlinked_folder_outside_notes_is_followed(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("needs POSIX symlinks")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "sqs.md").write_bytes(b"## Amazon SQS\n\nkept in another folder\n")
    (elsewhere / "back").symlink_to(tmp_path / "notes")
    _make(tmp_path / "notes", {"linked": _symlink(str(elsewhere))})
    site = build_site(tmp_path / "notes", CATALOG)
    assert [str(d) for d in site.diagnostics] == [
        "linked/back:1: skipped: it links to the notes folder itself, which is read anyway; "
        "remove the link"
    ]
    assert "linked/sqs.md" in {n.file for n in site.notes}
    check_site(site)


@pytest.mark.slow
def test_fifty_thousand_headings_render(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "fifty-thousand-headings")
    site, out = run_case(Case(case.id, case.files, render=True), tmp_path)
    assert out is not None
    assert "Text 49999." in out.pages[site.pages["unsorted"].path]


def test_many_headings_cost_grows_linearly(tmp_path: Path) -> None:
    """Read, route and render: 10x the headings is ~10x the function calls, not 100x."""

    def run(n: int) -> None:
        notes = tmp_path / f"notes-{n}"
        if not notes.exists():
            body = "".join(f"## Heading {i}\n\nText {i}.\n\n" for i in range(n))
            _make(notes, {"headings.md": body.encode()})
        generate(notes, CATALOG, tmp_path / f"docs-{n}")

    ratio = growth(run, 200, 2000)
    assert ratio < 10 * 1.5, ratio


# --- a strict MkDocs build over a folder of bad notes ------------------------------------

BAD_FOR_MKDOCS = {
    "a/notes.md": EC2.encode() + b"from folder a\n",
    "b/notes.md": EC2.encode() + b"from folder b\n",
    "latin.txt": "Amazon SQS\n\ncafé crème\n".encode("latin-1"),
    "image.md": PNG,
    "meta.md": b"---\ntitle: [unclosed\n---\n## Amazon SNS\n\nbody\n",
    "crlf.md": b"## Amazon EBS\r\n\r\nvolumes\r\n",
    "empty.md": b"",
}
EXPECTED_WARNINGS = [
    "WARNING -  image.md:1: skipped: not a text file (a PNG image); move it out of notes/",
    "WARNING -  latin.txt:3: not UTF-8: read as Windows-1252 (Latin-1); if accented letters "
    f"look wrong, {RESAVE}",
    "WARNING -  meta.md:2: front matter is not valid YAML (expected ',' or ']', but got "
    "'<stream end>'); fix it or remove it",
]


def mini_site(tmp_path: Path, notes: dict[str, bytes]) -> Path:
    """A copy of the project with the home and about pages and these notes."""
    site = copy_project(tmp_path, note_pages_only=True)
    _make(site / "notes", notes)
    return site


@pytest.mark.slow
def test_mkdocs_build_of_bad_notes(tmp_path: Path) -> None:
    site = mini_site(tmp_path, BAD_FOR_MKDOCS)
    strict = mkdocs_build(site, strict=True)
    assert strict.returncode != 0
    assert "Traceback" not in strict.stderr
    warnings = [ln for ln in strict.stderr.splitlines() if ln.startswith("WARNING")]
    assert warnings == EXPECTED_WARNINGS
    loose = mkdocs_build(site, strict=False)
    assert loose.returncode == 0, loose.stderr
    assert "Traceback" not in loose.stderr
    out = site / "out"
    ec2 = (out / "compute" / "ec2" / "index.html").read_text(encoding="utf-8")
    assert "from folder a" in ec2
    assert "from folder b" in ec2
    sqs = (out / "application-integration" / "sqs" / "index.html").read_text(encoding="utf-8")
    assert "café crème" in sqs
    assert (out / "storage" / "s3" / "index.html").exists()


def test_a_missing_notes_folder_says_so_and_what_to_do(tmp_path: Path) -> None:
    from studysite.readers.source import discover

    found, diags = discover(tmp_path / "nowhere")
    assert found == []
    [d] = diags
    assert d.file.endswith("nowhere")
    assert "does not exist" in d.message
    assert "create it" in d.message


def test_utf16_without_a_bom_that_holds_binary_is_skipped_by_name() -> None:
    from studysite.readers import source

    # Text first (so it reads as UTF-16), then a NUL character past the sniffed bytes.
    data = ("word " * (source._SNIFF_BYTES // 10 + 4) + "\x00" + "tail\n").encode("utf-16-le")
    lines, [d] = source.decode("notes/odd.md", data)
    assert lines is None
    assert (d.file, d.level) == ("notes/odd.md", "warning")
    assert "not a text file (binary data)" in d.message


@pytest.mark.parametrize(
    ("path", "folder", "inside"),
    [
        ("/a/b", "/a/b", True),
        ("/a/b/c", "/a/b", True),
        ("/a/bc", "/a/b", False),
        ("/a/b/c", "/", True),  # the root holds everything
        ("/a/b/c", "/a/b ", False),  # a folder whose name ends in a space is another folder
    ],
)
def test_a_path_is_within_a_folder_only_below_it(path: str, folder: str, inside: bool) -> None:
    from studysite.readers.source import _within

    assert _within(path, folder) is inside
