"""The SQLite file under stress: upgrades from the first release, and a path that is
a directory, not SQLite, truncated, read-only or on a full disk.

Every refusal is one sentence naming the file, a non-zero exit, no traceback, and
nothing already stored changes.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from studyplan.cli import main
from studyplan.core.sm2 import Sm2State
from studyplan.service import Studyplan
from studyplan.store import db as db_module
from studyplan.store.db import DatabaseError, connect
from studyplan.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.helpers import FakeClock, write_deck

# The schema as studyplan first released it (migration 1 at 98e5985), copied here on
# purpose: the test must not follow later edits of store/migrations.py.
SCHEMA_1 = """
CREATE TABLE deck (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source_path TEXT NOT NULL,
    bundled INTEGER NOT NULL DEFAULT 0,
    file_mtime_ns INTEGER NOT NULL DEFAULT 0,
    file_size INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE card (
    id INTEGER PRIMARY KEY,
    deck_id INTEGER NOT NULL REFERENCES deck(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'basic',
    front TEXT NOT NULL,
    back TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    line INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    repetitions INTEGER NOT NULL DEFAULT 0,
    ef_permille INTEGER NOT NULL DEFAULT 2500,
    interval INTEGER NOT NULL DEFAULT 0,
    due TEXT,
    lapses INTEGER NOT NULL DEFAULT 0,
    UNIQUE (deck_id, key)
);
CREATE INDEX card_due ON card (active, due);
CREATE INDEX card_deck_due ON card (deck_id, active, due);
CREATE TABLE card_tag (
    card_id INTEGER NOT NULL REFERENCES card(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, card_id)
) WITHOUT ROWID;
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES card(id),
    answered_at TEXT NOT NULL,
    zone TEXT NOT NULL,
    study_day TEXT NOT NULL,
    grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 5),
    is_drill INTEGER NOT NULL,
    days_late INTEGER NOT NULL DEFAULT 0,
    took_ms INTEGER NOT NULL DEFAULT 0,
    before_repetitions INTEGER NOT NULL,
    before_ef_permille INTEGER NOT NULL,
    before_interval INTEGER NOT NULL,
    before_due TEXT,
    before_lapses INTEGER NOT NULL,
    after_repetitions INTEGER NOT NULL,
    after_ef_permille INTEGER NOT NULL,
    after_interval INTEGER NOT NULL,
    after_due TEXT,
    after_lapses INTEGER NOT NULL
);
CREATE INDEX review_day ON review (study_day);
CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL
);
CREATE INDEX review_card_day ON review (card_id, study_day);
"""
TABLES_1 = ("deck", "card", "card_tag", "review", "source")

DECKS = [
    (1, "math-linear-algebra", "Linear algebra", "Vectors and maps", "/b/la.md", 1, 17, 420,
     "ab" * 32, 1),
    (2, "/home/me/decks/ünïcode.md", "Mes cartes: café ☕", "", "/home/me/decks/ünïcode.md", 0,
     1_700_000_000_123_456_789, 99, "cd" * 32, 1),
    (3, "retired", "Gone deck", "its file was removed", "/nowhere/gone.md", 0, 0, 0, "", 0),
]  # fmt: skip
CARDS = [
    # id, deck, key, kind, front, back, tags, position, line, active, reps, ef, interval, due, lapses
    (1, 1, "h:0123456789abcdef", "basic", "What does the rank count?", "Independent columns.",
     "rank-nullity linear-algebra", 0, 7, 1, 0, 2500, 0, None, 0),
    (2, 1, "np-broadcast", "basic", "What does this print?\n\n```python\nprint(1)\n```",
     "`1`", "", 1, 12, 1, 3, 2360, 15, "2026-03-20", 1),
    (3, 2, "h:feedfacefeedface#c1", "cloze", "Derivatives\n\n\\[...\\] of $e^x$",
     "**$e^x$** of $e^x$", "calculus", 0, 5, 1, 1, 1300, 1, "2026-03-01", 4),
    (4, 2, "h:feedfacefeedface#c2", "cloze", "Derivatives\n\n\\[itself?\\]", "**itself**",
     "calculus", 1, 5, 0, 9, 3100, 36500, "2126-01-01", 0),
    (5, 3, "old", "basic", "Retired front", "Retired back", "", 0, 3, 0, 2, 2500, 6,
     "2025-12-31", 0),
]  # fmt: skip
CARD_TAGS = [(1, "rank-nullity"), (1, "linear-algebra"), (3, "calculus"), (4, "calculus")]
REVIEWS = [
    # a scheduling answer on a new card, a lapse, a drill answer (state unchanged), a late one
    (1, 2, "2026-02-01T08:30:00+00:00", "Europe/Berlin", "2026-02-01", 4, 0, 0, 5230,
     0, 2500, 0, None, 0, 1, 2500, 1, "2026-02-02", 0),
    (2, 2, "2026-02-02T23:59:59.999999+00:00", "Europe/Berlin", "2026-02-02", 1, 0, 0, 80000,
     1, 2500, 1, "2026-02-02", 0, 0, 2360, 1, "2026-02-03", 1),
    (3, 2, "2026-02-03T00:00:01+00:00", "Europe/Berlin", "2026-02-02", 5, 1, 0, 0,
     0, 2360, 1, "2026-02-03", 1, 0, 2360, 1, "2026-02-03", 1),
    (4, 3, "2026-03-01T03:00:00-05:00", "America/New_York", "2026-02-28", 0, 0, 40, 1,
     1, 1300, 1, "2026-01-19", 3, 0, 1300, 1, "2026-03-01", 4),
]  # fmt: skip
SOURCES = [(1, "/home/me/decks", "2026-01-05T10:00:00+00:00"), (2, "/tmp/ä b", "2026-01-06")]


def make_first_release_db(path: Path) -> dict[str, list[tuple]]:
    """A database exactly as studyplan's first release left it, filled; returns its rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as the first release's connect() set it
    conn.execute("BEGIN")
    for statement in SCHEMA_1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.executemany(f"INSERT INTO deck VALUES ({', '.join('?' * 10)})", DECKS)
    conn.executemany(f"INSERT INTO card VALUES ({', '.join('?' * 15)})", CARDS)
    conn.executemany("INSERT INTO card_tag VALUES (?, ?)", CARD_TAGS)
    conn.executemany(f"INSERT INTO review VALUES ({', '.join('?' * 19)})", REVIEWS)
    conn.executemany("INSERT INTO source VALUES (?, ?, ?)", SOURCES)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    rows = dump(conn, TABLES_1)
    conn.close()
    return rows


