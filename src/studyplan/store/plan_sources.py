"""All SQL about plan files the learner imported: where they are and their last good text."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from studyplan.store.db import transaction


@dataclass(frozen=True, slots=True)
class PlanSource:
    """An imported plan file."""

    path: str
    plan_id: str
    content: str
    """The text last read without errors: used while the file is missing or broken."""


class PlanSources:
    """The ``plan_source`` table."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self) -> list[PlanSource]:
        """Every imported plan, in the order they were first imported."""
        return [
            PlanSource(path, plan_id, content)
            for path, plan_id, content in self.conn.execute(
                "SELECT path, plan_id, content FROM plan_source ORDER BY id"
            )
        ]

    def save(self, path: str, plan_id: str, content: str, moment: datetime) -> None:
        """Store (or refresh) the good text of the plan at ``path``."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO plan_source (path, plan_id, content, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (path) DO UPDATE SET plan_id = excluded.plan_id, "
                "content = excluded.content",
                (path, plan_id, content, moment.isoformat()),
            )
