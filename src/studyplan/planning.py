"""Study plans for the app and the command line: plans, enrolments, weeks, time recorded.

``Planner`` is the one service screens and commands call. Choices about the
pace live in ``plan_choices``, time off in ``plan_time_off``, the calendar in
``plan_calendar`` and plan files in ``plan_files``; each is reached from here.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan import paths
from studyplan.core.plan.availability import week_for_hours
from studyplan.core.plan.dates import check_day
from studyplan.core.plan.model import Topic
from studyplan.core.plan.parse import Plan
from studyplan.core.plan.schedule import (
    DEFAULT_SECONDS_PER_CARD,
    DEFAULT_WEEK,
    Block,
    Course,
    Enrolment,
    NewCards,
    Run,
    Standing,
    WeekPlan,
    plan_run,
    standing,
    week_plan,
    week_start,
)
from studyplan.core.plan.timeoff import TimeOff, days_off
from studyplan.core.plan.timer import Timer
from studyplan.core.plan.weekview import Done, Row, week_rows
from studyplan.plan_files import PlanFiles, bundled_tags
from studyplan.service import Studyplan
from studyplan.store.plan_repo import BlockRecord, PlanRepository, Unusable
from studyplan.store.time_off_repo import TimeOffRepository

if TYPE_CHECKING:
    from studyplan.plan_calendar import PlanCalendar
    from studyplan.plan_choices import PlanChoices
    from studyplan.plan_time_off import PlanTimeOff

MAX_LOG_MINUTES = 16 * 60
"""More than this in one record is a typing slip, not a day's study."""


class PlanInputError(ValueError):
    """Something the learner asked of a plan cannot be done; ``str()`` says why in one sentence."""


