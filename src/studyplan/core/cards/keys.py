"""Card identity: which note a card comes from.

Kept apart from the deck parser so the store can use it without importing
markdown-it at start-up.
"""

from __future__ import annotations


def note_key(card_key: str) -> str:
    """The note a card comes from: cloze cards ``x#c1``, ``x#c2`` (and a reverse ``x#r``)
    share the note ``x``; a basic card is its own note."""
    return card_key.split("#", 1)[0]
