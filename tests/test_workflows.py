"""The GitHub workflow: schema-valid, no zizmor findings, least privilege, and it runs the
same Makefile targets as .ci/run and the README. The slow test runs the workflow's build
steps on a clean copy of the tree and checks the offline zip they produce.

Locally a missing ``check-jsonschema`` or ``zizmor`` skips its test; under ``CI=true`` it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOW = GITHUB / "workflows" / "site.yml"
MUTATION = GITHUB / "workflows" / "mutation.yml"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
MAKEFILE = ROOT / "Makefile"
ZIP_NAME = "studysite-offline.zip"

# The targets the workflow must run, and the only places it may write or deploy.
REQUIRED_TARGETS = {"setup-dev", "lint", "test", "build", "offline-zip"}
WRITE_JOBS = {"deploy": {"pages", "id-token"}, "release": {"contents"}}
# Inline zizmor ignores allowed in the workflow, each explained in a comment beside it.
ALLOWED_ZIZMOR_IGNORES = {"cache-poisoning"}
# A resource from one of these would not load offline (or would leak the reader's visit).
CDN_HOSTS = (
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "unpkg.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "polyfill.io",
)

# Build outputs and caches, left out when the tree is copied without git.
OUTPUTS = (".git", "site", "site-offline", "dist", "build", "node_modules", "*.zip", "*.egg-info")
OUTPUTS += (".*_cache", ".hypothesis", ".benchmarks", "__pycache__")

SHA_PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+)*\b")
MAKE_CALL = re.compile(r"^make\s+([\w.-]+)$")


# --- helpers -------------------------------------------------------------------------------


def tool(name: str) -> str:
    """Path of an installed command-line tool; skip (locally) or fail (CI) when missing."""
    found = shutil.which(name) or shutil.which(name, path=sysconfig.get_path("scripts"))
    if found:
        return found
    msg = f"{name} is not installed (python3 -m pip install -r requirements-dev.txt)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{msg}; CI=true, so this check cannot be skipped")
    pytest.skip(msg)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    return {on: None} if isinstance(on, str) else dict(on or {})


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def makefile_targets() -> set[str]:
    text = MAKEFILE.read_text(encoding="utf-8")
    return {
        m.group(1)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)\s*:(?![:=])", text, re.MULTILINE)
        if m.group(1) != ".PHONY"
    }


def make_targets_in(text: str) -> set[str]:
    """Targets of every `make X` command in a shell script or README."""
    return set(re.findall(r"(?:^|[\s`;&|(])make\s+([a-z][\w.-]*)", text, re.MULTILINE))


def run_commands(job: dict[str, Any]) -> list[str]:
    return [s["run"].strip() for s in steps(job) if "run" in s]


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(WORKFLOW)


@pytest.fixture(scope="module")
def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return workflow["jobs"]


# --- external checkers ---------------------------------------------------------------------


def test_there_are_the_site_and_the_mutation_workflows() -> None:
    assert WORKFLOWS == [MUTATION, WORKFLOW]


def test_workflows_are_schema_valid() -> None:
    exe = tool("check-jsonschema")
    for schema, files in (
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.dependabot", sorted(GITHUB.glob("dependabot.y*ml"))),
    ):
        if not files:
            continue
        cmd = [exe, "--builtin-schema", schema, *map(str, files)]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        assert r.returncode == 0, f"{' '.join(cmd)}\n{r.stdout}{r.stderr}"


def test_zizmor_reports_no_findings() -> None:
    exe = tool("zizmor")
    cmd = [exe, "--offline", "--no-progress", ".github/"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    assert r.returncode == 0, f"{' '.join(cmd)} (exit {r.returncode})\n{r.stdout}{r.stderr}"


def test_zizmor_ignores_are_few_and_explained() -> None:
    lines = WORKFLOW.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        for audit in re.findall(r"zizmor:\s*ignore\[([^\]]+)\]", line):
            assert audit in ALLOWED_ZIZMOR_IGNORES, f"line {i + 1}: new zizmor ignore {audit!r}"
            assert lines[i - 1].strip().startswith("#"), f"line {i + 1}: explain the ignore above"


# --- structure -----------------------------------------------------------------------------


def test_every_action_is_pinned_to_a_commit_sha_with_its_version(
    jobs: dict[str, dict[str, Any]],
) -> None:
    used = [s["uses"] for job in jobs.values() for s in steps(job) if "uses" in s]
    used += [job["uses"] for job in jobs.values() if "uses" in job]
    assert used, "the workflow uses no actions?"
    lines = [ln for ln in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in ln]
    assert len(lines) == len(used)
    bad = [ln.strip() for ln in lines if not SHA_PIN.match(ln)]
    assert not bad, "not pinned as `owner/repo@<40-hex sha> # vX.Y.Z`:\n" + "\n".join(bad)


def test_checkout_never_persists_credentials(jobs: dict[str, dict[str, Any]]) -> None:
    checkouts = [
        (name, s)
        for name, job in jobs.items()
        for s in steps(job)
        if s.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    for name, s in checkouts:
        assert (s.get("with") or {}).get("persist-credentials") is False, name


def test_permissions_are_least_privilege(
    workflow: dict[str, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    top = workflow.get("permissions")
    assert top == {} or (isinstance(top, dict) and set(top.values()) <= {"read", "none"}), top
    for name, job in jobs.items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"job {name} must set its own permissions"
        writes = {scope for scope, level in perms.items() if level == "write"}
        assert writes == WRITE_JOBS.get(name, set()), f"job {name} writes {sorted(writes)}"


def test_deploy_runs_only_on_pushes_to_main(jobs: dict[str, dict[str, Any]]) -> None:
    deploy = jobs["deploy"]
    cond = deploy["if"]
    assert "github.event_name == 'push'" in cond
    assert "github.ref == 'refs/heads/main'" in cond
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert set(deploy["needs"]) >= {"test", "build"}
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]
    # Only the deploy job reaches Pages with write access; the build job only uploads.
    build_uses = [s.get("uses", "").split("@")[0] for s in steps(jobs["build"])]
    assert {"actions/configure-pages", "actions/upload-pages-artifact"} <= set(build_uses)
    upload = next(
        s for s in steps(jobs["build"]) if s.get("uses", "").startswith("actions/upload-pages")
    )
    assert upload["if"] == cond, "the Pages artifact is made only when it will be deployed"
    assert upload["with"]["path"] == "site", "the Pages artifact is what `make build` writes"


def test_release_attaches_the_offline_zip_on_version_tags(
    workflow: dict[str, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    assert triggers(workflow)["push"]["tags"] == ["v*"]
    release = jobs["release"]
    assert "startsWith(github.ref, 'refs/tags/v')" in release["if"]
    assert release["permissions"] == {"contents": "write"}
    script = "\n".join(run_commands(release))
    assert f'gh release upload "$TAG" dist/{ZIP_NAME}' in script
    assert "${{" not in script, "values reach the script through env:, never inline"
    upload = next(
        s for s in steps(jobs["build"]) if s.get("uses", "").startswith("actions/upload-artifact")
    )
    assert upload["with"]["path"] == f"dist/{ZIP_NAME}"
    download = next(
        s for s in steps(release) if s.get("uses", "").startswith("actions/download-artifact")
    )
    assert download["with"]["name"] == upload["with"]["name"]


def test_triggers_and_concurrency(
    workflow: dict[str, Any], jobs: dict[str, dict[str, Any]]
) -> None:
    on = triggers(workflow)
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]
    assert not {"pull_request_target", "workflow_run", "issue_comment"} & set(on)
    assert "github.ref" in workflow["concurrency"]["group"]
    # Deployments queue up; one is never cancelled half-way.
    assert jobs["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_no_expression_is_expanded_inside_a_script(jobs: dict[str, dict[str, Any]]) -> None:
    for name, job in jobs.items():
        for cmd in run_commands(job):
            assert "${{" not in cmd, f"job {name}: pass values through env: ({cmd!r})"


def test_the_browser_tests_get_a_chromium(jobs: dict[str, dict[str, Any]]) -> None:
    assert jobs["test"]["env"]["CHROMIUM_PATH"]


# --- one source of truth for commands ------------------------------------------------------


def test_workflow_steps_are_makefile_targets(jobs: dict[str, dict[str, Any]]) -> None:
    targets = makefile_targets()
    called: set[str] = set()
    for name, job in jobs.items():
        if name == "release":  # uploads an existing file with the gh CLI, builds nothing
            continue
        for cmd in run_commands(job):
            m = MAKE_CALL.match(cmd)
            assert m, f"job {name}: `{cmd}` is not `make <target>`: add a Makefile target"
            assert m.group(1) in targets, f"job {name}: no Makefile target {m.group(1)!r}"
            called.add(m.group(1))
    assert called >= REQUIRED_TARGETS, f"the workflow never runs {REQUIRED_TARGETS - called}"


def test_ci_run_and_readme_use_the_same_targets(jobs: dict[str, dict[str, Any]]) -> None:
    targets = makefile_targets()
    commands = [c for job in jobs.values() for c in run_commands(job)]
    in_workflow = {m.group(1) for m in map(MAKE_CALL.match, commands) if m}
    in_ci = make_targets_in((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    in_readme = make_targets_in((ROOT / "README.md").read_text(encoding="utf-8"))
    assert in_ci, ".ci/run calls no make target?"
    assert in_ci <= in_workflow, f".ci/run runs {in_ci - in_workflow}, the workflow does not"
    assert in_readme <= targets, f"the README names missing targets {in_readme - targets}"
    assert "offline-zip" in in_readme, "the README tells readers how to make the offline zip"


# --- the mutation workflow -----------------------------------------------------------------


def test_mutation_runs_weekly_and_on_demand_with_read_only_access() -> None:
    workflow = load(MUTATION)
    assert set(triggers(workflow)) == {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    uses = [ln for ln in MUTATION.read_text(encoding="utf-8").splitlines() if "uses:" in ln]
    assert uses
    assert all(SHA_PIN.match(ln) for ln in uses), uses
    checkout = next(s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_mutation_runs_the_make_target_and_uploads_the_report() -> None:
    (job,) = load(MUTATION)["jobs"].values()
    assert run_commands(job) == ["make setup-dev", "make mutation"]
    assert "mutation" in makefile_targets()
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-art"))
    assert upload["if"] == "always()"
    assert "mutants/mutation-report.txt" in upload["with"]["path"]


# --- the zip script on its own (fast) ------------------------------------------------------


def test_zip_site_is_one_folder_and_reproducible(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (site / "search" / "search_index.js").write_text("var __index = {}")
    out = [tmp_path / "a" / ZIP_NAME, tmp_path / "b" / ZIP_NAME]
    for o in out:
        r = subprocess.run(
            [sys.executable, "scripts/zip_site.py", str(site), str(o)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert r.returncode == 0, r.stderr
    assert out[0].read_bytes() == out[1].read_bytes()
    with zipfile.ZipFile(out[0]) as zf:
        assert zf.namelist() == [
            "studysite-offline/index.html",
            "studysite-offline/search/search_index.js",
        ]
    r = subprocess.run(
        [sys.executable, "scripts/zip_site.py", str(tmp_path / "none"), str(tmp_path / "x.zip")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 1
    assert "index.html" in r.stderr


# --- the workflow's build steps, run locally (slow) ----------------------------------------


def clean_copy(dest: Path) -> Path:
    """The tree as a fresh clone would have it: git's view (tracked + untracked, minus
    .gitignore), so no site/, site-offline/ or dist/ from earlier builds is copied."""
    r = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if r.returncode == 0:
        for rel in filter(None, r.stdout.decode().split("\0")):
            src = ROOT / rel
            if src.is_file():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / rel)
    else:  # no git: copy all but the outputs and caches
        shutil.copytree(
            ROOT,
            dest,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(*OUTPUTS),
        )
    return dest


class _Refs(HTMLParser):
    """Every URL index.html loads or links to, with the tag and attribute it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr in ("src", "href"):
            if a.get(attr):
                self.refs.append((tag, attr, a[attr], a.get("rel", "")))


