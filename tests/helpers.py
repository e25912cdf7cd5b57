"""Small builders the tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def write_deck(folder: Path, name: str, cards: dict[str, str], deck_id: str | None = None) -> Path:
    """A deck file with one card per front: back pair."""
    folder.mkdir(parents=True, exist_ok=True)
    head = f'+++\nname = "{name}"\n' + (f'id = "{deck_id}"\n' if deck_id else "") + "+++\n\n"
    body = "".join(f"## {front}\n\n{back}\n\n" for front, back in cards.items())
    path = folder / f"{name.lower().replace(' ', '-')}.md"
    path.write_text(head + body, encoding="utf-8")
    return path


def answer_on(studyplan, card_id: int, day, grade: int = 4, *, drill: bool = False, hour: int = 12):
    """Store one answer to ``card_id`` on study day ``day`` (at ``hour`` in Berlin), as a
    review session would: a scheduling answer moves the card on, a drill leaves it."""
    from datetime import time
    from zoneinfo import ZoneInfo

    from studyplan.core.sm2 import review

    card = studyplan.repo.card(card_id)
    after = None if drill else review(card.state, grade, day)
    moment = datetime.combine(day, time(hour), tzinfo=ZoneInfo("Europe/Berlin"))
    return studyplan.repo.record_answer(
        card_id,
        card.state,
        after,
        grade,
        moment=moment.astimezone(UTC),
        zone="Europe/Berlin",
        today=day,
        took_ms=6000,
    )


def last_answered_out_of_step(conn) -> list[tuple[int, str | None, str | None]]:
    """Cards whose ``last_answered`` is not the last study day of their log: (id, stored,
    from the log). Empty when every writer of the review table kept it right."""
    return conn.execute(
        "SELECT id, last_answered, (SELECT MAX(study_day) FROM review WHERE card_id = card.id) "
        "AS logged FROM card WHERE last_answered IS NOT logged ORDER BY id"
    ).fetchall()


def screen_text(app, selector: str) -> str:
    """The plain text a Static on the app's current screen shows, whatever renderable it holds."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    content = app.screen.query_one(selector, Static).content
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(content)
    return capture.get()


def undo_schema_10(studyplan) -> None:
    """Take out what schema 10 added (each card's last answered day, the browser's
    indexes), as schema 9 had it: for upgrade tests."""
    conn = studyplan.conn
    for name in ("card_answered_insert", "card_answered_delete", "card_answered_update"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP INDEX card_last_answered")
    conn.execute("DROP INDEX card_search_missing")
    conn.execute("DROP INDEX card_deck_order")
    conn.execute("ALTER TABLE card DROP COLUMN last_answered")
    conn.execute("PRAGMA user_version = 9")
