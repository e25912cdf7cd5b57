"""``studyplan plan`` (and its actions) and ``studyplan enrol``.

A learner's mistake (a bad date, a duration like ``45x``, an unknown topic,
overlapping time off, a plan file with errors) is one sentence on stderr and
exit 1, and nothing stored changes.
"""

from __future__ import annotations

import sys
from datetime import date, time
from pathlib import Path

from studyplan.core.text import visible


def parse_date(text: str, what: str) -> date:
    """A date typed on the command line, within the range plans can use; else a ValueError."""
    from studyplan.core.plan.dates import parse_day

    return parse_day(text, what)


def _fail(message: object) -> int:
    print(visible(f"studyplan: {message}"), file=sys.stderr)
    return 1


def plan_command(service, args) -> int:
    """Run ``enrol`` or ``plan`` with its action."""
    from studyplan.core.errors import SourceError
    from studyplan.planning import PlanInputError, Planner

    planner = Planner(service)
    action = getattr(args, "action", None)
    quiet_errors = args.command == "plan" and action in ("leave",)
    if not quiet_errors:
        for line in planner.errors:
            print(line, file=sys.stderr)
    try:
        if args.command == "enrol":
            code = _enrol(planner, args)
        else:
            code = _ACTIONS.get(action or "", _show)(planner, args)
    except (ValueError, PlanInputError, SourceError) as err:
        return _fail(err)
    for notice in planner.take_notices():
        print(notice, file=sys.stderr)
    return code


def _enrol(planner, args) -> int:
    from studyplan.core.plan.availability import format_weekly_minutes, parse_weekly_minutes

    if args.stop:
        planner.leave(args.stop)
        print(f"You left {args.stop}; your progress is kept if you enrol again.")
        return 0
    if not args.plan_id:
        raise ValueError("name the plan to follow, like: studyplan enrol three-month")
    plan = planner.plan(args.plan_id)
    start = parse_date(args.start, "--start") if args.start else None
    point = args.point
    minutes = (
        parse_weekly_minutes(args.minutes)
        if args.minutes
        else planner.default_week(args.plan_id, point)
    )
    current = planner.enrolment(args.plan_id)
    share = args.share if args.share is not None else (current.share if current else 1.0)
    enrolment = planner.enrol(args.plan_id, start, point, minutes, share)
    verb = "Changed your enrolment in" if current else "Enrolled in"
    print(
        f"{verb} {plan.title} from {enrolment.start:%d %b %Y} "
        f"({format_weekly_minutes(enrolment.weekly_minutes)})."
    )
    preview = planner.preview(
        enrolment.plan_id,
        enrolment.start,
        enrolment.starting_point,
        enrolment.weekly_minutes,
        enrolment.share,
    )
    print(preview.sentence())
    print("See the week with: studyplan plan")
    return 0


def _show(planner, args) -> int:
    from studyplan.core.plan.describe import catch_up_line, week_text

    service = planner.studyplan
    if args.all and not args.ics:
        raise ValueError("--all goes with --ics FILE: studyplan plan --ics plan.ics --all")
    day = parse_date(args.week, "--week") if args.week is not None else None
    inputs = planner.inputs()
    if not inputs.courses:
        print(
            "You are not following a plan yet. Start with: studyplan enrol three-month",
            file=sys.stderr,
        )
        return 1
    if args.overview:
        return _overview(planner, inputs)
    if args.ics:
        return _ics(planner, args)
    week = planner.week(day, inputs)
    assert week is not None
    rows = planner.week_rows(week, inputs)
    standings = planner.standings(inputs)
    today = service.today()
    if args.markdown:
        from studyplan.interop.plan_markdown import week_markdown

        print(week_markdown(week, rows, planner.plans, standings, today), end="")
        return 0
    notes = [
        catch_up_line(planner.plans[cu.plan_id], cu, keys=False)
        for cu in planner.choices.catch_ups(inputs)
    ]
    notes += _time_notes(planner)
    print(week_text(week, rows, planner.plans, standings, today, notes=notes), end="")
    return 0


def _time_notes(planner) -> list[str]:
    """The timer, and the reviews waiting after time off."""
    from studyplan.plan_time_off import return_sentence

    out = []
    timer = planner.timer()
    if timer is not None:
        topic = planner.timer_topic(timer)
        state = "running" if timer.running else "paused"
        name = topic.title if topic else timer.topic_id
        out.append(f"Timer {state} on {name}: {timer.clock(planner.studyplan.clock())}.")
    waiting = planner.time_off.on_return()
    if waiting is not None:
        out.append(return_sentence(waiting, keys=False))
    return out


