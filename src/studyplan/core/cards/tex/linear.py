"""A formula's tree written as one line of Unicode, grouped so it cannot be misread.

- Scripts use Unicode super/subscripts when every character has one (``xᵢ²``),
  otherwise ``_x`` or ``_(KL)`` right against their base (``D_(KL)(P‖Q)``);
  a base's two scripts are always written the same way (``∑_(n=0)^∞``).
- A fraction is ``a/b``, with parentheses around a numerator that has an
  operator (``(a+b)/2``), a denominator that has one or is a product
  (``(f(x+h)-f(x-h))/(2h)``, but ``∂f/∂x`` and ``P(A, B)/P(B)``), and the whole
  fraction when a factor follows it (``(1/n) ∑ᵢ``, ``(1/2)‖w‖²``).
- Matrices are rows of cells, ``(1, 2; 3, 4)`` in the environment's brackets;
  cases are ``{x if x > 0; 0 otherwise}``; aligned rows run on, ``a = b = c``,
  or are separated by ``;``.
"""

from __future__ import annotations

import re

from studyplan.core.cards.tex import symbols as S
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

# Follows a script written with _ or ^: a space if a letter comes next (a_X b_Y), none
# before a bracket (D_(KL)(P‖Q)) or an operator.
_AFTER_SCRIPT = "\x02"
_MERGES = re.compile(_AFTER_SCRIPT + r"(?=[^\W_]|[∂∇√∑∏∫∞ℓ∅])")
_RELATION_SIGNS = "=<>≤≥≠≈→←∈∉⊂⊆∣∼≡≔:,;+\\-·×"
_COMPACT = re.compile(rf" *([{_RELATION_SIGNS}]) *")
_PUNCT = {",": ", ", ";": "; ", ":": ": "}
_TIMES = ("·", "×", "∗", "/", "÷")


def linear(node: Node) -> str:
    """The formula as one line, its spacing tidied."""
    text = _MERGES.sub(" ", _node(node)).replace(_AFTER_SCRIPT, "")
    text = re.sub(r" {2,}", " ", text).strip()
    text = re.sub(r" ([,;!?′ᵀ²]|\.(?!\.))", r"\1", text)  # but keep ", ..., "
    text = re.sub(r"(^|[-+·]) (?=\S)", r"\1", text)  # "-log p", not "- log p"
    return re.sub(r"([(\[{]) | ([)\]},;])", r"\1\2", text)


def _node(node: Node) -> str:
    if isinstance(node, Sym):
        return _sym(node)
    if isinstance(node, Row):
        return _row(node.items)
    if isinstance(node, Scripted):
        return _scripted(node)
    if isinstance(node, Frac):
        return _frac(node)
    if isinstance(node, Root):
        index = ""
        if node.index is not None:
            index = _script(node.index, S.SUP, "^")
        return f"{index}√{_radicand(node.body)}"
    if isinstance(node, Accent):
        return _node(node.body) + node.mark
    if isinstance(node, Fenced):
        return f"{node.open}{_row(node.body.items)}{node.close}"
    return _table(node)


def _sym(sym: Sym) -> str:
    if sym.kind == "punct":
        return _PUNCT.get(sym.text, sym.text)
    if sym.kind in ("rel", "word", "text") or sym.spaced:
        return f" {sym.text} "
    if sym.kind == "big":
        return f" {sym.text} "
    return sym.text


def _row(items: tuple[Node, ...]) -> str:
    out = []
    index = 0
    while index < len(items):
        item = items[index]
        if is_word(item):
            following = _next(items, index)
            word = _scripted(item) if isinstance(item, Scripted) else _text(item)
            if following is not None and isinstance(fraction := items[following], Frac):
                out.append(f" {word}({_frac(fraction)}) ")  # "log(N/df)", not "log N/df"
                index = following + 1
                continue
            if following is not None and is_bracketed(items[following]):
                out.append(f" {word}")  # "max(0, x)", not "max (0, x)"
            else:
                out.append(f" {word} ")
        elif isinstance(item, Frac) and not item.binom and fraction_needs_brackets(items, index):
            out.append(f"({_frac(item)})")
        elif isinstance(item, Scripted) and is_big(item.base):
            out.append(f" {_scripted(item)} ")  # "1/n ∑ᵢ xᵢ", not "1/n∑ᵢ xᵢ"
        else:
            out.append(_node(item))
        index += 1
    return "".join(out)


def _text(node: Node) -> str:
    return node.text if isinstance(node, Sym) else _node(node)


