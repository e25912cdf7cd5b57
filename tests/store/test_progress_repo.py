"""Progress in the store on a temporary SQLite file: study days, the day_total cache,
noted due counts, freezes; and Progress on top of it: freezes spent, rest weekdays,
the clock warning, a clock that jumped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from studyplan.core.plan.schedule import Enrolment
from studyplan.core.streaks import DayRecord
from studyplan.progress import Progress
from studyplan.service import Studyplan
from studyplan.store.plan_repo import PlanRepository
from studyplan.store.progress_repo import DayActivity, ProgressRepository
from studyplan.ui.charts import streak_lines
from tests.helpers import FakeClock, answer_on, write_deck

MON = date(2026, 3, 2)
CARDS = {f"Q{i}?": f"A{i}" for i in range(1, 13)}


def day(n: int) -> date:
    """The study day ``n`` days after Monday 2 March 2026."""
    return MON + timedelta(days=n)


def morning(d: date, hour: int = 9) -> datetime:
    """``hour`` o'clock in Berlin on ``d`` (UTC+1 in March), as an aware UTC moment."""
    return datetime(d.year, d.month, d.day, hour - 1, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(morning(day(18)))


def open_studyplan(tmp_path: Path, clock: FakeClock) -> Studyplan:
    folder = tmp_path / "bundled"
    if not folder.exists():
        write_deck(folder, "Deck", CARDS)
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "config.toml", clock=clock, bundled_decks=folder)
    sp.sync_decks()
    return sp


@pytest.fixture
def sp(tmp_path: Path, clock: FakeClock) -> Studyplan:
    studyplan = open_studyplan(tmp_path, clock)
    yield studyplan
    studyplan.close()


def card(sp: Studyplan, front: str) -> int:
    return sp.conn.execute("SELECT id FROM card WHERE front = ?", (front,)).fetchone()[0]


def table(sp: Studyplan, name: str) -> list[tuple]:
    return sp.conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def block(sp: Studyplan, d: date, topic: str = "t") -> None:
    PlanRepository(sp.conn).record_block("plan", topic, 30, d, morning(d), "Europe/Berlin")


def as_tuples(days: list[DayActivity]) -> list[tuple]:
    """(day, answers, reviews, due, due_reviewed, blocks) per study day."""
    return [
        (
            a.record.day,
            a.answers,
            a.record.reviews,
            a.record.due,
            a.record.due_reviewed,
            a.record.blocks_done,
        )
        for a in days
    ]


def history(sp: Studyplan) -> None:
    """Four study days of answers, drills, blocks and noted due counts."""
    repo = ProgressRepository(sp.conn)
    q1, q2, q3 = card(sp, "Q1?"), card(sp, "Q2?"), card(sp, "Q3?")
    # Mon: two new cards (not due: they had no due date), one failed and drilled.
    answer_on(sp, q1, day(0), 4)
    answer_on(sp, q2, day(0), 2)
    answer_on(sp, q2, day(0), 4, drill=True)
    # Tue: both are due today (interval 1) and answered; a third new card.
    assert sp.repo.card(q1).state.due == day(1) == sp.repo.card(q2).state.due
    answer_on(sp, q1, day(1), 5)
    answer_on(sp, q2, day(1), 4)
    answer_on(sp, q3, day(1), 4)
    # Wed: five cards were noted due; Q1 (due next Monday) is answered early; two blocks.
    repo.note_due(day(2), 5, morning(day(2)))
    assert sp.repo.card(q1).state.due > day(2)
    answer_on(sp, q1, day(2), 3)
    block(sp, day(2), "a")
    block(sp, day(2), "b")
    # Thu: a block only.  Fri: only a noted due count (the app was opened, nothing done).
    block(sp, day(3))
    repo.note_due(day(4), 4, morning(day(4)))


