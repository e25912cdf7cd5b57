"""``studyplan backup`` and ``studyplan restore``."""

from __future__ import annotations

import sys
from pathlib import Path


def restore(service, backup: Path, yes: bool) -> int:
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
