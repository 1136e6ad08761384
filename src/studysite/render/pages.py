"""Render one Markdown page per catalog entry: one chapter merged from every note.

A page is: front matter, the entry's title, a summary line naming the notes that cover it,
the first definition a note gives, links to its sub-pages, then one outline: a heading per
subtopic (:mod:`studysite.routing.topics`), each appearing once, with every note's material
for it underneath, note after note, each block marked with its source
(:mod:`studysite.render.sources`). A part whose title says more than its subtopic sits under
a sub-heading of that title (one per distinct title). Every heading gets an explicit,
page-unique anchor so links and comparison tables can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from studysite.facts import Fact, Tip
from studysite.facts.extract import plain
from studysite.markdown_tokens import block_tokens
from studysite.model import Diagnostic, Line, Page, Part, RenderedPage, Site, Slot, relative
from studysite.render.console import fold_console
from studysite.render.facts import exam_tips_block, key_facts
from studysite.render.markdown import normalize
from studysite.render.questions import render_question
from studysite.render.sources import NoteIndex
from studysite.routing.topics import display_title, page_names, words

ImageResolver = Callable[[str, str], str | None]
# (note file, kind, target) -> URL or None: see render.markdown.LinkResolver.
NoteLinkResolver = Callable[[str, str, str], str | None]

# A page with more sections than this is "long" (a note of thousands of short headings): its
# table of contents lists only its title and "From <note>" headings (front matter
# ``toc_depth: 2``, applied by hooks/generate.py) and it gets no acronym tooltips. Both cost
# the square of the sections in MkDocs: Material's search plugin looks every section up in
# the whole TOC, and Python-Markdown's abbr extension finds each block's position among all
# its siblings (20,000 headings took minutes). Thousands of TOC entries help no reader; the
# search index is the same either way. A note feeding such a page is named in an info line.
MAX_SECTIONS = 1000
LONG_PAGE = "long page "  # how the notice starts: the hook shows it, unlike other info


def is_long(page: Page) -> bool:
    """Whether ``page`` has too many sections for a full TOC and tooltips (see above)."""
    return len(page.parts) > MAX_SECTIONS


def slugify(text: str) -> str:
    """The anchor for a heading: lower case, words joined by ``-`` (like MkDocs' toc)."""
    text = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


@dataclass
class Anchors:
    """Page-unique anchors: a repeated title gets ``-2``, ``-3`` ..."""

    used: set[str] = field(default_factory=set)
    # The last suffix given per base: 20,000 sections titled alike must not each count up
    # from -2 (that was quadratic).
    _last: dict[str, int] = field(default_factory=dict)

    def make(self, text: str, preferred: str | None = None) -> str:
        """A new unique anchor for ``text`` (``preferred`` when it is still free)."""
        if preferred and preferred not in self.used:
            self.used.add(preferred)
            return preferred
        base = slugify(text)
        anchor, n = base, self._last.get(base, 1)
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self._last[base] = n
        self.used.add(anchor)
        return anchor


def long_page_notice(page: Page) -> str:
    """The one-line notice for a long page, naming it (the diagnostic names the note)."""
    return (
        f"{LONG_PAGE}{page.path} has {len(page.parts):,} sections (over {MAX_SECTIONS:,}): "
        "its table of contents lists only its main subtopics, and it has no acronym tooltips"
    )


def escape_text(text: str) -> str:
    """A title as literal Markdown text (``<`` is no Python-Markdown escape: use ``&lt;``)."""
    text = re.sub(r"\s+", " ", text).strip().replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]>#{}])", r"\\\1", text)


