"""Week plans and standing: which topic on which day for how many minutes, on real calendars."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan import paths
from studyplan.core.plan.parse import Plan, parse_plan
from studyplan.core.plan.schedule import (
    Course,
    Enrolment,
    Progress,
    WeekPlan,
    favoured_tags,
    standing,
    week_plan,
)

DEMO = parse_plan(
    '+++\nid = "demo"\ntitle = "Demo"\n+++\n'
    "## Basics {#basics weeks=1}\n"
    "- A {#a hours=2 tags=python}\n"
    "- B {#b hours=1 tags=numpy after=a}\n"
    "- C {#c hours=3 tags=pandas,python}\n"
    "## Later {#later weeks=1}\n"
    "- D {#d hours=1 tags=evaluation after=c}\n",
    "demo.md",
)
WEEKDAYS_ONLY = (60, 60, 60, 60, 60, 0, 0)
EVERY_DAY = (60,) * 7


def course(
    start: date,
    week: tuple[int, ...] = WEEKDAYS_ONLY,
    plan: Plan = DEMO,
    progress: Progress | None = None,
    point: str = "default",
    share: float = 1.0,
) -> Course:
    return Course(plan, Enrolment(plan.id, start, point, week, share), progress or Progress())


def shown(week: WeekPlan) -> list[list[tuple[str, int]]]:
    """What the learner sees: each day's topic ids and minutes, Monday first."""
    return [[(b.topic.id, b.minutes) for b in day.blocks] for day in week.days]


def test_days_fill_in_plan_order_and_a_long_topic_splits_across_days() -> None:
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday)], today=monday)
    assert [d.day for d in week.days] == [date(2026, 3, d) for d in range(2, 9)]
    assert shown(week) == [[("a", 60)], [("a", 60)], [("b", 60)], [("c", 60)], [("c", 60)], [], []]
    assert [b.finishes for d in week.days for b in d.blocks] == [False, True, True, False, False]
    assert week.days[0].free == 0 and week.days[5].available == 0


def test_a_topic_starts_the_same_day_its_prerequisite_finishes() -> None:
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday, (150,) + (0,) * 6)], today=monday)
    assert shown(week)[0] == [("a", 120), ("b", 30)]


def test_a_topic_waits_for_a_prerequisite_written_later_in_the_file() -> None:
    plan = parse_plan(
        '+++\nid = "p"\ntitle = "P"\n+++\n## P {weeks=1}\n'
        "- Project {#project hours=1 after=basics}\n- Basics {#basics hours=2}\n"
        "- Extra {#extra hours=3}\n",
        "p.md",
    )
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday, (90, 90, 90, 0, 0, 0, 0), plan)], today=monday)
    assert shown(week)[:3] == [[("basics", 90)], [("basics", 30), ("project", 60)], [("extra", 90)]]


def test_a_week_across_a_month_end_continues_the_plan() -> None:
    start = date(2026, 3, 26)  # Thursday: four days of A, B and C before the month ends
    week = week_plan(date(2026, 4, 1), [course(start, EVERY_DAY)], today=start)
    assert [d.day.isoformat() for d in week.days[1:3]] == ["2026-03-31", "2026-04-01"]
    assert shown(week) == [[("c", 60)], [("c", 60)], [("d", 60)], [], [], [], []]


def test_a_week_across_new_year_starts_on_the_monday_of_the_old_year() -> None:
    start = date(2029, 12, 31)
    week = week_plan(date(2030, 1, 2), [course(start)], today=start)
    assert week.monday == date(2029, 12, 31)
    assert week.days[-1].day == date(2030, 1, 6)
    assert shown(week)[:3] == [[("a", 60)], [("a", 60)], [("b", 60)]]


def test_the_leap_day_is_a_study_day_like_any_other() -> None:
    start = date(2028, 2, 28)
    week = week_plan(date(2028, 3, 1), [course(start)], today=start)
    assert [d.day for d in week.days][:3] == [
        date(2028, 2, 28),
        date(2028, 2, 29),
        date(2028, 3, 1),
    ]
    assert shown(week)[1] == [("a", 60)]
    assert week.days[-1].day == date(2028, 3, 5)


