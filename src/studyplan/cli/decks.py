"""``studyplan import``, ``studyplan decks`` and ``studyplan decks check``."""

from __future__ import annotations

import sys
from pathlib import Path

from studyplan import paths
from studyplan.core.text import visible


def import_paths(service, targets: list[Path]) -> int:
    """Import each deck file or folder; what `decks check` would flag is shown too."""
    import gc

    from studyplan.anki_import import import_anki, is_anki_file

    failed = False
    for target in targets:
        if is_anki_file(target):
            summary = import_anki(service, target)
            for line in summary.lines():
                print(visible(line))
            continue
        # A deck import holds every card it reads (text, blocks, rows, checks) until it
        # ends and makes next to no reference cycles, so each collection on the way
        # would only walk them all again (4% of a 10,000-card import): none runs until
        # it ends. Not for an Anki package: its HTML, parsed into trees, makes cycles.
        gc.disable()
        try:
            failed |= _import_decks(service, target)
        finally:
            gc.enable()
    return 1 if failed else 0


def _import_decks(service, target: Path) -> bool:
    """Import the deck file or folder ``target`` and show its checks; True on errors."""
    report = service.import_path(target)
    for line in report.errors:
        print(visible(line), file=sys.stderr)
    files = len(report.imported) + report.unchanged
    print(
        visible(
            f"{target}: {_count(files, 'deck file')}, "
            f"{_count(report.cards_added, 'card')} added, "
            f"{report.cards_updated} updated, {report.cards_retired} retired"
        )
    )
    if report.imported:
        # The checks of `studyplan decks check` but the slow one (rendering every
        # card; decks check does it): the cards are in, but these would teach badly
        # or show wrongly until fixed.
        from studyplan.lint import check_paths

        changed = {Path(name).resolve() for name in report.imported}
        findings, _ = check_paths(
            [target], vocabulary_for(target), render=False, parsed=report.parsed
        )
        findings = [f for f in findings if _resolved(f.path) in changed]
        for finding in findings:
            print(f"{finding} (imported anyway)", file=sys.stderr)
    return bool(report.errors)


def _resolved(path: str) -> Path | None:
    """``path`` with its links followed; None for a link that loops (it was not imported)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop, on Python 3.11
        return None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def vocabulary_for(target: Path) -> set[str] | None:
    """The tags a deck under ``target`` must use: the bundled list for the bundled decks,
    a ``tags.toml`` of the learner's own beside their decks, or None (any tag)."""
    from studyplan.lint import load_vocabulary

    bundled = paths.bundled_decks()
    folder = target if target.is_dir() else target.parent
    try:
        folder.resolve().relative_to(bundled.resolve())
        return load_vocabulary(bundled)
    except ValueError:
        pass
    return load_vocabulary(folder) if (folder / "tags.toml").is_file() else None


def list_decks(service) -> int:
    report = service.sync_decks()
    for line in report.errors:
        print(visible(line), file=sys.stderr)
    decks = service.deck_summaries()
    if not decks:
        print("No decks yet. Add one with: studyplan import PATH")
        return 0
    width = max(len(d.name) for d in decks)
    print(f"{'deck':<{width}}  {'due':>5}  {'new':>5}  {'cards':>5}")
    for d in decks:
        print(f"{d.name:<{width}}  {d.due:>5}  {d.new:>5}  {d.total:>5}")
    return 1 if report.errors else 0


def check(targets: list[Path]) -> int:
    """Lint deck files (default: the bundled decks); exit 1 when anything is found."""
    from studyplan.lint import check_paths

    targets = targets or [paths.bundled_decks()]
    missing = [t for t in targets if not t.exists()]
    if missing:
        print(visible(f"studyplan: {missing[0]}: no such file or folder"), file=sys.stderr)
        return 1
    findings, files = [], 0
    for target in targets:
        found, count = check_paths([target], vocabulary_for(target))
        findings += found
        files += count
    for finding in sorted(set(findings)):
        print(finding)
    print(
        f"{files} deck file{'s' * (files != 1)} checked, {len(findings)} finding{'s' * (len(findings) != 1)}",
        file=sys.stderr,
    )
    return 1 if findings else 0


def export(service, args) -> int:
    """``studyplan export --apkg FILE [--deck NAME] [--query QUERY] | --markdown DIR |
    --log FILE.csv``."""
    from studyplan import exports
    from studyplan.core.cards.query import QueryError

    if args.query is not None and args.apkg is None:
        print("studyplan: --query chooses cards for --apkg only", file=sys.stderr)
        return 1
    if args.apkg is not None:
        try:
            decks, notes = exports.export_apkg(service, args.apkg, args.deck, args.query)
        except QueryError as err:
            print(visible(f"studyplan: the query cannot be read: {err}"), file=sys.stderr)
            return 1
        print(visible(f"{args.apkg}: {_count(decks, 'deck')}, {_count(notes, 'note')}"))
    elif args.markdown is not None:
        decks = exports.export_markdown(service, args.markdown, args.deck)
        print(visible(f"{args.markdown}: {_count(decks, 'deck file')}"))
    else:
        rows = exports.export_log(service, args.log)
        print(visible(f"{args.log}: {_count(rows, 'answer')}"))
    return 0
