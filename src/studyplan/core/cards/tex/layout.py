"""A display formula laid out in two dimensions, as a textbook prints it.

Every node of the parse tree becomes a ``Box``: lines of equal width in
terminal cells, and the row its baseline is on. Boxes side by side line up on
their baselines. Fractions stack over a rule, ∑ ∏ ∫ and lim, max, min take
their limits above and below, roots get a vinculum, brackets around tall
content grow, matrices and cases get tall brackets, and scripts that have no
Unicode form are raised or lowered. ``display`` falls back to the one-line
form when the layout is wider than the space there is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from studyplan.core.cards.tex import symbols as S
from studyplan.core.cards.tex.linear import (
    is_big,
    is_bracketed,
    is_word,
    linear,
    script_text,
    unicode_script,
)
from studyplan.core.cards.tex.nodes import (
    Accent,
    Fenced,
    Frac,
    Node,
    Root,
    Row,
    Scripted,
    Sym,
    Table,
)
from studyplan.core.cards.tex.parse import parse


@dataclass(frozen=True)
class Box:
    """Lines of text, each ``width`` terminal cells wide, with the baseline at row ``baseline``."""

    lines: tuple[str, ...]
    width: int
    baseline: int

    @property
    def height(self) -> int:
        return len(self.lines)


def display(src: str, width: int) -> Box:
    """A display formula laid out to fit ``width`` cells, or as one line when it cannot
    (``FormulaError`` when it cannot be converted at all)."""
    tree = parse(src)
    box = layout(tree)
    if box.width <= width:
        return box
    return text_box(linear(tree))


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes: accents none, wide characters two."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def text_box(text: str) -> Box:
    text = unicodedata.normalize("NFC", text)
    return Box((text,), cells(text), 0)


def blank(width: int, height: int = 1, baseline: int = 0) -> Box:
    return Box((" " * width,) * height, width, baseline)


def _pad(line: str, width: int, align: str = "left") -> str:
    room = width - cells(line)
    if align == "center":
        left = room // 2
    elif align == "right":
        left = room
    else:
        left = 0
    return " " * left + line + " " * (room - left)


def hjoin(*boxes: Box) -> Box:
    """Boxes side by side, lined up on their baselines."""
    boxes = tuple(b for b in boxes if b.width or b.height > 1) or (blank(0),)
    above = max(b.baseline for b in boxes)
    below = max(b.height - b.baseline - 1 for b in boxes)
    lines = [""] * (above + below + 1)
    for box in boxes:
        top = above - box.baseline
        for row in range(len(lines)):
            inside = 0 <= row - top < box.height
            lines[row] += box.lines[row - top] if inside else " " * box.width
    return Box(tuple(lines), sum(b.width for b in boxes), above)


def vstack(boxes: list[Box], baseline: int, align: str = "center") -> Box:
    """Boxes one above the other; the result's baseline is row ``baseline``."""
    width = max(b.width for b in boxes)
    lines = tuple(_pad(line, width, align) for b in boxes for line in b.lines)
    return Box(lines, width, baseline)


def _place(box: Box, top: int, frame_top: int, frame_height: int) -> list[str]:
    """The lines of ``box`` with its first row at ``top`` in a frame of rows."""
    rows = []
    for row in range(frame_top, frame_top + frame_height):
        inside = 0 <= row - top < box.height
        rows.append(box.lines[row - top] if inside else " " * box.width)
    return rows


# ---------------------------------------------------------------- nodes


def layout(node: Node, compact: bool = False) -> Box:
    """The box of ``node``; ``compact`` for scripts (no spaces around operators)."""
    if isinstance(node, Sym):
        return text_box(_glyph(node))
    if isinstance(node, Row):
        return _row(node.items, compact)
    if isinstance(node, Scripted):
        return _scripted(node, compact)
    if isinstance(node, Frac):
        return _frac(node, compact)
    if isinstance(node, Root):
        return _root(node, compact)
    if isinstance(node, Accent):
        return _accent(node, compact)
    if isinstance(node, Fenced):
        return _fenced(node.open, layout(node.body, compact), node.close)
    return _table(node, compact)


def _glyph(sym: Sym) -> str:
    if sym.kind == "bin" and sym.text == "-":
        return "−"
    return sym.text.strip() if sym.kind == "text" else sym.text


def _row(items: tuple[Node, ...], compact: bool) -> Box:
    pieces: list[Box] = []
    previous = "start"
    for index, item in enumerate(items):
        role = _role(item, previous)
        if role == "space" and compact:
            continue
        box = layout(item, compact)
        gap = 0 if previous == "start" else _gap(previous, role, compact)
        if role == "word" and index + 1 < len(items) and is_bracketed(items[index + 1]):
            role = "call"  # max(0, x): no gap before the bracket
        if gap:
            pieces.append(blank(gap))
        pieces.append(box)
        previous = role
    return hjoin(*pieces) if pieces else blank(0)


