"""The card browser's service: search, a card's story, and the learner's hand on cards.

Shared by the browser screen and ``studyplan cards``. It owns no SQL (the store's
``BrowseRepository`` does) and draws nothing.
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from studyplan.core.cards.query import FLAGS, Node, QueryError, parse_query
from studyplan.service import Studyplan
from studyplan.store.browse_repo import BrowseRepository, BrowseRow, CardDetail

ACTION_WORDS = {
    "suspend": "suspended",
    "unsuspend": "unsuspended",
    "bury": "buried until tomorrow",
    "unbury": "unburied",
    "flag": "flagged",
    "reset": "reset to new",
    "leech": "marked as leeches",
    "unleech": "no longer leeches",
}


class EditRefused(Exception):
    """A card that cannot be edited in place; ``str()`` says why and what to do instead."""


@dataclass(frozen=True, slots=True)
class EditTarget:
    """Where to open an editor for a card."""

    command: list[str]
    path: Path
    line: int


class Browser:
    """Searches and card actions over the service's database, with its clock."""

    def __init__(self, service: Studyplan) -> None:
        self.service = service
        self.repo = BrowseRepository(service.conn)

    def parse(self, text: str) -> Node:
        """The query tree of ``text``; ``QueryError`` (one sentence) when it cannot be read."""
        return parse_query(text)

    def search(
        self, text: str, sort: str = "added", descending: bool = False, limit: int | None = None
    ) -> list[int]:
        """Ids of the cards ``text`` finds, sorted (only the first ``limit`` with a limit);
        ``QueryError`` for a bad query."""
        return self.repo.search(self.parse(text), self.service.today(), sort, descending, limit)

    def text_mark(self) -> tuple[int, int] | None:
        """A mark of the cards as stored now (see ``hold_sorted_copy``)."""
        return self.repo.text_mark()

    def read_sorted_copy(self, sort: str) -> bytes | None:
        """The cards in ``sort``'s order, copied, for a worker to hand to another
        ``Browser`` (None while some card's text is not folded yet)."""
        return self.repo.sorted_copy(sort)

    def hold_sorted_copy(self, sort: str, copy: bytes | None, mark: tuple[int, int] | None) -> None:
        """Find the first screenful sorted by ``sort`` in ``copy`` (read after ``mark`` was
        taken on this browser's connection) until a card may have changed."""
        self.repo.hold_sorted_copy(sort, copy, mark)

    def holds_sorted_copy(self, sort: str) -> bool:
        """The first screenful sorted by ``sort`` is read from a copy held in memory."""
        return self.repo.holds_sorted_copy(sort)

    def drop_sorted_copy(self) -> None:
        """Let go of the copy of the cards held (when the browser closes)."""
        self.repo.drop_sorted_copy()

    def rows(self, ids: list[int]) -> list[BrowseRow]:
        """The table rows of ``ids``."""
        return self.repo.rows(ids, self.service.today())

    def detail(self, card_id: int) -> CardDetail:
        """A card's whole story; ``KeyError`` for an unknown id."""
        return self.repo.detail(card_id)

    def act(self, ids: list[int], action: str, flag: int = 0) -> int:
        """Suspend, bury, flag, reset... the cards ``ids``; the number changed."""
        return self.repo.change(
            ids, action, today=self.service.today(), moment=self.service.clock(), flag=flag
        )

    def undo(self) -> str | None:
        """Take back the last card action; a sentence saying what, or None."""
        done = self.repo.undo()
        if done is None:
            return None
        action, count = done
        words = ", ".join(ACTION_WORDS.get(a, a) for a in action.split(","))
        return f"Undone: {count} card{'s' if count != 1 else ''} {words}."

    def saved(self) -> list[tuple[str, str]]:
        """Saved searches, (name, query)."""
        return self.repo.saved_searches()

    def save(self, name: str, query: str) -> None:
        """Keep ``query`` under ``name``, once it parses."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("a saved search needs a name")
        self.parse(query)
        self.repo.save_search(name[:60], query, self.service.clock())

    def forget(self, name: str) -> None:
        """Delete a saved search."""
        self.repo.delete_search(name)

    def more_new(self, extra: int, deck_key: str = "*") -> int:
        """Raise today's new-card limit by ``extra`` (for one deck or all); today's extra."""
        if not 1 <= extra <= 9999:
            raise ValueError("extra new cards must be a whole number from 1 to 9999")
        return self.repo.add_extra_new(self.service.today(), deck_key, extra)

    def edit_target(self, card: CardDetail) -> EditTarget:
        """The editor command that opens ``card`` at its line; ``EditRefused`` when the
        card's file is not the learner's to edit."""
        if card.bundled:
            raise EditRefused(
                "Bundled decks are replaced when studyplan is upgraded, so this card cannot be "
                "edited in place; suspend it (s) and write your own version in a deck of yours"
            )
        if not card.active:
            raise EditRefused("This card is no longer in its file, so there is nothing to edit")
        path = Path(card.source)
        if not path.is_file():
            raise EditRefused(f"{path} no longer exists, so this card cannot be edited")
        return EditTarget(editor_command(path, card.line), path, card.line)


def editor_command(path: Path, line: int) -> list[str]:
    """``$VISUAL`` or ``$EDITOR`` (else the first of nano, vim, vi found) at ``line``."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if raw:
        command = shlex.split(raw)
    else:
        found = next((e for e in ("nano", "vim", "vi") if shutil.which(e)), "vi")
        command = [found]
    name = Path(command[0]).name
    if name in ("vim", "vi", "nvim", "nano", "emacs", "micro", "kak", "hx", "helix") and line > 0:
        return [*command, f"+{line}", str(path)]
    if name in ("code", "codium", "subl", "zed") and line > 0:
        return (
            [*command, "--wait", "--goto", f"{path}:{line}"]
            if name in ("code", "codium")
            else [
                *command,
                f"{path}:{line}",
            ]
        )
    return [*command, str(path)]


def flag_number(word: str) -> int:
    """The flag number of a colour word or digit (0 for none); ``ValueError`` otherwise."""
    word = word.lower()
    if word in ("none", "0", "off"):
        return 0
    if word in FLAGS:
        return FLAGS.index(word) + 1
    if word.isdigit() and 1 <= int(word) <= len(FLAGS):
        return int(word)
    raise ValueError(f"{word!r} is not a flag (none, {', '.join(FLAGS)})")


__all__ = ["Browser", "EditRefused", "EditTarget", "QueryError", "editor_command", "flag_number"]
