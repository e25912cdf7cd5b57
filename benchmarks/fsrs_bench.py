"""Speed of the FSRS core: replaying a card, previewing an answer, judging the models.

    uv run python benchmarks/fsrs_bench.py [--reviews 1000000] [--repeats 3] [--cards 5000]
    uv run python benchmarks/fsrs_bench.py --store [--store-cards 100000] [--reviews 1000000]

``--store`` measures the wired-in scheduler on a database of ``bench.py``'s
collection (100k cards, 1M review rows): the one-time replay of every FSRS
state after the upgrade, a switch to FSRS and back, answer + commit under
FSRS against SM-2 (the same review session code), and, as the Stats
worker runs them, the model comparison over the whole log and the
switching-cost simulation.

Prints one table of min / median / max over repeats. The log for the model
comparison is synthetic: cards started over the last four years, each answered
on its SM-2 due day or a few days late with grades drawn at random, ending today.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from studyplan.core.fsrs_scheduler import FsrsState, SchedulingAnswer, preview, replay
from studyplan.core.memory_models import LogEntry, compare_models
from studyplan.core.schedulers import CardSchedule, record_answer
from studyplan.core.workload import forecast_workload

TODAY = date(2026, 3, 2)
YEARS = 4


def synthetic_log(reviews: int, seed: int = 7) -> list[LogEntry]:
    """``reviews`` scheduling answers over the last ``YEARS`` years, in time order."""
    rng = random.Random(seed)
    log: list[LogEntry] = []
    first_day = TODAY - timedelta(days=365 * YEARS)
    card = 0
    while len(log) < reviews:
        day = first_day + timedelta(days=rng.randint(0, 365 * YEARS - 1))
        repetitions, interval = 0, 0
        while day <= TODAY and len(log) < reviews:
            grade = rng.choice((1, 2, 3, 4, 4, 4, 5))
            log.append((card, day, grade))
            if grade >= 3:
                interval = 1 if repetitions == 0 else 6 if repetitions == 1 else interval * 5 // 2
                repetitions += 1
            else:
                interval, repetitions = 1, 0
            day += timedelta(days=min(interval, 3650) + rng.randint(0, 3))
        card += 1
    log.sort(key=lambda entry: entry[1])
    return log


def answers(n: int) -> list[SchedulingAnswer]:
    """One card's ``n`` scheduling answers, a few days apart."""
    rng = random.Random(n)
    day = TODAY - timedelta(days=4 * n)
    out = []
    for _ in range(n):
        out.append(
            SchedulingAnswer(
                datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                day,
                rng.choice((1, 3, 4, 4, 5)),
            )
        )
        day += timedelta(days=rng.randint(1, 7))
    return out


def collection(cards: int) -> list[tuple[str, CardSchedule]]:
    """``cards`` cards with 1-12 answers each over the last year."""
    rng = random.Random(cards)
    out = []
    for k in range(cards):
        schedule = CardSchedule()
        day = TODAY - timedelta(days=rng.randint(30, 365))
        for _ in range(rng.randint(1, 12)):
            if day >= TODAY:
                break
            answer = SchedulingAnswer(
                datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                day,
                rng.choice((1, 3, 4, 4, 5)),
            )
            schedule = record_answer(schedule, answer, f"c{k}")
            day = (schedule.sm2.due or day) + timedelta(days=rng.randint(0, 3))
        out.append((f"c{k}", schedule))
    return out


def timed(work: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float], unit: str) -> str:
    scale = {"ms": 1e3, "s": 1.0}[unit]
    lo, mid, hi = min(times) * scale, statistics.median(times) * scale, max(times) * scale
    return f"| {name} | {lo:.3f} {unit} | {mid:.3f} {unit} | {hi:.3f} {unit} | {len(times)} |"


def answer_times(service, answers: int) -> list[float]:
    """Seconds per ``ReviewSession.answer`` (schedule both, commit), over ``answers`` cards."""
    session = service.start_review()
    times = []
    for k in range(answers):
        if session.current is None:
            break
        start = time.perf_counter()
        session.answer(4 if k % 5 else 5)
        times.append(time.perf_counter() - start)
    for _ in range(len(session.answers)):
        session.undo()  # the next run answers the same cards from the same states
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94] if len(values) > 1 else values[0]


