"""Recall predictions, the model comparison and the switching cost, as Rich text and tables.

Only ``rich`` is imported here (not Textual), so ``studyplan stats --models``
prints the same tables as the Stats and Settings screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from studyplan.core.memory_models import ModelComparison, NotEnoughHistory
    from studyplan.core.workload import Workload
    from studyplan.progress import MemoryToday

_BARS = " ▁▂▃▄▅▆▇█"
SM2_MAPPING = "SM-2's recall is read from its interval as 0.9^(t/I), as srs-benchmark does."


def percent(value: float | None) -> str:
    """``87%``, or ``-`` for nothing."""
    return "-" if value is None else f"{value:.0%}"


def memory_text(memory: MemoryToday) -> Text:
    """Predicted recall today, then the measured pass rate of each recent week."""
    text = Text()
    if memory.cards == 0:
        return text.append("No card has been reviewed yet.", "dim")
    text.append("Predicted recall today: ")
    text.append(f"FSRS {percent(memory.fsrs)}", "bold")
    text.append(f", SM-2 {percent(memory.sm2)}")
    text.append(f" (mean over {memory.cards:,} cards)", "dim")
    text.append("\nMeasured (reviews graded 3 or more), by week:")
    if not memory.weeks:
        text.append(" no reviews in the last weeks.", "dim")
    for monday, answered, passed in memory.weeks:
        text.append(f"\n  {monday.day:>2} {monday:%b}  ", "dim")
        text.append(f"{passed / answered:>4.0%}", "bold")
        text.append(f" of {answered:,}", "dim")
    return text


def model_table(
    result: ModelComparison | NotEnoughHistory, reading: Text | None = None
) -> Group | Text:
    """Which model fits better, then log loss and RMSE (bins) of both; with ``reading``
    (a progress line), the verdict on the part of the log read so far."""
    from studyplan.core.memory_models import NotEnoughHistory

    if isinstance(result, NotEnoughHistory):
        return Text(f"Not enough history yet. {result.message}", style="dim")
    better = "FSRS" if result.better == "fsrs" else "SM-2"
    verdict = Text.assemble(
        (f"{'So far, ' if reading else ''}{better} predicts your memory better.", "bold"),
        (f" {result.answers:,} reviews judged, {result.pass_rate:.0%} passed.", "dim"),
    )
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption=f"Lower is better. {SM2_MAPPING}",
        caption_justify="left",
        caption_style="dim",
    )
    table.add_column("Model")
    table.add_column("Log loss", justify="right")
    table.add_column("RMSE (bins)", justify="right")
    for score in (result.sm2, result.fsrs):
        name = "SM-2" if score.model == "sm2" else "FSRS"
        style = "bold" if score.model == result.better else ""
        table.add_row(
            Text(name, style=style),
            Text(f"{score.log_loss:.3f}", style=style),
            Text(f"{score.rmse_bins:.3f}", style=style),
        )
    return Group(verdict, table, reading) if reading else Group(verdict, table)


def calibration_table(result: ModelComparison) -> Table:
    """Predicted recall in ten bins against the pass rate seen, with counts, per model."""
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption="A well calibrated model passes as often as it predicts.",
        caption_justify="left",
        caption_style="dim",
    )
    table.add_column("Predicted")
    for name in ("SM-2", "FSRS"):
        table.add_column(f"{name} seen", justify="right")
        table.add_column("n", justify="right", style="dim")
    for low_bin, high_bin in zip(result.sm2.calibration, result.fsrs.calibration, strict=True):
        table.add_row(
            f"{low_bin.low:.0%}-{low_bin.high:.0%}",
            percent(low_bin.pass_rate),
            f"{low_bin.count:,}",
            percent(high_bin.pass_rate),
            f"{high_bin.count:,}",
        )
    return table


def workload_rich_table(workloads: Sequence[Workload], current: str = "") -> Table:
    """Answers a day over the next 30 and 365 days, and the busiest day, per scheduler."""
    from studyplan.core.workload import workload_table

    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        caption="Simulated: due cards and new cards answered each day, no daily limit.",
        caption_justify="left",
        caption_style="dim",
    )
    table.add_column("Scheduler")
    table.add_column("30 days", justify="right")
    table.add_column("365 days", justify="right")
    table.add_column("Peak", justify="right")
    for row in workload_table(workloads):
        style = "bold" if row.label == current else ""
        table.add_row(
            Text(row.label + (" (now)" if row.label == current else ""), style=style),
            *(Text(f"{n:,.0f}/day", style=style) for n in row.per_day),
            Text(f"{row.peak:,.0f}", style=style),
        )
    return table


def workload_chart(workloads: Sequence[Workload], width: int = 52) -> Text:
    """One bar line per scheduler over the year: each character a week's mean a day."""
    text = Text(no_wrap=True)
    means = []
    for workload in workloads:
        daily = [r + n for r, n in zip(workload.reviews, workload.new, strict=True)]
        weeks = [daily[i : i + 7] for i in range(0, len(daily), 7)][:width]
        means.append([sum(w) / len(w) for w in weeks if w])
    top = max((m for row in means for m in row), default=0.0)
    for workload, row in zip(workloads, means, strict=True):
        text.append(f"{workload.label:<9}", "bold")
        for mean in row:
            text.append(_BARS[round(mean / top * 8) if top else 0])
        text.append("\n")
    text.append(f"{'':<9}each mark a week's answers a day; top = {top:,.0f}", "dim")
    return text


def scheduler_label(scheduler: str, retention: float) -> str:
    """The label a forecast row carries for a setting: SM-2, or FSRS 90%."""
    return "SM-2" if scheduler == "sm2" else f"FSRS {round(retention * 100)}%"
