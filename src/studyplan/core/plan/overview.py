"""The whole roadmap at a glance: phases on a timeline, done and left, the finish at your pace.

Pure. ``build_overview`` gathers the figures; ``overview_lines`` lays them
out as plain text of a given width (80 columns by default), for the Plan
screen and ``studyplan plan --overview`` alike.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from studyplan.core.plan.course import Course
from studyplan.core.plan.model import Phase, Topic
from studyplan.core.plan.pace import pace_factor, phase_times, topic_times
from studyplan.core.plan.standing import Standing
from studyplan.core.plan.timeoff import add_study_days

NAME_WIDTH = 24
FIGURES_WIDTH = 12
DONE, LEFT, NOW, EMPTY = "█", "░", "│", " "


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """One phase on the timeline."""

    phase: Phase
    hours: float
    """The phase's estimate for the learner's path."""
    done: float
    """Hours of that estimate done."""
    actual: float
    """Hours recorded on its topics."""
    start: date
    end: date
    current: bool
    """The phase of the learner's first unfinished topic."""


@dataclass(frozen=True, slots=True)
class TopicCards:
    """How many of the flashcards a topic's tags bring have been introduced."""

    topic: Topic
    introduced: int
    total: int


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the overview shows for one followed plan."""

    title: str
    point_label: str
    start: date
    today: date
    standing: Standing
    phases: tuple[PhaseSpan, ...]
    pace: float | None
    """Actual over estimated time on finished topics (None until there is enough)."""
    use_pace: bool
    timed: tuple[tuple[Topic, int, int, bool], ...]
    """(topic, estimate, actual minutes, finished) for topics with time recorded."""
    cards: tuple[TopicCards, ...]
    """Topics whose flashcards are already introduced."""

    @property
    def finish(self) -> date | None:
        """The projected finish at the learner's real pace."""
        return self.standing.projected_finish


def build_overview(
    course: Course,
    st: Standing,
    today: date,
    off: frozenset[date] = frozenset(),
    cards_by_tag: Mapping[str, tuple[int, int]] | None = None,
) -> Overview:
    """The overview of ``course`` on ``today``; ``cards_by_tag`` maps a tag to
    (cards introduced, cards in all) for the flashcards that carry it."""
    plan, point = course.plan, course.enrolment.starting_point
    start = course.enrolment.start
    phases = phase_times(course)
    done_total = st.hours_done
    elapsed = max(0, (today - start).days)
    per_week = st.hours_per_week

    def when(hours: float) -> date:
        """Where ``hours`` of the path (in plan order) fall on the calendar."""
        if hours <= done_total or done_total >= st.hours_total:
            share = hours / done_total if done_total else 0.0
            return start + timedelta(days=round(share * elapsed))
        if per_week <= 0:
            return st.projected_finish or today
        ahead = round((hours - done_total) / per_week * 7)
        return add_study_days(max(today, start), ahead, off)

    current = st.phase.id if st.phase else None
    spans, cumulative = [], 0.0
    for pt in phases:
        first = when(cumulative)
        cumulative += pt.estimate / 60
        spans.append(
            PhaseSpan(
                pt.phase,
                pt.estimate / 60,
                pt.done / 60,
                pt.actual / 60,
                first,
                max(first, when(cumulative)),
                pt.phase.id == current,
            )
        )
    labels = dict(plan.starting_points)
    timed = tuple(
        (t.topic, t.estimate, t.actual, t.finished) for t in topic_times(course) if t.actual
    )
    cards = []
    for topic in plan.path(point):
        counts = [cards_by_tag.get(tag, (0, 0)) for tag in topic.tags] if cards_by_tag else []
        introduced = sum(c[0] for c in counts)
        if introduced:
            cards.append(TopicCards(topic, introduced, sum(c[1] for c in counts)))
    return Overview(
        title=plan.title,
        point_label=labels.get(point, point) if len(labels) > 1 else "",
        start=start,
        today=today,
        standing=st,
        phases=tuple(spans),
        pace=pace_factor(course),
        use_pace=course.enrolment.use_pace,
        timed=timed,
        cards=tuple(cards),
    )