def render_page(
    page: Page,
    site: Site,
    resolve_image: ImageResolver | None = None,
    resolve_link: NoteLinkResolver | None = None,
    notes: NoteIndex | None = None,
    facts: Sequence[Fact] = (),
    tips: Sequence[Tip] = (),
) -> RenderedPage:
    """The Markdown of ``page``: one outline of subtopics, every note's words under it.

    ``resolve_image(note_file, src)`` returns the image URL to use from this page, or
    ``None`` when the image does not exist (a placeholder is shown instead).
    """
    notes = notes or NoteIndex(site.notes)
    anchors = Anchors()
    diags: list[Diagnostic] = []
    line_anchors: dict[tuple[str, int], str] = {}
    out = _front_matter(page, site, diags)
    top = anchors.make(page.title)
    out.append(f"# {escape_text(page.title)} {{ #{top} }}")
    out.append("")
    out.append(_summary(page, site, notes))
    out.append("")
    said = definition(page)
    if said is not None:
        # Its words stand in the outline below too: the index needs them once.
        out.append(f'<p class="ss-definition" data-search-exclude markdown>{escape_text(said)}</p>')
        out.append("")
    for block in (key_facts(page, facts, notes), exam_tips_block(page, tips, notes)):
        if block:
            out += [block, ""]
    if page.children:
        out.append(
            "**In this section:** "
            + " · ".join(
                f"[{escape_text(site.pages[c].title)}]({relative(page.path, site.pages[c].path)})"
                for c in page.children
            )
        )
        out.append("")
    if not page.parts:
        out.append(
            '!!! info "No note covers this page directly"\n\n'
            "    The notes cover its sub-pages, listed above."
        )
        out.append("")
    body = _BodyRenderer(page, resolve_image, resolve_link, notes, diags)
    outline = _Outline.of(page)
    topic_anchor: dict[str, str] = {}
    long = is_long(page)
    more = False
    for topic in page.topics:
        level = 2
        if long and topic.own and topic.slot == Slot.TOPIC:
            # Thousands of the notes' own headings: one entry in the table of contents
            # (its depth is 2 on such a page), the headings under it.
            if not more:
                more = True
                out += [f"## More from the notes {{ #{anchors.make('more-from-the-notes')} }}", ""]
            level = 3
        anchor = topic_anchor[topic.id] = anchors.make(topic.title, topic.id)
        if level == 2:
            out.append(f"## {escape_text(topic.title)} {{ #{anchor} }}")
        else:
            # Thousands of headings cost MkDocs (toc, search sections) the square of their
            # number: on a long page the notes' own headings are anchored bold lines.
            out += [f"**{escape_text(topic.title)}**", f"{{: #{anchor} }}"]
        out.append("")
        for label, parts in outline.groups(topic.id):
            where = anchor
            if label is not None:
                shown, as_heading = label
                if as_heading and level == 2:
                    where = anchors.make(shown)
                    out.append(f"### {escape_text(shown)} {{ #{where} }}")
                else:
                    out.append(f"**{escape_text(shown)}**")
                out.append("")
            for part in parts:
                for no in part.line_numbers:
                    line_anchors[(part.file, no)] = where
                out.extend(body.block(part))
    # Headings with nothing under them are folded into the subtopic they name.
    for part in page.parts:
        where = topic_anchor.get(part.topic, top)
        for no in part.line_numbers:
            line_anchors.setdefault((part.file, no), where)
    return RenderedPage("\n".join(out).rstrip() + "\n", line_anchors, diags)


def _front_matter(page: Page, site: Site, diags: list[Diagnostic]) -> list[str]:
    entry = page.entry
    out: list[str] = ["---", f"title: {yaml_str(page.title)}"]
    if entry is not None:
        desc = f"{entry.name}: what the study notes say"
        out.append(f"description: {yaml_str(desc)}")
        # Search (Material): other names as tags, so "Simple Queue Service" finds the SQS
        # page. An alias is a tag only when it adds a word the name and earlier tags lack,
        # at most 4: tags repeat in every section's index entry, and the index must stay
        # small enough for file:// (tests/browser measure ranking and size).
        # The boost lifts the page about a thing over pages that only mention it.
        tags: list[str] = []
        known = set(re.findall(r"[\w.@]+", entry.name.lower()))
        for alias in entry.aliases:
            new = set(re.findall(r"[\w.@]+", alias.lower())) - known
            if new and len(tags) < 4:
                tags.append(alias)
                known |= new
        fed = set(page.notes)  # the #tags of the notes that feed the page are its tags too
        tags += dict.fromkeys(
            t for n in site.notes if n.file in fed for t in n.tags if t not in tags
        )
        out.append(f"tags: [{', '.join(yaml_str(t) for t in tags)}]")
        out.append("search: {boost: 1.5}")
        # What an exam question calls it, and query shapes standing for it (m5.large): the
        # search hook puts them in the page's one index entry, not in every section's.
        if entry.keywords:
            out.append(f"keywords: [{', '.join(yaml_str(k) for k in entry.keywords)}]")
        if entry.patterns:
            out.append(f"patterns: [{', '.join(yaml_str(p) for p in entry.patterns)}]")
    if is_long(page):
        out.append("toc_depth: 2")
        for file in page.notes:
            diags.append(Diagnostic(file, 0, long_page_notice(page), "info"))
    out += ["---", ""]
    return out


Label = tuple[str, bool]  # shown text, and whether it is a heading (else a bold line)


