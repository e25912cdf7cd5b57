"""How long ``studyplan status`` takes on a large collection, cold day-totals cache and warm.

    uv run python benchmarks/status_bench.py [--cards 100000] [--reviews 5000000] [--runs 7]
    uv run python benchmarks/status_bench.py --db built.db   # a copy of a built collection

``status`` runs on every shell prompt, so it is timed as a whole process, the way a
prompt runs it (the installed ``studyplan`` script, bytecode compiled first), and
alternated run by run with two baselines from the same run: a bare ``python -c pass``
and ``python -c "import sqlite3"`` (the least any such command could import). Cold:
the day-totals cache emptied before the run (after an upgrade, a restore or an import
of a long history; the run leaves the fill to a background process, which is waited
for and checked). Warm: the run after that. Figures are min, median and max; the load
average is printed before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import compile_bytecode, wait_for_day_totals  # noqa: E402
from collection import CONFIG, build_collection  # noqa: E402

TARGET = 0.2


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run of ``argv``."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def empty_day_totals(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM day_total")
    conn.commit()
    conn.close()


def count_day_totals(db: Path) -> int:
    conn = sqlite3.connect(db)
    (n,) = conn.execute("SELECT COUNT(*) FROM day_total").fetchone()
    conn.close()
    return n


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def spread(values: list[float]) -> str:
    v = sorted(values)
    return f"{statistics.median(v) * 1000:>7.0f} {v[0] * 1000:>7.0f} {v[-1] * 1000:>7.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="time a copy of this collection instead")
    parser.add_argument("--stats", action="store_true", help="time studyplan stats too (3 runs)")
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("studyplan")
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            print(f"building {args.cards:,} cards and {args.reviews:,} reviews ...", flush=True)
            build_collection(db, args.cards, args.reviews)
        config = Path(tmp) / "config.toml"
        config.write_text(CONFIG, encoding="utf-8")
        env = dict(os.environ, STUDYPLAN_CACHE_DIR=str(Path(tmp) / "cache"))
        # A learner's Python keeps compiled modules; this sandbox sets the variable that stops it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["STUDYPLAN_CONFIG"] = str(config)
        status = [str(exe), "--db", str(db), "status"]
        # The first open follows the scheduler and notes today: not what a prompt pays.
        subprocess.run(status, env=env, check=True, stdout=subprocess.DEVNULL)
        wait_for_day_totals(db)
        rows: dict[str, list[float]] = {
            "python -c pass": [],
            'python -c "import sqlite3"': [],
            "studyplan status, cold day totals": [],
            "studyplan status, warm": [],
        }
        filled: list[int] = []
        before = load()
        for _ in range(args.runs):
            rows["python -c pass"].append(timed([sys.executable, "-c", "pass"], env))
            rows['python -c "import sqlite3"'].append(
                timed([sys.executable, "-c", "import sqlite3"], env)
            )
            empty_day_totals(db)
            rows["studyplan status, cold day totals"].append(timed(status, env))
            wait_for_day_totals(db)  # the background fill the cold run started
            filled.append(count_day_totals(db))
            rows["studyplan status, warm"].append(timed(status, env))
        after = load()
        if args.stats:
            stats = [str(exe), "--db", str(db), "stats"]
            rows["studyplan stats"] = [timed(stats, env) for _ in range(3)]
        line = subprocess.run(status, env=env, check=True, capture_output=True, text=True)
    print(f"\n{args.reviews:,} reviews; load average before {before}, after {after}")
    print(f"status prints: {line.stdout.strip()}")
    print(f"day totals the background fill left after each cold run: {sorted(set(filled))}")
    print(
        f"{'command':<36} {'median':>7} {'min':>7} {'max':>7} ms, {args.runs} runs each (stats 3)"
    )
    for name, times in rows.items():
        verdict = ""
        if name.startswith("studyplan status"):
            verdict = "  ok" if statistics.median(times) <= TARGET else "  missed"
        print(f"{name:<36} {spread(times)}{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
