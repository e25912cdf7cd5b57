"""The tables of ``store.migrations`` declared as SQLModel classes.

Not imported at run time (see ``store.db``); used by tests to check that the
migrated schema is the declared one, and by tools that want typed rows.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Deck(SQLModel, table=True):
    """One deck file, bundled or imported."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    name: str
    description: str = ""
    source_path: str
    bundled: bool = False
    file_mtime_ns: int = 0
    file_size: int = 0
    content_hash: str = ""
    active: bool = True


class Card(SQLModel, table=True):
    """One card, its SM-2 state and cached FSRS state; ``active`` is false once its file drops it."""

    id: int | None = Field(default=None, primary_key=True)
    deck_id: int = Field(foreign_key="deck.id")
    key: str
    kind: str = "basic"
    front: str
    back: str
    tags: str = ""
    position: int = 0
    line: int = 0
    active: bool = True
    repetitions: int = 0
    ef_permille: int = 2500
    interval: int = 0
    due: str | None = None
    lapses: int = 0
    suspended: bool = False
    """Set aside by the learner: never shown until unsuspended; its schedule is kept."""
    buried_until: str | None = None
    """A study day: the card stays out of every queue before it."""
    flag: int = 0
    """0 for none, else one of the browser's flag colours."""
    leech: bool = False
    """Lapsed ``leech_lapses`` times."""
    search: str | None = None
    """Front and back folded for the browser's search (NULL until first computed)."""
    sm2_due: str | None = None
    """SM-2's own due day; ``due`` is the active scheduler's (the one the queue uses)."""
    fsrs_stability: float | None = None
    """The cached FSRS state, replayed from the log (NULL for a new card)."""
    fsrs_difficulty: float | None = None
    fsrs_last_review: str | None = None
    fsrs_due: str | None = None
    fsrs_reviews: int = 0
    last_answered: str | None = None
    """The last study day the card was answered on (any answer in the log; NULL for none),
    kept in step with the review table by triggers (schema 10)."""


class CardTag(SQLModel, table=True):
    """The tags of a card, one row each, for picking new cards by plan topic."""

    __tablename__ = "card_tag"
    card_id: int = Field(foreign_key="card.id", primary_key=True)
    tag: str = Field(primary_key=True)


class Review(SQLModel, table=True):
    """One answer: when, on which study day, the grade, and the state around it."""

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id")
    answered_at: str
    zone: str
    study_day: str
    grade: int
    is_drill: bool
    days_late: int = 0
    took_ms: int = 0
    before_repetitions: int
    before_ef_permille: int
    before_interval: int
    before_due: str | None = None
    before_lapses: int
    after_repetitions: int
    after_ef_permille: int
    after_interval: int
    after_due: str | None = None
    after_lapses: int
    practice: bool = False
    """Custom study ahead of schedule: logged, never changing the schedule."""
    imported: bool = False
    """Brought in from another tool's history (Anki)."""


class Source(SQLModel, table=True):
    """A deck file or folder the learner imported; synced at every start."""

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    added_at: str


class Enrolment(SQLModel, table=True):
    """A learner's enrolment in one plan."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: str = Field(unique=True)
    start: str
    starting_point: str
    weekly_minutes: str
    """Seven minute counts, Monday first, joined by commas."""
    share: float = 1.0
    enrolled_at: str
    active: bool = True
    target_days: int | None = None
    """Days from the start to the target finish, time off not counted; NULL: the plan's weeks."""
    use_pace: bool = False
    """Re-estimate what is left at the learner's own pace."""


class StudyBlock(SQLModel, table=True):
    """Minutes of one topic the learner marked done on a study day."""

    __tablename__ = "study_block"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: str
    topic_id: str
    minutes: int
    study_day: str
    recorded_at: str
    zone: str
    kind: str = "block"
    """'block' (done as planned), 'timer' or 'log' (time actually spent)."""


class TopicDone(SQLModel, table=True):
    """A topic the learner marked finished."""

    __tablename__ = "topic_done"
    plan_id: str = Field(primary_key=True)
    topic_id: str = Field(primary_key=True)
    study_day: str
    recorded_at: str


class DayDue(SQLModel, table=True):
    """Cards due (at most the day's review limit) when a study day was first seen."""

    __tablename__ = "day_due"
    study_day: str = Field(primary_key=True)
    due: int
    noted_at: str


class DayTotal(SQLModel, table=True):
    """A closed study day's answer counts, cached from the review log."""

    __tablename__ = "day_total"
    study_day: str = Field(primary_key=True)
    answers: int
    reviews: int
    due_reviewed: int


