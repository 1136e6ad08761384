"""When a matched alias may become a link: the catalog's ``link_context``, made executable.

Every alias of every entry gets a :class:`Rule`. An entry's optional ``link_context`` maps an
alias to words and keywords:

- ``any``: link wherever the alias matches (longest match and word boundaries are enough);
- ``never``: never link it (the alias only helps routing);
- ``WORD`` / ``two words``: link only when one of them appears, as whole words in any case,
  in the same sentence (sentences end at ``. ! ? ;`` and table cells at ``|``);
- ``not WORD``: never link when that word is in the sentence, whatever else is there;
- ``not heading``: never link under a heading that names other entries but not the target
  (an expansion written under the wrong service: "For Simple Notification Service" in SQS);
- ``heading``: the nearest heading naming the target (or one of its sub-pages) is context too;
- ``anchor``: link only to the catalog anchor the alias names, and only when the target page
  has a heading with that id;
- ``tooltip``: the alias is an acronym whose expansion is safe to show everywhere, although
  linking it needs context (see :mod:`studysite.links.abbr`).

Another unambiguous alias of the target in the same sentence always counts as context
("Resource Access Manager (RAM)"). Aliases without ``link_context`` link when the catalog has
no ``ambiguous`` policy for them and never when it says ``context-only``. ``never-link-here``
phrases that are no alias of any entry become blockers: they are matched (so no shorter alias
inside them links) and never linked ("Kubernetes", bare "Gateway", "Backup", "SMS").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from studysite.routing.aliases import Alias, AliasMatcher
from studysite.routing.catalog import Catalog, Entry

KEYWORDS = frozenset({"any", "never", "heading", "anchor", "tooltip"})
Mode = Literal["always", "context", "never"]


@dataclass(frozen=True)
class Rule:
    """How one spelling may link to one entry (``entry == ""``: a blocker, never linked)."""

    entry: str
    spelling: str
    mode: Mode
    words: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    heading: bool = False
    not_heading: bool = False
    anchor_only: bool = False
    tooltip: bool = False


def _words(words: Iterable[str]) -> re.Pattern[str] | None:
    alts = sorted({re.escape(w) for w in words if w}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<![\w@])(?:" + "|".join(alts) + r")(?![\w@])", re.IGNORECASE)


def make_rule(entry: Entry, spelling: str) -> Rule:
    """The rule for ``spelling`` as an alias of ``entry``."""
    policy = entry.policies.get(spelling, "link")
    spec = entry.link_context.get(spelling)
    if spec is None:
        return Rule(entry.id, spelling, "always" if policy == "link" else "never")
    keys = {w.lower() for w in spec if w.lower() in KEYWORDS}
    unless = [w[4:].strip() for w in spec if w.lower().startswith("not ")]
    not_heading = "heading" in (w.lower() for w in unless)
    unless = [w for w in unless if w.lower() != "heading"]
    words = [w for w in spec if w.lower() not in KEYWORDS and not w.lower().startswith("not ")]
    mode: Mode
    if "never" in keys:
        mode = "never"
    elif "any" in keys:
        mode = "always"
    elif words or "heading" in keys:
        mode = "context"
    elif unless or not_heading or "anchor" in keys:
        mode = "always"  # only exclusions or an anchor requirement: no positive word needed
    else:
        mode = "always" if policy == "link" else "never"
    return Rule(
        entry.id,
        spelling,
        mode,
        words=_words(words),
        unless=_words(unless),
        heading="heading" in keys,
        not_heading=not_heading,
        anchor_only="anchor" in keys,
        tooltip="tooltip" in keys,
    )


def _entry_rules(entry: Entry) -> list[tuple[str, Rule]]:
    """The rule of each alias of ``entry``; case variants share the strictest one.

    Multi-word aliases match in any case, so which spelling a match reports is arbitrary:
    "read replicas" must obey the context "Read Replicas" asks for.
    """
    rules = {spelling: make_rule(entry, spelling) for spelling in entry.aliases}
    governing: dict[str, Rule] = {}
    for spelling, rule in rules.items():
        key = spelling.casefold()
        if spelling in entry.link_context:
            governing.setdefault(key, rule)
    for spelling, rule in rules.items():
        if rule.mode != "always":
            governing.setdefault(spelling.casefold(), rule)
    out = []
    for spelling, rule in rules.items():
        gov = governing.get(spelling.casefold())
        if gov is not None and spelling not in entry.link_context:
            rule = replace(gov, spelling=spelling)
        out.append((spelling, rule))
    return out


class LinkRules:
    """Every spelling's rules, one alias automaton over all of them, and the context tests."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.by_spelling: dict[str, list[Rule]] = {}
        aliases: list[Alias] = []
        for entry in catalog.entries.values():
            for spelling, rule in _entry_rules(entry):
                self.by_spelling.setdefault(spelling, []).append(rule)
                aliases.append(Alias(spelling, entry.id))
        for entry in catalog.entries.values():
            for spelling, policy in entry.policies.items():
                if policy == "never-link-here" and spelling not in self.by_spelling:
                    self.by_spelling[spelling] = [Rule("", spelling, "never")]
                    aliases.append(Alias(spelling, ""))
        self.matcher = AliasMatcher(aliases)
        self._anchors: dict[tuple[str, str], str] = {}
        for entry in catalog.entries.values():
            for anchor, phrases in entry.anchors.items():
                for phrase in phrases:
                    self._anchors.setdefault((entry.id, phrase.casefold()), anchor)
        self._heading_cache: dict[str, frozenset[str]] = {}

    def rules(self, spelling: str) -> list[Rule]:
        """The rules of a matched spelling, in catalog order."""
        return self.by_spelling.get(spelling, [])

    def anchor(self, entry_id: str, spelling: str) -> str | None:
        """The catalog anchor of ``entry_id`` that ``spelling`` names, if any."""
        return self._anchors.get((entry_id, spelling.casefold()))

    def passes(self, rule: Rule, window: str, heading: str | None) -> bool:
        """Whether ``rule`` allows a link, given its sentence (match blanked) and heading."""
        if rule.mode == "never" or not rule.entry:
            return False
        if rule.unless is not None and rule.unless.search(window):
            return False
        if rule.not_heading and heading:
            named = self.heading_entries(heading)
            if named and not any(self.catalog.is_within(e, rule.entry) for e in named):
                return False
        if rule.mode == "always":
            return True
        if rule.words is not None and rule.words.search(window):
            return True
        if self.names(window, rule.entry):
            return True
        return bool(rule.heading and heading and self.heading_names(heading, rule.entry))

    def names(self, text: str, entry_id: str) -> bool:
        """Whether ``text`` names ``entry_id`` by an alias that needs no context."""
        for m in self.matcher.find(text):
            for r in self.rules(m.alias.text):
                if r.entry == entry_id and r.mode == "always":
                    return True
        return False

    def heading_names(self, heading: str, entry_id: str) -> bool:
        """Whether a heading names ``entry_id`` or one of its sub-pages (title matching)."""
        return any(self.catalog.is_within(e, entry_id) for e in self.heading_entries(heading))

    def heading_entries(self, heading: str) -> frozenset[str]:
        """Entries a heading names by an unambiguous alias (title matching, cached).

        A heading "Auto Scaling" is as ambiguous as the sentence it would vouch for, so only
        aliases that link without context count.
        """
        hit = self._heading_cache.get(heading)
        if hit is None:
            hit = frozenset(
                r.entry
                for m in self.matcher.find(heading, "title")
                for r in self.rules(m.alias.text)
                if r.entry and r.mode == "always"
            )
            self._heading_cache[heading] = hit
        return hit
