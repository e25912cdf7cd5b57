"""Two studyplan instances on one database: both review, nothing is lost or scheduled twice.

In one process, two apps (each with its own connection) answer the same queue
key press by key press in a fixed interleaving; in two processes, two real
apps started together on a fresh database race through the same queue. A
third test holds the write lock longer than SQLite waits and checks the
learner gets a notice, not a crash.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import date
from pathlib import Path

from studyplan.review import CardChanged
from studyplan.service import Studyplan
from studyplan.store.db import _migrate, connect
from studyplan.ui.app import StudyplanApp, build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.review import ReviewScreen
from studyplan.ui.summary import SummaryScreen
from tests.helpers import FakeClock
from tests.robustness.harness import EOF, Driver, make_world, read_history

SIZE = (100, 32)
CHANGED = "answered in another studyplan window"


def front(app: StudyplanApp) -> str:
    return app.screen.query_one(CardView).text


def notices(app: StudyplanApp, words: str) -> int:
    return sum(words in n.message for n in app._notifications)


async def started(app: StudyplanApp, pilot) -> None:
    await app.workers.wait_for_complete()
    deadline = time.monotonic() + 20
    # The screen is current before its widgets are mounted: wait for both.
    while not (isinstance(app.screen, ReviewScreen) and app.screen.is_mounted and front(app)):
        assert time.monotonic() < deadline, "the review did not open"
        await pilot.pause(0.01)


async def test_two_apps_answer_one_queue_and_a_stale_answer_is_refreshed(tmp_path: Path) -> None:
    world = make_world(tmp_path, cards=3, new_per_day=3)

    def app() -> StudyplanApp:
        return build_app(
            world.db, world.config, start="review", clock=FakeClock(), bundled_decks=world.decks
        )

    one, two = app(), app()
    assert one.service.conn is not two.service.conn
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await started(one, p1)
        await started(two, p2)
        assert "question 000" in front(one) and "question 000" in front(two)
        await p1.press("space", "2")  # one fails card 0: it schedules it and drills it later
        assert "question 001" in front(one)
        await p2.press("space", "5")  # two still shows card 0 as it was: refreshed, not stored
        assert notices(two, CHANGED) == 1
        assert "question 001" in front(two)
        await p2.press("space", "4")  # two answers card 1 first this time
        await p1.press("space", "3")  # ... and one's answer to it is refused
        assert notices(one, CHANGED) == 1
        assert "question 002" in front(one) and "question 002" in front(two)
        await p1.press("space", "5")
        await p2.press("space", "1")  # refreshed; two's queue is now empty
        assert notices(two, CHANGED) == 2
        assert "question 000" in front(one)  # one's drill of the card it failed
        await p1.press("space", "4")
        await p1.pause()
        await p2.pause()
        assert isinstance(one.screen, SummaryScreen) and isinstance(two.screen, SummaryScreen)
        assert one.screen.summary.answers == 3 and two.screen.summary.answers == 1
    one.service.close()
    two.service.close()
    history = read_history(world.db)
    assert history.problems == []
    log = [(card, grade, drill) for _, card, grade, drill, _ in history.rows]
    assert log == [(1, 2, False), (2, 4, False), (3, 5, False), (1, 4, True)]
    assert set(history.scheduling_answers_per_day().values()) == {1}


def test_a_session_told_the_card_changed_keeps_the_fresh_state(tmp_path: Path) -> None:
    """The same race without the UI: the loser's answer raises CardChanged and writes nothing."""
    world = make_world(tmp_path, cards=2, new_per_day=2)
    a = Studyplan(world.db, world.config, clock=FakeClock(), bundled_decks=world.decks)
    b = Studyplan(world.db, world.config, clock=FakeClock(), bundled_decks=world.decks)
    a.sync_decks()
    first, second = a.start_review(), b.start_review()
    assert first.current == second.current
    done = first.answer(5)
    try:
        second.answer(5)
        raise AssertionError("a stale answer was accepted")
    except CardChanged:
        pass
    assert second.current is not None and second.current.id != done.card_id
    assert a.repo.card(done.card_id).state == done.after
    assert len(second.answers) == 0
    a.close()
    b.close()
    assert read_history(world.db).scheduling_answers_per_day() == {(done.card_id, a.today()): 1}


def test_migrating_a_file_another_instance_just_migrated_is_a_no_op(tmp_path: Path) -> None:
    """Two instances opening a new file at once both read schema 0; the one that gets
    the write lock second must not run the migrations again ('table deck already exists')."""
    path = tmp_path / "sp.db"
    first = connect(path)
    late = sqlite3.connect(path, isolation_level=None)
    _migrate(late, 0)  # what the second instance does after reading user_version 0
    assert (
        late.execute("PRAGMA user_version").fetchone()
        == first.execute("PRAGMA user_version").fetchone()
    )
    late.close()
    first.close()


