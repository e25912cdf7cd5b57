"""The text charts the Stats screen and `studyplan stats` share."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from rich.console import Console

from studyplan.core.stats import ForecastDay
from studyplan.ui.charts import forecast_calendar, forecast_text

TODAY = date(2026, 12, 1)


def forecast(counts: dict[int, int], days: int = 30) -> list[str]:
    coming = [
        ForecastDay(TODAY + timedelta(days=n), counts.get(n, 0), counts.get(n, 0) / 6)
        for n in range(days)
    ]
    return forecast_text(coming).plain.split("\n")


def column(lines: list[str], text: str) -> int:
    line = next(line for line in lines if text in line)
    return line.index(text)


def test_each_bar_stands_on_its_day_and_the_labels_sit_on_ticks() -> None:
    lines = forecast({1: 5, 7: 2})  # nothing today, five tomorrow, two in a week
    *bars, baseline, labels = lines
    assert len(bars) == 5 and bars[0].startswith("    5 ")  # the busiest day sets the scale
    tomorrow, next_week = column(lines, "today") + 2, column(lines, "8 Dec")
    assert [bar[tomorrow] for bar in bars] == ["█"] * 5
    assert bars[-1][column(lines, "today")] == " "  # nothing due today: no bar
    assert bars[-1][next_week] != " " and bars[0][next_week] == " "
    for label in ("today", "8 Dec", "15 Dec", "22 Dec", "29 Dec"):
        assert baseline[column(lines, label)] == "┬", label
    assert baseline.count("┬") == 5 and len(baseline) == 6 + 2 * 30 - 1  # to the last day
    assert labels.startswith(" " * 6 + "today")


def test_an_empty_month_says_so() -> None:
    assert forecast({}) == ["Nothing is due in the next 30 days."]


def calendar(counts: dict[int, int], days: int = 30) -> list[list[str]]:
    """The calendar's body rows, split into cells on runs of spaces."""
    coming = [
        ForecastDay(TODAY + timedelta(days=n), counts.get(n, 0), counts.get(n, 0) * 10 / 60)
        for n in range(days)
    ]
    console = Console(width=80, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(forecast_calendar(coming))
    lines = capture.get().rstrip().split("\n")
    assert lines[0].split() == ["Week", "of", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert lines[-1].startswith("Each day: reviews due")
    return [re.split(r"\s{2,}", line.strip()) for line in lines[2:-1]]


def test_the_calendar_gives_each_coming_day_its_reviews_and_minutes() -> None:
    rows = calendar({0: 3, 1: 12, 8: 400})  # today is Tuesday 1 December
    assert [row[0] for row in rows] == ["30 Nov", "7 Dec", "14 Dec", "21 Dec", "28 Dec"]
    # Monday 30 November is before the forecast: blank, so the row has six days
    assert rows[0] == ["30 Nov", "3 · 1m", "12 · 2m", "·", "·", "·", "·"]
    assert rows[1][3] == "400 · 1h7m"  # Wednesday 9 December
    assert rows[-1] == ["28 Dec", "·", "·", "·"]  # the 30 days end on Wednesday 30 December
