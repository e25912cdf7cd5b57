from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.stats import (
    SUNDAY,
    ForecastDay,
    Share,
    due_forecast,
    heatmap,
    retention,
    seconds_per_card,
)
from studyplan.core.status import format_minutes, status_line

TODAY = date(2026, 5, 14)  # a Thursday
ONE = timedelta(days=1)

# --- heatmap --------------------------------------------------------------------------


def test_the_heatmap_shows_the_last_365_days_in_week_columns() -> None:
    grid = heatmap({}, TODAY)
    assert len(grid.columns) == 53 and all(len(column) == 7 for column in grid.columns)
    cells = [cell for column in grid.columns for cell in column if cell is not None]
    assert len(cells) == 365
    assert (
        (cells[0].day, cells[-1].day) == (TODAY - 364 * ONE, TODAY) == (grid.first_day, grid.today)
    )
    assert grid.columns[-1][TODAY.weekday()] == cells[-1]


def test_future_days_and_days_before_the_window_are_blank() -> None:
    grid = heatmap({TODAY + ONE: 5, TODAY - 400 * ONE: 5}, TODAY)
    assert grid.columns[-1][4:] == (None, None, None)  # Friday to Sunday of this week
    assert grid.columns[0][:3] == (None, None, None)  # Monday to Wednesday before the window
    assert (grid.total, grid.active_days) == (0, 0)


def test_weeks_can_start_on_sunday() -> None:
    grid = heatmap({TODAY: 3}, TODAY, week_start=SUNDAY)
    assert [cell.day.weekday() for cell in grid.columns[-2] if cell] == [6, 0, 1, 2, 3, 4, 5]
    last = grid.columns[-1]
    assert last[4] is not None and last[4].day == TODAY and last[4].count == 3
    assert grid.rows[4][-1] == last[4]


def test_levels_split_the_active_days_into_quarters() -> None:
    counts = {TODAY - i * ONE: c for i, c in enumerate([1, 2, 3, 4, 5, 6, 7, 8])}
    grid = heatmap(counts | {TODAY - 20 * ONE: 0}, TODAY)
    level = {cell.count: cell.level for column in grid.columns for cell in column if cell}
    assert level == {0: 0, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4}
    assert (grid.total, grid.active_days) == (36, 8)


def test_a_steady_learner_gets_the_darkest_shade_and_the_busiest_day_always_does() -> None:
    steady = heatmap({TODAY - i * ONE: 10 for i in range(30)}, TODAY)
    assert {cell.level for column in steady.columns for cell in column if cell and cell.count} == {
        4
    }
    spiky = heatmap({TODAY: 500, TODAY - ONE: 1, TODAY - 2 * ONE: 1, TODAY - 3 * ONE: 1}, TODAY)
    assert [cell.level for cell in spiky.columns[-1] if cell] == [3, 3, 3, 4]  # Mon..Thu


def test_a_shorter_heatmap_and_bad_input() -> None:
    grid = heatmap({TODAY: 1}, TODAY, weeks=1)
    assert [cell.day for cell in grid.columns[0] if cell] == [TODAY]
    with pytest.raises(ValueError, match="at least one week"):
        heatmap({}, TODAY, weeks=0)
    with pytest.raises(ValueError, match="negative"):
        heatmap({TODAY: -1}, TODAY)


@given(
    st.dictionaries(st.integers(-30, 400), st.integers(0, 1000)),
    st.integers(1, 60),
    st.integers(0, 6),
)
def test_every_heatmap_cell_is_a_known_day_with_a_level_0_to_4(
    raw: dict[int, int], weeks: int, week_start: int
) -> None:
    grid = heatmap({TODAY - i * ONE: c for i, c in raw.items()}, TODAY, weeks, week_start)
    cells = [cell for column in grid.columns for cell in column if cell]
    assert len(cells) == 7 * (weeks - 1) + 1
    assert all((cell.level == 0) == (cell.count == 0) and 0 <= cell.level <= 4 for cell in cells)
    if grid.active_days:
        assert max(cell.level for cell in cells) == 4


# --- forecast -------------------------------------------------------------------------


