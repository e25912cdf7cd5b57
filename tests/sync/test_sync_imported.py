"""Sync over cards with history imported from Anki: machines that each imported the same
package, then answered its cards, end with the same states; a machine's own sync moves
nothing (issue 15)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyplan.anki_import import import_anki
from studyplan.browser import Browser
from studyplan.service import Studyplan
from studyplan.sync import sync_folder
from tests.helpers import FakeClock
from tests.sync.test_sync import snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "anki"
MADE = json.loads((FIXTURES / "expected.json").read_text())["made_at_ms"]
START = datetime.fromtimestamp(MADE / 1000, UTC) + timedelta(hours=1)
STATE = "SELECT key, repetitions, ef_permille, interval, due, lapses FROM card ORDER BY key"
SCHEDULE = (
    "SELECT id, repetitions, ef_permille, interval, due, sm2_due, lapses, suspended, "
    "buried_until, leech, fsrs_stability, fsrs_difficulty, fsrs_last_review, fsrs_due, "
    "fsrs_reviews, last_answered FROM card ORDER BY id"
)
"""Every column a replay could move, but the flag."""
IMPORTED_CARDS = (
    "SELECT DISTINCT card.id FROM card JOIN review ON review.card_id = card.id "
    "WHERE review.imported = 1 ORDER BY card.id"
)


def importer(root: Path, name: str, clock: FakeClock) -> Studyplan:
    sp = Studyplan(root / f"{name}.db", root / f"{name}.toml", clock=clock)
    summary = import_anki(sp, FIXTURES / "latest.apkg", root / f"decks-{name}")
    assert summary.reviews == 13
    return sp


def study(sp: Studyplan, clock: FakeClock, grades: list[int], days: int) -> int:
    """Answer up to ``len(grades)`` due cards a day for ``days`` days; how many were given."""
    given = 0
    for day in range(days):
        session = sp.start_review(monotonic=lambda: 0.0)
        for n in range(len(grades)):
            if session.current is None:
                break
            session.answer(grades[(day + n) % len(grades)])
            given += 1
        clock.advance(days=1)
    return given


def test_machines_that_imported_the_same_package_agree_once_merged(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    a_clock, b_clock = FakeClock(START), FakeClock(START + timedelta(minutes=7))
    a, b = importer(tmp_path, "a", a_clock), importer(tmp_path, "b", b_clock)
    assert a.conn.execute(STATE).fetchall() == b.conn.execute(STATE).fetchall()
    imported = [key for (key,) in a.conn.execute(IMPORTED_CARDS)]
    assert len(imported) == 6
    # Different grades on each machine, on the same cards and days: the replay must
    # take both machines' answers, in their order, from the imported state.
    assert study(a, a_clock, [4, 5, 3], 30) > 20
    assert study(b, b_clock, [3, 2, 4], 30) > 20
    for _ in range(2):
        sync_folder(a.db_path, folder), sync_folder(b.db_path, folder)
    assert snapshot(a) == snapshot(b)
    merged = a.conn.execute(
        "SELECT COUNT(*) FROM review WHERE imported = 0 AND card_id IN (" + IMPORTED_CARDS + ")"
    ).fetchone()[0]
    assert merged > 20  # the imported cards were answered and merged


def test_a_mark_merged_from_another_machine_moves_no_schedule(tmp_path: Path) -> None:
    """A merged event replays its card: for an imported card, from where the import put it
    (Anki's due day, not the last answer's day plus its interval), then through this
    machine's own answers, which must give back the state they gave it."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    a_clock, b_clock = FakeClock(START), FakeClock(START + timedelta(minutes=7))
    a, b = importer(tmp_path, "a", a_clock), importer(tmp_path, "b", b_clock)
    assert study(a, a_clock, [4, 1, 5, 3], 5) > 4
    answered = (
        "SELECT COUNT(DISTINCT card_id) FROM review WHERE imported = 0 "
        "AND card_id IN (" + IMPORTED_CARDS + ")"
    )
    ids = [card for (card,) in b.conn.execute(IMPORTED_CARDS)]
    assert 0 < a.conn.execute(answered).fetchone()[0] < len(ids)  # some, not all
    # The package holds a suspended card and a buried one: the import logs their marks,
    # which a replay must keep.
    marked = b.conn.execute("SELECT COUNT(*) FROM card_action WHERE action = 'import'")
    imports = marked.fetchone()[0]
    assert imports == 2
    Browser(b).act(ids, "flag", flag=2)
    sync_folder(b.db_path, folder)
    before = a.conn.execute(SCHEDULE).fetchall(), a.conn.execute("SELECT * FROM review").fetchall()
    report = sync_folder(a.db_path, folder)
    assert report.received == len(ids) + imports and report.cards >= len(ids)
    after = a.conn.execute(SCHEDULE).fetchall(), a.conn.execute("SELECT * FROM review").fetchall()
    flags = a.conn.execute("SELECT flag FROM card WHERE id IN (" + IMPORTED_CARDS + ")")
    assert {flag for (flag,) in flags} == {2}
    assert after == before
    sync_folder(b.db_path, folder)
    b_clock.now = a_clock.now  # (the streak is counted to each machine's today)
    assert snapshot(a) == snapshot(b)


def test_an_upgrade_brings_history_imported_before_to_what_an_import_writes(
    tmp_path: Path, monkeypatch
) -> None:
    """A database imported by an earlier studyplan (its last imported answers on the
    answer's day plus interval, no log of the marks the import set), answered since,
    is upgraded to what the same import and answers give now."""
    from studyplan.interop.anki import history
    from studyplan.store import import_repo
    from studyplan.store.migrations import SCHEMA_VERSION

    now_clock, old_clock = FakeClock(START), FakeClock(START)
    now = importer(tmp_path, "now", now_clock)
    with monkeypatch.context() as m:
        m.setattr(history, "_leave_at", lambda answers, final: None)
        m.setattr(import_repo, "log_marks", lambda *args: None)
        old = importer(tmp_path, "old", old_clock)
    assert study(now, now_clock, [4, 1, 5], 4) == study(old, old_clock, [4, 1, 5], 4) > 3
    log = "SELECT * FROM review ORDER BY id"
    marks = "SELECT card_id, action, before, after, undone, batch FROM card_action ORDER BY id"
    differ = old.conn.execute(log).fetchall() != now.conn.execute(log).fetchall()
    assert differ and old.conn.execute(marks).fetchall() == []
    old.conn.execute("PRAGMA user_version = 10")
    old.close()
    again = Studyplan(old.db_path, old.config_path, clock=old_clock)
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert again.conn.execute(log).fetchall() == now.conn.execute(log).fetchall()
    assert again.conn.execute(SCHEDULE).fetchall() == now.conn.execute(SCHEDULE).fetchall()
    # The suspended card's mark is logged; the buried card's bury, a day long, is over.
    logged = [(c, a, json.loads(after)) for c, a, _, after, *_ in again.conn.execute(marks)]
    wanted = [(c, a, json.loads(after)) for c, a, _, after, *_ in now.conn.execute(marks)]
    assert logged == [r for r in wanted if r[2]["suspended"]] and len(logged) == 1
