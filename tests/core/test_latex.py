"""Formulas in a terminal: LaTeX shown as readable Unicode, never raw commands."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan import paths
from studyplan.core.latex import latex_to_unicode, render_math, unknown_commands

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


@pytest.mark.parametrize(("src", "shown"), CASES, ids=[c[0] for c in CASES])
def test_a_formula_reads_as_a_learner_expects(src: str, shown: str) -> None:
    assert latex_to_unicode(src) == shown


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


def bundled_formulas() -> list[tuple[str, str]]:
    found = []
    for path in sorted(paths.bundled_decks().rglob("*.md")):
        text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        text = re.sub(r"`[^`\n]*`", "", text)
        for match in re.finditer(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", text, re.DOTALL):
            found.append((path.name, match.group(1) or match.group(2)))
    return found


FORMULAS = bundled_formulas()


def test_the_bundled_decks_have_formulas() -> None:
    assert len(FORMULAS) > 100


@pytest.mark.parametrize(("deck", "formula"), FORMULAS, ids=[f"{d}:{f[:30]}" for d, f in FORMULAS])
def test_every_bundled_formula_renders_without_commands_or_lost_grouping(
    deck: str, formula: str
) -> None:
    shown = latex_to_unicode(formula)
    assert not unknown_commands(formula), f"{deck}: unknown command in {formula!r}"
    assert "\\" not in shown, f"{deck}: {formula!r} -> {shown!r}"
    assert "{" not in shown.replace("\\{", "") or "\\{" in formula, (
        f"{deck}: stray brace in {shown!r}"
    )
    assert shown.count("(") == shown.count(")"), f"{deck}: {formula!r} -> {shown!r}"


@given(st.text(max_size=200))
def test_rendering_never_fails_on_any_text(text: str) -> None:
    assert isinstance(render_math(text), str)
    assert isinstance(latex_to_unicode(text), str)
