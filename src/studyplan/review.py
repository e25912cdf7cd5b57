"""A review session: today's queue, answers committed one by one, undo.

Sits between the UI and the store: it owns no SQL and draws nothing. The
clock, the zone and the monotonic timer are passed in.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from studyplan.core.sm2 import check_grade, needs_drill, review
from studyplan.core.studyday import study_day
from studyplan.settings import Settings
from studyplan.store.card_repo import Answer, CardRow, Repository, StaleCardError, StoredCard

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Queued:
    """A card in today's queue and why it is there."""

    source: StoredCard | CardRow
    """The card, or its row as read with the queue (built when it comes up)."""
    reason: str  # "due", "new", "again" or "practice"

    @property
    def card(self) -> StoredCard:
        source = self.source
        return source.card if isinstance(source, CardRow) else source

    @property
    def id(self) -> int:
        return self.source.id

    @property
    def note(self) -> tuple[int, str]:
        return self.source.note


@dataclass(frozen=True, slots=True)
class Preview:
    """What one grade would do to the card on screen."""

    grade: int
    days: int
    """Days until the card is next due; 0 for a drill answer, which changes no schedule."""
    again_today: bool
    """The card comes back later this session (graded below 4)."""
    drill: bool
    """The card already had its scheduling answer today: this answer is practice."""
    scheduler: str = "sm2"
    """The scheduler that decided ``days`` (the active one)."""


@dataclass(frozen=True)
class Summary:
    """What a session did, for the closing screen."""

    answers: int
    cards: int
    seconds: float
    grades: dict[int, int]
    drills: int

    @property
    def passed(self) -> int:
        """Scheduling answers graded 3 or more."""
        return sum(n for grade, n in self.grades.items() if grade >= 3)


@dataclass(frozen=True, slots=True)
class Recall:
    """The chance of recalling a card now, as each model predicts it."""

    fsrs: float | None
    """FSRS-6 with its default parameters (None when its state is missing)."""
    sm2: float | None
    """SM-2 has no model of memory: ``0.9 ** (t / I)``, t days since the answer that set
    interval I, as srs-benchmark's SM-2 baseline maps it (90% on the due day)."""
    active: str

    @property
    def shown(self) -> float | None:
        """The active scheduler's prediction (FSRS's when SM-2 has none)."""
        return self.sm2 if self.active == "sm2" and self.sm2 is not None else self.fsrs


def sm2_recall(days_since: int, interval: int) -> float:
    """SM-2's interval read as a forgetting curve: ``0.9 ** (t / I)`` (srs-benchmark's mapping)."""
    from studyplan.core.memory_models import SM2_RECALL_AT_INTERVAL

    return float(SM2_RECALL_AT_INTERVAL ** (days_since / interval))


@dataclass(frozen=True, slots=True)
class _Undo:
    """What one answer did to the queue, to put it back: never a copy of the queue."""

    answer: Answer
    item: Queued
    """The card answered (it was first in the queue)."""
    buried: tuple[tuple[int, Queued], ...]
    """Siblings taken out, with their places in the queue before the answer."""
    drilled: bool
    """A drill of the card was added at the end."""
    shown_at: float
    leech: bool = False
    """The answer made the card a leech (its marks are undone with it)."""


QUEUE_HEAD = 16
"""Due cards read before the first card is shown (the rest follows, ``complete``): reading
all of them, thousands after a break, held the first card back by tens of milliseconds."""


@dataclass(frozen=True, slots=True)
class _Rest:
    """What reading the rest of today's queue needs to know of its head."""

    due_limit: int
    """Review cards the day still allows."""
    new_done: int
    """New cards already seen today."""
    more_due: bool
    """The head filled up: there may be more due cards."""
    seen: set[tuple[int, str]] | None
    """Notes already answered today or in the queue (siblings buried), else None."""


class CardChanged(Exception):
    """The card was answered elsewhere (another studyplan window) and was refreshed."""


