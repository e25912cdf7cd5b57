"""Which memory model fits this learner: SM-2 and FSRS as predictors of pass or fail.

Each card's scheduling answers are walked in time order and, before each
answer, both models predict the probability that it passes (grade >= 3) from
the earlier answers only. The predictions are then scored as the
srs-benchmark (github.com/open-spaced-repetition/srs-benchmark, README
"Metrics") scores algorithms:

- **log loss** (binary cross-entropy), lower is better;
- **RMSE (bins)**: answers are grouped by interval length, review number and
  lapse count, each bucketed on a log scale exactly as ``rmse_matrix`` in
  srs-benchmark's ``utils.py`` does it (delta_t ->
  ``round(2.48 * 3.62 ** floor(log(t) / log(3.62)), 2)``, i ->
  ``round(1.99 * 1.89 ** floor(log(i) / log(1.89)))``, lapses ->
  ``round(1.65 * 1.73 ** floor(log(l) / log(1.73)))`` or 0); the root of the
  count-weighted mean of (mean pass rate - mean prediction)^2 over the
  groups. ``i`` is the answer's number among the card's answers on distinct
  days (the second is 2), lapses count the earlier failed answers except the
  first answer, as srs-benchmark counts them;
- **AUC**, how well the predictions rank passes above fails (optional: it
  needs a sort);
- a **calibration table**: predicted recall in ten bins against the pass rate
  seen.

As in srs-benchmark, a card's first answer and any answer on the same study
day as the one before are not judged (there is no interval to predict over),
though they still move both models' states.

SM-2 predicts nothing by itself. Like srs-benchmark's SM-2 baseline
(``models/sm_2.py``: ``forgetting_curve(t, s) = 0.9 ** (t / s)`` with ``s`` the
SM-2 interval), recall ``t`` days after an answer that set interval ``I`` is
``0.9 ** (t / I)``: 90% on the due day. FSRS predicts with its default
parameters (``core.fsrs_memory``). Both walks are the exact integer SM-2 of
``core.sm2`` and the exact floats of py-fsrs, inlined so that a million
answers take seconds (tests hold them equal to the modules they copy).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, islice

from studyplan.core.fsrs_memory import DEFAULT_MODEL, MemoryModel
from studyplan.core.fsrs_scheduler import RATING_FOR_GRADE
from studyplan.core.schedulers import SchedulerName
from studyplan.core.sm2 import (
    GRADES,
    MAX_INTERVAL_DAYS,
    MIN_EF_PERMILLE,
    PASSING_GRADE,
    START_EF_PERMILLE,
    check_grade,
    next_ef,
)

MIN_JUDGED_ANSWERS = 300
"""Below this many judged answers the verdict is "not enough history".

With about 300 answers, the standard error of a log loss is around 0.03,
well under the gap srs-benchmark finds between SM-2 and FSRS (about 0.2).
"""
SM2_RECALL_AT_INTERVAL = 0.9
CALIBRATION_BINS = 10
PART = 100_000
"""Answers walked and counted at a time: what the comparison holds in memory."""
_EPS = 2.220446049250313e-16  # float64 machine epsilon: sklearn's clip for log loss

LogEntry = tuple[Hashable, date, int]
"""One scheduling answer: (card, study day, grade), given in time order."""


@dataclass(frozen=True, slots=True)
class RecallPredictions:
    """Every judged answer: whether it passed and what each model predicted before it."""

    passed: list[bool]
    sm2: list[float]
    fsrs: list[float]
    groups: list[int]
    """The srs-benchmark group of each answer (interval, review number and lapse bins in one)."""


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Answers whose predicted recall fell in [low, high): how many, and how many passed."""

    low: float
    high: float
    count: int
    mean_predicted: float | None
    pass_rate: float | None


@dataclass(frozen=True, slots=True)
class ModelScore:
    """How well one model predicted this learner's answers."""

    model: SchedulerName
    log_loss: float
    rmse_bins: float
    auc: float | None
    """None when AUC was not asked for, or every answer passed (or every one failed)."""
    calibration: tuple[CalibrationBin, ...]


@dataclass(frozen=True, slots=True)
class ModelComparison:
    """SM-2 against FSRS on the same answers."""

    answers: int
    """Answers judged (first answers and same-day answers are not)."""
    pass_rate: float
    sm2: ModelScore
    fsrs: ModelScore

    @property
    def better(self) -> SchedulerName:
        """The model with the lower log loss (SM-2 on a tie: it is the default)."""
        return "fsrs" if self.fsrs.log_loss < self.sm2.log_loss else "sm2"


@dataclass(frozen=True, slots=True)
class NotEnoughHistory:
    """Too few judged answers to tell the models apart."""

    answers: int
    needed: int

    @property
    def message(self) -> str:
        """One sentence for the learner."""
        return (
            f"Comparing the models needs {self.needed} reviews of cards seen on an earlier "
            f"day; there are {self.answers} so far."
        )


