"""``studysite bench``: what a build costs and how it grows with the notes.

A benchmark, not a timed test: it measures and reports, and says which target a figure
misses; it never fails because a machine is slow. One run measures

- the core pipeline (:func:`studysite.site.generate`) stage by stage, on the notes and on
  synthetic corpora N times their size, each corpus in a fresh subprocess so its peak memory
  is its own (the 1x figure is not polluted by a bigger corpus, nor by this process);
- the full ``mkdocs build`` of the site against a plain Material build of the same final
  Markdown pages without our hooks, back to back, several times, median of each;
- the built site: total size, search index size, largest page.

Stages are timed where ``generate()`` calls them: inside the worker, the functions of each
stage are wrapped in place (in their module and wherever another studysite module imported
them) with a clock that counts exclusive time, so a stage nested in another (a reader asking
the router) is not counted twice and new calls (links, tables) are picked up once
``generate()`` makes them. A stage nothing calls yet is reported as ``n/a``.

The core never imports MkDocs: builds run as ``python -m mkdocs build`` subprocesses.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import inspect
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

# The targets. MB and GB are decimal: the stricter reading.
TARGET_CORE_1X_S = 0.3
TARGET_GROWTH = 1.2  # an N-times corpus may take at most 1.2 * N times the 1x time
TARGET_BUILD_RATIO = 1.10
TARGET_SEARCH_INDEX_BYTES = 1_500_000
TARGET_PEAK_100X_BYTES = 1_000_000_000

STAGES = ("setup", "read", "parse", "route", "render", "excerpts", "links", "tables")

# Stage -> "module:name" of the functions (or classes, timed at construction) the pipeline
# calls for it. A name that no longer exists is skipped: the bench must not break when
# someone renames a helper, the stage just shows fewer calls.
_STAGE_FUNCS: dict[str, tuple[str, ...]] = {
    "setup": (
        "studysite.routing.catalog:load_catalog",
        "studysite.notes:load_manifest",
        "studysite.routing.overrides:load_overrides",
        "studysite.routing.aliases:catalog_matcher",
        "studysite.routing.route:Router",
    ),
    "read": ("studysite.readers.source:discover", "studysite.readers.source:load"),
    "parse": ("studysite.readers:read_note", "studysite.build:_apply_line_rules"),
    "route": (
        "studysite.routing.route:route_tree",
        "studysite.model:unaccounted_lines",
        "studysite.build:_make_pages",
    ),
    "render": (
        "studysite.render.pages:render_page",
        "studysite.render.navigation:categories_in_use",
        "studysite.render.navigation:category_page",
        "studysite.render.navigation:nav",
    ),
}
# Stages that are whole packages: every public function or class that a module outside the
# package uses is timed (calls inside the package are not wrapped, so they cost nothing).
_STAGE_PACKAGES: dict[str, str] = {
    "excerpts": "studysite.render.passing",
    "links": "studysite.links",
    "tables": "studysite.tables",
}


# -- stage clock (runs in the worker) ---------------------------------------------------------


@dataclass
class _Clock:
    """Exclusive wall and CPU time per stage, from wrapped calls."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    _stack: list[list[float]] = field(default_factory=list)

    def reset(self) -> None:
        self.wall.clear()
        self.cpu.clear()
        self.calls.clear()

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [0.0, 0.0]  # wall and CPU spent in wrapped calls below this one
            self._stack.append(frame)
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                dw, dc = time.perf_counter() - w0, time.process_time() - c0
                self._stack.pop()
                self.wall[stage] = self.wall.get(stage, 0.0) + dw - frame[0]
                self.cpu[stage] = self.cpu.get(stage, 0.0) + dc - frame[1]
                self.calls[stage] = self.calls.get(stage, 0) + 1
                if self._stack:
                    self._stack[-1][0] += dw
                    self._stack[-1][1] += dc

        timed.__wrapped_by_bench__ = True  # type: ignore[attr-defined]
        return timed


