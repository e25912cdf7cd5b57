"""Both schedulers in the store: FSRS replayed from the log, switching, the upgrade to schema 6."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Scheduler, State
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyplan.core.fsrs_scheduler import (
    FsrsSettings,
    FsrsState,
    SchedulingAnswer,
    fuzz_draw,
    fuzzed_interval,
    rating_for,
    replay,
)
from studyplan.core.sm2 import Sm2State, review
from studyplan.service import Studyplan
from studyplan.settings import RETENTION_RANGE
from studyplan.store.db import connect
from studyplan.store.migrations import MIGRATIONS
from studyplan.store.scheduler_repo import SchedulerRepository
from studyplan.store.time_off_repo import TimeOffRepository
from tests.helpers import FakeClock, answer_on, write_deck

DAY = date(2026, 3, 2)
BERLIN = ZoneInfo("Europe/Berlin")


def open_sp(tmp_path: Path, **settings: object) -> Studyplan:
    empty = tmp_path / "no-bundled"
    empty.mkdir(exist_ok=True)
    config = tmp_path / "config.toml"
    config.write_text("".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in settings.items()))
    return Studyplan(tmp_path / "sp.db", config, clock=FakeClock(), bundled_decks=empty)


@pytest.fixture
def sp(tmp_path: Path) -> Studyplan:
    service = open_sp(tmp_path)
    service.import_path(write_deck(tmp_path / "mine", "Mine", {f"Q{i}": f"A{i}" for i in range(4)}))
    yield service
    service.close()


def card_ids(sp: Studyplan) -> list[int]:
    return [row[0] for row in sp.conn.execute("SELECT id FROM card ORDER BY id")]


def sm2_columns(sp: Studyplan) -> list[tuple]:
    return sp.conn.execute(
        "SELECT id, repetitions, ef_permille, interval, sm2_due, lapses FROM card ORDER BY id"
    ).fetchall()


def moment(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def py_fsrs_directly(days_grades: list[tuple[date, int]], key: str) -> FsrsState:
    """py-fsrs itself, called answer by answer at midnight UTC of each study day."""
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=1, due=datetime(2000, 1, 1, tzinfo=UTC))
    for day, grade in days_grades:
        at = datetime(day.year, day.month, day.day, tzinfo=UTC)
        card, _ = scheduler.review_card(card, rating_for(grade), at)
    last = days_grades[-1][0]
    days = fuzzed_interval((card.due.date() - last).days, fuzz_draw(key, len(days_grades)))
    return FsrsState(
        card.stability, card.difficulty, State.Review, None, last, last + timedelta(days=days),
        len(days_grades),
    )  # fmt: skip


# -- golden: the store's states are py-fsrs's -----------------------------------


@pytest.mark.parametrize(
    ("grades", "gaps"),
    [
        ([4, 4, 4, 4, 4], [1, 3, 8, 20]),
        ([0, 3, 5, 1, 4, 4], [1, 1, 4, 30, 2]),
        ([5, 5, 2, 3, 4], [2, 10, 40, 1]),
        ([3], []),
    ],
)
def test_answers_recorded_in_the_store_hold_py_fsrs_states(
    sp: Studyplan, grades: list[int], gaps: list[int]
) -> None:
    card = card_ids(sp)[0]
    key = sp.repo.card(card).key
    day, seen = DAY, []
    for grade, gap in zip(grades, [*gaps, 0], strict=True):
        answer_on(sp, card, day, grade)
        seen.append((day, grade))
        assert sp.repo.card(card).fsrs == py_fsrs_directly(seen, key)
        day += timedelta(days=gap)
    # and a full replay from the log gives the very same state
    stored = sp.repo.card(card).fsrs
    SchedulerRepository(sp.conn).replay_fsrs()
    assert sp.repo.card(card).fsrs == stored


def test_drill_and_practice_answers_are_left_out_and_imported_ones_kept(sp: Studyplan) -> None:
    a, b = card_ids(sp)[:2]
    answer_on(sp, a, DAY, 2)
    answer_on(sp, a, DAY, 4, drill=True)  # a drill changes neither schedule
    answer_on(sp, a, DAY + timedelta(days=1), 4)
    key = sp.repo.card(a).key
    assert sp.repo.card(a).fsrs == py_fsrs_directly([(DAY, 2), (DAY + timedelta(days=1), 4)], key)
    # A practice answer and an imported one, written as another part of studyplan would.
    for practice, imported, grade in ((1, 0, 1), (0, 1, 5)):
        sp.conn.execute(
            "INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, "
            "before_repetitions, before_ef_permille, before_interval, before_lapses, "
            "after_repetitions, after_ef_permille, after_interval, after_lapses, practice, "
            "imported) VALUES (?, ?, 'UTC', ?, ?, 0, 0, 2500, 0, 0, 0, 2500, 0, 0, ?, ?)",
            (b, moment(DAY).isoformat(), DAY.isoformat(), grade, practice, imported),
        )
    SchedulerRepository(sp.conn).replay_fsrs([b])
    assert sp.repo.card(b).fsrs == py_fsrs_directly([(DAY, 5)], sp.repo.card(b).key)


# -- switching --------------------------------------------------------------------


def test_switching_sets_due_days_from_fsrs_and_back_restores_sm2_exactly(sp: Studyplan) -> None:
    ids = card_ids(sp)
    for offset, (card, grade) in enumerate(zip(ids[:3], (5, 3, 4), strict=True)):
        answer_on(sp, card, DAY + timedelta(days=offset), grade)
        answer_on(sp, card, DAY + timedelta(days=offset + 6), grade)
    before = sm2_columns(sp)
    queue_before = sp.conn.execute("SELECT id, due FROM card ORDER BY id").fetchall()
    assert [d for _, d in queue_before] == [r[4] for r in before]  # SM-2 sets card.due

    sp.change_settings(scheduler="fsrs")
    rows = sp.conn.execute("SELECT id, due, fsrs_due FROM card ORDER BY id").fetchall()
    assert [due for _, due, _ in rows] == [fsrs for _, _, fsrs in rows]
    assert [due for _, due, _ in rows] != [d for _, d in queue_before]
    assert sm2_columns(sp) == before
    assert sp.deck_summaries()[0].new == 1  # a new card is new to both

    sp.change_settings(scheduler="sm2")
    assert sm2_columns(sp) == before
    assert sp.conn.execute("SELECT id, due FROM card ORDER BY id").fetchall() == queue_before


def test_under_fsrs_an_answer_sets_the_fsrs_due_day_and_sm2_still_advances(
    sp: Studyplan,
) -> None:
    sp.change_settings(scheduler="fsrs")
    card = card_ids(sp)[0]
    for step, grade in enumerate((4, 4, 5)):
        answer_on(sp, card, DAY + timedelta(days=10 * step), grade)
    stored = sp.repo.card(card)
    assert stored.due == stored.fsrs.due
    pure = Sm2State()
    for step, grade in enumerate((4, 4, 5)):
        pure = review(pure, grade, DAY + timedelta(days=10 * step))
    assert stored.state == pure


def test_undo_puts_both_states_and_the_due_day_back(sp: Studyplan) -> None:
    sp.change_settings(scheduler="fsrs")
    card = card_ids(sp)[0]
    answer_on(sp, card, DAY, 4)
    before = sp.repo.card(card)
    answer = answer_on(sp, card, DAY + timedelta(days=3), 1)
    sp.repo.undo(answer)
    assert sp.repo.card(card) == before


def test_a_new_retention_moves_fsrs_due_days_and_leaves_sm2_alone(sp: Studyplan) -> None:
    card = card_ids(sp)[0]
    for step in range(4):
        answer_on(sp, card, DAY + timedelta(days=7 * step), 4)
    sp.change_settings(scheduler="fsrs")
    sm2_before, due_before = sm2_columns(sp), sp.repo.card(card).due
    sp.change_settings(desired_retention=0.80)
    assert sp.repo.card(card).due > due_before  # lower retention: longer intervals
    assert sm2_columns(sp) == sm2_before
    # the same as if every answer had been given at 0.80
    assert sp.repo.card(card).fsrs == replay(
        [SchedulingAnswer(moment(DAY + timedelta(days=7 * s)), DAY + timedelta(days=7 * s), 4)
         for s in range(4)],
        sp.repo.card(card).key,
        FsrsSettings(desired_retention=0.80),
    )  # fmt: skip


def test_the_retention_range_is_the_cores(sp: Studyplan) -> None:
    from studyplan.core import fsrs_scheduler

    assert fsrs_scheduler.check_retention(RETENTION_RANGE[0]) == RETENTION_RANGE[0]
    assert fsrs_scheduler.check_retention(RETENTION_RANGE[1]) == RETENTION_RANGE[1]
    for outside in (RETENTION_RANGE[0] - 0.01, RETENTION_RANGE[1] + 0.001):
        with pytest.raises(ValueError):
            fsrs_scheduler.check_retention(outside)


def test_spreading_under_fsrs_moves_the_fsrs_due_day_not_sm2s(sp: Studyplan) -> None:
    ids = card_ids(sp)
    for card in ids:
        answer_on(sp, card, DAY - timedelta(days=30), 4)
    sp.change_settings(scheduler="fsrs")
    sm2_before = sm2_columns(sp)
    fsrs_before = sp.conn.execute("SELECT due, fsrs_due FROM card ORDER BY id").fetchall()
    time_off = TimeOffRepository(sp.conn)
    batch, moved = time_off.spread(DAY, 4)
    rows = sp.conn.execute("SELECT due, fsrs_due FROM card ORDER BY id").fetchall()
    assert [d for d, _ in rows] == [f for _, f in rows]
    assert len({d for d, _ in rows}) > 1
    assert sm2_columns(sp) == sm2_before
    assert time_off.unspread(batch) == moved > 0
    assert sp.conn.execute("SELECT due, fsrs_due FROM card ORDER BY id").fetchall() == fsrs_before


# -- property: sm2 -> fsrs -> sm2 at any point ------------------------------------


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("answer"), st.integers(0, 3), st.integers(0, 5), st.integers(0, 9)),
            st.tuples(st.just("switch"), st.sampled_from(["sm2", "fsrs"]), st.sampled_from([0.8, 0.9, 0.95]), st.just(0)),
        ),
        max_size=25,
    )
)  # fmt: skip
def test_switching_at_any_point_leaves_sm2_as_a_pure_sm2_run(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple]
) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    sp = open_sp(tmp)
    sp.import_path(write_deck(tmp / "mine", "Mine", {f"Q{i}": f"A{i}" for i in range(4)}))
    ids = card_ids(sp)
    pure = {card: Sm2State() for card in ids}
    log: dict[int, list[tuple[date, int]]] = {card: [] for card in ids}
    day = DAY
    for kind, a, b, c in steps:
        if kind == "switch":
            sp.change_settings(scheduler=a, desired_retention=b)
            continue
        card = ids[a]
        day += timedelta(days=c)
        drill = bool(log[card]) and log[card][-1][0] == day
        answer_on(sp, card, day, b, drill=drill)
        if not drill:
            pure[card] = review(pure[card], b, day)
            log[card].append((day, b))
    sp.change_settings(scheduler="sm2")
    fsrs_settings = FsrsSettings(desired_retention=sp.settings.desired_retention)
    for card in ids:
        stored = sp.repo.card(card)
        assert stored.state == pure[card]
        assert stored.due == pure[card].due
        answers = [SchedulingAnswer(moment(d), d, g) for d, g in log[card]]
        assert stored.fsrs == replay(answers, stored.key, fsrs_settings)
    sp.close()


# -- the upgrade to schema 6 --------------------------------------------------------


def test_a_new_database_starts_replayed_and_still_follows_the_chosen_scheduler(
    tmp_path: Path,
) -> None:
    """A new database has no log: its first start replays nothing and loads no FSRS."""
    conn = connect(tmp_path / "new.db")
    assert SchedulerRepository(conn).replayed()
    conn.close()
    (tmp_path / "fsrs").mkdir()
    fsrs_sp = open_sp(tmp_path / "fsrs", scheduler="fsrs")
    assert SchedulerRepository(fsrs_sp.conn).active()[0] == "fsrs"
    fsrs_sp.close()


def test_an_upgrade_replays_fsrs_from_the_log_and_keeps_sm2(tmp_path: Path) -> None:
    path = tmp_path / "sp.db"
    old = connect(path, migrate=False)
    for sql in MIGRATIONS[:5]:
        old.executescript(sql)
    old.execute("PRAGMA user_version = 5")
    old.execute("INSERT INTO deck (id, key, name, source_path) VALUES (1, 'd', 'D', '/x.md')")
    old.execute(
        "INSERT INTO card (id, deck_id, key, front, back, repetitions, ef_permille, interval, "
        "due, lapses) VALUES (1, 1, 'q1', 'Q', 'A', 2, 2600, 6, '2026-03-10', 0)"
    )
    log = [
        (DAY - timedelta(days=7), 4, 0),
        (DAY - timedelta(days=7), 5, 1),
        (DAY - timedelta(days=6), 5, 0),
    ]
    for day, grade, drill in log:
        old.execute(
            "INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, "
            "before_repetitions, before_ef_permille, before_interval, before_lapses, "
            "after_repetitions, after_ef_permille, after_interval, after_lapses) "
            "VALUES (1, ?, 'Europe/Berlin', ?, ?, ?, 0, 2500, 0, 0, 0, 2500, 0, 0)",
            (moment(day, 9 + drill).isoformat(), day.isoformat(), grade, drill),
        )
    old.commit()
    old.close()

    sp = open_sp(tmp_path)
    card = sp.repo.card(1)
    assert card.state == Sm2State(2, 2600, 6, date(2026, 3, 10), 0)
    assert card.due == date(2026, 3, 10)  # SM-2 still decides
    assert card.fsrs == py_fsrs_directly(
        [(DAY - timedelta(days=7), 4), (DAY - timedelta(days=6), 5)], "q1"
    )
    assert SchedulerRepository(sp.conn).replayed()
    sp.close()
    # A learner who had already chosen FSRS in the settings file gets FSRS due days at once.
    sp = open_sp(tmp_path, scheduler="fsrs")
    assert sp.repo.card(1).due == sp.repo.card(1).fsrs.due
    sp.close()


# -- the switching cost on a big collection -----------------------------------------


def test_a_big_collection_is_forecast_on_a_sample_that_keeps_the_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import studyplan.progress as progress_module
    from studyplan.progress import Progress

    sp = open_sp(tmp_path, new_per_day=3)
    sp.import_path(write_deck(tmp_path / "many", "Many", {f"Q{i}": f"A{i}" for i in range(160)}))
    ids = card_ids(sp)
    for n, card in enumerate(ids[:120]):
        answer_on(sp, card, DAY - timedelta(days=20 + n % 9), 4)
        answer_on(sp, card, DAY - timedelta(days=5 + n % 4), 3 + n % 3)
    exact = Progress(sp).switching_cost()
    monkeypatch.setattr(progress_module, "FORECAST_SAMPLE", 30)
    sampled = Progress(sp).switching_cost()
    assert [w.label for w in sampled] == [w.label for w in exact]
    for whole, part in zip(exact, sampled, strict=True):
        # every new card comes in at the same rate (one sampled card stands for 3)
        assert abs(sum(part.new) - sum(whole.new)) <= 3
        assert sum(part.reviews) == pytest.approx(sum(whole.reviews), rel=0.25)
    sp.close()