def _exponent(value: int, base: float) -> int:
    return math.floor(math.log(value) / math.log(base))


def recall_predictions(
    log: Iterable[LogEntry], model: MemoryModel = DEFAULT_MODEL
) -> RecallPredictions:
    """Walk ``log`` (in time order) and predict every judged answer with both models."""
    return _walker(model)(log)


def _walker(model: MemoryModel) -> Callable[[Iterable[LogEntry]], RecallPredictions]:
    """A walk that can be fed the log in parts: each call predicts the judged answers of
    its part, and the cards' states carry over to the next part."""
    # Per card: [sm2 repetitions, ef, interval, last day, stability, difficulty, i, lapses]
    cards: dict[Hashable, list] = {}
    rating_of = [int(RATING_FOR_GRADE[g]) for g in GRADES]
    # SM-2's factor step per grade, taken from core.sm2 itself (+100 ... -800).
    ef_step = [next_ef(100_000, g) - 100_000 for g in GRADES]
    # srs-benchmark's bins, as their log-scale exponents (the rounded bin values
    # it groups by are one-to-one with them), cached per whole number.
    t_exp: dict[int, int] = {}
    i_exp: dict[int, int] = {}
    l_exp: dict[int, int] = {0: -1}
    first, step, recall = model.first, model.step, model.recall

    def walk(log: Iterable[LogEntry]) -> RecallPredictions:
        passed: list[bool] = []
        p_sm2: list[float] = []
        p_fsrs: list[float] = []
        groups: list[int] = []
        add_passed, add_sm2, add_fsrs, add_group = (
            passed.append,
            p_sm2.append,
            p_fsrs.append,
            groups.append,
        )
        for key, day, grade in log:
            if type(grade) is not int or not 0 <= grade <= 5:
                grade = check_grade(grade)
            ordinal = day.toordinal()
            card = cards.get(key)
            rating = rating_of[grade]
            if card is None:
                stability, difficulty = first(rating)
                card = cards[key] = [0, START_EF_PERMILLE, 0, ordinal, stability, difficulty, 1, 0]
            else:
                elapsed = ordinal - card[3]
                if elapsed > 0:
                    ok = grade >= PASSING_GRADE
                    add_passed(ok)
                    add_sm2(SM2_RECALL_AT_INTERVAL ** (elapsed / card[2]))
                    add_fsrs(recall(card[4], elapsed))
                    i = card[6] = card[6] + 1
                    lapses = card[7]
                    te = t_exp.get(elapsed)
                    if te is None:
                        te = t_exp[elapsed] = _exponent(elapsed, 3.62)
                    ie = i_exp.get(i)
                    if ie is None:
                        ie = i_exp[i] = _exponent(i, 1.89)
                    le = l_exp.get(lapses)
                    if le is None:
                        le = l_exp[lapses] = _exponent(lapses, 1.73)
                    add_group((te * 64 + ie) * 64 + le)
                    if not ok:
                        card[7] = lapses + 1
                    card[3] = ordinal
                else:
                    # Same study day, or an earlier one (a flight west): no time passed.
                    elapsed = 0
                card[4], card[5] = step(card[4], card[5], rating, elapsed)
            # SM-2, exactly as core.sm2.review computes it.
            repetitions, ef, interval = card[0], card[1], card[2]
            if grade >= PASSING_GRADE:
                if repetitions == 0:
                    interval = 1
                elif repetitions == 1:
                    interval = 6
                else:
                    interval = (interval * ef + 999) // 1000
                card[0] = repetitions + 1
            else:
                interval = 1
                card[0] = 0
            ef += ef_step[grade]
            card[1] = ef if ef > MIN_EF_PERMILLE else MIN_EF_PERMILLE
            card[2] = interval if interval < MAX_INTERVAL_DAYS else MAX_INTERVAL_DAYS
        return RecallPredictions(passed, p_sm2, p_fsrs, groups)

    return walk


def auc(passed: Sequence[bool], predicted: Sequence[float]) -> float | None:
    """Area under the ROC curve: the chance a pass is predicted above a fail (ties count half).

    None when every answer passed, or every one failed.
    """
    hits = sorted(p for ok, p in zip(passed, predicted, strict=True) if ok)
    misses = sorted(p for ok, p in zip(passed, predicted, strict=True) if not ok)
    if not hits or not misses:
        return None
    wins = 0.0
    below = level = 0  # misses under the current prediction, and misses equal to it
    n = len(misses)
    last = None
    for p in hits:
        if p != last:
            while below < n and misses[below] < p:
                below += 1
            level = below
            while level < n and misses[level] == p:
                level += 1
            last = p
        wins += below + (level - below) / 2
    return wins / (len(hits) * n)


