"""Formulas in a terminal: LaTeX shown as readable Unicode, never raw commands."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan import paths
from studyplan.core.cards.latex import (
    deck_formulas,
    formulas,
    latex_to_unicode,
    render_math,
    unknown_commands,
)
from studyplan.core.cards.tex.checks import (
    ambiguous_precedence,
    drifting_script,
    leftover_command,
    lost_bold,
    lost_grouping,
)
from studyplan.core.cards.tex.parse import tokens
from studyplan.core.cards.tex.symbols import ENVIRONMENTS, KNOWN

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
    (r"\mathbb{R}^{n \times m}", "ℝ^(n×m)"),  # a script is set tight
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
    (r"\frac{1}{n} \sum_{i} x_{i}", "(1/n) ∑ᵢ xᵢ"),  # was "1/n∑ᵢ xᵢ", then "1/n ∑ᵢ xᵢ"
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


# Each defect class, fixed where the tree is built or written out.
LOST_GROUPING = [
    # A denominator that is a product is bracketed: "/2h" reads as "/2 times h".
    (r"\frac{f(x+h)-f(x-h)}{2h}", "(f(x+h)-f(x-h))/(2h)"),
    (r"\exp(-\frac{(x-\mu)^2}{2\sigma^2})", "exp(-(x-μ)²/(2σ²))"),
    (r"\frac{\partial^2 f}{\partial x_i \partial x_j}", "∂²f/(∂xᵢ∂xⱼ)"),
    (r"\frac{1}{\ln 2}", "1/(ln 2)"),
    (r"\frac{SS_{res}}{SS_{tot}}", "SSᵣₑₛ/(SSₜₒₜ)"),
    # One factor needs no brackets: a differential, a call, a power, a norm.
    (r"\frac{\partial f}{\partial x_i}", "∂f/∂xᵢ"),
    (r"\frac{dL}{d\hat{y}}", "dL/dŷ"),
    (r"\frac{b-a}{\max(a, b)}", "(b-a)/max(a, b)"),
    (r"\frac{1}{\lVert w \rVert}", "1/‖w‖"),
    (r"\frac{n}{2^{h+1}}", "n/2ʰ⁺¹"),
    (r"\frac{1}{2.5}", "1/2.5"),
]
AMBIGUOUS_PRECEDENCE = [
    # A fraction times what follows it is bracketed: "1/n ∑" reads as "1/(n ∑ ...)".
    (r"\frac{1}{n}\sum_{i=1}^n (y_i-\hat y_i)^2", "(1/n) ∑ᵢ₌₁ⁿ (yᵢ-ŷᵢ)²"),
    (r"\exp(-\frac{1}{N}\sum_t \log P(w_t))", "exp(-(1/N) ∑ₜ log P(wₜ))"),
    (r"IG = H(S) - \sum_j \frac{|S_j|}{|S|} H(S_j)", "IG = H(S)-∑ⱼ (|Sⱼ|/|S|)H(Sⱼ)"),
    (r"\frac{1}{2}\|w\|^2", "(1/2)‖w‖²"),
    (r"\frac{d}{dx} [f(g(x))]", "(d/dx)[f(g(x))]"),
    (r"\frac{a}{b} \cdot c", "(a/b)·c"),
    (r"x / \frac{a}{b}", "x/(a/b)"),
    # Nothing multiplies it: no brackets.
    (r"\frac{a}{b} + c", "a/b+c"),
    (r"y = \frac{a}{b}, z", "y = a/b, z"),
    (r"\eta \frac{m}{v}", "ηm/v"),
]
SCRIPTS = [
    # A script stays against its base and is set tight.
    (r"D_{KL}(P\|Q)", "D_(KL)(P‖Q)"),
    (r"V^\pi(s)", "V^π(s)"),
    (r"\pi_{\theta}(a | s)", "π_θ(a|s)"),
    (r"w_{<t}", "w_(<t)"),
    (r"\lim_{h \to 0} f(h)", "lim_(h→0) f(h)"),
    (r"\sigma_X \sigma_Y", "σ_X σ_Y"),  # but apart from the next letter
    # A base's two scripts are written the same way.
    (r"\sum_{n=0}^{\infty} a_n", "∑_(n=0)^∞ aₙ"),
    (r"\sigma_B^2", "σ_B^2"),
    (r"x_i^2", "xᵢ²"),
]
BOLD = [
    (r"\boldsymbol{\theta}", "𝛉"),
    (r"\mathbf{x}", "𝐱"),
    (r"\mathbf{W}_1 \mathbf{x}", "𝐖₁𝐱"),
    (r"\boldsymbol{\mu}^\top", "𝛍ᵀ"),
    (r"\bm{\Sigma}", "𝚺"),
    (r"\mathbf{0}", "𝟎"),
    (r"\nabla_{\boldsymbol{\theta}} L", "∇_𝛉 L"),
]
# Matrices as (1, 2; 3, 4) in the environment's own brackets; cases as {value if
# condition; ...}; aligned rows run on when a row starts with a relation.
TABLES = [
    (r"A = \begin{pmatrix}1&2\\3&4\end{pmatrix}", "A = (1, 2; 3, 4)"),
    (r"\begin{bmatrix} a & b \end{bmatrix}", "[a, b]"),
    (r"\begin{vmatrix}a&b\\c&d\end{vmatrix}", "|a, b; c, d|"),
    (r"\begin{matrix}1&0\\0&1\end{matrix}", "1, 0; 0, 1"),
    (r"\begin{pmatrix}1\\2\\\end{pmatrix}", "(1; 2)"),  # a trailing \\ adds no row
    (r"|x| = \begin{cases} x & x \ge 0 \\ -x & \text{otherwise} \end{cases}",
     "|x| = {x if x ≥ 0; -x otherwise}"),
    (r"\begin{cases} 1 & \text{if } y = k \\ 0 \end{cases}", "{1 if y = k; 0}"),
    (r"\begin{aligned} a &= b + c \\ &= d \end{aligned}", "a = b+c = d"),
    (r"\begin{aligned} x &= 1 \\ y &= 2 \end{aligned}", "x = 1; y = 2"),
    (r"a &= b \\ &= c", "a = b = c"),  # & and \\ without an environment: aligned
]  # fmt: skip


@pytest.mark.parametrize(
    ("src", "shown"),
    LOST_GROUPING + AMBIGUOUS_PRECEDENCE + SCRIPTS + BOLD + TABLES,
    ids=[c[0] for c in LOST_GROUPING + AMBIGUOUS_PRECEDENCE + SCRIPTS + BOLD + TABLES],
)
def test_each_defect_class_is_fixed(src: str, shown: str) -> None:
    assert latex_to_unicode(src) == shown


@pytest.mark.parametrize(("src", "shown"), BOLD, ids=[c[0] for c in BOLD])
def test_bold_letters_are_mathematical_bold(src: str, shown: str) -> None:
    assert lost_bold(src, shown, latex_to_unicode) is None
    assert lost_bold(src, src.split("{")[-1].strip("}"), lambda s: "x") is not None


def _commands_by_token(src: str) -> set[str]:
    """unknown_commands as it was, from the parser's own token list."""
    found = {value for kind, value in tokens(src) if kind == "cmd" and value not in KNOWN}
    for name in re.findall(r"\\(?:begin|end)\s*\{([^{}]*)\}", src):
        if name.strip() not in ENVIRONMENTS:
            found.add(f"begin{{{name.strip()}}}")
    return found


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from([*"\\\\ab*{}$^_& \n,", "\\alpha", "\\begin{x}", "\\end{cases}"])).map(
        "".join
    )
)
def test_unknown_commands_are_the_parsers_tokens_not_known(src: str) -> None:
    assert unknown_commands(src) == _commands_by_token(src)


