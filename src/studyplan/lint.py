"""``studyplan decks check``: findings a deck author should fix, as ``path:line: message``.

The parser already refuses what cannot be a card (empty sides, cloze gaps,
broken front matter); this adds what parses but teaches badly: duplicate and
near-duplicate fronts, long answers, unknown tags, formulas or markdown that do
not render.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

from studyplan.core.cards.deck import Card, Deck, parse_deck
from studyplan.core.errors import SourceError
from studyplan.core.text import visible
from studyplan.store.deck_sync import deck_files, read_text

MAX_ANSWER_CHARS = 400
STOPWORDS = frozenset(
    "a an the of in on at to for by with and or is are was be what which who how why when does do "
    "did its it this that these those s".split()
)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.DOTALL)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, order=True)
class Finding:
    """One thing to fix, at one place."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return visible(f"{self.path}:{self.line}: {self.message}")


def load_vocabulary(*folders: Path) -> set[str]:
    """Tags listed in ``tags.toml`` files in these folders (missing files are skipped)."""
    tags: set[str] = set()
    for folder in folders:
        path = folder / "tags.toml"
        if path.is_file():
            try:
                tags |= set(tomllib.loads(path.read_text(encoding="utf-8")).get("tags", {}))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
                raise SourceError(path, None, f"is not valid TOML: {err}") from None
    return tags


def check_paths(
    paths: Iterable[Path],
    vocabulary: set[str] | None,
    *,
    render: bool = True,
    parsed: Mapping[str, Deck] | None = None,
) -> tuple[list[Finding], int]:
    """Lint every deck file under ``paths``; returns the sorted findings and the files read.

    ``vocabulary`` is the tags the decks must use; None lets them use any tag. ``parsed``
    holds decks already parsed from their files (by resolved path), as an import has them.
    """
    findings: list[Finding] = []
    cards: list[tuple[str, Card]] = []
    files = 0
    for root in paths:
        for path in deck_files(root):
            files += 1
            try:
                deck = _already_parsed(parsed, path) or parse_deck(read_text(path), str(path))
            except SourceError as err:
                findings.append(Finding(str(err.path), err.line or 1, err.message))
                continue
            name = str(path)
            for card in deck.cards:
                cards.append((name, card))
                findings += _card_findings(name, card, vocabulary, render)
    findings += _duplicates(cards)
    return sorted(set(findings)), files


def _already_parsed(parsed: Mapping[str, Deck] | None, path: Path) -> Deck | None:
    if not parsed:
        return None
    try:
        return parsed.get(str(path.resolve()))
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop, on Python 3.11
        return None  # read_text says what is wrong with it


def _card_findings(
    path: str, card: Card, vocabulary: set[str] | None, render: bool = True
) -> list[Finding]:
    out: list[Finding] = []
    # Only a back longer than the limit can have prose longer than it.
    long = card.kind == "basic" and len(card.back) > MAX_ANSWER_CHARS
    prose = _FENCE.sub("", card.back) if long else ""
    if len(prose) > MAX_ANSWER_CHARS:
        out.append(
            Finding(
                path,
                card.line,
                f"the answer is {len(prose)} characters; keep it under "
                f"{MAX_ANSWER_CHARS} (one card, one fact)",
            )
        )
    if vocabulary:
        for tag in card.tags:
            if tag not in vocabulary:
                out.append(Finding(path, card.line, f"unknown tag {tag!r} (not in tags.toml)"))
    for side in (card.front, card.back):
        if "$" in side:
            text = _FENCE.sub("", side) if "```" in side or "~~~" in side else side
            for first, second in _MATH.findall(text):
                if messages := _formula_messages(first or second):  # most have none
                    out += [Finding(path, card.line, m) for m in messages]
        # Rendering every card through Rich costs ~25 ms a card: `decks check` does it,
        # an import (which shows the cheap findings) does not.
        problem = _render_problem(side) if render else None
        if problem:
            out.append(Finding(path, card.line, f"the markdown does not render: {problem}"))
    return out


@lru_cache(maxsize=1 << 14)
def _formula_messages(formula: str) -> tuple[str, ...]:
    """What is wrong with one formula. Cached: a deck repeats formulas (a cloze note's
    cards share theirs; a third of a 10,000-card deck's were distinct)."""
    from studyplan.core.cards.latex import formula_problem, unknown_commands

    problem = formula_problem(formula)
    if problem:
        return (f"formula ${_shortened(formula.strip())}$ {problem}; it is shown as its source",)
    if "\\" not in formula:
        return ()  # no command (unknown_commands says the same, a call later)
    return tuple(
        f"formula ${formula.strip()}$ uses \\{command}, which cannot be shown as text"
        for command in sorted(unknown_commands(formula))
    )


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render_problem(markdown: str) -> str | None:
    from rich.console import Console
    from rich.markdown import Markdown

    from studyplan.core.cards.latex import render_math

    try:
        Console(file=io.StringIO(), width=80).print(Markdown(render_math(markdown)))
    except Exception as err:
        return f"{type(err).__name__}: {err}"
    return None


def _duplicates(cards: list[tuple[str, Card]]) -> list[Finding]:
    out: list[Finding] = []
    first_with: dict[str, tuple[str, Card]] = {}
    first_bag: dict[tuple[str, ...], tuple[str, Card]] = {}
    for path, card in cards:
        words = _WORD.findall(card.front.lower())
        norm = " ".join(words)
        first = first_with.setdefault(norm, (path, card))
        if first[1] is not card:
            out.append(Finding(path, card.line, f"the same front as {first[0]}:{first[1].line}"))
            continue
        if card.kind != "basic":
            continue
        # Near-duplicates: the same content words in the same order, differing only in
        # case, punctuation or little words ("What is X?" and "X is what?").
        # The first earlier card with the same words, found by its words (a dictionary,
        # not a scan of every earlier card: that was quadratic, 4 s at 10,000 cards).
        bag = tuple(filterfalse(STOPWORDS.__contains__, words))
        if not bag:
            continue
        other_path, other = first_bag.setdefault(bag, (path, card))
        if other is not card:
            out.append(
                Finding(path, card.line, f"nearly the same front as {other_path}:{other.line}")
            )
    return out