def _overview(planner, inputs) -> int:
    from studyplan.core.plan.overview import overview_lines

    for n, overview in enumerate(planner_overviews(planner, inputs)):
        if n:
            print()
        print("\n".join(overview_lines(overview, 80)))
    return 0


def planner_overviews(planner, inputs):
    """The overview of every followed plan."""
    from studyplan.core.plan.overview import build_overview

    cards = planner.repo.cards_by_tag()
    standings = dict((plan.id, st) for plan, st in planner.standings(inputs))
    return [
        build_overview(c, standings[c.plan.id], inputs.today, inputs.off_days, cards)
        for c in inputs.courses
    ]


def _ics(planner, args) -> int:
    try:
        at = time.fromisoformat(args.at)
    except ValueError:
        raise ValueError(f"--at {args.at!r} is not a time; write it like 18:00") from None
    if args.all:
        report = planner.calendar.export(args.ics, at)
        print(
            f"wrote {report.events} events over {report.weeks} weeks to {report.path} "
            f"({report.changed} new or changed, {report.cancelled} cancelled)"
        )
        return 0
    from studyplan.files import write_file
    from studyplan.interop.ical import week_ics

    day = parse_date(args.week, "--week") if args.week is not None else None
    week = planner.week(day)
    write_file(args.ics, week_ics(week, planner.plans, planner.studyplan.zone, at))
    events = sum(len(d.blocks) + (d.review > 0) for d in week.days)
    print(f"wrote {events} events for the week of {week.monday:%d %b %Y} to {args.ics}")
    return 0


def _off(planner, args) -> int:
    time_off = planner.time_off
    if args.remove:
        removed = time_off.remove(parse_date(args.remove, "--remove"))
        print(f"Removed your time off {removed.label()}.")
        return 0
    if args.start is None:
        ranges = time_off.ranges()
        if not ranges:
            print("No time off. Add some with: studyplan plan off START END [--note TEXT]")
        for r in ranges:
            print(r.label())
        return 0
    first = parse_date(args.start, "the first day off")
    last = parse_date(args.end, "the last day off") if args.end else first
    added = time_off.add(first, last, args.note or "")
    print(f"Added time off {added.label()}. The plan carries the work forward.")
    standings = planner.standings()
    for plan, st in standings:
        if st.projected_finish:
            print(f"{plan.title}: you now finish about {st.projected_finish:%a %d %b %Y}.")
    waiting = time_off.on_return()
    if waiting is not None:
        from studyplan.plan_time_off import return_sentence

        print(return_sentence(waiting, keys=False))
    return 0


def _log(planner, args) -> int:
    from studyplan.core.plan.availability import parse_duration

    minutes = parse_duration(args.duration)
    day = parse_date(args.day, "--day") if args.day else None
    record = planner.log_time(args.topic, minutes, day)
    topic = planner.plans[record.plan_id].topic(record.topic_id)
    spent = planner.repo.progress(record.plan_id, planner.studyplan.today()).spent(topic.id)
    print(
        f"Logged {record.minutes} min of {topic.title} on {record.study_day:%a %d %b %Y} "
        f"({spent} of {topic.minutes} min estimated)."
    )
    if spent >= topic.minutes:
        print(
            "That is past its estimate: the plan keeps time for it until you mark it finished "
            "(f on the Plan screen)."
        )
    return 0


def _import(planner, args) -> int:
    plan = planner.import_plan(Path(args.file))
    points = ", ".join(plan.point_ids)
    print(
        f"Imported {plan.title} ({plan.id}: {len(plan.topics)} topics). "
        f"Follow it with: studyplan enrol {plan.id}"
        + (f" --from POINT (one of: {points})" if len(plan.point_ids) > 1 else "")
    )
    return 0


def _leave(planner, args) -> int:
    planner.leave(args.plan_id)
    print(f"You left {args.plan_id}; your progress is kept if you enrol again.")
    return 0


def _keep(planner, args) -> int:
    from studyplan.core.plan.availability import format_weekly_minutes

    found, week = planner.choices.keep(args.plan_id)
    print(
        f"Kept the target {found.target:%a %d %b %Y}: {sum(week)} min a week from now on "
        f"({format_weekly_minutes(week)}). Undo with: studyplan plan undo"
    )
    return 0


def _move(planner, args) -> int:
    _, moved = planner.choices.move(args.plan_id)
    print(f"Moved the target to {moved:%a %d %b %Y}. Undo with: studyplan plan undo")
    return 0


def _undo(planner, args) -> int:
    from studyplan.plan_choices import describe_change

    change = planner.choices.undo(args.plan_id)
    print(f"Undone: {describe_change(change)} ({change.plan_id}).")
    return 0


