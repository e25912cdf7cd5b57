"""Sync: sending and merging 100,000 events between two machines, as a learner waits for it.

    uv run python benchmarks/sync_bench.py [--events 100000] [--cards 5000] [--repeats 3]

Machine A holds a year of answers (written straight into its log, as many sessions
would have) on one deck file of its own that both machines import. Both are built once
(not timed) and copied afresh for each repeat, which then times whole ``studyplan sync DIR`` processes,
as a learner runs them, start-up and the deck check included:

- send: A's first sync (every answer given an event id and appended to its file);
- merge: B's first sync (100,000 foreign events read, applied, every card replayed);
- again: B's and A's next sync with nothing new (the cost of syncing at every start).

Baselines from the same run: ``python -c pass`` and a bare ``studyplan status`` on B.
Wall clock, min/median/max over the repeats; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
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
    )
    sp.sync_decks()
    sp.import_path(decks)
    return sp


def history(sp, events: int, cards: int) -> None:
    ids = [
        r[0]
        for r in sp.conn.execute(
            "SELECT card.id FROM card JOIN deck ON deck.id = card.deck_id "
            "WHERE deck.key = 'bench' ORDER BY card.id"
        )
    ][:cards]
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


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return took


def build(root: Path, events: int, cards: int) -> None:
    """Machines A and B in ``root`` (copied afresh for every run)."""
    decks = root / "decks"
    deck(decks, cards)
    a, b = machine(root, "a", decks), machine(root, "b", decks)
    history(a, events, cards)
    a.close()
    b.close()


def run_once(template: Path, run: Path, events: int, env: dict[str, str]) -> dict[str, float]:
    exe = str(Path(sys.executable).with_name("studyplan"))
    run.mkdir()
    for name in ("a.db", "b.db", "a.toml", "b.toml"):
        if (template / name).exists():
            shutil.copy(template / name, run / name)
    folder = run / "Sync"
    folder.mkdir()

    def sync(name: str) -> list[str]:
        return [exe, "--db", str(run / f"{name}.db"), "--config", str(run / f"{name}.toml")]

    out = {
        "python -c pass (baseline)": timed([sys.executable, "-c", "pass"], env),
        "studyplan status on B (baseline)": timed([*sync("b"), "status"], env),
    }
    out["send: A's first sync, every answer out"] = timed([*sync("a"), "sync", str(folder)], env)
    out["merge: B's first sync, every event in"] = timed([*sync("b"), "sync", str(folder)], env)
    out["B syncs again, nothing new"] = timed([*sync("b"), "sync", str(folder)], env)
    out["A syncs again, nothing new"] = timed([*sync("a"), "sync", str(folder)], env)
    received = _scalar(run / "b.db", "SELECT COUNT(*) FROM review")
    assert received == events, (received, events)
    same = "SELECT group_concat(ef_permille || due, ',') FROM (SELECT * FROM card ORDER BY key)"
    assert _scalar(run / "a.db", same) == _scalar(run / "b.db", same), "A and B disagree"
    shutil.rmtree(run)
    return out


def _scalar(db: Path, sql: str):
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=5_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ)
    # A learner's Python keeps compiled modules; this sandbox sets the variable that stops it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template"
        template.mkdir()
        print("building the two machines ...", flush=True)
        build(template, args.events, args.cards)
        loads = [os.getloadavg()[0]]
        for n in range(args.repeats):
            print(f"run {n + 1}/{args.repeats} ...", flush=True)
            runs.append(run_once(template, Path(tmp) / f"run{n}", args.events, env))
            loads.append(os.getloadavg()[0])
    print(
        f"\nSync, {args.events:,} events over {args.cards:,} cards, whole `studyplan sync DIR` "
        f"processes, {args.repeats} runs; 1-minute load average {min(loads):.2f}-{max(loads):.2f}\n"
    )
    print(f"{'measure':<44} {'min':>8} {'median':>8} {'max':>8}")
    for name in runs[0]:
        times = [r[name] for r in runs]
        print(f"{name:<44} {min(times):8.2f} {statistics.median(times):8.2f} {max(times):8.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
