"""Every formula in the bundled decks through four LaTeX-to-Unicode converters.

    uv run --with pylatexenc --with flatlatex --with unicodeit python benchmarks/latex_compare.py

The three outside converters are not studyplan dependencies; a missing one is
reported and skipped. Formulas come from the project's own deck parser and
formula finder (``studyplan.core.cards.latex.deck_formulas``), so they are exactly
the ones the review screen renders. Per converter it prints:

- raw: the output still has a backslash command (``\\frac``), or the name of a
  command leaked as text (``\\lVert`` -> ``łVert``, ``\\operatorname`` ->
  ``operatorname``): letters that are neither in the formula's own text nor an
  operator name such as ``log``;
- grouping: brackets or braces the formula does not have, or a fraction,
  script or root whose argument needs parentheses (``\\frac{1}{1+x}``,
  ``e^{-z+1}``, ``\\sqrt{2\\pi}``) or an operator name's fraction
  (``\\log \\frac{N}{n}``) rendered without them (``1/1+x``, ``e^-z+1``,
  ``√2π``, ``log N/n``);
- raises: the converter threw an exception;
- ms: time to render them all (best of three runs);
then three failing formulas of each kind.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from studyplan import paths
from studyplan.core.cards.latex import WORDS, deck_formulas, latex_to_unicode

Converter = Callable[[str], str]


def converters() -> dict[str, Converter | str]:
    """Each converter by name, or the reason it cannot be used."""
    found: dict[str, Converter | str] = {}
    try:
        from pylatexenc.latex2text import LatexNodes2Text

        found["pylatexenc"] = LatexNodes2Text().latex_to_text
    except ImportError as err:
        found["pylatexenc"] = f"not importable ({err})"
    try:
        import flatlatex

        found["flatlatex"] = flatlatex.converter().convert
    except ImportError as err:
        found["flatlatex"] = f"not importable ({err})"
    try:
        import unicodeit

        found["unicodeit"] = unicodeit.replace
    except ImportError as err:
        found["unicodeit"] = f"not importable ({err})"
    found["studyplan"] = latex_to_unicode
    return found


# ---------------------------------------------------------------- checks


_COMMAND = re.compile(r"\\[A-Za-z]+")
_LETTERS = re.compile(r"[A-Za-z]{3,}")
# Letters a rendering may show although the formula has them only as a command.
_WORDS_SHOWN = WORDS | {"argmax", "argmin", "arg", "mod", "bmod", "pmod"}
_NEEDS_PARENS = re.compile(
    r"[+\-=<>,]|\\(pm|mp|cdot|times|le|leq|ge|geq|ne|neq|approx|to|mid|in|sim|cup|cap)(?![A-Za-z])"
)


def leftover_command(src: str, shown: str) -> str | None:
    """Why ``shown`` still reads as LaTeX source, or None."""
    if found := _COMMAND.search(shown):
        return f"backslash command {found.group()}"
    own = _COMMAND.sub(" ", src)
    text_args = " ".join(
        re.findall(r"\\(?:text\w*|mathrm|operatorname\*?|mbox|math\w+)\s*\{([^{}]*)\}", src)
    )
    for word in _LETTERS.findall(shown):
        if word in own or word in text_args or word in _WORDS_SHOWN:
            continue
        if any(word in name for name in _COMMAND.findall(src)):
            return f"command name {word!r} left as text"
    return None


def _brace_argument(src: str, start: int) -> tuple[str, int] | None:
    """The ``{...}`` argument at ``start`` (spaces skipped) and the index after it."""
    while start < len(src) and src[start] == " ":
        start += 1
    if start >= len(src) or src[start] != "{":
        return None
    depth = 0
    for index in range(start, len(src)):
        depth += {"{": 1, "}": -1}.get(src[index], 0)
        if depth == 0:
            return src[start + 1 : index], index + 1
    return None


def _top_level(text: str, chars: str) -> list[int]:
    """Indexes of ``chars`` in ``text`` outside brackets."""
    depth, found = 0, []
    for index, char in enumerate(text):
        if char in "([{⟨":
            depth += 1
        elif char in ")]}⟩":
            depth -= 1
        elif depth == 0 and char in chars:
            found.append(index)
    return found


def _wrapped(text: str) -> bool:
    """Whether ``text`` is one bracketed group: ``(a+b)`` but not ``(a)(b)``."""
    if len(text) < 2 or text[0] + text[-1] not in ("()", "[]"):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


# One symbol with its accents and scripts: n, 2.5, dₖ, v̂ₜ, a prime.
_ONE_SYMBOL = r"(\d+(\.\d+)?|[^\W\d_])[\u0300-\u036f\u20d7]*[⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿᵀ′₀-₉ₐ-ₜᵢ-ᵪ*]*"


def _needs_parens(argument: str) -> bool:
    outside = argument
    while (inner := re.sub(r"\{[^{}]*\}|\([^()]*\)|\[[^\[\]]*\]", "X", outside)) != outside:
        outside = inner
    return bool(_NEEDS_PARENS.search(outside.strip().removeprefix("-")))


def _bracket_counts(text: str) -> tuple[int, int]:
    return text.count("(") - text.count(")"), text.count("[") - text.count("]")


def lost_grouping(src: str, shown: str, convert: Converter) -> str | None:
    """Why ``shown`` loses grouping that ``src`` has, or None."""
    if _bracket_counts(shown) != _bracket_counts(src):
        return "brackets unbalanced"
    if shown.count("{") + shown.count("}") > src.count("\\{") + src.count("\\}"):
        return "braces left"
    for found in re.finditer(r"\\[dt]?frac(?![A-Za-z])", src):
        top = _brace_argument(src, found.end())
        bottom = top and _brace_argument(src, top[1])
        if not (top and bottom) or not (_needs_parens(top[0]) or _needs_parens(bottom[0])):
            continue
        snippet = src[found.start() : bottom[1]]
        alone = re.sub(r"\s", "", convert(snippet))
        slashes = _top_level(alone, "/⁄")
        if len(slashes) != 1:
            return f"{snippet} -> {alone}"
        left, right = alone[: slashes[0]], alone[slashes[0] + 1 :]
        if (_needs_parens(top[0]) and not _wrapped(left)) or (
            _needs_parens(bottom[0]) and not _wrapped(right)
        ):
            return f"{snippet} -> {alone}"
    for found in re.finditer(r"\\([a-z]+)\s*\\[dt]?frac(?![A-Za-z])", src):
        if found.group(1) not in WORDS:
            continue
        top = _brace_argument(src, found.end())
        bottom = top and _brace_argument(src, top[1])
        if top and bottom:  # "log(N/df)", not "log N/df": the function takes the fraction
            snippet = src[found.start() : bottom[1]]
            alone = re.sub(r"\s", "", convert(snippet))
            if not _wrapped(alone.removeprefix(found.group(1))):
                return f"{snippet} -> {alone}"
    for found in re.finditer(r"\\sqrt(?![A-Za-z])", src):
        argument = _brace_argument(src, found.end())
        if not argument:
            continue
        snippet = src[found.start() : argument[1]]
        alone = re.sub(r"\s", "", convert(snippet))
        body = alone.partition("√")[2]
        if "√" in alone and not (_wrapped(body) or re.fullmatch(_ONE_SYMBOL, body)):
            return f"{snippet} -> {alone}"
    for found in re.finditer(r"[\^_]", src):
        argument = _brace_argument(src, found.end())
        if not argument or not _needs_parens(argument[0]):
            continue
        snippet = "x" + src[found.start() : argument[1]]
        alone = re.sub(r"\s", "", convert(snippet))
        if found.group() in alone and found.group() + "(" not in alone:
            return f"{snippet} -> {alone}"
    return None


# ---------------------------------------------------------------- the run


@dataclass
class Result:
    name: str
    tried: int = 0
    ms: float = 0.0
    raw: list[tuple[str, str, str]] = field(default_factory=list)
    grouping: list[tuple[str, str, str]] = field(default_factory=list)
    raises: list[tuple[str, str, str]] = field(default_factory=list)


def run(name: str, convert: Converter, formulas: list[str]) -> Result:
    result = Result(name, tried=len(formulas))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for formula in formulas:
            try:
                convert(formula)
            except Exception:
                pass
        best = min(best, time.perf_counter() - start)
    result.ms = best * 1000
    for formula in formulas:
        try:
            shown = convert(formula)
        except Exception as err:
            result.raises.append((formula, "", f"{type(err).__name__}: {err}"))
            continue
        if why := leftover_command(formula, shown):
            result.raw.append((formula, shown, why))
        try:
            why = lost_grouping(formula, shown, convert)
        except Exception as err:
            why = f"a part raises {type(err).__name__}"
        if why:
            result.grouping.append((formula, shown, why))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3, help="failures shown per kind")
    args = parser.parse_args()
    found = deck_formulas(paths.bundled_decks())
    formulas = list(dict.fromkeys(formula.strip() for _, formula in found))
    print(
        f"{len(formulas)} distinct formulas from {len({d for d, _ in found})} bundled deck files\n"
    )
    results = []
    for name, convert in converters().items():
        if isinstance(convert, str):
            print(f"{name}: {convert}; skipped")
            continue
        results.append(run(name, convert, formulas))
    print(f"\n{'converter':<12}{'tried':>7}{'raw':>6}{'grouping':>10}{'raises':>8}{'ms':>9}")
    for r in results:
        print(
            f"{r.name:<12}{r.tried:>7}{len(r.raw):>6}{len(r.grouping):>10}"
            f"{len(r.raises):>8}{r.ms:>9.1f}"
        )
    for r in results:
        for kind, failures in (("raw", r.raw), ("grouping", r.grouping), ("raises", r.raises)):
            for formula, shown, why in failures[: args.examples]:
                print(f"  {r.name} {kind}: {formula!r} -> {shown!r} ({why})")


if __name__ == "__main__":
    main()