def overview_lines(ov: Overview, width: int = 80) -> list[str]:
    """The overview as lines of at most ``width`` characters (at least 30)."""
    width = max(30, width)
    st = ov.standing
    out = textwrap.wrap(ov.title + (f" · {ov.point_label}" if ov.point_label else ""), width)
    percent = round(100 * st.hours_done / st.hours_total) if st.hours_total else 100
    facts = [
        f"Started {_day(ov.start)}; {st.hours_done:.1f} of {st.hours_total:.0f} h done "
        f"({percent}%).",
        _finish_sentence(st),
        _pace_sentence(ov),
    ]
    if st.overrun_hours >= 0.05:
        facts.append(f"Topics past their estimates moved later work by {st.overrun_hours:.1f} h.")
    for fact in facts:
        out += textwrap.wrap(fact, width)
    out.append("")
    out += _timeline(ov, width)
    out.append("")
    out += _estimates(ov, width)
    if ov.cards:
        out.append("")
        out += textwrap.wrap(
            "Flashcards already introduced (seen of all with the topic's tags): "
            + "; ".join(f"{c.topic.title} {c.introduced}/{c.total}" for c in ov.cards),
            width,
        )
    return out


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _finish_sentence(st: Standing) -> str:
    if st.finished:
        return "Finished: every topic on your path is done."
    target = f"Target {_day(st.nominal_finish)}" + (" (moved)" if st.target_moved else "")
    if st.projected_finish is None:
        return f"{target}; no finish in sight at 0 h a week."
    how = "at your pace" if st.pace_from_history else "at your planned minutes"
    off = f", {st.days_off_ahead} days off included" if st.days_off_ahead else ""
    return (
        f"{target}; {how} ({st.hours_per_week:.1f} h a week) about "
        f"{_day(st.projected_finish)}{off}."
    )


def _pace_sentence(ov: Overview) -> str:
    if ov.pace is None:
        return "Pace factor: not yet known (it needs finished topics with time recorded)."
    change = round(abs(ov.pace - 1) * 100)
    if change == 0:
        how = "topics take as long as estimated"
    else:
        how = f"topics take {change}% {'longer' if ov.pace > 1 else 'less'} than estimated"
    used = "used for what is left" if ov.use_pace else "not used for what is left"
    return f"Pace factor {ov.pace:.2f}: {how} ({used})."


def _timeline(ov: Overview, width: int) -> list[str]:
    """A header of dates, then one row per phase: its name, a bar, done/total hours."""
    name_width = min(NAME_WIDTH, max(10, width // 4))
    bar = width - name_width - FIGURES_WIDTH - 2
    first = min(ov.start, ov.today)
    ends = [s.end for s in ov.phases] + [ov.today, ov.standing.nominal_finish]
    last = max(ends)
    span = max(1, (last - first).days)

    def column(day: date) -> int:
        return round((day - first).days / span * (bar - 1))

    now = column(ov.today)
    header = [" "] * bar
    _put(header, 0, _month(first))
    _put(header, bar - len(_month(last)), _month(last))
    marker = [" "] * bar
    label = "▼ today" if now + 7 <= bar else "today ▼"
    _put(marker, now if label.startswith("▼") else now - len(label) + 1, label)
    indent = " " * (name_width + 1)
    out = [indent + "".join(header).rstrip(), indent + "".join(marker).rstrip()]
    for s in ov.phases:
        cells = [EMPTY] * bar
        a, b = column(s.start), max(column(s.start), column(s.end) - 1)
        for c in range(a, b + 1):
            cells[c] = DONE if c < now or (c == now and s.done >= s.hours) else LEFT
        if cells[now] == EMPTY:
            cells[now] = NOW
        mark = "▶ " if s.current else "  "
        name = _cut(mark + s.phase.title, name_width)
        figures = f"{s.done:.0f}/{s.hours:.0f} h".rjust(FIGURES_WIDTH)
        out.append(f"{name:<{name_width}} {''.join(cells)} {figures}")
    return out


def _put(
    cells: list[str], at: int, text: str, *, right: bool = False, centre: bool = False
) -> None:
    """Write ``text`` into ``cells`` at ``at`` where it fits without covering other text."""
    if centre:
        at -= len(text) // 2
    at = max(0, min(at, len(cells) - len(text)))
    if any(c != " " for c in cells[max(0, at - 1) : at + len(text) + 1]):
        return
    cells[at : at + len(text)] = list(text)


def _month(day: date) -> str:
    return f"{day:%b %Y}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _estimates(ov: Overview, width: int) -> list[str]:
    """Estimated against actual hours, per phase and for every topic with time recorded."""
    name_width = width - 30
    out = [f"{_cut('Phase', name_width):<{name_width}} {'estimate':>9} {'done':>8} {'actual':>9}"]
    for s in ov.phases:
        out.append(
            f"{_cut(s.phase.title, name_width):<{name_width}} {s.hours:>7.1f} h "
            f"{s.done:>6.1f} h {s.actual:>7.1f} h"
        )
    if ov.timed:
        out.append("")
        out.append(
            f"{_cut('Topic with time recorded (✓ finished)', name_width):<{name_width}} "
            f"{'estimate':>9} {'actual':>8}"
        )
        for topic, estimate, actual, finished in ov.timed:
            tick = "  ✓" if finished else ""
            line = f"{_cut(topic.title, name_width):<{name_width}} {estimate / 60:>7.1f} h {actual / 60:>6.1f} h"
            out.append((line + tick)[:width])
    return out
