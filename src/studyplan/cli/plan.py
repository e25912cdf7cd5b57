"""``studyplan plan`` and ``studyplan enrol``."""

from __future__ import annotations

import sys
from datetime import date, time


def parse_date(text: str, what: str) -> date:
    """A date typed on the command line, or a ValueError in one sentence."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date; write it like 2026-11-30") from None


def plan_command(service, args) -> int:
    from studyplan.core.plan.availability import parse_weekly_minutes
    from studyplan.planning import PlanInputError, Planner

    planner = Planner(service)
    for line in planner.errors:
        print(line, file=sys.stderr)
    if args.command == "enrol":
        try:
            start = parse_date(args.start, "--start") if args.start else service.today()
            minutes = parse_weekly_minutes(args.minutes)
            enrolment = planner.enrol(args.plan_id, start, args.point, minutes, args.share)
        except (ValueError, PlanInputError) as err:
            print(f"studyplan: {err}", file=sys.stderr)
            return 1
        plan = planner.plans[enrolment.plan_id]
        print(
            f"Enrolled in {plan.title} from {enrolment.start:%d %b %Y}. See the week with: studyplan plan"
        )
        return 0
    try:
        week = planner.week(parse_date(args.week, "--week") if args.week is not None else None)
    except ValueError as err:
        print(f"studyplan: {err}", file=sys.stderr)
        return 1
    if week is None:
        print(
            "You are not following a plan yet. Start with: studyplan enrol three-month",
            file=sys.stderr,
        )
        return 1
    from studyplan.core.plan.describe import week_text
    from studyplan.files import write_file
    from studyplan.interop.ical import week_ics
    from studyplan.interop.plan_markdown import week_markdown

    standings, today = planner.standings(), service.today()
    if args.ics:
        try:
            at = time.fromisoformat(args.at)
        except ValueError:
            print(
                f"studyplan: --at {args.at!r} is not a time; write it like 18:00", file=sys.stderr
            )
            return 1
        write_file(args.ics, week_ics(week, planner.plans, service.zone, at))
        events = sum(len(d.blocks) + (d.review > 0) for d in week.days)
        print(f"wrote {events} events for the week of {week.monday:%d %b %Y} to {args.ics}")
        return 0
    render = week_markdown if args.markdown else week_text
    print(render(week, planner.plans, standings, today), end="")
    return 0
