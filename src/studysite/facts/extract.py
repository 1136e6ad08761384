"""Find key facts and exam tips in the parts every page gets.

A fact is a number with a unit (``256 KB``, ``15 minutes``, ``99.99%``, ``$0.09``) or a
number with a quantity word or bare, when the line also says a fact word (max, default,
limit, retention, up to ...). Ranges (``1 day to 365 days``) are one value. The phrase that
names a fact is the few words before its value (``Max message size``), else after it.
Values are normalised (bytes, seconds, percent, dollars) so notes can be compared: the same
page and phrase with different values in different notes is a conflict.

A tip is a line or block a note marks for the exam: an "Exam tip" / "For the exam" /
"Remember" lead, a tip admonition or callout, a "trigger words" list, or a part filed under
the page's Exam tips subtopic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

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
    "subscriptions?|invocations?|executions?|lines?|objects?|parts?|files?|streams?"
)
_COUNTED_WORD = re.compile(_COUNTED, re.IGNORECASE)
_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_VALUE = re.compile(
    rf"(?<![\w.,/$-])(?P<cur>\$\s?)?(?P<num>{_NUMBER})(?P<mult>[kKM](?![A-Za-z]))?"
    rf"(?:(?P<pct>\s?%)|[\s-]?(?P<unit>(?i:{_UNIT_RE}))(?![\w/])(?!\s+of\b)"
    rf"|\s?(?P<count>(?i:{_COUNTED}))(?!\w))?"
)
# Joins two values into one range: "1 day to 365 days", "4 GiB - 16 TiB", "1 or 3 years".
_RANGE_GAP = re.compile(r"\s*(?:\([^)]{0,20}\))?\s*(?:-|–|—|to|or|and|/|➔|->)\s*\Z")
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
_EXAMPLE = re.compile(r"(?:example|e\.g\.|eg|for instance)\b", re.IGNORECASE)
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


def plain(text: str) -> str:
    """A note line as plain text: list marks, emphasis, links and code marks gone."""
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
        if prev and _RANGE_GAP.match(text[prev.end : m.start()]):
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


def _part_lines(part: Part) -> list[tuple[int, str]]:
    """The part's lines outside code fences, numbered, the title line first."""
    out: list[tuple[int, str]] = []
    if part.title_line and part.title:
        out.append((part.title_line, part.title))
    fenced = False
    for ln in part.lines:
        if _FENCE.match(ln.text):
            fenced = not fenced
            continue
        # Indented lines stay: text notes indent their lists; fenced code is skipped.
        if fenced or not ln.no or not ln.text.strip():
            continue
        out.append((ln.no, ln.text))
    return out


def extract_facts(site: Site) -> list[Fact]:
    """Every fact of every note, in note and line order, conflicts marked."""
    return mark_conflicts([f for note in site.notes for part in note.parts for f in facts_in(part)])


def facts_in(part: Part) -> list[Fact]:
    """The facts one part states, in line order (practice questions state none)."""
    facts: list[Fact] = []
    if part.kind == "question":
        return facts
    for no, raw in _part_lines(part):
        text = plain(raw)
        if not text or len(text) > 400 or _CONSOLE.search(raw) or _EXAMPLE.match(text):
            continue
        worded = _FACT_WORD.search(text) is not None
        for hit in _hits(text):
            if not hit.strong and not worded:
                continue
            facts.append(
                Fact(
                    part.page,
                    _phrase(text, hit, part.label or part.title),
                    text[hit.start : hit.end].strip(),
                    part.file,
                    no,
                    hit.kind.split(":")[0],
                    tuple(hit.values),
                    part,
                    _clause(text, hit),
                )
            )
    return facts


def mark_conflicts(facts: list[Fact]) -> list[Fact]:
    """``facts`` with ``conflict`` set where notes give one fact different values.

    Two facts are the same fact when they stand on one page, measure one kind (size, time
    ...) and their lines say mostly the same words (numbers aside): "grows up to 128 TB" and
    "grows up to 64 TB". They conflict when they come from different notes and neither of
    the values of one note's line is the other's.
    """
    by_page: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        if f.kind != "count" or f.value.strip().isdigit() is False:
            by_page.setdefault((f.page, f.kind), []).append(f)
    conflicted: set[int] = set()
    words = {id(f): _line_words(f) for f in facts}  # each pair compares them: once per fact

    def same(a: Fact, b: Fact) -> bool:
        return _same_words(words[id(a)], words[id(b)])

    for group in by_page.values():
        for a in group:
            others: dict[str, list[Fact]] = {}
            for b in group:
                if b.file != a.file and same(a, b):
                    others.setdefault(b.file, []).append(b)
            for theirs in others.values():
                # What a's note says about the same fact, against what the other says.
                ours = [c for c in group if c.file == a.file and any(same(c, b) for b in theirs)]
                mine = {_rounded(c) for c in ours}
                other = {_rounded(b) for b in theirs}
                if _rounded(a) not in other and other - mine:
                    # Each note states a value the other does not: they disagree.
                    conflicted |= {id(a), *(id(b) for b in theirs if _rounded(b) not in mine)}
    return [replace(f, conflict=id(f) in conflicted) for f in facts]


def _rounded(f: Fact) -> tuple[float, ...]:
    return tuple(round(v, 6) for v in f.normalised)


def _same_words(wa: frozenset[str], wb: frozenset[str]) -> bool:
    if not wa or not wb:
        return False
    shared = len(wa & wb)
    return shared >= 2 and shared / len(wa | wb) >= 0.5


def _line_words(f: Fact) -> frozenset[str]:
    return frozenset(
        w.rstrip("s")
        for w in re.findall(r"[a-z][a-z0-9/-]*", f"{f.fact} {f.context}".lower())
        if w not in _STOP and w not in UNITS and not _COUNTED_WORD.fullmatch(w)
    )


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
        elif _TIP_LEAD.match(text.strip()) and not _FENCE.match(text):
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
