"""Find key facts and exam tips in the parts every page gets.

A fact is a number with a unit (``256 KB``, ``15 minutes``, ``99.99%``, ``$0.09``) or a
number with a quantity word or bare, when the line also says a fact word (max, default,
limit, retention, up to ...). Ranges and lists (``1 day to 365 days``, ``1, 10 and 100
Gbps``) are one value. The phrase that names a fact is the few words before its value
(``Max message size``), else after it. Values are normalised (bytes, seconds, percent,
dollars) so notes can be compared: the same measure of one service stated with values that
cannot both hold in different notes is a conflict (:func:`mark_conflicts`).

A tip is a line or block a note marks for the exam: an "Exam tip" / "For the exam" /
"Remember" lead, a tip admonition or callout, a "trigger words" list, or a part filed under
the page's Exam tips subtopic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from studysite.model import Part, Site

# unit spelling -> (kind, factor to the kind's base unit)
_SIZE = {"b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "kib": 1024, "mb": 1e6, "mib": 1024**2}
_SIZE |= {"gb": 1e9, "gib": 1024**3, "tb": 1e12, "tib": 1024**4, "pb": 1e15, "pib": 1024**5}
_SIZE |= {"eb": 1e18}
_TIME = {"ms": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3, "s": 1, "sec": 1, "secs": 1}
_TIME |= {"second": 1, "seconds": 1, "min": 60, "mins": 60, "minute": 60, "minutes": 60}
_TIME |= {"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600}
_TIME |= {"d": 86400, "day": 86400, "days": 86400, "week": 604800, "weeks": 604800}
_TIME |= {"month": 2592000, "months": 2592000, "year": 31536000, "years": 31536000}
_TIME |= {"yr": 31536000, "yrs": 31536000, "y": 31536000}
_RATE = {"kbps": 1e3, "mbps": 1e6, "gbps": 1e9, "tbps": 1e12}
_RATE |= {f"{k}/s": v * 8 for k, v in _SIZE.items() if k in ("kb", "mb", "gb", "tb", "mib", "gib")}
_RATE |= {f"{k}/sec": v * 8 for k, v in _SIZE.items() if k in ("kb", "mb", "gb", "tb")}
UNITS: dict[str, tuple[str, float]] = {}
for _kind, _table in (("size", _SIZE), ("time", _TIME), ("rate", _RATE)):
    UNITS |= {u: (_kind, f) for u, f in _table.items()}
# Counted things an exam asks about: a number before them is a unit-ful fact.
_COUNTED = (
    "iops|rcu|wcu|tps|vcpus?|cpus?|x|requests?|messages?|records?|instances?|partitions?|"
    "shards?|replicas?|read replicas?|regions?|azs?|availability zones?|nodes?|consumers?|"
    "transactions?|rules?|targets?|connections?|ip addresses|addresses|characters?|tags?|"
    "users?|accounts?|keys?|buckets?|versions?|dimensions?|subnets?|vpcs?|copies|threads?|"
    "writes?|reads?|calls?|items?|functions?|layers?|retries|attempts|edge locations?|"
    "points? of presence|locations?|nines|cores?|volumes?|snapshots?|queues?|topics?|"
    "subscriptions?|subscribers?|invocations?|executions?|lines?|objects?|parts?|files?|streams?"
)
_COUNTED_WORD = re.compile(_COUNTED, re.IGNORECASE)
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_VALUE = re.compile(
    rf"(?<![\w./$-])(?<!\d,)(?P<cur>\$\s?)?(?P<num>{_NUMBER})(?P<mult>[kKM](?![A-Za-z]))?"
    rf"(?:(?P<pct>\s?%)|[\s-]?(?P<unit>(?i:{_UNIT_RE}))(?![\w/])"
    rf"|\s?(?P<count>(?i:{_COUNTED}))(?!\w))?"
)
# Joins two values into one range: "1 day to 365 days", "4 GiB - 16 TiB", "1 or 3 years".
# A comma joins a list of one kind: "1Gbps, 10 Gbps and 100 Gbps", "50Mbps, 500 Mbps, to 10 Gbps".
_RANGE_GAP = re.compile(
    r"\s*(?:\([^)]{0,20}\))?\s*(?:,\s*(?:and|or|to)?|-|–|—|to|or|and|/|➔|->)\s*\Z"
)
_FACT_WORD = re.compile(
    r"\b(?:max(?:imum)?|min(?:imum)?|up to|at most|at least|default|limit(?:ed|s)?|"
    r"retention|retain(?:ed)?|timeout|size|per (?:second|minute|hour|day|month|year|gb|shard|"
    r"region|account|az|subnet|vpc|instance|partition|request|call|function|stream|queue|"
    r"table|key|volume)|"
    r"durability|availability|cost(?:s)?|price|pricing|charged?|free|discount|latency|"
    r"throughput|capacity|storage|memory|duration|period|ttl|interval|every|only|"
    r"can have|allows?|supports?|soft limit|hard limit|quota|increments?|range|between|"
    r"reserves?|provides?|burst|baseline|sla|iops|bandwidth|lasts?|expires?|valid|"
    r"cooldown|delay|window|(?:\w+ )?replicas?|copies|scale|scales|concurrency|concurrent|"
    r"less than|more than|under|over|within|as much as|no more than|exactly)\b",
    re.IGNORECASE,
)
# A number after one of these is a name or a step, not a quantity.
_NOT_QUANTITY = re.compile(
    r"(?:section|chapter|step|lecture|part|question|option|layer|tier|type|gen|generation|"
    r"version|v|lesson|module|q|page|figure|table|rfc|ipv|iso|pci|soc|phase|day|week)\s*\Z",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"\b\d+(?:\.\d+){2,}(?:/\d+)?|\b\d+(?:\.\d+)*/\d+\b|\b\d+\.\d+\.x\b")
_PORT = re.compile(r"\bports?\s*(?:number\s*)?:?\s*\Z", re.IGNORECASE)
# A bare number needs a fact word right before it: "max 7", "up to 10", "limit of 5".
_NEAR = re.compile(
    r"\b(?:max(?:imum)?|min(?:imum)?|up to|at most|at least|default|limit(?:ed)?(?: of| to)?|"
    r"only|supports?|allows?|can have|have|has|reserves?|over|under|less than|more than|"
    r"as much as|no more than|exactly|between|from|every|within|first|last|of|by)\.?\s*\Z",
    re.IGNORECASE,
)
# Fact words that name nothing on their own ("max", "over"): a phrase needs more.
_VAGUE = {
    "max", "maximum", "min", "minimum", "most", "least", "over", "under", "only", "every",
    "less", "more", "within", "exactly", "allow", "allows", "support", "supports", "provide",
    "provides", "much", "can", "have", "has", "free", "range", "per", "achieve", "need",
}  # fmt: skip
_STOP = {
    "a", "an", "the", "is", "are", "of", "to", "up", "for", "be", "can", "and", "or", "in",
    "on", "at", "by", "with", "from", "between", "it", "its", "you", "your", "we", "which",
    "that", "this", "has", "have", "there", "as", "than", "only", "e.g", "eg", "i.e", "ie",
    "per", "each", "any", "all", "will", "was", "were", "get", "gets", "about", "around",
    "approx", "approximately", "~", "usually", "typically", "also", "just", "s", "into",
}  # fmt: skip
_TIP_LEAD = re.compile(
    r"^(?:[-*+•>]\s+|\d+[.)]\s+)*(?:[^\w\s]{1,3}\s*)?(?:[*_]{1,3})?"
    r"(?:exam\s*(?:tips?|notes?|alert|hints?|traps?)|for the exam|remember|trigger words?|"
    r"(?:⚠️?\s*)?exam\b)",
    re.IGNORECASE,
)
# "But remember, the take away ...", "what you get to remember out of this slide is": a
# transcript's tip, "remember" among its first words.
_REMEMBER = re.compile(r"^(?:[\w']+,?\s+){0,5}remember\b", re.IGNORECASE)
_TIP_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*(?:tip|hint)\b", re.IGNORECASE)
_TIP_CALLOUT = re.compile(r"^\s*>\s*\[!(?:tip|hint|exam)\]", re.IGNORECASE)
# "if you see X at the exam", "Really important for exam": a one-line tip.
_EXAM_SENTENCE = re.compile(
    r"\b(?:in|at|for|on)\s+(?:the\s+|your\s+|an?\s+)?exams?\b|\bquestion exam\b", re.IGNORECASE
)
_ITEM = re.compile(r"\s*(?:[-*+•]|\d+[.)])\s")
# Console output copied into a note (resource ids, account numbers, form controls) and
# worked examples state no fact about the service.
_CONSOLE = re.compile(
    r"<input\b|\b(?:vpc|subnet|sg|ami|vol|eni|igw|rtb|acl|i|arn:aws)[-:][0-9a-f]{6,}|\b\d{12}\b"
)
_EXAMPLE_NEAR = re.compile(
    r"\b(?:examples?|eg|ex|for instance|say|if you|means)\b|\be\.g\.", re.IGNORECASE
)
_EXAMPLE = re.compile(r"(?:example\b|e\.g\.|eg\b|for instance\b)", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
_EXAM_TOPIC = "exam tips"


@dataclass(frozen=True)
class Fact:
    """One number a note states, on the page of the part it stands in."""

    page: str
    fact: str  # the phrase naming it: "Max message size"
    value: str  # as written: "256KB", "1 day to 365 days"
    file: str
    line: int
    kind: str  # size, time, rate, percent, money, count
    normalised: tuple[float, ...]  # each number in the kind's base unit
    part: Part
    context: str = ""  # the clause it stands in, numbers and all
    conflict: bool = False
    subject: str = ""  # what it stands under: "Convertible Reserved Instance", "sc 1"
    role: str = ""  # "max", "min", "default" or "": what the value is of its fact
    group: str = ""  # facts that disagree share it (the first one's page:file:line)
    measure: str = ""  # the kind, counts with what they count: "count:subscriber"
    lead: str = ""  # its line's words before a colon: "sc 1" of "sc 1: ... 500MiB/s"


@dataclass(frozen=True)
class Tip:
    """A line or block a note marks as a tip for the exam."""

    page: str
    file: str
    first: int
    last: int
    text: str
    part: Part


_MARK = re.compile(r"^\s*(?:[-*+•>]|\d+[.)])\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"[*_`]{1,3}|\\(?=\W|$)")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def plain(text: str) -> str:
    """A note line as plain text: list marks, emphasis, links and code marks gone.

    Cached: tips, definitions, key facts and cards each read the same lines."""
    text = _MARK.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def phrase_key(phrase: str) -> str:
    """A phrase compared as words: case, stop words and plural ``s`` ignored."""
    ws = [w.rstrip("s") for w in re.findall(r"[a-z0-9]+", phrase.lower()) if w not in _STOP]
    return " ".join(ws)


def _number(text: str, mult: str | None) -> float:
    n = float(text.replace(",", ""))
    return n * {"k": 1e3, "K": 1e3, "M": 1e6}.get(mult or "", 1)


@dataclass
class _Hit:
    start: int
    end: int
    kind: str
    values: list[float]
    strong: bool  # has a unit: a fact without a fact word


def _hits(text: str) -> list[_Hit]:
    # Addresses and CIDR blocks are no quantities (blanked, so positions stay).
    text = _ADDRESS.sub(lambda m: " " * len(m.group()), text)
    hits: list[_Hit] = []
    for m in _VALUE.finditer(text):
        num = _number(m["num"], m["mult"])
        before = text[: m.start()]
        after = text[m.end() :]
        if re.match(r":\d", after) or re.search(r"\d:\Z", before):
            continue  # a ratio: "50:1 IOPS/GB"
        if m["unit"] == "s" and re.match(r"\s+of\b", after):
            continue  # "100s of volumes": many, not seconds
        if _EXAMPLE_NEAR.search(before[-12:]):
            continue  # "(ex: 10MB)": an example's number
        if m["cur"]:
            kind, value, strong = "money", num, True
        elif m["pct"]:
            kind, value, strong = "percent", num, True
        elif m["unit"]:
            unit = m["unit"].lower()
            if unit in ("s", "h", "d", "y", "b") and m["unit"] != unit.lower():
                continue
            if unit in ("s", "d", "y", "h", "b") and text[m.end("num") : m.start("unit")]:
                continue  # "5 s" is too often a letter: only "5s" is a unit
            kind, factor = UNITS[unit]
            value, strong = num * factor, True
        elif m["count"]:
            kind, value, strong = "count:" + m["count"].lower().rstrip("s"), num, True
        else:
            kind, value, strong = "count", num, False
            if m["mult"] is None and "." not in m["num"] and 1900 <= num <= 2099:
                continue  # a year
            if _NOT_QUANTITY.search(before) or re.match(r"\.[A-Z]", text[m.end() :]):
                continue  # a step or list number: "Step 2", "2.Authorised IP ranges"
            if _PORT.search(before):
                kind, strong = "port", True
            elif not (_NEAR.search(before) or re.search(r":\s*\Z", before)):
                continue  # a bare number counts only right after a fact word or a colon
        if not strong and _NOT_QUANTITY.search(before):
            continue
        prev = hits[-1] if hits else None
        gap = text[prev.end : m.start()] if prev else ""
        if prev and _RANGE_GAP.match(gap) and ("," not in gap or prev.kind == kind):
            # "1 to 6 hours": the first number takes the unit of the range.
            if prev.kind == "count" and not prev.strong and kind != "count":
                factor = value / num if num else 1
                prev.values = [v * factor for v in prev.values]
                prev.kind = kind
            if prev.kind == kind or kind == "count":
                prev.values.append(value)
                prev.end = m.end()
                prev.strong = prev.strong or strong
                continue
        hits.append(_Hit(m.start(), m.end(), kind, [value], strong))
    return hits


def _phrase(text: str, hit: _Hit, fallback: str) -> str:
    """The words naming the value at ``hit``: before it in its clause, else after it."""
    before = re.split(r"[.;:,(\[|⇒➔→=]|\s[-–—]\s|\t", text[: hit.start])[-1]
    words = before.split()
    while words and words[-1].lower().strip(".,") in _STOP | {"up", "max.", "max", "min"}:
        if words[-1].lower() in ("max", "max.", "min"):
            break
        words.pop()
    while words and words[0].lower() in _STOP:
        words.pop(0)
    if not words and ":" in text[: hit.start]:
        # "Max message size: 256 KB" or "Concurrency executions: 1000"
        head = text[: hit.start].rsplit(":", 1)[0]
        words = re.split(r"[.;(\[|]|\s[-–—]\s", head)[-1].split()
    if not words:
        after = re.split(r"[.;:,(\[|]|\s[-–—]\s", text[hit.end :])[0].split()
        words = list(after[:4])
        while words and words[-1].lower() in _STOP:
            words.pop()
    words = words[-6:]
    phrase = " ".join(words).strip(" -–:")
    if not _meaningful(phrase):
        after = re.split(r"[.;:,(\[|]|\s[-–—]\s", text[hit.end :])[0].split()[:4]
        while after and after[-1].lower() in _STOP:
            after.pop()
        lead = re.split(r"[.;:,(\[|⇒➔→=]|\s[-–—]\s|\t", text[: hit.start])[0].split()[:4]
        if _meaningful(" ".join(after)):
            phrase = f"{phrase} … {' '.join(after)}" if phrase else " ".join(after)
        elif _meaningful(" ".join(lead)):
            phrase = " ".join(lead)  # "Aurora storage grows in 10GB steps, up to 128 TB"
        else:
            phrase = f"{fallback} ({phrase})" if re.search("[A-Za-z]", phrase) else fallback
    return phrase


def _meaningful(phrase: str) -> bool:
    """Whether ``phrase`` has a word naming something (not only "max", "over", "TB")."""
    return any(
        len(w) > 2 and w.lower() not in _STOP and w.lower() not in _VAGUE and w.lower() not in UNITS
        for w in re.findall(r"[A-Za-z][\w/-]*", phrase)
    )


def _clause(text: str, hit: _Hit) -> str:
    """The clause around ``hit``: from the last ``;`` before it to the next after it."""
    start = max(text.rfind(c, 0, hit.start) for c in ";") + 1
    ends = [i for i in (text.find(c, hit.end) for c in ";") if i >= 0]
    return text[start : min(ends) if ends else len(text)].strip()


def _part_lines(part: Part) -> list[tuple[int, str, str]]:
    """The part's lines outside code fences, numbered, the title line first, each with the
    short lines it stands under (its subject: "Cold HDD (sc1)" over "- Max throughput ...")."""
    out: list[tuple[int, str, str]] = []
    if part.title_line and part.title:
        out.append((part.title_line, part.title, ""))
    fenced = False
    stack: list[tuple[int, str]] = [(-1, plain(part.title))] if part.title else []
    for ln in part.lines:
        if _FENCE.match(ln.text):
            fenced = not fenced
            continue
        # Indented lines stay: text notes indent their lists; fenced code is skipped.
        if fenced or not ln.no or not ln.text.strip():
            continue
        # A list item sits under the lead or bold line before it at the same indent.
        depth = 2 * _indent(ln.text) + (1 if _ITEM.match(ln.text) else 0)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        out.append((ln.no, ln.text, " ".join(lead for _, lead in stack[-2:])))
        lead = plain(ln.text).split(":", 1)[0]
        stack.append((depth, lead if len(lead.split()) <= 6 else ""))
    return out


def extract_facts(site: Site) -> list[Fact]:
    """Every fact of every note, in note and line order, conflicts marked."""
    names: dict[str, str] = {}
    for entry in site.catalog.entries.values():
        for name in (entry.name, *entry.aliases):
            names.setdefault(name.lower(), entry.id)
    facts = [f for note in site.notes for part in note.parts for f in facts_in(part, names)]
    # Headings any page has ("Limits", "Overview") and category names name no subject.
    cat = site.catalog
    general = " ".join(
        [*(t.title for t in (*cat.slots, *cat.default_topics)), *(c.name for c in cat.categories)]
        + [p for t in (*cat.slots, *cat.default_topics) for p in t.phrases]
    )
    # So do other services' names: "SQS vs SNS vs Kinesis" is no subject of an SNS number.
    others: dict[str, set[str]] = {}
    for entry in cat.entries.values():
        for name in (entry.name, *entry.aliases):
            for w in _words(name):
                others.setdefault(_stem(w), set()).add(entry.id)
    general_words = frozenset(_stem(w) for w in _words(general))

    def named(word: str, page: str) -> bool:
        # A feature page's own aliases ("Spot Instances" of EC2 purchasing options) are
        # its parts; a service's are the service.
        entry = cat.entries.get(page)
        owners = others.get(_stem(word), set())
        return bool(owners) and not (page in owners and entry and entry.kind != "service")

    def ancestors(page: str) -> list[str]:
        return cat.ancestors(page) if page in cat.entries else []  # Unsorted has none

    return mark_conflicts(facts, ancestors, general_words, named)


def facts_in(part: Part, names: dict[str, str] | None = None) -> list[Fact]:
    """The facts one part states, in line order (practice questions state none).

    ``names`` (lower-cased catalog names -> page) lets a table whose header row names
    services ("SQS:<tab>SNS:<tab>Kinesis:") give each column's facts to its service.
    """
    facts: list[Fact] = []
    if part.kind == "question":
        return facts
    header: list[str | None] | None = None
    for no, raw, subject in _part_lines(part):
        cells = [(part.page, raw)]
        if "\t" in raw.strip():
            row = [c.strip() for c in raw.strip().split("\t")]
            if header is not None:
                owners = [
                    (header[i] if i < len(header) else None) or part.page for i in range(len(row))
                ]
                cells = list(zip(owners, row, strict=True))
            elif names and len(row) > 1:
                named = [names.get(plain(c).strip(" :").lower()) for c in row]
                header = named if any(named) else None
        else:
            header = None
        for page, cell in cells:
            facts += _facts_of_text(part, page, no, cell, subject)
    return facts


def _facts_of_text(part: Part, page: str, no: int, raw: str, subject: str) -> list[Fact]:
    text = plain(raw)
    # "10 GB+/s throughput": a rate, the "+" says "or more".
    text = re.sub(r"(?i)(\d\s?[kmgt]i?b)\+\s?/\s?s\b", r"\1/s", text)
    if not text or len(text) > 400 or _CONSOLE.search(raw) or _EXAMPLE.match(text):
        return []
    lead = text.split(":", 1)[0] if ":" in text[:60] else ""
    worded = _FACT_WORD.search(text) is not None
    facts: list[Fact] = []
    for hit in _hits(text):
        if not hit.strong and not worded:
            continue
        facts.append(
            Fact(
                page,
                _phrase(text, hit, part.label or part.title),
                text[hit.start : hit.end].strip(),
                part.file,
                no,
                hit.kind.split(":")[0],
                tuple(hit.values),
                part,
                _clause(text, hit),
                subject=subject,
                lead=lead,
                role=_role(text, hit),
                measure=hit.kind,
            )
        )
    return facts


_ROLE_WORD = re.compile(
    r"\b(?:(?P<default>default)|(?P<max>max(?:imum)?|up to|at most|no more than|as much as|"
    r"limit(?:ed)?|upper|cap(?:ped)?)|(?P<min>min(?:imum)?|at least))\b",
    re.IGNORECASE,
)


def _role(text: str, hit: _Hit) -> str:
    """Whether the value is a maximum, a minimum or a default (else ""): the nearest such
    word before it in its clause, else one right after it ("15 minutes max")."""
    clause = re.split(r"[.;,(]\s", text[: hit.start])[-1][-40:]
    found = list(_ROLE_WORD.finditer(clause))
    if not found:
        found = list(_ROLE_WORD.finditer(text[hit.end : hit.end + 12]))[:1]
    return next((k for k, v in found[-1].groupdict().items() if v), "") if found else ""


def mark_conflicts(
    facts: list[Fact],
    ancestors: Callable[[str], list[str]] | None = None,
    general: frozenset[str] = frozenset(),
    named: Callable[[str, str], bool] = lambda _word, _page: False,
) -> list[Fact]:
    """``facts`` with ``conflict`` and ``group`` set where notes give one fact different values.

    Two facts of different notes are the same fact when they stand on one service (a page,
    or a page and its parent in the catalog: ``ancestors``), measure one kind of quantity
    (a size, a duration, a count of subscriptions ...) and are each other's best match: of
    the facts of the other note, the one whose words (its phrase, sentence and the items it
    stands under, "retention" and "kept" alike) share most with it, the same role (a
    maximum, a minimum) first, and not told apart by what they stand under ("EC2 Spot
    Instances" against "EC2 Reserved Instances"; ``general`` words such as "Limits" tell
    nothing apart, nor do words that ``named`` says name a service). They disagree when
    their values differ (by more than 10%); a value that is one end of the other's range
    agrees with it (a minimum and a maximum of one range are no disagreement) unless it is
    said to be the other end. Examples ("e.g.", "if you") state no value to disagree with.
    """
    ancestors = ancestors or (lambda _page: [])
    family: dict[str, str] = {}
    words = [_fact_words(f) for f in facts]
    subjects = [
        frozenset(w for w in _subject_words(f) - general if not named(w, f.page)) for f in facts
    ]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(facts):
        if f.measure in ("", "count", "port") or not words[i] or _EXAMPLE_NEAR.search(f.context):
            continue  # an example's number is no claim
        if f.page not in family:
            chain = [f.page, *ancestors(f.page)] if f.page else [f.page]
            family[f.page] = chain[-1]
        groups.setdefault((family[f.page], _measure(f.measure)), []).append(i)
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.get(i, i) != i:
            parent[i] = parent.get(parent[i], parent[i])  # halve the path: chains grow with copies
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent.setdefault(i, i)
        parent.setdefault(j, j)
        parent[find(i)] = find(j)

    def related(a: Fact, b: Fact) -> bool:
        return a.page == b.page or a.page in ancestors(b.page) or b.page in ancestors(a.page)

    def pair(members: list[int]) -> None:
        """Join the facts of ``members`` (one group) that disagree across files."""
        # A word most facts of the group say ("storage" among sizes) tells none apart.
        counts: dict[str, int] = {}
        for i in members:
            for w in words[i]:
                counts[w] = counts.get(w, 0) + 1
        generic = {w for w, n in counts.items() if len(members) >= 6 and n > len(members) / 2}
        # Facts alike in all that matching reads (a note copied, a value restated) match
        # alike: each kind is one representative, so pairing costs kinds, not facts.
        kind_of: dict[tuple[object, ...], int] = {}
        kind_at: dict[int, int] = {}
        rep: list[int] = []
        file_kinds: dict[str, set[int]] = {}
        for i in members:
            f = facts[i]
            key = (f.page, words[i], subjects[i], f.role, f.measure, f.normalised)
            k = kind_at[i] = kind_of.setdefault(key, len(rep))
            if k == len(rep):
                rep.append(i)
            file_kinds.setdefault(f.file, set()).add(k)
        # A file is known by the kinds it holds: best matches in it depend on nothing else.
        shapes = {frozenset(ks) for ks in file_kinds.values()}
        classes: dict[tuple[int, frozenset[int]], list[int]] = {}
        for i in members:
            shape = frozenset(file_kinds[facts[i].file])
            classes.setdefault((kind_at[i], shape), []).append(i)

        def matches(a: int, b: int) -> bool:
            fa, fb = facts[rep[a]], facts[rep[b]]
            wa, wb = words[rep[a]], words[rep[b]]
            sa, sb = subjects[rep[a]], subjects[rep[b]]
            return (
                related(fa, fb)
                # A number on a service's parent page names its measure in words ("kept").
                and (fa.page == fb.page or bool(wa & wb & _MEASURES))
                and _same_measure(wa, wb, generic)
                and _comparable(fa, fb)
                and (not (sa and sb) or bool(sa & wb or sb & wa))
            )

        best_cache: dict[tuple[int, frozenset[int]], frozenset[int]] = {}

        def best(k: int, shape: frozenset[int]) -> frozenset[int]:
            """The kinds of a file of ``shape`` that best match kind ``k``."""
            if (k, shape) not in best_cache:
                i = rep[k]
                scored = [
                    (_score(facts[i], words[i], facts[rep[t]], words[rep[t]], counts), t)
                    for t in shape
                    if matches(k, t)
                ]
                top = max((sc for sc, _ in scored), default=None)
                best_cache[k, shape] = frozenset(t for sc, t in scored if sc == top)
            return best_cache[k, shape]

        def alone(k: int, shape: frozenset[int]) -> bool:
            # The other note says the same (beside other values): no disagreement.
            return not any(_agree(facts[rep[k]], facts[rep[t]]) for t in best(k, shape))

        # Facts i and j of two files disagree when each is the other's best match and
        # neither best match agrees: that depends on their kinds and their files' shapes.
        for (k, shape), xs in classes.items():
            for other in shapes:
                if not alone(k, other):
                    continue
                for t in best(k, other):
                    if k in best(t, shape) and alone(t, shape):
                        _link(xs, classes[t, other], facts, union)

    for members in groups.values():
        pair(members)
    clusters: dict[int, list[int]] = {}
    for i in parent:
        clusters.setdefault(find(i), []).append(i)
    group_of: dict[int, str] = {}
    for member in clusters.values():
        first = facts[min(member)]
        for i in member:
            group_of[i] = f"{first.page}:{first.file}:{first.line}"
    return [
        replace(f, conflict=i in group_of, group=group_of.get(i, "")) for i, f in enumerate(facts)
    ]


def _link(
    xs: list[int], ys: list[int], facts: list[Fact], union: Callable[[int, int], None]
) -> None:
    """Join each of ``xs`` to each of ``ys`` in another file, in about len(xs) + len(ys) unions.

    Facts of one file have the same partners, and files paired except each with itself
    are one cluster unless they are two files on each side, the same two. So the first
    facts of up to three files of each side are joined as pairs, every other fact to one
    of them in another file: the clusters are those of joining every pair.
    """
    reps: list[list[int]] = []
    for side in (xs, ys):
        first: dict[str, int] = {}
        for k in side:
            if len(first) == 3:
                break
            first.setdefault(facts[k].file, k)
        reps.append(list(first.values()))
    for a in reps[0]:
        for b in reps[1]:
            if facts[a].file != facts[b].file:
                union(a, b)
    for side, others in ((xs, reps[1]), (ys, reps[0])):
        for i in side:
            j = next((k for k in others if facts[k].file != facts[i].file), None)
            if j is not None:
                union(i, j)


def _measure(kind: str) -> str:
    """Counts compared by what they count: "subscribers" and "subscriptions" alike."""
    if kind.startswith("count:"):
        return "count:" + kind.split(":", 1)[1].split()[-1][:6]
    return kind


def _same_measure(wa: frozenset[str], wb: frozenset[str], generic: set[str]) -> bool:
    """Both name one measure ("retention", a count of subscriptions), and share a word
    that tells it apart from the page's other numbers unless one names nothing more."""
    shared = wa & wb
    if not any(w in _MEASURES or w[0] == "~" or w.startswith("count:") for w in shared):
        return False
    return bool(shared - generic) or wa <= generic | _MEASURES or wb <= generic | _MEASURES


