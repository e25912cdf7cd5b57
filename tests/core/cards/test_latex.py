"""Formulas in a terminal: LaTeX shown as readable Unicode, never raw commands."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan import paths
from studyplan.core.cards.latex import (
    deck_formulas,
    formulas,
    latex_to_unicode,
    render_math,
    unknown_commands,
)

CASES = [
    (r"\alpha_i", "αᵢ"),
    ("x^2", "x²"),
    (r"\sum_{i=1}^{n} x_i^2", "∑ᵢ₌₁ⁿ xᵢ²"),
    (r"\frac{1}{1+e^{-z}}", "1/(1+e⁻ᶻ)"),
    (r"\mathbb{E}[X]", "𝔼[X]"),
    (r"\mathbf{x}", "𝐱"),
    (r"\sqrt{x+1}", "√(x+1)"),
    (r"\hat{y}", "ŷ"),
    (r"\bar{x}", "x̄"),
    (r"\lVert w \rVert_2", "‖w‖₂"),
    (r"A^\top", "Aᵀ"),
    (r"\operatorname{rank}(A)", "rank(A)"),
    (r"\arg\max_\theta P(\theta \mid D)", "argmax_θ P(θ ∣ D)"),
    (r"\frac{\partial L}{\partial w}", "∂L/∂w"),
    (r"\left( a + b \right)", "(a+b)"),
    (r"\operatorname{softmax}(QK^\top/\sqrt{d_k})V", "softmax(QKᵀ/√dₖ)V"),
    (r"\mathcal{N}(\mu, \sigma^2)", "𝒩(μ, σ²)"),
    (r"\mathbb{R}^{n \times m}", "ℝ^(n × m)"),
    (r"O(n \log n)", "O(n log n)"),
    (r"\binom{n}{k}", "C(n, k)"),
    (r"50\%", "50%"),
]

# Defects found by benchmarks/latex_compare.py (and ":=") that stay fixed.
FIXES = [
    ("a := b", "a := b"),  # was "a: = b"
    (r"x \coloneqq y", "x ≔ y"),
    (r"f: \mathbb{R}^{n} \to \mathbb{R}", "f: ℝⁿ → ℝ"),  # had no space after the colon
    ("I(X; Y)", "I(X; Y)"),  # was "I(X;Y)"
    (r"P(A_{1}, ..., A_{n})", "P(A₁, ..., Aₙ)"),  # was "P(A₁,..., Aₙ)"
    (r"\sqrt{2\pi}", "√(2π)"),  # was "√2π": the root covers both
    (r"\sqrt{\operatorname{tr}(A^\top A)}", "√(tr(AᵀA))"),
    (r"\sqrt{\hat{v}_{t}}", "√v̂ₜ"),
    (r"\log \frac{N}{\operatorname{df}(t)}", "log(N/df(t))"),  # was "log N/df(t)"
    (r"\max(0, x)", "max(0, x)"),  # was "max (0, x)"
    (r"-\log p", "-log p"),  # was "- log p"
    (r"\log_{10} n", "log₁₀ n"),  # was "log₁₀n"
    (r"\frac{1}{n} \sum_{i} x_{i}", "1/n ∑ᵢ xᵢ"),  # was "1/n∑ᵢ xᵢ"
    (r"\frac{(b - a)^{2}}{12}", "(b-a)²/12"),  # was "((b-a)²)/12"
    (r"\frac{P(A, B)}{P(B)}", "P(A, B)/P(B)"),  # was "(P(A, B))/P(B)"
    (r"\frac{n!}{k!(n - k)!}", "n!/(k!(n-k)!)"),
    (r"d_{model} / h", "d_(model)/h"),  # was "d_(model) /h"
]


@pytest.mark.parametrize(("src", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_formula_reads_as_a_learner_expects(src: str, shown: str) -> None:
    assert latex_to_unicode(src) == shown


@pytest.mark.parametrize(("src", "shown"), FIXES, ids=[c[0] for c in FIXES])
def test_a_fixed_defect_stays_fixed(src: str, shown: str) -> None:
    assert latex_to_unicode(src) == shown


def test_formulas_are_the_ones_render_math_renders() -> None:
    text = "Cost $5 or `$x$`, then $a_i$ and\n\n$$\\sum_i x_i$$"
    assert formulas(text) == ["a_i", "\\sum_i x_i"]


def test_math_in_markdown_is_rendered_and_code_is_left_alone() -> None:
    text = "Use `$x^2$` and $a_i * b_i$.\n\n```python\nprint('$\\alpha$')\n```\n\n$$\\sum_i x_i$$"
    out = render_math(text)
    assert "`$x^2$`" in out and "print('$\\alpha$')" in out
    assert "aᵢ ∗ bᵢ" in out  # a star, not markdown emphasis
    assert "\n\n∑ᵢ xᵢ\n\n" in out


def test_an_escaped_or_unclosed_dollar_stays_as_written() -> None:
    assert render_math(r"costs \$5 and $3") == r"costs \$5 and $3"


def test_unknown_commands_are_reported_and_lose_their_backslash() -> None:
    assert unknown_commands(r"\foo + \alpha") == {"foo"}
    assert latex_to_unicode(r"\foo") == "foo"


FORMULAS = deck_formulas(paths.bundled_decks())


def test_the_bundled_decks_have_formulas() -> None:
    assert len(FORMULAS) > 100


def _comparison_checks() -> ModuleType:
    """The benchmark's own definitions of "raw" and "lost grouping", so both agree."""
    if "latex_compare" in sys.modules:
        return sys.modules["latex_compare"]
    path = Path(__file__).parents[3] / "benchmarks" / "latex_compare.py"
    if not path.is_file():
        pytest.skip("benchmarks/latex_compare.py is not here (an installed copy)")
    spec = importlib.util.spec_from_file_location("latex_compare", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["latex_compare"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("deck", "formula"), FORMULAS, ids=[f"{d}:{f[:30]}" for d, f in FORMULAS])
def test_every_bundled_formula_renders_without_commands_or_lost_grouping(
    deck: str, formula: str
) -> None:
    checks = _comparison_checks()
    shown = latex_to_unicode(formula)
    assert not unknown_commands(formula), f"{deck}: unknown command in {formula!r}"
    assert "\\" not in shown, f"{deck}: {formula!r} -> {shown!r}"
    assert checks.leftover_command(formula, shown) is None, f"{deck}: {formula!r} -> {shown!r}"
    why = checks.lost_grouping(formula, shown, latex_to_unicode)
    assert why is None, f"{deck}: {formula!r} -> {shown!r}: {why}"


def test_the_grouping_check_catches_lost_grouping() -> None:
    checks = _comparison_checks()
    assert checks.lost_grouping(r"\frac{1}{1+x}", "1/1+x", lambda s: "1/1+x")
    assert checks.lost_grouping(r"\sqrt{2\pi}", "√2π", lambda s: "√2π")
    assert checks.lost_grouping("f(x", "f(x)", latex_to_unicode)
    assert checks.leftover_command(r"\lVert x \rVert", "łVert x ‖")


@given(st.text(max_size=200))
def test_rendering_never_fails_on_any_text(text: str) -> None:
    assert isinstance(render_math(text), str)
    assert isinstance(latex_to_unicode(text), str)
