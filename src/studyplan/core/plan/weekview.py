"""A week as the learner reads it: what was planned next to what was done, day by day.

Pure. The week scheduler says what is planned; the store says what was
recorded (blocks done, time logged, topics finished) and which days were off.
``week_rows`` merges them into the rows every view shows: the Plan screen,
``studyplan plan`` and the markdown export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from studyplan.core.plan.model import Topic
from studyplan.core.plan.simulate import Block, DayPlan
from studyplan.core.plan.timeoff import TimeOff


@dataclass(frozen=True, slots=True)
class Done:
    """Something recorded on a study day: minutes of a topic, or the topic marked finished."""

    plan_id: str
    topic: Topic
    minutes: int
    finished: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a day."""

    kind: str
    """``review``, ``topic``, ``rest``, ``off``, ``empty`` (nothing planned or recorded)."""
    text: str
    plan_id: str = ""
    planned: int | None = None
    """Minutes planned (left to do, today)."""
    done: int | None = None
    """Minutes recorded that day (0 for a topic only marked finished)."""
    block: Block | None = None
    """The planned block, for acting on it."""
    topic: Topic | None = None
    finished: bool = False
    """Marked finished that day."""

    @property
    def ticked(self) -> bool:
        """Something was done here."""
        return self.done is not None


def day_rows(day: DayPlan, done: Sequence[Done], off: TimeOff | None, today: date) -> list[Row]:
    """The rows of one day: review, then topics.

    On a past day a topic's recorded minutes sit next to its planned ones in
    one row; on today, what was done and what is left are separate rows
    (the plan for today already counts what was done).
    """
    rows: list[Row] = []
    if off is not None:
        rows.append(Row("off", "time off" + (f": {off.note}" if off.note else "")))
    elif day.available == 0 and not done:
        rows.append(Row("rest", "rest day"))
    if day.review:
        rows.append(Row("review", "Flashcard review", planned=day.review))
    recorded: dict[tuple[str, str], list[Done]] = {}
    for item in done:
        recorded.setdefault((item.plan_id, item.topic.id), []).append(item)
    planned = {(b.plan_id, b.topic.id): b for b in day.blocks}
    merge = day.day < today
    for key, items in recorded.items():
        topic = items[0].topic
        block = planned.pop(key, None) if merge else None
        rows.append(
            Row(
                "topic",
                topic.title,
                key[0],
                block.minutes if block else None,
                sum(i.minutes for i in items),
                block,
                topic,
                any(i.finished for i in items),
            )
        )
    for key, block in planned.items():
        rows.append(
            Row("topic", block.topic.title, key[0], block.minutes, None, block, block.topic)
        )
    if not rows:
        rows.append(Row("empty", "nothing recorded" if day.day < today else "nothing left"))
    return rows


def week_rows(
    days: Sequence[DayPlan],
    done: Mapping[date, Sequence[Done]],
    off: Sequence[TimeOff],
    today: date,
) -> list[tuple[DayPlan, list[Row]]]:
    """Every day of the week with its rows."""
    out = []
    for day in days:
        range_off = next((r for r in off if day.day in r), None)
        out.append((day, day_rows(day, done.get(day.day, ()), range_off, today)))
    return out
