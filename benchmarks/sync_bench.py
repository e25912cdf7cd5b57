"""Sync: sending and merging 100,000 events between two machines.

    uv run python benchmarks/sync_bench.py [--events 100000] [--cards 5000]

Machine A holds a year of answers (written straight into its log, as many sessions
would have), one deck file shared by both machines. Timed: A's sync (every answer
given an event id and appended to its file), B's sync (100,000 foreign events merged
and every touched card replayed), and a second sync of B with nothing new (the cost
of syncing at every start). Whole calls, wall clock, min/median/max over repeats.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path


def deck(folder: Path, cards: int) -> None:
    folder.mkdir(parents=True)
    body = "".join(f"## Question {n}? {{#q{n}}}\n\nAnswer {n}.\n\n" for n in range(cards))
    (folder / "bench.md").write_text(f'+++\nname = "Bench"\nid = "bench"\n+++\n\n{body}')


def machine(root: Path, name: str, decks: Path):
    from studyplan.service import Studyplan

    sp = Studyplan(
        root / f"{name}.db",
        root / f"{name}.toml",
        clock=lambda: datetime(2026, 12, 3, 9, tzinfo=UTC),
        bundled_decks=decks,
    )
    sp.sync_decks()
    return sp


def history(sp, events: int, cards: int) -> None:
    ids = [r[0] for r in sp.conn.execute("SELECT id FROM card ORDER BY id")][:cards]
    start = date(2026, 12, 3) - timedelta(days=365)
    rows = []
    for n in range(events):
        day = start + timedelta(days=n * 365 // events)
        at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=n % 3600)
        rows.append((ids[n % len(ids)], at.isoformat(), "UTC", day.isoformat(), 3 + n % 3))
    sp.conn.execute("BEGIN")
    sp.conn.executemany(
        "INSERT INTO review (card_id, answered_at, zone, study_day, grade, is_drill, "
        "before_repetitions, before_ef_permille, before_interval, before_lapses, "
        "after_repetitions, after_ef_permille, after_interval, after_lapses) "
        "VALUES (?, ?, ?, ?, ?, 0, 0, 2500, 0, 0, 0, 2500, 0, 0)",
        rows,
    )
    sp.conn.execute("COMMIT")
    from studyplan.store.sync_repo import SyncRepository

    # Before and after each answer as SM-2 gives them, as a real log holds them.
    SyncRepository(sp.conn).replay_cards(ids)


def run_once(events: int, cards: int) -> tuple[float, float, float]:
    from studyplan.sync import sync_folder

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        decks, folder = root / "decks", root / "Sync"
        deck(decks, cards)
        folder.mkdir()
        a, b = machine(root, "a", decks), machine(root, "b", decks)
        history(a, events, cards)
        start = time.perf_counter()
        sent = sync_folder(a.db_path, folder)
        send = time.perf_counter() - start
        start = time.perf_counter()
        got = sync_folder(b.db_path, folder)
        merge = time.perf_counter() - start
        assert sent.sent == events == got.received, (sent, got)
        start = time.perf_counter()
        sync_folder(b.db_path, folder)
        idle = time.perf_counter() - start
        a.close()
        b.close()
        shutil.rmtree(folder)
    return send, merge, idle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    runs = [run_once(args.events, args.cards) for _ in range(args.repeats)]
    print(f"\nSync, {args.events:,} events over {args.cards:,} cards, {args.repeats} runs\n")
    print(f"{'measure':<58} {'min':>8} {'median':>8} {'max':>8}")
    for n, name in enumerate(
        (
            "send: give each answer an event id, append to the file",
            "merge: read 100k foreign events, apply, replay cards",
            "sync again with nothing new",
        )
    ):
        times = [r[n] for r in runs]
        print(f"{name:<58} {min(times):8.2f} {statistics.median(times):8.2f} {max(times):8.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