@pytest.mark.parametrize("dst_sunday", [date(2026, 3, 29), date(2026, 3, 8), date(2026, 10, 25)])
def test_a_week_across_a_clock_change_keeps_every_day_whole(dst_sunday: date) -> None:
    monday = date.fromordinal(dst_sunday.toordinal() - 6)
    week = week_plan(monday, [course(monday, EVERY_DAY)], today=monday)
    assert [d.day for d in week.days][-1] == dst_sunday
    assert [d.study for d in week.days] == [60, 60, 60, 60, 60, 60, 60]
    assert shown(week)[-1] == [("d", 60)]


def test_days_before_a_mid_week_start_are_empty() -> None:
    wednesday = date(2026, 3, 4)
    week = week_plan(wednesday, [course(wednesday)], today=date(2026, 3, 2))
    assert shown(week) == [[], [], [("a", 60)], [("a", 60)], [("b", 60)], [], []]


def test_zero_minute_days_get_nothing_and_the_plan_resumes_after_them() -> None:
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday, (60, 0, 0, 0, 0, 0, 120))], today=monday)
    assert shown(week) == [[("a", 60)], [], [], [], [], [], [("a", 60), ("b", 60)]]


def test_a_learner_far_behind_sees_the_unfinished_topics_first_marked_as_carried() -> None:
    start = date(2026, 1, 5)  # both phases should have ended by mid-January
    today = date(2026, 3, 2)
    progress = Progress({"a": 120, "c": 60}, done=frozenset({"a"}))
    week = week_plan(today, [course(start, progress=progress)], today=today)
    # C was begun, so it comes before B; D waits for C to finish.
    assert shown(week)[:4] == [[("c", 60)], [("c", 60)], [("b", 60)], [("d", 60)]]
    assert all(b.carried for d in week.days for b in d.blocks)


def test_the_current_week_shows_only_today_onwards_from_stored_progress() -> None:
    monday, today = date(2026, 3, 2), date(2026, 3, 4)
    progress = Progress({"a": 120}, studied_today=40)
    week = week_plan(monday, [course(monday, progress=progress)], today=today)
    assert [d.past for d in week.days] == [True, True, False, False, False, False, False]
    assert shown(week) == [[], [], [("b", 20)], [("b", 40), ("c", 20)], [("c", 60)], [], []]


def test_a_future_week_assumes_the_days_between_go_as_planned() -> None:
    monday = date(2026, 3, 2)
    week = week_plan(date(2026, 3, 9), [course(monday)], today=monday)
    assert shown(week) == [[("c", 60)], [("d", 60)], [], [], [], [], []]


def test_a_past_week_shows_the_plan_as_written_whatever_was_done() -> None:
    start = date(2026, 3, 2)
    progress = Progress(done=frozenset({"a", "b", "c", "d"}))
    week = week_plan(start, [course(start, progress=progress)], today=date(2026, 4, 1))
    assert shown(week)[:3] == [[("a", 60)], [("a", 60)], [("b", 60)]]
    assert all(d.past for d in week.days)


def test_topics_not_for_the_starting_point_are_skipped_and_count_as_known() -> None:
    plan = parse_plan(
        '+++\nid = "p"\ntitle = "P"\n[starting_points]\nnew = "New"\npro = "Pro"\n+++\n'
        "## Refresher {#refresher weeks=new:2,pro:0}\n- Basics {#basics hours=5}\n"
        "## Core {#core weeks=2}\n- Intro {#intro hours=1 only=new}\n"
        "- Models {#models hours=2 after=basics}\n",
        "p.md",
    )
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday, plan=plan, point="pro")], today=monday)
    assert shown(week)[:3] == [[("models", 60)], [("models", 60)], []]


def test_two_plans_share_each_day_by_their_shares() -> None:
    other = parse_plan(
        '+++\nid = "other"\ntitle = "Other"\n+++\n## P {weeks=1}\n'
        "- Z {#z hours=10 tags=projects}\n",
        "other.md",
    )
    monday, thursday = date(2026, 3, 2), date(2026, 3, 5)
    days = (100,) * 5 + (0, 0)
    week = week_plan(
        monday,
        [course(monday, days, share=0.7), course(thursday, days, plan=other, share=0.3)],
        today=monday,
    )
    # Alone until Thursday, the first plan has the whole day; then 70/30. The 10 minutes
    # left of the first plan's 70 on Thursday are too short for a block (and for the other
    # plan's), so they stay free and D starts on Friday.
    assert shown(week) == [
        [("a", 100)],
        [("a", 20), ("b", 60), ("c", 20)],
        [("c", 100)],
        [("c", 60), ("z", 30)],
        [("d", 60), ("z", 30)],
        [],
        [],
    ]
    assert {b.plan_id for b in week.days[3].blocks} == {"demo", "other"}


