"""Does a one-line rendering of a formula read wrongly? Checks for any converter.

Each check looks at the LaTeX source and the text a converter made of it (and
may convert parts of the source again) and says why the text misleads, or
returns None. ``benchmarks/latex_compare.py`` counts them over the bundled
decks for several converters; the tests hold studyplan's converter to zero.

- ``leftover_command``: the text still reads as LaTeX: a backslash command, a
  command or environment name as text (``\\lVert`` -> ``łVert``,
  ``beginpmatrix``), an alignment ``&``.
- ``lost_grouping``: brackets or braces the formula does not have; a fraction,
  script or root whose argument needs parentheses (``1/1+x``, ``e^-z+1``,
  ``√2π``), a denominator that is a product (``/2h``), an operator name's
  fraction (``log N/n``).
- ``ambiguous_precedence``: a fraction multiplied by what follows it without
  brackets (``1/n ∑ᵢ``, ``1/2‖w‖²``).
- ``drifting_script``: a script apart from its base or spaced out
  (``D_(KL) (P‖Q)``, ``w_(< t)``), or one base with one Unicode and one
  ``_``/``^`` script (``∑ₙ₌₀^∞``).
- ``lost_bold``: ``\\mathbf``/``\\boldsymbol`` letters that are not bold.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from studyplan.core.cards.tex.symbols import SUB, SUP, WORDS

Converter = Callable[[str], str]

_COMMAND = re.compile(r"\\[A-Za-z]+")
_LETTERS = re.compile(r"[A-Za-z]{3,}")
# Letters a rendering may show although the formula has them only as a command.
_WORDS_SHOWN = WORDS | {"argmax", "argmin", "arg", "mod", "bmod", "pmod", "if", "otherwise"}
_NEEDS_PARENS = re.compile(
    r"[+\-=<>,]|\\(pm|mp|cdot|times|le|leq|ge|geq|ne|neq|approx|to|mid|in|sim|cup|cap)(?![A-Za-z])"
)
_SPACING = re.compile(r"\\[,;: !]|\\q?quad(?![A-Za-z])|~")
_FRACTION = re.compile(r"\\[dt]?frac(?![A-Za-z])")
_BOLD = re.compile(r"\\(mathbf|boldsymbol|bm)(?![A-Za-z])")
# Commands that take one braced argument, as a factor in a product.
_ONE_ARGUMENT = re.compile(
    r"\\(mathbf|boldsymbol|bm|mathbb|mathcal|mathrm|operatorname\*?|text\w*|hat|bar|tilde|vec|"
    r"dot|ddot|overline|widehat|widetilde|sqrt)(?![A-Za-z])"
)
# Commands that end a product: closing brackets, operators, relations, gaps.
_NOT_FACTORS = {
    "right", "rfloor", "rceil", "rangle", "rVert", "rvert", "end", "cdot", "times", "div",
    "quad", "qquad", "circ", "odot", "otimes", "oplus", "equiv", "simeq", "propto",
    "rightarrow", "Rightarrow", "leftarrow", "iff", "notin", "subset", "subseteq", "ll", "gg",
}  # fmt: skip
_SUB_CHARS = "".join(set(SUB.values()) - {""})
_SUP_CHARS = "".join(set(SUP.values()) - {"", "*", "′", "ᵀ"})


def leftover_command(src: str, shown: str) -> str | None:
    """Why ``shown`` still reads as LaTeX source, or None."""
    if found := _COMMAND.search(shown):
        return f"backslash command {found.group()}"
    if "\\" in shown and "\\backslash" not in src and "\\setminus" not in src:
        return "a backslash left"
    if shown.count("&") > src.count("\\&"):
        return "an alignment & left"
    environments = re.findall(r"\\(?:begin|end)\s*\{([^{}]*)\}", src)
    own = re.sub(r"\\(begin|end)\s*\{[^{}]*\}", " ", src)
    own = _COMMAND.sub(" ", own)
    text_args = " ".join(
        re.findall(r"\\(?:text\w*|mathrm|operatorname\*?|mbox|math\w+)\s*\{([^{}]*)\}", src)
    )
    names = [name[1:] for name in _COMMAND.findall(src)] + environments
    for word in _LETTERS.findall(shown):
        if word in own or word in text_args or word in _WORDS_SHOWN:
            continue
        if any(word in name or (len(name) > 3 and name in word) for name in names):
            return f"command name {word!r} left as text"
    return None


def lost_grouping(src: str, shown: str, convert: Converter) -> str | None:
    """Why ``shown`` loses grouping that ``src`` has, or None."""
    if _bracket_counts(shown) != _bracket_counts(src):
        return "brackets unbalanced"
    allowed = (
        src.count("\\{")
        + src.count("\\}")
        + 2 * len(re.findall(r"\\begin\{[Bd]?cases\}|\\begin\{Bmatrix\}", src))
    )
    if shown.count("{") + shown.count("}") > allowed:
        return "braces left"
    for start, top, bottom, end in _fractions(src):
        product = _factors(bottom) > 1
        if not (_needs_parens(top) or _needs_parens(bottom) or product):
            continue
        snippet = src[start:end]
        alone = re.sub(r"\s", "", convert(snippet))
        slashes = _top_level(alone, "/⁄")
        if len(slashes) != 1:
            return f"{snippet} -> {alone}"
        left, right = alone[: slashes[0]], alone[slashes[0] + 1 :]
        if (_needs_parens(top) and not _wrapped(left)) or (
            (_needs_parens(bottom) or product) and not _wrapped(right)
        ):
            return f"{snippet} -> {alone}"
    for found in re.finditer(r"\\([a-z]+)\s*\\[dt]?frac(?![A-Za-z])", src):
        if found.group(1) not in WORDS:
            continue
        top_arg = _brace_argument(src, found.end())
        bottom_arg = top_arg and _brace_argument(src, top_arg[1])
        if top_arg and bottom_arg:  # "log(N/df)", not "log N/df": the function takes the fraction
            snippet = src[found.start() : bottom_arg[1]]
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


def ambiguous_precedence(src: str, shown: str, convert: Converter) -> str | None:
    """Why a fraction in ``shown`` could be read as taking in what follows it, or None."""
    for start, _, _, end in _fractions(src):
        factor_end = _following_factor(src, end)
        if factor_end is None:
            continue
        snippet = src[start:factor_end]
        alone = re.sub(r"\s", "", convert(snippet))
        if _top_level(alone, "/⁄"):
            return f"{snippet} -> {alone}"
    return None


def drifting_script(src: str, shown: str) -> str | None:
    """Why a script in ``shown`` stands apart from its base or its partner, or None."""
    if found := re.search(r"[_^](\([^()]*\)|[^\s(])\s+[(\[]", shown):
        return f"script apart from its base: {found.group()!r}"
    if found := re.search(r"[_^]\([^()]*(\s[=<>≤≥≠→∈∉⊂⊆]|[=<>≤≥≠→∈∉⊂⊆]\s)[^()]*\)", shown):
        return f"spaces inside a script: {found.group()!r}"
    mixed = (
        rf"[{_SUB_CHARS}]\^|[{_SUP_CHARS}]_|_(\([^()]*\)|[^\s(])[{_SUP_CHARS}]"
        rf"|\^(\([^()]*\)|[^\s(])[{_SUB_CHARS}]"
    )
    if found := re.search(mixed, shown):
        return f"one script in Unicode, the other not: {found.group()!r}"
    return None


def lost_bold(src: str, shown: str, convert: Converter) -> str | None:
    """Why a bold vector or matrix in ``src`` is not bold in the rendering, or None."""
    for found in _BOLD.finditer(src):
        argument = _brace_argument(src, found.end())
        end = argument[1] if argument else found.end() + 2
        snippet = src[found.start() : end]
        alone = convert(snippet)
        plain = [c for c in alone if c.isalnum() and not "\U0001d400" <= c <= "\U0001d7ff"]
        if plain or not alone.strip():
            return f"{snippet} -> {alone}"
    return None


# ---------------------------------------------------------------- source helpers


def _fractions(src: str) -> list[tuple[int, str, str, int]]:
    """``(start, numerator, denominator, end)`` for each braced ``\\frac`` in ``src``."""
    found = []
    for match in _FRACTION.finditer(src):
        top = _brace_argument(src, match.end())
        bottom = top and _brace_argument(src, top[1])
        if top and bottom:
            found.append((match.start(), top[0], bottom[0], bottom[1]))
    return found


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


def _balanced(src: str, start: int, opening: str, closing: str) -> int:
    """The index after the ``closing`` that matches the ``opening`` at ``start``."""
    depth = 0
    for index in range(start, len(src)):
        if src.startswith(opening, index):
            depth += 1
        elif src.startswith(closing, index):
            depth -= 1
            if depth == 0:
                return index + len(closing)
    return len(src)


def _factor_at(src: str, start: int) -> tuple[int, str] | None:
    """The end of the one factor of a product at ``start`` and what it is: number, letter,
    name (a symbol or function command), bracket or other; None at an operator or the end."""
    if start >= len(src):
        return None
    char = src[start]
    if match := re.match(r"\d+(\.\d+)?", src[start:]):
        end, kind = start + match.end(), "number"
    elif char.isalpha():
        end, kind = start + 1, "letter"
    elif src.startswith("\\left", start):
        end, kind = _balanced(src, start, "\\left", "\\right"), "bracket"
        end += len(re.match(r"\s*(\\[A-Za-z]+|\\.|.)?", src[end:]).group())  # type: ignore[union-attr]
    elif src.startswith("\\lVert", start):
        end, kind = _balanced(src, start, "\\lVert", "\\rVert"), "bracket"
    elif src.startswith(("\\|", "\\Vert"), start):
        bar = "\\|" if src.startswith("\\|", start) else "\\Vert"
        close = src.find(bar, start + len(bar))
        end, kind = (close + len(bar) if close > 0 else len(src)), "bracket"
    elif char in "([":
        end, kind = _balanced(src, start, char, {"(": ")", "[": "]"}[char]), "bracket"
    elif char == "|":
        close = src.find("|", start + 1)
        end, kind = (close + 1 if close > 0 else len(src)), "bracket"
    elif char == "{":
        argument = _brace_argument(src, start)
        end, kind = (argument[1] if argument else len(src)), "other"
    elif match := re.match(r"\\([A-Za-z]+)", src[start:]):
        name = match.group(1)
        if _NEEDS_PARENS.match(match.group()) or name in _NOT_FACTORS:
            return None
        end, kind = start + match.end(), "name"
        if _FRACTION.match(match.group()):
            for _ in range(2):
                argument = _brace_argument(src, end)
                end = argument[1] if argument else end
            kind = "other"
        elif _ONE_ARGUMENT.match(match.group()):
            if name == "sqrt" and src.startswith("[", end):
                end = src.find("]", end) + 1 or len(src)
            argument = _brace_argument(src, end)
            end = argument[1] if argument else end
            kind = "name" if name.startswith(("operatorname", "math")) else "other"
    else:
        return None
    while end < len(src) and (src[end] in "^_'!" or src.startswith("\\prime", end)):
        if src[end] in "^_":
            argument = _brace_argument(src, end + 1)
            end = argument[1] if argument else _skip_token(src, end + 1)
        else:
            end += 6 if src.startswith("\\prime", end) else 1
    return end, kind


def _skip_token(src: str, start: int) -> int:
    while start < len(src) and src[start] == " ":
        start += 1
    match = re.match(r"\\[A-Za-z]+|\\.|.", src[start:], re.DOTALL)
    return start + (match.end() if match else 0)


def _factors(src: str) -> int:
    """How many factors the product ``src`` has (an operator or a gap counts as many):
    ``2h`` 2, ``P(B)`` 1, ``\\partial x`` 1, ``k!(n-k)!`` 2."""
    src = src.strip()
    if _SPACING.search(src):
        return 2
    count, position, previous = 0, 0, ""
    while position < len(src):
        if src[position] == " ":
            position += 1
            continue
        found = _factor_at(src, position)
        if found is None:
            return count + 1 if count else 0
        end, kind = found
        function_call = kind == "bracket" and previous in ("letter", "name")
        differential = previous == "differential"
        if not (function_call or differential):
            count += 1
        piece = src[position:end].strip()
        if piece in ("d", "\\partial") or re.fullmatch(r"\\partial\^\{?\d\}?", piece):
            previous = "differential"
        elif piece.endswith("!") or differential:
            previous = "done"
        else:
            previous = kind
        position = end
    return count


def _following_factor(src: str, end: int) -> int | None:
    """The end of a factor that multiplies whatever ends at ``end``, if one follows."""
    position = end
    while True:
        while position < len(src) and src[position] == " ":
            position += 1
        spacing = _SPACING.match(src, position)
        if not spacing:
            break
        position = spacing.end()
    if src.startswith(("\\cdot", "\\times"), position):
        found = _factor_at(src, _skip_token(src, position))
        return found[0] if found else None
    found = _factor_at(src, position)
    if found is None or src.startswith(("\\right", "\\end", "\\text"), position):
        return None
    return found[0]


# ---------------------------------------------------------------- text helpers


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
