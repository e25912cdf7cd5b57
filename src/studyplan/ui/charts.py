"""Charts drawn as Rich text, for the app's screens and ``studyplan stats`` alike.

Only ``rich`` is imported here (not Textual), so the command line can print
the same charts quickly. Colours come in as five hex strings, shade 0 to 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from studyplan.core.stats import (
    DEFAULT_SECONDS_PER_CARD,
    LEVELS,
    ForecastDay,
    Heatmap,
    Retention,
    Share,
)
from studyplan.core.status import format_minutes
from studyplan.core.streaks import StreakSummary, streak_label

GREENS = ("#3a3a3a", "#0e4429", "#006d32", "#26a641", "#39d353")
"""GitHub's shades, for a terminal whose theme is unknown."""
_WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "")
_LABEL_WIDTH = 4
_BARS = " ▁▂▃▄▅▆▇█"


def heatmap_weeks(width: int) -> int:
    """How many weeks of heatmap fit in ``width`` columns (1 to 53)."""
    return max(1, min(53, width - _LABEL_WIDTH))


def heatmap_text(map_: Heatmap, shades: Sequence[str] = GREENS) -> Text:
    """Weeks as columns, Monday at the top, a month name over each month's first week."""
    text = Text(no_wrap=True)
    months = [" "] * len(map_.columns)
    for index, column in enumerate(map_.columns):
        first = next((c.day for c in column if c is not None), None)
        if first is None or (index and first.day > 7):
            continue
        label = f"{first:%b}"
        if index + len(label) > len(months):
            continue  # a month begun in the last weeks: a cut-off "M" would say nothing
        if all(m == " " for m in months[max(0, index - 1) : index + len(label) + 1]):
            months[index : index + len(label)] = list(label)
    text.append(" " * _LABEL_WIDTH + "".join(months)[: len(map_.columns)].rstrip() + "\n", "dim")
    for label, row in zip(_WEEKDAY_LABELS, map_.rows, strict=True):
        text.append(f"{label:<{_LABEL_WIDTH}}", "dim")
        for cell in row:
            if cell is None:
                text.append(" ")
            elif cell.day == map_.today:
                text.append("■" if cell.level else "□", f"bold {shades[cell.level or 1]}")
            else:
                text.append("■" if cell.level else "·", shades[cell.level])
        text.append("\n")
    text.append(" " * _LABEL_WIDTH + "less ", "dim")
    for level in range(LEVELS + 1):
        text.append("■ " if level else "· ", shades[level])
    text.append("more", "dim")
    return text


def heatmap_caption(map_: Heatmap) -> str:
    """``1,234 answers on 210 days since 2 Dec 2025``."""
    first = map_.first_day
    return (
        f"{map_.total:,} {_plural(map_.total, 'answer')} on {map_.active_days:,} "
        f"{_plural(map_.active_days, 'day')} since {first.day} {first:%b %Y}"
    )


def heatmap_with_caption(
    map_: Heatmap, shades: Sequence[str] = GREENS, *, caption_below: bool = True
) -> Text:
    """The heatmap and its caption: under the legend, or beside it where rows are scarce."""
    text = heatmap_text(map_, shades)
    text.append(("\n    " if caption_below else "  ") + heatmap_caption(map_), "dim")
    return text


def streak_lines(summary: StreakSummary) -> list[str]:
    """The streak in a few short lines: current, longest, freezes, today."""
    lines = [streak_label(summary), f"Longest: {summary.longest} {_plural(summary.longest, 'day')}"]
    held = summary.freezes_held
    freeze = f"Freezes: {held} of 2"
    if held < 2:
        days = summary.days_to_next_freeze
        freeze += f" (next in {days} {_plural(days, 'day')})"
    lines.append(freeze)
    if summary.current and not summary.today_counts:
        lines.append("Today does not count yet: reach your goal to go on.")
    elif summary.today_counts:
        lines.append("Today counts.")
    return lines


def streak_text(summary: StreakSummary, *, dim_today: bool = False) -> Text:
    """:func:`streak_lines` as one text, the streak itself in bold."""
    lines = streak_lines(summary)
    text = Text(lines[0], style="bold")
    for line in lines[1:]:
        text.append("\n" + line, style="dim" if dim_today and line.startswith("Today") else "")
    return text


