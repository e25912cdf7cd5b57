"""The day-by-day simulation behind the scheduler: who studies what, assuming the plan is followed.

Private to the scheduler. State here is mutable for speed, but it never
leaves: the simulation returns frozen ``DayPlan`` objects.
"""

from __future__ import annotations

import math
from bisect import insort
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from studyplan.core.plan.course import MIN_BLOCK, Course
from studyplan.core.plan.model import Topic
from studyplan.core.plan.pace import effective_pace
from studyplan.core.plan.reviewload import NEW_CARD_COST, REVIEW_OFFSETS, NewCards

MAX_REVIEW_SHARE = 0.5
"""Review never takes more than this part of a day; the cards left over wait for the next day."""
MIN_REVIEW = 5
"""A review sitting is at least this long: one card still means opening the app and answering."""
MAX_SIMULATED_DAYS = 366 * 60
"""A plan that has not ended after this many days never will at this pace."""


@dataclass(frozen=True, slots=True)
class Block:
    """A stretch of one topic on one day."""

    plan_id: str
    topic: Topic
    minutes: int
    finishes: bool
    """This block completes the topic."""
    carried: bool
    """Carried forward: by the plan as written, this topic should already have been finished."""
    offset: int = 0
    """Minutes of the topic recorded or planned before this block (a stable name for it)."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day of a week plan as the learner sees it."""

    day: date
    available: int
    """The learner's minutes on this day (0 on a rest weekday or a day off)."""
    review: int
    """Minutes kept for flashcards (due cards, new cards and their reviews), before any topic."""
    blocks: tuple[Block, ...]
    past: bool
    """Before today; past days of the current week show no blocks (see ``week_plan``)."""
    off: bool = False
    """A day of the learner's time off."""

    @property
    def study(self) -> int:
        """Minutes of topic blocks."""
        return sum(block.minutes for block in self.blocks)

    @property
    def free(self) -> int:
        """Minutes left after review and topics."""
        return max(0, self.available - self.review - self.study)


class Track:
    """The simulated state of one course: minutes left per topic of the learner's path."""

    def __init__(self, course: Course, from_progress: bool, number: int) -> None:
        point = course.enrolment.starting_point
        self.course = course
        self.number = number
        self.plan_id = course.plan.id
        self.start = course.enrolment.start
        self.share = course.enrolment.share
        self.week = course.enrolment.weekly_minutes
        self.topics = course.plan.path(point)
        index = {t.id: i for i, t in enumerate(self.topics)}
        # A prerequisite outside the learner's path counts as known: their starting point skips it.
        self.needs = [[index[p] for p in t.after if p in index] for t in self.topics]
        progress = course.progress
        pace = effective_pace(course) if from_progress else 1.0
        self.left = [
            progress.remaining(t.id, t.minutes, pace) if from_progress else t.minutes
            for t in self.topics
        ]
        # A tail shorter than a block is planned as one block.
        self.left = [max(m, MIN_BLOCK) if m else 0 for m in self.left]
        self.before = [progress.spent(t.id) if from_progress else 0 for t in self.topics]
        begun = [bool(from_progress and progress.spent(t.id)) for t in self.topics]
        self.started = [i for i in range(len(self.topics)) if self.left[i] and begun[i]]
        self.untouched = [i for i in range(len(self.topics)) if self.left[i] and not begun[i]]
        self.open = len(self.started) + len(self.untouched)
        self.finished_on: date | None = None

    def minutes_on(self, day: date) -> int:
        """The enrolment's minutes on ``day`` once the plan has started."""
        return self.week[day.weekday()] if day >= self.start else 0

    def fill(self, budget: int, floor: int) -> list[tuple[int, int]]:
        """Spend up to ``budget`` minutes: started topics first, then the rest in plan order.

        Returns ``(topic index, minutes)`` pairs. A topic waits until every
        prerequisite has no minutes left, including ones finished earlier
        today. No piece is shorter than ``floor`` minutes: a day's last few
        minutes stay free, and a split never leaves a shorter tail when it
        can be avoided (a tail that cannot is planned as one ``floor`` block).
        """
        out: list[tuple[int, int]] = []
        left, needs = self.left, self.needs
        for i in list(self.started):
            if budget < floor:
                return out
            if any(left[p] for p in needs[i]):
                continue
            budget -= self._take(i, budget, floor, out)
            if not left[i]:
                self.started.remove(i)
                self.open -= 1
        j = 0
        untouched = self.untouched
        while budget >= floor and j < len(untouched):
            i = untouched[j]
            if any(left[p] for p in needs[i]):
                j += 1
                continue
            budget -= self._take(i, budget, floor, out)
            del untouched[j]
            if left[i]:
                insort(self.started, i)
            else:
                self.open -= 1
        return out

    def _take(self, i: int, budget: int, floor: int, out: list[tuple[int, int]]) -> int:
        left = self.left[i]
        take = min(budget, left)
        rest = left - take
        if 0 < rest < floor and take - (floor - rest) >= floor:
            take -= floor - rest
            rest = floor
        self.left[i] = max(rest, floor) if rest else 0
        out.append((i, take))
        return take