def test_review_time_comes_first_from_the_forecast_and_never_takes_over_half_a_day() -> None:
    monday = date(2026, 3, 2)
    due = {date(2026, 3, 2): 30, date(2026, 3, 3): 600, date(2026, 3, 5): 12}
    week = week_plan(monday, [course(monday)], today=monday, due=due)
    # 30 cards at 10 s are 5 minutes. 600 cards would take 100, so only 30 minutes (180 cards)
    # fit on Tuesday; the rest wait and fill Wednesday and Thursday, and the last 72 take Friday.
    assert [d.review for d in week.days] == [5, 30, 30, 30, 12, 0, 0]
    assert shown(week)[:2] == [[("a", 55)], [("a", 30)]]
    measured = week_plan(
        monday, [course(monday)], today=monday, due={monday: 100}, seconds_per_card=6
    )
    assert measured.days[0].review == 10
    one = week_plan(monday, [course(monday)], today=monday, due={monday: 1})
    assert one.days[0].review == 5  # a sitting, however few the cards


def test_the_tags_to_favour_are_those_of_the_weeks_topics_in_order() -> None:
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday)], today=monday)
    assert favoured_tags(week) == week.tags == ("python", "numpy", "pandas")


def test_dates_only_a_datetime_is_refused() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        week_plan(datetime(2026, 3, 2, 9), [course(date(2026, 3, 2))], today=date(2026, 3, 2))
    with pytest.raises(TypeError, match=r"datetime\.date"):
        Enrolment("demo", datetime(2026, 3, 2, 9))


def test_bad_availability_and_shares_are_refused_in_one_sentence() -> None:
    with pytest.raises(ValueError, match="seven numbers"):
        Enrolment("demo", date(2026, 3, 2), weekly_minutes=(60,) * 5)
    with pytest.raises(ValueError, match="Sunday needs whole minutes"):
        Enrolment("demo", date(2026, 3, 2), weekly_minutes=(60,) * 6 + (2000,))
    with pytest.raises(ValueError, match="share"):
        Enrolment("demo", date(2026, 3, 2), share=0)
    with pytest.raises(ValueError, match="no starting point 'pro'"):
        course(date(2026, 3, 2), point="pro")


def test_a_learner_behind_sees_the_gap_in_hours_and_weeks() -> None:
    start = date(2026, 3, 2)  # Basics (A, B, C: 6 hours) in week 1, Later (D: 1 hour) in week 2
    s = standing(course(start, progress=Progress({"a": 120, "b": 60})), today=date(2026, 3, 9))
    assert s.hours_expected == pytest.approx(6) and s.hours_total == 7
    assert s.hours_done == 3 and s.hours_ahead == pytest.approx(-3)
    assert s.weeks_ahead == pytest.approx(-0.5)
    assert s.phase is not None and s.phase.id == "basics"
    assert s.expected_phase is not None and s.expected_phase.id == "later"
    assert s.nominal_finish == date(2026, 3, 16)


def test_the_projection_uses_the_learners_own_pace_and_ahead_counts_in_weeks() -> None:
    start = date(2026, 3, 2)
    s = standing(
        course(start, progress=Progress({"a": 120, "b": 60, "c": 180})), today=date(2026, 3, 9)
    )
    assert s.hours_ahead == pytest.approx(0) and s.weeks_ahead == pytest.approx(0)
    assert s.pace_from_history and s.hours_per_week == pytest.approx(6)
    assert s.projected_finish == date(2026, 3, 11)  # 1 hour left at 6 hours a week
    ahead = standing(
        course(start, progress=Progress(done=frozenset("abc"))), today=date(2026, 3, 6)
    )
    assert ahead.weeks_ahead == pytest.approx(3 / 7)
    assert ahead.expected_phase is not None and ahead.expected_phase.id == "basics"


def test_without_history_the_projection_uses_the_availability() -> None:
    start = date(2026, 3, 2)
    s = standing(course(start), today=date(2026, 3, 4))
    assert not s.pace_from_history and s.hours_per_week == 5
    assert s.projected_finish == date(2026, 3, 4 + 10)  # 7 hours at 5 a week: 9.8 days
    assert s.hours_done == 0 and s.phase is not None and s.phase.id == "basics"
    done = standing(
        course(start, progress=Progress(done=frozenset("abcd"))), today=date(2026, 4, 1)
    )
    assert done.finished and done.projected_finish == date(2026, 4, 1) and done.phase is None


