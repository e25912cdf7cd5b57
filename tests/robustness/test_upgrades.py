"""Upgrades from the first released schema: every row kept, failures leave the file as it was."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from studyplan.core.sm2 import Sm2State
from studyplan.service import Studyplan
from studyplan.store import db as db_module
from studyplan.store.db import connect
from studyplan.store.errors import DatabaseError
from studyplan.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.helpers import FakeClock
from tests.robustness.cli_run import (
    assert_one_sentence,
    dump,
    run,
)

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


def first_release_columns() -> dict[str, list[str]]:
    """Each first-release table's columns, from SCHEMA_1 itself."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA_1)
    return {
        table: [row[1] for row in conn.execute(f"PRAGMA table_info({table})")] for table in TABLES_1
    }


def first_release_rows(conn: sqlite3.Connection) -> dict[str, list]:
    """Every row of the first release's tables, in the first release's columns only: later
    migrations add columns, and the old values must all be there unchanged."""
    return {
        table: conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()
        for table, columns in first_release_columns().items()
    }


def schema_of(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {name: " ".join(sql.split()) for name, sql in rows}


# -- upgrades ---------------------------------------------------------------


def test_the_first_release_schema_is_upgraded_with_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    before = make_first_release_db(path)
    assert {t: len(r) for t, r in before.items()} == {
        "deck": 3, "card": 5, "card_tag": 4, "review": 4, "source": 2
    }  # fmt: skip

    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert first_release_rows(conn) == before  # every row, every value
    # Columns added since hold their defaults: nothing is suspended, flagged or marked.
    assert conn.execute(
        "SELECT DISTINCT suspended, buried_until, flag, leech FROM card"
    ).fetchall() == [(0, None, 0, 0)]
    assert conn.execute("SELECT DISTINCT practice, imported FROM review").fetchall() == [(0, 0)]
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
    assert first_release_rows(upgraded) == before
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


# -- history kept through an upgrade and a re-read with the current parser --

# A deck as a learner wrote it for the first release, and the keys that release's
# parser (core/decks.py at 98e5985) gave its cards: a hash of the whole front, cloze
# numbers after it. The current parser must find the same keys, or the history
# below would be left on retired cards and the learner would start again.
OLD_DECK = """+++
id = "ml-basics"
name = "ML basics"
tags = ["math"]
+++

## What is the rank of a matrix?

The dimension of its column space.

## What does this print?

```python
print(sum(range(4)))
```

---

`6`

## What is $\\frac{d}{dx} e^{x}$?

$e^{x}$

## Softmax

Softmax turns {{c1::logits}} into {{c2::probabilities::a distribution}}.

## Broadcasting {#np-broadcast}

Stretching size-1 axes to match.
"""
OLD_KEYS = [
    "h:e164620c08dbb5b3",
    "h:182ebef25eec7201",
    "h:478a841ab942cc61",
    "h:06a2c3db74f0f435#c1",
    "h:06a2c3db74f0f435#c2",
    "np-broadcast",
]


def test_every_card_keeps_its_history_after_an_upgrade_and_a_reread_with_the_current_parser(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "bundled"
    folder.mkdir()
    deck_file = folder / "ml-basics.md"
    deck_file.write_text(OLD_DECK, encoding="utf-8")
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(SCHEMA_1)
    conn.execute("BEGIN")
    # content_hash '' and mtime 0: the file counts as changed, so it is parsed again.
    conn.execute(
        "INSERT INTO deck VALUES (1, 'ml-basics', 'ML basics', '', ?, 1, 0, 0, '', 1)",
        (str(deck_file.resolve()),),
    )
    for n, key in enumerate(OLD_KEYS, start=1):
        # each card answered n times, its state after the last answer stored on the card
        conn.execute(
            "INSERT INTO card (id, deck_id, key, kind, front, back, position, repetitions, "
            "ef_permille, interval, due) VALUES (?, 1, ?, ?, 'old front', 'old back', ?, ?, ?, ?, ?)",
            (
                n * 10,
                key,
                "cloze" if "#c" in key else "basic",
                n - 1,
                n,
                2500 + n,
                n,
                f"2026-03-{n + 2:02d}",
            ),
        )
        for r in range(n):
            conn.execute(
                "INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, "
                "before_repetitions, before_ef_permille, before_interval, before_due, before_lapses, "
                "after_repetitions, after_ef_permille, after_interval, after_due, after_lapses) "
                "VALUES (?, ?, 'Europe/Berlin', ?, 4, 0, ?, 2500, 0, NULL, 0, ?, 2500, 1, NULL, 0)",
                (n * 10, f"2026-02-{r + 1:02d}T09:00:00+00:00", f"2026-02-{r + 1:02d}", r, r + 1),
            )
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    history = conn.execute(
        "SELECT card.key, card.id, review.id FROM review JOIN card ON card.id = review.card_id "
        "ORDER BY review.id"
    ).fetchall()
    conn.close()
    assert len(history) == 21

    service = Studyplan(path, tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder)
    report = service.sync_decks()
    assert report.errors == [] and report.imported == [str(deck_file)]
    assert (report.cards_added, report.cards_retired) == (0, 0)
    cards = service.conn.execute(
        "SELECT key, id, active, front, repetitions, ef_permille, interval, due FROM card "
        "ORDER BY id"
    ).fetchall()
    assert [(key, card_id, active) for key, card_id, active, *_ in cards] == [
        (key, n * 10, 1) for n, key in enumerate(OLD_KEYS, start=1)
    ]
    # the fronts now come from the file, the schedule and the log as they were
    assert cards[0][3] == "What is the rank of a matrix?"
    assert [tuple(c[4:]) for c in cards] == [
        (n, 2500 + n, n, f"2026-03-{n + 2:02d}") for n in range(1, len(OLD_KEYS) + 1)
    ]
    assert (
        service.conn.execute(
            "SELECT card.key, card.id, review.id FROM review JOIN card ON card.id = review.card_id "
            "ORDER BY review.id"
        ).fetchall()
        == history
    )
    service.close()
