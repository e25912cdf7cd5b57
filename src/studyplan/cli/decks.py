"""``studyplan import``, ``studyplan decks`` and ``studyplan decks check``."""

from __future__ import annotations

import sys
from pathlib import Path

from studyplan import paths


def import_paths(service, targets: list[Path]) -> int:
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


def list_decks(service) -> int:
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


def check(targets: list[Path]) -> int:
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
