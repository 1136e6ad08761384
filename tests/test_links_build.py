"""The built HTML: cross-links never land in code, no page links to itself, --strict stays clean.

Two builds, both ``mkdocs build --strict``: a small site of linked pages that exercise every
protected construct, and the real site from ``notes/`` (through the project's hook when it
links already, else through a hook that adds linking to it the way the lead is asked to).
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from studysite.links import abbreviations, link_site
from studysite.routing.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


class _Links(HTMLParser):
    """Collects the links of the page content and those found inside <code>/<pre>."""

    def __init__(self) -> None:
        super().__init__()
        self.code = 0
        self.article = 0
        self.in_code: list[str] = []
        self.hrefs: list[str] = []
        self.abbrs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("code", "pre"):
            self.code += 1
        elif tag == "article":
            self.article += 1
        elif tag == "abbr" and self.article:
            self.abbrs += 1
        elif tag == "a" and self.article and a.get("href"):
            href = a["href"] or ""
            if self.code and not href.startswith("#__codelineno"):  # Pygments line anchors
                self.in_code.append(href)
            if "headerlink" not in (a.get("class") or ""):
                self.hrefs.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre") and self.code:
            self.code -= 1
        elif tag == "article" and self.article:
            self.article -= 1


def check_html(site: Path) -> dict[str, int]:
    """Assert no link inside code and no page linking to itself; return counts."""
    in_code, self_links, links, abbrs = [], [], 0, 0
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        parser = _Links()
        parser.feed(html.read_text(encoding="utf-8"))
        in_code += [(rel, h) for h in parser.in_code]
        abbrs += parser.abbrs
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # external links and same-page anchors (tables of contents)
            links += 1
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
            if parts.path.endswith("/"):
                target = posixpath.join(target, "index.html")
            if target == rel:
                self_links.append((rel, href))
    assert in_code == [], in_code[:10]
    assert self_links == [], self_links[:10]
    return {"links": links, "abbrs": abbrs}


def _extensions() -> str:
    """The project's ``markdown_extensions`` and ``validation`` blocks, verbatim."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    out = []
    for key in ("markdown_extensions:", "validation:"):
        block = text[text.index(f"\n{key}") + 1 :]
        lines = block.splitlines()
        end = next(
            (i for i, ln in enumerate(lines[1:], 1) if ln and not ln.startswith((" ", "#"))),
            len(lines),
        )
        out.append("\n".join(lines[:end]))
    return "\n".join(out)


def _build(config: Path, site: Path) -> None:
    """``mkdocs build --strict``: must succeed without a single warning."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "WARNING" not in proc.stderr, proc.stderr[-3000:]


SMALL = {
    "index.md": "# Home\n\nStart at SQS, SNS or EC2.\n",
    "compute/ec2.md": textwrap.dedent(
        """\
        ---
        title: "Amazon EC2"
        ---

        # Amazon EC2 { #amazon-ec2 }

        ## User Data { #user-data }

        EC2 sends to SQS; SNS fans out. `SQS in code`, [SNS docs](https://example.com/sns).

        ```python
        sqs = SQS()  # SNS
        ```

        ~~~
        SNS in tilde fence
        ~~~

            SQS in indented code

        - list item about SNS

                SQS code inside the item

        | Service | Use |
        |---|---|
        | SQS | queues |

        !!! note "SNS title"

            SQS inside the admonition body.

        <div>

        SNS in raw HTML

        </div>

        <p class="ss-source" markdown>Source: `f.txt` line 3 SQS</p>

        Bare URL https://example.com/SQS and <https://example.com/SNS>.
        """
    ),
    "integration/sqs.md": "# Amazon SQS { #amazon-sqs }\n\nSQS works with SNS and EC2 User Data.\n",
    "integration/sns.md": "# Amazon SNS { #amazon-sns }\n\nSNS fans out to SQS and EC2.\n",
}


def test_small_site_builds_strict_without_links_in_code(tmp_path: Path) -> None:
    catalog = load_catalog(ROOT / "catalog" / "services.yml")
    ids = {"compute/ec2.md": "ec2", "integration/sqs.md": "sqs", "integration/sns.md": "sns"}
    pages, graph, _ = link_site(SMALL, ids, catalog)
    abbr = abbreviations(catalog)
    for path, md in pages.items():
        out = tmp_path / "docs" / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(md.rstrip("\n") + "\n\n" + abbr, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: links test\nuse_directory_urls: true\n"
        "theme:\n  name: material\n  features: [content.tooltips]\n" + _extensions() + "\n",
        encoding="utf-8",
    )
    _build(config, tmp_path / "site")
    counts = check_html(tmp_path / "site")
    assert counts["links"] >= sum(len(v) for v in graph.links.values())
    assert counts["abbrs"] > 0
    html = (tmp_path / "site" / "integration" / "sqs" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../compute/ec2/#user-data"' in html
    assert 'id="mentioned-in"' in html


def test_real_site_builds_strict_without_links_in_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(ROOT / "mkdocs.yml", site)
    counts = check_html(site)
    assert counts["links"] > 1000
    assert counts["abbrs"] > 100