def forecast_text(days: Sequence[ForecastDay], height: int = 5) -> Text:
    """Vertical bars, one per day, today first, with the busiest count on the scale."""
    text = Text(no_wrap=True)
    top = max((d.reviews for d in days), default=0)
    if not top:
        return text.append(f"Nothing is due in the next {len(days)} days.", "dim")
    steps = height * 8
    for row in range(height, 0, -1):
        text.append(f"{top if row == height else '':>5} ", "dim")
        for day in days:
            filled = round(day.reviews / top * steps) if day.reviews else 0
            part = min(8, max(0, filled - (row - 1) * 8))
            if day.reviews and row == 1 and not part:
                part = 1  # one card still shows
            text.append(_BARS[part] + " ", "bold" if day.day == days[0].day else "")
        text.append("\n")
    # A baseline ticked at each label, so a bar reads against the day it stands on.
    ticks = "".join("┬─" if index % 7 == 0 else "──" for index in range(len(days)))
    text.append(" " * 6 + ticks[:-1] + "\n", "dim")
    axis = [" "] * (2 * len(days))
    for index, forecast_day in enumerate(days):
        if index % 7 == 0:
            when = forecast_day.day
            label = "today" if index == 0 else f"{when.day} {when:%b}"
            if all(c == " " for c in axis[2 * index : 2 * index + len(label)]):
                axis[2 * index : 2 * index + len(label)] = list(label)
    text.append(" " * 6 + "".join(axis).rstrip(), "dim")
    return text


def forecast_calendar(days: Sequence[ForecastDay]) -> Table:
    """The coming days as a calendar, a week a row: each day's reviews and minutes.

    The bars show the month's shape; this gives each day's figures. Days before
    the first and after the last are left blank, today is in reverse.
    """
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        padding=(0, 1),
        caption="Each day: reviews due · about how long they take",
        caption_justify="left",
        caption_style="dim",
    )
    table.add_column("Week of", style="dim", no_wrap=True)
    for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        table.add_column(name, justify="right", no_wrap=True)
    if not days:
        return table
    by_day = {day.day: day for day in days}
    monday = days[0].day - timedelta(days=days[0].day.weekday())
    while monday <= days[-1].day:
        cells: list[Text | str] = [f"{monday.day} {monday:%b}"]
        for offset in range(7):
            forecast_day = by_day.get(monday + timedelta(days=offset))
            if forecast_day is None:
                cells.append("")
                continue
            cell = Text()
            if forecast_day.reviews:
                cell.append(f"{forecast_day.reviews:,}", "bold")
                cell.append(f" · {format_minutes(forecast_day.minutes)}", "dim")
            else:
                cell.append("·", "dim")
            if forecast_day.day == days[0].day:
                cell.stylize("reverse")
            cells.append(cell)
        table.add_row(*cells)
        monday += timedelta(days=7)
    return table


def forecast_summary(days: Sequence[ForecastDay]) -> str:
    """``Next 7 days: 120 reviews, about 20m. Next 30 days: ...``."""
    parts = []
    for span in (7, len(days)):
        chosen = days[:span]
        reviews = sum(d.reviews for d in chosen)
        minutes = sum(d.minutes for d in chosen)
        parts.append(
            f"Next {span} days: {reviews:,} {_plural(reviews, 'review')}, "
            f"about {format_minutes(minutes)}."
        )
    return " ".join(parts)


def seconds_note(seconds: float | None) -> str:
    """Where the minutes of a forecast come from."""
    if seconds is None:
        return (
            f"Minutes assume {DEFAULT_SECONDS_PER_CARD:.0f} s a card until you have answered more."
        )
    return f"Minutes assume {seconds:.0f} s a card, your recent median."


def share_text(share: Share) -> str:
    """``87% of 120`` or ``-`` when nothing was answered."""
    if share.ratio is None:
        return "-"
    return f"{share.ratio:.0%} of {share.answered:,}"


def retention_rows(week: Retention, month: Retention) -> list[tuple[str, str, str]]:
    """(deck, 7-day share, 30-day share) rows, overall first."""
    rows = [("All decks", share_text(week.overall), share_text(month.overall))]
    for deck, share in month.per_deck.items():
        rows.append((deck, share_text(week.per_deck.get(deck, Share(0, 0))), share_text(share)))
    return rows


def day_label(day: date) -> str:
    """``Tue 1 Dec``."""
    return f"{day:%a} {day.day} {day:%b}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def as_text(renderable: RenderableType, width: int) -> Text:
    """``renderable`` drawn at ``width`` columns, as text with the same styles. A Static
    holding a Rich table measures it by drawing it, then draws it again, in the layout
    that follows each change of the screen (10-20 ms a table at 100 columns); the text
    is drawn once, and a worker can draw it off the UI thread. Right only at ``width``:
    draw it again when the width changes."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=width, file=StringIO(), force_terminal=True, legacy_windows=False)
    text = Text(no_wrap=True, overflow="crop", end="")
    for n, line in enumerate(console.render_lines(renderable, pad=False, new_lines=False)):
        if n:
            text.append("\n")
        for segment in line:
            if not segment.control:
                text.append(segment.text, segment.style)
    return text
