"""Display formulas laid out as a textbook prints them: what the learner sees, line by line."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from studyplan import paths
from studyplan.core.cards.latex import (
    DisplayFormula,
    deck_formulas,
    display_math,
    latex_to_unicode,
    math_parts,
)
from studyplan.core.cards.tex.layout import cells

LAYOUTS = [
    # A fraction stacks over a rule; a big operator takes its limits above and below.
    (
        r"\frac{1}{n} \sum_{i=1}^{n} (y_{i} - \hat{y}_{i})^{2}",
        ["1  n            ",
         "─  ∑  (yᵢ − ŷᵢ)²",
         "n i=1           "],
        1,
    ),
    (
        r"\lim_{h \to 0} \frac{f(x+h)-f(x)}{h}",
        ["    f(x + h) − f(x)",
         "lim ───────────────",
         "h→0        h       "],
        1,
    ),
    (r"\int_0^1 x^2 \, dx", ["1      ", "∫ x² dx", "0      "], 1),
    (r"\frac{1}{2}\|w\|^2", ["1     ", "─ ‖w‖²", "2     "], 1),
    # A root has a vinculum, drawn as a slope when what it covers is tall.
    (r"\sqrt{x+1}", [" _____", "√x + 1"], 1),
    (r"\sqrt{\frac{a}{b}}", ["    _", "   ╱a", "  ╱ ─", "╲╱  b"], 2),
    (r"\sqrt[3]{x}", ["  _", "³√x"], 1),
    # Brackets grow around what is tall; matrices and cases get tall brackets.
    (r"\left(\frac{a}{b}\right)^2", ["⎛a⎞2", "⎜─⎟ ", "⎝b⎠ "], 1),
    (r"A = \begin{pmatrix}1&2\\3&4\end{pmatrix}", ["A = ⎛1  2⎞", "    ⎝3  4⎠"], 0),
    (
        r"f(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise}\end{cases}",
        ["f(x) = ⎧x  x > 0    ",
         "       ⎩0  otherwise"],
        0,
    ),
    (r"\binom{n}{k}", ["⎛n⎞", "⎝k⎠"], 0),
    (
        r"\begin{aligned} a &= b+c \\ &= \frac{d}{2} \end{aligned}",
        ["a = b + c",
         "         ",
         "    d    ",
         "  = ─    ",
         "    2    "],
        2,  # a table sits centred on the line of what stands beside it
    ),
    # A script with no Unicode form is lowered or raised, not written with _ or ^.
    (r"D_{KL}(P\|Q)", ["D  (P‖Q)", " KL     "], 0),
    (r"V^\pi(s)", [" π   ", "V (s)"], 1),
    (r"\sigma_B^2", [" 2", "σ ", " B"], 1),
    # Bold stays bold; Unicode scripts stay on the line.
    (r"\boldsymbol{\theta}_{t+1} = \boldsymbol{\theta}_t - \eta \nabla L", ["𝛉ₜ₊₁ = 𝛉ₜ − η∇L"], 0),
]  # fmt: skip


@pytest.mark.parametrize(("src", "lines", "baseline"), LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_a_display_formula_reads_as_in_a_textbook(
    src: str, lines: list[str], baseline: int
) -> None:
    shown = display_math(src, 80)
    assert list(shown.lines) == lines
    assert shown.baseline == baseline


def test_a_layout_too_wide_falls_back_to_one_line() -> None:
    src = r"\frac{1}{n} \sum_{i=1}^{n} (y_{i} - \hat{y}_{i})^{2}"
    assert display_math(src, 16).lines[0] == "1  n            "
    assert display_math(src, 15) == DisplayFormula(("(1/n) ∑ᵢ₌₁ⁿ (yᵢ-ŷᵢ)²",), 0)


def test_cells_counts_as_the_terminal_does() -> None:
    for src, *_ in LAYOUTS:
        for line in display_math(src, 80).lines:
            assert cells(line) == cell_len(line), (src, line)


DISPLAYED = deck_formulas(paths.bundled_decks(), display=True)


def test_the_bundled_decks_have_display_formulas() -> None:
    assert len(DISPLAYED) >= 5


@pytest.mark.parametrize("width", [80, 40])
@pytest.mark.parametrize(
    ("deck", "formula"), DISPLAYED, ids=[f"{d}:{f[:30]}" for d, f in DISPLAYED]
)
def test_every_bundled_display_formula_lays_out_cleanly(
    deck: str, formula: str, width: int
) -> None:
    shown = display_math(formula, width)
    assert shown.converted
    widths = {cells(line) for line in shown.lines}
    assert len(widths) == 1, f"{deck}: not rectangular: {shown.lines}"
    assert widths == {cell_len(line) for line in shown.lines}
    assert 0 <= shown.baseline < len(shown.lines)
    text = "\n".join(shown.lines)
    assert not re.search(r"\\[A-Za-z]|[{}]", text), f"{deck}: {text}"
    fits = widths.pop() <= width
    assert fits or shown.lines == (latex_to_unicode(formula),)
    if width == 80:
        assert fits, f"{deck}: {formula} does not fit in 80 cells"


def test_display_formulas_are_blocks_of_their_own_and_inline_ones_stay_in_the_text() -> None:
    text = r"Mean: $\frac{1}{n}$ of the sum $$\sum_{i} x_i$$ and so on."
    parts = math_parts(text, 80)
    assert parts == [
        "Mean: 1/n of the sum ",
        DisplayFormula(("∑ xᵢ", "i   "), 0),
        " and so on.",
    ]
