from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest

from studyplan.core.studyday import study_day

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_review_at_01_30_counts_for_the_day_before() -> None:
    moment = datetime(2026, 5, 13, 23, 30, tzinfo=UTC)  # 01:30 in Berlin on the 14th
    assert study_day(moment, BERLIN) == date(2026, 5, 13)


def test_the_new_day_starts_at_the_rollover_hour() -> None:
    moment = datetime(2026, 5, 14, 2, 0, tzinfo=UTC)  # 04:00 in Berlin
    assert study_day(moment, BERLIN) == date(2026, 5, 14)
    assert study_day(moment, BERLIN, rollover_hour=5) == date(2026, 5, 13)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"^study_day needs a timezone-aware moment, got a naive datetime$"
    ):
        study_day(datetime(2026, 5, 14, 2, 0), BERLIN)


class NoOffset(tzinfo):
    """A zone that cannot say its offset: Python counts such a moment as naive."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None


def test_a_moment_whose_zone_gives_no_offset_is_refused_as_naive() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        study_day(datetime(2026, 5, 14, 2, 0, tzinfo=NoOffset()), BERLIN)


@pytest.mark.parametrize("hour", [-1, 24, 25])
def test_a_rollover_hour_outside_0_to_23_is_refused(hour: int) -> None:
    moment = datetime(2026, 5, 14, 2, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match=f"rollover hour must be 0-23, got {hour}"):
        study_day(moment, BERLIN, rollover_hour=hour)


def test_the_edge_hours_0_and_23_are_accepted() -> None:
    moment = datetime(2026, 5, 14, 21, 30, tzinfo=UTC)  # 23:30 in Berlin on the 14th
    assert study_day(moment, BERLIN, rollover_hour=0) == date(2026, 5, 14)
    assert study_day(moment, BERLIN, rollover_hour=23) == date(2026, 5, 14)
    early = datetime(2026, 5, 14, 20, 30, tzinfo=UTC)  # 22:30: before a 23:00 rollover
    assert study_day(early, BERLIN, rollover_hour=23) == date(2026, 5, 13)