def test_two_app_processes_race_through_the_same_queue(tmp_path: Path) -> None:
    """Two real apps start together on a new database and answer the same cards at full
    speed: each card gets one scheduling answer; the other instance reports it refreshed."""
    world = make_world(tmp_path, cards=12, new_per_day=12)
    started_at = time.monotonic()
    drivers = [Driver(world, barrier=True), Driver(world, barrier=True)]
    day = date(2026, 3, 2)
    rng = random.Random(7)
    queues = []
    try:
        for driver in drivers:  # both open the fresh file at once (schema, decks, backup)
            driver.go(day, rng.randrange(2**32))
        for driver in drivers:
            line = driver.next()
            assert line.kind == "READY", f"{line}\n{driver.errors()}"
            queues.append(int(line.args[0]))
        for driver in drivers:
            driver.send("START")
        outputs = [driver.rest() for driver in drivers]
        statuses = [driver.status for driver in drivers]
    finally:
        for driver in drivers:
            driver.stop()
    for driver, lines, status in zip(drivers, outputs, statuses, strict=True):
        assert status == 0 and lines[-1].kind == "FINISHED", f"{lines}\n{driver.errors()}"
        assert "OperationalError" not in driver.errors()
        assert "locked" not in driver.errors()
    assert queues == [12, 12]
    confirmed = [[ln.answer() for ln in lines if ln.kind == "CONFIRMED"] for lines in outputs]
    scheduled = [
        {ln.answer()[0] for ln in lines if ln.kind == "CONFIRMED" and ln.args[2] != "again"}
        for lines in outputs
    ]
    refreshed = [[ln.answer()[0] for ln in lines if ln.kind == "REFRESHED"] for lines in outputs]
    history = read_history(world.db)
    log = [(card, grade) for _, card, grade, _, _ in history.rows]
    found = sum(answer in log for answer in confirmed[0] + confirmed[1])
    print(
        f"\ntwo processes: answers confirmed {len(confirmed[0])} + {len(confirmed[1])}, "
        f"refreshed {len(refreshed[0])} + {len(refreshed[1])}, log {len(log)} rows, "
        f"found {found}, lost {len(confirmed[0]) + len(confirmed[1]) - found}, "
        f"{time.monotonic() - started_at:.1f} s"
    )
    assert EOF not in outputs[0] + outputs[1]
    assert history.problems == []
    # Every confirmed answer is stored, and nothing else is.
    assert sorted(log) == sorted(confirmed[0] + confirmed[1])
    # Each of the 12 cards was scheduled once, by one instance; the other refreshed it.
    assert scheduled[0].isdisjoint(scheduled[1])
    assert scheduled[0] | scheduled[1] == set(range(1, 13))
    assert sorted(refreshed[0]) == sorted(scheduled[1])
    assert sorted(refreshed[1]) == sorted(scheduled[0])
    assert set(history.scheduling_answers_per_day().values()) == {1}


async def test_a_write_lock_held_too_long_is_a_notice_and_the_grade_can_be_given_again(
    tmp_path: Path,
) -> None:
    """Another program keeps the database locked past SQLite's wait: the learner is told
    nothing was saved and stays on the card; once the lock is gone the grade is stored."""
    world = make_world(tmp_path, cards=2, new_per_day=2)
    app = build_app(
        world.db, world.config, start="review", clock=FakeClock(), bundled_decks=world.decks
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        app.service.conn.execute("PRAGMA busy_timeout = 50")  # instead of waiting 10 s
        other = sqlite3.connect(world.db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("space", "5")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, ReviewScreen)
            assert notices(app, "nothing was saved") == 1
            assert "question 000" in front(app) and "Answer 0." in front(app)
        finally:
            other.execute("ROLLBACK")
        await pilot.press("5")
        assert "question 001" in front(app)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("u")  # undo is refused the same way
            await pilot.pause()
            assert app.is_running and notices(app, "nothing was saved") == 2
            assert "question 001" in front(app)
        finally:
            other.execute("ROLLBACK")
            other.close()
        await pilot.press("u")
        assert "question 000" in front(app)
        await pilot.press("space", "4")
        assert "question 001" in front(app)
    app.service.close()
    history = read_history(world.db)
    assert history.problems == []
    assert [(card, grade) for _, card, grade, _, _ in history.rows] == [(1, 4)]
