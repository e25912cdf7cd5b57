"""Hostile formulas: nothing a deck holds may crash the converter or the layout.

A formula nested too deeply or too long is shown as its source, as code, and
``studyplan decks check`` names it (tests/test_lint.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.cards.latex import (
    MAX_DEPTH,
    MAX_LENGTH,
    DisplayFormula,
    display_math,
    formula_problem,
    latex_to_unicode,
    math_parts,
    render_math,
)
from studyplan.core.cards.tex.layout import cells

DEEP = [
    "{" * 1000 + "x" + "}" * 1000,  # the card from the "hostile input" issue
    "{" * 1000,
    r"\frac{" * 500 + "x",
    r"\frac{" * 300 + "x" + "}{y}" * 300,
    r"\sqrt{" * 500 + "x",
    r"\sqrt" * 500 + " x",
    "x^{" * 500 + "y",
    "x_" * 500 + "y",
    r"\left(" * 500 + "x",
    "(" * 500 + "x" + ")" * 500,
    r"\begin{pmatrix}" * 100 + "x",
    r"\mathbf{" * 100 + "x",
    r"\hat" * 500 + " x",
    r"\sqrt[" * 500 + "x",
]


@pytest.mark.parametrize("src", DEEP, ids=[s[:16] for s in DEEP])
def test_a_formula_nested_too_deeply_is_shown_as_its_source(src: str) -> None:
    assert formula_problem(src) == f"is nested too deeply (more than {MAX_DEPTH} levels)"
    assert latex_to_unicode(src) == src
    assert display_math(src, 80) == DisplayFormula((src,), 0, converted=False)
    inline = render_math(f"The answer: ${src}$")
    assert inline.startswith("The answer: `$") and inline.endswith("$`")
    parts = math_parts(f"Shown:\n\n$${src}$$\n\nafter", 80)
    assert len(parts) == 1 and isinstance(parts[0], str)
    assert f"```latex\n$${src}$$\n```" in parts[0]


def test_nesting_up_to_the_limit_still_converts() -> None:
    src = "{" * (MAX_DEPTH - 1) + r"\frac{a}{b}" + "}" * (MAX_DEPTH - 1)
    assert formula_problem(src) is None
    assert formula_problem("{" + src + "}") is not None
    assert latex_to_unicode(src) == "a/b"
    assert display_math(src, 80).lines == ("a", "─", "b")


def test_the_shortest_formulas_nested_too_deeply_are_one_character_longer_than_the_limit() -> None:
    """formula_problem answers None for a formula of at most MAX_DEPTH characters without
    parsing it: the shallowest too-deep formulas are one character longer."""
    from studyplan.core.cards.tex.nodes import FormulaError
    from studyplan.core.cards.tex.parse import parse

    for unit in ("{", "(", "[", "|", "_", "^", r"\sqrt", r"\hat", r"\left(", r"\frac{", "x_{"):
        src = unit * (MAX_DEPTH // len(unit))
        parse(src)  # no FormulaError
        assert formula_problem(src) is None
    for src in ("{" * (MAX_DEPTH + 1), "(" * (MAX_DEPTH + 1), "x" + "_" * (MAX_DEPTH + 1)):
        with pytest.raises(FormulaError):
            parse(src)
        assert formula_problem(src) is not None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "{",
                "}",
                "(",
                ")",
                "[",
                "]",
                "|",
                "^",
                "_",
                "&",
                " ",
                "x",
                "\\",
                r"\sqrt",
                r"\frac",
                r"\left",
                r"\right",
                r"\begin{matrix}",
                r"\hat",
            ]
        ),
        max_size=MAX_DEPTH,
    )
    .map("".join)
    .filter(lambda s: len(s) <= MAX_DEPTH)
)
def test_no_formula_of_at_most_max_depth_characters_is_too_deep(src: str) -> None:
    from studyplan.core.cards.tex.parse import parse

    parse(src)  # raises FormulaError if the shortcut in formula_problem were wrong


def test_a_formula_too_long_is_shown_as_its_source() -> None:
    src = "x+" * MAX_LENGTH
    assert formula_problem(src) == f"is {len(src):,} characters long (at most {MAX_LENGTH:,})"
    assert latex_to_unicode(src) == src


def test_source_shown_as_code_survives_backticks() -> None:
    src = "`" + "{" * 100 + "``"
    assert render_math(f"${src}$") == f"```${src}$```"


# The grammar's pieces, for formulas no author would write.
PIECES = [
    r"\frac", r"\dfrac", r"\binom", r"\sqrt", r"\sqrt[3]", "^", "_", "{", "}", "&", "\\\\",
    r"\left(", r"\right)", r"\left.", r"\right|", r"\left", r"\right", "(", ")", "[", "]", "|",
    r"\|", r"\{", r"\}", r"\langle", r"\rfloor", r"\begin{pmatrix}", r"\end{pmatrix}",
    r"\begin{cases}", r"\end{cases}", r"\begin{aligned}", r"\end{aligned}", r"\begin{array}{cc}",
    r"\begin{foo}", r"\begin", r"\end", r"\text{", r"\text", r"\mathbf{", r"\boldsymbol",
    r"\mathbb", r"\mathcal{", r"\hat", r"\vec", r"\overline{", r"\sum_", r"\int^", r"\prod",
    r"\lim", r"\log", r"\arg\max", r"\operatorname{", r"\operatorname*", r"\not", r"\alpha",
    r"\partial", r"\cdot", r"\le", r"\to", r"\top", r"\prime", r"\unknown", r"\,", r"\quad",
    r"\!", "\\", "x", "2", "3.5", "d", "+", "-", "/", "=", "<", ":", ",", ";", "'", "!", " ",
    "\n", "$", "%", "#", "~", "ŷ", "界", "\u0301", "\x00", "\t", "*",
]  # fmt: skip
_piece = st.sampled_from(PIECES)
formula_texts = st.lists(_piece, max_size=80).map("".join)
deep_texts = st.builds(
    lambda opener, depth, inner: opener * depth + inner,
    st.sampled_from(
        ["{", r"\frac{", r"\sqrt{", "x^{", r"\left(", "(", r"\begin{cases}", "_{", "|"]
    ),
    st.integers(0, 3000),
    formula_texts,
)
long_texts = st.builds(  # up to tens of KB
    lambda pieces, times: "".join(pieces) * times,
    st.lists(_piece, min_size=1, max_size=10),
    st.integers(1, 4000),
)
any_formula = st.one_of(formula_texts, deep_texts, long_texts)


@settings(max_examples=300, deadline=None)
@given(any_formula)
def test_any_formula_converts_to_one_line_and_never_raises(src: str) -> None:
    shown = latex_to_unicode(src)
    assert isinstance(shown, str)
    assert "\n" not in shown or shown == src


@settings(max_examples=300, deadline=None)
@given(any_formula, st.integers(1, 120))
def test_any_display_formula_lays_out_as_a_rectangle_and_never_raises(src: str, width: int) -> None:
    shown = display_math(src, width)
    assert shown.lines and 0 <= shown.baseline < len(shown.lines)
    if shown.converted and len(shown.lines) > 1:
        assert {cells(line) for line in shown.lines} == {cells(shown.lines[0])}
        assert cells(shown.lines[0]) <= width  # a layout too wide falls back to one line


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(any_formula.map(lambda f: f"${f}$"), any_formula.map(lambda f: f"$${f}$$"),
                          st.text(max_size=30)), max_size=6).map(" ".join))  # fmt: skip
def test_any_card_text_renders(text: str) -> None:
    assert isinstance(render_math(text), str)
    for part in math_parts(text, 60):
        assert isinstance(part, str | DisplayFormula)