EXPECTED = [
    # day, answers (drills too), reviews, due, due_reviewed, blocks
    (day(0), 3, 2, 0, 0, 0),
    (day(1), 3, 3, 2, 2, 0),  # no day_due row: due is what was answered of the due cards
    (day(2), 1, 1, 5, 0, 2),  # answered before it was due: not a due card reviewed
    (day(3), 0, 0, 0, 0, 1),
    (day(4), 0, 0, 4, 0, 0),
]


def test_activity_sums_each_study_day(sp: Studyplan) -> None:
    history(sp)
    days = ProgressRepository(sp.conn).activity(day(18))
    assert as_tuples(days) == EXPECTED
    assert all(isinstance(a.record, DayRecord) for a in days)


def test_an_empty_store_has_no_activity(sp: Studyplan) -> None:
    repo = ProgressRepository(sp.conn)
    assert repo.activity(day(18)) == []
    assert repo.freezes() == frozenset()
    assert repo.answers_since(day(0)) == []
    assert repo.newest_answer() is None
    assert table(sp, "day_total") == []


def test_closed_days_are_cached_and_read_back_the_same(sp: Studyplan) -> None:
    history(sp)
    repo = ProgressRepository(sp.conn)
    first = repo.activity(day(18))
    # Days with answers older than two days are cached; blocks and due counts are not.
    assert table(sp, "day_total") == [
        ("2026-03-02", 3, 2, 0),
        ("2026-03-03", 3, 3, 2),
        ("2026-03-04", 1, 1, 0),
    ]
    assert repo.activity(day(18)) == first
    assert ProgressRepository(sp.conn).activity(day(19)) == first
    # A closed day is read from the cache, not from the log again.
    sp.conn.execute("DELETE FROM review WHERE study_day = '2026-03-02'")
    assert as_tuples(repo.activity(day(18)))[0] == (day(0), 3, 2, 0, 0, 0)


def test_days_that_close_later_are_added_to_the_cache(sp: Studyplan) -> None:
    history(sp)
    repo = ProgressRepository(sp.conn)
    repo.activity(day(18))
    answer_on(sp, card(sp, "Q4?"), day(19), 4)
    answer_on(sp, card(sp, "Q5?"), day(19), 4)
    assert as_tuples(repo.activity(day(20)))[-1] == (day(19), 2, 2, 0, 0, 0)
    assert len(table(sp, "day_total")) == 3  # the 19th is still open on the 20th
    after = repo.activity(day(22))
    assert table(sp, "day_total")[-1] == ("2026-03-21", 2, 2, 0)
    assert as_tuples(after) == [*EXPECTED, (day(19), 2, 2, 0, 0, 0)]


@pytest.mark.parametrize("back", [0, 1, 2])
def test_days_within_two_days_of_today_are_counted_again(sp: Studyplan, back: int) -> None:
    today = day(10)
    repo = ProgressRepository(sp.conn)
    answered = day(10 - back)
    answer_on(sp, card(sp, "Q1?"), answered, 4)
    last = answer_on(sp, card(sp, "Q2?"), answered, 4)
    answer_on(sp, card(sp, "Q3?"), day(5), 4)  # an old, closed day
    assert as_tuples(repo.activity(today)) == [
        (day(5), 1, 1, 0, 0, 0),
        (answered, 2, 2, 0, 0, 0),
    ]
    assert [row[0] for row in table(sp, "day_total")] == ["2026-03-07"]
    # An undo in a session that ran past the rollover changes that day.
    sp.repo.undo(last)
    assert as_tuples(repo.activity(today)) == [
        (day(5), 1, 1, 0, 0, 0),
        (answered, 1, 1, 0, 0, 0),
    ]


