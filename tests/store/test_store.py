"""The store on a temporary SQLite file: sync, answers, undo, refusals."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from studyplan.core.sm2 import Sm2State, review
from studyplan.service import Studyplan
from studyplan.store.card_repo import StaleCardError
from studyplan.store.db import connect
from studyplan.store.errors import DatabaseError
from studyplan.store.migrations import SCHEMA_VERSION
from tests.helpers import FakeClock, write_deck

DAY = date(2026, 3, 2)


@pytest.fixture
def studyplan(tmp_path: Path) -> Studyplan:
    empty = tmp_path / "no-bundled"
    empty.mkdir()
    sp = Studyplan(
        tmp_path / "sp.db", tmp_path / "config.toml", clock=FakeClock(), bundled_decks=empty
    )
    yield sp
    sp.close()


def dump(conn: sqlite3.Connection) -> list:
    return [
        conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in ("deck", "card", "card_tag", "review", "source")
    ]


def test_the_migrated_schema_is_the_declared_sqlmodel_schema(tmp_path: Path) -> None:
    from studyplan.store.schema import SQLModel

    conn = connect(tmp_path / "a.db")
    for table in SQLModel.metadata.sorted_tables:
        stored = {row[1]: row for row in conn.execute(f"PRAGMA table_info({table.name})")}
        assert set(stored) == {c.name for c in table.columns}, table.name
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_import_adds_cards_and_reimporting_changes_nothing(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    path = write_deck(tmp_path / "mine", "Mine", {"Q1": "A1", "Q2": "A2"})
    report = studyplan.import_path(path)
    assert (report.errors, report.cards_added) == ([], 2)
    before = dump(studyplan.conn)
    again = studyplan.import_path(path)
    assert (again.errors, again.cards_added, again.cards_updated) == ([], 0, 0)
    assert dump(studyplan.conn) == before
    assert [d.total for d in studyplan.deck_summaries()] == [2]


def test_new_cards_land_in_file_order_with_their_tags_and_in_the_search_index(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    path = folder / "mine.md"
    cards = [
        f"## Question {n} about eigen{n} {{#q{n}}}\ntags: t{n % 3}, shared\n\nAnswer {n}\n"
        for n in range(40)
    ]
    path.write_text('+++\nname = "Mine"\n+++\n\n' + "\n".join(cards), encoding="utf-8")
    studyplan.import_path(path)
    # An edit, a removal and new cards: updated one by one, added together.
    cards[3] = "## Question 3 about eigen3, edited {#q3}\ntags: t0\n\nAnswer 3\n"
    del cards[7]
    cards += [f"## Later {n} about kernels\ntags: late\n\nMore {n}\n" for n in range(5)]
    path.write_text('+++\nname = "Mine"\n+++\n\n' + "\n".join(cards), encoding="utf-8")
    report = studyplan.import_path(path)
    # Card 3 changed, 7 left, the 32 after it moved up a place; 5 are new.
    assert (report.cards_added, report.cards_updated, report.cards_retired) == (5, 33, 1)
    conn = studyplan.conn
    rows = conn.execute("SELECT id, front, tags, position, active FROM card ORDER BY id").fetchall()
    assert [r[1] for r in rows if r[4]] == [c.split("\n")[0][3:].split(" {#")[0] for c in cards]
    assert [r[3] for r in rows if r[4]] == list(range(len(cards)))
    tags = {row[0]: sorted(row[2].split()) for row in rows}
    stored: dict[int, list[str]] = {}
    for card_id, tag in conn.execute("SELECT card_id, tag FROM card_tag ORDER BY tag"):
        stored.setdefault(card_id, []).append(tag)
    assert stored == {card_id: t for card_id, t in tags.items() if t}
    # The trigram index holds exactly each card's search text (FTS5's own check).
    conn.execute("INSERT INTO card_text (card_text, rank) VALUES ('integrity-check', 1)")
    found = conn.execute(
        "SELECT card.front FROM card_text JOIN card ON card.id = card_text.rowid "
        "WHERE card_text MATCH 'kernels' ORDER BY card.id"
    ).fetchall()
    assert found == [(f"Later {n} about kernels",) for n in range(5)]


def test_editing_a_back_keeps_history_and_removing_a_card_hides_it(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    path = write_deck(tmp_path / "mine", "Mine", {"Q1": "A1", "Q2": "A2"})
    studyplan.import_path(path)
    session = studyplan.start_review()
    answered = session.current
    session.answer(5)
    write_deck(tmp_path / "mine", "Mine", {"Q1": "A1 corrected"})
    report = studyplan.import_path(path)
    assert (report.cards_updated, report.cards_retired) == (1, 1)
    rows = studyplan.conn.execute(
        "SELECT front, back, active, repetitions FROM card ORDER BY id"
    ).fetchall()
    assert rows == [("Q1", "A1 corrected", 1, 1), ("Q2", "A2", 0, 0)]
    assert answered.front == "Q1"
    assert studyplan.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 1
    assert [d.total for d in studyplan.deck_summaries()] == [1]


def test_a_broken_file_changes_nothing_stored(studyplan: Studyplan, tmp_path: Path) -> None:
    path = write_deck(tmp_path / "mine", "Mine", {"Q1": "A1", "Q2": "A2"})
    studyplan.import_path(path)
    before = dump(studyplan.conn)
    path.write_text(path.read_text() + "## Q3\n\n{{c2::gap}}\n", encoding="utf-8")
    report = studyplan.import_path(path)
    assert report.errors == [
        f"{path.resolve()}:13: cloze numbers must start at 1 with no gaps; c1 is missing"
    ]
    assert dump(studyplan.conn) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x89PNG\x00\x01", "not a text file"), (b'+++\nname = "caf\xe9"\n+++\n', "not UTF-8")],
)
def test_binary_and_non_utf8_files_are_refused(
    studyplan: Studyplan, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    report = studyplan.import_path(path)
    assert len(report.errors) == 1 and message in report.errors[0]
    assert report.errors[0].startswith(f"{path.resolve()}:")


def test_an_answer_is_stored_with_its_log_row_and_undo_restores_it(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    studyplan.import_path(write_deck(tmp_path / "mine", "Mine", {"Q1": "A1"}))
    session = studyplan.start_review()
    card = session.current
    answer = session.answer(4)
    stored = studyplan.repo.card(card.id)
    assert stored.state == review(Sm2State(), 4, DAY)
    row = studyplan.conn.execute(
        "SELECT study_day, grade, is_drill, zone, before_due, after_interval FROM review"
    ).fetchone()
    assert row == ("2026-03-02", 4, 0, "Europe/Berlin", None, 1)
    studyplan.repo.undo(answer)
    assert studyplan.repo.card(card.id).state == Sm2State()
    assert studyplan.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 0


def test_an_answer_on_a_card_changed_elsewhere_is_refused(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    studyplan.import_path(write_deck(tmp_path / "mine", "Mine", {"Q1": "A1"}))
    card = studyplan.start_review().current
    studyplan.start_review().answer(5)  # another window answers first
    with pytest.raises(StaleCardError):
        studyplan.repo.record_answer(
            card.id,
            card.state,
            review(card.state, 3, DAY),
            3,
            moment=studyplan.clock(),
            zone="UTC",
            today=DAY,
            took_ms=10,
        )
    assert studyplan.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 1


def test_a_database_from_a_newer_studyplan_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer studyplan"):
        connect(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(DatabaseError, match="not a usable studyplan database"):
        connect(path)
    assert path.read_text().startswith("these are my notes")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a directory"):
        connect(tmp_path)


def test_two_decks_with_one_id_are_refused(studyplan: Studyplan, tmp_path: Path) -> None:
    studyplan.import_path(write_deck(tmp_path / "a", "One", {"Q": "A"}, deck_id="same"))
    report = studyplan.import_path(write_deck(tmp_path / "b", "Two", {"Q": "A"}, deck_id="same"))
    assert len(report.errors) == 1 and "deck id 'same' is already used by" in report.errors[0]


def test_a_folder_with_a_symlink_loop_imports_once(studyplan: Studyplan, tmp_path: Path) -> None:
    folder = tmp_path / "loop"
    write_deck(folder, "Deck", {"Q": "A"})
    (folder / "again").symlink_to(folder)
    report = studyplan.import_path(folder)
    assert report.errors == []
    assert [d.total for d in studyplan.deck_summaries()] == [1]


def test_one_automatic_backup_per_study_day_keeping_the_newest(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    from studyplan.settings import Settings

    studyplan.settings = Settings(backups_kept=2)
    made = []
    for _ in range(4):
        made.append(studyplan.daily_backup())
        assert studyplan.daily_backup() is None  # the same study day: no second one
        studyplan.clock.advance(days=1)
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == [made[2].name, made[3].name]
    assert kept[-1] == "studyplan-2026-03-05-auto.db"


def test_restore_checks_the_backup_and_keeps_the_current_database(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    studyplan.import_path(write_deck(tmp_path / "mine", "Mine", {"Q1": "A1", "Q2": "A2"}))
    backup = studyplan.backup_now()
    studyplan.start_review().answer(5)
    kept = studyplan.restore(backup)
    assert studyplan.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 0
    with sqlite3.connect(kept) as old:
        assert old.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 1


def test_a_damaged_backup_is_refused_and_nothing_changes(
    studyplan: Studyplan, tmp_path: Path
) -> None:
    studyplan.import_path(write_deck(tmp_path / "mine", "Mine", {"Q1": "A1"}))
    backup = studyplan.backup_now()
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    before = dump(studyplan.conn)
    with pytest.raises(DatabaseError, match=r"nothing was restored|damaged|not a studyplan backup"):
        studyplan.restore(backup)
    assert dump(studyplan.conn) == before
