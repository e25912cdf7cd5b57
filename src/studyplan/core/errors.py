"""The one error type that learner-made input may raise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceError(Exception):
    """A file the learner gave us is wrong at one place.

    ``str()`` gives the one sentence a learner sees: ``path:line: message``.
    """

    path: str | Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"