def test_overdue_cards_are_forecast_for_today() -> None:
    due = {TODAY - 3 * ONE: 4, TODAY: 2, TODAY + ONE: 6, TODAY + 40 * ONE: 9}
    forecast = due_forecast(due, TODAY, seconds_per_card=15)
    assert len(forecast) == 30 and forecast[-1].day == TODAY + 29 * ONE
    assert forecast[0] == ForecastDay(TODAY, 6, 1.5)
    assert forecast[1] == ForecastDay(TODAY + ONE, 6, 1.5)
    assert sum(day.reviews for day in forecast) == 12  # the card 40 days out is not shown


def test_a_list_of_due_dates_gives_the_same_forecast_and_new_cards_are_skipped() -> None:
    cards = [TODAY - ONE, TODAY, TODAY + 2 * ONE, None]
    assert due_forecast(cards, TODAY, days=3) == due_forecast(
        {TODAY - ONE: 1, TODAY: 1, TODAY + 2 * ONE: 1}, TODAY, days=3
    )
    assert [day.reviews for day in due_forecast(cards, TODAY, days=3)] == [2, 0, 1]


def test_a_forecast_needs_a_day_and_time_that_is_not_negative() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        due_forecast({}, TODAY, days=0)
    with pytest.raises(ValueError, match="negative"):
        due_forecast({}, TODAY, seconds_per_card=-1)


# --- retention ------------------------------------------------------------------------


def test_retention_counts_scheduling_answers_graded_3_or_more_per_deck() -> None:
    answers = [
        (TODAY, "ml", 5, False),
        (TODAY - ONE, "ml", 3, False),
        (TODAY - 2 * ONE, "ml", 2, False),
        (TODAY - 2 * ONE, "ml", 4, True),  # a drill answer: left out
        (TODAY - 6 * ONE, "stats", 1, False),
        (TODAY - 7 * ONE, "stats", 5, False),  # eight days ago: outside the week
    ]
    week = retention(answers, TODAY, days=7)
    assert week.overall == Share(2, 4) and week.overall.ratio == 0.5
    assert dict(week.per_deck) == {"ml": Share(2, 3), "stats": Share(0, 1)}
    assert retention(answers, TODAY, days=30).per_deck["stats"] == Share(1, 2)


def test_no_answers_means_no_retention_figure_rather_than_zero() -> None:
    week = retention(
        [(TODAY, "ml", 5, True), (TODAY + ONE, "ml", 5, False)], TODAY, 7, decks=["ml", "go"]
    )
    assert week.overall.ratio is None
    assert {deck: share.ratio for deck, share in week.per_deck.items()} == {"go": None, "ml": None}


def test_a_stored_answer_with_an_impossible_grade_is_refused() -> None:
    with pytest.raises(ValueError, match="0 to 5"):
        retention([(TODAY, "ml", 7, False)], TODAY, 7)


# --- seconds per card -----------------------------------------------------------------


def test_seconds_per_card_is_the_median_of_the_last_answers() -> None:
    assert seconds_per_card([100.0, 4.0, 6.0, 8.0], last=3) == 6.0
    assert seconds_per_card([4.0, 6.0, 8.0, 30.0]) == 7.0


def test_without_history_the_default_is_used() -> None:
    assert seconds_per_card([]) == 10.0
    assert seconds_per_card([], default=12.5) == 12.5


def test_a_clock_that_went_backwards_never_gives_negative_time() -> None:
    assert seconds_per_card([-3600.0, 5.0, 7.0, float("nan")]) == 6.0
    assert seconds_per_card([-2.0]) == 10.0


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True)), st.integers(1, 100))
def test_seconds_per_card_is_never_negative(durations: list[float], last: int) -> None:
    assert seconds_per_card(durations, last) >= 0


# --- the prompt line ------------------------------------------------------------------


def test_the_status_line_for_a_shell_prompt() -> None:
    assert status_line(12, 34, 45) == "🔥 12d · 34 due · 45m plan"
    assert status_line(12, 34, 45, ascii_only=True) == "12d streak | 34 due | 45m plan"
    assert status_line(12, 34, 45, ascii_only=True).isascii()
    assert status_line(0, 0) == "no streak · 0 due"


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0m"), (0.2, "1m"), (59.5, "1h"), (60, "1h"), (90, "1h30m")]
)
def test_plan_minutes_are_rounded_up(minutes: float, shown: str) -> None:
    assert format_minutes(minutes) == shown