def _role(item: Node, previous: str) -> str:
    if isinstance(item, Sym):
        if item.kind == "bin":
            if item.text == "/":
                return "slash"
            if previous in ("start", "rel", "bin", "punct", "open", "big", "word", "unary"):
                return "unary"
            return "bin"
        return {"num": "ord", "fence": "ord", "postfix": "postfix"}.get(item.kind, item.kind)
    if isinstance(item, Scripted):
        if is_big(item.base):
            return "big"
        if is_word(item):
            return "word"
        return "ord"
    if isinstance(item, Frac) and not item.binom:
        return "frac"
    if isinstance(item, Table):
        return "frac"
    if isinstance(item, Fenced):
        return "fenced"
    return "ord"


def _gap(left: str, right: str, compact: bool) -> int:
    """Spaces between two neighbours, by their roles."""
    if left == "space" or right == "space":
        return 0
    if compact:
        return 1 if "text" in (left, right) or (left == "word" and right != "fenced") else 0
    if "rel" in (left, right) or "bin" in (left, right):
        return 1
    if left in ("unary", "open", "slash") or right in ("close", "postfix", "slash", "punct"):
        return 0
    if left in ("punct", "word", "big", "text", "frac") or right in ("word", "big", "text", "frac"):
        return 1
    return 0


def _scripted(node: Scripted, compact: bool) -> Box:
    base = node.base
    limits = is_big(base) or (
        is_word(node) and isinstance(base, Sym) and base.text in S.LIMIT_WORDS
    )
    if limits and not compact:
        return _limits(layout(base), node.sub, node.sup)
    base_box = layout(base, compact)
    if base_box.height == 1:
        low = unicode_script(script_text(node.sub), S.SUB) if node.sub is not None else ""
        high = (
            unicode_script(script_text(node.sup), S.SUP, superscript=True)
            if node.sup is not None
            else ""
        )
        if low is not None and high is not None:
            return hjoin(base_box, text_box(low + high))
    return _raised(base_box, node.sub, node.sup)


def _raised(base: Box, sub: Node | None, sup: Node | None) -> Box:
    """Scripts as small boxes at the base's top right and bottom right."""
    high = layout(sup, compact=True) if sup is not None else None
    low = layout(sub, compact=True) if sub is not None else None
    high_bottom = min(0, base.baseline - 1)
    low_top = max(base.height - 1, base.baseline + 1)
    top = min(0, high_bottom - high.height + 1) if high else 0
    bottom = max(base.height - 1, low_top + low.height - 1) if low else base.height - 1
    height = bottom - top + 1
    width = max(b.width for b in (high, low) if b is not None)
    column = [" " * width] * height
    for box, first in ((high, high_bottom - (high.height - 1) if high else 0), (low, low_top)):
        if box is None:
            continue
        for row, line in enumerate(box.lines):
            column[first - top + row] = _pad(line, width)
    lines = [a + b for a, b in zip(_place(base, 0, top, height), column, strict=True)]
    return Box(tuple(lines), base.width + width, base.baseline - top)


def _limits(operator: Box, sub: Node | None, sup: Node | None) -> Box:
    parts = []
    if sup is not None:
        parts.append(layout(sup, compact=True))
    parts.append(operator)
    if sub is not None:
        parts.append(layout(sub, compact=True))
    baseline = (parts[0].height if sup is not None else 0) + operator.baseline
    return vstack(parts, baseline)


def _frac(node: Frac, compact: bool) -> Box:
    top, bottom = layout(node.num, compact), layout(node.den, compact)
    if node.binom:
        return _fenced("(", vstack([top, bottom], top.height - 1), ")")
    width = max(top.width, bottom.width)
    return vstack([top, text_box("─" * width), bottom], top.height)


def _root(node: Root, compact: bool) -> Box:
    body = layout(node.body, compact)
    if body.height == 1:
        sign = Box(("_" if body.width == 0 else " ", "√"), 1, 1)
        box = hjoin(sign, Box(("_" * body.width, body.lines[0]), body.width, 1))
    else:
        h = body.height
        sign_lines = [" " * (h + 1)]
        for row in range(h - 1):
            sign_lines.append(" " * (h - row) + "╱" + " " * row)
        sign_lines.append("╲╱" + " " * (h - 1))
        top_line = "_" * body.width
        lines = [sign_lines[0] + top_line] + [
            sign_lines[row + 1] + line for row, line in enumerate(body.lines)
        ]
        box = Box(tuple(lines), h + 1 + body.width, body.baseline + 1)
    if node.index is None:
        return box
    small = unicode_script(script_text(node.index), S.SUP, superscript=True)
    # The index sits in the crook of the sign: ³√x, or raised above it when not Unicode.
    index = text_box(small) if small is not None else layout(node.index, compact=True)
    top = box.height - 2 - (index.height - 1) if small is None or body.height > 1 else 1
    top = max(0, top)
    column = Box(tuple(_place(index, top, 0, box.height)), index.width, box.baseline)
    return hjoin(column, box)


