"""Which model fits: predictions from earlier answers only, srs-benchmark's measures, recovery."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyplan.core import memory_models, sm2
from studyplan.core.fsrs_memory import DEFAULT_MODEL
from studyplan.core.fsrs_scheduler import FsrsState, advance, rating_for, recall_probability
from studyplan.core.memory_models import (
    MIN_JUDGED_ANSWERS,
    LogEntry,
    ModelComparison,
    NotEnoughHistory,
    auc,
    compare_models,
    recall_predictions,
    score,
)

D = date(2024, 1, 1)


def srs_benchmark_group(t: int, i: int, lapses: int) -> tuple[float, float, float]:
    """The bins of srs-benchmark's rmse_matrix (utils.py), written as it writes them."""
    return (
        round(2.48 * 3.62 ** math.floor(math.log(t) / math.log(3.62)), 2),
        round(1.99 * 1.89 ** math.floor(math.log(i) / math.log(1.89)), 0),
        round(1.65 * 1.73 ** math.floor(math.log(lapses) / math.log(1.73)), 0) if lapses else 0,
    )


entries = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 5)), min_size=1, max_size=80
)


@given(entries)
def test_each_prediction_uses_earlier_answers_only_and_equals_the_schedulers(
    steps: list[tuple[int, int, int]],
) -> None:
    log: list[LogEntry] = []
    day = D
    for card, gap, grade in steps:
        day += timedelta(days=gap)
        log.append((card, day, grade))
    # The reference: each card replayed with core.sm2 and py-fsrs, answer by answer.
    sm2_states: dict[int, sm2.Sm2State] = {}
    fsrs_states: dict[int, FsrsState] = {}
    seen: dict[int, tuple[date, int, int]] = {}  # last day, review number, lapses
    want_passed, want_sm2, want_fsrs, want_groups = [], [], [], []
    for card, day, grade in log:
        if card in seen:
            last, i, lapses = seen[card]
            t = (day - last).days
            if t > 0:
                want_passed.append(grade >= 3)
                want_sm2.append(0.9 ** (t / sm2_states[card].interval))
                want_fsrs.append(recall_probability(fsrs_states[card], day))
                want_groups.append(srs_benchmark_group(t, i + 1, lapses))
                seen[card] = (day, i + 1, lapses + (grade < 3))
        else:
            seen[card] = (day, 1, 0)
        sm2_states[card] = sm2.review(sm2_states.get(card, sm2.Sm2State()), grade, day)
        fsrs_states[card] = advance(fsrs_states.get(card, FsrsState()), day, grade, str(card))
    got = recall_predictions(log)
    assert got.passed == want_passed
    assert got.sm2 == want_sm2
    assert got.fsrs == want_fsrs
    # Our group ids split the answers exactly as srs-benchmark's rounded bins do.
    pairs = set(zip(got.groups, want_groups, strict=True))
    assert len({ours for ours, _ in pairs}) == len(pairs) == len({theirs for _, theirs in pairs})


def test_first_answers_and_same_day_answers_are_not_judged() -> None:
    log: list[LogEntry] = [
        ("a", D, 4),
        ("a", D, 1),  # same study day: moves the state, is not judged
        ("b", D + timedelta(days=1), 4),
        ("a", D + timedelta(days=3), 4),
        ("a", D + timedelta(days=2), 4),  # an earlier day than the last: no time passed
    ]
    got = recall_predictions(log)
    assert got.passed == [True]
    assert got.sm2 == [0.9 ** (3 / 1)]  # the same-day 1 reset SM-2's interval to 1


def test_the_measures_on_a_worked_example() -> None:
    passed = [True, False, True, True]
    predicted = [0.9, 0.5, 0.8, 0.6]
    groups = [1, 1, 2, 2]
    s = score("fsrs", passed, predicted, groups)
    assert s.log_loss == pytest.approx(-(math.log(0.9 * 0.5 * 0.8 * 0.6)) / 4)
    # Group 1: 50% passed, 0.7 predicted; group 2: 100% passed, 0.7 predicted.
    assert s.rmse_bins == pytest.approx(math.sqrt((2 * 0.2**2 + 2 * 0.3**2) / 4))
    assert s.auc == 1.0
    table = {(round(b.low, 1), b.count, b.pass_rate) for b in s.calibration if b.count}
    assert table == {(0.5, 1, 0.0), (0.6, 1, 1.0), (0.8, 1, 1.0), (0.9, 1, 1.0)}
    assert len(s.calibration) == 10
    assert [b.count for b in s.calibration if b.low < 0.45] == [0, 0, 0, 0, 0]


def test_auc_counts_ties_as_half_and_needs_both_outcomes() -> None:
    assert auc([True, False], [0.5, 0.5]) == 0.5
    assert auc([True, False, True, False], [0.9, 0.9, 0.1, 0.2]) == pytest.approx(0.375)
    assert auc([True, True], [0.2, 0.3]) is None


def test_a_certain_wrong_prediction_is_clipped_not_infinite() -> None:
    s = score("sm2", [False, True], [1.0, 0.0], [0, 0])
    assert math.isfinite(s.log_loss) and s.log_loss > 30


def test_below_the_threshold_there_is_not_enough_history() -> None:
    rng = random.Random(1)
    # 1 first answer, then judged answers one day apart.
    log: list[LogEntry] = [("c", D + timedelta(days=k), rng.choice([1, 4])) for k in range(300)]
    verdict = compare_models(log)
    assert verdict == NotEnoughHistory(299, MIN_JUDGED_ANSWERS)
    assert isinstance(verdict, NotEnoughHistory)
    assert verdict.message.count(".") == 1 and "299" in verdict.message and "300" in verdict.message
    log.append(("c", D + timedelta(days=300), 4))
    assert isinstance(compare_models(log), ModelComparison)