def _limit(f: Fact) -> bool:
    return f.role == "max" or len(f.normalised) > 1


def _comparable(a: Fact, b: Fact) -> bool:
    """Two statements of one number: not a maximum against a default, not an order of
    magnitude apart (then they measure different things)."""
    if "default" in (a.role, b.role) and a.role != b.role:
        return False  # a default against a limit or a plain value is another number
    if a.role and b.role and a.role != b.role:
        return False
    if a.measure.startswith("count:") and not _limit(a) == _limit(b) is True:
        return False  # counts compare as limits only: "6 replicas" is no maximum
    ratios = [max(x, y) / min(x, y) for x in a.normalised for y in b.normalised if x > 0 < y]
    return bool(ratios) and min(ratios) <= 10


def _score(
    a: Fact, wa: frozenset[str], b: Fact, wb: frozenset[str], counts: dict[str, int]
) -> tuple[float, bool, int]:
    # Shared words count more the fewer facts say them ("tmp" more than "size"). fsum: a
    # set's order varies between equal sets, and ties must not hang on rounding.
    return (math.fsum(1 / counts.get(w, 1) for w in wa & wb), a.role == b.role, -len(wa ^ wb))


def _same(x: float, y: float) -> bool:
    # Within 10%: "208 GB" and "208 GiB" state one value.
    return abs(x - y) <= 0.1 * max(abs(x), abs(y))


