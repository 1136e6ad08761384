"""The page a whole note is about, from its title, file name or folders.

A note's own title ("# AWS CLI", front matter ``title:``), else its file name
(``StepFunctions.md``), else its folders innermost first (``Storage/S3/README.md``) give the
context its untitled and unnamed sections inherit. Only a name that points at one entry
counts: "Databases & Analytics" is a collection, its sections route themselves. A note whose
names say nothing ("IPSEC VPN.md" in "Networking/") is about what it mentions most, when
one entry clearly dominates its mentions.
"""

from __future__ import annotations

from studysite.model import Line, NoteTree
from studysite.routing.route import Router
from studysite.titles import name_candidates

# Share of a nameless note's mentions one entry needs to be what the note is about.
DOMINANT_SHARE = 0.5


def note_context(tree: NoteTree, router: Router) -> str | None:
    """The catalog entry ``tree``'s note as a whole is about, or ``None``."""
    candidates = [tree.title or "", *name_candidates(tree.file)]
    for name in candidates:
        if not name.strip():
            continue
        named = router.title_entries(name, ambiguous=False)
        if len(named) == 1:
            return named[0]
        if named:
            # "ECS - Cluster Types" names ECS and its feature: the most specific one in
            # a single family wins; unrelated names make a collection.
            deepest = [e for e in named if all(router.catalog.is_within(e, o) for o in named)]
            if deepest:
                return deepest[0]
            return None
    return _dominant_mention(tree, router)


def _dominant_mention(tree: NoteTree, router: Router) -> str | None:
    lines = [ln for sec in tree.root.walk() for ln in sec.body]
    lines += [Line(s.title_line or 0, s.title) for s in tree.sections()]
    counts = router.mentions(lines, ())
    total = sum(counts.values())
    if not total:
        return None
    top, n = counts.most_common(1)[0]
    return top if n >= 2 and n / total >= DOMINANT_SHARE else None
