"""How long the plan's views take on the bundled multi-year plan, per starting point.

    uv run python benchmarks/plan_bench.py [--repeat 5]

Printed, not asserted (the tests hold no timing): a far week (three years of
days simulated from today), the whole run to the plan's end, the overview as
the Plan screen and ``studyplan plan --overview`` build it (standing, the
scheduled finish and the 80-column text), the catch-up choices of a learner
four months behind, and the events of every remaining week for a calendar.
A frame at 60 Hz is 16.7 ms.
"""

from __future__ import annotations

import argparse
import timeit
from dataclasses import replace
from datetime import date, time
from zoneinfo import ZoneInfo

from studyplan import paths
from studyplan.core.plan.catchup import catch_up
from studyplan.core.plan.overview import build_overview, overview_lines
from studyplan.core.plan.parse import Plan, parse_plan
from studyplan.core.plan.schedule import (
    Course,
    Enrolment,
    NewCards,
    Progress,
    plan_run,
    standing,
    week_plan,
    week_start,
)
from studyplan.interop.ical import plan_events

WEEK = (60, 60, 60, 60, 60, 180, 0)
START, TODAY = date(2026, 1, 5), date(2026, 6, 3)
CARDS = NewCards(20, 3000)


def best(fn, repeat: int) -> float:
    """The fastest of ``repeat`` runs, in milliseconds."""
    return min(timeit.repeat(fn, number=1, repeat=repeat)) * 1000


def measure(plan: Plan, point: str, repeat: int) -> tuple[float, ...]:
    """The five timings for one starting point, in milliseconds."""
    first = plan.path(point)[:3]
    progress = Progress({t.id: t.minutes for t in first}, logged=frozenset(t.id for t in first))
    course = Course(plan, Enrolment(plan.id, START, point, WEEK), progress)
    far = week_start(date(2029, 1, 1))
    far_week = best(lambda: week_plan(far, [course], TODAY, new_cards=CARDS), repeat)
    to_end = best(lambda: plan_run([course], TODAY, new_cards=CARDS), repeat)

    def overview() -> list[str]:
        finish = plan_run([course], TODAY, new_cards=CARDS).finish[plan.id]
        st = standing(course, TODAY, scheduled_finish=finish)
        return overview_lines(build_overview(course, st, TODAY, cards_by_tag={}), 80)

    behind = replace(course, enrolment=replace(course.enrolment, weekly_minutes=(30,) * 5 + (0, 0)))

    def choices() -> object:
        target = standing(behind, TODAY).nominal_finish
        return catch_up(
            [behind], 0, target, lambda cs, until: plan_run(cs, TODAY, count_until=until)
        )

    def calendar() -> object:
        days = plan_run([course], TODAY, record_from=week_start(TODAY), new_cards=CARDS).days
        return plan_events(days, {plan.id: plan}, ZoneInfo("Europe/Berlin"), time(18, 0))

    return far_week, to_end, best(overview, repeat), best(choices, repeat), best(calendar, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    path = paths.bundled_plans() / "multi-year.md"
    plan = parse_plan(path.read_text(encoding="utf-8"), str(path))
    print(f"{plan.title}: {len(plan.topics)} topics; best of {repeat}, in ms")
    print(
        f"{'starting point':<16} {'far week':>9} {'to end':>8} {'overview':>9} {'catch-up':>9} {'calendar':>9}"
    )
    for point in plan.point_ids:
        far_week, to_end, overview_ms, catch_ms, calendar_ms = measure(plan, point, repeat)
        print(
            f"{point:<16} {far_week:>9.1f} {to_end:>8.1f} {overview_ms:>9.1f} "
            f"{catch_ms:>9.1f} {calendar_ms:>9.1f}"
        )


if __name__ == "__main__":
    main()
