"""The scheduler's promises over any plan: prerequisites first, no tiny blocks, review time kept.

Each plan here is written in the test (the bundled plans are rewritten separately).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyplan.core.plan.course import MIN_BLOCK
from studyplan.core.plan.parse import Plan, parse_plan
from studyplan.core.plan.schedule import (
    Course,
    Enrolment,
    NewCards,
    Progress,
    plan_run,
    week_plan,
)

MONDAY = date(2026, 3, 2)


def plan_of(body: str, head: str = "") -> Plan:
    return parse_plan(f'+++\nid = "p"\ntitle = "P"\n{head}+++\n{body}', "p.md")


def order(plan: Plan, week: tuple[int, ...], progress: Progress | None = None) -> list[str]:
    """Topic ids in the order their blocks come, over the whole run."""
    course = Course(plan, Enrolment("p", MONDAY, weekly_minutes=week), progress or Progress())
    run = plan_run([course], MONDAY, record_from=MONDAY)
    return [b.topic.id for d in run.days for b in d.blocks]


def test_a_topic_with_two_prerequisites_waits_for_both() -> None:
    plan = plan_of(
        "## One {weeks=1}\n- A {#a hours=1}\n- P {#p after=a,b hours=1}\n- B {#b hours=1}\n"
    )
    # A mutant that checks only the first prerequisite would plan A, P, B.
    assert order(plan, (60,) * 7) == ["a", "b", "p"]


def test_a_started_topic_still_waits_for_its_prerequisites() -> None:
    plan = plan_of(
        "## One {weeks=1}\n- Basics {#basics hours=2}\n- Project {#project after=basics hours=2}\n"
    )
    started = Progress(minutes={"project": 30})  # begun early, before its prerequisite
    ids = order(plan, (60,) * 7, started)
    assert ids.index("project") > max(i for i, t in enumerate(ids) if t == "basics")


def test_prerequisites_reach_across_phases_both_ways() -> None:
    plan = plan_of(
        "## First {weeks=1}\n- Early project {#early after=late-basics hours=1}\n- Intro {#intro hours=1}\n"
        "## Second {weeks=1}\n- Late basics {#late-basics hours=1}\n- Deep {#deep after=intro hours=1}\n"
    )
    ids = order(plan, (60,) * 7)
    assert ids.index("early") > ids.index("late-basics")
    assert ids.index("deep") > ids.index("intro")


@st.composite
def plans_and_learners(draw):
    """A random plan (prerequisites pointing anywhere, without cycles), progress and week."""
    count = draw(st.integers(2, 10))
    hours = [
        draw(st.sampled_from(["0.1", "0.25", "0.5", "1", "1.5", "2", "3", "6"]))
        for _ in range(count)
    ]
    after = [
        sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else [] for i in range(count)
    ]
    written = draw(st.permutations(range(count)))  # file order differs from dependency order
    phases = draw(st.integers(1, 3))
    lines = []
    for n, i in enumerate(written):
        if n % max(1, count // phases) == 0:
            lines.append(f"## Phase {n} {{weeks=1}}")
        needs = ",".join(f"t{p}" for p in after[i])
        lines.append(
            f"- Topic {i} {{#t{i} hours={hours[i]}" + (f" after={needs}" if needs else "") + "}"
        )
    plan = plan_of("\n".join(lines) + "\n")
    done = draw(st.sets(st.integers(0, count - 1), max_size=count // 2))
    spent = draw(st.dictionaries(st.integers(0, count - 1), st.integers(1, 400), max_size=3))
    progress = Progress(
        minutes={f"t{i}": m for i, m in spent.items()}, done=frozenset(f"t{i}" for i in done)
    )
    week = tuple(draw(st.sampled_from([0, 30, 45, 60, 90, 240])) for _ in range(7))
    if not any(week):
        week = (60, *week[1:])
    return plan, progress, week


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_and_learners(), st.booleans())
def test_no_topic_is_ever_scheduled_before_all_its_prerequisites_are_done(
    case: tuple[Plan, Progress, tuple[int, ...]], with_cards: bool
) -> None:
    plan, progress, week = case
    course = Course(plan, Enrolment("p", MONDAY, weekly_minutes=week), progress)
    cards = NewCards(20, 500) if with_cards else None
    run = plan_run([course], MONDAY, {MONDAY: 40}, record_from=MONDAY, new_cards=cards)
    finished = {t.id for t in plan.topics if progress.remaining(t.id, t.minutes) == 0}
    for day in run.days:
        assert day.review + day.study <= day.available
        for block in day.blocks:
            missing = [p for p in block.topic.after if p not in finished]
            assert not missing, f"{block.topic.id} on {day.day} before {missing}"
            # Every day here has 0 or at least 30 minutes, so no block is under the minimum.
            assert block.minutes >= MIN_BLOCK, f"{block.minutes}-minute block on {day.day}"
            if block.finishes:
                finished.add(block.topic.id)
    assert finished == {t.id for t in plan.topics}, "the run ends with every topic done"


def test_no_block_is_shorter_than_the_minimum_even_when_a_day_ends_mid_topic() -> None:
    plan = plan_of("## One {weeks=2}\n- A {#a hours=1.1}\n- B {#b hours=0.1}\n- C {#c hours=2}\n")
    course = Course(plan, Enrolment("p", MONDAY, weekly_minutes=(50,) * 7))
    run = plan_run([course], MONDAY, record_from=MONDAY)
    days = [[(b.topic.id, b.minutes) for b in d.blocks] for d in run.days]
    # B (6 minutes) is planned as one 15-minute block. C's last 51 minutes would leave a
    # 1-minute tail after a 50-minute day, so that day takes 36 and the last one 15.
    assert days == [
        [("a", 50)],
        [("a", 16), ("b", 15), ("c", 19)],
        [("c", 50)],
        [("c", 36)],
        [("c", 15)],
    ]


def test_review_minutes_on_every_study_day_of_a_fresh_enrolment() -> None:
    plan = plan_of("## One {weeks=12}\n- Long {#long hours=80}\n- Longer {#longer hours=40}\n")
    course = Course(plan, Enrolment("p", MONDAY, weekly_minutes=(60, 60, 60, 60, 60, 180, 0)))
    run = plan_run([course], MONDAY, record_from=MONDAY, new_cards=NewCards(20, 3000))
    study_days = [d for d in run.days if d.available]
    assert len(study_days) > 60
    assert all(d.review > 0 for d in study_days), [d.day for d in study_days if not d.review]
    # Weeks 1, 5 and 12 all keep flashcard time, growing as introduced cards come back.
    weeks = [run.days[7 * (n - 1) : 7 * n] for n in (1, 5, 12)]
    first, fifth, twelfth = (sum(d.review for d in w) for w in weeks)
    assert 0 < first <= fifth <= twelfth


def test_new_card_reviews_come_back_on_the_sm2_days() -> None:
    plan = plan_of("## One {weeks=4}\n- Long {#long hours=100}\n")
    course = Course(plan, Enrolment("p", MONDAY, weekly_minutes=(120,) * 7))
    run = plan_run([course], MONDAY, record_from=MONDAY, new_cards=NewCards(10, 10))
    # 10 new cards on day 1 (3 answers each: 5 minutes), then none left to introduce; they come
    # back the next day (2 minutes, shown as a 5-minute sitting), then on day 8 and day 23.
    reviews = {d.day: d.review for d in run.days[:30] if d.review}
    assert set(reviews) == {
        MONDAY,
        MONDAY + timedelta(1),
        MONDAY + timedelta(7),
        MONDAY + timedelta(22),
    }
    assert reviews[MONDAY] == 5


def test_a_week_plan_keeps_time_for_new_cards_from_the_first_day() -> None:
    plan = plan_of("## One {weeks=2}\n- A {#a hours=20}\n")
    course = Course(plan, Enrolment("p", MONDAY, weekly_minutes=(90,) * 5 + (0, 0)))
    week = week_plan(MONDAY, [course], MONDAY, new_cards=NewCards(20, 2000, done_today=0))
    assert [d.review for d in week.days] == [10, 14, 14, 14, 14, 0, 0]
    assert [d.study for d in week.days] == [80, 76, 76, 76, 76, 0, 0]
    half_done = week_plan(MONDAY, [course], MONDAY, new_cards=NewCards(20, 2000, done_today=10))
    assert half_done.days[0].review == 5  # today needs only the 10 new cards still to come
