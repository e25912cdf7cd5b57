"""The day-by-day simulation behind week plans: minutes, shares, blocks and review time."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from studyplan.core.plan.parse import Plan, parse_plan
from studyplan.core.plan.schedule import (
    Course,
    Enrolment,
    NewCards,
    Progress,
    WeekPlan,
    overdue_topics,
    plan_run,
    week_plan,
)
from studyplan.core.plan.simulate import Load, apportion

MONDAY = date(2026, 3, 2)


def plan(plan_id: str, *topics: str) -> Plan:
    """A one-phase plan; each topic is ``"id hours"`` or ``"id hours after"``."""
    lines = []
    for spec in topics:
        tid, hours, *after = spec.split()
        extra = f" after={after[0]}" if after else ""
        lines.append(f"- {tid.upper()} {{#{tid} hours={hours}{extra}}}\n")
    return parse_plan(
        f'+++\nid = "{plan_id}"\ntitle = "{plan_id}"\n+++\n## Phase {{weeks=52}}\n'
        + "".join(lines),
        f"{plan_id}.md",
    )


def course(
    p: Plan,
    week: tuple[int, ...] = (60,) * 7,
    start: date = MONDAY,
    progress: Progress | None = None,
    share: float = 1.0,
) -> Course:
    return Course(p, Enrolment(p.id, start, "default", week, share), progress or Progress())


def shown(week: WeekPlan) -> list[list[tuple[str, str, int]]]:
    return [[(b.plan_id, b.topic.id, b.minutes) for b in d.blocks] for d in week.days]


# -- splitting minutes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (100, [0.7, 0.3], [70, 30]),
        (10, [1, 1, 1], [4, 3, 3]),
        (5, [2, 1], [3, 2]),  # 3.33 and 1.67: the odd minute goes to the larger remainder
        (7, [1, 1, 2], [2, 2, 3]),  # 1.75, 1.75, 3.5: ties go to the first
        (4, [0.3, 0.7], [1, 3]),  # 1.2 and 2.8: the larger remainder, not the smaller share
        (0, [1, 3], [0, 0]),
    ],
)
def test_minutes_split_by_weights_give_odd_minutes_to_the_largest_remainders(
    total: int, weights: list[float], parts: list[int]
) -> None:
    assert apportion(total, weights) == parts


@pytest.mark.parametrize(
    ("caps", "minutes"),
    [
        ((15, 20, 100), [15, 20, 65]),
        ((15, 40, 100), [15, 40, 45]),
        ((10, 20, 100), [0, 20, 70]),  # A's 10 minutes make no block and stay free
    ],
)
def test_what_a_plan_cannot_take_on_its_short_days_goes_to_the_others(
    caps: tuple[int, int, int], minutes: list[int]
) -> None:
    # Equal shares of a 100-minute Monday; each plan has only its own minutes that day.
    courses = [
        course(plan(name, f"{name}1 10"), week=(cap,) * 7, share=1 / 3)
        for name, cap in zip("abc", caps, strict=True)
    ]
    monday = week_plan(MONDAY, courses, today=MONDAY).days[0]
    got = {b.plan_id: b.minutes for b in monday.blocks}
    assert [got.get(name, 0) for name in "abc"] == minutes


def test_a_plan_with_no_minutes_on_a_weekday_gets_none_of_another_plans_spare_time() -> None:
    # A ends early on Monday, leaving spare minutes; B has no minutes on Mondays.
    a = course(plan("a", "a1 0.5"), week=(60,) * 7, share=0.5)
    b = course(plan("b", "b1 10"), week=(0, 60, 60, 60, 60, 60, 60), share=0.5)
    week = week_plan(MONDAY, [a, b], today=MONDAY)
    assert shown(week)[0] == [("a", "a1", 30)]


def test_a_finished_plan_leaves_the_whole_day_to_the_one_still_running() -> None:
    done = course(plan("a", "a1 1"), progress=Progress(done=frozenset({"a1"})), share=0.5)
    week = week_plan(MONDAY, [done, course(plan("b", "b1 10"), share=0.5)], today=MONDAY)
    assert shown(week)[0] == [("b", "b1", 60)]


def test_a_part_too_short_for_a_block_stays_free_and_the_next_plan_keeps_its_own() -> None:
    small = course(plan("a", "a1 10"), share=0.1)  # 6 minutes: less than a block
    big = course(plan("b", "b1 10"), share=0.9)
    assert shown(week_plan(MONDAY, [small, big], today=MONDAY))[0] == [("b", "b1", 54)]


def test_spare_minutes_of_two_plans_together_make_a_block_for_a_third() -> None:
    # A and B each finish with 10 minutes of their 40 left: 20 spare minutes go to C.
    a, b, c = (
        course(plan("a", "a1 0.5"), week=(100,) * 7, share=0.4),
        course(plan("b", "b1 0.5"), week=(100,) * 7, share=0.4),
        course(plan("c", "c1 10"), week=(100,) * 7, share=0.2),
    )
    week = week_plan(MONDAY, [a, b, c], today=MONDAY)
    assert shown(week)[0] == [("a", "a1", 30), ("b", "b1", 30), ("c", "c1", 40)]


# -- blocks ---------------------------------------------------------------------------


def test_a_day_shorter_than_a_block_still_gets_one_block_of_the_whole_day() -> None:
    new = course(plan("p", "t 2"), week=(10,) * 7)
    assert shown(week_plan(MONDAY, [new], today=MONDAY))[0] == [("p", "t", 10)]
    begun = course(plan("p", "t 2"), week=(10,) * 7, progress=Progress({"t": 30}))
    assert shown(week_plan(MONDAY, [begun], today=MONDAY))[0] == [("p", "t", 10)]


@pytest.mark.parametrize(
    ("day", "blocks"),
    [
        (28, [28, 17, 15]),  # not 28, 28, 4: the last piece is a whole block
        (25, [25, 20, 15]),
    ],
)
def test_a_split_hour_never_never_ends_on_a_piece_shorter_than_a_block(
    day: int, blocks: list[int]
) -> None:
    week = week_plan(MONDAY, [course(plan("p", "t 1"), week=(day,) * 7)], today=MONDAY)
    assert [b.minutes for d in week.days for b in d.blocks] == blocks


def test_each_block_knows_the_minutes_of_its_topic_planned_or_done_before_it() -> None:
    week = week_plan(MONDAY, [course(plan("p", "t 3", "u 1"))], today=MONDAY)
    assert [(b.topic.id, b.offset) for d in week.days for b in d.blocks] == [
        ("t", 0),
        ("t", 60),
        ("t", 120),
        ("u", 0),
    ]
    begun = course(plan("p", "t 3", "u 1"), progress=Progress({"t": 45}))
    week = week_plan(MONDAY, [begun], today=MONDAY)
    assert [(b.topic.id, b.offset) for d in week.days for b in d.blocks][:3] == [
        ("t", 45),
        ("t", 105),
        ("t", 165),
    ]


def test_a_past_week_counts_its_blocks_from_the_start_whatever_was_recorded() -> None:
    begun = course(plan("p", "t 3"), progress=Progress({"t": 45}))
    week = week_plan(MONDAY, [begun], today=MONDAY + timedelta(days=14))
    assert [b.offset for d in week.days for b in d.blocks] == [0, 60, 120]


def test_a_carried_topic_stays_carried_on_sunday_and_not_next_week() -> None:
    today = MONDAY + timedelta(days=14)  # as written, the 12 hours ended on day 12
    late = course(plan("p", "t 12"), week=(60,) * 7)
    week = week_plan(today, [late], today=today)
    assert [b.carried for d in week.days for b in d.blocks] == [True] * 7
    nxt = week_plan(today + timedelta(days=7), [late], today=today)
    assert [b.carried for d in nxt.days for b in d.blocks] == [False] * 5


# -- the days of a week ---------------------------------------------------------------


def test_a_week_with_no_plan_has_seven_empty_days_past_now_or_later() -> None:
    for monday in (MONDAY - timedelta(days=14), MONDAY, MONDAY + timedelta(days=14)):
        week = week_plan(monday, [], today=MONDAY)
        assert [(d.day, d.available, d.blocks) for d in week.days] == [
            (monday + timedelta(days=i), 0, ()) for i in range(7)
        ]


def test_a_past_week_before_the_plan_started_has_seven_empty_days() -> None:
    later = course(plan("p", "t 2"), start=MONDAY + timedelta(days=9))
    week = week_plan(MONDAY, [later], today=MONDAY + timedelta(days=16))
    assert [d.day for d in week.days] == [MONDAY + timedelta(days=i) for i in range(7)]
    assert all(not d.blocks and d.past for d in week.days)


def test_a_past_week_after_the_plan_was_done_as_written_still_has_seven_days() -> None:
    week = week_plan(
        MONDAY + timedelta(days=7), [course(plan("p", "t 1"))], today=MONDAY + timedelta(days=21)
    )
    assert len(week.days) == 7 and all(not d.blocks for d in week.days)


def test_a_day_off_has_no_minutes_even_before_the_plan_started() -> None:
    later = course(plan("p", "t 2"), start=MONDAY + timedelta(days=2))
    off = {MONDAY, MONDAY + timedelta(days=3)}
    week = week_plan(MONDAY, [later], today=MONDAY + timedelta(days=14), off=off)
    assert [(d.off, d.available) for d in week.days][:4] == [
        (True, 0),
        (False, 60),
        (False, 60),
        (True, 0),
    ]


# -- the whole run --------------------------------------------------------------------


def test_a_run_counts_each_plans_minutes_up_to_and_including_a_day() -> None:
    courses = [course(plan("a", "a1 3"), share=0.5), course(plan("b", "b1 3"), share=0.5)]
    run = plan_run(courses, MONDAY, count_until=MONDAY + timedelta(days=2))
    assert run.studied == {"a": 90, "b": 90}
    assert plan_run(courses, MONDAY).studied == {"a": 0, "b": 0}


def test_a_run_gives_each_plans_finish_and_today_for_a_plan_already_done() -> None:
    done = course(plan("a", "a1 1"), progress=Progress(done=frozenset({"a1"})), share=0.5)
    run = plan_run([done, course(plan("b", "b1 2"), share=0.5)], MONDAY)
    assert run.finish == {"a": MONDAY, "b": MONDAY + timedelta(days=1)}
    assert run.topic_done == {("b", "b1"): MONDAY + timedelta(days=1)}


def test_a_forecast_of_due_cards_delays_the_finish() -> None:
    p = [course(plan("p", "t 2"))]
    assert plan_run(p, MONDAY).finish == {"p": MONDAY + timedelta(days=1)}
    busy = {MONDAY + timedelta(days=i): 120 for i in range(7)}  # 20 minutes of review a day
    assert plan_run(p, MONDAY, due=busy).finish == {"p": MONDAY + timedelta(days=2)}


# -- review time ----------------------------------------------------------------------


def reviews(week: WeekPlan) -> list[int]:
    return [d.review for d in week.days]


def test_review_time_is_the_cards_time_rounded_up_to_whole_minutes() -> None:
    p = [course(plan("p", "t 20"))]
    due = {MONDAY: 61, MONDAY + timedelta(days=1): 60}  # 610 and 600 seconds
    assert reviews(week_plan(MONDAY, p, today=MONDAY, due=due))[:3] == [11, 10, 0]


def test_even_one_quick_card_keeps_a_five_minute_review_sitting() -> None:
    p = [course(plan("p", "t 20"))]
    week = week_plan(MONDAY, p, today=MONDAY, due={MONDAY: 1}, seconds_per_card=0.5)
    assert reviews(week)[:2] == [5, 0]


def test_new_cards_already_met_today_count_only_today() -> None:
    p = [course(plan("p", "t 20"))]
    fresh = week_plan(MONDAY, p, today=MONDAY, new_cards=NewCards(per_day=20))
    met = week_plan(MONDAY, p, today=MONDAY, new_cards=NewCards(per_day=20, done_today=20))
    assert reviews(fresh)[0] == 10  # 20 cards x 3 answers x 10 s
    assert reviews(met)[0] == 0
    assert reviews(met)[2:] == reviews(fresh)[2:]


def test_the_reviews_new_cards_bring_add_up_on_the_days_they_fall_due() -> None:
    # New cards come back 1, 7, 22... days after their first day: day 7 holds the
    # reviews of day 0's cards and the first reviews of day 6's.
    p = [course(plan("p", "t 200"))]
    week = week_plan(
        MONDAY + timedelta(days=7), p, today=MONDAY, new_cards=NewCards(per_day=30, unseen=None)
    )
    # 30 new x 3 answers x 10 s = 15 min, plus (30 + 30) reviews x 10 s = 10 min;
    # day 8 likewise holds day 7's first review and day 1's second.
    assert reviews(week)[:2] == [25, 25]


def test_new_cards_stop_when_none_are_left_to_meet() -> None:
    p = [course(plan("p", "t 200"))]
    week = week_plan(MONDAY, p, today=MONDAY, new_cards=NewCards(per_day=30, unseen=45))
    # Monday 30 new (15 min), Tuesday 15 new (7.5) + 30 reviews (5), Wednesday 15 reviews
    assert reviews(week)[:4] == [15, 13, 5, 0]


def test_new_cards_planned_in_the_past_weigh_on_a_past_week_from_the_plans_start() -> None:
    p = [course(plan("p", "t 200"))]
    week = week_plan(MONDAY, p, today=MONDAY + timedelta(days=21), new_cards=NewCards(per_day=20))
    # 20 new x 3 x 10 s = 10 min; the second day adds the first day's 20 reviews: 13.3 -> 14
    assert reviews(week)[:2] == [10, 14]


def test_the_plan_as_written_has_the_new_cards_and_the_days_off_in_it() -> None:
    # A takes two hours: on 60-minute days with 10 minutes of new cards it ends Wednesday.
    p = [course(plan("p", "a 2", "b 2 a"))]
    wednesday = MONDAY + timedelta(days=2)
    load = Load({}, 10.0, NewCards(per_day=20))
    assert overdue_topics(p, wednesday, load) == frozenset()
    assert overdue_topics(p, wednesday, Load({}, 10.0, None)) == {("p", "a")}
    week = week_plan(wednesday, p, today=wednesday, new_cards=NewCards(per_day=20))
    assert not any(b.carried for d in week.days for b in d.blocks)
    bare = week_plan(wednesday, p, today=wednesday, off={MONDAY})
    assert not any(b.carried for d in bare.days for b in d.blocks)


def test_the_plan_as_written_ignores_what_the_learner_has_done() -> None:
    p = [course(plan("p", "a 2"), progress=Progress({"a": 100}))]
    assert overdue_topics(p, MONDAY + timedelta(days=1), Load({}, 10.0, None)) == frozenset()


@pytest.mark.parametrize("seconds", [0, -1, math.inf, math.nan])
def test_a_review_time_per_card_that_is_not_above_zero_and_finite_is_refused(
    seconds: float,
) -> None:
    with pytest.raises(ValueError, match=r"^seconds per card must be a number above 0, got "):
        week_plan(MONDAY, [course(plan("p", "t 1"))], today=MONDAY, seconds_per_card=seconds)
    with pytest.raises(ValueError, match=r"^seconds per card must be a number above 0, got "):
        plan_run([course(plan("p", "t 1"))], MONDAY, seconds_per_card=seconds)


def test_a_review_time_under_a_second_per_card_is_accepted() -> None:
    week = week_plan(MONDAY, [course(plan("p", "t 1"))], today=MONDAY, seconds_per_card=0.5)
    assert week.days[0].available == 60


def test_a_plan_that_would_outlast_sixty_years_has_no_finish_date() -> None:
    # Ten minutes on Mondays only: 2,000 hours would take 230 years.
    endless = course(plan("p", "t 2000"), week=(10, 0, 0, 0, 0, 0, 0))
    run = plan_run([endless], MONDAY)
    assert run.finish == {"p": None}
    assert run.topic_done == {}


def test_the_last_thirty_minutes_of_a_topic_on_a_short_day_make_two_whole_blocks() -> None:
    # 90 minutes on 20-minute days: 20, 20, 20, then 30 left: 15 and 15, not 20 and 15.
    week = week_plan(MONDAY, [course(plan("p", "t 1.5"), week=(20,) * 7)], today=MONDAY)
    assert [b.minutes for d in week.days for b in d.blocks] == [20, 20, 20, 15, 15]


def test_a_single_minute_left_over_by_a_plan_goes_to_the_other() -> None:
    short = course(plan("a", "a1 10"), week=(49,) * 7, share=0.5)
    long = course(plan("b", "b1 10"), week=(100,) * 7, share=0.5)
    assert shown(week_plan(MONDAY, [short, long], today=MONDAY))[0] == [
        ("a", "a1", 49),
        ("b", "b1", 51),
    ]


def test_spare_minutes_of_exactly_one_block_are_used() -> None:
    a = course(plan("a", "a1 0.5"), week=(100,) * 7, share=0.45)  # 45 minutes, 30 used
    c = course(plan("c", "c1 10"), week=(100,) * 7, share=0.55)
    assert shown(week_plan(MONDAY, [a, c], today=MONDAY))[0] == [("a", "a1", 30), ("c", "c1", 70)]


def test_spare_minutes_go_to_the_first_plan_that_can_use_them_and_only_once() -> None:
    a = course(plan("a", "a1 0.25"), week=(100,) * 7, share=0.4)  # 40 minutes, 15 used
    c = course(plan("c", "c1 10"), week=(100,) * 7, share=0.3)
    d = course(plan("d", "d1 10"), week=(100,) * 7, share=0.3)
    assert shown(week_plan(MONDAY, [a, c, d], today=MONDAY))[0] == [
        ("a", "a1", 15),
        ("c", "c1", 55),
        ("d", "d1", 30),
    ]


def test_a_one_minute_day_is_planned_and_once_studied_is_done() -> None:
    tiny = course(plan("p", "t 1"), week=(1,) * 7)
    assert shown(week_plan(MONDAY, [tiny], today=MONDAY))[:2] == [[("p", "t", 1)], [("p", "t", 1)]]
    done = course(plan("p", "t 1"), week=(1,) * 7, progress=Progress(studied_today=1))
    assert shown(week_plan(MONDAY, [done], today=MONDAY))[:2] == [[], [("p", "t", 1)]]