def dump(conn: sqlite3.Connection, tables: tuple[str, ...] | None = None) -> dict[str, list]:
    if tables is None:
        tables = tuple(
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        )
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


def dump_file(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dump(conn)
    finally:
        conn.close()


def schema_of(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {name: " ".join(sql.split()) for name, sql in rows}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_sentence(err: str, path: Path, *words: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("studyplan: ") and str(path) in err, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


# -- upgrades ---------------------------------------------------------------


def test_the_first_release_schema_is_upgraded_with_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = make_first_release_db(path)
    assert {t: len(r) for t, r in before.items()} == {
        "deck": 3, "card": 5, "card_tag": 4, "review": 4, "source": 2
    }  # fmt: skip

    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert dump(conn, TABLES_1) == before  # every row, every value
    fresh = connect(tmp_path / "fresh.db")
    assert schema_of(conn) == schema_of(fresh)  # the new tables and indexes, as a new install
    assert set(schema_of(conn)) > {"deck", "card", "card_tag", "review", "source"}
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fresh.close()

    # Usable: the service reads the old answers and the old card states.
    conn.close()
    empty = tmp_path / "no-bundled"
    empty.mkdir()
    service = Studyplan(path, tmp_path / "c.toml", clock=FakeClock(), bundled_decks=empty)
    assert service.repo.card(2).state == Sm2State(3, 2360, 15, date(2026, 3, 20), 1)
    service.close()

    # The upgrade backed up the first-release file first, unchanged.
    backups = sorted((tmp_path / "backups").iterdir())
    assert [b.name.endswith("-before-schema-2.db") for b in backups] == [True]
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert dump(old, TABLES_1) == before
        assert set(schema_of(old)) == {*TABLES_1, "card_due", "card_deck_due", "review_day",
                                       "review_card_day"}  # fmt: skip


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    before = make_first_release_db(path)
    with sqlite3.connect(path) as conn:
        schema_before = schema_of(conn)
    # The last migration fails on its last statement, after every other one has run.
    broken = (*MIGRATIONS[:-1], MIGRATIONS[-1] + ";\nCREATE TABLE deck (oops INTEGER)")
    monkeypatch.setattr(db_module, "MIGRATIONS", broken)
    with pytest.raises(DatabaseError) as refused:
        connect(path)
    assert str(refused.value) == (
        f"{path} could not be upgraded from schema 1 to {SCHEMA_VERSION} "
        "(table deck already exists); it was left as it was"
    )
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert schema_of(conn) == schema_before
    assert dump(conn, TABLES_1) == before
    conn.close()
    # The real migrations still upgrade it afterwards.
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    upgraded = connect(path)
    assert dump(upgraded, TABLES_1) == before
    upgraded.close()


def test_a_database_from_a_newer_studyplan_is_refused_byte_for_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "newer.db"
    make_first_release_db(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("PRAGMA journal_mode = DELETE")
    data = path.read_bytes()
    code, out, err = run(capsys, "--db", str(path), "decks")
    assert code == 1 and out == ""
    assert_one_sentence(err, path, "newer studyplan", "upgrade studyplan")
    assert path.read_bytes() == data
    assert not (tmp_path / "backups").exists()


def test_the_backup_before_an_upgrade_failing_stops_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = make_first_release_db(path)
    (tmp_path / "backups").write_text("a file where the backups folder should be")
    with pytest.raises(DatabaseError, match=r"was not upgraded, as the backup before it failed"):
        connect(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert dump(conn, TABLES_1) == before


# -- database path trouble, through the command line -------------------------


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    """A current database with a deck, answers and an enrolment."""
    path = tmp_path / "sp.db"
    empty = tmp_path / "no-bundled"
    empty.mkdir(exist_ok=True)
    service = Studyplan(path, tmp_path / "c.toml", clock=FakeClock(), bundled_decks=empty)
    deck = write_deck(tmp_path / "mine", "Mine", {f"Q{i}": f"A{i}" for i in range(30)})
    assert service.import_path(deck).errors == []
    session = service.start_review(monotonic=lambda: 0.0)
    for grade in (5, 3, 0):
        session.answer(grade)
    service.close()
    return path


def test_a_directory_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(folder), "import", str(tmp_path))
    assert code == 1
    assert_one_sentence(err, folder, "is a directory")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", [("decks",), ("backup",), ("plan",)])
def test_a_file_that_is_not_sqlite_is_one_sentence_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 200)
    data = path.read_bytes()
    code, out, err = run(capsys, "--db", str(path), *command)
    assert code == 1 and out == ""
    assert_one_sentence(err, path, "is not a usable studyplan database")
    assert path.read_bytes() == data


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_a_truncated_database_is_one_sentence_and_kept(
    filled_db: Path, capsys: pytest.CaptureFixture[str], fraction: float
) -> None:
    data = filled_db.read_bytes()
    assert not filled_db.with_name("sp.db-wal").exists()  # closed cleanly: all in the file
    cut = data[: int(len(data) * fraction)]
    filled_db.write_bytes(cut)
    for command in (("decks",), ("import", str(filled_db.parent / "mine")), ("backup",)):
        code, out, err = run(capsys, "--db", str(filled_db), *command)
        assert code == 1 and out == "", command
        assert_one_sentence(err, filled_db, "is not a usable studyplan database")
        assert filled_db.read_bytes() == cut


def read_only(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Open ``path`` as SQLite does a file it may not write (we run as root, for whom
    chmod changes nothing): read-only, so every write fails with SQLITE_READONLY."""
    real = sqlite3.connect

    def connect_ro(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if Path(str(database)) == path:
            return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect_ro)


def test_a_read_only_database_is_one_sentence_and_unchanged(
    filled_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = dump_file(filled_db)
    new_deck = write_deck(tmp_path / "more", "More", {"Q": "A"})
    read_only(monkeypatch, filled_db)
    for command in (
        ("import", str(new_deck)),
        ("decks",),  # the start-up sync writes the bundled decks
        ("enrol", "three-month", "--start", "2026-03-02"),
    ):
        code, _, err = run(capsys, "--db", str(filled_db), *command)
        assert code == 1, command
        assert_one_sentence(err, filled_db, "cannot be written because it is read-only")
    monkeypatch.undo()
    assert dump_file(filled_db) == before


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database the service opens can grow by no page: SQLite itself then
    raises SQLITE_FULL, as on a full disk."""
    import studyplan.service

    real = studyplan.service.connect

    def connect_full(path: Path, **kwargs: object) -> sqlite3.Connection:
        conn = real(path, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(studyplan.service, "connect", connect_full)


def test_a_full_disk_during_import_and_sync_is_one_sentence_and_unchanged(
    filled_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = write_deck(tmp_path / "big", "Big", {f"Q{i} {'x' * 200}": "A" * 300 for i in range(300)})
    before = dump_file(filled_db)
    full_disk(monkeypatch)
    code, _, err = run(capsys, "--db", str(filled_db), "import", str(big))
    assert code == 1
    assert_one_sentence(err, filled_db, "cannot be written because the disk is full")
    assert dump_file(filled_db) == before
    # The start-up sync: an imported deck changed on disk and grew.
    mine = filled_db.parent / "mine" / "mine.md"
    mine.write_text(mine.read_text() + "".join(f"## N{i}\n\n{'y' * 400}\n\n" for i in range(200)))
    code, _, err = run(capsys, "--db", str(filled_db), "decks")
    assert code == 1
    assert_one_sentence(err, filled_db, "cannot be written because the disk is full")
    assert dump_file(filled_db) == before


def test_a_full_disk_during_answers_changes_nothing(filled_db: Path, tmp_path: Path) -> None:
    service = Studyplan(
        filled_db, tmp_path / "c.toml", clock=FakeClock(), bundled_decks=tmp_path / "no-bundled"
    )
    pages = service.conn.execute("PRAGMA page_count").fetchone()[0]
    service.conn.execute(f"PRAGMA max_page_count = {pages}")
    card = service.repo.card(1)
    day = date(2026, 3, 2)
    refused = None
    for _ in range(10_000):  # drill answers fill the free room left in the file's pages
        before = dump(service.conn)
        try:
            service.repo.record_answer(
                card.id, card.state, None, 3, moment=datetime(2026, 3, 2, 9), zone="UTC",
                today=day, took_ms=1234,
            )  # fmt: skip
        except DatabaseError as err:
            refused = err
            break
    assert refused is not None, "the file never filled up"
    assert str(refused).startswith(f"{filled_db} cannot be written because the disk is full")
    assert dump(service.conn) == before
    # A scheduling answer through the review session is refused the same way.
    session = service.start_review(monotonic=lambda: 0.0)
    shown = session.current
    with pytest.raises(DatabaseError, match="the disk is full"):
        session.answer(4)
    assert dump(service.conn) == before
    assert service.repo.card(shown.id).state == shown.state
    service.close()


def test_a_real_process_on_a_bad_database_prints_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "half.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    data = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "studyplan", "--db", str(path), "decks"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert_one_sentence(result.stderr, path, "is not a usable studyplan database")
    assert path.read_bytes() == data


def test_a_backup_that_cannot_be_written_is_one_sentence(
    filled_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (filled_db.parent / "backups").write_text("a file where the backups folder should be")
    before = dump_file(filled_db)
    code, out, err = run(capsys, "--db", str(filled_db), "backup")
    assert code == 1 and out == ""
    assert_one_sentence(err, filled_db.parent / "backups", "no backup was made")
    assert dump_file(filled_db) == before