@dataclass
class _Outline:
    """A page's parts with content, by subtopic, then by label (each label once a page)."""

    page: Page
    names: tuple[tuple[str, ...], ...]
    by_topic: dict[str, list[Part]]
    _groups: dict[str, list[tuple[Label | None, list[Part]]]] = field(default_factory=dict)

    @classmethod
    def of(cls, page: Page) -> _Outline:
        by_topic: dict[str, list[Part]] = {}
        for part in page.parts:
            if any(ln.text.strip() for ln in part.lines):
                by_topic.setdefault(part.topic, []).append(part)
        entry = page.entry
        names = page_names(entry.name, entry.nav_title, entry.aliases) if entry else ()
        return cls(page, names, by_topic)

    def groups(self, topic_id: str) -> list[tuple[Label | None, list[Part]]]:
        """Unlabelled parts first (note after note), then one group per distinct label."""
        if not self._groups:
            self._group_all()
        return self._groups.get(topic_id, [])

    def _group_all(self) -> None:
        """Group every subtopic's parts, in outline order.

        A label reads as a heading unless its words are those of a subtopic's heading or of
        a label under an earlier subtopic (then it is a bold line, so no heading repeats), it
        is a sentence more than a name (over six words), or it stands under a last slot
        (Hands-on, Exam tips): those keep the outline short.
        """
        taken = {words(t.title, self.names) for t in self.page.topics}
        for topic in self.page.topics:
            unlabelled: list[Part] = []
            labelled: dict[tuple[str, ...], tuple[str, list[Part]]] = {}
            for part in self.by_topic.get(topic.id, []):
                key = words(part.label, self.names) if part.label else ()
                if not key:
                    unlabelled.append(part)
                    continue
                shown = display_title(part.label, self.names)
                labelled.setdefault(key, (shown, []))[1].append(part)
            out: list[tuple[Label | None, list[Part]]] = []
            if unlabelled:
                out.append((None, unlabelled))
            last = topic.slot == Slot.LAST
            for key, (shown, parts) in labelled.items():
                heading = key not in taken and not last and len(shown.split()) <= 6
                out.append(((shown, heading), parts))
            taken.update(labelled)
            self._groups[topic.id] = out


@dataclass
class _BodyRenderer:
    """One part's block: its source mark, then its lines as Python-Markdown."""

    page: Page
    resolve_image: ImageResolver | None
    resolve_link: NoteLinkResolver | None
    notes: NoteIndex
    diags: list[Diagnostic]

    def block(self, part: Part) -> list[str]:
        out: list[str] = []
        mark = self.notes.mark(part, self.page.path)
        if mark:
            out += [mark, ""]
        text = render_body(part, self.resolve_image, self.resolve_link, self.diags, self.notes)
        if text:
            out += [text, ""]
        return out


def render_body(
    part: Part,
    resolve_image: ImageResolver | None,
    resolve_link: NoteLinkResolver | None,
    diags: list[Diagnostic],
    notes: NoteIndex | None = None,
) -> str:
    """A part's lines as Python-Markdown, console material folded ("" when empty).

    With ``notes``, a part rendered once (on its merged page) is not rendered again for
    its note's as-written page, unless it holds an image or a link: their URLs are relative
    to the page; and its reference links use the definitions of its whole note.
    """
    bodies = notes.bodies if notes is not None else None
    if not part.lines:
        return ""
    if part.kind == "question":
        body, _ = render_question(list(part.lines), part.file, part.title_line or 0)
        return body.strip()
    if bodies is not None and (kept := bodies.pop(id(part), None)) is not None:
        diags.extend(kept[2])
        return kept[1]
    resolved = False

    def resolver(src: str) -> str | None:
        nonlocal resolved
        resolved = True
        return resolve_image(part.file, src) if resolve_image else src

    links = None
    if resolve_link is not None:

        def links(kind: str, target: str) -> str | None:
            nonlocal resolved
            resolved = True
            return resolve_link(part.file, kind, target)

    lines = dedent_leading(list(part.lines))
    body, body_diags = normalize(
        lines,
        file=part.file,
        resolve_image=resolver,
        resolve_link=links,
        references=notes.references(part.file) if notes is not None else None,
    )
    diags.extend(body_diags)
    text = close_containers(fold_console(body).strip())
    if bodies is not None and not resolved:
        # Keyed by identity (the part is kept alive with it): parts are not hashed by value.
        bodies[id(part)] = (part, text, body_diags)
    return text


_CONTAINER_TAG = re.compile(r"<(/?)(div|details)(?=[\s>])", re.IGNORECASE)


def close_containers(body: str) -> str:
    """``body`` with the ``<div>``/``<details>`` it opens but does not close, closed.

    A note may open a container in one section and close it in a later one; once sections
    are merged by topic they no longer stand next to each other, and an open container
    would swallow the rest of the page. Each block is made whole where it ends.
    """
    if not _CONTAINER_TAG.search(body):
        return body
    open_tags: list[str] = []
    for tok in block_tokens(body.split("\n")):
        if tok.type != "html_block":
            continue
        for m in _CONTAINER_TAG.finditer(tok.content):
            name = m.group(2).lower()
            if not m.group(1):
                open_tags.append(name)
            elif name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
    closers = "\n\n".join(f"</{name}>" for name in reversed(open_tags))
    return f"{body}\n\n{closers}" if closers else body


