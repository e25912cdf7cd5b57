"""What a parsed plan is: phases of topics, paced per starting point.

Frozen and hashable; built by ``studyplan.core.plan.parse.parse_plan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

DEFAULT_POINT = "default"
"""The one starting point of a plan whose front matter has no ``[starting_points]``."""


@dataclass(frozen=True, slots=True)
class Topic:
    """One list item under a phase: something to study for a number of minutes."""

    id: str
    title: str
    minutes: int
    """The estimate, ``hours=`` in whole minutes (rounded up)."""
    phase_id: str
    line: int
    tags: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    """Prerequisite topic ids, as written."""
    only: tuple[str, ...] = ()
    """Starting points this topic is for; empty means every one."""
    notes: str = ""
    """Nested items and paragraphs under the topic, as markdown."""
    resources: tuple[str, ...] = ()
    """The text of each ``- Resource: ...`` item in the notes (a course, a book, an article)."""
    deliverables: tuple[str, ...] = ()
    """The text of each ``- Deliverable: ...`` item in the notes (what the learner makes)."""

    @property
    def hours(self) -> float:
        """The estimate in hours."""
        return self.minutes / 60


@dataclass(frozen=True, slots=True)
class Phase:
    """One ``##`` heading: a run of topics with a length in weeks per starting point."""

    id: str
    title: str
    weeks: tuple[tuple[str, float], ...]
    """``(starting point, weeks)`` for every starting point of the plan."""
    topics: tuple[Topic, ...]
    line: int
    intro: str = ""
    """Text between the heading and its first topic."""

    def weeks_for(self, point: str) -> float:
        """How many weeks this phase lasts for a learner who starts at ``point`` (0: skipped)."""
        for name, weeks in self.weeks:
            if name == point:
                return weeks
        raise KeyError(f"phase {self.id!r} has no weeks for starting point {point!r}")


@dataclass(frozen=True)
class Plan:
    """A parsed plan file."""

    id: str
    title: str
    summary: str
    starting_points: tuple[tuple[str, str], ...]
    """``(id, label)`` in the order the front matter lists them."""
    phases: tuple[Phase, ...]
    intro: str = ""
    hours_per_week: tuple[float, float] | None = None
    """The weekly hours the plan is written for (low, high), from ``hours_per_week``."""

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in file order."""
        return tuple(t for phase in self.phases for t in phase.topics)

    @cached_property
    def _by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def _phase_by_id(self) -> dict[str, Phase]:
        return {p.id: p for p in self.phases}

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id; ``KeyError`` if there is none."""
        return self._by_id[topic_id]

    def phase(self, phase_id: str) -> Phase:
        """The phase with this id; ``KeyError`` if there is none."""
        return self._phase_by_id[phase_id]

    @property
    def point_ids(self) -> tuple[str, ...]:
        """The starting point ids, in order."""
        return tuple(point for point, _ in self.starting_points)

    def applies(self, topic: Topic, point: str) -> bool:
        """Whether a learner starting at ``point`` studies ``topic``.

        A topic is skipped when ``only=`` leaves the point out or when its
        phase lasts 0 weeks for the point.
        """
        if topic.only and point not in topic.only:
            return False
        return self.phase(topic.phase_id).weeks_for(point) > 0

    def path(self, point: str) -> tuple[Topic, ...]:
        """The topics a learner starting at ``point`` studies, in plan order."""
        self._check_point(point)
        return tuple(t for t in self.topics if self.applies(t, point))

    def phases_for(self, point: str) -> tuple[Phase, ...]:
        """The phases a learner starting at ``point`` goes through (those of more than 0 weeks)."""
        self._check_point(point)
        return tuple(p for p in self.phases if p.weeks_for(point) > 0)

    def total_minutes(self, point: str) -> int:
        """The estimate of every topic on the path of ``point``, in minutes."""
        return sum(t.minutes for t in self.path(point))

    def total_weeks(self, point: str) -> float:
        """The plan's length in weeks for ``point`` (the sum of its phases' weeks)."""
        return sum(p.weeks_for(point) for p in self.phases_for(point))

    def weekly_hours(self, point: str) -> tuple[float, float]:
        """The hours a week the plan asks for: as its front matter says, or from its phases."""
        if self.hours_per_week is not None:
            return self.hours_per_week
        weeks = self.total_weeks(point)
        hours = round(self.total_minutes(point) / 60 / weeks, 1) if weeks else 0.0
        return hours, hours

    def _check_point(self, point: str) -> None:
        if point not in self.point_ids:
            known = ", ".join(self.point_ids)
            raise ValueError(f"plan {self.id!r} has no starting point {point!r} (it has: {known})")
