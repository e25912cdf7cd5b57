"""The one error type that learner-made input may raise."""

from __future__ import annotations

from pathlib import Path

from studyplan.core.text import visible


class SourceError(Exception):
    """A file the learner gave us is wrong at one place.

    ``str()`` gives the one sentence a learner sees: ``path:line: message``.
    """

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        # A file name or a quoted piece of the file may hold control characters.
        return visible(f"{where}: {self.message}")
