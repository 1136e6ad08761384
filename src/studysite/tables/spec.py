"""Load ``catalog/comparisons.yml``: what each comparison table compares and quotes.

A comparison has an ``id``, a ``title``, ``items`` (catalog page ids, ``{page, label}`` to
name one differently, or parts of a page as ``{id, label, page, keywords}``) and ``rows``.
A row names a ``dimension`` and says what answers it: a short ``question`` and a ``kind``:

- ``number``: a quantity; ``units`` lists the fitting kinds (size, time, rate, percent,
  money, count), ``keywords`` the words naming it;
- ``choice``: a closed set, ``values`` maps each value to its spellings
  (``{push: [push, pushes], pull: [pull, polls]}``);
- ``text``: ``keywords`` a line must name, ``exclude`` words that rule a line out.

A row maps item ids to cells. A cell is:

- ``silent``: checked, no note says anything;
- a citation ``{note, quote, line?}``, or a list of them (several notes agree);
- ``{cite: [citations], disagree: true | "why"}``: the notes disagree, all are shown.

``note`` is a note's file name or a unique prefix of it; ``line`` pins a quote that occurs
more than once. A missing cell is proposed from the notes (see :mod:`.autofill`).

Every object keeps the YAML line it was written on, so each warning names comparison, row,
item and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from studysite.errors import ConfigError
from studysite.markers import valid_id
from studysite.model import Diagnostic


@dataclass(frozen=True)
class Citation:
    """One quote from one note."""

    note: str
    quote: str
    line: int | None = None
    at: int = 0  # line in comparisons.yml


@dataclass(frozen=True)
class CellSpec:
    """What the curator wrote for one item in one row."""

    citations: tuple[Citation, ...] = ()
    silent: bool = False
    disagree: bool = False
    why: str = ""
    at: int = 0


@dataclass(frozen=True)
class Item:
    """One column: a page, or a labelled part of a page (an S3 storage class)."""

    id: str
    label: str  # empty: the page's name
    page: str
    keywords: tuple[str, ...] = ()
    sub: bool = False  # a part of its page, not the page itself


KINDS = ("number", "choice", "text")
UNITS = ("size", "time", "rate", "percent", "money", "count")


@dataclass
class Row:
    """One dimension compared across every item, and what answers it."""

    dimension: str
    keywords: tuple[str, ...]
    cells: dict[str, CellSpec]
    at: int = 0
    question: str = ""
    kind: str = "text"
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()  # choice: value -> spellings
    units: tuple[str, ...] = ()  # number: the kinds of quantity that fit
    exclude: tuple[str, ...] = ()  # words that rule a line out


@dataclass
class Comparison:
    """One table."""

    id: str
    title: str
    items: list[Item]
    rows: list[Row]
    theme: str | None = None
    intro: str = ""
    at: int = 0


# libyaml when installed: the comparisons file is long and builds should stay fast.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Map(dict[Any, Any]):
    """A YAML mapping that remembers its line."""

    line: int = 0


def _plain(node: yaml.Node, scalars: yaml.constructor.SafeConstructor) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = _Map()
        out.line = node.start_mark.line + 1
        for k, v in node.value:
            out[str(_plain(k, scalars))] = _plain(v, scalars)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, scalars) for v in node.value]
    return scalars.construct_object(node)


def _strs(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return ()


def load_comparisons(
    path: Path, where: str | None = None
) -> tuple[list[Comparison], list[Diagnostic]]:
    """Read the comparisons file; a missing file means no comparisons.

    Item labels come later (from the catalog): here a plain page id has its id as label.

    Raises:
        ConfigError: the file is not valid YAML or not a list of comparisons.
    """
    where = where or str(path)
    if not path.exists():
        return [], []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(where, 0, f"cannot read the comparisons: {e}") from e
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", -1) + 1
        raise ConfigError(where, line, f"the comparisons are not valid YAML: {e}") from e
    data = _plain(root, yaml.constructor.SafeConstructor()) if root is not None else []
    if not isinstance(data, list):
        raise ConfigError(where, 1, "the comparisons file must be a list of comparisons")
    comparisons: list[Comparison] = []
    diags: list[Diagnostic] = []
    seen: set[str] = set()
    for raw in data:
        comp, ds = _comparison(raw, where)
        diags.extend(ds)
        if comp is None:
            continue
        if comp.id in seen:
            diags.append(Diagnostic(where, comp.at, f"comparison '{comp.id}' is defined twice"))
            continue
        seen.add(comp.id)
        comparisons.append(comp)
    return comparisons, diags


def _comparison(raw: Any, where: str) -> tuple[Comparison | None, list[Diagnostic]]:
    line = getattr(raw, "line", 0)
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("title"):
        return None, [Diagnostic(where, line, "a comparison needs an id and a title")]
    cid = str(raw["id"])
    if not valid_id(cid):
        # The id names the table's page and its <!-- compare: ID --> marker.
        why = "an id is letters, digits, '.', '-' and '_' (it is written in <!-- compare: ID -->)"
        return None, [Diagnostic(where, line, f"comparison '{cid}': {why}")]
    diags: list[Diagnostic] = []
    items: list[Item] = []
    for it in raw.get("items") or []:
        if isinstance(it, str):
            items.append(Item(it, "", it))
        elif isinstance(it, dict) and it.get("page"):
            page = str(it["page"])
            iid = str(it.get("id") or page)
            label = str(it.get("label") or "")
            # A labelled part of a page (an S3 storage class) has an id of its own.
            items.append(Item(iid, label, page, _strs(it.get("keywords")), sub=iid != page))
        else:
            diags.append(
                Diagnostic(
                    where,
                    getattr(it, "line", line),
                    f"comparison '{cid}': an item is a page id or {{page, label, id}}",
                )
            )
    if len(items) < 2:
        diags.append(Diagnostic(where, line, f"comparison '{cid}' needs at least two items"))
        return None, diags
    ids = {i.id for i in items}
    rows: list[Row] = []
    for r in raw.get("rows") or []:
        if not isinstance(r, dict) or not r.get("dimension"):
            diags.append(
                Diagnostic(
                    where, getattr(r, "line", line), f"comparison '{cid}': a row needs a dimension"
                )
            )
            continue
        dim = str(r["dimension"])
        row_line: int = getattr(r, "line", line)
        cells: dict[str, CellSpec] = {}
        raw_cells = r.get("cells") or {}
        if not isinstance(raw_cells, dict):
            raw_cells = {}
        for item_id, value in raw_cells.items():
            at = _line_of(value, row_line)
            name = f"comparison '{cid}', row '{dim}', cell '{item_id}'"
            if item_id not in ids:
                diags.append(Diagnostic(where, at, f"{name}: '{item_id}' is not one of its items"))
                continue
            cell, ds = _cell(value, at, name, where)
            diags.extend(ds)
            cells[item_id] = cell
        row, ds = _row(r, dim, cells, row_line, f"comparison '{cid}', row '{dim}'", where)
        diags.extend(ds)
        rows.append(row)
    if not rows:
        diags.append(Diagnostic(where, line, f"comparison '{cid}' has no rows"))
    theme = str(raw["theme"]) if raw.get("theme") else None
    intro = str(raw.get("intro") or "")
    return Comparison(cid, str(raw["title"]), items, rows, theme, intro, line), diags


def _row(
    r: dict[str, Any], dim: str, cells: dict[str, CellSpec], at: int, name: str, where: str
) -> tuple[Row, list[Diagnostic]]:
    """A row with its kind checked; a malformed kind is a warning and the row reads as text."""
    diags: list[Diagnostic] = []
    kind = str(r.get("kind") or "text")
    values: list[tuple[str, tuple[str, ...]]] = []
    units: tuple[str, ...] = ()
    if kind not in KINDS:
        diags.append(
            Diagnostic(where, at, f"{name}: kind '{kind}' is not one of {', '.join(KINDS)}")
        )
        kind = "text"
    if kind == "choice":
        raw = r.get("values")
        if isinstance(raw, dict) and raw:
            for value, spellings in raw.items():
                words = _strs(spellings) or (str(value),)
                values.append((str(value), tuple(w for w in words if w.strip())))
        else:
            why = "a choice row needs values: {value: [spellings], ...}"
            diags.append(Diagnostic(where, at, f"{name}: {why}"))
            kind = "text"
    if kind == "number":
        units = _strs(r.get("units")) or UNITS
        bad = [u for u in units if u not in UNITS]
        if bad:
            msg = f"{name}: unknown units {', '.join(bad)} (use {', '.join(UNITS)})"
            diags.append(Diagnostic(where, at, msg))
            units = tuple(u for u in units if u in UNITS) or UNITS
    row = Row(
        dim,
        _strs(r.get("keywords")),
        cells,
        at,
        str(r.get("question") or ""),
        kind,
        tuple(values),
        units,
        _strs(r.get("exclude")),
    )
    return row, diags


def _line_of(value: Any, default: int) -> int:
    if isinstance(value, list) and value:
        return getattr(value[0], "line", default)
    return getattr(value, "line", default)


def _cell(value: Any, at: int, name: str, where: str) -> tuple[CellSpec, list[Diagnostic]]:
    if value is None or value == "silent":
        return CellSpec(silent=True, at=at), []
    disagree, why = False, ""
    if isinstance(value, dict) and "cite" in value:
        flag = value.get("disagree")
        disagree = bool(flag)
        why = flag if isinstance(flag, str) else ""
        value = value["cite"]
    raw = value if isinstance(value, list) else [value]
    cites: list[Citation] = []
    diags: list[Diagnostic] = []
    for c in raw:
        line = getattr(c, "line", at)
        if not isinstance(c, dict) or not c.get("note") or not c.get("quote"):
            diags.append(
                Diagnostic(where, line, f"{name}: a citation needs a note and a quote: {c!r}")
            )
            continue
        pin = c.get("line")
        if pin is not None and not isinstance(pin, int):
            diags.append(Diagnostic(where, line, f"{name}: line must be a number, not {pin!r}"))
            pin = None
        cites.append(Citation(str(c["note"]), str(c["quote"]), pin, line))
    return CellSpec(tuple(cites), False, disagree, why, at), diags