def _agree(a: Fact, b: Fact) -> bool:
    """Whether two statements of one fact can both be true (see :func:`mark_conflicts`)."""
    va, vb = a.normalised, b.normalised
    if len(va) == len(vb) and all(_same(x, y) for x, y in zip(va, vb, strict=True)):
        return True
    if len(va) > 1 and len(vb) > 1:
        return False
    (one, v), many = ((a, va[0]), vb) if len(va) == 1 else ((b, vb[0]), va)
    if len(many) == 1:
        return False
    lo, hi = min(many), max(many)
    if _same(v, lo):
        return one.role != "max"
    if _same(v, hi):
        return one.role != "min"
    return one.role == "default" and lo < v < hi


# Words that name one measure in different notes' words.
_SYNONYMS = {
    "kept": "retention", "keep": "retention", "retain": "retention", "retained": "retention",
    "grow": "storage", "grows": "storage", "off": "discount", "speed": "throughput",
    "bandwidth": "throughput", "subscriber": "subscription", "subscribers": "subscription",
}  # fmt: skip
_PLAIN_WORDS = (
    _STOP | _VAGUE | {"up", "max", "min", "default", "can", "data", "amazon", "aws", "vs"}
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z0-9]*", text.lower())


def _subject_words(f: Fact) -> frozenset[str]:
    """What the fact stands under, by name: "spot" of "EC2 Spot Instances"."""
    own = {_stem(w) for w in re.findall(r"[a-z0-9]+", f.page)}
    return frozenset(
        w
        for w in map(_stem, _words(f.subject))
        if w not in _PLAIN_WORDS
        and w not in own
        and w not in UNITS
        and not _COUNTED_WORD.fullmatch(w)
    )


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# The words that say what a number measures: two facts are one only when they share one.
_MEASURES = {
    "retention", "throughput", "capacity", "storage", "discount", "size", "lag", "latency",
    "timeout", "memory", "duration", "period", "ttl", "delay", "iop", "price", "cost",
    "expiration", "visibility", "interval", "disk", "tmp", "concurrency", "ram", "speed",
    "availability", "durability", "bandwidth", "window", "term", "limit", "quota",
}  # fmt: skip