def test_a_day_cached_while_the_clock_ran_ahead_is_counted_again(sp: Studyplan) -> None:
    """Opening the app with a clock months ahead must not freeze today's counts for good."""
    repo = ProgressRepository(sp.conn)
    today = day(10)
    for front in ("Q1?", "Q2?", "Q3?"):
        answer_on(sp, card(sp, front), day(9), 4)  # all three due on the 12th
    repo.note_due(today, 3, morning(today))
    answer_on(sp, card(sp, "Q1?"), today, 4)
    undone = answer_on(sp, card(sp, "Q4?"), today, 4)
    repo.activity(date(2026, 7, 1))  # the clock read 1 July for a moment
    assert "2026-03-12" in [row[0] for row in table(sp, "day_total")]
    # Back on the 12th: one answer taken back, the other two due cards answered.
    sp.repo.undo(undone)
    answer_on(sp, card(sp, "Q2?"), today, 4)
    answer_on(sp, card(sp, "Q3?"), today, 4)
    later = {a.record.day: a for a in repo.activity(day(14))}
    assert later[today].answers == 3
    assert later[today].record == DayRecord(today, reviews=3, due=3, due_reviewed=3)


def test_note_due_keeps_the_first_count_of_the_day(sp: Studyplan) -> None:
    repo = ProgressRepository(sp.conn)
    repo.note_due(day(3), 5, morning(day(3), 9))
    repo.note_due(day(3), 9, morning(day(3), 15))
    repo.note_due(day(4), 0, morning(day(4)))
    assert table(sp, "day_due") == [
        ("2026-03-05", 5, morning(day(3), 9).isoformat()),
        ("2026-03-06", 0, morning(day(4)).isoformat()),
    ]
    assert [(a.record.day, a.record.due) for a in repo.activity(day(18))] == [
        (day(3), 5),
        (day(4), 0),
    ]


def test_progress_notes_the_cards_due_when_the_day_is_first_seen(
    sp: Studyplan, clock: FakeClock
) -> None:
    for front in ("Q1?", "Q2?", "Q3?"):
        answer_on(sp, card(sp, front), day(17), 4)  # due tomorrow, the 18th
    progress = Progress(sp)
    progress.note_today()
    answer_on(sp, card(sp, "Q1?"), day(18), 4)
    progress.note_today()  # later the same day: kept
    assert ProgressRepository(sp.conn).activity(day(18))[-1].record == DayRecord(
        day(18), reviews=1, due=3, due_reviewed=1
    )


def test_freezes_persist_across_connections(tmp_path: Path, sp: Studyplan, clock) -> None:
    repo = ProgressRepository(sp.conn)
    repo.spend_freezes(frozenset(), morning(day(5)))
    assert table(sp, "streak_freeze") == []
    repo.spend_freezes(frozenset({day(4), day(2)}), morning(day(5)))
    repo.spend_freezes(frozenset({day(4)}), morning(day(6)))  # already spent: kept as it was
    sp.close()
    again = open_studyplan(tmp_path, clock)
    try:
        assert ProgressRepository(again.conn).freezes() == {day(2), day(4)}
        assert table(again, "streak_freeze") == [
            ("2026-03-04", morning(day(5)).isoformat()),
            ("2026-03-06", morning(day(5)).isoformat()),
        ]
    finally:
        again.close()


def test_answers_since_lists_every_answer_from_a_day_on(sp: Studyplan, tmp_path: Path) -> None:
    write_deck(tmp_path / "bundled", "Other", {"X?": "x"})
    sp.sync_decks()
    answer_on(sp, card(sp, "Q1?"), day(1), 5)
    answer_on(sp, card(sp, "Q2?"), day(2), 1)
    answer_on(sp, card(sp, "Q2?"), day(2), 4, drill=True)
    answer_on(sp, card(sp, "X?"), day(3), 3)
    repo = ProgressRepository(sp.conn)
    assert sorted(repo.answers_since(day(2))) == [
        (day(2), "Deck", 1, False),
        (day(2), "Deck", 4, True),
        (day(3), "Other", 3, False),
    ]
    assert len(repo.answers_since(day(0))) == 4
    assert repo.answers_since(day(4)) == []


