"""Acronym tooltips derived from the catalog.

Material's ``content.tooltips`` shows an ``<abbr>`` title as a tooltip, offline too. The
linker (:mod:`.place`) writes ``<abbr title>`` at the first occurrence of an acronym in each
section, never for the page's own names: Python-Markdown's ``abbr`` definitions would mark
every occurrence (290 on the S3 page, 203 of them "S3" itself). The
expansion of an acronym alias (``SQS``) is the entry's name or one of its multi-word aliases
whose word initials spell it (``Simple Queue Service``; ``EC2`` = ``Elastic Compute Cloud``).
Python-Markdown applies a definition to *every* occurrence on the page, so an acronym is left
out when it could mean something else: another entry's alias or never-link-here phrase
(``CF``, ``EB``, ``SMS``), or an alias whose linking needs context unless its
``link_context`` says ``tooltip`` (``RAM`` is mostly memory; ``SNI`` always means Server Name
Indication).
"""

from __future__ import annotations

import re
from functools import cache

from studysite.links.rules import make_rule
from studysite.routing.catalog import Catalog, Entry

_STOP = frozenset({"and", "of", "for", "the", "on", "in", "to", "a", "an", "with", "&", "-"})
_VENDOR = frozenset({"amazon", "aws"})
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,7}")  # SQS, EC2, NACL; not "AWS DMS" or "EFS-IA"
MAX_SKIPS = 1  # words an expansion may have that give no letter (Virtual *Private* Gateway)


def _letters(acronym: str) -> str:
    """The letters an acronym stands for: ``EC2`` -> ``ecc``, ``S3`` -> ``sss``."""
    out: list[str] = []
    for ch in acronym:
        if ch.isalpha():
            out.append(ch.lower())
        elif ch.isdigit() and out and 2 <= int(ch) <= 9:
            out.extend(out[-1] * (int(ch) - 1))
    return "".join(out)


def _fit(letters: str, phrase: str) -> int | None:
    """Words of ``phrase`` skipped when its initials spell ``letters`` (None: no fit).

    The first word (after stop words and the vendor prefix) must give the first letter; each
    used word gives its first letter and may give more found later in it, in order
    (``Database`` gives D and B, ``CloudWatch`` C and W); stop words and the vendor prefix
    are skipped freely, other words count as skips.
    """
    words = [w.lower() for w in re.split(r"[\s/\-]+", phrase) if w]

    @cache
    def go(i: int, j: int) -> int | None:
        if i == len(letters):
            return sum(1 for w in words[j:] if w not in _STOP and w not in _VENDOR)
        if j == len(words):
            return None
        w = words[j]
        free = w in _STOP or w in _VENDOR
        best = go(i, j + 1) if free or i > 0 else None
        if best is not None and not free:
            best += 1
        if w[0] == letters[i]:
            k, pos = i + 1, 1
            while True:
                sub = go(k, j + 1)
                if sub is not None and (best is None or sub < best):
                    best = sub
                if k >= len(letters):
                    break
                pos = w.find(letters[k], pos) + 1
                if pos == 0:
                    break
                k += 1
        return best

    return go(0, 0)


def expansion(entry: Entry, acronym: str) -> str | None:
    """The full name an acronym alias of ``entry`` stands for, if one can be found.

    Candidates are the entry's name (without and inside its parentheses) then its aliases in
    catalog order; the best has the fewest skipped words, no other acronym in it ("Network
    Access Control List" rather than "Network ACL"), and the vendor prefix.
    """
    letters = _letters(acronym)
    if len(letters) < 2:
        return None
    name = entry.name
    candidates = [_unbracket(name), *re.findall(r"\(([^()]*)\)", name)]
    candidates += [_unbracket(a) for a in entry.aliases]
    best: tuple[tuple[int, bool, bool, int], str] | None = None
    for order, phrase in enumerate(candidates):
        words = phrase.split()
        if len(words) < 2 or any(_same(w, acronym) for w in words) or _same(phrase, acronym):
            continue
        skips = _fit(letters, phrase)
        if skips is None or skips > MAX_SKIPS:
            continue
        caps = any(re.fullmatch(r"[A-Z][A-Z0-9]+", w) and w.lower() not in _VENDOR for w in words)
        key = (skips, caps, words[0].lower() not in _VENDOR, order)
        if best is None or key < best[0]:
            best = (key, phrase)
    return best[1] if best else None


def _unbracket(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", text).strip()


def _same(a: str, b: str) -> bool:
    """Equal once case and punctuation are ignored ("EFS IA" and "EFS-IA")."""
    return re.sub(r"[^a-z0-9]", "", a.lower()) == re.sub(r"[^a-z0-9]", "", b.lower())


def tooltips(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """Every unambiguous acronym alias: ``{"SQS": ("sqs", "Simple Queue Service")}``."""
    owners: dict[str, set[str]] = {}
    blocked: set[str] = set()
    for entry in catalog.entries.values():
        for alias in entry.aliases:
            owners.setdefault(alias, set()).add(entry.id)
        blocked.update(a for a, p in entry.policies.items() if p == "never-link-here")
    out: dict[str, tuple[str, str]] = {}
    for entry in catalog.entries.values():
        for alias in entry.aliases:
            if not _ACRONYM.fullmatch(alias) or alias in blocked or alias in out:
                continue
            if len(owners[alias]) > 1:
                continue
            rule = make_rule(entry, alias)
            if rule.mode != "always" and not rule.tooltip:
                continue
            full = expansion(entry, alias)
            if full:
                out[alias] = (entry.id, full)
    return dict(sorted(out.items()))


def abbreviations(catalog: Catalog) -> str:
    """``*[SQS]: Simple Queue Service`` lines for every unambiguous acronym alias (for a
    page that wants Python-Markdown's definitions; generated pages get ``<abbr>`` inline)."""
    lines = [f"*[{a}]: {full}" for a, (_, full) in tooltips(catalog).items()]
    return "\n".join(lines) + ("\n" if lines else "")
