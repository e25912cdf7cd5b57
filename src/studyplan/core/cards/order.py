"""The order new cards come in: drawn from every deck in turn, shuffled, or deck by deck."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

NEW_CARD_ORDERS = ("mixed", "random", "deck")
"""``mixed``: one card from each deck in turn; ``random``: shuffled with a seed of the day;
``deck``: deck after deck. Within a deck, cards keep their file order except under random."""


def take_turns(lists: Sequence[Sequence[T]], turn: int = 0) -> list[T]:
    """The first item of each list, then the second of each, and so on; list ``turn``
    (modulo their number) goes first, so that no list always leads."""
    if not lists:
        return []
    start = turn % len(lists)
    ordered = [*lists[start:], *lists[:start]]
    out: list[T] = []
    for row in range(max(len(items) for items in ordered)):
        out.extend(items[row] for items in ordered if row < len(items))
    return out