def _in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class _Patches:
    """Wrapped attributes, to undo them (the profile run must see the code unwrapped)."""

    def __init__(self, clock: _Clock) -> None:
        self.clock = clock
        self.undo: list[tuple[object, str, object]] = []
        self.stages: dict[str, int] = {}  # stage -> number of entry points wrapped
        self._wrapped: dict[int, Callable[..., Any]] = {}
        self._classes: set[int] = set()

    def _set(self, owner: object, name: str, value: object) -> None:
        self.undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def function(self, owner: object, name: str, stage: str) -> None:
        fn = getattr(owner, name)
        if getattr(fn, "__wrapped_by_bench__", False):
            return
        if id(fn) not in self._wrapped:
            self._wrapped[id(fn)] = self.clock.wrap(stage, fn)
            self.stages[stage] = self.stages.get(stage, 0) + 1
        self._set(owner, name, self._wrapped[id(fn)])

    def cls(self, klass: type, stage: str, methods: bool) -> None:
        # Patching the class itself reaches every module that imported it.
        if id(klass) in self._classes or issubclass(klass, BaseException):
            return
        self._classes.add(id(klass))
        names = [
            n
            for n, v in vars(klass).items()
            if inspect.isfunction(v)
            and (n in ("__init__", "__call__") or (methods and not n.startswith("_")))
        ]
        for n in names:
            self.function(klass, n, stage)

    def restore(self) -> None:
        for owner, name, value in reversed(self.undo):
            setattr(owner, name, value)
        self.undo.clear()


def _studysite_modules() -> dict[str, ModuleType]:
    return {
        name: mod
        for name, mod in list(sys.modules.items())
        if mod is not None and _in_package(name, "studysite") and name != __name__
    }


def _install(clock: _Clock) -> _Patches:
    """Wrap every stage entry point that ``generate()`` can reach."""
    import studysite.site  # noqa: F401  (loads every module the pipeline uses)

    mods = _studysite_modules()
    patches = _Patches(clock)
    targets: dict[int, str] = {}  # id(function or class) -> stage
    for stage, specs in _STAGE_FUNCS.items():
        for spec in specs:
            modname, name = spec.split(":")
            obj = getattr(mods.get(modname), name, None)
            if obj is not None:
                targets[id(obj)] = stage
    for modname, mod in mods.items():
        for name, obj in list(vars(mod).items()):
            stage = targets.get(id(obj))
            if stage is None:
                stage = _package_stage(modname, obj)
            if stage is None:
                if isinstance(obj, ModuleType):
                    _wrap_module(patches, modname, obj)
                continue
            if inspect.isclass(obj):
                patches.cls(obj, stage, methods=stage in _STAGE_PACKAGES)
            elif inspect.isfunction(obj):
                patches.function(mod, name, stage)
    return patches


def _package_stage(user: str, obj: object) -> str | None:
    """The package stage ``obj`` belongs to when ``user`` (a module outside it) imported it."""
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return None
    home = getattr(obj, "__module__", "") or ""
    for stage, package in _STAGE_PACKAGES.items():
        if _in_package(home, package) and not _in_package(user, package):
            return stage
    return None


def _wrap_module(patches: _Patches, user: str, mod: ModuleType) -> None:
    """``from studysite.render import passing`` then ``passing.collect()``: wrap in place."""
    for stage, package in _STAGE_PACKAGES.items():
        if not _in_package(mod.__name__, package) or _in_package(user, package):
            continue
        for name, obj in list(vars(mod).items()):
            if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj):
                patches.function(mod, name, stage)
            elif inspect.isclass(obj):
                patches.cls(obj, stage, methods=True)


# -- peak memory ----------------------------------------------------------------------------