def _next(items: tuple[Node, ...], index: int) -> int | None:
    """The index of the next item that is not a space."""
    for following in range(index + 1, len(items)):
        item = items[following]
        if not (isinstance(item, Sym) and item.kind == "space"):
            return following
    return None


# ---------------------------------------------------------------- scripts


def _scripted(node: Scripted) -> str:
    base = node.base
    if isinstance(base, Frac) and not base.binom:
        text = f"({_frac(base)})"
    elif isinstance(base, Sym):
        text = base.text
    else:
        text = _node(base)
    return text + scripts(node.sub, node.sup)


def scripts(sub: Node | None, sup: Node | None) -> str:
    """A base's subscript and superscript, both in Unicode or both with ``_`` and ``^``."""
    low = script_text(sub) if sub is not None else ""
    high = script_text(sup) if sup is not None else ""
    low_unicode = unicode_script(low, S.SUB)
    high_unicode = unicode_script(high, S.SUP, superscript=True)
    if low_unicode is not None and high_unicode is not None:
        return low_unicode + high_unicode
    out = ""
    if sub is not None:
        out += "_" + _fallback(low)
    if sup is not None:
        out += "^" + _fallback(high)
    return out + _AFTER_SCRIPT


def script_text(node: Node) -> str:
    """A script's content, compact: ``h→0``, ``i,j``, ``<t``."""
    text = _MERGES.sub(" ", _node(node)).replace(_AFTER_SCRIPT, "")
    return _COMPACT.sub(r"\1", re.sub(r"\s+", " ", text)).strip()


def unicode_script(text: str, table: dict[str, str], superscript: bool = False) -> str | None:
    """``text`` in Unicode super- or subscript characters, or None if one has none."""
    if superscript and text in ("ᵀ", "′", "′′", "′′′"):
        return text
    if all(c in table for c in text):
        return "".join(table[c] for c in text)
    return None


def _fallback(text: str) -> str:
    if _one_symbol(text) or enclosed(text):
        return text
    return f"({text})"


def _one_symbol(text: str) -> bool:
    """One character with its accents: ``θ``, ``x̂``."""
    return len(text) > 0 and not text[0].isspace() and all(_combining(c) for c in text[1:])


def _combining(char: str) -> bool:
    return "\u0300" <= char <= "\u036f" or "\u20d0" <= char <= "\u20ff"


def enclosed(text: str) -> bool:
    """Whether ``text`` is one bracketed group, like ``(a+b)`` (but not ``(a)(b)``)."""
    if text[:1] + text[-1:] != "()":
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return depth == 0


def _script(node: Node, table: dict[str, str], mark: str) -> str:
    text = script_text(node)
    converted = unicode_script(text, table, superscript=mark == "^")
    return converted if converted is not None else f"{mark}{_fallback(text)}{_AFTER_SCRIPT}"


# ---------------------------------------------------------------- fractions and roots


def _frac(node: Frac) -> str:
    top, bottom = _node(node.num).strip(), _node(node.den).strip()
    if node.binom:
        return f"C({top}, {bottom})"
    if has_operator(items_of(node.num), leading_sign=True):
        top = f"({top})"
    if has_operator(items_of(node.den)) or factors(items_of(node.den)) > 1:
        bottom = f"({bottom})"
    return f"{top}/{bottom}"


def _radicand(node: Node) -> str:
    """What a root covers: ``√n``, ``√dₖ``, but ``√(2π)`` (not ``√2π``)."""
    text = _node(node).strip()
    items = items_of(node)
    simple = len(items) == 1 and _simple(items[0])
    numeric = bool(items) and all(isinstance(i, Sym) and i.kind == "num" for i in items)
    if simple or numeric:
        return text
    return f"({text})"


def _simple(item: Node) -> bool:
    """One symbol, maybe with accents and scripts, or one bracketed group."""
    while isinstance(item, Scripted | Accent):
        item = item.base if isinstance(item, Scripted) else item.body
    if isinstance(item, Row):
        return len(item.items) == 1 and _simple(item.items[0])
    return (isinstance(item, Sym) and item.kind in ("ord", "num")) or isinstance(item, Fenced)


def items_of(node: Node) -> tuple[Node, ...]:
    return node.items if isinstance(node, Row) else (node,)


def is_word(item: Node) -> bool:
    base = item.base if isinstance(item, Scripted) else item
    return isinstance(base, Sym) and base.kind == "word"


def is_big(item: Node) -> bool:
    return isinstance(item, Sym) and item.kind == "big"


