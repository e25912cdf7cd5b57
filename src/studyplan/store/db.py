"""Opening the SQLite file: pragmas, schema checks, migrations, transactions.

The stdlib ``sqlite3`` driver is used at run time: importing SQLAlchemy and
SQLModel costs 0.75 s on the machines we target, more than the whole
start-to-first-card budget. ``store.schema`` declares the same tables as
SQLModel classes for tools and tests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studyplan.store.migrations import MIGRATIONS, SCHEMA_VERSION


class DatabaseError(Exception):
    """The database cannot be used; ``str()`` is the sentence the learner sees."""


def connect(path: Path | str, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a studyplan database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    except (OSError, sqlite3.Error) as err:
        raise DatabaseError(f"{path} cannot be opened: {err}") from None
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer studyplan (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade studyplan to open it"
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate and version < SCHEMA_VERSION:
            if version > 0:
                _backup_before_upgrade(conn, path, version)
            _migrate(conn, version)
    except sqlite3.DatabaseError as err:
        conn.close()
        raise DatabaseError(f"{path} is not a usable studyplan database: {err}") from None
    except DatabaseError:
        conn.close()
        raise
    return conn


def _backup_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> None:
    from datetime import UTC, datetime

    from studyplan.store.backup import backup_folder, make_backup

    make_backup(conn, backup_folder(path), datetime.now(UTC), f"before-schema-{version + 1}")


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    with transaction(conn):
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one write transaction: all of it is committed, or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
