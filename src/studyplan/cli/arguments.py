"""The command line's grammar and help: argparse, loaded for every command but the
shell prompt's ``status`` (see ``cli._prompt_args``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from studyplan.core.text import visible

COMMANDS_HELP = """
commands:
  (none)            open the app on the deck list
  review [--deck NAME] [--query QUERY]
                    open the app straight into today's review (or practise
                    the cards a query finds, which changes no schedule)
  import PATH       add your own deck file or folder (synced at every start),
                    or move in from Anki: a .apkg, .colpkg or text export
  export --apkg FILE [--deck NAME] [--query QUERY] | --markdown DIR | --log CSV
                    decks (or the cards a query finds) as an Anki package,
                    decks as markdown files, or the review log as CSV
  cards [QUERY] [--json]
                    find cards (the browser's search: deck:, tag:, is:due ...)
  cards show ID     one card: its text, state and every answer
  cards suspend|unsuspend|bury|unbury|reset ID... [--query QUERY]
  cards flag COLOUR ID... [--query QUERY]
  cards undo        take back the last change made to cards
  decks             list decks with due, new and total cards
  decks check [PATH...]
                    lint deck files (default: the bundled decks)
  plan [--week DATE] [--markdown] [--overview] [--ics FILE [--all]]
                    this week's study plan (or any week's), the whole roadmap,
                    or a calendar of every remaining week
  plan off [START [END]] [--note TEXT] [--remove DATE]
                    time off: list it, add a range, remove one
  plan log TOPIC 45m [--day DATE]
                    record time spent on a topic (yesterday's too)
  plan keep|move|undo [PLAN]
                    when behind: keep the target date, move it, or undo that
  plan pace on|off  re-estimate what is left at your own pace
  plan spread [DAYS] [--undo]
                    spread the reviews waiting after time off
  plan import FILE  add your own plan file (docs/plan-format.md)
  plan leave PLAN   stop following a plan (progress is kept)
  enrol PLAN [--start DATE] [--from POINT] [--minutes WEEK] [--share N]
                    follow a plan, or change its minutes (the start is kept)
  enrol --stop PLAN stop following a plan
  status [--ascii]  one line for a shell prompt: streak, cards due, plan minutes
  stats [--models]  streak, a year of reviews, the due forecast, retention;
                    --models: SM-2 against FSRS on your own log, and the reviews
                    a day each scheduler would ask for
  sync [DIR]        sync with your other machines through a shared folder
                    (default: the sync_folder setting)
  backup            back up the database now (a daily backup is automatic)
  restore FILE [--yes]
                    replace the database with a backup, keeping the current one
  config [KEY [VALUE]]
                    show the settings, one setting, or change one
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one sentence, not usage and a sentence."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, visible(f"{self.prog}: error: {message} (see studyplan --help)\n"))


def build_parser() -> argparse.ArgumentParser:
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
    review.add_argument(
        "--query", metavar="QUERY", help="practise the cards this search finds (custom study)"
    )
    cards = sub.add_parser("cards", help="find cards, show one, suspend, bury, flag or reset")
    cards.add_argument("words", nargs="*", metavar="QUERY|ACTION")
    cards.add_argument("--query", metavar="QUERY", help="the cards an action applies to")
    cards.add_argument("--json", action="store_true", help="JSON for scripts")
    cards.add_argument("--sort", default="added", metavar="COLUMN", help="added, deck, due, ...")
    cards.add_argument("--desc", action="store_true", help="sort the other way")
    cards.add_argument("--limit", type=int, default=50, help="rows to print (0: all)")
    imp = sub.add_parser("import", help="add your own deck file or folder")
    imp.add_argument("path", nargs="+", type=Path, metavar="PATH")
    export = sub.add_parser("export", help="decks to Anki or markdown, the review log to CSV")
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--apkg", type=Path, metavar="FILE", help="an Anki package")
    what.add_argument("--markdown", type=Path, metavar="DIR", help="deck files into a folder")
    what.add_argument("--log", type=Path, metavar="FILE", help="the review log as CSV")
    export.add_argument("--deck", metavar="NAME", help="one deck only (--apkg, --markdown)")
    export.add_argument(
        "--query", metavar="QUERY", help="only the cards this search finds (--apkg), as in cards"
    )
    decks = sub.add_parser("decks", help="list decks, or check deck files for problems")
    decks.add_argument("action", nargs="?", choices=["list", "check"], default="list")
    decks.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="deck files or folders to check"
    )
    from studyplan.cli.plan import add_plan_parsers

    add_plan_parsers(sub)
    status = sub.add_parser("status", help="one line for a shell prompt or tmux status bar")
    status.add_argument("--ascii", action="store_true", help="no emoji: 12d streak | 34 due")
    status.add_argument(
        "--no-plan", dest="plan", action="store_false", help="leave out today's plan minutes"
    )
    stats = sub.add_parser("stats", help="print the streak, heatmap, forecast and retention")
    stats.add_argument(
        "--models",
        action="store_true",
        help="which memory model fits you (SM-2 or FSRS), and what switching would cost",
    )
    sync = sub.add_parser("sync", help="sync with other machines through a shared folder")
    sync.add_argument("folder", nargs="?", metavar="DIR")
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
