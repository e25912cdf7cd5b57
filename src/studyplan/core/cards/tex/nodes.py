"""The parse tree of a LaTeX formula: rows of symbols, scripts, fractions, roots, brackets, tables."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from studyplan.core.cards.tex import symbols as S

MAX_DEPTH = 32
MAX_LENGTH = 4000


class FormulaError(ValueError):
    """A formula that is not converted (too deep or too long); its message completes
    "formula ... " in a sentence."""


@dataclass(frozen=True)
class Sym:
    """One symbol. ``kind`` says how it spaces and groups: ord, num, bin, rel, punct,
    open, close, fence (a bar that opens or closes), postfix, word, big, space, text."""

    text: str
    kind: str = "ord"
    spaced: bool = False


@dataclass(frozen=True)
class Row:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Scripted:
    base: Node
    sub: Node | None = None
    sup: Node | None = None


@dataclass(frozen=True)
class Frac:
    num: Node
    den: Node
    binom: bool = False


@dataclass(frozen=True)
class Root:
    body: Node
    index: Node | None = None


@dataclass(frozen=True)
class Accent:
    body: Node
    mark: str


@dataclass(frozen=True)
class Fenced:
    """A bracketed row: ``(a+b)``, ``\\left[ ... \\right]``, ``|x|``; ``open`` or ``close``
    is empty for ``\\left.``."""

    open: str
    body: Row
    close: str


@dataclass(frozen=True)
class Table:
    """An environment's rows of cells: a matrix, cases or aligned equations."""

    env: str
    rows: tuple[tuple[Row, ...], ...]


Node = Sym | Row | Scripted | Frac | Root | Accent | Fenced | Table
NODE_TYPES = (Sym, Row, Scripted, Frac, Root, Accent, Fenced, Table)


def restyle(node: Node, table: dict[str, str] | None) -> Node:
    """``node`` with every symbol's characters mapped by ``table`` (bold when None)."""
    if isinstance(node, Sym):
        if node.kind in ("space", "word", "text"):
            return node
        chars = (table.get(c, c) for c in node.text) if table else map(S.bold, node.text)
        return replace(node, text="".join(chars))
    if isinstance(node, Row):
        return Row(tuple(restyle(item, table) for item in node.items))
    if isinstance(node, Table):
        return Table(node.env, tuple(tuple(_restyle_row(c, table) for c in r) for r in node.rows))
    changes = {}
    for field in fields(node):
        value = getattr(node, field.name)
        if isinstance(value, NODE_TYPES):
            changes[field.name] = restyle(value, table)
    return replace(node, **changes)  # type: ignore[arg-type]


def _restyle_row(row: Row, table: dict[str, str] | None) -> Row:
    return Row(tuple(restyle(item, table) for item in row.items))
