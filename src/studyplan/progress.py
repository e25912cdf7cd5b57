"""Streaks and statistics for the app and the command line, over one open studyplan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from studyplan.core.streaks import (
    StreakGoal,
    StreakSummary,
    qualifies,
    rest_weekdays,
    spend_freezes,
    streaks,
)
from studyplan.service import Studyplan
from studyplan.store.progress_repo import DayActivity, ProgressRepository

if TYPE_CHECKING:
    # The statistics load when asked for: `studyplan status` on every prompt needs none.
    from studyplan.core.stats import ForecastDay, Heatmap, Retention

FORECAST_DAYS = 30
RETENTION_WEEKS = 8
FORECAST_SAMPLE = 2000
"""Cards simulated for the switching cost at most; a bigger collection is sampled."""


@dataclass(frozen=True, slots=True)
class MemoryToday:
    """Predicted retention of the collection today, beside what was measured by week."""

    cards: int
    """Cards answered at least once (active, not suspended): the ones predicted."""
    fsrs: float | None
    """Mean chance of recall today, as FSRS predicts it; None without cards."""
    sm2: float | None
    """The same from SM-2's interval, read as ``0.9 ** (t / I)``."""
    weeks: tuple[tuple[date, int, int], ...]
    """(Monday, review answers, passed) for each of the last weeks with answers."""


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

    def note_today(self) -> tuple[int, int]:
        """Remember what is due today, once per study day (the goal is judged against it).
        Returns what it read: (reviews done today, active cards due now)."""
        sp = self.studyplan
        today = sp.today()
        reviews_done, _new = sp.repo.done_today(today)
        due_now = self.repo.due_count(today)
        due = min(due_now + reviews_done, sp.settings.reviews_per_day)
        self.repo.note_due(today, due, sp.clock())
        return reviews_done, due_now

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

    def current_streak(self) -> StreakSummary:
        """The streak today as ``streak`` counts it (freezes due are spent and stored), without
        the heatmap and the statistics' imports: what ``studyplan status`` prints."""
        return self._summary(self.studyplan.today(), spend=True)[0]

    def _compute_streak(self, spend: bool) -> Streak:
        from studyplan.core.stats import heatmap

        today = self.studyplan.today()
        summary, days, newly = self._summary(today, spend)
        counts = {a.record.day: a.answers for a in days}
        return Streak(
            summary=summary,
            heatmap=heatmap(counts, today),
            answers_by_day=counts,
            newly_frozen=newly,
        )

    def _summary(
        self, today: date, spend: bool
    ) -> tuple[StreakSummary, list[DayActivity], frozenset[date]]:
        sp = self.studyplan
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
        return summary, days, newly

    def statistics(self) -> Statistics:
        """The streak, the 30-day forecast and retention over 7 and 30 days."""
        from studyplan.core.stats import DEFAULT_SECONDS_PER_CARD, due_forecast, retention

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

    def memory_today(self) -> MemoryToday:
        """Predicted retention today (both models) and measured retention by week."""
        from studyplan.core.fsrs_memory import DEFAULT_MODEL
        from studyplan.review import sm2_recall
        from studyplan.store.scheduler_repo import SchedulerRepository

        today = self.studyplan.today()
        repo = SchedulerRepository(self.studyplan.conn)
        fsrs_sum = sm2_sum = 0.0
        cards = 0
        for _key, schedule in repo.schedules():
            state = schedule.sm2
            if state.due is None or state.interval <= 0:
                continue
            cards += 1
            since = (today - (state.due - timedelta(days=state.interval))).days
            sm2_sum += sm2_recall(max(0, since), state.interval)
            memory = schedule.fsrs
            if memory.stability is not None and memory.last_review is not None:
                # FSRS's recall (recall_probability), on floats: a collection is many cards.
                fsrs_sum += DEFAULT_MODEL.recall(
                    memory.stability, (today - memory.last_review).days
                )
        monday = today - timedelta(days=today.weekday())
        weeks = repo.weekly_retention(monday - timedelta(weeks=RETENTION_WEEKS - 1))
        return MemoryToday(
            cards,
            fsrs_sum / cards if cards else None,
            sm2_sum / cards if cards else None,
            tuple(weeks),
        )

    def model_comparison(self, *, with_auc: bool = False, on_part=None):
        """SM-2 against FSRS as predictors of this learner's answers (slow: run it in a worker;
        ``on_part`` is given the verdict so far after each part of the log).

        Returns ``core.memory_models.ModelComparison`` or ``NotEnoughHistory``.
        """
        from studyplan.core.memory_models import compare_models
        from studyplan.store.scheduler_repo import SchedulerRepository

        log = SchedulerRepository(self.studyplan.conn).scheduling_log()
        return compare_models(log, with_auc=with_auc, on_part=on_part)

    def switching_cost(self, days: int = 365):
        """Answers a day over the coming ``days`` under SM-2 and FSRS at 85/90/95% and at the
        learner's own retention (a seeded simulation; slow: run it in a worker)."""
        from studyplan.core.workload import RETENTIONS, forecast_workload
        from studyplan.store.scheduler_repo import SchedulerRepository

        settings = self.studyplan.settings
        retentions = sorted({*RETENTIONS, settings.desired_retention})
        cards = SchedulerRepository(self.studyplan.conn).schedules()
        today, rate = self.studyplan.today(), settings.new_per_day

        def forecast(chosen, per_day: int, scale: float):
            made = forecast_workload(
                chosen, today, days, retentions=retentions, new_per_day=per_day
            )
            return [
                (tuple(n * scale for n in w.reviews), tuple(n * scale for n in w.new)) for w in made
            ], made

        if len(cards) <= FORECAST_SAMPLE:
            return forecast_workload(cards, today, days, retentions=retentions, new_per_day=rate)
        # A big collection: one card seen before in k is simulated and counted k times,
        # and new cards come in one a day, each counted ``new_per_day`` times (running
        # out on the same day as at the full rate). A year of 100k cards would take minutes.
        seen = [c for c in cards if not c[1].sm2.is_new]
        fresh = [c for c in cards if c[1].sm2.is_new]
        k = max(1, -(-len(seen) // FORECAST_SAMPLE))
        parts, made = forecast(seen[::k], 0, k)
        if rate and fresh:
            more, _ = forecast(fresh[: -(-len(fresh) // rate)], 1, rate)
            parts = [
                (
                    tuple(map(sum, zip(r1, r2, strict=True))),
                    tuple(map(sum, zip(n1, n2, strict=True))),
                )
                for (r1, n1), (r2, n2) in zip(parts, more, strict=True)
            ]
        return tuple(
            replace(w, reviews=reviews, new=new)
            for w, (reviews, new) in zip(made, parts, strict=True)
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
