"""Synthetic corpora: the notes N times over, and a pathological note of short headings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml


def _suffix(k: int) -> str:
    # A caption after a dash, which readers and the router already strip when they ask
    # whether a line names a service; digits only, so an all-caps or Title Case line keeps
    # the look that makes a plain-text reader take it for a title.
    return f" – {k}"


def make_corpus(notes_dir: Path, catalog: Path, target: Path, times: int) -> dict[str, int]:
    """Write ``notes_dir`` replicated ``times`` times into ``target`` (which must be empty).

    Copy ``k`` of a note is ``copyNNN-<name>``, its section titles end with " – k"
    (so no copy repeats another's text), its manifest title says which copy it
    is, and the override rules of the note are repeated for it (line numbers do not move).
    Services keep their catalog names so routing has the same work to do on every copy.
    """
    from studysite.build import MANIFEST, OVERRIDES, build_site
    from studysite.readers.source import discover, load

    site = build_site(notes_dir, catalog)
    titles: dict[str, dict[int, str]] = {}
    for note in site.notes:
        per = titles.setdefault(note.file, {})
        for part in note.parts:
            if part.title_line and part.title.strip():
                per[part.title_line] = part.title.strip()
        # A title repeated on a later slide is noise: rename it too, or the copy would not
        # recognise the repeat and would keep it as content.
        named = set(per.values())
        for noise in note.noise:
            if noise.text.strip() in named:
                per[noise.no] = noise.text.strip()
    files, _ = discover(notes_dir)
    manifest = _yaml(notes_dir / MANIFEST) or {}
    overrides = _yaml(notes_dir / OVERRIDES) or {}
    entries = {e.get("file"): e for e in manifest.get("notes") or [] if isinstance(e, dict)}
    out_manifest: list[dict[str, Any]] = list(manifest.get("notes") or [])
    out_overrides: dict[str, Any] = dict(overrides)
    renamed = 0
    target.mkdir(parents=True, exist_ok=True)
    for nf in files:
        lines, _ = load(nf)
        if lines is None:
            continue
        dest = target / nf.file
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(nf.path, dest)
        for k in range(1, times):
            name = _copy_name(nf.file, k)
            copy = list(lines)
            done: set[str] = set()
            for no, title in titles.get(nf.file, {}).items():
                text = copy[no - 1]
                at = text.rfind(title)
                if at < 0:
                    continue  # the reader rewrote the title; keep the line as it is
                end = at + len(title)
                copy[no - 1] = text[:end] + _suffix(k) + text[end:]
                done.add(title)
                renamed += 1
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(copy) + "\n", encoding="utf-8", newline="\n")
            meta = dict(entries.get(nf.file) or {"file": nf.file})
            meta["file"] = name
            meta["title"] = f"{meta.get('title') or nf.file} (copy {k})"
            out_manifest.append(meta)
            if nf.file in overrides:
                out_overrides[name] = [_copy_rule(r, k, done) for r in overrides[nf.file]]
    if manifest or out_manifest:
        _write_yaml(target / MANIFEST, {**manifest, "notes": out_manifest})
    if out_overrides:
        _write_yaml(target / OVERRIDES, out_overrides)
    return {"notes": len(files) * times, "renamed_titles": renamed}


def _copy_name(file: str, k: int) -> str:
    # A prefix, not a suffix: catalog/comparisons.yml names notes by a unique prefix of
    # their file name ("000"), which copies must not make ambiguous.
    folder, _, name = file.rpartition("/")
    return f"{folder}/copy{k:03d}-{name}" if folder else f"copy{k:03d}-{name}"


def _copy_rule(rule: Any, k: int, renamed: set[str]) -> Any:
    if isinstance(rule, dict) and rule.get("heading") in renamed:
        return {**rule, "heading": f"{rule['heading']}{_suffix(k)}"}
    return rule


def _yaml(path: Path) -> Any:
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write_yaml(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# The pathological note of issue 11: about 670 KB of 20,000 short headings.
PATHOLOGICAL_HEADINGS = 20_000


def pathological_note(names: list[str], headings: int = PATHOLOGICAL_HEADINGS) -> str:
    """A Markdown note of ``headings`` short sections, each a heading and one short line.

    With ``names`` (service names) the headings cycle through them, so the sections route
    to as many pages; without, every heading is "Topic N" under one ``## Amazon S3``, so
    they all land on one page: the worst case for a page's table of contents.
    """
    out = ["# Pathological study note", ""]
    if not names:
        out += ["## Amazon S3", ""]
    for i in range(headings):
        title = f"{names[i % len(names)]} {i}" if names else f"Topic {i}"
        out += [f"{'##' if names else '###'} {title}", f"Fact {i}{'' if names else ' holds'}.", ""]
    return "\n".join(out)


def service_names(catalog: Path, count: int = 40) -> list[str]:
    """The first ``count`` service names of the catalog (for a note that spreads)."""
    data = _yaml(catalog) or {}
    entries = [e for e in data.get("entries") or [] if isinstance(e, dict)]
    # Short names keep the note near the 670 KB; each is a page's own name.
    names = [str(e["name"]) for e in entries if e.get("kind") == "service"]
    return [n for n in names if len(n) <= 12][:count]
