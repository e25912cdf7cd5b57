from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.plan.availability import format_weekly_minutes, parse_weekly_minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("mon-fri=60,sat=180,sun=0", (60, 60, 60, 60, 60, 180, 0)),
        ("60,60,60,60,60,180,0", (60, 60, 60, 60, 60, 180, 0)),
        ("sat=240", (0, 0, 0, 0, 0, 240, 0)),
        (" Mon=30 ; wed-thu=45 ", (30, 0, 45, 45, 0, 0, 0)),
    ],
)
def test_availability_as_a_learner_types_it(text: str, minutes: tuple[int, ...]) -> None:
    assert parse_weekly_minutes(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "give the minutes"),
        ("60,60", "seven numbers"),
        ("fun=3", "should look like"),
        ("fri-mon=3", "forwards"),
    ],
)
def test_bad_availability_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_weekly_minutes(text)


@given(st.tuples(*[st.integers(0, 1440)] * 7))
def test_the_short_form_reads_back_the_same(minutes: tuple[int, ...]) -> None:
    assert parse_weekly_minutes(format_weekly_minutes(minutes)) == minutes