def known_tags(decks: Path) -> frozenset[str]:
    """The tag vocabulary shared by decks and plans."""
    return bundled_tags(decks)


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything the scheduler needs from the store on one day."""

    today: date
    courses: list[Course]
    off: list[TimeOff]
    due: dict[date, int]
    seconds_per_card: float
    new_cards: NewCards

    @property
    def off_days(self) -> frozenset[date]:
        """Every day of time off."""
        return days_off(self.off)


@dataclass(frozen=True, slots=True)
class Preview:
    """What an enrolment would mean, for the form and the command line."""

    hours_low: float
    hours_high: float
    """The hours a week the plan is written for."""
    hours_total: float
    weeks: float
    minutes_per_week: int
    finish: date | None
    """When the plan would end at these minutes (None: not within sixty years)."""
    others: int
    """Other plans followed, sharing the days."""

    def sentence(self) -> str:
        """E.g. ``The plan asks for 10-12 h a week (148 h over 13 weeks). At 10 h a week
        you would finish about Mon 8 Mar 2027.``"""
        asks = (
            f"{self.hours_low:g} h"
            if self.hours_low == self.hours_high
            else f"{self.hours_low:g}-{self.hours_high:g} h"
        )
        text = (
            f"The plan asks for {asks} a week ({self.hours_total:.0f} h over "
            f"{self.weeks:g} weeks). At {self.minutes_per_week / 60:.1f} h a week"
        )
        if self.others:
            text += " (shared with your other plans)"
        if self.finish is None:
            return text + " it would not end within sixty years."
        return text + (
            f" you would finish about {self.finish:%a %d %b %Y} (flashcard time included)."
        )


@dataclass
class Planner:
    """The plans a learner can follow and what they did in them."""

    studyplan: Studyplan
    plans_dir: Path = field(default_factory=paths.bundled_plans)
    notices: list[str] = field(default_factory=list)
    calendar_fresh: bool = False
    """The calendar file was rewritten in this session (see ``changed``)."""
    """Sentences for the learner from the last changes (a calendar file that could not be
    written); the app shows them, the command line prints them."""

    @cached_property
    def repo(self) -> PlanRepository:
        return PlanRepository(self.studyplan.conn)

    @cached_property
    def off_repo(self) -> TimeOffRepository:
        return TimeOffRepository(self.studyplan.conn)

    @cached_property
    def files(self) -> PlanFiles:
        """Bundled and imported plan files, read once."""
        files = PlanFiles(self.studyplan.conn, self.plans_dir, self.studyplan.bundled_decks)
        files.load(self.studyplan.clock())
        return files

    @property
    def plans(self) -> dict[str, Plan]:
        """Every readable plan by id; unreadable ones are listed in ``errors``."""
        return self.files.plans

    @property
    def errors(self) -> list[str]:
        """``path:line: message`` for each plan file that could not be read, and each stored
        enrolment that cannot be followed."""
        unusable = [
            f"your enrolment in {u.plan_id!r} cannot be used ({u.reason}); "
            f"leave it with: studyplan plan leave {u.plan_id}"
            for u in self.unusable()
        ]
        return self.files.errors + unusable

    @cached_property
    def choices(self) -> PlanChoices:
        """Falling behind: keep or move the target, use the learner's pace, undo."""
        from studyplan.plan_choices import PlanChoices

        return PlanChoices(self)

    @cached_property
    def time_off(self) -> PlanTimeOff:
        """Days off, and the reviews waiting on return."""
        from studyplan.plan_time_off import PlanTimeOff

        return PlanTimeOff(self)

    @cached_property
    def calendar(self) -> PlanCalendar:
        """The whole plan as calendar events."""
        from studyplan.plan_calendar import PlanCalendar

        return PlanCalendar(self)

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id, or a clear ``PlanInputError``."""
        try:
            return self.plans[plan_id]
        except KeyError:
            known = ", ".join(self.plans) or "none"
            raise PlanInputError(f"there is no plan called {plan_id!r} (plans: {known})") from None

    def import_plan(self, path: Path) -> Plan:
        """Add the learner's own plan file (``SourceError`` with file:line when it is wrong)."""
        plan = self.files.import_file(path, self.studyplan.clock())
        self.changed()
        return plan

    # -- enrolling ---------------------------------------------------------------

    def enrolment(self, plan_id: str) -> Enrolment | None:
        """The learner's enrolment in ``plan_id``, if they follow it."""
        return next((e for e in self.repo.enrolments() if e.plan_id == plan_id), None)

    def enrol(
        self,
        plan_id: str,
        start: date | None,
        starting_point: str | None,
        weekly_minutes: tuple[int, ...],
        share: float = 1.0,
    ) -> Enrolment:
        """Follow ``plan_id`` from ``start``; re-enrolling changes the pace and keeps progress.

        Without a ``start``, a plan already followed keeps its start (and so its
        history); a new one starts today.
        """
        plan = self.plan(plan_id)
        current = self.enrolment(plan_id)
        if start is None:
            start = current.start if current else self.studyplan.today()
        try:
            check_day(start, "the start")
        except ValueError as err:
            raise PlanInputError(str(err)) from None
        point = starting_point or (current.starting_point if current else plan.point_ids[0])
        if point not in plan.point_ids:
            labels = ", ".join(f"{p} ({label})" for p, label in plan.starting_points)
            raise PlanInputError(
                f"{plan.title} has no starting point {point!r}; choose one of: {labels}"
            )
        if sum(weekly_minutes) == 0:
            raise PlanInputError("you need some study time in the week: every day has 0 minutes")
        try:
            enrolment = Enrolment(
                plan_id,
                start,
                point,
                tuple(weekly_minutes),
                share,
                current.target_days if current else None,
                current.use_pace if current else False,
            )
        except (TypeError, ValueError) as err:
            raise PlanInputError(str(err)) from None
        self.repo.enrol(enrolment, self.studyplan.clock())
        self.changed()
        return enrolment

    def default_week(self, plan_id: str, point: str | None = None) -> tuple[int, ...]:
        """The minutes a form or command starts from: the enrolment's, or the plan's hours."""
        current = self.enrolment(plan_id)
        if current is not None:
            return current.weekly_minutes
        plan = self.plan(plan_id)
        low, _ = plan.weekly_hours(point or plan.point_ids[0])
        return week_for_hours(low) if low >= 1 else DEFAULT_WEEK

    def preview(
        self,
        plan_id: str,
        start: date,
        point: str,
        weekly_minutes: tuple[int, ...],
        share: float = 1.0,
    ) -> Preview:
        """What enrolling so would mean: the hours the plan asks for, and when it would end
        (with the other plans followed taking their part of each day)."""
        plan = self.plan(plan_id)
        low, high = plan.weekly_hours(point)
        inputs = self.inputs()
        current = self.enrolment(plan_id)
        enrolment = Enrolment(
            plan_id,
            start,
            point,
            weekly_minutes,
            share,
            current.target_days if current else None,
            current.use_pace if current else False,
        )
        progress = self.repo.progress(plan_id, inputs.today)
        mine = Course(plan, enrolment, progress)
        courses = [c for c in inputs.courses if c.plan.id != plan_id] + [mine]
        finish = self.run(inputs, courses).finish.get(plan_id)
        return Preview(
            hours_low=low,
            hours_high=high,
            hours_total=plan.total_minutes(point) / 60,
            weeks=plan.total_weeks(point),
            minutes_per_week=sum(weekly_minutes),
            finish=finish,
            others=len(courses) - 1,
        )

    def leave(self, plan_id: str) -> None:
        """Stop following a plan (its progress stays stored; enrolling again brings it back).

        Works for any stored enrolment, even one whose plan file is gone or
        whose dates an older version stored out of range.
        """
        if not self.repo.leave(plan_id):
            followed = ", ".join(self.repo.followed()) or "none"
            raise PlanInputError(
                f"you are not following a plan called {plan_id!r} (you follow: {followed})"
            )
        self.changed()

    def unusable(self) -> list[Unusable]:
        """Stored enrolments that cannot be followed: a plan file gone, a start out of range."""
        good, bad = self.repo.checked_enrolments()
        for enrolment in good:
            plan = self.plans.get(enrolment.plan_id)
            if plan is None:
                bad.append(Unusable(enrolment.plan_id, "its plan file is gone"))
            elif enrolment.starting_point not in plan.point_ids:
                bad.append(
                    Unusable(
                        enrolment.plan_id,
                        f"the plan has no starting point {enrolment.starting_point!r} any more",
                    )
                )
        return bad

    def courses(self, today: date | None = None) -> list[Course]:
        """Each followed plan with its progress."""
        today = today or self.studyplan.today()
        out = []
        for enrolment in self.repo.enrolments():
            plan = self.plans.get(enrolment.plan_id)
            if plan is not None and enrolment.starting_point in plan.point_ids:
                out.append(Course(plan, enrolment, self.repo.progress(plan.id, today)))
        return out

    # -- what the scheduler is given ----------------------------------------------

    def inputs(self, today: date | None = None, courses: list[Course] | None = None) -> Inputs:
        """The courses, time off and flashcard load on ``today`` (default: the study day)."""
        today = today or self.studyplan.today()
        settings = self.studyplan.settings
        return Inputs(
            today=today,
            courses=self.courses(today) if courses is None else courses,
            off=self.off_repo.ranges(),
            due=self.repo.due_from(today),
            seconds_per_card=self.repo.seconds_per_card() or DEFAULT_SECONDS_PER_CARD,
            new_cards=NewCards(
                settings.new_per_day, self.repo.unseen_cards(), self.repo.new_cards_on(today)
            ),
        )

    def run(
        self,
        inputs: Inputs,
        courses: list[Course] | None = None,
        *,
        record_from: date | None = None,
        count_until: date | None = None,
    ) -> Run:
        """Simulate every plan from today to its end."""
        return plan_run(
            inputs.courses if courses is None else courses,
            inputs.today,
            inputs.due,
            inputs.seconds_per_card,
            off=inputs.off_days,
            new_cards=inputs.new_cards,
            record_from=record_from,
            count_until=count_until,
        )

    # -- weeks and standing -------------------------------------------------------

    def week(self, day: date | None = None, inputs: Inputs | None = None) -> WeekPlan | None:
        """The week holding ``day`` (default: this week); None when no plan is followed."""
        inputs = inputs or self.inputs()
        if not inputs.courses:
            return None
        if day is not None:
            check_day(day, "the week")
        monday = week_start(day or inputs.today)
        return week_plan(
            monday,
            inputs.courses,
            inputs.today,
            inputs.due,
            inputs.seconds_per_card,
            off=inputs.off_days,
            new_cards=inputs.new_cards,
        )

    def week_rows(
        self, week: WeekPlan, inputs: Inputs | None = None
    ) -> list[tuple[date, list[Row]]]:
        """Each day of ``week`` with what was planned next to what was done."""
        inputs = inputs or self.inputs()
        sunday = week.monday + timedelta(days=6)
        done: dict[date, list[Done]] = {}
        for record in self.repo.blocks_between(week.monday, sunday):
            topic = self._topic(record.plan_id, record.topic_id)
            if topic is not None:
                done.setdefault(record.study_day, []).append(
                    Done(record.plan_id, topic, record.minutes)
                )
        for plan_id, topic_id, day in self.repo.topics_done_between(week.monday, sunday):
            topic = self._topic(plan_id, topic_id)
            if topic is not None:
                done.setdefault(day, []).append(Done(plan_id, topic, 0, finished=True))
        rows = week_rows(week.days, done, inputs.off, inputs.today)
        return [(day.day, day_rows) for day, day_rows in rows]

    def _topic(self, plan_id: str, topic_id: str) -> Topic | None:
        plan = self.plans.get(plan_id)
        if plan is None:
            return None
        try:
            return plan.topic(topic_id)
        except KeyError:
            return None

    def standings(self, inputs: Inputs | None = None) -> list[tuple[Plan, Standing]]:
        """Where the learner stands in each followed plan."""
        inputs = inputs or self.inputs()
        if not inputs.courses:
            return []
        finish = self.run(inputs).finish
        off = inputs.off_days
        return [
            (
                c.plan,
                standing(c, inputs.today, off=off, scheduled_finish=finish.get(c.plan.id)),
            )
            for c in inputs.courses
        ]

    def favoured_tags(self) -> tuple[str, ...]:
        """Tags of this week's topics, to pick new flashcards by."""
        week = self.week()
        return week.tags if week else ()

    # -- recording study ----------------------------------------------------------

    def record_block(self, block: Block) -> BlockRecord:
        """The learner studied ``block`` today, as planned."""
        sp = self.studyplan
        record = self.repo.record_block(
            block.plan_id, block.topic.id, block.minutes, sp.today(), sp.clock(), sp.zone_name
        )
        self.changed()
        return record

    def undo_block(self, record: BlockRecord) -> None:
        """Take back a recorded block."""
        self.repo.undo_block(record)
        self.changed()

    def set_topic_done(self, plan_id: str, topic_id: str, done: bool) -> None:
        """Mark a whole topic finished, or not."""
        self.repo.set_topic_done(
            plan_id, topic_id, done, self.studyplan.today(), self.studyplan.clock()
        )
        self.changed()

    def find_topic(self, text: str) -> tuple[str, Topic]:
        """The topic of a followed plan that ``text`` names: its id, its title, or an
        unambiguous part of the title (any case); otherwise a ``PlanInputError``."""
        topics = [
            (c.plan.id, t) for c in self.courses() for t in c.plan.path(c.enrolment.starting_point)
        ]
        if not topics:
            raise PlanInputError("you are not following a plan yet; enrol first")
        wanted = text.strip().casefold()
        for matches in (
            [(p, t) for p, t in topics if t.id.casefold() == wanted],
            [(p, t) for p, t in topics if t.title.casefold() == wanted],
            [(p, t) for p, t in topics if wanted and wanted in t.title.casefold()],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                names = ", ".join(t.id for _, t in matches[:5])
                raise PlanInputError(
                    f"{text!r} matches {len(matches)} topics ({names}); give the topic's id"
                )
        close = difflib.get_close_matches(wanted, [t.id for _, t in topics], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise PlanInputError(f"no topic of the plans you follow is called {text!r}{hint}")

    def log_time(self, topic: str, minutes: int, day: date | None = None) -> BlockRecord:
        """Record ``minutes`` actually spent on a topic on ``day`` (default today)."""
        today = self.studyplan.today()
        day = day or today
        try:
            check_day(day, "the day")
        except ValueError as err:
            raise PlanInputError(str(err)) from None
        if day > today:
            raise PlanInputError(
                f"{day.isoformat()} has not come yet; log time on today or a day before"
            )
        if not 0 < minutes <= MAX_LOG_MINUTES:
            raise PlanInputError(
                f"log between 1 minute and {MAX_LOG_MINUTES // 60} hours at a time, not {minutes} minutes"
            )
        plan_id, found = self.find_topic(topic)
        sp = self.studyplan
        record = self.repo.record_block(
            plan_id, found.id, minutes, day, sp.clock(), sp.zone_name, kind="log"
        )
        self.changed()
        return record

    # -- the study timer ----------------------------------------------------------

    def timer(self) -> Timer | None:
        """The study timer, running or paused."""
        return self.repo.timer()

    def timer_topic(self, timer: Timer) -> Topic | None:
        """The topic a timer runs on (None when its plan is gone)."""
        return self._topic(timer.plan_id, timer.topic_id)

    def start_timer(self, plan_id: str, topic_id: str) -> Timer:
        """Start timing a topic, or pause / resume the timer already on it."""
        now = self.studyplan.clock()
        timer = self.repo.timer()
        if timer is not None and (timer.plan_id, timer.topic_id) != (plan_id, topic_id):
            topic = self.timer_topic(timer)
            name = topic.title if topic else timer.topic_id
            raise PlanInputError(f"the timer is on {name}; stop it first (x)")
        if timer is None:
            timer = Timer.start(plan_id, topic_id, now)
        else:
            timer = timer.pause(now) if timer.running else timer.resume(now)
        self.repo.save_timer(timer)
        return timer

    def stop_timer(self) -> tuple[Timer, BlockRecord | None] | None:
        """Stop the timer and log its minutes against its topic; None without a timer."""
        timer = self.repo.timer()
        if timer is None:
            return None
        sp = self.studyplan
        now = sp.clock()
        record = self.repo.stop_timer(timer.minutes(now), sp.today(), now, sp.zone_name)
        self.changed()
        return timer, record

    # -- after every change -------------------------------------------------------

    def changed(self) -> None:
        """The plan changed: rewrite the calendar file the settings name, if any."""
        if self.studyplan.settings.calendar_file:
            self.calendar_fresh = True
            notice = self.calendar.refresh_file()
            if notice:
                self.notices.append(notice)

    def take_notices(self) -> list[str]:
        """The notices gathered since last asked, once."""
        out, self.notices = self.notices, []
        return out

    def with_enrolment(self, course: Course, **changes: object) -> Course:
        """``course`` with some enrolment fields changed (for what-if questions)."""
        return replace(course, enrolment=replace(course.enrolment, **changes))  # type: ignore[arg-type]