@settings(max_examples=150, deadline=None)
@given(
    point=st.sampled_from(["scratch", "some-background", "experienced"]),
    start=st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    week_offset=st.integers(-20, 120),
    week=st.tuples(*[st.integers(0, 300)] * 7),
    done=st.dictionaries(
        st.sampled_from(["py-setup", "matrices", "chain-rule", "ml-intro", "sklearn-pipelines"]),
        st.integers(0, 3000),
    ),
    due=st.integers(0, 400),
)
def test_any_week_keeps_within_the_day_and_after_every_prerequisite(
    point: str, start: date, week_offset: int, week: tuple[int, ...], done: dict[str, int], due: int
) -> None:
    plan = _multi_year()
    today = date(2026, 6, 10)
    monday = date.fromordinal(today.toordinal() - 2 + 7 * week_offset)
    learner = course(start, week, plan, Progress(done), point)
    result = week_plan(monday, [learner], today=today, due={d: due for d in _days(monday)})
    order = [b.topic.id for d in result.days for b in d.blocks]
    path = {t.id for t in plan.path(point)}
    for day in result.days:
        assert day.review <= day.available // 2
        assert day.review + day.study <= day.available
        assert all(b.minutes > 0 and b.topic.id in path for b in day.blocks)
    for k, topic_id in enumerate(order):
        for needed in plan.topic(topic_id).after:
            assert needed not in order[k + 1 :], f"{topic_id} planned before {needed} is done"


def _days(monday: date) -> list[date]:
    return [date.fromordinal(monday.toordinal() + i) for i in range(7)]


@cache
def _multi_year() -> Plan:
    path = paths.bundled_plans() / "multi-year.md"
    return parse_plan(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("point", ["scratch", "some-background", "experienced"])
def test_a_multi_year_week_starts_on_the_first_topic_and_a_far_week_is_planned(point: str) -> None:
    # Its speed is measured by benchmarks/plan_bench.py; tests hold no timing.
    plan = _multi_year()
    start, today = date(2026, 1, 5), date(2026, 3, 4)
    learner = course(start, (60, 60, 60, 60, 60, 180, 0), plan, point=point)
    first = week_plan(start, [learner], today=today)
    assert first.days[0].blocks[0].topic == plan.path(point)[0]
    far = week_plan(date(2027, 1, 4), [learner], today=today)  # ten months simulated from today
    assert far.monday == date(2027, 1, 4) and len(far.days) == 7


def test_the_weeks_minutes_add_up_per_plan_and_topic() -> None:
    monday = date(2026, 3, 2)
    week = week_plan(monday, [course(monday)], today=monday)
    assert week.minutes_by_topic() == {("demo", "a"): 120, ("demo", "b"): 60, ("demo", "c"): 120}


def test_the_topics_the_plan_as_written_finished_before_today_are_overdue() -> None:
    from studyplan.core.plan.schedule import _load, overdue_topics

    monday = date(2026, 3, 2)
    load = _load(None, 10.0, None)
    learner = [course(monday)]  # A Mon-Tue, B Wed, C Thu-Fri and Monday
    assert overdue_topics(learner, monday, load) == frozenset()
    assert overdue_topics(learner, date(2026, 3, 4), load) == {("demo", "a")}
    assert overdue_topics(learner, date(2026, 3, 5), load) == {("demo", "a"), ("demo", "b")}
    # a day off moves the plan as written a day later
    off = {monday}
    assert overdue_topics(learner, date(2026, 3, 5), load, off) == {("demo", "a")}
    assert overdue_topics([], monday, load) == frozenset()


@pytest.mark.parametrize("bad", [datetime(2026, 3, 2, 9), "2026-03-02"])
def test_a_week_or_today_that_is_not_a_date_is_refused_by_name(bad: object) -> None:
    from studyplan.core.plan.schedule import plan_run

    monday = date(2026, 3, 2)
    kind = type(bad).__name__
    with pytest.raises(TypeError, match=rf"^the week must be a datetime\.date, not {kind}$"):
        week_plan(bad, [course(monday)], today=monday)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"^today must be a datetime\.date, not {kind}$"):
        week_plan(monday, [course(monday)], today=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"^today must be a datetime\.date, not {kind}$"):
        plan_run([course(monday)], bad)  # type: ignore[arg-type]
