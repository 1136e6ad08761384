"""``studysite bench``: the command runs and reports; its figures are checked only loosely.

A benchmark is measured, not timed: the slow test checks that the whole run works on the 1x
and 10x corpora and that the figures hold together (a bigger corpus does more work, the
plain build built the very same pages). It bounds the figures loosely (about twice the
targets), so a blow-up fails but a target missed by a few percent is reported, not failed.
The timing targets are printed, and judged in the README.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from studysite import bench

ROOT = Path(__file__).resolve().parents[1]


def test_clock_counts_nested_calls_once() -> None:
    clock = bench._Clock()
    inner = clock.wrap("parse", lambda: sum(range(20_000)))
    outer = clock.wrap("render", lambda: [inner() for _ in range(3)])
    same = clock.wrap("render", outer)
    same()
    assert clock.calls == {"parse": 3, "render": 2}
    # Exclusive time: the parse calls are not part of render's figure.
    assert clock.wall["parse"] > 0
    assert clock.wall["render"] >= 0


def test_plain_config_drops_hooks_and_keeps_env_tags(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\n"
        "site_url: !ENV [SITE_URL, '']\n"
        "theme:\n  name: material\n  custom_dir: overrides\n"
        "hooks:\n  - hooks/generate.py\n"
        "plugins:\n  - offline:\n      enabled: !ENV [OFFLINE, false]\n",
        encoding="utf-8",
    )
    text = bench.plain_config(tmp_path / "mkdocs.yml", tmp_path / "docs", [{"Home": "index.md"}])
    assert "!ENV [SITE_URL" in text
    data = yaml.load(text, Loader=bench._KeepTags)
    assert "hooks" not in data
    assert data["docs_dir"] == str(tmp_path / "docs")
    assert data["nav"] == [{"Home": "index.md"}]
    assert Path(data["theme"]["custom_dir"]).is_absolute()


def test_sizes_always_include_the_notes_themselves() -> None:
    assert bench._sizes("10,1") == [1, 10]
    assert bench._sizes("100") == [1, 100]
    with pytest.raises(SystemExit):
        bench._sizes("0,x")


def test_synthetic_corpus_replicates_notes_with_renamed_titles(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(
        "# Study\n\n## Amazon S3\n\nBuckets hold objects.\n\n## Amazon EC2\n\nVirtual machines.\n",
        encoding="utf-8",
    )
    (notes / "manifest.yml").write_text("notes:\n  - file: a.md\n    title: A\n", "utf-8")
    made = bench.make_corpus(notes, ROOT / "catalog" / "services.yml", tmp_path / "x3", 3)
    assert made["notes"] == 3
    names = sorted(p.name for p in (tmp_path / "x3").iterdir())
    assert names == ["a.md", "copy001-a.md", "copy002-a.md", "manifest.yml"]
    copy = (tmp_path / "x3" / "copy002-a.md").read_text(encoding="utf-8")
    assert "## Amazon S3 – 2" in copy
    assert "Buckets hold objects." in copy
    manifest = yaml.safe_load((tmp_path / "x3" / "manifest.yml").read_text(encoding="utf-8"))
    assert [n["title"] for n in manifest["notes"]] == ["A", "A (copy 1)", "A (copy 2)"]


@pytest.mark.slow
def test_bench_command_reports_core_and_build_figures() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "studysite", "bench", "--json", "--sizes", "1,10", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    one, ten = result["core"]["1x"], result["core"]["10x"]
    for data in (one, ten):
        assert set(data["stages"]) == {*bench.STAGES, "other"}
        assert data["wall_s"] > 0
        assert data["cpu_s"] > 0
        assert data["peak_rss_bytes"] > data["rss_after_import_bytes"] > 0
    # The 10x corpus is the notes ten times over, and routes like them.
    assert ten["corpus"]["notes"] == 10 * one["corpus"]["notes"]
    assert ten["corpus"]["content_lines"] == 10 * one["corpus"]["content_lines"]
    assert ten["corpus"]["unsorted_lines"] <= 10 * one["corpus"]["unsorted_lines"] + 10
    # Time growth is the benchmark's to report, never a test's to judge (a busy machine
    # skews it); tests/workcount.py counts work instead where cost must stay linear.
    assert ten["peak_rss_bytes"] < bench.TARGET_PEAK_100X_BYTES

    build = result["build"]
    # The plain build must have built the very pages the hooks did, else the ratio lies.
    assert build["same_output"]["same_text"], build["same_output"]
    assert not build["same_output"]["only_hooks"]
    assert not build["same_output"]["only_plain"]
    assert build["cpu_ratio"] > 0  # reported, not judged: it is a time
    site = build["site"]
    assert site["html_pages"] >= one["corpus"]["pages"]
    # The index target (1.5 MB) is judged in the report, not here: a miss is for the README
    # to explain; this bound only catches a blow-up (a page indexed twice, a huge page).
    assert 0 < site["search_index_bytes"] <= 2 * bench.TARGET_SEARCH_INDEX_BYTES
    assert site["largest_page"]["bytes"] > 0

    targets = {t["name"]: t for t in result["targets"]}
    # Time targets are judged on CPU time (wall time rises with other load); both are kept.
    assert targets["core pipeline, 1x"]["value"] == one["cpu_s"]
    assert targets["core pipeline, 1x"]["wall"] == one["wall_s"]
    print(json.dumps(result["targets"], indent=1))  # recorded in the test log, not judged