def test_newest_answer_is_the_last_one_recorded(sp: Studyplan) -> None:
    repo = ProgressRepository(sp.conn)
    answer_on(sp, card(sp, "Q1?"), day(1), 4, hour=20)
    answer_on(sp, card(sp, "Q2?"), day(2), 4, hour=7)
    moment, study_day = repo.newest_answer()
    assert moment == morning(day(2), 7) and moment.utcoffset() is not None
    assert study_day == day(2)


# -- Progress ----------------------------------------------------------------


def qualifying_days(sp: Studyplan, first: int, last: int) -> None:
    """One new card answered on each day from ``first`` to ``last``: each meets the goal."""
    for n in range(first, last + 1):
        answer_on(sp, card(sp, f"Q{n - first + 1}?"), day(n), 4)


def test_a_freeze_is_spent_on_a_missed_day_once(tmp_path: Path, sp: Studyplan, clock) -> None:
    qualifying_days(sp, 0, 6)  # Mon 2 to Sun 8 March: seven days earn one freeze
    clock.now = morning(day(8))  # Tue 10 March; Mon 9 was missed
    progress = Progress(sp)
    preview = progress.streak(spend=False)
    assert preview.newly_frozen == {day(7)}
    assert ProgressRepository(sp.conn).freezes() == frozenset()  # not spent by a preview
    streak = progress.streak()
    assert streak.newly_frozen == {day(7)}
    assert ProgressRepository(sp.conn).freezes() == {day(7)}
    summary = streak.summary
    assert (summary.current, summary.freezes_held, summary.frozen_days_in_current) == (7, 0, 1)
    again = progress.streak()
    assert again.newly_frozen == frozenset()
    assert again.summary == summary
    sp.close()
    reopened = Progress(open_studyplan(tmp_path, clock))
    try:
        assert reopened.streak().newly_frozen == frozenset()
        assert reopened.streak().summary == summary
    finally:
        reopened.studyplan.close()


def test_without_a_freeze_a_missed_day_ends_the_streak(sp: Studyplan, clock) -> None:
    qualifying_days(sp, 0, 4)
    clock.now = morning(day(6))  # the 7th missed, no freeze held
    streak = Progress(sp).streak()
    assert streak.newly_frozen == frozenset()
    assert (streak.summary.current, streak.summary.longest) == (0, 5)
    assert ProgressRepository(sp.conn).freezes() == frozenset()


def test_rest_weekdays_come_from_the_enrolments_weekly_minutes(sp: Studyplan, clock) -> None:
    progress = Progress(sp)
    assert progress.rest_weekdays() == frozenset()
    plans = PlanRepository(sp.conn)
    plans.enrol(Enrolment("a", MON, "start", (60, 60, 60, 60, 60, 0, 0)), morning(MON))
    assert progress.rest_weekdays() == {5, 6}
    plans.enrol(Enrolment("b", MON, "start", (0, 0, 0, 0, 0, 45, 0)), morning(MON))
    assert progress.rest_weekdays() == {6}
    plans.leave("b")
    assert progress.rest_weekdays() == {5, 6}
    # Mon to Fri studied, the weekend rests: on Monday the run goes on, no freeze spent.
    qualifying_days(sp, 0, 4)
    clock.now = morning(day(7))
    streak = progress.streak()
    assert (streak.summary.current, streak.summary.bridged_days_in_current) == (5, 2)
    assert streak.newly_frozen == frozenset()
    plans.leave("a")  # without a plan the weekend was missed
    assert progress.streak().summary.current == 0


def test_clock_warning_when_the_clock_reads_before_the_last_answer(
    sp: Studyplan, clock: FakeClock
) -> None:
    progress = Progress(sp)
    assert progress.clock_warning() is None  # nothing answered yet
    clock.now = morning(day(3), 12)
    answer_on(sp, card(sp, "Q1?"), day(3), 4, hour=12)
    assert progress.clock_warning() is None
    clock.advance(minutes=1)
    assert progress.clock_warning() is None
    clock.now = morning(day(3), 11)
    warning = progress.clock_warning()
    assert warning == (
        "Your clock reads 2026-03-05 11:00, earlier than your last answer "
        "(2026-03-05 12:00); check the system clock. Nothing stored was changed."
    )
    clock.now = morning(day(1))
    assert "earlier than your last answer" in progress.clock_warning()