def _pace(planner, args) -> int:
    factor = planner.choices.use_pace(args.state == "on", args.plan_id)
    if args.state == "on":
        print(f"What is left is now re-estimated at your pace (factor {factor:.2f}).")
    else:
        print("What is left is estimated as the plan says again.")
    return 0


def _spread(planner, args) -> int:
    time_off = planner.time_off
    if args.undo:
        batch = time_off.last_spread()
        if batch is None:
            raise ValueError("there is no spread of reviews to undo")
        print(f"Put {time_off.unspread(batch)} cards back on their own due dates.")
        return 0
    batch, moved, waiting = time_off.spread(args.days)
    print(
        f"Spread {waiting.due} cards over {args.days} days from {waiting.back:%a %d %b} "
        f"({moved} moved). Undo with: studyplan plan spread --undo"
    )
    return 0


_ACTIONS = {
    "off": _off,
    "log": _log,
    "import": _import,
    "leave": _leave,
    "keep": _keep,
    "move": _move,
    "undo": _undo,
    "pace": _pace,
    "spread": _spread,
}


def add_plan_parsers(sub) -> None:
    """``plan`` and ``enrol`` on the command line's sub-parsers."""
    plan = sub.add_parser("plan", help="print this week's study plan, or change it")
    plan.add_argument("--week", metavar="DATE", help="any day of the week to show (YYYY-MM-DD)")
    plan.add_argument("--markdown", action="store_true", help="print a markdown table to share")
    plan.add_argument(
        "--overview", action="store_true", help="the whole roadmap: phases on a timeline"
    )
    plan.add_argument(
        "--ics", metavar="FILE", type=Path, help="write the week's blocks as calendar events"
    )
    plan.add_argument(
        "--all", action="store_true", help="with --ics: every remaining week, and time off"
    )
    plan.add_argument(
        "--at", metavar="HH:MM", default="18:00", help="when study starts each day, for --ics"
    )
    actions = plan.add_subparsers(dest="action", metavar="ACTION")
    off = actions.add_parser("off", help="time off: list, add START [END], or --remove DATE")
    off.add_argument("start", nargs="?", metavar="START", help="first day off (YYYY-MM-DD)")
    off.add_argument("end", nargs="?", metavar="END", help="last day off (default: START)")
    off.add_argument("--note", metavar="TEXT", help="why: holiday, exams ...")
    off.add_argument("--remove", metavar="DATE", help="remove the time off holding DATE")
    log = actions.add_parser("log", help="record time spent on a topic: TOPIC 45m [--day DATE]")
    log.add_argument("topic", metavar="TOPIC", help="the topic's id or part of its title")
    log.add_argument("duration", metavar="DURATION", help="45m, 1h30m, 1.5h or minutes")
    log.add_argument("--day", metavar="DATE", help="the study day (default today)")
    imp = actions.add_parser("import", help="add your own plan file (docs/plan-format.md)")
    imp.add_argument("file", metavar="FILE")
    leave = actions.add_parser("leave", help="stop following a plan (progress is kept)")
    leave.add_argument("plan_id", metavar="PLAN")
    for name, text in (
        ("keep", "keep the target date: more minutes a week"),
        ("move", "move the target date to where the plan now ends"),
        ("undo", "undo the last keep, move or pace choice"),
    ):
        choice = actions.add_parser(name, help=text)
        choice.add_argument("plan_id", nargs="?", metavar="PLAN")
    pace = actions.add_parser("pace", help="re-estimate what is left at your own pace: on|off")
    pace.add_argument("state", choices=["on", "off"])
    pace.add_argument("plan_id", nargs="?", metavar="PLAN")
    spread = actions.add_parser(
        "spread", help="spread the reviews waiting after time off over DAYS days"
    )
    spread.add_argument("days", nargs="?", type=int, default=5, metavar="DAYS")
    spread.add_argument("--undo", action="store_true", help="undo the last spread")

    enrol = sub.add_parser("enrol", help="follow a study plan, change its minutes, or stop")
    enrol.add_argument("plan_id", nargs="?", metavar="PLAN", help="a plan's id, like three-month")
    enrol.add_argument(
        "--start", metavar="DATE", help="first day (YYYY-MM-DD; default: today, or kept)"
    )
    enrol.add_argument("--from", dest="point", metavar="POINT", help="starting point")
    enrol.add_argument(
        "--minutes",
        metavar="WEEK",
        help="minutes per weekday, e.g. mon-fri=60,sat=180,sun=0 (default: what the plan asks)",
    )
    enrol.add_argument("--share", type=float, help="share of each day when following two plans")
    enrol.add_argument("--stop", metavar="PLAN", help="leave PLAN (its progress is kept)")
