"""The fast FSRS-6 model gives exactly py-fsrs's numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.fsrs_memory import DEFAULT_MODEL, MemoryModel

START = datetime(2026, 3, 2, tzinfo=UTC)

ratings = st.sampled_from([1, 2, 3, 4])
gaps = st.integers(0, 3000)


@given(
    st.lists(st.tuples(ratings, gaps), min_size=1, max_size=40),
    st.sampled_from([0.7, 0.85, 0.9, 0.97]),
)
def test_every_step_equals_py_fsrs(history: list[tuple[int, int]], retention: float) -> None:
    scheduler = Scheduler(
        desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    card = Card(card_id=1, due=START)
    moment = START
    stability = difficulty = 0.0
    for n, (rating, gap) in enumerate(history):
        if n:
            moment += timedelta(days=gap)
            # Recall before the answer, as py-fsrs computes it inside review_card.
            assert DEFAULT_MODEL.recall(stability, gap) == scheduler.get_card_retrievability(
                card, moment
            )
            stability, difficulty = DEFAULT_MODEL.step(stability, difficulty, rating, gap)
        else:
            stability, difficulty = DEFAULT_MODEL.first(rating)
        card, _ = scheduler.review_card(card, Rating(rating), moment)
        assert (stability, difficulty) == (card.stability, card.difficulty)
        interval = DEFAULT_MODEL.interval(stability, retention)
        assert moment + timedelta(days=interval) == card.due


def test_the_default_model_uses_the_package_defaults() -> None:
    assert DEFAULT_MODEL.w == tuple(DEFAULT_PARAMETERS)
    assert DEFAULT_MODEL.recall(3.0, 3) == pytest.approx(0.9)  # stability: days to 90%


def test_other_parameters_change_the_curve_and_a_wrong_count_is_refused() -> None:
    flatter = MemoryModel([*DEFAULT_PARAMETERS[:20], 0.5])
    assert flatter.recall(3.0, 3) == pytest.approx(0.9)
    assert flatter.recall(3.0, 300) != DEFAULT_MODEL.recall(3.0, 300)
    with pytest.raises(ValueError, match="needs 21 parameters, got 19"):
        MemoryModel(DEFAULT_PARAMETERS[:19])