def store_bench(cards: int, reviews: int, answers: int) -> None:
    """The scheduler as wired into the store, on ``bench.py``'s collection."""
    import tempfile
    from pathlib import Path

    from collection import build_collection

    from studyplan.progress import Progress
    from studyplan.service import Studyplan
    from studyplan.store.db import transaction

    def clock() -> datetime:
        return datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC)

    with tempfile.TemporaryDirectory(prefix="studyplan-fsrs-") as tmp:
        db, config = Path(tmp) / "bench.db", Path(tmp) / "config.toml"
        config.write_text('new_per_day = 20\nreviews_per_day = 200\ntimezone = "UTC"\n')
        print(f"building {cards:,} cards and {reviews:,} review rows ...", flush=True)
        build_collection(db, cards, reviews)
        empty = Path(tmp) / "none"
        empty.mkdir()
        start = time.perf_counter()
        service = Studyplan(db, config, clock=clock, bundled_decks=empty)
        replay_s = time.perf_counter() - start  # opening replays every FSRS state once
        rows = [row(f"open + replay FSRS from {reviews:,} rows (once)", [replay_s], "s")]
        # bench.py's log answers every card Good, so FSRS has none due by TODAY, and its
        # "new" cards have answers. Give FSRS SM-2's synthetic due days (a queue of the
        # same size) and leave SM-2's new cards new to FSRS too.
        with transaction(service.conn):
            service.conn.execute("UPDATE card SET fsrs_due = sm2_due")
            service.conn.execute(
                "UPDATE card SET fsrs_stability = NULL, fsrs_difficulty = NULL, "
                "fsrs_last_review = NULL, fsrs_reviews = 0 WHERE sm2_due IS NULL"
            )
        for scheduler in ("fsrs", "sm2"):
            start = time.perf_counter()
            service.change_settings(scheduler=scheduler)
            rows.append(
                row(f"switch to {scheduler}, {cards:,} cards", [time.perf_counter() - start], "s")
            )
        figures = {}
        for scheduler in ("sm2", "fsrs", "sm2", "fsrs"):
            service.change_settings(scheduler=scheduler)
            figures.setdefault(scheduler, []).extend(answer_times(service, answers))
        for scheduler, times in figures.items():
            rows.append(row(f"answer + commit under {scheduler} (all)", times, "ms"))
            print(f"{scheduler}: answer + commit p95 {p95(times) * 1e3:.2f} ms", flush=True)
        progress = Progress(service)
        rows.append(
            row(
                f"Stats worker: compare models over the log ({reviews:,} rows)",
                timed(progress.model_comparison, 1),
                "s",
            )
        )
        rows.append(row("Stats: memory today", timed(progress.memory_today, 1), "s"))
        rows.append(
            row(
                f"Stats worker: switching cost, 365 days, {cards:,} cards",
                timed(progress.switching_cost, 1),
                "s",
            )
        )
        service.close()
    print()
    print("| what | min | median | max | repeats |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cards", type=int, default=5000, help="cards in the workload forecast")
    parser.add_argument("--store", action="store_true", help="the scheduler in the database")
    parser.add_argument("--store-cards", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=200, help="answers timed per scheduler")
    args = parser.parse_args()
    if args.store:
        store_bench(args.store_cards, args.reviews, args.answers)
        return

    rows = []
    for n in (10, 100):
        log = answers(n)
        rows.append(
            row(
                f"FSRS replay of one card, {n} answers",
                timed(lambda log=log: replay(log, "card"), 200),
                "ms",
            )
        )
    state = replay(answers(20), "card")
    rows.append(
        row("preview of the 6 grades", timed(lambda: preview(state, TODAY, "card"), 200), "ms")
    )
    rows.append(
        row("preview of a new card", timed(lambda: preview(FsrsState(), TODAY, "card"), 200), "ms")
    )

    print(f"building a synthetic log of {args.reviews:,} reviews ...", flush=True)
    big = synthetic_log(args.reviews)
    cards = len({entry[0] for entry in big})
    verdicts = []
    rows.append(
        row(
            f"compare models, {args.reviews:,} reviews, no AUC",
            timed(lambda: verdicts.append(compare_models(big, with_auc=False)), args.repeats),
            "s",
        )
    )
    rows.append(
        row(
            f"compare models, {args.reviews:,} reviews, with AUC",
            timed(lambda: verdicts.append(compare_models(big)), args.repeats),
            "s",
        )
    )

    print(f"building {args.cards:,} cards for the workload forecast ...", flush=True)
    pile = collection(args.cards)
    rows.append(
        row(
            f"forecast 365 days, {args.cards:,} cards, SM-2 + 3 FSRS",
            timed(lambda: forecast_workload(pile, TODAY, 365), args.repeats),
            "s",
        )
    )

    print()
    print("| what | min | median | max | repeats |")
    print("| --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    verdict = verdicts[-1]
    print()
    print(
        f"synthetic log: {len(big):,} reviews of {cards:,} cards from {big[0][1]} to {big[-1][1]}"
    )
    print(
        f"verdict: {verdict}"
        if not hasattr(verdict, "sm2")
        else (
            f"judged {verdict.answers:,} answers; log loss SM-2 {verdict.sm2.log_loss:.3f}, "
            f"FSRS {verdict.fsrs.log_loss:.3f}; RMSE (bins) SM-2 {verdict.sm2.rmse_bins:.3f}, "
            f"FSRS {verdict.fsrs.rmse_bins:.3f}"
        )
    )


if __name__ == "__main__":
    main()
