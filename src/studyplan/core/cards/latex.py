"""LaTeX formulas in card text, shown as readable Unicode in a terminal.

Inline formulas (``$...$``) become one line (``tex.linear``); display formulas
(``$$...$$``) are laid out in two dimensions (``tex.layout``): stacked
fractions, limits above and below, roots with a vinculum, tall brackets. A
formula that cannot be converted (nested deeper than ``MAX_DEPTH`` or longer
than ``MAX_LENGTH``) is shown as its source, as code. Unknown commands lose
their backslash and are reported by ``unknown_commands`` so the deck linter
can flag them.

Why in-house: on the 626 distinct formulas of the bundled decks, measured with
``uv run --with pylatexenc --with flatlatex --with unicodeit python
benchmarks/latex_compare.py`` (checks in ``tex.checks``), pylatexenc misleads
in 94 (no Unicode scripts: ``x^2``, ``1/1+e^-z``, ``n^c - ϵ``; plain ``0`` for
a bold zero vector), flatlatex in 178 (``\\log``, ``\\le`` left, spaces
dropped: ``n\\logn``), unicodeit in 198 (``\\frac`` and braces left,
``\\lVert`` -> ``łVert``); this converter in none (its string-based
predecessor in 34: ``/2h``, ``1/n ∑ᵢ``, ``D_(KL) (P‖Q)``, a plain θ for
``\\boldsymbol{\\theta}``). None of them lays out a display formula.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from studyplan.core.cards.tex.nodes import MAX_DEPTH, MAX_LENGTH, FormulaError
from studyplan.core.cards.tex.parse import parse
from studyplan.core.cards.tex.symbols import ENVIRONMENTS, KNOWN, WORDS
from studyplan.core.markup import MASK, mask_code_and_math

__all__ = ["KNOWN", "MAX_DEPTH", "MAX_LENGTH", "WORDS", "DisplayFormula", "deck_formulas",
           "display_math", "formula_problem", "formulas", "latex_to_unicode", "math_parts",
           "render_math", "unknown_commands"]  # fmt: skip

_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^{}]*)\}")


# A command as ``tokens`` reads one: a backslash is never part of another token, so
# looking for the backslashes alone finds the same commands (a test holds the two to
# the same), without a token list per formula (a third of an import's checks).
_COMMAND = re.compile(r"\\([A-Za-z]+\*?|.)", re.DOTALL)


def unknown_commands(src: str) -> set[str]:
    """Commands (and environments, as ``begin{name}``) this converter has no rendering for."""
    if "\\" not in src:
        return set()  # no command, and no environment (it opens with \begin)
    found = {command for command in _COMMAND.findall(src) if command not in KNOWN}
    for name in _ENVIRONMENT.findall(src):
        if name.strip() not in ENVIRONMENTS:
            found.add(f"begin{{{name.strip()}}}")
    return found


def formula_problem(src: str) -> str | None:
    """Why ``src`` is shown as its source rather than converted (``is nested too
    deeply ...``), or None."""
    if len(src) <= MAX_DEPTH:
        # Each level of nesting (a group, an argument, a script on a script, an open
        # bracket) takes at least one token, and each token at least one character: a
        # formula this short cannot go past MAX_DEPTH, so it is not parsed to find out.
        return None
    try:
        parse(src)
    except FormulaError as err:
        return str(err)
    return None


def latex_to_unicode(src: str) -> str:
    """One formula (without its ``$`` delimiters) as one line of Unicode; its source
    unchanged when it cannot be converted."""
    from studyplan.core.cards.tex.linear import linear

    try:
        return unicodedata.normalize("NFC", linear(parse(src)))
    except FormulaError:
        return src


_ESCAPE = re.compile(r"([*_`\\<>\[\]])")


def _math_spans(markdown_text: str) -> Iterator[tuple[int, int, str, bool]]:
    """``(start, end, formula, is_display)`` for every formula outside code."""
    if "$" not in markdown_text:
        return
    masked = _mask_code_only(markdown_text)
    for found in re.finditer(
        r"\$\$(.+?)\$\$|\$(?=\S)((?:\\.|[^$\\\n])+?)(?<=\S)\$(?!\d)", masked, re.DOTALL
    ):
        start, end = found.span()
        if MASK in masked[start:end]:
            continue
        if start > 0 and markdown_text[start - 1] == "\\":
            continue
        inner = markdown_text[start:end].strip("$")
        yield start, end, inner, found.group(1) is not None


def formulas(markdown_text: str, display: bool | None = None) -> list[str]:
    """The formulas (without ``$``) that ``render_math`` renders in ``markdown_text``;
    only the display (``$$``) or the inline ones if ``display`` says so."""
    return [
        inner
        for _, _, inner, is_display in _math_spans(markdown_text)
        if display is None or is_display == display
    ]


def deck_formulas(root: Path, display: bool | None = None) -> list[tuple[str, str]]:
    """``(file name, formula)`` for each formula on the cards of the decks under ``root``,
    once (only display or inline ones if ``display`` says so)."""
    from studyplan.core.cards.deck import parse_deck

    found = []
    for path in sorted(root.rglob("*.md")):
        deck = parse_deck(path.read_text(encoding="utf-8"), str(path))
        for card in deck.cards:
            for side in (card.front, card.back):
                found += [(path.name, formula) for formula in formulas(side, display)]
    return list(dict.fromkeys(found))


def render_math(markdown_text: str) -> str:
    """Replace every ``$...$`` and ``$$...$$`` outside code with one line of Unicode (a
    formula that cannot be converted with its source, as code)."""
    out, pos = [], 0
    for start, end, inner, display in _math_spans(markdown_text):
        out.append(markdown_text[pos:start])
        if display:
            line = _inline(inner)
            out.append(f"\n\n{line}\n\n" if line is not None else _code_block(inner))
        else:
            out.append(_inline(inner) or _code_span(f"${inner}$"))
        pos = end
    out.append(markdown_text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class DisplayFormula:
    """A display formula laid out: lines of equal width (in terminal cells), the formula's
    baseline on row ``baseline``. A single line may be wider than asked (nothing narrower
    fits); ``converted`` is False when the line is the formula's source."""

    lines: tuple[str, ...]
    baseline: int
    converted: bool = True


