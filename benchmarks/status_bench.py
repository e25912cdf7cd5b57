"""How long ``studyplan status`` and ``studyplan stats`` take on a large collection.

    uv run python benchmarks/status_bench.py [--cards 100000] [--reviews 1000000] [--runs 15]

``status`` runs on every shell prompt, so it is timed as a whole process, the
way a prompt runs it, against two baselines measured in the same run: a bare
``python -c pass`` and a Python that opens the same database with sqlite3 and
counts the due cards (the least any such command could do). The first run
after new days fills the closed-day cache and is reported on its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from collection import build_collection

SQLITE_FLOOR = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "c.execute(\"SELECT COUNT(*) FROM card WHERE due <= '2026-12-01'\").fetchone()"
)


def timed(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` runs of ``argv``."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("studyplan")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        print(f"building {args.cards:,} cards and {args.reviews:,} reviews ...", flush=True)
        build_collection(db, args.cards, args.reviews)
        env = dict(os.environ, STUDYPLAN_CACHE_DIR=str(Path(tmp) / "cache"))
        # A learner's Python keeps compiled modules; this sandbox sets the variable that stops it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["STUDYPLAN_CONFIG"] = str(Path(tmp) / "config.toml")
        status = [str(exe), "--db", str(db), "status"]
        cold = timed(status, env, 1)[0]
        rows = [
            ("python -c pass (baseline)", timed([sys.executable, "-c", "pass"], env, args.runs)),
            (
                "python + sqlite3 due count (baseline)",
                timed([sys.executable, "-c", SQLITE_FLOOR, str(db)], env, args.runs),
            ),
            ("studyplan status", timed(status, env, args.runs)),
            ("studyplan status --no-plan", timed([*status, "--no-plan"], env, args.runs)),
            ("studyplan stats", timed([str(exe), "--db", str(db), "stats"], env, 5)),
        ]
    print(f"\nfirst status (fills the closed-day cache): {cold * 1000:.0f} ms")
    print(f"{'command':<40} {'median ms':>10} {'p90 ms':>8} runs")
    for name, times in rows:
        ordered = sorted(times)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        print(
            f"{name:<40} {statistics.median(times) * 1000:>10.0f} {p90 * 1000:>8.0f} {len(times)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
