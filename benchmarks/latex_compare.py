"""Every formula in the bundled decks through four LaTeX-to-Unicode converters.

    uv run --with pylatexenc --with flatlatex --with unicodeit python benchmarks/latex_compare.py

The three outside converters are not studyplan dependencies; a missing one is
reported and skipped. Formulas come from the project's own deck parser and
formula finder (``studyplan.core.cards.latex.deck_formulas``), so they are exactly
the ones the review screen renders. The checks are
``studyplan.core.cards.tex.checks``, which the tests also use. Per converter it prints:

- raw: the output still reads as LaTeX (``\\frac``, ``\\lVert`` -> ``łVert``);
- grouping: lost brackets (``1/1+x``, ``√2π``, ``/2h`` for ``\\frac{..}{2h}``);
- precedence: a fraction multiplied by what follows it (``1/n ∑ᵢ``);
- scripts: a script apart from its base or mixed in style (``D_(KL) (P‖Q)``,
  ``w_(< t)``, ``∑ₙ₌₀^∞``);
- bold: ``\\mathbf``/``\\boldsymbol`` shown in plain letters;
- defective: formulas with at least one of those;
- raises: the converter threw an exception;
- ms: time to render them all (best of three runs);
then three failing formulas of each kind.

``--also FILE`` adds the ``latex_to_unicode`` of another copy of the converter,
for a before-and-after count:

    git show REV:src/studyplan/core/cards/latex.py > /tmp/before.py
    uv run python benchmarks/latex_compare.py --also /tmp/before.py
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from studyplan import paths
from studyplan.core.cards.latex import deck_formulas, latex_to_unicode
from studyplan.core.cards.tex.checks import (
    ambiguous_precedence,
    drifting_script,
    leftover_command,
    lost_bold,
    lost_grouping,
)

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


def from_file(path: str) -> Converter:
    """``latex_to_unicode`` of the module at ``path`` (an older copy of the converter)."""
    spec = importlib.util.spec_from_file_location("converter_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.latex_to_unicode


# ---------------------------------------------------------------- the run


@dataclass
class Result:
    name: str
    tried: int = 0
    ms: float = 0.0
    raw: list[tuple[str, str, str]] = field(default_factory=list)
    grouping: list[tuple[str, str, str]] = field(default_factory=list)
    precedence: list[tuple[str, str, str]] = field(default_factory=list)
    scripts: list[tuple[str, str, str]] = field(default_factory=list)
    bold: list[tuple[str, str, str]] = field(default_factory=list)
    raises: list[tuple[str, str, str]] = field(default_factory=list)

    def kinds(self) -> dict[str, list[tuple[str, str, str]]]:
        return {
            "raw": self.raw,
            "grouping": self.grouping,
            "precedence": self.precedence,
            "scripts": self.scripts,
            "bold": self.bold,
        }

    def defective(self) -> int:
        return len({formula for failures in self.kinds().values() for formula, _, _ in failures})


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
        if why := drifting_script(formula, shown):
            result.scripts.append((formula, shown, why))
        for failures, check in (
            (result.grouping, lost_grouping),
            (result.precedence, ambiguous_precedence),
            (result.bold, lost_bold),
        ):
            try:
                why = check(formula, shown, convert)
            except Exception as err:
                why = f"a part raises {type(err).__name__}"
            if why:
                failures.append((formula, shown, why))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3, help="failures shown per kind")
    parser.add_argument("--also", metavar="FILE", help="another latex.py to measure (before)")
    args = parser.parse_args()
    found = deck_formulas(paths.bundled_decks())
    formulas = list(dict.fromkeys(formula.strip() for _, formula in found))
    print(
        f"{len(formulas)} distinct formulas from {len({d for d, _ in found})} bundled deck files\n"
    )
    results = []
    found = converters()
    if args.also:
        found[f"{args.also.rsplit('/', 1)[-1]}"] = from_file(args.also)
    for name, convert in found.items():
        if isinstance(convert, str):
            print(f"{name}: {convert}; skipped")
            continue
        results.append(run(name, convert, formulas))
    columns = ("raw", "grouping", "precedence", "scripts", "bold")
    print(f"\n{'converter':<12}{'tried':>6}" + "".join(f"{c:>11}" for c in columns), end="")
    print(f"{'defective':>11}{'raises':>8}{'ms':>9}")
    for r in results:
        counts = "".join(f"{len(r.kinds()[c]):>11}" for c in columns)
        print(f"{r.name:<12}{r.tried:>6}{counts}{r.defective():>11}{len(r.raises):>8}{r.ms:>9.1f}")
    for r in results:
        for kind, failures in (*r.kinds().items(), ("raises", r.raises)):
            for formula, shown, why in failures[: args.examples]:
                print(f"  {r.name} {kind}: {formula!r} -> {shown!r} ({why})")


if __name__ == "__main__":
    main()