def is_bracketed(item: Node) -> bool:
    """A bracket or bracketed group, as after a function name: ``f(x)``, ``max(a, b)``."""
    base = item.base if isinstance(item, Scripted) else item
    return isinstance(base, Fenced) or (isinstance(base, Sym) and base.kind == "open")


def has_operator(items: tuple[Node, ...], leading_sign: bool = False) -> bool:
    """Whether a line of ``items`` has an operator, a relation, a gap or a slash outside
    brackets (so as a numerator or denominator it needs parentheses)."""
    for index, item in enumerate(items):
        if isinstance(item, Sym):
            if item.kind in ("rel", "punct", "big", "text"):
                return True
            if item.kind == "bin" and not (leading_sign and index == 0 and item.text in "+-"):
                return True
            if item.kind == "space" and item.text:
                return True
            if item.kind == "word" and not _applied(items, index):
                return True
        elif isinstance(item, Scripted):
            if is_big(item.base) or (is_word(item) and not _applied(items, index)):
                return True
        elif isinstance(item, Frac) and not item.binom:
            return True
        elif isinstance(item, Row) and has_operator(item.items):
            return True
    return False


def _applied(items: tuple[Node, ...], index: int) -> bool:
    """Whether the function name at ``index`` is followed by its bracketed argument."""
    return index + 1 < len(items) and is_bracketed(items[index + 1])


def factors(items: tuple[Node, ...]) -> int:
    """How many factors a product of ``items`` has: ``2h`` two, ``2.5``, ``P(B)``,
    ``k!``, ``∂x`` and ``dŷ`` one each (a differential is one factor)."""
    count = 0
    callable_ = False  # the last factor can take a bracketed argument: f(x), P(B)
    number = False
    differential = False
    for item in items:
        if isinstance(item, Sym) and item.kind == "postfix":
            callable_ = callable_ and item.text == "′"
            continue
        is_number = isinstance(item, Sym) and item.kind == "num"
        if is_number and number:
            continue
        if is_bracketed(item) and callable_:
            callable_ = False
            continue
        if differential and not is_bracketed(item):
            differential = False
            callable_ = True
            continue
        count += 1
        number = is_number
        callable_ = _callable(item)
        differential = _differential(item)
    return count


def _callable(item: Node) -> bool:
    base = item.base if isinstance(item, Scripted) else item
    return isinstance(base, Sym) and base.kind in ("ord", "word") and base.text not in ("d", "∂")


def _differential(item: Node) -> bool:
    if isinstance(item, Scripted) and item.sub is None:
        item = item.base  # ∂² in ∂²f
    return isinstance(item, Sym) and item.text in ("d", "∂")


def fraction_needs_brackets(items: tuple[Node, ...], index: int) -> bool:
    """Whether the fraction at ``index`` is multiplied by what stands beside it, so that
    ``1/n ∑`` or ``1/2‖w‖²`` would read as a longer denominator."""
    following = _next(items, index)
    if following is not None and _multiplies(items[following]):
        return True
    for before in reversed(items[:index]):
        if not (isinstance(before, Sym) and before.kind == "space"):
            return isinstance(before, Sym) and before.text in ("/", "÷")
    return False


def _multiplies(item: Node) -> bool:
    if isinstance(item, Sym):
        if item.kind == "bin":
            return item.text in _TIMES
        return item.kind in ("ord", "num", "open", "word", "big")
    return not isinstance(item, Table)


# ---------------------------------------------------------------- tables


def _table(node: Table) -> str:
    rows = [[linear(cell) for cell in row] for row in node.rows]
    if node.env in S.CASES:
        return "{" + "; ".join(_case(row) for row in rows) + "}"
    if node.env in S.MATRICES:
        opening, closing = S.MATRICES[node.env]
        body = "; ".join(", ".join(cells) for cells in rows)
        return f"{opening}{body}{closing}"
    lines = [" ".join(cell for cell in row if cell) for row in rows]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        # A row that starts with a relation continues the one before: a = b \\ = c.
        out += " " + line if line[:1] in _RELATION_SIGNS[:12] else "; " + line
    return out


_CONDITION_WORDS = ("if", "otherwise", "else", "for", "when", "where", "unless")


def _case(cells: list[str]) -> str:
    value, condition = [*cells, ""][:2]
    if not condition:
        return value
    if condition.split(" ")[0].rstrip(",") in _CONDITION_WORDS:
        return f"{value} {condition}"
    return f"{value} if {condition}"