def _peak_rss() -> int:
    """This process's peak resident memory in bytes.

    ``VmHWM`` belongs to the process image, so it restarts at ``exec``; ``ru_maxrss`` can
    carry the size of the process that forked us, hence only the fallback.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


# -- worker: one corpus in a fresh process ----------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _core_worker(notes: Path, catalog: Path, docs: Path, runs: int, profile: bool) -> dict:
    """Time ``generate()`` ``runs`` times on one corpus; stages, totals, memory, corpus facts."""
    t0 = time.perf_counter()
    from studysite.site import generate

    import_s = time.perf_counter() - t0
    rss_after_import = _peak_rss()
    clock = _Clock()
    patches = _install(clock)
    walls: list[float] = []
    cpus: list[float] = []
    stage_runs: list[dict[str, tuple[float, float, int]]] = []
    facts: dict[str, Any] = {}
    for i in range(runs):
        clock.reset()
        w0, c0 = time.perf_counter(), time.process_time()
        out = generate(notes, catalog, docs)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        stage_runs.append({s: (clock.wall[s], clock.cpu[s], clock.calls[s]) for s in clock.wall})
        if i == 0:
            facts = _corpus_facts(out)
        del out  # the next run must not find this one's data still alive
    patches.restore()
    stages: dict[str, Any] = {}
    for stage in STAGES:
        if not patches.stages.get(stage):
            stages[stage] = None  # not wired into generate() (yet)
            continue
        per = [r.get(stage, (0.0, 0.0, 0)) for r in stage_runs]
        stages[stage] = {
            "wall_s": _median([p[0] for p in per]),
            "cpu_s": _median([p[1] for p in per]),
            "calls": per[0][2],
        }
    total, cpu = _median(walls), _median(cpus)
    stages["other"] = {
        "wall_s": max(total - sum(s["wall_s"] for s in stages.values() if s), 0.0),
        "cpu_s": max(cpu - sum(s["cpu_s"] for s in stages.values() if s), 0.0),
        "calls": None,
    }
    result = {
        "runs": runs,
        "import_s": import_s,
        "wall_s": total,
        "cpu_s": cpu,
        "first_wall_s": walls[0],
        "all_wall_s": walls,
        "stages": stages,
        "peak_rss_bytes": _peak_rss(),
        "rss_after_import_bytes": rss_after_import,
        "corpus": facts,
    }
    if profile:
        result["profile"] = _profile(generate, notes, catalog, docs)
    return result


def _profile(generate: Callable[..., Any], notes: Path, catalog: Path, docs: Path) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument is not installed: pip install -r requirements-dev.txt"
    profiler = Profiler(interval=0.001)
    profiler.start()
    generate(notes, catalog, docs)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False)


def _corpus_facts(out: Any) -> dict[str, Any]:
    site = out.site
    content = sum(n.content_lines for n in site.notes)
    noise = sum(len(n.noise) for n in site.notes)
    unsorted = sum(
        sum(1 for ln in p.lines if ln.text.strip())
        for n in site.notes
        for p in n.parts
        if p.page == "unsorted"
    )
    sizes = {path: len(text.encode("utf-8")) for path, text in out.pages.items()}
    largest = max(sizes, key=lambda p: sizes[p]) if sizes else ""
    return {
        "notes": len(site.notes),
        "content_lines": content,
        "noise_lines": noise,
        "unsorted_lines": unsorted,
        "parts": sum(len(n.parts) for n in site.notes),
        "pages": len(out.pages),
        "markdown_bytes": sum(sizes.values()),
        "largest_markdown": {"path": largest, "bytes": sizes.get(largest, 0)},
        "warnings": sum(1 for d in out.diagnostics if d.level != "info"),
    }


def _export_worker(root: Path, target: Path) -> dict:
    """Write the final Markdown tree as the hook serves it to MkDocs, plus the nav.

    Mirrors ``on_page_markdown`` in ``hooks/generate.py``: generated pages are final as
    generated; hand-written pages get ``finish_hand_written`` (markers, links), or only
    their markers expanded where that method does not exist. A build without hooks then sees
    the very same pages (``same_output`` in the result checks it).
    """
    from studysite.site import generate

    docs = root / "docs"
    out = generate(root / "notes", root / "catalog" / "services.yml", docs)
    finish = getattr(out, "finish_hand_written", None)
    if docs.is_dir():
        shutil.copytree(docs, target, dirs_exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)
    pages = {}
    for path in target.rglob("*.md"):
        rel = path.relative_to(target).as_posix()
        text = path.read_text(encoding="utf-8")
        pages[rel] = finish(text, rel) if finish else out.expand_markers(text, rel)
    for rel, text in out.pages.items():
        pages[rel] = text if finish else out.expand_markers(text, rel)
    for rel, text in pages.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    for rel, data in out.assets.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {"nav": out.nav, "pages": len(pages), "assets": len(out.assets)}


def _worker_main(argv: list[str]) -> int:
    """``python -m studysite.bench core|export ...``: the subprocess side."""
    p = argparse.ArgumentParser(prog="python -m studysite.bench")
    sub = p.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("core")
    c.add_argument("notes", type=Path)
    c.add_argument("catalog", type=Path)
    c.add_argument("docs", type=Path)
    c.add_argument("--runs", type=int, default=1)
    c.add_argument("--profile", action="store_true")
    c.add_argument("--out", type=Path, required=True)
    e = sub.add_parser("export")
    e.add_argument("root", type=Path)
    e.add_argument("target", type=Path)
    e.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    if args.mode == "core":
        data = _core_worker(args.notes, args.catalog, args.docs, args.runs, args.profile)
    else:
        data = _export_worker(args.root, args.target)
    # A file, not stdout: nothing the pipeline prints can corrupt the result.
    args.out.write_text(json.dumps(data), encoding="utf-8")
    return 0


# -- synthetic corpora ------------------------------------------------------------------------


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


# -- subprocesses -----------------------------------------------------------------------------


@dataclass
class _Run:
    """One finished subprocess: exit code, wall time, its own CPU time and peak memory."""

    code: int
    wall_s: float
    cpu_s: float | None
    peak_rss_bytes: int | None
    output: str


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> _Run:
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        w0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        cpu = rss = None
        if hasattr(os, "wait4"):
            # wait4 gives this child's own rusage: its CPU time and peak memory.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - not Linux or macOS
            proc.wait()
        wall = time.perf_counter() - w0
        log.seek(0)
        return _Run(proc.returncode, wall, cpu, rss, log.read())


def _python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def _worker(args: list[str], cwd: Path, tmp: Path) -> dict:
    out = tmp / f"worker-{time.monotonic_ns()}.json"
    cmd = [sys.executable, "-m", "studysite.bench", *args, "--out", str(out)]
    run = _run(cmd, cwd, _python_env())
    if run.code != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(cmd[2:4])} failed:\n{run.output[-4000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return data


# -- full build against a plain Material build ------------------------------------------------


class _Tagged:
    """A YAML node with a tag MkDocs resolves itself (``!ENV``): kept as written."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _KeepTags(yaml.SafeLoader):
    pass