def test_a_clock_months_ahead_ends_the_streak_honestly(sp: Studyplan, clock: FakeClock) -> None:
    qualifying_days(sp, 0, 9)  # ten days: one freeze held
    clock.now = morning(day(10))
    progress = Progress(sp)
    before = progress.streak().summary
    assert (before.current, before.freezes_held) == (10, 1)
    clock.now = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    stats = progress.statistics()
    summary = stats.streak.summary
    assert (summary.current, summary.longest, summary.freezes_held) == (0, 10, 1)
    assert stats.streak.newly_frozen == frozenset()  # too many missed days: none spent
    assert ProgressRepository(sp.conn).freezes() == frozenset()
    assert streak_lines(summary)[:2] == ["No current streak", "Longest: 10 days"]
    numbers = [
        summary.current,
        summary.bridged_days_in_current,
        summary.qualifying_days,
        summary.days_to_next_freeze,
        stats.streak.heatmap.total,
        stats.streak.heatmap.active_days,
        *(d.reviews for d in stats.forecast),
        *(d.minutes for d in stats.forecast),
        *stats.streak.answers_by_day.values(),
    ]
    assert min(numbers) >= 0
    assert stats.forecast[0].reviews == 10  # every card answered is overdue on the day itself
    assert stats.streak.heatmap.total == 10  # March is still inside the year shown
    assert progress.clock_warning() is None
    # The clock set right again: the run was never broken.
    clock.now = morning(day(10))
    assert progress.streak().summary.current == 10
    assert progress.clock_warning() is None


def test_the_newest_answer_is_the_latest_moment_not_the_last_row(sp: Studyplan) -> None:
    repo = ProgressRepository(sp.conn)
    answer_on(sp, card(sp, "Q1?"), day(5), 4, hour=12)
    answer_on(sp, card(sp, "Q2?"), day(3), 4, hour=12)  # inserted last, with the clock back
    moment, study_day = repo.newest_answer()
    assert (moment, study_day) == (morning(day(5), 12), day(5))


def test_with_the_clock_set_back_the_warning_stays_after_another_answer(
    sp: Studyplan, clock: FakeClock
) -> None:
    progress = Progress(sp)
    clock.now = morning(day(5), 12)
    answer_on(sp, card(sp, "Q1?"), day(5), 4, hour=12)
    clock.now = morning(day(3), 12)  # two days behind
    answer_on(sp, card(sp, "Q2?"), day(3), 4, hour=12)
    assert "earlier than your last answer" in (progress.clock_warning() or "")


def test_with_the_clock_set_back_the_longest_streak_stays_reached(
    sp: Studyplan, clock: FakeClock
) -> None:
    qualifying_days(sp, 0, 9)
    clock.now = morning(day(10))
    assert Progress(sp).streak().summary.longest == 10
    clock.now = morning(day(7))  # the clock set back three days
    summary = Progress(sp).streak(spend=False).summary
    assert summary.longest == 10
    assert summary.current == 8  # today counts up to the clock's today only


def test_undoing_an_answer_on_a_closed_cached_day_counts_that_day_again(sp: Studyplan) -> None:
    """A day already in the day_total cache loses the answer that undo takes back."""
    repo = ProgressRepository(sp.conn)
    answer_on(sp, card(sp, "Q1?"), day(3), 4)
    last = answer_on(sp, card(sp, "Q2?"), day(3), 4)
    assert as_tuples(repo.activity(day(10))) == [(day(3), 2, 2, 0, 0, 0)]
    assert [row[0] for row in table(sp, "day_total")] == ["2026-03-05"]
    sp.repo.undo(last)
    assert "2026-03-05" not in [row[0] for row in table(sp, "day_total")]
    assert as_tuples(repo.activity(day(10))) == [(day(3), 1, 1, 0, 0, 0)]
