"""The text charts the Stats screen and `studyplan stats` share."""

from __future__ import annotations

from datetime import date, timedelta

from studyplan.core.stats import ForecastDay
from studyplan.ui.charts import forecast_text

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
