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
