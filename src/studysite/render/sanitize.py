"""Allowlist HTML sanitizer for page content made from notes.

Notes are untrusted: a pasted snippet may carry ``<script>``, an ``onerror=`` handler or a
``javascript:`` link, and Python-Markdown passes raw HTML through. :func:`sanitize` cleans
the HTML of a generated page with nh3 (ammonia): everything Python-Markdown, the enabled
pymdownx extensions and the studysite renderers emit in page content survives (headings
with ids, tables with alignment, highlighted code, task lists, content tabs, details,
abbreviations, footnotes, images); scripts, frames, plugins, event handlers, inline styles
other than table alignment, and ``javascript:``/``data:`` URLs (except ``data:`` raster
images) never reach the built site.
"""

from __future__ import annotations

import re

import nh3

# fmt: off
TAGS: frozenset[str] = frozenset({
    "p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var",
    "sub", "sup", "small", "mark", "em", "strong", "b", "i", "u", "s", "del", "ins", "abbr",
    "dfn", "q", "cite", "wbr", "time",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "a", "img", "figure", "figcaption",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "details", "summary",
    # pymdownx.tasklist checkboxes and pymdownx.tabbed radio buttons and labels.
    "input", "label",
})
# Attributes kept per tag; "*" applies to every tag.
ATTRIBUTES: dict[str, set[str]] = {
    # data-search-exclude keeps generated navigation (sources, backlinks) out of search.
    "*": {"class", "id", "title", "lang", "dir", "data-search-exclude"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "th": {"scope", "colspan", "rowspan", "style", "align"},
    "td": {"colspan", "rowspan", "style", "align", "data-label"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    # data-ss-cards: the Test yourself trainer's box (which cards it asks; never a URL).
    "div": {"data-tabs", "data-ss-cards"},
    "input": {"disabled", "checked", "name", "placeholder", "aria-label"},
    "label": {"for"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
# fmt: on
# An input is only ever a task-list checkbox, a content-tab radio button or the filter box of a
# generated table (search).
_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio", "search"}}}
# Elements whose content is code or markup, never text to show.
_DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed"}
_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "data"}
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# ``data:`` is fine only for a raster image in ``<img src>``: SVG can carry script.
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpe?g|gif|webp|avif|bmp)[;,]", re.I)
# Ids and names starting with "__" belong to Material and pymdownx (``__drawer``,
# ``__search``): a note must not clobber them. These generator patterns are the exceptions.
_RESERVED = re.compile(r"\s*__")
_GENERATED_ID = re.compile(r"__(?:codelineno|tabbed|span)[\w:.-]*")
_ALLOWED_STYLES = {"text-align"}
_STRIP_URL_NOISE = re.compile(r"[\x00-\x20]+")


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Per-attribute checks nh3's allowlist cannot express."""
    if attribute in _URL_ATTRIBUTES:
        url = _STRIP_URL_NOISE.sub("", value).lower()
        if url.startswith("data:") and not (
            tag == "img" and attribute == "src" and _DATA_IMAGE.match(url)
        ):
            return None
    if attribute in ("id", "name", "for") and _RESERVED.match(value):
        return value if _GENERATED_ID.fullmatch(value.strip()) else None
    return value


def sanitize(html: str) -> str:
    """The page content ``html`` with everything outside the allowlist removed.

    Disallowed tags are unwrapped (their text stays), except script-like elements, which go
    with their content. Comments are dropped; links are not rewritten (no ``rel`` added).
    """
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        attribute_filter=_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(_SCHEMES),
        tag_attribute_values={
            tag: {attr: set(values) for attr, values in attrs.items()}
            for tag, attrs in _ATTRIBUTE_VALUES.items()
        },
        filter_style_properties=set(_ALLOWED_STYLES),
    )
