"""Speed and memory of studyplan on a large synthetic collection.

    uv run python benchmarks/bench.py [--cards 100000] [--reviews 1000000] [--answers 120]
    uv run python benchmarks/bench.py --only storage [--deck-cards 50000]

Prints one table. Every figure is compared with a baseline measured in the
same run on the same machine, as the targets ask:

- answer key -> next card on screen (Pilot, p95), against a key that changes
  nothing (Textual's own frame floor);
- process start -> first card on screen, against a bare Textual app's start to
  first frame;
- importing a 10,000-card deck file;
- peak memory of a review session over the whole collection;
- parsing the largest deck (50,000 cards by default) and backing up the whole
  collection, with no baseline (``--only storage`` runs just these two).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 3, 2)
CODE_CARD = (
    "What does this print?\n\n```python\nxs = [n * n for n in range({n}) if n % 2]\nprint(sum(xs))\n```",
    "The sum of the odd squares below {n}: `{s}`.\n\n```python\n>>> sum(n * n for n in range({n}) if n % 2)\n{s}\n```",
)


def build_collection(path: Path, cards: int, reviews: int) -> None:
    """A database of ``cards`` cards in 20 decks and ``reviews`` log rows."""
    from studyplan.store.db import connect

    conn = connect(path)
    rng = random.Random(7)
    conn.execute("BEGIN")
    for d in range(20):
        conn.execute(
            "INSERT INTO deck (key, name, source_path, bundled) VALUES (?, ?, ?, 0)",
            (f"bench-{d}", f"Bench deck {d:02d}", f"/nonexistent/bench-{d}.md"),
        )
    rows = []
    for i in range(cards):
        if i % 3 == 0:
            n = i % 50 + 5
            s = sum(k * k for k in range(n) if k % 2)
            front, back = CODE_CARD[0].format(n=n), CODE_CARD[1].format(n=n, s=s)
        else:
            front = f"Card {i}: what is the **{i % 97}th** term of $a_n = n^2 + {i % 13}$?"
            back = f"$a_{{{i % 97}}} = {(i % 97) ** 2 + i % 13}$; see *sequence* number {i}."
        new = i % 10 == 0
        due = None if new else (TODAY + timedelta(days=rng.randint(-40, 200))).isoformat()
        rows.append(
            (i % 20 + 1, f"c{i}", front, back, i, 0 if new else 3, 0 if new else 10, due, due)
        )
    conn.executemany(
        "INSERT INTO card (deck_id, key, front, back, position, repetitions, interval, due, "
        "sm2_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    start = datetime(2023, 1, 1, 9, tzinfo=UTC)
    batch = []
    for r in range(reviews):
        moment = start + timedelta(minutes=r)
        day = (moment - timedelta(hours=4)).date().isoformat()
        batch.append(
            (
                r % cards + 1,
                moment.isoformat(),
                "UTC",
                day,
                4,
                0,
                0,
                8000,
                2,
                2500,
                6,
                day,
                0,
                3,
                2500,
                15,
                day,
                0,
            )
        )
        if len(batch) == 50000:
            _insert_reviews(conn, batch)
            batch = []
    _insert_reviews(conn, batch)
    conn.execute("COMMIT")
    conn.close()


def _insert_reviews(conn: sqlite3.Connection, batch: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, days_late, took_ms, "
        "before_repetitions, before_ef_permille, before_interval, before_due, before_lapses, "
        "after_repetitions, after_ef_permille, after_interval, after_due, after_lapses) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        batch,
    )


def _clock() -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC)


async def answer_latency(db: Path, config: Path, answers: int) -> tuple[list[float], list[float]]:
    """Milliseconds from an answer key to the frame showing the next card, and from a
    key bound to nothing to the frame after it (Textual's own floor)."""
    from textual import events

    from studyplan.service import Studyplan
    from studyplan.ui.app import StudyplanApp
    from studyplan.ui.cardview import CardView
    from studyplan.ui.review import ReviewScreen

    painted: list[float] = []

    class Timed(StudyplanApp):
        def on_review_screen_card_shown(self, message: ReviewScreen.CardShown) -> None:
            self.call_after_refresh(lambda: painted.append(time.perf_counter()))

        def on_key(self, event: events.Key) -> None:
            if event.key == "z":
                self.call_after_refresh(lambda: painted.append(time.perf_counter()))

    empty = db.parent / "no-decks"
    empty.mkdir(exist_ok=True)
    service = Studyplan(db, config, clock=_clock, bundled_decks=empty)
    app = Timed(service, start="review")
    answer_ms: list[float] = []
    noop_ms: list[float] = []
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one(CardView)
        for i in range(answers):
            await pilot.press("space")
            await pilot.pause(0.12)  # the learner reads the answer; rendering ahead happens here
            for key, out in (("z", noop_ms), ("4" if i % 5 else "5", answer_ms)):
                before, painted[:] = view.text, []
                t0 = time.perf_counter()
                await pilot.press(key)
                while not painted:
                    await asyncio.sleep(0.001)
                out.append((painted[0] - t0) * 1000)
                await pilot.pause()
            assert view.text != before, "the next card did not appear"
    service.close()
    return answer_ms, noop_ms


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def start_times(db: Path, config: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from spawning a process to a bare app's first frame, and to studyplan's first card."""
    bare, ours = [], []
    env = {**os.environ, "STUDYPLAN_CONFIG": str(config)}
    for _ in range(runs):
        for script, out in ((HERE / "bare_app.py", bare), (HERE / "first_card.py", ours)):
            spawned = time.time()
            result = subprocess.run(
                [sys.executable, str(script), str(spawned), str(db)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=60,
            )
            out.append(float(result.stdout.strip().splitlines()[-1]))
    return bare, ours


def deck_text(cards: int) -> str:
    """A deck file of ``cards`` cards: code fronts, clozes, ids, formulas and tags."""
    parts = ['+++\nname = "Big"\ntags = ["bench"]\n+++\n']
    for i in range(cards):
        if i % 4 == 0:
            parts.append(
                f"## What does snippet {i} print?\n\n```python\nprint({i} * 2)\n```\n\n---\n\n`{i * 2}`\n\n"
            )
        elif i % 4 == 1:
            parts.append(
                f"## Formula {i}\ntags: maths\n\nThe value of $x_{{{i}}}$ is {{{{c1::{i}}}}} and {{{{c2::$y^2$}}}}.\n\n"
            )
        else:
            parts.append(
                f"## Question number {i} about *topic* {i % 31}? {{#q{i}}}\n\nAnswer {i}, with `code` and $\\alpha_{{{i}}}$.\n\n"
            )
    return "".join(parts)


def import_time(folder: Path, config: Path, cards: int = 10_000) -> float:
    """Seconds to import one deck file of ``cards`` cards into an empty database."""
    from studyplan.service import Studyplan

    deck = folder / "big.md"
    deck.write_text(deck_text(cards), encoding="utf-8")
    empty = folder / "no-decks"
    empty.mkdir(exist_ok=True)
    service = Studyplan(folder / "import.db", config, clock=_clock, bundled_decks=empty)
    t0 = time.perf_counter()
    report = service.import_path(deck)
    elapsed = time.perf_counter() - t0
    assert not report.errors, report.errors
    assert report.cards_added >= cards, report
    service.close()
    return elapsed


def largest_deck_parse(cards: int = 50_000) -> tuple[float, float, float]:
    """The largest deck parsed: its size in MB, seconds to parse it, and cards per second."""
    from studyplan.core.cards.deck import parse_deck

    text = deck_text(cards)
    t0 = time.perf_counter()
    deck = parse_deck(text, "big.md")
    elapsed = time.perf_counter() - t0
    assert len(deck.cards) >= cards, len(deck.cards)
    return len(text.encode()) / 2**20, elapsed, len(deck.cards) / elapsed


def backup_time(db: Path) -> tuple[float, float]:
    """Seconds to back up ``db`` (SQLite's online backup, as ``studyplan backup`` does), and
    the backup's size in MB."""
    from studyplan.store.backup import make_backup
    from studyplan.store.db import connect

    conn = connect(db)
    t0 = time.perf_counter()
    made = make_backup(conn, db.parent / "bench-backups", datetime.now(UTC), "bench")
    elapsed = time.perf_counter() - t0
    conn.close()
    size = made.stat().st_size / 2**20
    made.unlink()
    return elapsed, size


def peak_memory(db: Path, config: Path) -> float:
    """Peak resident MB of a process that opens home and answers 30 cards on ``db``."""
    code = (
        f"import asyncio, resource, sys; sys.path.insert(0, {str(HERE)!r});"
        "from bench import answer_latency; from pathlib import Path;"
        f"asyncio.run(answer_latency(Path({str(db)!r}), Path({str(config)!r}), 30));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return float(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=120)
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--deck-cards", type=int, default=50_000, help="cards in the parsed deck")
    parser.add_argument(
        "--only", choices=["all", "storage"], default="all",
        help="storage: only the largest deck parse and the backup of the collection",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="studyplan-bench-") as tmp:
        work = Path(tmp)
        db, config = work / "bench.db", work / "config.toml"
        config.write_text('new_per_day = 20\nreviews_per_day = 200\ntimezone = "UTC"\n')
        t0 = time.perf_counter()
        build_collection(db, args.cards, args.reviews)
        print(
            f"built {args.cards:,} cards and {args.reviews:,} review rows in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
        deck_mb, parse_s, parse_rate = largest_deck_parse(args.deck_cards)
        backup_s, backup_mb = backup_time(db)
        storage_rows = [
            (
                f"parse a {args.deck_cards:,}-card deck ({deck_mb:.1f} MB)",
                f"{parse_s:.2f} s",
                f"{parse_rate:,.0f} cards/s",
                "",
                "",
                None,
            ),
            (
                f"backup of {args.cards:,} cards, {args.reviews:,} reviews ({backup_mb:.0f} MB)",
                f"{backup_s:.2f} s",
                "",
                "",
                "",
                None,
            ),
        ]
        if args.only == "storage":
            _table(storage_rows)
            return 0
        bare, ours = start_times(db, config, args.starts)
        answer_ms, noop_ms = asyncio.run(answer_latency(db, config, args.answers))
        imported = import_time(work, config)
        memory = peak_memory(db, config)

    figures = {
        "answer_p95_ms": p(answer_ms, 95),
        "noop_p95_ms": p(noop_ms, 95),
        "answer_p50_ms": statistics.median(answer_ms),
        "noop_p50_ms": statistics.median(noop_ms),
        "bare_first_frame_s": statistics.median(bare),
        "first_card_s": statistics.median(ours),
        "import_10k_s": imported,
        "peak_mb": memory,
        "deck_parse_s": parse_s,
        "backup_s": backup_s,
    }
    over = figures["answer_p95_ms"] - figures["noop_p95_ms"]
    ratio = figures["first_card_s"] / figures["bare_first_frame_s"]
    rows = [
        (
            "answer -> next card, p95",
            f"{figures['answer_p95_ms']:.1f} ms",
            f"no-op key p95 {figures['noop_p95_ms']:.1f} ms",
            f"+{over:.1f} ms",
            "<= +16 ms",
            over <= 16,
        ),
        (
            "answer -> next card, p50",
            f"{figures['answer_p50_ms']:.1f} ms",
            f"no-op key p50 {figures['noop_p50_ms']:.1f} ms",
            "",
            "",
            None,
        ),
        (
            "start -> first card (median)",
            f"{figures['first_card_s']:.3f} s",
            f"bare Textual first frame {figures['bare_first_frame_s']:.3f} s",
            f"{ratio:.2f}x",
            "<= 2x",
            ratio <= 2,
        ),
        ("import 10,000-card deck", f"{imported:.3f} s", "", "", "<= 1 s", imported <= 1),
        ("peak memory, review session", f"{memory:.0f} MB", "", "", "<= 200 MB", memory <= 200),
        *storage_rows,
    ]
    print(
        f"\nstudyplan benchmark: {args.cards:,} cards, {args.reviews:,} review rows, "
        f"{args.answers} answers, {args.starts} starts each\n"
    )
    _table(rows)
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


def _table(rows: list[tuple]) -> None:
    header = ("measure", "studyplan", "baseline (same run)", "vs baseline", "target", "")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)))
    for row in rows:
        verdict = {True: "ok", False: "MISSED", None: ""}[row[5]]
        print(
            "  ".join(str(c).ljust(w) for c, w in zip(row[:5], widths, strict=True))
            + f"  {verdict}"
        )


if __name__ == "__main__":
    sys.exit(main())