def check_offline_site(site: Path) -> None:
    index = site / "index.html"
    assert index.is_file(), "no index.html at the top of the unpacked folder"
    assert any((site / "search" / n).is_file() for n in ("search_index.js", "search_index.json"))
    html = index.read_text(encoding="utf-8")
    for host in CDN_HOSTS:
        assert host not in html, f"index.html reaches {host}"
    parser = _Refs()
    parser.feed(html)
    missing = []
    for tag, attr, url, rel in parser.refs:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") or url.startswith("//"):
            # Links out are fine; anything the page *loads* must be inside the zip.
            loads = tag in ("script", "img", "iframe", "source") or (
                tag == "link" and rel not in ("canonical", "alternate", "author", "license")
            )
            assert not loads, f"index.html loads <{tag} {attr}={url!r}> from the network"
            continue
        if parts.scheme or not parts.path:  # mailto:, data:, javascript:, #anchor
            continue
        target = (index.parent / unquote(parts.path)).resolve()
        # From file:// a folder URL shows a listing, not the page: every link names a file.
        if not target.is_file():
            missing.append(f"<{tag} {attr}={url!r}>")
    assert not missing, "index.html refers to files not in the zip:\n" + "\n".join(missing)


@pytest.mark.slow
def test_the_workflow_build_steps_make_an_offline_zip(
    jobs: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    # Exactly the make targets the build job runs, minus installing (already done here).
    targets = [MAKE_CALL.match(c).group(1) for c in run_commands(jobs["build"])]
    targets = [t for t in targets if not t.startswith("setup")]
    assert targets[-1] == "offline-zip"
    tree = clean_copy(tmp_path / "tree")
    dist = tmp_path / "dist"
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL", "OFFLINE")}
    for target in targets:
        cmd = ["make", target, f"PYTHON={sys.executable}", f"DIST={dist}"]
        r = subprocess.run(
            cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=900, check=False
        )
        tail = "\n".join((r.stdout + r.stderr).splitlines()[-40:])
        assert r.returncode == 0, f"{' '.join(cmd)} failed (exit {r.returncode}):\n{tail}"

    archive = dist / ZIP_NAME
    assert archive.is_file()
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        tops = {PurePosixPath(n).parts[0] for n in names}
        assert tops == {"studysite-offline"}, f"the zip must unpack to one folder, not {tops}"
        assert not [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
        zf.extractall(tmp_path / "unpacked")
    check_offline_site(tmp_path / "unpacked" / "studysite-offline")