def test_unknown_commands_of_odd_backslashes() -> None:
    assert unknown_commands("x_1 + y") == set()
    assert unknown_commands("x\\") == set()  # a backslash at the end is a character
    assert unknown_commands("\\\\ \\, \\foo* \\bar*x \\\n") == _commands_by_token(
        "\\\\ \\, \\foo* \\bar*x \\\n"
    )
    assert "bar*" in unknown_commands("\\bar*x")


def test_unknown_environments_are_reported_but_their_rows_shown() -> None:
    assert unknown_commands(r"\begin{foo} a & b \end{foo}") == {"begin{foo}"}
    assert unknown_commands(r"\begin{pmatrix} a \end{pmatrix}") == set()
    assert latex_to_unicode(r"\begin{foo} a & b \end{foo}") == "a, b"


FORMULAS = deck_formulas(paths.bundled_decks())


def test_the_bundled_decks_have_formulas() -> None:
    assert len(FORMULAS) > 100


@pytest.mark.parametrize(("deck", "formula"), FORMULAS, ids=[f"{d}:{f[:30]}" for d, f in FORMULAS])
def test_every_bundled_formula_renders_without_a_defect(deck: str, formula: str) -> None:
    shown = latex_to_unicode(formula)
    assert not unknown_commands(formula), f"{deck}: unknown command in {formula!r}"
    assert "\\" not in shown, f"{deck}: {formula!r} -> {shown!r}"
    for why in (
        leftover_command(formula, shown),
        lost_grouping(formula, shown, latex_to_unicode),
        ambiguous_precedence(formula, shown, latex_to_unicode),
        drifting_script(formula, shown),
        lost_bold(formula, shown, latex_to_unicode),
    ):
        assert why is None, f"{deck}: {formula!r} -> {shown!r}: {why}"


def test_the_checks_catch_each_defect_class() -> None:
    assert lost_grouping(r"\frac{1}{1+x}", "1/1+x", lambda s: "1/1+x")
    assert lost_grouping(r"\sqrt{2\pi}", "√2π", lambda s: "√2π")
    assert lost_grouping("f(x", "f(x)", latex_to_unicode)
    assert lost_grouping(r"\frac{a}{2h}", "a/2h", lambda s: "a/2h")
    assert not lost_grouping(r"\frac{\partial f}{\partial x}", "∂f/∂x", lambda s: "∂f/∂x")
    assert leftover_command(r"\lVert x \rVert", "łVert x ‖")
    assert leftover_command(r"\begin{pmatrix}1&2\end{pmatrix}", "beginpmatrix1&2endpmatrix")
    assert leftover_command(r"\begin{pmatrix}1&2\end{pmatrix}", "(1&2)")
    assert ambiguous_precedence(r"\frac{1}{n} \sum_i x_i", "1/n ∑ᵢ xᵢ", lambda s: "1/n∑ᵢ")
    assert ambiguous_precedence(r"\frac{1}{2}\|w\|^2", "", lambda s: "1/2‖w‖²")
    assert not ambiguous_precedence(r"\frac{a}{b} + c", "a/b+c", lambda s: "a/b+c")
    assert drifting_script(r"D_{KL}(P\|Q)", "D_(KL) (P‖Q)")
    assert drifting_script(r"w_{<t}", "w_(< t)")
    assert drifting_script(r"\sum_{n=0}^\infty", "∑ₙ₌₀^∞")
    assert drifting_script(r"\sigma_B^2", "σ_B²")
    assert lost_bold(r"\boldsymbol{\theta}", "θ", lambda s: "θ")


@given(st.text(max_size=200))
def test_rendering_never_fails_on_any_text(text: str) -> None:
    assert isinstance(render_math(text), str)
    assert isinstance(latex_to_unicode(text), str)
