"""Streaks and statistics for the app and the command line, over one open studyplan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from studyplan.core.stats import (
    DEFAULT_SECONDS_PER_CARD,
    ForecastDay,
    Heatmap,
    Retention,
    due_forecast,
    heatmap,
    retention,
)
from studyplan.core.streaks import (
    StreakGoal,
    StreakSummary,
    qualifies,
    rest_weekdays,
    spend_freezes,
    streaks,
)
from studyplan.service import Studyplan
from studyplan.store.progress_repo import ProgressRepository

FORECAST_DAYS = 30


@dataclass(frozen=True, slots=True)
class Streak:
    """The streak on a study day, with the history it was computed from."""

    summary: StreakSummary
    heatmap: Heatmap
    """The last 53 weeks."""
    answers_by_day: dict[date, int]
    """Answers given on each study day, drills included."""
    newly_frozen: frozenset[date]
    """Missed days just bridged by freezes (tell the learner once)."""


@dataclass(frozen=True, slots=True)
class Statistics:
    """Everything the stats screen and ``studyplan stats`` show."""

    streak: Streak
    forecast: list[ForecastDay]
    seconds_per_card: float | None
    """Median seconds per card from recent answers; None until there are enough."""
    retention_week: Retention
    retention_month: Retention


class Progress:
    """Study days, streaks and statistics, read from the store and computed by ``core``."""

    def __init__(self, studyplan: Studyplan) -> None:
        self.studyplan = studyplan
        self._streak: tuple[tuple, Streak] | None = None

    def _state(self, spend: bool) -> tuple:
        """What a computed streak depends on: the day, the goal and the database. The
        connection's own changes and ``data_version`` (other connections' commits) tell
        when the database changed, without reading it."""
        sp = self.studyplan
        conn = sp.conn
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return (sp.today(), self.goal(), spend, id(conn), conn.total_changes, version)

    @property
    def repo(self) -> ProgressRepository:
        return ProgressRepository(self.studyplan.conn)

    @property
    def _plans(self):
        from studyplan.store.plan_repo import PlanRepository  # imports the scheduler: lazily

        return PlanRepository(self.studyplan.conn)

    def goal(self) -> StreakGoal:
        """The daily goal from the settings."""
        s = self.studyplan.settings
        return StreakGoal(
            all_due=s.streak_all_due,
            min_reviews=s.streak_min_reviews or None,
            min_blocks=s.streak_min_blocks or None,
        )

    def rest_weekdays(self) -> frozenset[int]:
        """Weekdays on which no followed plan asks for any time."""
        weeks = self.repo.weekly_minutes()
        if not weeks:
            return frozenset()
        return rest_weekdays([sum(week[day] for week in weeks) for day in range(7)])

    def days_off(self) -> frozenset[date]:
        """The learner's time off: bridged like rest days."""
        from studyplan.core.plan.timeoff import days_off
        from studyplan.store.time_off_repo import TimeOffRepository

        return days_off(TimeOffRepository(self.studyplan.conn).ranges())

    def note_today(self) -> None:
        """Remember what is due today, once per study day (the goal is judged against it)."""
        sp = self.studyplan
        today = sp.today()
        reviews_done, _new = sp.repo.done_today(today)
        due = min(self.repo.due_count(today) + reviews_done, sp.settings.reviews_per_day)
        self.repo.note_due(today, due, sp.clock())

    def fill_day_totals(self) -> None:
        """Count every closed study day into the day-totals cache (slow only when it is cold,
        after an upgrade, a restore or an import): for a worker thread."""
        self.repo.activity(self.studyplan.today())

    def streak(self, *, spend: bool = True) -> Streak:
        """The streak today; with ``spend``, freezes due for missed days are spent and stored.

        Computed once while nothing it depends on changes: home's panel, the freeze
        notice and a second look share one computation.
        """
        if self._streak is not None and self._streak[0] == self._state(spend):
            kept = self._streak[1]
            # Freezes spent by the first computation are stored: not newly frozen again.
            return replace(kept, newly_frozen=frozenset()) if spend else kept
        streak = self._compute_streak(spend)
        self._streak = (self._state(spend), streak)
        return streak

    def _compute_streak(self, spend: bool) -> Streak:
        sp = self.studyplan
        today = sp.today()
        days = self.repo.activity(today)
        goal = self.goal()
        good = frozenset(a.record.day for a in days if qualifies(a.record, goal))
        rest = self.rest_weekdays()
        off = self.days_off()
        frozen = self.repo.freezes()
        newly = spend_freezes(good, rest, frozen, today, off)
        if newly and spend:
            self.repo.spend_freezes(newly, sp.clock())
        summary = streaks(good, rest, frozen | newly, today, off)
        later = max(good, default=today)
        if later > today:
            # Days recorded after "today": the clock was set back since. They are not part
            # of the current streak, but the longest streak reached stays reached.
            reached = streaks(good, rest, frozen | newly, later, off).longest
            summary = replace(summary, longest=max(summary.longest, reached))
        counts = {a.record.day: a.answers for a in days}
        return Streak(
            summary=summary,
            heatmap=heatmap(counts, today),
            answers_by_day=counts,
            newly_frozen=newly,
        )

    def statistics(self) -> Statistics:
        """The streak, the 30-day forecast and retention over 7 and 30 days."""
        today = self.studyplan.today()
        streak = self.streak()
        decks = [d.name for d in self.studyplan.deck_summaries()]
        answers = self.repo.answers_since(today - timedelta(days=29))
        seconds = self._plans.seconds_per_card()
        return Statistics(
            streak=streak,
            forecast=due_forecast(
                self._plans.due_forecast(today, FORECAST_DAYS),
                today,
                FORECAST_DAYS,
                seconds or DEFAULT_SECONDS_PER_CARD,
            ),
            seconds_per_card=seconds,
            retention_week=retention(answers, today, 7, decks),
            retention_month=retention(answers, today, 30, decks),
        )

    def clock_warning(self) -> str | None:
        """A sentence for the learner when the clock reads earlier than the last answer."""
        newest = self.repo.newest_answer()
        if newest is None:
            return None
        moment, day = newest
        now = self.studyplan.clock()
        if now >= moment and self.studyplan.today() >= day:
            return None
        local = moment.astimezone(self.studyplan.zone)
        return (
            f"Your clock reads {now.astimezone(self.studyplan.zone):%Y-%m-%d %H:%M}, earlier "
            f"than your last answer ({local:%Y-%m-%d %H:%M}); check the system clock. "
            "Nothing stored was changed."
        )
