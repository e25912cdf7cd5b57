"""The plans a learner can follow: the bundled files and the ones they imported.

Imported plans are kept in sync like imported decks: each start reads the
file again; while it is missing or has errors, the last good text (stored
in the database) is used and the problem is reported.
"""

from __future__ import annotations

import re
import sqlite3
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from studyplan.core.errors import SourceError
from studyplan.core.plan.parse import Plan, parse_plan
from studyplan.store.deck_sync import read_text
from studyplan.store.plan_sources import PlanSources


def bundled_tags(decks: Path) -> frozenset[str]:
    """The tag vocabulary shared by the bundled decks and plans."""
    path = decks / "tags.toml"
    try:
        return frozenset(tomllib.loads(path.read_text(encoding="utf-8"))["tags"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return frozenset()


def learner_tags(conn: sqlite3.Connection) -> frozenset[str]:
    """Tags on the cards of the learner's own (imported) decks."""
    return frozenset(
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT card_tag.tag FROM card_tag JOIN card ON card.id = card_tag.card_id "
            "JOIN deck ON deck.id = card.deck_id WHERE deck.bundled = 0 AND card.active = 1"
        )
    )


@dataclass
class PlanFiles:
    """Reads every plan; ``plans`` by id, ``imported`` ids, problems in ``errors``."""

    conn: sqlite3.Connection
    plans_dir: Path
    decks_dir: Path
    plans: dict[str, Plan] = field(default_factory=dict)
    imported: dict[str, str] = field(default_factory=dict)
    """Plan id to the imported file's path."""
    errors: list[str] = field(default_factory=list)
    bundled: set[str] = field(default_factory=set)
    """Ids of the bundled plans."""

    def load(self, moment: datetime) -> None:
        """Read the bundled plans, then bring each imported one up to date with its file."""
        tags = bundled_tags(self.decks_dir)
        for path in sorted(self.plans_dir.glob("*.md")):
            try:
                found = parse_plan(read_text(path), str(path), tags or None)
            except SourceError as err:
                self.errors.append(str(err))
                continue
            self.plans[found.id] = found
        self.bundled = bundled = set(self.plans)
        own = tags | learner_tags(self.conn)
        sources = PlanSources(self.conn)
        for source in sources.all():
            path = Path(source.path)
            plan: Plan | None = None
            try:
                text = read_text(path) if path.exists() else None
                if text is None:
                    self.errors.append(
                        f"{path}: this imported plan no longer exists; "
                        "its last good version and your progress are kept"
                    )
                elif text != source.content:
                    plan = parse_plan(text, str(path), own or None)
                    if plan.id != source.plan_id:
                        raise SourceError(
                            path,
                            None,
                            f"its id changed from {source.plan_id!r} to {plan.id!r}; "
                            "progress is kept by id, so change it back",
                        )
                    sources.save(str(path), plan.id, text, moment)
            except SourceError as err:
                self.errors.append(f"{err} (the last good version is used)")
                plan = None
            if plan is None:
                try:
                    plan = parse_plan(source.content, str(path), None)
                except SourceError:  # pragma: no cover - it was stored only after parsing
                    continue
            if plan.id in bundled:
                self.errors.append(
                    f"{path}: plan id {plan.id!r} is also a bundled plan's; the bundled one is used"
                )
                continue
            self.plans[plan.id] = plan
            self.imported[plan.id] = str(path)

    def import_file(self, path: Path, moment: datetime) -> Plan:
        """Check the plan file at ``path`` and store it; ``SourceError`` (file:line) if it is wrong.

        Nothing is stored unless the whole file is right. Call ``load`` first.
        """
        try:
            path = path.expanduser().resolve()
        except (OSError, RuntimeError):
            raise SourceError(path, None, "cannot be read (a symbolic link that loops)") from None
        if not path.is_file():
            what = "is a folder, not a plan file" if path.is_dir() else "no such file"
            raise SourceError(path, None, what)
        text = read_text(path)
        own = bundled_tags(self.decks_dir) | learner_tags(self.conn)
        plan = parse_plan(text, str(path), own or None)
        line = _id_line(text)
        if plan.id in self.bundled:
            raise SourceError(
                path, line, f"plan id {plan.id!r} is a bundled plan's; give yours its own id"
            )
        owner = self.imported.get(plan.id)
        if owner is not None and owner != str(path):
            raise SourceError(
                path, line, f"plan id {plan.id!r} is already used by your plan {owner}"
            )
        PlanSources(self.conn).save(str(path), plan.id, text, moment)
        self.plans[plan.id] = plan
        self.imported[plan.id] = str(path)
        return plan


def _id_line(text: str) -> int:
    """The line of the front matter's ``id =`` (1 when it cannot be found)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"\s*[\"']?id[\"']?\s*=", line):
            return number
    return 1