# "X is a ...", "X provides ...": a sentence that says what a thing is. "is a" says it best.
_IS_A = re.compile(r"\b(?:is|are)\s+(?:a|an|the|one|fully|highly)\b")
_DOES = re.compile(
    r"\b(?:is|are)\s+(?:used|designed|made)\b|\bprovides?\b|\blets?\s+you\b|"
    r"\ballows?\s+(?:you|us|users|customers|people)\b|\benables?\b|\bhelps?\s+you\b"
)
_SUBJECT_PREFIX = re.compile(r"^(?:(?:the|amazon|aws)\s+)*$", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _subject_pattern(names: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """Any of a page's names (word lists) as a sentence's subject, a plural and an
    "(abbreviation)" after it allowed; compiled once per page and run."""
    return re.compile(
        r"(?<![\w-])(?:"
        + "|".join(r"[\s-]+".join(map(re.escape, ws)) + "s?" for ws in names)
        + r")(?![\w-])(?:\s*\([^)]*\))?",
        re.IGNORECASE,
    )


def definition(page: Page) -> str | None:
    """The first sentence any note gives that says what the page's entry is.

    Overview material first, note after note; the entry must be the sentence's subject
    ("S3 is ...", "Amazon SQS provides ..."), the verb within a few words of it. A sentence
    saying what it *is* beats one saying what it does.
    """
    if page.entry is None:
        return None
    entry = page.entry
    # The page's own names only: "Read Replicas allow ..." does not define RDS.
    pattern = _subject_pattern(page_names(entry.name, entry.nav_title, entry.aliases))
    overview = page.topics[0].id if page.topics else ""
    does: str | None = None
    for part in sorted(page.parts, key=lambda p: p.topic != overview):
        for ln in part.lines:
            for sentence in re.split(r"(?<=[.!?])\s+", plain(ln.text)):
                if not 5 <= len(sentence.split()) <= 45:
                    continue
                m = pattern.search(sentence)
                if not m or not _SUBJECT_PREFIX.match(sentence[: m.start()]):
                    continue
                for verb in (_IS_A, _DOES):
                    v = verb.search(sentence, m.end())
                    if v and not sentence[m.end() : v.start()].strip():
                        if verb is _IS_A:
                            return sentence.rstrip(" :;,")
                        does = does or sentence.rstrip(" :;,")
    return does


def dedent_leading(lines: list[Line]) -> list[Line]:
    """Un-indent the first block of a body when it is indented four spaces or more.

    A pseudo-heading (``  __Two types__``) may be followed, on the very next line, by a list
    its author indented under it; once the title line is taken out, that list would read as
    indented code. After a blank line, indented text really is code and stays as it is.
    """
    first = 0
    if not lines or not lines[0].text.strip():
        return lines
    end = next((i for i in range(first, len(lines)) if not lines[i].text.strip()), len(lines))
    run = lines[first:end]
    if run[0].text.lstrip().startswith(("```", "~~~")):
        return lines
    cut = min(len(ln.text) - len(ln.text.lstrip(" ")) for ln in run)
    if cut < 4:
        return lines
    fixed = [Line(ln.no, ln.text[cut:]) for ln in run]
    return [*lines[:first], *fixed, *lines[end:]]


def _summary(page: Page, site: Site, notes: NoteIndex) -> str:
    entry = page.entry
    n = len(page.notes)
    fed = f"from {n} note{'s' if n != 1 else ''}" if n else "no note yet"
    if n:
        fed += ": " + ", ".join(notes.link(f, page.path) for f in page.notes)
    if entry is None:
        # The advice is for the notes' owner: folded, so a reader is not told to edit files.
        return (
            '<p class="ss-summary">Sections no rule could route.</p>\n\n'
            '??? note "For the notes\' owner: placing these sections"\n\n'
            "    Fix each with a rule in `notes/overrides.yml` (see the README, "
            '"When a section lands on the wrong page").'
        )
    category = site.catalog.category_of(entry.id).name
    names: list[str] = []
    # Distinct spellings only: "SQS queue" adds nothing once "SQS" is listed.
    for alias in entry.aliases:  # the catalog lists the main spellings first
        low = alias.lower()
        if alias in entry.policies or low in entry.name.lower():
            continue
        if any(n.lower() in low or low in n.lower() for n in names) or len(names) >= 6:
            continue
        names.append(alias)
    also = f" · also written as {', '.join(html_text(n) for n in names)}" if names else ""
    return f'<p class="ss-summary" markdown>{html_text(category)} · {entry.kind} · {fed}{also}</p>'


def html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