def _fact_words(f: Fact) -> frozenset[str]:
    """The words naming what ``f`` measures: its phrase, its sentence and its subject,
    without the page's own name, units, numbers and words that name nothing."""
    segments = re.split(r"(?<=[a-z)])\.\s|[,;(]|\s[-–—]\s", f.context)
    # Its own segment and the clause's first (where a line names its topic).
    near = segments[0] + " " + next((s for s in segments if f.value in s), "")
    text = f"{f.fact} {near} {f.subject} {f.lead}".lower()
    # "sc 1" is sc1, "gp 2" gp2 (not "for 7").
    text = re.sub(
        r"\b([a-z]{2}) (\d)\b", lambda m: m[1] + (" " if m[1] in _STOP else "") + m[2], text
    )
    own = {_stem(w) for w in re.findall(r"[a-z0-9]+", f.page)}
    out = set()
    for w in re.findall(r"[a-z][a-z0-9]*", text):
        w = _stem(_SYNONYMS.get(w, w))
        if w in _PLAIN_WORDS or w in own or w in UNITS or _COUNTED_WORD.fullmatch(w):
            continue
        out.add(w)
    if f.measure.startswith("count:"):
        out.add(_measure(f.measure))
    elif f.measure in ("rate", "size"):
        out.add("~" + f.measure)  # implied by the unit (a throughput, a capacity), not said
    return frozenset(out)


