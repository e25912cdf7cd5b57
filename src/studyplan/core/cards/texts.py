"""Every card's folded text held in memory, for the words the trigram index cannot find.

A word of one or two characters (typed on the way to a longer one) has no index: in
SQL it is an ``instr()`` over every card's text, 40-70 ms at 100,000 cards. Held here,
the same test is a loop in C over a list of strings (``str.__contains__`` mapped over
it), 4-18 ms at 100,000 cards, which gives the exact set of cards that hold the word.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import compress, islice, repeat
from operator import contains, not_


class CardTexts:
    """The folded search text of every card, by id (ascending)."""

    __slots__ = ("ids", "texts")

    def __init__(self, rows: Iterable[tuple[int, str]]) -> None:
        self.ids = array("q")
        self.texts: list[str] = []
        for card_id, text in rows:
            self.ids.append(card_id)
            self.texts.append(text)

    def __len__(self) -> int:
        return len(self.texts)

    def holding(self, word: str, at_most: int | None = None) -> list[int]:
        """The ids of the cards whose text holds ``word``, in id order (the first
        ``at_most`` of them: a common word stops the loop soon)."""
        found = compress(self.ids, map(contains, self.texts, repeat(word)))
        return list(islice(found, at_most))

    def lacking(self, word: str, at_most: int | None = None) -> list[int]:
        """The ids of the cards whose text does not hold ``word``, in id order (the first
        ``at_most`` of them)."""
        found = compress(self.ids, map(not_, map(contains, self.texts, repeat(word))))
        return list(islice(found, at_most))
