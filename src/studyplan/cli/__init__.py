"""The ``studyplan`` command line. Every command builds on ``service.Studyplan``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from studyplan import paths
from studyplan.core.text import visible


def _sync(service, folder: str | None) -> int:
    from studyplan.sync import SyncError, sync_folder

    if folder is not None and not folder.strip():
        print(
            "studyplan: the sync folder is empty; name one, like ~/Sync/studyplan", file=sys.stderr
        )
        return 1
    setting = service.settings.sync_folder
    chosen = Path(folder) if folder else (Path(setting) if setting else None)
    if chosen is None:
        print(
            "studyplan: name a folder (studyplan sync DIR), or set one: "
            "studyplan config sync_folder ~/Sync/studyplan",
            file=sys.stderr,
        )
        return 1
    service.sync_decks()  # cards of decks that arrived with the learner's own file sync
    try:
        report = sync_folder(service.db_path, chosen)
    except SyncError as err:
        print(visible(f"studyplan: {err}"), file=sys.stderr)
        return 1
    print(report.sentence())
    for problem in report.problems:
        print(visible(f"studyplan: {problem}"), file=sys.stderr)
    return 1 if report.problems else 0


def _review_deck(service, wanted: str) -> str:
    """The key of the deck ``wanted`` names, syncing the deck files first if none matches."""
    try:
        return service.find_deck(wanted).key
    except LookupError:
        service.sync_decks()  # a first run, or a deck file added since: look again
        return service.find_deck(wanted).key


def _prompt_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """``studyplan [--db PATH] [--config PATH] status [--ascii] [--no-plan]``,
    ``studyplan [--db PATH] [--config PATH] import PATH...``, and the app's own starts,
    ``studyplan [--db PATH] [--config PATH] [review]``, read without argparse, which
    (loaded and built with every command) costs a shell prompt a fifth of its time, an
    import 20 ms and the first card 5-10 ms; None for anything else, which argparse
    reads (and explains) as always."""
    args = SimpleNamespace(command=None, db=None, config=None)
    words = list(argv)
    while words and words[0] not in ("status", "import", "review"):
        option, equals, value = words.pop(0).partition("=")
        if option not in ("--db", "--config"):
            return None
        if not equals:
            if not words or words[0].startswith("-"):
                return None
            value = words.pop(0)
        setattr(args, option[2:], value)
    if not words:
        return args  # the app, at home
    args.command = words.pop(0)
    if args.command == "review":
        if words:
            return None  # --deck, --query: argparse's
        args.deck = args.query = None
        return args
    if args.command == "import":
        if not words or any(word.startswith("-") for word in words):
            return None
        args.path = [Path(word) for word in words]
        return args
    args.ascii, args.plan = False, True
    for word in words:
        if word == "--ascii":
            args.ascii = True
        elif word == "--no-plan":
            args.plan = False
        else:
            return None
    return args


def _run_app(args: Any, db_path: Path, config_path: Path) -> int:
    """The app, at home or straight into a review (``studyplan``, ``studyplan review``)."""
    from studyplan.service import Studyplan
    from studyplan.ui.app import StudyplanApp

    service = Studyplan(db_path, config_path)
    deck = None
    if getattr(args, "deck", None):
        try:
            deck = _review_deck(service, args.deck)
        except LookupError as err:
            service.close()
            print(visible(f"studyplan: {err}"), file=sys.stderr)
            return 1
    query = getattr(args, "query", None)
    if query is not None:
        from studyplan.browser import Browser, QueryError

        try:
            Browser(service).parse(query)
        except QueryError as err:
            service.close()
            print(visible(f"studyplan: the query cannot be read: {err}"), file=sys.stderr)
            return 1
    app = StudyplanApp(service, start=args.command or "home", deck=deck, query=query)
    from studyplan.ui.images import detect_graphics

    app.graphics = detect_graphics(service)  # before the app reads the terminal
    app.run()
    service.close()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``studyplan cards | head``): stop quietly, as cat does.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _main(argv: Sequence[str] | None) -> int:
    args: Any = _prompt_args(sys.argv[1:] if argv is None else argv)  # or argparse's Namespace
    if args is None:
        from studyplan.cli.arguments import build_parser

        args = build_parser().parse_args(argv)
    from studyplan.core.errors import SourceError
    from studyplan.store.errors import DatabaseError

    db_path = paths.database_file(args.db)
    config_path = Path(args.config).expanduser() if args.config else paths.config_file()
    try:
        if args.command == "config":
            from studyplan.cli.config import config

            return config(config_path, args.key, args.value, db_path)
        if args.command == "decks" and args.action == "check":
            from studyplan.cli.decks import check

            return check(args.paths)
        if args.command in (None, "review"):
            import gc

            # The app's start makes hundreds of thousands of objects (its imports, the
            # day's queue), and each collection would walk all of them again: none runs
            # until the first screen is painted, when the app freezes what start-up made
            # and turns collection back on (StudyplanApp.release_collector).
            gc.disable()
            try:
                return _run_app(args, db_path, config_path)
            finally:
                gc.enable()  # when the app ended before its first screen, or never started
        from studyplan.service import Studyplan

        # These only read the database: on a full or read-only disk they still work.
        reading = args.command in ("status", "stats", "plan") or (
            args.command == "cards" and (not args.words or args.words[0] == "show")
        )
        service = Studyplan(db_path, config_path, reading_only=reading)
        try:
            if args.command == "cards":
                from studyplan.cli.cards import cards_command

                return cards_command(service, args)
            if args.command == "import":
                from studyplan.cli.decks import import_paths

                return import_paths(service, args.path)
            if args.command == "export":
                from studyplan.cli.decks import export

                return export(service, args)
            if args.command in ("plan", "enrol"):
                from studyplan.cli.plan import plan_command

                return plan_command(service, args)
            if args.command in ("status", "stats"):
                from studyplan.cli import progress as cli_progress

                if args.command == "stats":
                    return cli_progress.stats(service, models=args.models)
                return cli_progress.status(service, ascii_only=args.ascii, plan=args.plan)
            if args.command == "sync":
                return _sync(service, args.folder)
            if args.command == "backup":
                print(f"backed up to {service.backup_now()}")
                return 0
            if args.command == "restore":
                from studyplan.cli.backup import restore

                return restore(service, args.file, args.yes)
            from studyplan.cli.decks import list_decks

            return list_decks(service)
        finally:
            service.close()
    except (SourceError, DatabaseError) as err:
        print(visible(f"studyplan: {err}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