_MARKS = {"\u0302": "^", "\u0304": "‾", "\u0305": "‾", "\u0303": "~", "\u20d7": "→",
          "\u0307": "·", "\u0308": "¨", "\u0332": "_"}  # fmt: skip


def _accent(node: Accent, compact: bool) -> Box:
    body = layout(node.body, compact)
    if body.height == 1:
        return text_box(body.lines[0].rstrip() + node.mark)
    mark = _MARKS.get(node.mark, "^") * body.width
    return vstack([text_box(mark), body], body.baseline + 1)


# ---------------------------------------------------------------- brackets and tables

_TALL = {
    "(": ("⎛", "⎜", "⎝", "⎜"),
    ")": ("⎞", "⎟", "⎠", "⎟"),
    "[": ("⎡", "⎢", "⎣", "⎢"),
    "]": ("⎤", "⎥", "⎦", "⎥"),
    "{": ("⎧", "⎪", "⎩", "⎨"),
    "}": ("⎫", "⎪", "⎭", "⎬"),
    "⌊": ("⎢", "⎢", "⎣", "⎢"),
    "⌋": ("⎥", "⎥", "⎦", "⎥"),
    "⌈": ("⎡", "⎢", "⎢", "⎢"),
    "⌉": ("⎤", "⎥", "⎥", "⎥"),
    "⟨": ("╱", "⟨", "╲", "⟨"),
    "⟩": ("╲", "⟩", "╱", "⟩"),
}


def _delimiter(glyph: str, height: int, baseline: int) -> Box:
    """A bracket ``height`` rows tall."""
    if not glyph:
        return Box(("",) * height, 0, baseline)
    if height == 1:
        return Box((glyph,), cells(glyph), 0)
    if glyph not in _TALL:
        return Box((glyph,) * height, cells(glyph), baseline)
    top, middle, bottom, centre = _TALL[glyph]
    if glyph in "⟨⟩":
        half = height // 2
        lines = [top] * half + ([centre] if height % 2 else []) + [bottom] * half
    else:
        lines = [top] + [middle] * (height - 2) + [bottom]
        if glyph in "{}" and height > 2:
            lines[(height - 1) // 2] = centre
    return Box(tuple(lines), 1, baseline)


def _fenced(opening: str, body: Box, closing: str) -> Box:
    return hjoin(
        _delimiter(opening, body.height, body.baseline),
        body,
        _delimiter(closing, body.height, body.baseline),
    )


def _table(node: Table, compact: bool) -> Box:
    grid = [[layout(cell, compact) for cell in row] for row in node.rows]
    columns = max(len(row) for row in grid)
    grid = [row + [blank(0)] * (columns - len(row)) for row in grid]
    widths = [max(row[c].width for row in grid) for c in range(columns)]
    tall = any(box.height > 1 for row in grid for box in row)
    lines: list[str] = []
    for number, row in enumerate(grid):
        if number and tall:
            lines.append(" " * (sum(widths) + sum(_gaps(node.env, columns))))
        above = max(box.baseline for box in row)
        height = above + max(box.height - box.baseline for box in row)
        placed = [
            [
                _pad(line, widths[c], _align(node.env, c))
                for line in _place(box, above - box.baseline, 0, height)
            ]
            for c, box in enumerate(row)
        ]
        gaps = _gaps(node.env, columns)
        for r in range(height):
            lines.append("".join(" " * gaps[c] + placed[c][r] for c in range(columns)))
    body = Box(tuple(lines), cells(lines[0]) if lines else 0, (len(lines) - 1) // 2)
    if node.env in S.CASES:
        return _fenced("{", body, "")
    opening, closing = S.MATRICES.get(node.env, ("", ""))
    return _fenced(opening, body, closing)


def _gaps(env: str, columns: int) -> list[int]:
    """Spaces before each column."""
    if env in S.ALIGNED:  # a &= b: pairs of right- and left-aligned columns
        return [0] + [1 if c % 2 else 3 for c in range(1, columns)]
    return [0] + [2] * (columns - 1)


def _align(env: str, column: int) -> str:
    if env in S.CASES:
        return "left"
    if env in S.ALIGNED and not env.startswith("gather"):
        return "right" if column % 2 == 0 else "left"
    return "center"