@dataclass
class Run:
    """What a simulation gives back."""

    days: list[DayPlan] = field(default_factory=list)
    """The recorded days."""
    finish: dict[str, date | None] = field(default_factory=dict)
    """The day each plan's last topic is done (None when it is not done by the end of the run)."""
    studied: dict[str, int] = field(default_factory=dict)
    """Minutes each plan studied from the first day to ``count_until``."""
    left: dict[str, int] = field(default_factory=dict)
    """Minutes each plan had left on the first day."""
    topic_done: dict[tuple[str, str], date] = field(default_factory=dict)
    """The day each topic's last block was planned, for the topics finished in the run."""


@dataclass(frozen=True, slots=True)
class Load:
    """The flashcard side of the simulation."""

    due: Mapping[date, int]
    seconds_per_card: float
    new_cards: NewCards | None = None


def simulate(
    courses: Sequence[Course],
    first: date,
    record: tuple[date, date] | None,
    today: date,
    from_progress: bool,
    load: Load,
    *,
    off: Collection[date] = frozenset(),
    until: date | None = None,
    count_until: date | None = None,
    overdue: Collection[tuple[str, str]] = frozenset(),
    carried_until: date | None = None,
    new_cards_from: date | None = None,
) -> Run:
    """Run every course from ``first`` and record the days of ``record``.

    The run ends on ``until``, or without it when every course is done. Days of ``record`` before ``first`` are shown as
    past and empty. ``overdue`` names the topics (plan id, topic id) that the
    plan as written finishes before today: their blocks up to
    ``carried_until`` are marked carried. New cards are expected from
    ``new_cards_from`` (default: today).
    """
    tracks = [Track(course, from_progress, number) for number, course in enumerate(courses)]
    run = Run(
        finish={t.plan_id: (first if not t.open else None) for t in tracks},
        studied={t.plan_id: 0 for t in tracks},
        left={t.plan_id: sum(t.left) for t in tracks},
    )
    week_from, week_to = record if record else (date.max, date.max)
    ordinal = first.toordinal()
    last = until.toordinal() if until else first.toordinal() + MAX_SIMULATED_DAYS
    if record:
        run.days = [
            DayPlan(d, _available(tracks, d, off), 0, (), d < today, d in off)
            for d in map(date.fromordinal, range(week_from.toordinal(), min(ordinal, last + 1)))
        ]
    reviews = _Reviews(load, today, new_cards_from or today)
    open_tracks = sum(1 for t in tracks if t.open)
    while ordinal <= last and (until is not None or open_tracks):
        day = date.fromordinal(ordinal)
        ordinal += 1
        is_off = day in off
        available = _available(tracks, day, off)
        review = reviews.reserve(day, available)
        running = [t for t in tracks if t.open and not is_off and t.minutes_on(day) > 0]
        blocks: list[Block] = []
        if running and available > review:
            study = available - review
            budgets = _split(study, running, day)
            if day == today and from_progress:
                budgets = [
                    max(0, b - t.course.progress.studied_today)
                    for t, b in zip(running, budgets, strict=True)
                ]
            filled = _spend(running, budgets, min(MIN_BLOCK, study))
            counting = count_until is not None and day <= count_until
            recording = week_from <= day
            for track in running:
                pairs = filled.get(track.number)
                if not pairs:
                    continue
                for i, minutes in pairs.items():
                    topic = track.topics[i]
                    if counting:
                        run.studied[track.plan_id] += minutes
                    if not track.left[i]:
                        run.topic_done[(track.plan_id, topic.id)] = day
                    if recording:
                        carried = (
                            carried_until is not None
                            and day <= carried_until
                            and (track.plan_id, topic.id) in overdue
                        )
                        blocks.append(
                            Block(
                                track.plan_id,
                                topic,
                                minutes,
                                track.left[i] == 0,
                                carried,
                                track.before[i],
                            )
                        )
                    track.before[i] += minutes
                if not track.open and track.finished_on is None:
                    track.finished_on = day
                    run.finish[track.plan_id] = day
                    open_tracks -= 1
        if week_from <= day <= week_to:
            run.days.append(DayPlan(day, available, review, tuple(blocks), day < today, is_off))
    return run


