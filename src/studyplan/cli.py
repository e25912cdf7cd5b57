"""The ``studyplan`` command line. Every command builds on ``service.Studyplan``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from typing import NoReturn

from studyplan import paths

COMMANDS_HELP = """
commands:
  (none)            open the app on the deck list
  review            open the app straight into today's review
  import PATH       add your own deck file or folder (synced at every start)
  decks             list decks with due, new and total cards
  decks check [PATH...]
                    lint deck files (default: the bundled decks)
  plan [--week DATE] [--markdown] [--ics FILE]
                    this week's study plan (or any week's)
  enrol PLAN [--start DATE] [--from POINT] [--minutes WEEK]
                    follow the three-month or the multi-year plan
  status [--ascii]  one line for a shell prompt: streak, cards due, plan minutes
  stats             streak, a year of reviews, the due forecast, retention
  backup            back up the database now (a daily backup is automatic)
  restore FILE [--yes]
                    replace the database with a backup, keeping the current one
  config [KEY [VALUE]]
                    show the settings, one setting, or change one
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one sentence, not usage and a sentence."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see studyplan --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="studyplan",
        description="Daily SM-2 flashcards, weekly study plans and streaks in the terminal.",
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: $STUDYPLAN_DB or the data directory)"
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="settings file (default: $STUDYPLAN_CONFIG or the config directory)",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    review = sub.add_parser("review", help="open the app straight into today's review")
    review.add_argument("--deck", metavar="NAME", help="review one deck (its name or id)")
    imp = sub.add_parser("import", help="add your own deck file or folder")
    imp.add_argument("path", nargs="+", type=Path, metavar="PATH")
    decks = sub.add_parser("decks", help="list decks, or check deck files for problems")
    decks.add_argument("action", nargs="?", choices=["list", "check"], default="list")
    decks.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="deck files or folders to check"
    )
    plan = sub.add_parser("plan", help="print this week's study plan")
    plan.add_argument("--week", metavar="DATE", help="any day of the week to show (YYYY-MM-DD)")
    plan.add_argument("--markdown", action="store_true", help="print a markdown table to share")
    plan.add_argument(
        "--ics", metavar="FILE", type=Path, help="write the week's blocks as calendar events"
    )
    plan.add_argument(
        "--at", metavar="HH:MM", default="18:00", help="when study starts each day, for --ics"
    )
    enrol = sub.add_parser("enrol", help="follow a study plan")
    enrol.add_argument("plan_id", metavar="PLAN", help="three-month or multi-year")
    enrol.add_argument("--start", metavar="DATE", help="first day (YYYY-MM-DD, default today)")
    enrol.add_argument(
        "--from", dest="point", metavar="POINT", help="starting point (multi-year plan)"
    )
    enrol.add_argument(
        "--minutes",
        default="mon-fri=60,sat=180,sun=0",
        metavar="WEEK",
        help="minutes per weekday, e.g. mon-fri=60,sat=180,sun=0",
    )
    enrol.add_argument(
        "--share", type=float, default=1.0, help="share of each day when following two plans"
    )
    status = sub.add_parser("status", help="one line for a shell prompt or tmux status bar")
    status.add_argument("--ascii", action="store_true", help="no emoji: 12d streak | 34 due")
    status.add_argument(
        "--no-plan", dest="plan", action="store_false", help="leave out today's plan minutes"
    )
    sub.add_parser("stats", help="print the streak, heatmap, forecast and retention")
    sub.add_parser("backup", help="back up the database now")
    restore = sub.add_parser(
        "restore", help="replace the database with a backup (the current one is kept)"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    config = sub.add_parser("config", help="show or change settings")
    config.add_argument("key", nargs="?")
    config.add_argument("value", nargs="?")
    return parser


class _VersionAction(argparse.Action):
    """Looks the version up only when asked: package metadata is slow to read."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        parser.exit(message=f"studyplan {_version()}\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("studyplan")
    except PackageNotFoundError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    from studyplan.core.errors import SourceError
    from studyplan.store.db import DatabaseError

    db_path = paths.database_file(args.db)
    config_path = Path(args.config).expanduser() if args.config else paths.config_file()
    try:
        if args.command == "config":
            return _config(config_path, args.key, args.value)
        if args.command == "decks" and args.action == "check":
            return _check(args.paths)
        from studyplan.service import Studyplan

        if args.command in (None, "review"):
            from studyplan.ui.app import StudyplanApp

            service = Studyplan(db_path, config_path)
            app = StudyplanApp(
                service, start=args.command or "home", deck=getattr(args, "deck", None)
            )
            app.run()
            service.close()
            return app.return_code or 0
        service = Studyplan(db_path, config_path)
        try:
            if args.command == "import":
                return _import(service, args.path)
            if args.command in ("plan", "enrol"):
                return _plan_command(service, args)
            if args.command in ("status", "stats"):
                from studyplan import cli_progress

                if args.command == "stats":
                    return cli_progress.stats(service)
                return cli_progress.status(service, ascii_only=args.ascii, plan=args.plan)
            if args.command == "backup":
                print(f"backed up to {service.backup_now()}")
                return 0
            if args.command == "restore":
                return _restore(service, args.file, args.yes)
            return _decks(service)
        finally:
            service.close()
    except (SourceError, DatabaseError) as err:
        print(f"studyplan: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _import(service, targets: list[Path]) -> int:
    failed = False
    for target in targets:
        report = service.import_path(target)
        for line in report.errors:
            print(line, file=sys.stderr)
        failed |= bool(report.errors)
        files = len(report.imported) + report.unchanged
        print(
            f"{target}: {files} deck file{'s' * (files != 1)}, {report.cards_added} cards added, "
            f"{report.cards_updated} updated, {report.cards_retired} retired"
        )
    return 1 if failed else 0


def _decks(service) -> int:
    report = service.sync_decks()
    for line in report.errors:
        print(line, file=sys.stderr)
    decks = service.deck_summaries()
    if not decks:
        print("No decks yet. Add one with: studyplan import PATH")
        return 0
    width = max(len(d.name) for d in decks)
    print(f"{'deck':<{width}}  {'due':>5}  {'new':>5}  {'cards':>5}")
    for d in decks:
        print(f"{d.name:<{width}}  {d.due:>5}  {d.new:>5}  {d.total:>5}")
    return 1 if report.errors else 0


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date; write it like 2026-11-30") from None


def _plan_command(service, args) -> int:
    from studyplan.core.availability import parse_weekly_minutes
    from studyplan.planning import PlanInputError, Planner

    planner = Planner(service)
    for line in planner.errors:
        print(line, file=sys.stderr)
    if args.command == "enrol":
        try:
            start = _date(args.start, "--start") if args.start else service.today()
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
        week = planner.week(_date(args.week, "--week") if args.week is not None else None)
    except ValueError as err:
        print(f"studyplan: {err}", file=sys.stderr)
        return 1
    if week is None:
        print(
            "You are not following a plan yet. Start with: studyplan enrol three-month",
            file=sys.stderr,
        )
        return 1
    from studyplan.plan_export import week_ics, week_markdown, week_text

    standings, today = planner.standings(), service.today()
    if args.ics:
        try:
            at = time.fromisoformat(args.at)
        except ValueError:
            print(
                f"studyplan: --at {args.at!r} is not a time; write it like 18:00", file=sys.stderr
            )
            return 1
        args.ics.write_bytes(week_ics(week, planner.plans, service.zone, at))
        events = sum(len(d.blocks) + (d.review > 0) for d in week.days)
        print(f"wrote {events} events for the week of {week.monday:%d %b %Y} to {args.ics}")
        return 0
    render = week_markdown if args.markdown else week_text
    print(render(week, planner.plans, standings, today), end="")
    return 0


def _restore(service, backup: Path, yes: bool) -> int:
    from studyplan.store.backup import inspect_backup

    info = inspect_backup(backup)
    question = (
        f"Replace {service.db_path} with {backup} ({info.cards} cards, {info.reviews} answers, "
        f"last answer {info.last_review or 'never'})? The current database is backed up first. [y/N] "
    )
    if not yes:
        if not sys.stdin.isatty():
            print(
                "studyplan: restore replaces your database; run it again with --yes to confirm",
                file=sys.stderr,
            )
            return 1
        if input(question).strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    kept = service.restore(backup)
    print(f"restored {backup}; the database as it was is kept in {kept}")
    return 0


def _check(targets: list[Path]) -> int:
    from studyplan.lint import check_paths, load_vocabulary

    bundled = paths.bundled_decks()
    targets = targets or [bundled]
    missing = [t for t in targets if not t.exists()]
    if missing:
        print(f"studyplan: {missing[0]}: no such file or folder", file=sys.stderr)
        return 1
    folders = [t if t.is_dir() else t.parent for t in targets]
    findings, files = check_paths(targets, load_vocabulary(bundled, *folders))
    for finding in findings:
        print(finding)
    print(
        f"{files} deck file{'s' * (files != 1)} checked, {len(findings)} finding{'s' * (len(findings) != 1)}",
        file=sys.stderr,
    )
    return 1 if findings else 0


def _config(config_path: Path, key: str | None, value: str | None) -> int:
    from studyplan.settings import SETTING_NAMES, Settings, load_settings, save_settings

    settings = load_settings(config_path)
    if key is None:
        print(f"# {config_path}")
        for name in SETTING_NAMES:
            print(f"{name} = {getattr(settings, name)!r}")
        return 0
    if value is None:
        if key not in SETTING_NAMES:
            settings.with_value(key, "")  # raises the unknown-setting error
        print(getattr(settings, key))
        return 0
    updated: Settings = settings.with_value(key, value)
    save_settings(config_path, updated)
    print(f"{key} = {getattr(updated, key)!r}  (saved to {config_path})")
    return 0