class _TagDumper(yaml.SafeDumper):
    pass


_KeepTags.add_multi_constructor("!", lambda loader, suffix, node: _Tagged(node))
_KeepTags.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(node)
)
_TagDumper.add_representer(_Tagged, lambda dumper, t: t.node)


def plain_config(config_file: Path, docs_dir: Path, nav: list[Any]) -> str:
    """The project's MkDocs config without hooks, on ``docs_dir``, with the generated nav."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_KeepTags)
    config.pop("hooks", None)
    config["docs_dir"] = str(docs_dir)
    config["nav"] = nav
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str((config_file.parent / theme["custom_dir"]).resolve())
    return yaml.dump(config, Dumper=_TagDumper, allow_unicode=True, sort_keys=False)


def _build_compare(root: Path, repeat: int, tmp: Path) -> dict[str, Any]:
    """Hook build vs plain build of the same pages, alternating, ``repeat`` times each."""
    docs = tmp / "plain-docs"
    exported = _worker(["export", str(root), str(docs)], root, tmp)
    plain_yml = tmp / "mkdocs.plain.yml"
    plain_yml.write_text(plain_config(root / "mkdocs.yml", docs, exported["nav"]), "utf-8")
    site_hooks, site_plain = tmp / "site-hooks", tmp / "site-plain"
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    cmds = {
        "hooks": [*mkdocs, "-f", str(root / "mkdocs.yml"), "-d", str(site_hooks)],
        "plain": [*mkdocs, "-f", str(plain_yml), "-d", str(site_plain)],
    }
    runs: dict[str, list[_Run]] = {"hooks": [], "plain": []}
    for r in range(repeat):
        # Alternate who goes first so neither always gets the warmer disk cache.
        for kind in ("hooks", "plain") if r % 2 == 0 else ("plain", "hooks"):
            run = _run(cmds[kind], root, _python_env())
            if run.code != 0:
                raise RuntimeError(f"mkdocs build ({kind}) failed:\n{run.output[-4000:]}")
            runs[kind].append(run)

    def summary(kind: str) -> dict[str, Any]:
        rs = runs[kind]
        return {
            "wall_s": _median([r.wall_s for r in rs]),
            "cpu_s": _median([r.cpu_s for r in rs if r.cpu_s is not None]),
            "all_wall_s": [r.wall_s for r in rs],
            "peak_rss_bytes": max((r.peak_rss_bytes or 0) for r in rs),
        }

    hooks, plain = summary("hooks"), summary("plain")
    return {
        "repeat": repeat,
        "hooks": hooks,
        "plain": plain,
        "ratio": hooks["wall_s"] / plain["wall_s"] if plain["wall_s"] else None,
        "cpu_ratio": hooks["cpu_s"] / plain["cpu_s"] if plain["cpu_s"] else None,
        "same_output": _compare_sites(site_hooks, site_plain),
        "site": _site_sizes(site_hooks),
    }


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _compare_sites(a: Path, b: Path) -> dict[str, Any]:
    """Whether both builds made the same pages (else the ratio compares different work).

    Same files and same text (the search index holds every page's text) is the check;
    byte-identical HTML is reported too, but hooks that post-process HTML (the sanitizer
    rewrites attributes) make some pages differ in bytes, and that is hook work to count.
    """
    fa, fb = _files(a), _files(b)
    # The sitemap carries build dates; compressed files carry timestamps.
    skip = {"sitemap.xml", "sitemap.xml.gz"}
    common = sorted((set(fa) & set(fb)) - skip)
    differ = [rel for rel in common if _content(fa[rel], rel) != _content(fb[rel], rel)]
    index = "search/search_index.json"
    return {
        "files": len(common),
        "differing": len(differ),
        "differing_examples": differ[:5],
        "only_hooks": sorted(set(fa) - set(fb))[:5],
        "only_plain": sorted(set(fb) - set(fa))[:5],
        "same_text": index in common and index not in differ,
    }


def _content(path: Path, rel: str) -> object:
    if rel == "search/search_index.json":
        # Entries follow file order, and the hook appends generated files after docs/ ones.
        data = json.loads(path.read_bytes())
        data["docs"] = sorted(data.get("docs", []), key=lambda d: json.dumps(d, sort_keys=True))
        return data
    return path.read_bytes()


def _site_sizes(site: Path) -> dict[str, Any]:
    files = _files(site)
    sizes = {rel: p.stat().st_size for rel, p in files.items()}
    html = {rel: n for rel, n in sizes.items() if rel.endswith(".html")}
    largest = max(html, key=lambda r: html[r]) if html else ""
    index = site / "search" / "search_index.json"
    data = index.read_bytes() if index.is_file() else b""
    return {
        "files": len(sizes),
        "bytes": sum(sizes.values()),
        "html_pages": len(html),
        "search_index_bytes": len(data),
        "search_index_gzip_bytes": len(gzip.compress(data)) if data else 0,
        "largest_page": {"path": largest, "bytes": html.get(largest, 0)},
    }


# -- the command ------------------------------------------------------------------------------


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The ``studysite bench`` options (the subparser lives in :mod:`studysite.cli`)."""
    p.add_argument(
        "--sizes",
        default="1,10",
        help="corpus sizes as multiples of notes/ (default 1,10; 1,10,100 for the big one)",
    )
    p.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement (median)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--skip-build", action="store_true", help="core pipeline only, no mkdocs")
    p.add_argument(
        "--profile", action="store_true", help="pyinstrument profile of the 1x core (stderr)"
    )


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 1:
        raise SystemExit(f"studysite bench: --sizes wants positive integers, got {text!r}")
    return sizes if sizes[0] == 1 else [1, *sizes]


def _core_runs(size: int, repeat: int) -> int:
    # A 100x run takes minutes; its growth figure needs one run, not a median.
    return repeat if size <= 10 else 1


def bench(root: Path, sizes: list[int], repeat: int, build: bool, profile: bool) -> dict:
    """Run every measurement; the result is what ``--json`` prints."""
    notes, catalog, docs = root / "notes", root / "catalog" / "services.yml", root / "docs"
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
        "repeat": repeat,
        "core": {},
        "build": None,
    }
    with tempfile.TemporaryDirectory(prefix="studysite-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for size in sizes:
            corpus, made = notes, None
            if size > 1:
                corpus = tmp / f"notes-{size}x"
                made = make_corpus(notes, catalog, corpus, size)
            args = ["core", str(corpus), str(catalog), str(docs)]
            args += ["--runs", str(_core_runs(size, repeat))]
            if profile and size == 1:
                args.append("--profile")
            data = _worker(args, root, tmp)
            if made:
                data["corpus"]["renamed_titles"] = made["renamed_titles"]
            result["core"][f"{size}x"] = data
            if size > 1:
                shutil.rmtree(corpus)
        if build:
            result["build"] = _build_compare(root, repeat, tmp)
    result["targets"] = _targets(result)
    return result


def _targets(result: dict) -> list[dict[str, Any]]:
    """Each target with its figure; time targets are judged on CPU time (see the README).

    The core and mkdocs are single-threaded, so on an idle machine their CPU time is their
    wall time; on a busy one (CI runners, a shared laptop) wall time also counts the time
    other processes held the CPU, and CPU time does not. Both are reported.
    """
    core = result["core"]
    one = core["1x"]
    out = [_target("core pipeline, 1x", one["cpu_s"], TARGET_CORE_1X_S, "s", wall=one["wall_s"])]
    for key, data in core.items():
        n = int(key.removesuffix("x"))
        if n > 1:
            out.append(
                _target(
                    f"growth, {key} / 1x",
                    data["cpu_s"] / one["cpu_s"],
                    TARGET_GROWTH * n,
                    "x",
                    wall=data["wall_s"] / one["wall_s"],
                )
            )
    build = result.get("build")
    if build:
        out.append(
            _target(
                "full build / plain build",
                build["cpu_ratio"],
                TARGET_BUILD_RATIO,
                "x",
                wall=build["ratio"],
            )
        )
        index = build["site"]["search_index_bytes"]
        out.append(_target("search index", index, TARGET_SEARCH_INDEX_BYTES, "B"))
    big = core.get("100x")
    peak = big["peak_rss_bytes"] if big else None
    out.append(_target("core peak memory, 100x", peak, TARGET_PEAK_100X_BYTES, "B"))
    return out


def _target(
    name: str, value: float | None, limit: float, unit: str, wall: float | None = None
) -> dict[str, Any]:
    met = None if value is None else value <= limit
    basis = "cpu" if wall is not None else None
    return {
        "name": name,
        "value": value,
        "wall": wall,
        "basis": basis,
        "limit": limit,
        "unit": unit,
        "met": met,
    }


def _mb(n: float | None) -> str:
    return "-" if n is None else f"{n / 1e6:.2f} MB"


def _secs(s: dict | None, key: str = "wall_s") -> str:
    return "n/a" if s is None else f"{s[key]:.3f}"


def report_text(result: dict) -> str:
    """The human-readable tables."""
    m = result["machine"]
    load = m["load_avg"]
    lines = [
        f"studysite bench: Python {m['python']}, {m['cpus']} CPUs"
        + (f", load {load[0]:.2f}" if load else ""),
        "",
        "Core pipeline, generate(), each corpus in a fresh process; median of runs;"
        " stages in CPU seconds",
        "",
    ]
    head = ["corpus", "notes", "lines", "pages", "MD", "runs", "wall s", "cpu s", "cpu/1x"]
    head += [*STAGES, "other", "peak mem"]
    rows = [head]
    base = result["core"]["1x"]["cpu_s"]
    for key, d in result["core"].items():
        c = d["corpus"]
        rows.append(
            [
                key,
                str(c["notes"]),
                str(c["content_lines"]),
                str(c["pages"]),
                _mb(c["markdown_bytes"]),
                str(d["runs"]),
                f"{d['wall_s']:.3f}",
                f"{d['cpu_s']:.3f}",
                f"{d['cpu_s'] / base:.1f}x",
                *[_secs(d["stages"][s], "cpu_s") for s in STAGES],
                _secs(d["stages"]["other"], "cpu_s"),
                _mb(d["peak_rss_bytes"]),
            ]
        )
    lines += _table(rows)
    one = result["core"]["1x"]
    largest = one["corpus"]["largest_markdown"]
    lines += [
        "",
        f"1x: first run {one['first_wall_s']:.3f} s wall, imports {one['import_s']:.3f} s, "
        f"largest generated page {largest['path']} ({_mb(largest['bytes'])})",
    ]
    b = result.get("build")
    if b:
        s = b["site"]
        same = b["same_output"]
        lines += [
            "",
            "Full build (hooks, generation included) vs plain Material build of the same "
            f"pages, median of {b['repeat']}:",
            f"  hooks {b['hooks']['wall_s']:.2f} s wall, {b['hooks']['cpu_s']:.2f} s cpu; "
            f"plain {b['plain']['wall_s']:.2f} s wall, {b['plain']['cpu_s']:.2f} s cpu; "
            f"ratio {b['ratio']:.2f} wall, {b['cpu_ratio']:.2f} cpu",
            f"  same pages: {same['files']} files in both, "
            f"{'same' if same['same_text'] else 'DIFFERENT'} text, "
            f"{same['files'] - same['differing']} byte-identical",
            f"  site {_mb(s['bytes'])} in {s['files']} files ({s['html_pages']} pages); "
            f"search index {_mb(s['search_index_bytes'])} "
            f"({_mb(s['search_index_gzip_bytes'])} gzipped); largest page "
            f"{s['largest_page']['path']} ({_mb(s['largest_page']['bytes'])})",
        ]
    lines += ["", "Targets (time targets judged on CPU time; wall time in brackets):"]
    for t in result["targets"]:
        status = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        wall = f" [{_fmt(t['wall'], t['unit'])} wall]" if t["wall"] is not None else ""
        lines.append(
            f"  {t['name']:<26} {_fmt(t['value'], t['unit']):>9}{wall:<17} "
            f"≤ {_fmt(t['limit'], t['unit']):<9} {status}"
        )
    return "\n".join(lines)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "B":
        return _mb(value)
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.2f}x"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]


def run(args: argparse.Namespace) -> int:
    """``studysite bench``: print the figures; exit 0 even when a target is missed."""
    root = Path(args.root).resolve()
    if args.repeat < 1:
        raise SystemExit("studysite bench: --repeat wants at least 1")
    result = bench(root, _sizes(args.sizes), args.repeat, not args.skip_build, args.profile)
    profile = result["core"]["1x"].pop("profile", None)
    if profile:
        print(profile, file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(report_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1:]))