class _Reviews:
    """Flashcard minutes reserved day by day; what does not fit waits for the next study day."""

    def __init__(self, load: Load, today: date, new_from: date) -> None:
        self.due = load.due
        self.seconds = load.seconds_per_card
        self.new = load.new_cards
        self.unseen = (
            load.new_cards.unseen if load.new_cards and load.new_cards.unseen is not None else None
        )
        self.today = today
        self.new_from = new_from
        self.coming: dict[int, int] = {}  # reviews of simulated new cards, by day ordinal
        self.backlog = 0.0  # seconds of cards waiting

    def reserve(self, day: date, available: int) -> int:
        ordinal = day.toordinal()
        cards = max(0, self.due.get(day, 0)) + self.coming.pop(ordinal, 0)
        self.backlog += cards * self.seconds
        if not available:
            return 0
        if self.new is not None and day >= self.new_from:
            wanted = self.new.per_day - (self.new.done_today if day == self.today else 0)
            count = max(0, wanted if self.unseen is None else min(wanted, self.unseen))
            if count:
                if self.unseen is not None:
                    self.unseen -= count
                self.backlog += count * NEW_CARD_COST * self.seconds
                for offset in REVIEW_OFFSETS:
                    self.coming[ordinal + offset] = self.coming.get(ordinal + offset, 0) + count
        if self.backlog <= 0:
            return 0
        need = math.ceil(self.backlog / 60 - 1e-9)
        review = min(max(need, MIN_REVIEW), int(available * MAX_REVIEW_SHARE))
        self.backlog = 0.0 if review >= need else self.backlog - review * 60
        return review


def _split(study: int, running: list[Track], day: date) -> list[int]:
    """The day's study minutes by the plans' shares, none above its own enrolment's minutes.

    What a plan cannot take (its enrolment gives it fewer minutes that
    weekday) goes to the others, by their shares.
    """
    caps = [t.minutes_on(day) for t in running]
    budgets = [0] * len(running)
    free = list(range(len(running)))
    left = study
    while left > 0 and free:
        parts = apportion(left, [running[k].share for k in free])
        left = 0
        still = []
        for k, part in zip(free, parts, strict=True):
            room = caps[k] - budgets[k]
            budgets[k] += min(part, room)
            if part >= room:
                left += part - room
            else:
                still.append(k)
        free = still
    return budgets


def _spend(running: list[Track], budgets: list[int], floor: int) -> dict[int, dict[int, int]]:
    """Fill each plan's part of the day; minutes a plan cannot use go to the others.

    Returns minutes per topic index per track number, in the order they were planned.
    """
    filled: dict[int, dict[int, int]] = {}
    spare = 0
    for track, budget in zip(running, budgets, strict=True):
        used = _add(filled.setdefault(track.number, {}), track.fill(budget, floor))
        spare += budget - used
    for track in running:
        if spare < floor:
            break
        if track.open:
            spare -= _add(filled[track.number], track.fill(spare, floor))
    return filled


def _add(into: dict[int, int], pairs: list[tuple[int, int]]) -> int:
    for i, minutes in pairs:
        into[i] = into.get(i, 0) + minutes
    return sum(minutes for _, minutes in pairs)


def _available(tracks: Sequence[Track], day: date, off: Collection[date]) -> int:
    # The learner's time that day: the most any enrolment gives it (each plan's part is
    # then capped at its own enrolment's minutes, see _split).
    if day in off:
        return 0
    return max((track.week[day.weekday()] for track in tracks), default=0)


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` whole minutes by ``weights``; odd minutes go to the largest remainders."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
