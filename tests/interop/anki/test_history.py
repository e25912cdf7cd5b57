"""Anki's card states and log as SM-2 states: the shortcut for new cards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from studyplan.core.sm2 import Sm2State
from studyplan.interop.anki import history
from studyplan.interop.anki.collection import Card, Review

TODAY = date(2026, 12, 3)
BERLIN = ZoneInfo("Europe/Berlin")
CREATED = int(datetime(2024, 1, 1, 12, tzinfo=UTC).timestamp())


def card(card_type: int, queue: int, due: int = 0) -> Card:
    return Card(1, 1, 0, 1, card_type, queue, due, 3, 2500, 2, 0)


def read(c: Card, reviews: list[Review] | None = None) -> history.CardHistory:
    return history.card_history(
        c, reviews or [], created=CREATED, zone=BERLIN, rollover_hour=4, today=TODAY
    )


@pytest.mark.parametrize(
    ("queue", "suspended", "buried"),
    [
        (0, False, None),
        (-1, True, None),
        (-2, False, date(2026, 12, 4)),
        (-3, False, date(2026, 12, 4)),
    ],
)
def test_a_new_card_without_a_log_is_new_suspended_or_buried_as_anki_has_it(
    queue: int, suspended: bool, buried: date | None
) -> None:
    found = read(card(0, queue))
    assert found == history.CardHistory(Sm2State(), suspended, buried, ())
    assert (found is history.NEW_CARD) == (queue == 0)


def test_a_review_card_counts_its_due_day_from_the_collections_first_day() -> None:
    # crt is noon on 1 January 2024 UTC: that study day in Berlin, 100 days on.
    assert read(card(2, 2, due=100)).state.due == date(2024, 4, 10)
    log = [
        Review(int(datetime(2026, 12, 1, 9, tzinfo=UTC).timestamp() * 1000), 1, 3, 3, 2500, 8000, 1)
    ]
    answered = read(card(0, 0), log)
    assert answered is not history.NEW_CARD and len(answered.answers) == 1


def test_the_last_answer_leaves_the_card_where_anki_holds_it() -> None:
    """Anki fuzzes due days: the card is due on Anki's day, not the last answer's day plus
    its interval. The log ends there too (the last scheduling answer's state after, and
    the drills after it that day), so a sync's replay of the log ends where the card is."""

    def at(day: int, hour: int) -> int:
        return int(datetime(2026, 11, day, hour, tzinfo=UTC).timestamp() * 1000)

    log = [
        Review(at(20, 9), 1, 3, 4, 2500, 8000, 1),
        Review(at(24, 9), 1, 3, 10, 2500, 8000, 1),  # due 4 December by day + interval
        Review(at(24, 15), 1, 1, 10, 2500, 8000, 1),  # the same study day: a drill
    ]
    # crt is noon on 1 January 2024 in Berlin (that study day): 2 December 2026 is day 1066.
    found = read(Card(1, 1, 0, 1, 2, 2, 1066 + 3, 10, 2500, 2, 0), log)
    assert found.state.due == date(2026, 12, 5)  # Anki fuzzed it a day later
    first, last, drill = found.answers
    assert (first.after.interval, first.after.due) == (4, date(2026, 11, 24))
    assert last.before == first.after
    assert last.after == found.state == drill.before == drill.after
    assert (drill.is_drill, last.is_drill) == (True, False)
    # Reset to new in Anki since: the log ends on a new card, as the card is.
    reset = read(Card(1, 1, 0, 1, 0, 0, 7, 0, 0, 2, 0), log)
    assert reset.state == Sm2State() == reset.answers[1].after == reset.answers[2].after
    assert reset.answers[0].after.interval == 4
