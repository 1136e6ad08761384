"""What the browser tests share besides fixtures: the editions, search typing, a test image."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]
EDITIONS = ("hosted", "offline")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The lightbox fixture: a note whose title routes it to the SQS page, with a local image.
FIXTURE_NOTE = "zz-browser-test-fixture.md"
FIXTURE_IMAGE = "browser-test-fixture/queue-diagram.png"
FIXTURE_ALT = "Queue diagram (browser test fixture)"
# What a page may load without the network (the hosted edition may also use its server).
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# Observes Material's search worker (a real Worker, or the iframe-worker shim on file://):
# queries sent and results received, so a test knows when the results on screen answer
# the query it typed. It runs before any page script; the shim replaces window.Worker
# later, and the setter wraps that class too. Message types: Material's SearchMessageType.
WORKER_PROBE = """
(() => {
  const log = { sent: 0, answered: 0, ready: false };
  window.__ssSearch = log;
  const wrap = (Base) => {
    if (typeof Base !== "function" || Base.__ssProbe) return Base;
    class Probed extends Base {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (ev) => {
          const type = ev.data && ev.data.type;
          if (type === 1) log.ready = true;    // READY
          if (type === 3) log.answered += 1;   // RESULT
        });
      }
      postMessage(message, ...rest) {
        if (message && message.type === 2) log.sent += 1;   // QUERY
        return super.postMessage(message, ...rest);
      }
    }
    Probed.__ssProbe = true;
    return Probed;
  };
  let current = wrap(window.Worker);
  Object.defineProperty(window, "Worker", {
    configurable: true,
    get: () => current,
    set: (value) => { current = wrap(value); },
  });
})();
"""


def png(width: int = 96, height: int = 48) -> bytes:
    """A small solid-colour PNG, made here so the repository holds no binary fixture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x8a\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class BuiltSites:
    """The two editions, built from the same temporary project."""

    hosted: Path
    offline: Path
    seconds: float


@dataclass
class Edition:
    """One edition open in one browser page, with what that page logged."""

    name: str
    root: Path
    base: str
    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        """The URL of the docs page at ``path`` ("" home, "application-integration/sqs")."""
        path = path.strip("/")
        if self.name == "hosted":
            return self.base + (path + "/" if path else "")
        if not path:
            return self.base + "index.html"
        leaf = self.root / f"{path}.html"
        return self.base + (f"{path}.html" if leaf.exists() else f"{path}/index.html")

    def page_id(self, url: str) -> str:
        """The catalog id (last part of the path) of the page at ``url``; "" for home."""
        path = unquote(urlsplit(url).path)
        base = unquote(urlsplit(self.base).path)
        rel = path[len(base) :] if path.startswith(base) else path
        rel = rel.removesuffix("index.html").removesuffix(".html").strip("/")
        return rel.rsplit("/", 1)[-1]

    def goto(self, path: str = "") -> None:
        """Open a page with a full load (not Material's instant navigation)."""
        self.page.goto(self.url(path), wait_until="load")

    def assert_clean(self) -> None:
        """No console error so far; offline, no request that needs the network."""
        assert not self.errors, f"{self.name}: console errors:\n" + "\n".join(self.errors)
        if self.name == "offline":
            assert not self.outside, "the offline edition made requests:\n" + "\n".join(
                self.outside
            )


def open_search(ed: Edition) -> Any:
    """Click into the search box and wait for the index; returns the search input."""
    box = ed.page.locator("input.md-search__input")
    box.click()
    ed.page.wait_for_function("window.__ssSearch && window.__ssSearch.ready")
    return box


def search(ed: Edition, box: Any, query: str, *, every_key: bool = False) -> list[str]:
    """Type ``query`` into the search box; the result pages' URLs, best first.

    Material searches on each key press (keyup), and each one's query runs in the worker:
    a one-letter query can take a second on a small CI machine. So by default the query
    minus its last character is filled in and only the last key is pressed, which sends
    Material exactly the final query; ``every_key`` types it all, key by key, like a person.
    Then waits until the worker has answered every query sent, so the list on screen is the
    answer to the whole query, not to a prefix of it.
    """
    if every_key:
        box.press("ControlOrMeta+a")
        box.press_sequentially(query)
    else:
        box.fill(query[:-1])
        box.press_sequentially(query[-1:])
    ed.page.wait_for_function(
        """q => {
          const log = window.__ssSearch;
          return document.querySelector("input.md-search__input").value === q
            && log.sent > 0 && log.answered === log.sent;
        }""",
        arg=query,
    )
    return ed.page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item",
        "items => items.map(li => li.querySelector('a.md-search-result__link').href)",
    )
