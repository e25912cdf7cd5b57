"""Each card's last answered day (schema 10), which the browser shows and sorts by: always
the last study day of the card's log, whatever writes the log, and sorted exactly as a
plain SQL ordering over the log sorts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from studyplan.browser import Browser
from studyplan.service import Studyplan
from tests.helpers import (
    FakeClock,
    answer_on,
    last_answered_out_of_step,
    undo_schema_10,
    write_deck,
)

DAY = date(2026, 3, 2)
BY_THE_LOG = """
    SELECT id FROM card WHERE active = 1
    ORDER BY (SELECT MAX(study_day) FROM review WHERE card_id = card.id) {0}, id {0}
"""


def collection(tmp_path: Path) -> tuple[Studyplan, list[int]]:
    decks = tmp_path / "decks"
    write_deck(decks, "Small", {f"Question {n}?": f"Answer {n}." for n in range(8)})
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=decks)
    assert sp.sync_decks().errors == []
    ids = [r[0] for r in sp.conn.execute("SELECT id FROM card ORDER BY id")]
    return sp, ids


def by_the_log(sp: Studyplan, descending: bool) -> list[int]:
    return [r[0] for r in sp.conn.execute(BY_THE_LOG.format("DESC" if descending else ""))]


def assert_sorted_as_the_log(sp: Studyplan) -> None:
    assert last_answered_out_of_step(sp.conn) == []
    browser = Browser(sp)
    for descending in (False, True):
        whole = browser.search("", "answered", descending)
        assert whole == by_the_log(sp, descending)
        assert browser.search("", "answered", descending, limit=3) == whole[:3]
        assert browser.search("question", "answered", descending) == whole
        for days in (1, 7, 400):  # a range of the index the result is read in
            lately = set(browser.search(f"answered:{days}"))
            in_order = [i for i in whole if i in lately]
            assert browser.search(f"answered:{days}", "answered", descending) == in_order
            assert browser.search(f"answered:{days}", "answered", descending, 2) == in_order[:2]


def test_every_write_of_the_log_keeps_the_last_answered_day(tmp_path: Path) -> None:
    sp, ids = collection(tmp_path)
    assert_sorted_as_the_log(sp)  # nothing answered: every card ties, in id order
    # Ties on a day, a card answered twice, a drill, and two cards never answered.
    answer_on(sp, ids[3], DAY)
    answer_on(sp, ids[1], DAY)
    answer_on(sp, ids[5], DAY + timedelta(days=1))
    answer_on(sp, ids[5], DAY + timedelta(days=1), drill=True)
    answer_on(sp, ids[0], DAY)
    later = answer_on(sp, ids[0], DAY + timedelta(days=6))
    answer_on(sp, ids[2], DAY + timedelta(days=1))
    answer_on(sp, ids[4], DAY - timedelta(days=30))
    answer_on(sp, ids[6], DAY + timedelta(days=6))
    assert_sorted_as_the_log(sp)
    rows = {row.id: row.answered for row in Browser(sp).rows(ids)}
    assert rows[ids[0]] == DAY + timedelta(days=6) and rows[ids[7]] is None
    sp.repo.undo(later)  # the answer before it is the last again
    assert sp.conn.execute("SELECT last_answered FROM card WHERE id = ?", (ids[0],)).fetchone() == (
        DAY.isoformat(),
    )
    assert_sorted_as_the_log(sp)
    # The other shapes a writer may take (sync deletes a local answer, for example).
    with sp.conn:
        sp.conn.execute("DELETE FROM review WHERE card_id = ?", (ids[6],))
    assert_sorted_as_the_log(sp)
    with sp.conn:
        sp.conn.execute("UPDATE review SET study_day = '2025-01-01' WHERE card_id = ?", (ids[2],))
        sp.conn.execute("UPDATE review SET card_id = ? WHERE card_id = ?", (ids[7], ids[4]))
    assert_sorted_as_the_log(sp)
    assert sp.conn.execute("SELECT COUNT(*) FROM card WHERE last_answered IS NULL").fetchone() == (
        2,
    )  # ids[4] (its answer moved to ids[7]) and ids[6]


def test_an_upgrade_to_schema_10_fills_each_cards_last_answered_day(tmp_path: Path) -> None:
    sp, ids = collection(tmp_path)
    answer_on(sp, ids[2], DAY)
    answer_on(sp, ids[2], DAY + timedelta(days=3))
    answer_on(sp, ids[0], DAY + timedelta(days=3))
    answer_on(sp, ids[5], DAY + timedelta(days=1), drill=True)
    undo_schema_10(sp)  # as schema 9 left it: no column, no index, no triggers
    sp.close()
    again = Studyplan(sp.db_path, sp.config_path, clock=FakeClock(), bundled_decks=sp.bundled_decks)
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] >= 10
    stored = dict(again.conn.execute("SELECT id, last_answered FROM card"))
    assert stored[ids[2]] == stored[ids[0]] == (DAY + timedelta(days=3)).isoformat()
    assert stored[ids[5]] == (DAY + timedelta(days=1)).isoformat()
    assert stored[ids[1]] is None
    assert_sorted_as_the_log(again)
    answer_on(again, ids[1], DAY + timedelta(days=4))  # the triggers came with the upgrade
    assert_sorted_as_the_log(again)
