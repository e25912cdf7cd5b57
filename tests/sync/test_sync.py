"""Sync through a shared folder: machines that merge each other's files, in any order and
any number of times, end with the same review log, card states, marks and streaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from studyplan.browser import Browser
from studyplan.cli import main
from studyplan.progress import Progress
from studyplan.service import Studyplan
from studyplan.sync import SyncError, sync_folder
from tests.helpers import FakeClock, last_answered_out_of_step, write_deck

CARDS = {f"Question {n}?": f"Answer {n}." for n in range(6)}


def machine(root: Path, name: str, clock: FakeClock, decks: Path) -> Studyplan:
    sp = Studyplan(root / f"{name}.db", root / f"{name}.toml", clock=clock, bundled_decks=decks)
    sp.change_settings(timezone="Europe/Berlin", bury_siblings=False, new_per_day=6)
    assert sp.sync_decks().errors == []
    return sp


@pytest.fixture
def world(tmp_path: Path):
    decks = tmp_path / "decks"
    write_deck(decks, "Shared", CARDS, deck_id="shared")
    folder = tmp_path / "Sync"
    folder.mkdir()
    return tmp_path, decks, folder


def sync(sp: Studyplan, folder: Path):
    return sync_folder(sp.db_path, folder)


def snapshot(sp: Studyplan) -> dict:
    """Everything that must agree between machines, keyed by what machines share."""
    assert last_answered_out_of_step(sp.conn) == []  # merges, undos, replays keep it
    log = sorted(
        sp.conn.execute(
            """
            SELECT card.key, answered_at, grade, review.is_drill, practice, after_repetitions,
                   after_ef_permille, after_interval, after_due, after_lapses
            FROM review JOIN card ON card.id = review.card_id
            """
        ).fetchall()
    )
    cards = sorted(
        sp.conn.execute(
            "SELECT key, repetitions, ef_permille, interval, due, lapses, suspended, buried_until, "
            "flag, leech FROM card"
        ).fetchall()
    )
    streak = Progress(sp).streak(spend=False)
    summary = streak.summary
    return {
        "log": log,
        "cards": cards,
        "streak": (summary.current, summary.longest, streak.answers_by_day),
    }


def answer(sp: Studyplan, grade: int, index: int = 0):
    session = sp.start_review(monotonic=lambda: 0.0)
    if not session.queue:
        return None
    session.queue = (
        session.queue[index % len(session.queue) :] + session.queue[: index % len(session.queue)]
    )
    card = session.current
    session.answer(grade)
    return card, session


def test_two_machines_merge_to_the_same_log_and_states(world) -> None:
    root, decks, folder = world
    a_clock, b_clock = FakeClock(), FakeClock()
    b_clock.advance(minutes=7)  # a different time on each machine
    a, b = machine(root, "a", a_clock, decks), machine(root, "b", b_clock, decks)
    given = 0
    for _day in range(4):
        for n in range(3):
            given += answer(a, 5 - n, n) is not None
            given += answer(b, 3 + n % 3, n + 1) is not None
            a_clock.advance(minutes=2)
            b_clock.advance(minutes=2)
        a_clock.advance(days=1)
        b_clock.advance(days=1)
    first = sync(a, folder)
    assert first.sent > 0 and first.received == 0
    second = sync(b, folder)
    assert second.received == first.sent and second.machines == 1
    third = sync(a, folder)
    assert third.received == second.sent
    assert snapshot(a) == snapshot(b)
    assert len(snapshot(a)["log"]) == given > 12
    again = sync(b, folder), sync(a, folder)  # nothing new: nothing changes
    assert [r.received for r in again] == [0, 0] and snapshot(a) == snapshot(b)


def test_the_same_card_on_both_machines_on_one_day_obeys_the_replay_rule(world) -> None:
    root, decks, folder = world
    a_clock, b_clock = FakeClock(), FakeClock()
    a, b = machine(root, "a", a_clock, decks), machine(root, "b", b_clock, decks)
    card, _ = answer(a, 2)  # 10:00: wrong
    b_clock.advance(hours=1)
    card_b, _ = answer(b, 5)  # 11:00 on the other machine: perfect
    assert card.key == card_b.key
    for _ in range(2):
        sync(a, folder), sync(b, folder)
    rows = a.conn.execute(
        "SELECT grade, is_drill, after_interval FROM review ORDER BY julianday(answered_at)"
    ).fetchall()
    # The first answer of the study day schedules; the later one is a drill.
    assert rows == [(2, 0, 1), (5, 1, 1)]
    assert snapshot(a) == snapshot(b)


def test_an_undo_on_one_machine_reaches_the_other(world) -> None:
    root, decks, folder = world
    clock = FakeClock()
    a, b = machine(root, "a", clock, decks), machine(root, "b", FakeClock(), decks)
    _, session = answer(a, 5)
    sync(a, folder), sync(b, folder)
    assert b.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 1
    session.undo()
    sync(a, folder), sync(b, folder)
    assert b.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 0
    assert snapshot(a) == snapshot(b)
    assert all(row[1] is None for row in [(r[0], r[4]) for r in snapshot(b)["cards"]])


def test_card_actions_merge_to_the_latest_of_each_mark(world) -> None:
    root, decks, folder = world
    a_clock, b_clock = FakeClock(), FakeClock()
    a, b = machine(root, "a", a_clock, decks), machine(root, "b", b_clock, decks)
    first = Browser(a).search("question 1")
    Browser(a).act(first, "suspend")
    b_clock.advance(minutes=5)
    Browser(b).act(Browser(b).search("question 1"), "flag", flag=3)
    b_clock.advance(minutes=5)
    Browser(b).act(Browser(b).search("question 2"), "bury")
    Browser(b).undo()  # the bury is taken back before any sync
    for _ in range(2):
        sync(b, folder), sync(a, folder)
    assert snapshot(a) == snapshot(b)
    marks = a.conn.execute(
        "SELECT suspended, flag, buried_until FROM card WHERE key LIKE '%' AND id = ?", (first[0],)
    ).fetchone()
    assert marks == (1, 3, None)
    assert Browser(a).search("is:buried") == []


def test_undo_in_the_browser_takes_back_only_this_machines_own_actions(world) -> None:
    """A merged action is no key press made here: undo passes over it (before, one undo
    after a sync took back every action merged from other machines at once)."""
    root, decks, folder = world
    a_clock, b_clock = FakeClock(), FakeClock()
    a, b = machine(root, "a", a_clock, decks), machine(root, "b", b_clock, decks)
    mine = Browser(a).search("question 1")
    Browser(a).act(mine, "suspend")
    b_clock.advance(minutes=5)
    theirs = Browser(b).search("question 2")
    Browser(b).act(theirs, "flag", flag=3)
    sync(b, folder), sync(a, folder)
    flag = "SELECT suspended, flag FROM card WHERE id = ?"
    assert a.conn.execute(flag, (theirs[0],)).fetchone() == (0, 3)
    assert Browser(a).undo() == "Undone: 1 card suspended."
    assert Browser(a).undo() is None
    assert a.conn.execute(flag, (mine[0],)).fetchone() == (0, 0)
    assert a.conn.execute(flag, (theirs[0],)).fetchone() == (0, 3)


def test_a_torn_last_line_waits_and_a_damaged_file_is_one_sentence(world) -> None:
    root, decks, folder = world
    a, b = machine(root, "a", FakeClock(), decks), machine(root, "b", FakeClock(), decks)
    answer(a, 5)
    answer(a, 4, 1)
    sync(a, folder)
    path = next(folder.glob("studyplan-*.jsonl"))
    whole = path.read_bytes()
    path.write_bytes(whole[:-20])  # the last event is still being written
    report = sync(b, folder)
    assert report.received == 1 and not report.problems
    path.write_bytes(whole)  # the write completes
    assert sync(b, folder).received == 1
    assert snapshot(a)["log"] == snapshot(b)["log"]
    # Another machine's damaged file: named, skipped; nothing here changes.
    before = snapshot(b)
    (folder / "studyplan-zzz.jsonl").write_text(
        '{"studyplan_sync": 1, "machine": "zzz"}\n{not json\n'
    )
    report = sync(b, folder)
    assert report.problems == [
        f"{folder / 'studyplan-zzz.jsonl'}:2: holds a line that is not JSON (the file is damaged); the file was skipped"
    ]
    assert snapshot(b) == before
    (folder / "studyplan-zzz.jsonl").write_text('{"studyplan_sync": 9, "machine": "zzz"}\n')
    assert "written by a newer studyplan" in sync(b, folder).problems[0]


def test_events_for_a_deck_not_here_yet_wait_for_it(world) -> None:
    root, decks, folder = world
    own = root / "own"
    write_deck(own, "Mine", {"Own question?": "Own answer."}, deck_id="mine")
    a = machine(root, "a", FakeClock(), decks)
    assert a.import_path(own).errors == []
    b = machine(root, "b", FakeClock(), decks)
    a.change_settings(new_per_day=20)
    session = a.start_review(monotonic=lambda: 0.0)
    while session.current is not None:
        session.answer(5)
    sync(a, folder)
    report = sync(b, folder)
    assert report.pending == 1  # the answer to "Own question?"
    assert b.import_path(own).errors == []  # the learner's own file sync brings the deck
    report = sync(b, folder)
    assert report.pending == 0
    assert snapshot(a) == snapshot(b)


def test_a_restore_from_backup_then_a_merge_loses_nothing(world) -> None:
    root, decks, folder = world
    clock = FakeClock()
    a, b = machine(root, "a", clock, decks), machine(root, "b", FakeClock(), decks)
    answer(a, 5)
    sync(a, folder)
    backup = a.backup_now()
    answer(a, 4, 1)
    answer(a, 3, 2)
    sync(a, folder)
    a.restore(backup)  # back to one answer, but the folder holds three
    answer(a, 5, 3)  # a new answer after the restore
    sync(a, folder), sync(b, folder), sync(a, folder)
    assert len(snapshot(a)["log"]) == 4
    assert snapshot(a) == snapshot(b)
    ids = [
        json.loads(line)["id"]
        for line in next(folder.glob("studyplan-*.jsonl")).read_text().splitlines()[1:]
    ]
    assert len(ids) == len(set(ids))  # no event number used twice


def test_sync_needs_a_folder(tmp_path: Path, capsys) -> None:
    with pytest.raises(SyncError, match="is not a folder"):
        sync_folder(tmp_path / "db.sqlite", tmp_path / "missing")
    argv = ["--db", str(tmp_path / "sp.db"), "--config", str(tmp_path / "c.toml")]
    assert main([*argv, "sync"]) == 1
    assert "studyplan config sync_folder" in capsys.readouterr().err
    (tmp_path / "shared").mkdir()
    assert main([*argv, "sync", str(tmp_path / "shared")]) == 0
    assert capsys.readouterr().out.startswith("Synced: sent 0 events")


class ThreeMachines(RuleBasedStateMachine):
    """Answers, undos and card actions on three machines with skewed clocks, merged in
    any order any number of times: after every machine has synced twice, all agree."""

    def __init__(self) -> None:
        super().__init__()
        self.root: Path | None = None

    @initialize(skews=st.lists(st.integers(-90, 90), min_size=3, max_size=3))
    def setup(self, skews: list[int]) -> None:
        import tempfile

        self.root = Path(tempfile.mkdtemp())
        decks = self.root / "decks"
        write_deck(decks, "Shared", CARDS, deck_id="shared")
        self.folder = self.root / "Sync"
        self.folder.mkdir()
        self.clocks = [FakeClock() for _ in range(3)]
        for clock, skew in zip(self.clocks, skews, strict=True):
            clock.advance(minutes=skew)
        self.machines = [machine(self.root, f"m{i}", c, decks) for i, c in enumerate(self.clocks)]
        self.sessions: list = [None, None, None]

    @rule(m=st.integers(0, 2), grade=st.integers(0, 5), index=st.integers(0, 5))
    def answer(self, m: int, grade: int, index: int) -> None:
        done = answer(self.machines[m], grade, index)
        self.sessions[m] = done[1] if done else None
        self.clocks[m].advance(minutes=3)

    @precondition(lambda self: any(s is not None and s.can_undo for s in self.sessions))
    @rule(m=st.integers(0, 2))
    def undo(self, m: int) -> None:
        session = self.sessions[m]
        if session is not None and session.can_undo:
            session.undo()
            self.sessions[m] = None

    @rule(
        m=st.integers(0, 2),
        index=st.integers(0, 5),
        action=st.sampled_from(["suspend", "unsuspend", "flag", "bury", "reset"]),
    )
    def act(self, m: int, index: int, action: str) -> None:
        browser = Browser(self.machines[m])
        ids = browser.search("")
        browser.act([ids[index % len(ids)]], action, flag=2)
        self.clocks[m].advance(minutes=1)
        self.sessions[m] = None

    @rule(m=st.integers(0, 2), minutes=st.integers(1, 90), done=st.booleans(), undo=st.booleans())
    def plan_work(self, m: int, minutes: int, done: bool, undo: bool) -> None:
        from studyplan.store.plan_repo import PlanRepository

        sp, clock = self.machines[m], self.clocks[m]
        plans = PlanRepository(sp.conn)
        record = plans.record_block("p", "t", minutes, sp.today(), clock(), "UTC")
        plans.set_topic_done("p", "t", done, sp.today(), clock())
        if undo:
            plans.undo_block(record)
        clock.advance(minutes=2)

    @rule(m=st.integers(0, 2))
    def sync_one(self, m: int) -> None:
        assert not sync(self.machines[m], self.folder).problems
        self.sessions[m] = None

    @rule(days=st.integers(1, 3))
    def next_day(self, days: int) -> None:
        for clock in self.clocks:
            clock.advance(days=days)
        self.sessions = [None, None, None]

    @invariant()
    def nothing_lost_locally(self) -> None:
        for sp in getattr(self, "machines", []):
            assert sp.conn.execute("PRAGMA foreign_key_check").fetchall() == []

    def teardown(self) -> None:
        if not getattr(self, "machines", None):
            return
        for _ in range(2):
            for sp in self.machines:
                assert not sync(sp, self.folder).problems
        snaps = [snapshot(sp) for sp in self.machines]
        assert snaps[0] == snaps[1] == snaps[2]
        plans = [
            (
                sorted(sp.conn.execute("SELECT minutes, study_day, recorded_at FROM study_block")),
                sp.conn.execute("SELECT COUNT(*) FROM topic_done").fetchone(),
            )
            for sp in self.machines
        ]
        assert plans[0] == plans[1] == plans[2]
        for sp in self.machines:
            sp.close()


ThreeMachines.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
)
test_three_machines_converge = ThreeMachines.TestCase


def test_the_later_change_to_a_mark_wins_whichever_machine_merges_first(world) -> None:
    root, decks, folder = world
    a_clock, b_clock = FakeClock(), FakeClock()
    a, b = machine(root, "a", a_clock, decks), machine(root, "b", b_clock, decks)
    card = Browser(a).search("question 3")
    Browser(a).act(card, "suspend")
    a_clock.advance(minutes=10)
    Browser(a).act(card, "unsuspend")  # a's last word, at 10 past
    b_clock.advance(minutes=5)
    Browser(b).act(Browser(b).search("question 3"), "suspend")  # b's, at 5 past
    sync(a, folder), sync(b, folder), sync(a, folder)
    assert snapshot(a) == snapshot(b)
    assert Browser(a).search("is:suspended") == [] == Browser(b).search("is:suspended")


def test_plan_progress_and_time_off_travel_too(world) -> None:
    from datetime import date

    from studyplan.core.plan.timeoff import TimeOff
    from studyplan.store.plan_repo import PlanRepository
    from studyplan.store.time_off_repo import TimeOffRepository

    root, decks, folder = world
    a_clock, b_clock = FakeClock(), FakeClock()
    a, b = machine(root, "a", a_clock, decks), machine(root, "b", b_clock, decks)
    day = date(2026, 3, 2)
    plans_a, plans_b = PlanRepository(a.conn), PlanRepository(b.conn)
    kept = plans_a.record_block("three-month", "python-basics", 45, day, a_clock(), "UTC")
    gone = plans_a.record_block("three-month", "numpy", 30, day, a_clock(), "UTC", kind="log")
    plans_a.set_topic_done("three-month", "python-basics", True, day, a_clock())
    TimeOffRepository(a.conn).add(TimeOff(date(2026, 4, 1), date(2026, 4, 3), "trip"), a_clock())
    sync(a, folder), sync(b, folder)
    plans_a.undo_block(gone)  # after it was sent
    b_clock.advance(minutes=30)  # b says the topic is not finished after all, later
    plans_b.set_topic_done("three-month", "python-basics", False, day, b_clock())
    off = TimeOffRepository(b.conn).ranges()
    TimeOffRepository(b.conn).remove(off[0])
    for _ in range(2):
        sync(a, folder), sync(b, folder)

    def plan_state(sp: Studyplan) -> tuple:
        blocks = sp.conn.execute(
            "SELECT plan_id, topic_id, minutes, study_day, kind FROM study_block ORDER BY 1, 2"
        ).fetchall()
        done = sp.conn.execute("SELECT plan_id, topic_id FROM topic_done").fetchall()
        offs = sp.conn.execute("SELECT first_day, last_day, note FROM time_off").fetchall()
        return blocks, done, offs

    assert (
        plan_state(a)
        == plan_state(b)
        == (
            [("three-month", "python-basics", 45, "2026-03-02", "block")],
            [],
            [],
        )
    )
    assert kept.minutes == 45


ANSWER = (
    '{"id": "zzz-1", "kind": "answer", "deck": "shared", "card": "x", "answered_at": '
    '"2026-03-02T09:00:00+00:00", "zone": "UTC", "study_day": "2026-03-02", "grade": 4}'
)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (ANSWER.replace('"grade": 4', '"grade": NaN'), "holds a line that is not JSON"),
        (ANSWER + " {}", "holds a line that is not JSON"),
        ("[" * 5000 + "]" * 5000, "holds a line that is not JSON"),  # too deep to read
        ("[1]", "holds a line that is not an event"),
        (ANSWER.replace('"deck": "shared"', '"deck": ["shared"]'), "whose deck or card is no text"),
        (ANSWER.replace('"zone": "UTC"', '"zone": {}'), "whose moment or zone is no text"),
        (ANSWER.replace('"grade": 4', '"grade": 4, "took_ms": "1s"'), "took_ms is no whole"),
        (
            ANSWER.replace('"study_day": "2026-03-02"', '"study_day": 3'),
            "study day that is no date",
        ),
        (
            '{"id": "zzz-2", "kind": "block", "plan": "p", "topic": "t", "minutes": "45", '
            '"study_day": "2026-03-02", "recorded_at": "x", "zone": "UTC", "block_kind": "log"}',
            "minutes are no whole number",
        ),
    ],
    ids=["nan", "two-values", "deep", "list", "deck", "zone", "took", "day", "minutes"],
)
def test_a_field_a_merge_could_not_store_is_one_sentence(world, line: str, problem: str) -> None:
    root, decks, folder = world
    b = machine(root, "b", FakeClock(), decks)
    before = snapshot(b)
    path = folder / "studyplan-zzz.jsonl"
    path.write_text(
        '{"studyplan_sync": 1, "machine": "zzz"}\n'
        + ANSWER.replace("zzz-1", "zzz-0")
        + "\n"
        + line
        + "\n"
    )
    report = sync(b, folder)
    assert len(report.problems) == 1
    assert report.problems[0].startswith(f"{path}:3: ") and problem in report.problems[0]
    assert report.problems[0].endswith("; the file was skipped")
    assert snapshot(b) == before  # not even the good line before it


def test_a_machine_does_not_read_back_what_it_has_just_written(world) -> None:
    root, decks, folder = world
    a = machine(root, "a", FakeClock(), decks)
    answer(a, 5)
    answer(a, 4, 1)
    assert sync(a, folder).sent == 2
    path = next(folder.glob("studyplan-*.jsonl"))
    offset, line = a.conn.execute(
        "SELECT offset, line FROM sync_peer WHERE file = ?", (path.name,)
    ).fetchone()
    assert (offset, line) == (path.stat().st_size, 4)  # the header and two events read
    lines = path.read_text().splitlines()
    assert [json.loads(text)["kind"] for text in lines[1:]] == ["answer", "answer"]
    assert json.loads(lines[1])["practice"] is False and json.loads(lines[1])["seq"] == 1


def test_a_file_written_by_the_previous_release_still_merges(world) -> None:
    root, decks, folder = world
    b = machine(root, "b", FakeClock(), decks)
    (card,) = b.conn.execute(
        "SELECT card.key FROM card JOIN deck ON deck.id = card.deck_id "
        "WHERE deck.key = 'shared' ORDER BY card.id LIMIT 1"
    ).fetchone()
    old = {  # every key sorted, as the first release wrote each line
        "answered_at": "2026-03-02T09:00:00+01:00",
        "card": card,
        "days_late": 0,
        "deck": "shared",
        "grade": 4,
        "id": "old-1",
        "kind": "answer",
        "practice": False,
        "seq": 1,
        "study_day": "2026-03-02",
        "took_ms": 1200,
        "zone": "Europe/Berlin",
    }
    (folder / "studyplan-old.jsonl").write_text(
        json.dumps({"machine": "old", "studyplan_sync": 1}, sort_keys=True)
        + "\n"
        + json.dumps(old, sort_keys=True)
        + "\n"
    )
    report = sync(b, folder)
    assert (report.received, report.problems) == (1, [])
    assert b.conn.execute(
        "SELECT grade, took_ms, after_interval, after_due FROM review"
    ).fetchall() == [(4, 1200, 1, "2026-03-03")]
