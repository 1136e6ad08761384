"""Targets and the human-readable tables of a benchmark result."""

from __future__ import annotations

from typing import Any

from studysite.bench import (
    TARGET_BUILD_RATIO,
    TARGET_CORE_1X_S,
    TARGET_GROWTH,
    TARGET_PEAK_100X_BYTES,
    TARGET_SEARCH_INDEX_BYTES,
)
from studysite.stages import STAGES


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
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


def _secs(s: dict[str, Any] | None, key: str = "wall_s") -> str:
    return "n/a" if s is None else f"{s[key]:.3f}"


def report_text(result: dict[str, Any]) -> str:
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
    parse = one.get("markdown_it_cpu_s")
    if parse:
        calls = one.get("markdown_it_calls", {})
        lines.append(
            f"1x: markdown-it parse {sum(parse.values()):.3f} s cpu of {one['cpu_s']:.3f}: "
            + ", ".join(f"{use} {s:.3f} s ({calls.get(use, 0)} parses)" for use, s in parse.items())
        )
    b = result.get("build")
    if b:
        s = b["site"]
        same = b["same_output"]
        lines += [
            "",
            "Full build (hooks, generation included) vs plain Material build (navigation "
            f"not pruned) of the same pages, median of {b['repeat']}:",
            f"  hooks {b['hooks']['wall_s']:.2f} s wall, {b['hooks']['cpu_s']:.2f} s cpu; "
            f"plain {b['plain']['wall_s']:.2f} s wall, {b['plain']['cpu_s']:.2f} s cpu; "
            f"ratio {b['ratio']:.2f} wall, {b['cpu_ratio']:.2f} cpu",
            f"  plain with our theme settings (pruned navigation), no hooks: "
            f"{b['plain_pruned']['wall_s']:.2f} s wall, {b['plain_pruned']['cpu_s']:.2f} s cpu; "
            f"the hooks cost {b['pruned_cpu_ratio']:.2f}x cpu",
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
