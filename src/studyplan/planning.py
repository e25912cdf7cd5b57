"""Study plans for the app and the command line: bundled plans, enrolments, weeks, progress."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from studyplan import paths
from studyplan.core.errors import SourceError
from studyplan.core.plan.parse import Plan, parse_plan
from studyplan.core.plan.schedule import (
    DEFAULT_SECONDS_PER_CARD,
    Block,
    Course,
    Enrolment,
    Standing,
    WeekPlan,
    standing,
    week_plan,
    week_start,
)
from studyplan.service import Studyplan
from studyplan.store.deck_sync import read_text
from studyplan.store.plan_repo import BlockRecord, PlanRepository


class PlanInputError(ValueError):
    """Something the learner asked of a plan cannot be done; ``str()`` says why in one sentence."""


def known_tags(decks: Path) -> frozenset[str]:
    """The tag vocabulary shared by decks and plans."""
    path = decks / "tags.toml"
    try:
        return frozenset(tomllib.loads(path.read_text(encoding="utf-8"))["tags"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return frozenset()


@dataclass
class Planner:
    """The plans a learner can follow and what they did in them."""

    studyplan: Studyplan
    plans_dir: Path = field(default_factory=paths.bundled_plans)
    _errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """``path:line: message`` for each plan file that could not be read."""
        _ = self.plans
        return self._errors

    @cached_property
    def repo(self) -> PlanRepository:
        return PlanRepository(self.studyplan.conn)

    @cached_property
    def plans(self) -> dict[str, Plan]:
        """Every readable plan by id; unreadable ones are listed in ``errors``."""
        tags = known_tags(self.studyplan.bundled_decks)
        found: dict[str, Plan] = {}
        for path in sorted(self.plans_dir.glob("*.md")):
            try:
                plan = parse_plan(read_text(path), str(path), tags or None)
            except SourceError as err:
                self._errors.append(str(err))
                continue
            found[plan.id] = plan
        return found

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id, or a clear ``PlanInputError``."""
        try:
            return self.plans[plan_id]
        except KeyError:
            known = ", ".join(self.plans) or "none"
            raise PlanInputError(f"there is no plan called {plan_id!r} (plans: {known})") from None

    def enrol(
        self,
        plan_id: str,
        start: date,
        starting_point: str | None,
        weekly_minutes: tuple[int, ...],
        share: float = 1.0,
    ) -> Enrolment:
        """Follow ``plan_id`` from ``start``; re-enrolling changes the pace and keeps progress."""
        plan = self.plan(plan_id)
        point = starting_point or plan.point_ids[0]
        if point not in plan.point_ids:
            labels = ", ".join(f"{p} ({label})" for p, label in plan.starting_points)
            raise PlanInputError(
                f"{plan.title} has no starting point {point!r}; choose one of: {labels}"
            )
        if sum(weekly_minutes) == 0:
            raise PlanInputError("you need some study time in the week: every day has 0 minutes")
        try:
            enrolment = Enrolment(plan_id, start, point, tuple(weekly_minutes), share)
        except (TypeError, ValueError) as err:
            raise PlanInputError(str(err)) from None
        self.repo.enrol(enrolment, self.studyplan.clock())
        return enrolment

    def leave(self, plan_id: str) -> None:
        """Stop following a plan (its progress stays stored)."""
        self.repo.leave(plan_id)

    def courses(self, today: date | None = None) -> list[Course]:
        """Each followed plan with its progress."""
        today = today or self.studyplan.today()
        out = []
        for enrolment in self.repo.enrolments():
            plan = self.plans.get(enrolment.plan_id)
            if plan is not None and enrolment.starting_point in plan.point_ids:
                out.append(Course(plan, enrolment, self.repo.progress(plan.id, today)))
        return out

    def week(self, day: date | None = None) -> WeekPlan | None:
        """The week holding ``day`` (default: this week); None when no plan is followed."""
        today = self.studyplan.today()
        courses = self.courses(today)
        if not courses:
            return None
        monday = week_start(day or today)
        due = self.repo.due_forecast(today, 7 + max(0, (monday - today).days + 7))
        seconds = self.repo.seconds_per_card() or DEFAULT_SECONDS_PER_CARD
        return week_plan(monday, courses, today, due, seconds)

    def standings(self) -> list[tuple[Plan, Standing]]:
        """Where the learner stands in each followed plan."""
        today = self.studyplan.today()
        return [(c.plan, standing(c, today)) for c in self.courses(today)]

    def favoured_tags(self) -> tuple[str, ...]:
        """Tags of this week's topics, to pick new flashcards by."""
        week = self.week()
        return week.tags if week else ()

    def record_block(self, block: Block) -> BlockRecord:
        """The learner studied ``block`` today."""
        sp = self.studyplan
        return self.repo.record_block(
            block.plan_id, block.topic.id, block.minutes, sp.today(), sp.clock(), sp.zone_name
        )

    def undo_block(self, record: BlockRecord) -> None:
        """Take back a recorded block."""
        self.repo.undo_block(record)

    def set_topic_done(self, plan_id: str, topic_id: str, done: bool) -> None:
        """Mark a whole topic finished, or not."""
        self.repo.set_topic_done(
            plan_id, topic_id, done, self.studyplan.today(), self.studyplan.clock()
        )
