"""Plans that follow real life, over scripted months with a fixed clock: time off, a slow
topic, a week missed, and the choice that follows; two plans sharing the days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from studyplan.core.plan.catchup import catch_up
from studyplan.core.plan.course import overrun_minutes
from studyplan.core.plan.pace import effective_pace, pace_factor, phase_times
from studyplan.core.plan.parse import parse_plan
from studyplan.core.plan.schedule import (
    Course,
    Enrolment,
    Progress,
    plan_run,
    standing,
    week_plan,
)
from studyplan.core.plan.timeoff import TimeOff, add_study_days, days_off, study_days_between

MONDAY = date(2026, 3, 2)
PLAN = parse_plan(
    '+++\nid = "p"\ntitle = "P"\n+++\n'
    "## Basics {#basics weeks=2}\n- A {#a hours=5}\n- B {#b hours=5 after=a}\n"
    "## Later {#later weeks=2}\n- C {#c hours=10 after=b}\n",
    "p.md",
)
EVERY_DAY = (60,) * 7


def learner(progress: Progress | None = None, week=EVERY_DAY, **enrolment) -> Course:
    return Course(
        PLAN, Enrolment("p", MONDAY, weekly_minutes=week, **enrolment), progress or Progress()
    )


def finish(courses, today=MONDAY, off=frozenset()):
    return plan_run(courses, today, off=off).finish


def test_time_off_has_no_blocks_and_carries_the_work_forward() -> None:
    holiday = TimeOff(date(2026, 3, 4), date(2026, 3, 6), "exams")
    off = days_off([holiday])
    week = week_plan(MONDAY, [learner()], MONDAY, off=off)
    assert [d.off for d in week.days] == [False, False, True, True, True, False, False]
    assert [d.study for d in week.days] == [60, 60, 0, 0, 0, 60, 60]
    assert finish([learner()], off=off)["p"] == finish([learner()])["p"] + timedelta(days=3)


def test_time_off_pauses_the_nominal_pace_and_moves_the_target() -> None:
    off = days_off([TimeOff(date(2026, 3, 9), date(2026, 3, 15))])  # the whole second week
    course = learner(Progress({"a": 300}))  # A done in week one
    plain = standing(course, date(2026, 3, 16))
    rested = standing(course, date(2026, 3, 16), off=off)
    assert plain.hours_expected == pytest.approx(10)  # two weeks of Basics
    assert rested.hours_expected == pytest.approx(5)  # the week off does not count
    assert rested.nominal_finish == plain.nominal_finish + timedelta(days=7)
    ahead = standing(course, MONDAY + timedelta(days=3), off=off)
    assert ahead.days_off_ahead == 7


def test_study_day_arithmetic_skips_days_off() -> None:
    off = frozenset({date(2026, 3, 3), date(2026, 3, 4)})
    assert add_study_days(MONDAY, 2, off) == date(2026, 3, 6)
    assert study_days_between(MONDAY, date(2026, 3, 9), off) == 5


def test_a_slow_topic_stays_open_past_its_estimate_and_pushes_later_work() -> None:
    slow = Progress({"a": 420}, logged=frozenset({"a"}))  # 7 h logged on a 5 h topic
    assert slow.remaining("a", 300) == overrun_minutes(300) == 75
    week = week_plan(MONDAY, [learner(slow)], MONDAY)
    assert week.days[0].blocks[0].topic.id == "a"  # it still comes first, B waits for it
    assert finish([learner(slow)])["p"] > finish([learner(Progress({"a": 300}))])["p"]
    st = standing(learner(slow), MONDAY)
    assert st.overrun_hours == pytest.approx(2)
    planned = Progress({"a": 300})  # blocks marked done as planned finish a topic
    assert planned.remaining("a", 300) == 0


def test_the_pace_factor_comes_from_finished_topics_and_can_re_estimate_what_is_left() -> None:
    progress = Progress({"a": 450, "b": 150}, done=frozenset({"a"}), logged=frozenset({"a", "b"}))
    course = learner(progress)
    assert pace_factor(course) == pytest.approx(1.5)  # A: 7.5 h for 5 estimated
    assert effective_pace(course) == 1.0  # only when the learner chooses it
    chosen = learner(progress, use_pace=True)
    assert effective_pace(chosen) == 1.5
    assert finish([chosen])["p"] > finish([course])["p"]
    basics, later = phase_times(course)
    assert (basics.estimate, basics.actual, basics.done) == (600, 600, 450)
    assert (later.estimate, later.actual) == (600, 0)
    assert pace_factor(learner(Progress({"a": 60}, logged=frozenset({"a"})))) is None


def test_a_week_missed_offers_to_keep_the_target_or_move_it() -> None:
    today = MONDAY + timedelta(days=14)  # two weeks in, only the first done
    course = learner(Progress({"a": 300, "b": 120}), week=(60,) * 5 + (0, 0))
    st = standing(course, today)
    assert st.hours_ahead < 0 and st.nominal_finish == MONDAY + timedelta(days=28)

    def run(courses, until):
        return plan_run(courses, today, count_until=until)

    choice = catch_up([course], 0, st.nominal_finish, run)
    assert choice is not None and choice.scheduled is not None
    assert (
        choice.scheduled > choice.target
        and choice.days_late == (choice.scheduled - choice.target).days
    )
    assert choice.keep_week is not None and choice.minutes_needed > choice.minutes_now
    assert choice.keep_week[5:] == (0, 0)  # rest days stay rest days
    kept = replace(course, enrolment=replace(course.enrolment, weekly_minutes=choice.keep_week))
    assert finish([kept], today)["p"] <= choice.target
    days = study_days_between(MONDAY, choice.scheduled, frozenset())
    moved = replace(course, enrolment=replace(course.enrolment, target_days=days))
    assert standing(moved, today).nominal_finish == choice.scheduled
    assert catch_up([moved], 0, choice.scheduled, run) is None


def test_the_target_cannot_be_kept_when_even_whole_days_are_not_enough() -> None:
    today = MONDAY + timedelta(days=22)  # a Tuesday; the learner studies on Mondays only
    course = learner(Progress(), week=(30,) + (0,) * 6)

    def run(courses, until):
        return plan_run(courses, today, count_until=until)

    choice = catch_up([course], 0, today + timedelta(days=5), run)  # no Monday before it
    assert choice is not None and choice.keep_week is None


def test_only_this_weeks_overdue_work_is_marked_carried() -> None:
    today = MONDAY + timedelta(days=7)  # A should be done by now; nothing was
    course = learner()
    this_week = week_plan(today, [course], today)
    assert this_week.days[0].blocks[0].carried
    later = week_plan(today + timedelta(days=21), [course], today)
    assert not any(b.carried for d in later.days for b in d.blocks)
    on_time = week_plan(MONDAY, [course], MONDAY)
    assert not any(b.carried for d in on_time.days for b in d.blocks)


OTHER = parse_plan('+++\nid = "o"\ntitle = "O"\n+++\n## O {weeks=4}\n- Z {#z hours=20}\n', "o.md")


def test_two_plans_honour_each_enrolments_minutes_and_shares() -> None:
    first = learner(week=(60,) * 7)
    second = Course(OTHER, Enrolment("o", MONDAY, weekly_minutes=(20,) * 5 + (120, 0)))
    week = week_plan(MONDAY, [first, second], MONDAY)
    by_plan = [
        {p: sum(b.minutes for b in d.blocks if b.plan_id == p) for p in ("p", "o")}
        for d in week.days
    ]
    # Weekdays: 60 split 50/50 would give O 30, but O gives itself 20, so P gets 40.
    assert by_plan[0] == {"p": 40, "o": 20}
    # Saturday: the learner has 120 (O's figure); P may use at most its own 60.
    assert by_plan[5] == {"p": 60, "o": 60}
    # Sunday: only P has time.
    assert by_plan[6] == {"p": 60, "o": 0}
    alone = finish([first])["p"]
    together = finish([first, second])["p"]
    assert together > alone, "the first plan's finish moves when the second takes time"
