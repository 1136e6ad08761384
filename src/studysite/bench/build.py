"""The full ``mkdocs build`` against a plain Material build of the same final pages.

Builds run as ``python -m mkdocs build`` subprocesses: nothing here imports MkDocs.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from studysite.bench.procs import ChildRun, median, python_env, run_child, worker
from studysite.render.search import KEYWORDS_FIELD, SEARCH_DATA


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


PRUNE = "navigation.prune"


def plain_config(config_file: Path, docs_dir: Path, nav: list[Any], prune: bool = False) -> str:
    """The project's MkDocs config without hooks, on ``docs_dir``, with the generated nav.

    Without ``prune`` Material's ``navigation.prune`` is off too: the baseline the target
    is set against (issue 17) is a plain Material build, which writes the whole navigation
    into every page. With it, the config is ours minus the hooks: what the hooks alone cost.
    """
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_KeepTags)
    config.pop("hooks", None)
    config["docs_dir"] = str(docs_dir)
    config["nav"] = nav
    theme = config.get("theme")
    if isinstance(theme, dict):
        if isinstance(theme.get("custom_dir"), str):
            theme["custom_dir"] = str((config_file.parent / theme["custom_dir"]).resolve())
        if not prune and isinstance(theme.get("features"), list):
            theme["features"] = [f for f in theme["features"] if f != PRUNE]
    return yaml.dump(config, Dumper=_TagDumper, allow_unicode=True, sort_keys=False)


def build_compare(root: Path, repeat: int, tmp: Path) -> dict[str, Any]:
    """Hook build vs plain builds of the same pages, taking turns, ``repeat`` times each.

    ``plain`` is Material as it comes (no pruning): the target's baseline. ``plain_pruned``
    has our theme settings without the hooks, so the hooks' own cost shows too.
    """
    docs = tmp / "plain-docs"
    exported = worker(["export", str(root), str(docs)], root, tmp)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    cmds = {"hooks": [*mkdocs, "-f", str(root / "mkdocs.yml"), "-d", str(tmp / "site-hooks")]}
    for kind, prune in (("plain", False), ("plain_pruned", True)):
        yml = tmp / f"mkdocs.{kind}.yml"
        yml.write_text(plain_config(root / "mkdocs.yml", docs, exported["nav"], prune), "utf-8")
        cmds[kind] = [*mkdocs, "-f", str(yml), "-d", str(tmp / f"site-{kind}")]
    runs: dict[str, list[ChildRun]] = {kind: [] for kind in cmds}
    kinds = list(cmds)
    for r in range(repeat):
        # Take turns at going first so no build always gets the warmer disk cache.
        for kind in kinds[r % len(kinds) :] + kinds[: r % len(kinds)]:
            run = run_child(cmds[kind], root, python_env())
            if run.code != 0:
                raise RuntimeError(f"mkdocs build ({kind}) failed:\n{run.output[-4000:]}")
            runs[kind].append(run)

    def summary(kind: str) -> dict[str, Any]:
        rs = runs[kind]
        return {
            "wall_s": median([r.wall_s for r in rs]),
            "cpu_s": median([r.cpu_s for r in rs if r.cpu_s is not None]),
            "all_wall_s": [r.wall_s for r in rs],
            "peak_rss_bytes": max((r.peak_rss_bytes or 0) for r in rs),
        }

    hooks, plain, pruned = summary("hooks"), summary("plain"), summary("plain_pruned")
    return {
        "repeat": repeat,
        "hooks": hooks,
        "plain": plain,
        "plain_pruned": pruned,
        "ratio": hooks["wall_s"] / plain["wall_s"] if plain["wall_s"] else None,
        "cpu_ratio": hooks["cpu_s"] / plain["cpu_s"] if plain["cpu_s"] else None,
        "pruned_cpu_ratio": hooks["cpu_s"] / pruned["cpu_s"] if pruned["cpu_s"] else None,
        # Same config but the hooks: the pages must be the same (the plain build's
        # unpruned navigation makes every page's HTML differ from ours).
        "same_output": _compare_sites(tmp / "site-hooks", tmp / "site-plain_pruned"),
        "site": _site_sizes(tmp / "site-hooks"),
    }


# What the search hook writes from the built index (no docs page): hook work, not a page
# the plain build missed.
MADE_AFTER_BUILD = frozenset({SEARCH_DATA})


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
        "only_hooks": sorted(set(fa) - set(fb) - MADE_AFTER_BUILD)[:5],
        "made_after_build": sorted(MADE_AFTER_BUILD & set(fa)),
        "only_plain": sorted(set(fb) - set(fa))[:5],
        "same_text": index in common and index not in differ,
    }


def _content(path: Path, rel: str) -> object:
    if rel == "search/search_index.json":
        # Entries follow file order, and the hook appends generated files after docs/ ones.
        # The search hook adds each page's catalog keywords (and the field's settings): hook
        # work on the same pages, not other pages.
        data = json.loads(path.read_bytes())
        docs = [{k: v for k, v in d.items() if k != KEYWORDS_FIELD} for d in data.get("docs", [])]
        data["docs"] = sorted(docs, key=lambda d: json.dumps(d, sort_keys=True))
        data.get("config", {}).get("fields", {}).pop(KEYWORDS_FIELD, None)
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