class Tally:
    """One model's measures, summed over the judged answers as they come, part by part."""

    def __init__(self) -> None:
        self.answers = 0
        self.passed = 0
        self.loss = 0.0
        self.groups: dict[Hashable, list] = {}
        self.counts = [0] * CALIBRATION_BINS
        self.hits = [0] * CALIBRATION_BINS
        self.totals = [0.0] * CALIBRATION_BINS

    def add(
        self, passed: Sequence[bool], predicted: Sequence[float], groups: Sequence[Hashable]
    ) -> None:
        """Count these answers: whether each passed, its prediction and its group."""
        loss = self.loss  # one running sum, whichever parts the answers come in
        low, high = _EPS, 1 - _EPS
        log = math.log
        sums, counts, hits, totals = self.groups, self.counts, self.hits, self.totals
        top = CALIBRATION_BINS - 1
        for ok, p, group in zip(passed, predicted, groups, strict=True):
            # Log loss, with predictions clipped to [eps, 1 - eps] as sklearn clips them.
            clipped = low if p < low else high if p > high else p
            loss -= log(clipped) if ok else log(1 - clipped)
            acc = sums.get(group)
            if acc is None:
                acc = sums[group] = [0, 0, 0.0]
            acc[0] += 1
            acc[1] += ok
            acc[2] += p
            b = int(p * CALIBRATION_BINS)
            b = top if b > top else b
            counts[b] += 1
            hits[b] += ok
            totals[b] += p
        self.loss = loss
        self.answers += len(passed)
        self.passed += sum(passed)

    def score(self, name: SchedulerName, auc: float | None = None) -> ModelScore:
        """The measures of the answers counted so far."""
        n = self.answers
        if not n:
            raise ValueError("there are no answers to score")
        counts, hits, totals = self.counts, self.hits, self.totals
        # RMSE (bins): the root of the count-weighted mean of (pass rate - mean prediction)^2.
        squared = sum(k * (h / k - t / k) ** 2 for k, h, t in self.groups.values())
        table = tuple(
            CalibrationBin(
                b / CALIBRATION_BINS,
                (b + 1) / CALIBRATION_BINS,
                counts[b],
                totals[b] / counts[b] if counts[b] else None,
                hits[b] / counts[b] if counts[b] else None,
            )
            for b in range(CALIBRATION_BINS)
        )
        return ModelScore(name, self.loss / n, math.sqrt(squared / n), auc, table)


def score(
    name: SchedulerName,
    passed: Sequence[bool],
    predicted: Sequence[float],
    groups: Sequence[Hashable],
    with_auc: bool = True,
) -> ModelScore:
    """Log loss, RMSE (bins), AUC and the calibration table of one model's predictions."""
    tally = Tally()
    tally.add(passed, predicted, groups)
    return tally.score(name, auc(passed, predicted) if with_auc and passed else None)


def compare_models(
    log: Iterable[LogEntry],
    *,
    min_answers: int = MIN_JUDGED_ANSWERS,
    with_auc: bool = True,
    model: MemoryModel = DEFAULT_MODEL,
    on_part: Callable[[ModelComparison | NotEnoughHistory], object] | None = None,
) -> ModelComparison | NotEnoughHistory:
    """Score SM-2 and FSRS on ``log`` (scheduling answers in time order, drills left out).

    The log is read part by part and each part's predictions are counted and dropped, so
    that millions of answers take the memory of one part (AUC, which ranks every
    prediction, keeps them all). ``on_part`` is given the verdict on the answers judged
    so far after each part (without AUC), for a screen to show while the rest is read;
    after the last part it is the verdict returned, but for AUC.
    """
    walk = _walker(model)
    sm2, fsrs = Tally(), Tally()
    kept = RecallPredictions([], [], [], [])
    need = max(min_answers, 1)
    entries = iter(log)
    for head in entries:  # each part is read lazily: no entry outlives its answer
        p = walk(chain((head,), islice(entries, PART - 1)))
        sm2.add(p.passed, p.sm2, p.groups)
        fsrs.add(p.passed, p.fsrs, p.groups)
        if with_auc:
            kept.passed.extend(p.passed)
            kept.sm2.extend(p.sm2)
            kept.fsrs.extend(p.fsrs)
        if on_part is not None:
            on_part(_verdict(sm2, fsrs, need))
    if not with_auc:
        return _verdict(sm2, fsrs, need)
    return _verdict(sm2, fsrs, need, auc(kept.passed, kept.sm2), auc(kept.passed, kept.fsrs))


def _verdict(
    sm2: Tally,
    fsrs: Tally,
    need: int,
    sm2_auc: float | None = None,
    fsrs_auc: float | None = None,
) -> ModelComparison | NotEnoughHistory:
    judged = sm2.answers
    if judged < need:
        return NotEnoughHistory(judged, need)
    return ModelComparison(
        judged, sm2.passed / judged, sm2.score("sm2", sm2_auc), fsrs.score("fsrs", fsrs_auc)
    )