def extract_tips(site: Site) -> list[Tip]:
    """Every tip of every note, in note and line order."""
    exam = {
        (page.id, t.id)
        for page in site.pages.values()
        for t in page.topics
        if t.title.lower() == _EXAM_TOPIC
    }
    return [
        tip
        for note in site.notes
        for part in note.parts
        for tip in tips_in(part, (part.page, part.topic) in exam)
    ]


def tips_in(part: Part, exam_topic: bool = False) -> list[Tip]:
    """The tips of one part; all of it when it stands under its page's Exam tips subtopic."""
    if part.kind == "question":
        return []
    if exam_topic and part.line_numbers:
        nos = part.line_numbers
        text = " ".join(plain(ln.text) for ln in part.lines if ln.text.strip())
        return [Tip(part.page, part.file, nos[0], nos[-1], text, part)]
    return _marked_tips(part)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _marked_tips(part: Part) -> list[Tip]:
    """Leads, admonitions, callouts and exam sentences, each with the block it opens."""
    lines = [(ln.no, ln.text) for ln in part.lines if ln.no]
    if part.title_line and part.title:
        lines.insert(0, (part.title_line, part.title))
    out: list[Tip] = []
    i = 0
    while i < len(lines):
        text = lines[i][1]
        if not text.strip():
            i += 1
            continue
        j = i + 1
        if _TIP_CALLOUT.match(text):
            while j < len(lines) and lines[j][1].lstrip().startswith(">"):
                j += 1
        elif _TIP_ADMONITION.match(text):
            while j < len(lines) and (
                not lines[j][1].strip() or _indent(lines[j][1]) > _indent(text)
            ):
                j += 1
        elif (_TIP_LEAD.match(text.strip()) or _REMEMBER.match(plain(text))) and not _FENCE.match(
            text
        ):
            # The lead line and what it introduces: deeper lines, or the list after a lead
            # that ends in ":" or is its own line.
            base = _indent(text)
            lead_only = text.rstrip().endswith(":") or len(plain(text).split()) <= 4
            while j < len(lines):
                nxt = lines[j][1]
                if not nxt.strip():
                    k = j
                    while k < len(lines) and not lines[k][1].strip():
                        k += 1
                    if lead_only and k < len(lines) and _ITEM.match(lines[k][1]):
                        j = k  # a list of loose items under the lead
                        continue
                    break
                if _indent(nxt) > base or (lead_only and _ITEM.match(nxt)):
                    j += 1
                    continue
                break
        elif not _EXAM_SENTENCE.search(plain(text)):
            i += 1
            continue
        block = [ln for ln in lines[i:j] if ln[1].strip()]
        body = " ".join(plain(t) for _, t in block)
        out.append(Tip(part.page, part.file, block[0][0], block[-1][0], body, part))
        i = j
    return out