class ReviewSession:
    """Today's cards for one deck or all decks, answered in order."""

    def __init__(
        self,
        repo: Repository,
        settings: Settings,
        clock: Clock,
        zone_name: str,
        deck_id: int | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        favoured_tags: tuple[str, ...] = (),
        practice: list[int] | None = None,
    ) -> None:
        self.repo = repo
        self.settings = settings
        self.clock = clock
        self.zone_name = zone_name
        self.zone = ZoneInfo(zone_name)
        self.deck_id = deck_id
        self.favoured_tags = favoured_tags
        self.monotonic = monotonic
        self.answers: list[Answer] = []
        self.practice = practice is not None
        """Custom study: the chosen cards, answered as practice that changes no schedule."""
        self.leech: StoredCard | None = None
        """The card the last answer made a leech, for the screen to say so."""
        self._queue: deque[Queued] = deque()
        self._rest: _Rest | None = None
        """The rest of today's queue, still to be read (``complete``)."""
        # Today's cards in order: answering takes from the left, drills join on the right.
        self._undo: list[_Undo] = []
        self._notes: Counter[tuple[int, str]] = Counter()
        """Cards per note in the queue: the siblings scan runs only when there are some."""
        self._reasons: Counter[str] = Counter()
        """Cards per reason in the queue, kept as it changes (the status bar reads it)."""
        self._started = monotonic()
        self._shown_at = self._started
        self.day = self.today()
        if practice is not None:
            self.queue = [Queued(c, "practice") for c in repo.cards(practice)]
        else:
            self._build()

    def today(self) -> date:
        """The study day of this moment."""
        return study_day(self.clock(), self.zone, self.settings.rollover_hour)

    def _build(self) -> None:
        """The head of today's queue: the first ``QUEUE_HEAD`` due cards, enough to show
        the first card; ``complete`` reads the rest. With nothing due, all of it now."""
        reviews_done, new_done = self.repo.done_today(self.day)
        due_limit = self.settings.reviews_per_day - reviews_done
        seen = self.repo.notes_answered(self.day) if self.settings.bury_siblings else None
        head = self.repo.due_cards(self.day, self.deck_id, min(QUEUE_HEAD, due_limit))
        self._rest = _Rest(due_limit, new_done, len(head) == QUEUE_HEAD, seen)
        self.queue = [Queued(c, "due") for c in _one_per_note(head, seen)]
        if not self._queue:
            self.complete()  # the first card is further on: a new card, a drill

    @property
    def pending(self) -> bool:
        """True while the queue past its head is still to be read (``complete``)."""
        return self._rest is not None

    def complete(self) -> None:
        """Read the rest of today's queue: the due cards past the head, the new cards,
        the drills left from earlier today. The same queue, in the same order, as one
        read of it all; the UI asks once the first card is painted, and every method
        that needs the whole queue asks first."""
        rest = self._rest
        if rest is None:
            return
        self._rest = None
        due: list[CardRow] = []
        if rest.more_due and rest.due_limit > QUEUE_HEAD:
            head = {q.id for q in self._queue}
            cards = self.repo.due_cards(self.day, self.deck_id, rest.due_limit)
            due = [c for c in cards if c.id not in head]
        new_left = (
            self.settings.new_per_day - rest.new_done + self.repo.extra_new(self.day, self.deck_id)
        )
        # Siblings share a note: ask for more new cards than fit, as some will wait.
        new = self.repo.new_cards(
            self.deck_id,
            new_left * 3 if rest.seen is not None else new_left,
            self.favoured_tags,
            today=self.day,
            order=self.settings.new_card_order,
        )
        again = self.repo.drill_pending(self.day, self.deck_id)
        due = _one_per_note(due, rest.seen)
        new = _one_per_note(new, rest.seen)
        self._queue.extend(
            self._counted(q)
            for q in (
                [Queued(c, "due") for c in due]
                + [Queued(c, "new") for c in new[: max(0, new_left)]]
                + [Queued(c, "again") for c in again]
            )
        )

    @property
    def queue(self) -> list[Queued]:
        """Today's cards left, in order (a copy: for tests and tools, not per answer)."""
        self.complete()
        return list(self._queue)

    @queue.setter
    def queue(self, items: list[Queued]) -> None:
        """Replace the queue; the rest of today's is then read only if it is still pending."""
        self._queue = deque(items)
        self._notes = Counter(q.note for q in self._queue)
        self._reasons = Counter(q.reason for q in self._queue)

    @property
    def current(self) -> StoredCard | None:
        """The card to show now, or None when the session is over."""
        return self._queue[0].card if self._queue else None

    @property
    def upcoming(self) -> StoredCard | None:
        """The card after the current one, for rendering ahead."""
        self.complete()
        return self._queue[1].card if len(self._queue) > 1 else None

    def counts(self) -> Counter[str]:
        """Cards left by reason: due, new, again."""
        self.complete()
        return Counter({r: n for r, n in self._reasons.items() if n})

    def shown(self) -> None:
        """Mark the moment the current card appeared, for the time taken."""
        self._shown_at = self.monotonic()

    def answer(self, grade: int) -> Answer:
        """Record ``grade`` for the current card, committed before this returns."""
        grade = check_grade(grade)
        self.complete()
        if not self._queue:
            raise IndexError("no card to answer")
        item = self._queue[0]
        card = item.card
        moment = self.clock()
        today = study_day(moment, self.zone, self.settings.rollover_hour)
        practice = item.reason == "practice"
        is_drill = (
            practice or item.reason == "again" or self.repo.has_scheduling_answer(card.id, today)
        )
        # FSRS's state is advanced by the store, in the same transaction.
        after = None if is_drill else review(card.state, grade, today)
        took_ms = int(max(0.0, self.monotonic() - self._shown_at) * 1000)
        try:
            answer = self.repo.record_answer(
                card.id,
                card.state,
                after,
                grade,
                moment=moment,
                zone=self.zone_name,
                today=today,
                took_ms=took_ms,
                practice=practice,
            )
        except StaleCardError:
            self._refresh(0)
            raise CardChanged(card.id) from None
        leech = after is not None and self._mark_leech(card, answer, today, moment)
        shown_at = self._shown_at
        self._counted(self._queue.popleft(), -1)
        buried: list[tuple[int, Queued]] = []
        if self.settings.bury_siblings and not is_drill and self._notes[card.note]:
            # Its siblings would give the answer away: they wait for another day.
            kept: deque[Queued] = deque()
            for index, q in enumerate(self._queue, start=1):
                if q.id != card.id and q.note == card.note:
                    buried.append((index, q))
                    self._counted(q, -1)
                else:
                    kept.append(q)
            self._queue = kept
        # A leech that is now suspended is not drilled; any other card graded below 4 is.
        drilled = needs_drill(grade) and not (leech and self.settings.leech_action == "suspend")
        if drilled:
            again = replace(card, state=answer.after, fsrs=answer.after_fsrs, due=answer.after_due)
            self._queue.append(self._counted(Queued(again, "practice" if practice else "again")))
        self._undo.append(_Undo(answer, item, tuple(buried), drilled, shown_at, leech))
        self.answers.append(answer)
        self.shown()
        return answer

    def _mark_leech(self, card: StoredCard, answer: Answer, today: date, moment: datetime) -> bool:
        """Tag (and by default suspend) a card whose lapses reach the leech threshold."""
        self.leech = None
        threshold = self.settings.leech_lapses
        lapses = answer.after.lapses
        if not threshold or lapses <= answer.before.lapses or lapses < threshold:
            return False
        # As Anki does: at the threshold, then again every half threshold more.
        if (lapses - threshold) % max(1, threshold // 2):
            return False
        from studyplan.store.browse_repo import BrowseRepository

        browse = BrowseRepository(self.repo.conn)
        actions = ["leech"] + (["suspend"] if self.settings.leech_action == "suspend" else [])
        browse.change([card.id], *actions, today=today, moment=moment)
        self.leech = card
        return True

    def previews(self) -> dict[int, Preview]:
        """What each grade would schedule for the current card (nothing without a card)."""
        item = self._queue[0] if self._queue else None
        if item is None:
            return {}
        today = self.today()
        card = item.card
        drill = item.reason in ("again", "practice") or self.repo.has_scheduling_answer(
            card.id, today
        )
        active = self.settings.scheduler
        out = {}
        if drill:
            return {g: Preview(g, 0, needs_drill(g), True, active) for g in range(6)}
        if active == "fsrs":
            from studyplan.core.fsrs_scheduler import FsrsSettings, preview

            settings = FsrsSettings(desired_retention=self.settings.desired_retention)
            for p in preview(card.fsrs, today, card.key, settings):
                out[p.grade] = Preview(p.grade, p.days, needs_drill(p.grade), False, active)
            return out
        for grade in range(6):
            after = review(card.state, grade, today)
            days = (after.due - today).days if after.due else 0
            out[grade] = Preview(grade, days, needs_drill(grade), False, active)
        return out

    def drop_if_set_aside(self) -> bool:
        """After the card view: drop the current card when it was suspended, buried or
        reset meanwhile; True when the card on screen changed."""
        self.complete()
        if not self._queue:
            return False
        item = self._queue[0]
        try:
            fresh = self.repo.card(item.id)
        except KeyError:
            self.queue = self.queue[1:]
            return True
        if not self.repo.showable(fresh.id, self.today()):
            self.queue = [q for q in self._queue if q.id != fresh.id]
            return True
        if fresh.state != item.card.state:
            self.queue = [replace(item, source=fresh), *self.queue[1:]]
            return True
        return False

    def recall_now(self) -> Recall | None:
        """The predicted chance of recalling the current card today (None for a new card)."""
        card = self.current
        if card is None or card.state.is_new:
            return None
        from studyplan.core.fsrs_scheduler import recall_probability

        today = self.today()
        fsrs = recall_probability(card.fsrs, today)
        sm2 = None
        state = card.state
        if state.due is not None and state.interval > 0:
            since = (today - (state.due - timedelta(days=state.interval))).days
            sm2 = sm2_recall(max(0, since), state.interval)
        return Recall(fsrs=fsrs, sm2=sm2, active=self.settings.scheduler)

    def _counted(self, item: Queued, change: int = 1) -> Queued:
        """Keep the per-note and per-reason counts as ``item`` joins (1) or leaves (-1)."""
        self._notes[item.note] += change
        self._reasons[item.reason] += change
        return item

    def _refresh(self, index: int) -> None:
        item = self._queue[index]
        fresh = self.repo.card(item.id)
        del self._queue[index]
        self._counted(item, -1)
        still_due = fresh.due is None or fresh.due <= self.day
        if still_due and not self.repo.has_scheduling_answer(fresh.id, self.today()):
            self._queue.insert(index, self._counted(replace(item, source=fresh)))

    @property
    def can_undo(self) -> bool:
        """True when there is an answer in this session to take back."""
        return bool(self._undo)

    def undo(self) -> Answer:
        """Take back the last answer: the card's state and the log are as before it."""
        done = self._undo[-1]
        if done.leech:
            from studyplan.store.browse_repo import BrowseRepository

            BrowseRepository(self.repo.conn).undo()
        self.repo.undo(done.answer)
        self._undo.pop()
        self.answers.pop()
        if done.drilled:
            self._counted(self._queue.pop(), -1)
        for index, q in done.buried:  # in queue order, so each lands where it was
            self._queue.insert(index - 1, self._counted(q))
        self._queue.appendleft(self._counted(done.item))
        self._shown_at = done.shown_at
        return done.answer

    def summary(self) -> Summary:
        """Counts for the end-of-session screen."""
        grades = Counter(a.grade for a in self.answers if not a.is_drill)
        return Summary(
            answers=len(self.answers),
            cards=len({a.card_id for a in self.answers}),
            seconds=max(0.0, self.monotonic() - self._started),
            grades={g: grades.get(g, 0) for g in range(5, -1, -1)},
            drills=sum(a.is_drill for a in self.answers),
        )


def _one_per_note(cards: list[CardRow], seen: set[tuple[int, str]] | None) -> list[CardRow]:
    """The cards whose note has not come up yet (today, earlier in the queue or earlier
    in ``cards``), noting theirs in ``seen``; all of them when siblings are not buried
    (``seen`` None)."""
    if seen is None:
        return cards
    out = []
    for card in cards:
        if card.note not in seen:
            seen.add(card.note)
            out.append(card)
    return out