def test_a_bad_grade_in_the_log_is_refused() -> None:
    with pytest.raises(ValueError, match="grade must be a whole number from 0 to 5"):
        recall_predictions([("c", D, 4), ("c", D + timedelta(days=1), 7)])


# --- Recovery: the model the answers were drawn from wins --------------------


def draw_grade(rng: random.Random, recall: float) -> int:
    return rng.choice([3, 4, 4, 5]) if rng.random() < recall else rng.choice([0, 1, 2])


def log_from_fsrs_curve(cards: int, seed: int) -> list[LogEntry]:
    """Answers drawn from FSRS-6's own curve with its default parameters."""
    rng = random.Random(seed)
    log: list[LogEntry] = []
    for card in range(cards):
        day = D + timedelta(days=rng.randint(0, 30))
        grade = rng.choice([1, 3, 4, 4, 5])
        stability, difficulty = DEFAULT_MODEL.first(int(rating_for(grade)))
        log.append((card, day, grade))
        for _ in range(rng.randint(3, 12)):
            # Reviews at a spread of retentions, so the curve is seen at many points.
            t = DEFAULT_MODEL.interval(stability, rng.uniform(0.7, 0.97)) + rng.randint(0, 5)
            day += timedelta(days=t)
            grade = draw_grade(rng, DEFAULT_MODEL.recall(stability, t))
            stability, difficulty = DEFAULT_MODEL.step(
                stability, difficulty, int(rating_for(grade)), t
            )
            log.append((card, day, grade))
    return sorted(log, key=lambda e: e[1])


def log_from_sm2_curve(cards: int, seed: int) -> list[LogEntry]:
    """Answers drawn from 0.9 ** (t / I) with the SM-2 intervals, answered on time or late."""
    rng = random.Random(seed)
    log: list[LogEntry] = []
    for card in range(cards):
        day = D + timedelta(days=rng.randint(0, 30))
        state = sm2.review(sm2.Sm2State(), rng.choice([3, 4, 5]), day)
        log.append((card, day, 4))
        for _ in range(rng.randint(3, 10)):
            t = state.interval + rng.randint(0, state.interval)
            day += timedelta(days=t)
            grade = draw_grade(rng, 0.9 ** (t / state.interval))
            state = sm2.review(state, grade, day)
            log.append((card, day, grade))
    return sorted(log, key=lambda e: e[1])


@pytest.mark.parametrize("seed", [1, 2])
def test_answers_drawn_from_fsrs_are_predicted_better_by_fsrs(seed: int) -> None:
    verdict = compare_models(log_from_fsrs_curve(800, seed))
    assert isinstance(verdict, ModelComparison)
    assert verdict.better == "fsrs"
    assert verdict.fsrs.log_loss < verdict.sm2.log_loss - 0.02
    assert verdict.fsrs.rmse_bins < verdict.sm2.rmse_bins
    assert verdict.fsrs.auc is not None and verdict.fsrs.auc > 0.6


@pytest.mark.parametrize("seed", [1, 2])
def test_answers_drawn_from_sm2s_curve_are_predicted_better_by_sm2(seed: int) -> None:
    verdict = compare_models(log_from_sm2_curve(800, seed))
    assert isinstance(verdict, ModelComparison)
    assert verdict.better == "sm2"
    assert verdict.sm2.rmse_bins < verdict.fsrs.rmse_bins
    # Calibrated: where SM-2 made enough predictions, what it predicted is what happened.
    for b in verdict.sm2.calibration:
        if b.count >= 300:
            assert b.pass_rate is not None and b.mean_predicted is not None
            assert abs(b.pass_rate - b.mean_predicted) < 0.05


def test_the_pass_rate_and_count_are_those_of_the_judged_answers() -> None:
    log = log_from_sm2_curve(100, 3)
    verdict = compare_models(log)
    assert isinstance(verdict, ModelComparison)
    predictions = recall_predictions(log)
    assert verdict.answers == len(predictions.passed) == len(log) - 100
    assert verdict.pass_rate == sum(predictions.passed) / verdict.answers


@pytest.mark.parametrize("part", [1, 7, 250])
def test_a_log_read_in_parts_is_scored_exactly_as_a_whole(
    part: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = log_from_fsrs_curve(120, 5)
    whole = compare_models(log)
    whole_scores = (
        score("sm2", *_columns(recall_predictions(log), "sm2")),
        score("fsrs", *_columns(recall_predictions(log), "fsrs")),
    )
    monkeypatch.setattr(memory_models, "PART", part)
    heard: list[ModelComparison | NotEnoughHistory] = []
    # An iterator, not a list: the comparison reads it once, part by part.
    parted = compare_models(iter(log), on_part=heard.append)
    assert parted == whole
    assert isinstance(parted, ModelComparison)
    assert (parted.sm2, parted.fsrs) == whole_scores
    # After each part, the verdict on the answers so far (without AUC): not enough
    # history at first, then the scores of a growing head of the log, the last one whole.
    assert len(heard) == -(-len(log) // part)
    counts = [h.answers for h in heard]
    assert counts == sorted(counts) and counts[-1] == parted.answers
    assert heard[0] == NotEnoughHistory(heard[0].answers, MIN_JUDGED_ANSWERS)
    assert isinstance(heard[-1], ModelComparison)
    # Each is exactly the verdict on the log's head up to that part's end.
    for k in range(0, len(heard), max(1, len(heard) // 40)):
        assert heard[k] == compare_models(log[: (k + 1) * part], with_auc=False)
    assert heard[-1] == compare_models(log, with_auc=False)


def _columns(p, model: str):
    return p.passed, getattr(p, model), p.groups