def display_math(formula: str, width: int) -> DisplayFormula:
    """One display formula (without ``$$``) laid out in two dimensions to fit ``width``
    cells, else as one line; its source when it cannot be converted. Never raises."""
    from studyplan.core.cards.tex.layout import display

    try:
        box = display(formula, width)
    except FormulaError:
        return DisplayFormula((formula,), 0, converted=False)
    return DisplayFormula(box.lines, box.baseline)


def math_parts(markdown_text: str, width: int) -> list[str | DisplayFormula]:
    """Card text split at its display formulas, in order: markdown with inline formulas
    rendered, and display formulas laid out to fit ``width`` cells (one that cannot be
    converted stays in the markdown, as a code block of its source)."""
    parts: list[str | DisplayFormula] = []
    pending, pos = [], 0
    for start, end, inner, is_display in _math_spans(markdown_text):
        pending.append(markdown_text[pos:start])
        pos = end
        if not is_display:
            pending.append(_inline(inner) or _code_span(f"${inner}$"))
            continue
        shown = display_math(inner, width)
        if not shown.converted:
            pending.append(_code_block(inner))
            continue
        parts += ["".join(pending), shown]
        pending = []
    pending.append(markdown_text[pos:])
    parts.append("".join(pending))
    return [part for part in parts if not isinstance(part, str) or part.strip()]


def _inline(formula: str) -> str | None:
    """One formula as markdown-safe Unicode, or None when it cannot be converted."""
    from studyplan.core.cards.tex.linear import linear

    try:
        text = unicodedata.normalize("NFC", linear(parse(formula)))
    except FormulaError:
        return None
    return _ESCAPE.sub(r"\\\1", text)


def _code_span(text: str) -> str:
    """``text`` as a markdown code span, whatever backticks it holds."""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _code_block(formula: str) -> str:
    """A display formula's source as a fenced code block."""
    fence = "`" * max(3, max(map(len, re.findall("`+", formula)), default=0) + 1)
    return f"\n\n{fence}latex\n$${formula}$$\n{fence}\n\n"


def _mask_code_only(text: str) -> str:
    """Code spans and fenced blocks masked, math left visible."""
    lines, in_fence, fence = text.split("\n"), False, ""
    blank = set()
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if not in_fence and (stripped.startswith("```") or stripped.startswith("~~~")):
            in_fence, fence = True, stripped[:3]
            blank.add(number)
        elif in_fence:
            blank.add(number)
            if stripped.startswith(fence):
                in_fence = False
    masked = mask_code_and_math(text.replace("$", "\x01"), frozenset(blank))
    return "".join("$" if m == "\x01" else m for m in masked)
