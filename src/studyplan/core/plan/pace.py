"""Estimated against actual time: per topic, per phase, and the learner's own pace factor."""

from __future__ import annotations

from dataclasses import dataclass

from studyplan.core.plan.course import Course
from studyplan.core.plan.model import Phase, Topic

MIN_PACE_EVIDENCE = 120
"""Minutes of finished, timed topics below which a pace factor says more about luck than pace."""
PACE_LIMITS = (0.5, 3.0)
"""A re-estimate never shrinks what is left below half nor stretches it past three times."""


@dataclass(frozen=True, slots=True)
class TopicTime:
    """One topic's estimate next to the time recorded on it."""

    topic: Topic
    estimate: int
    actual: int
    """Minutes recorded: blocks marked done and time logged."""
    finished: bool

    @property
    def over(self) -> int:
        """Minutes past the estimate (0 when within it)."""
        return max(0, self.actual - self.estimate)


@dataclass(frozen=True, slots=True)
class PhaseTime:
    """A phase's estimate next to the time recorded on its topics."""

    phase: Phase
    estimate: int
    actual: int
    done: int
    """Minutes of the estimate done (each topic counted up to its estimate)."""


def topic_times(course: Course) -> list[TopicTime]:
    """Every topic on the learner's path, in plan order."""
    progress = course.progress
    return [
        TopicTime(t, t.minutes, progress.spent(t.id), progress.finished(t.id, t.minutes))
        for t in course.plan.path(course.enrolment.starting_point)
    ]


def phase_times(course: Course) -> list[PhaseTime]:
    """Every phase on the learner's path, with its topics' totals."""
    times = topic_times(course)
    out = []
    for phase in course.plan.phases_for(course.enrolment.starting_point):
        mine = [t for t in times if t.topic.phase_id == phase.id]
        out.append(
            PhaseTime(
                phase,
                sum(t.estimate for t in mine),
                sum(t.actual for t in mine),
                sum(t.estimate - course.progress.remaining(t.topic.id, t.estimate) for t in mine),
            )
        )
    return out


def pace_factor(course: Course) -> float | None:
    """Actual over estimated time on finished topics that have time recorded.

    1.2 means topics take 20% longer than estimated. None until at least
    ``MIN_PACE_EVIDENCE`` minutes of estimates have been finished with time
    recorded.
    """
    finished = [t for t in topic_times(course) if t.finished and t.actual > 0]
    estimated = sum(t.estimate for t in finished)
    if estimated < MIN_PACE_EVIDENCE:
        return None
    return sum(t.actual for t in finished) / estimated


def effective_pace(course: Course) -> float:
    """The factor that scales what is left: the pace factor when the learner chose it, else 1."""
    if not course.enrolment.use_pace:
        return 1.0
    factor = pace_factor(course)
    if factor is None:
        return 1.0
    low, high = PACE_LIMITS
    return min(high, max(low, factor))


def overrun(course: Course) -> int:
    """Minutes topics ran past their estimates: later work moves by this much."""
    return sum(t.over for t in topic_times(course))
