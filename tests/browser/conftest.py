"""Browser test fixtures: both editions built once, the hosted one served, one Chromium.

The session builds the site twice with ``mkdocs build --strict``, in parallel: the hosted
edition, served on 127.0.0.1 by ``http.server`` in a thread, and the offline edition
(``OFFLINE=true``), opened from ``file://``. The build project is a temporary copy whose
``notes/`` is the real notes plus one small fixture note with a local image (the notes' own
images are on the web, which the offline edition does not load).

Each edition gets one page, reused by every test; it records console errors and every
request that leaves the site. Without a browser the tests skip and say what to install; in
CI (``CI=true``) a missing browser fails them instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest

from .support import (
    CHROMIUM_ARGS,
    EDITIONS,
    FIXTURE_ALT,
    FIXTURE_IMAGE,
    FIXTURE_NOTE,
    LOCAL_SCHEMES,
    REPO,
    WORKER_PROBE,
    BuiltSites,
    Edition,
    png,
)


def _missing(what: str) -> NoReturn:
    """Skip on a laptop without a browser; fail in CI, where .ci/run installs one."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the browser tests cannot run: {what}", pytrace=False)
    pytest.skip(f"browser tests skipped: {what}")


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> BuiltSites:
    """Build the hosted and the offline edition once per session (strict, in parallel)."""
    tmp = tmp_path_factory.mktemp("sites")
    project = tmp / "project"
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("hooks", "overrides", "docs", "catalog"):
        (project / name).symlink_to(REPO / name, target_is_directory=True)
    notes = project / "notes"
    shutil.copytree(REPO / "notes", notes)
    (notes / FIXTURE_IMAGE).parent.mkdir(parents=True)
    (notes / FIXTURE_IMAGE).write_bytes(png())
    (notes / FIXTURE_NOTE).write_text(
        "# Browser test fixture\n\n## Amazon SQS\n\n"
        "A local image, added by the browser tests to open in the lightbox.\n\n"
        f"![{FIXTURE_ALT}]({FIXTURE_IMAGE})\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OFFLINE", "USE_DIRECTORY_URLS")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    out = {name: tmp / name for name in EDITIONS}
    start = time.monotonic()
    # The exact commands of the issue: `mkdocs build --strict`, and OFFLINE=true for the
    # offline edition (Material's offline plugin turns directory URLs off by itself).
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out[name])],
            cwd=project,
            env={**env, "OFFLINE": "true"} if name == "offline" else env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in EDITIONS
    }
    failures = []
    for name, proc in procs.items():
        output, _ = proc.communicate(timeout=900)
        if proc.returncode:
            failures.append(f"{name} edition: mkdocs build --strict failed\n{output[-4000:]}")
    assert not failures, "\n\n".join(failures)
    return BuiltSites(out["hosted"], out["offline"], time.monotonic() - start)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs (page changes): not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def hosted_url(built_sites: BuiltSites) -> Iterator[str]:
    """The hosted edition on http://127.0.0.1:<free port>/ for the whole session."""
    handler = partial(_QuietHandler, directory=str(built_sites.hosted))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's, or CHROMIUM_PATH)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -r requirements-dev.txt)")
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not executable or not Path(executable).exists():
        _missing(
            "no Chromium found: install it (Debian/Ubuntu: sudo apt-get install chromium) "
            "or set CHROMIUM_PATH to a Chromium or Chrome binary"
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _is_error(kind: str, text: str) -> bool:
    """A console error, or a warning that reports one: Material's search worker logs a
    query that crashed lunr ("Invalid query: 15", then the TypeError) as a warning and
    shows "No matching documents", which would otherwise pass for an honest miss."""
    return kind == "error" or (kind == "warning" and ("Error" in text or "Invalid query" in text))


@pytest.fixture(scope="session", params=EDITIONS)
def edition(
    request: pytest.FixtureRequest, browser: Any, built_sites: BuiltSites
) -> Iterator[Edition]:
    """The hosted (HTTP) or offline (file://) edition in its own page, shared by the tests."""
    name = request.param
    if name == "hosted":
        root, base = built_sites.hosted, request.getfixturevalue("hosted_url")
    else:
        root, base = built_sites.offline, built_sites.offline.as_uri() + "/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.add_init_script(WORKER_PROBE)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a hang guard for a busy machine, not a bound
    ed = Edition(name, root, base, page)

    def local(url: str) -> bool:
        return url.startswith(LOCAL_SCHEMES) or (name == "hosted" and url.startswith(base))

    def on_request(req: Any) -> None:
        if not local(req.url):
            ed.outside.append(f"{req.resource_type} {req.url}")

    def route(r: Any) -> None:
        if local(r.request.url):
            r.continue_()
        elif name == "hosted" and r.request.resource_type == "image":
            # The hosted edition shows the notes' images from the web: stand in for it.
            r.fulfill(status=200, content_type="image/png", body=png(8, 8))
        else:
            r.abort()

    page.on("request", on_request)

    def on_failed(req: Any) -> None:
        # A local file or page that did not load (not one a page change cancelled).
        if local(req.url) and req.failure != "net::ERR_ABORTED":
            ed.errors.append(f"failed to load {req.url}: {req.failure}")

    page.on("requestfailed", on_failed)
    page.on(
        "console", lambda m: _is_error(m.type, m.text) and ed.errors.append(f"{page.url}: {m.text}")
    )
    page.on("pageerror", lambda e: ed.errors.append(f"{page.url}: {e}"))
    context.route("**/*", route)
    yield ed
    context.close()


@pytest.fixture(autouse=True)
def _fresh_log(request: pytest.FixtureRequest) -> None:
    """Each test checks only the console errors and requests that happened during it."""
    if "edition" in request.fixturenames:
        ed = request.getfixturevalue("edition")
        ed.errors.clear()
        ed.outside.clear()
