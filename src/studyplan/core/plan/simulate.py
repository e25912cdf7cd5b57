"""The day-by-day simulation behind ``week_plan``: who studies what, assuming the plan is followed.

Private to the scheduler. State here is mutable for speed, but it never
leaves: the simulation returns frozen ``DayPlan`` objects.
"""

from __future__ import annotations

import math
from bisect import insort
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from studyplan.core.plan.course import Course
from studyplan.core.plan.model import Topic

MAX_REVIEW_SHARE = 0.5
"""Review never takes more than this part of a day; the cards left over wait for the next day."""


@dataclass(frozen=True, slots=True)
class Block:
    """A stretch of one topic on one day."""

    plan_id: str
    topic: Topic
    minutes: int
    finishes: bool
    """This block completes the topic."""
    carried: bool
    """Carried forward: begun before this week, or its phase should have ended before this week."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day of a week plan as the learner sees it."""

    day: date
    available: int
    """The learner's minutes on this weekday."""
    review: int
    """Minutes kept for due flashcards, before any topic."""
    blocks: tuple[Block, ...]
    past: bool
    """Before today; past days of the current week show no blocks (see ``week_plan``)."""

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
        self.left = [
            progress.remaining(t.id, t.minutes) if from_progress else t.minutes for t in self.topics
        ]
        self.started = [i for i, t in enumerate(self.topics) if 0 < self.left[i] < t.minutes]
        self.untouched = [i for i, t in enumerate(self.topics) if self.left[i] == t.minutes]
        self.open = len(self.started) + len(self.untouched)
        self.phase_ends = course.phase_ends()

    def running(self, day: date) -> bool:
        """Started by ``day``, not finished, and with time on that weekday."""
        return self.open > 0 and day >= self.start and self.week[day.weekday()] > 0

    def fill(self, budget: int) -> list[tuple[int, int]]:
        """Spend up to ``budget`` minutes: started topics first, then the rest in plan order.

        Returns ``(topic index, minutes)`` pairs. A topic waits until every
        prerequisite has no minutes left, including ones finished earlier today.
        """
        out: list[tuple[int, int]] = []
        left, needs = self.left, self.needs
        for i in list(self.started):
            if budget <= 0:
                return out
            if any(left[p] for p in needs[i]):
                continue
            take = min(budget, left[i])
            left[i] -= take
            budget -= take
            out.append((i, take))
            if not left[i]:
                self.started.remove(i)
                self.open -= 1
        j = 0
        untouched = self.untouched
        while budget > 0 and j < len(untouched):
            i = untouched[j]
            if any(left[p] for p in needs[i]):
                j += 1
                continue
            take = min(budget, left[i])
            left[i] -= take
            budget -= take
            out.append((i, take))
            del untouched[j]
            if left[i]:
                insort(self.started, i)
            else:
                self.open -= 1
        return out


def simulate(
    courses: Sequence[Course],
    first: date,
    record: tuple[date, date],
    today: date,
    from_progress: bool,
    due: Mapping[date, int],
    seconds_per_card: float,
) -> list[DayPlan]:
    """Run every course from ``first`` to the end of ``record`` and return the recorded days.

    Days of ``record`` before ``first`` are shown as past and empty.
    """
    tracks = [Track(course, from_progress, number) for number, course in enumerate(courses)]
    week_from, week_to = record
    ordinal, last = first.toordinal(), week_to.toordinal()
    days: list[DayPlan] = [
        DayPlan(d, _available(tracks, d), 0, (), d < today)
        for d in map(date.fromordinal, range(week_from.toordinal(), min(ordinal, last + 1)))
    ]
    snapshot: list[list[int]] = []  # minutes left per topic when the recorded days begin
    backlog = 0
    while ordinal <= last:
        day = date.fromordinal(ordinal)
        ordinal += 1
        recording = day >= week_from
        if recording and not snapshot:
            snapshot = [list(track.left) for track in tracks]
        available = _available(tracks, day)
        backlog += max(0, due.get(day, 0))
        review = 0
        if backlog and available:
            need = math.ceil(backlog * seconds_per_card / 60)
            review = min(need, int(available * MAX_REVIEW_SHARE))
            backlog = 0 if review == need else backlog - int(review * 60 // seconds_per_card)
        running = [track for track in tracks if track.running(day)]
        blocks: list[Block] = []
        if running and available > review:
            budgets = apportion(available - review, [track.share for track in running])
            if day == today and from_progress:
                budgets = [
                    max(0, b - t.course.progress.studied_today)
                    for t, b in zip(running, budgets, strict=True)
                ]
            filled = _spend(running, budgets)
            if recording:
                for k, track in enumerate(tracks):
                    if filled.get(k):
                        blocks.extend(_blocks(track, filled[k], snapshot[k], week_from))
        if recording:
            days.append(DayPlan(day, available, review, tuple(blocks), day < today))
    return days


def _spend(running: list[Track], budgets: list[int]) -> dict[int, dict[int, int]]:
    """Fill each plan's part of the day; minutes a plan cannot use go to the others.

    Returns minutes per topic index per track number, in the order they were planned.
    """
    filled: dict[int, dict[int, int]] = {}
    spare = 0
    for track, budget in zip(running, budgets, strict=True):
        used = _add(filled.setdefault(track.number, {}), track.fill(budget))
        spare += budget - used
    for track in running:
        if spare <= 0:
            break
        if track.open:
            spare -= _add(filled[track.number], track.fill(spare))
    return filled


def _add(into: dict[int, int], pairs: list[tuple[int, int]]) -> int:
    for i, minutes in pairs:
        into[i] = into.get(i, 0) + minutes
    return sum(minutes for _, minutes in pairs)


def _blocks(track: Track, filled: dict[int, int], before: list[int], monday: date) -> list[Block]:
    out = []
    for i, minutes in filled.items():
        topic = track.topics[i]
        carried = before[i] < topic.minutes or track.phase_ends[topic.phase_id] <= monday
        out.append(Block(track.plan_id, topic, minutes, track.left[i] == 0, carried))
    return out


def _available(tracks: Sequence[Track], day: date) -> int:
    # Availability is the learner's; every enrolment normally carries the same week.
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