class StreakFreeze(SQLModel, table=True):
    """A missed study day bridged by a freeze."""

    __tablename__ = "streak_freeze"
    study_day: str = Field(primary_key=True)
    spent_at: str


class CardAction(SQLModel, table=True):
    """One change a learner made to a card by hand (suspend, bury, flag, reset...)."""

    __tablename__ = "card_action"
    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id")
    action: str
    before: str
    """The card's marks and state before, as JSON."""
    after: str
    done_at: str
    study_day: str
    undone: bool = False
    batch: int = 0
    """Actions made together (one key on many selected cards) share a batch and are undone together."""


class SavedSearch(SQLModel, table=True):
    """A browser query the learner keeps."""

    __tablename__ = "saved_search"
    name: str = Field(primary_key=True)
    query: str
    created_at: str


class ExtraNew(SQLModel, table=True):
    """More new cards on one study day, for one deck (``*`` for all), without a setting."""

    __tablename__ = "extra_new"
    study_day: str = Field(primary_key=True)
    deck_key: str = Field(primary_key=True)
    extra: int


class TimeOff(SQLModel, table=True):
    """A range of days with no study time; both ends included."""

    __tablename__ = "time_off"
    id: int | None = Field(default=None, primary_key=True)
    first_day: str
    last_day: str
    note: str = ""
    added_at: str


class PlanTimer(SQLModel, table=True):
    """The one study timer, running or paused."""

    __tablename__ = "plan_timer"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: str
    topic_id: str
    running_since: str | None = None
    banked_seconds: int = 0


class PlanChange(SQLModel, table=True):
    """A choice the learner made about a plan (keep or move the target, use their pace)."""

    __tablename__ = "plan_change"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: str
    kind: str
    made_at: str
    before: str
    """The enrolment's pace settings before, as JSON."""
    after: str
    undone_at: str | None = None


class PlanSource(SQLModel, table=True):
    """A plan file the learner imported, with its last good text."""

    __tablename__ = "plan_source"
    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    plan_id: str = Field(unique=True)
    content: str
    added_at: str


class CalendarEvent(SQLModel, table=True):
    """An event already written to a calendar file, to update or cancel it later."""

    __tablename__ = "calendar_event"
    uid: str = Field(primary_key=True)
    day: str
    sequence: int = 0
    fingerprint: str
    body: str
    """The event's fields as JSON."""
    cancelled: bool = False
    stamp: str


class ReviewSpread(SQLModel, table=True):
    """A card moved to a later due date to spread the reviews waiting after time off."""

    __tablename__ = "review_spread"
    id: int | None = Field(default=None, primary_key=True)
    batch: int
    card_id: int = Field(foreign_key="card.id")
    old_due: str
    new_due: str


class SyncMachine(SQLModel, table=True):
    """This database's machine id for sync (made once) and its event counter."""

    __tablename__ = "sync_machine"
    id: int = Field(default=1, primary_key=True)
    machine: str
    seq: int = 0


class SyncEvent(SQLModel, table=True):
    """Every sync event known here: made here or merged from another machine's file."""

    __tablename__ = "sync_event"
    event_id: str = Field(primary_key=True)
    kind: str
    """answer, undo, action or action_undo."""
    origin: str
    """The machine that made it."""
    local_id: int | None = None
    """The review or card_action row it stands for (NULL once undone or not yet applied)."""
    target: str | None = None
    """For an undo: the event it takes back."""
    body: str
    """The event as JSON, as it travels."""
    applied: bool = True
    """False while its card's deck has not arrived here."""
    written: bool = True
    """False until written to this machine's file."""
    undone: bool = False
    """An answer of this machine that was undone here (an undo event follows)."""


class SyncPeer(SQLModel, table=True):
    """How far each machine's sync file has been read."""

    __tablename__ = "sync_peer"
    file: str = Field(primary_key=True)
    offset: int
    line: int


class TopicMark(SQLModel, table=True):
    """Each time a topic was marked finished or not: sync keeps the latest."""

    __tablename__ = "topic_mark"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: str
    topic_id: str
    done: bool
    at: str
    study_day: str


class SchedulerState(SQLModel, table=True):
    """Which scheduler ``card.due`` follows, at which retention (one row)."""

    __tablename__ = "scheduler_state"
    id: int = Field(default=1, primary_key=True)
    active: str = "sm2"
    """'sm2' or 'fsrs'."""
    desired_retention: float = 0.9
    fsrs_replayed: bool = False
    """The FSRS states were replayed from the log (done once after the upgrade to schema 8)."""


# Schema 9 adds ``card_text``, an FTS5 trigram index whose content is ``card.search``
# (kept in step by triggers). SQLModel has no virtual tables: it lives in migrations.py
# only, and the browser's repository falls back to a scan where it is missing.
