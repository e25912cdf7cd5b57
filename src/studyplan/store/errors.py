"""The one error the store raises for trouble a learner can act on.

Its own module so that ``db`` (which backs up before a schema upgrade) and
``backup`` (which reports failures) both use it without importing each other.
"""

from __future__ import annotations

from studyplan.core.text import visible


class DatabaseError(Exception):
    """The database cannot be used; ``str()`` is the sentence the learner sees."""

    def __str__(self) -> str:
        return visible(super().__str__())  # a path may hold control characters


class StorageError(DatabaseError):
    """The disk, not the file, is the trouble (full, or read-only): a command that only
    reads can still open the database read-only."""
