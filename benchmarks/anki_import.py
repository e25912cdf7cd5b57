"""Importing a 10,000-note Anki package: studyplan against Anki's own import of the same file.

    uv run python benchmarks/anki_import.py [--notes 10000] [--repeats 5] [--keep FILE]
    uv run python benchmarks/anki_import.py --package FILE   # reuse a kept package

The package is made by Anki's own library, and Anki's import is timed by it, in a
separate environment (``uv run --with anki``, AGPL: never a studyplan dependency).
Each repeat imports into a fresh database (studyplan) or a fresh collection (Anki);
the figures are seconds, min / median / max. "studyplan" is the import call in this
process; "studyplan import FILE" is the whole command as a learner runs it (start-up,
the first sync of the bundled decks into a fresh database, the import, the summary),
with bytecode compiled first as an installed package has it. Half the notes are Basic, a quarter
Basic (and reversed card), a quarter Cloze with two deletions; every third card
has three reviews.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ANKI_SIDE = r"""
import json, sys, tempfile, time
from pathlib import Path
from anki.collection import (Collection, ExportAnkiPackageOptions, ImportAnkiPackageOptions,
    ImportAnkiPackageRequest)

def make(out, notes):
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "c.anki2"))
        deck = col.decks.id("Bench::Big")
        models = [col.models.by_name(n) for n in ("Basic", "Basic (and reversed card)", "Cloze")]
        for i in range(notes):
            kind = 0 if i % 4 < 2 else (1 if i % 4 == 2 else 2)
            note = col.new_note(models[kind])
            if kind == 2:
                note.fields[0] = f"Note {i}: {{{{c1::alpha {i}}}}} and {{{{c2::\\(x^{i}\\)}}}}"
            else:
                note.fields[0] = f"Question <b>{i}</b>?"
                note.fields[1] = f"Answer {i}<br>with \\(e^{{{i}}}\\) and <code>code</code>"
            col.add_note(note, deck)
        for n, cid in enumerate(col.find_cards("")):
            if n % 3 == 0:
                for rating in (2, 2, 3):
                    card = col.get_card(cid)
                    card.start_timer()
                    states = col._backend.get_scheduling_states(cid)
                    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
        col.export_anki_package(out_path=out, options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False), limit=None)
        col.close()

def timed_import(package, repeats):
    times, cpu = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            col = Collection(str(Path(tmp) / "c.anki2"))
            start, start_cpu = time.perf_counter(), time.process_time()
            col.import_anki_package(ImportAnkiPackageRequest(package_path=package,
                options=ImportAnkiPackageOptions(with_scheduling=True)))
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            col.close()
    return times, cpu

if sys.argv[1] == "make":
    make(sys.argv[2], int(sys.argv[3]))
else:
    print(json.dumps(timed_import(sys.argv[2], int(sys.argv[3]))))
"""


def anki(*args: str) -> str:
    """Run the Anki side in its own environment."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    out = subprocess.run(
        ["uv", "run", "--no-project", "--with", "anki", "python", "-c", ANKI_SIDE, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return out.stdout


def ours(package: Path, repeats: int) -> tuple[list[float], str]:
    from studyplan.anki_import import import_anki
    from studyplan.service import Studyplan

    times, summary = [], ""
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            sp = Studyplan(
                folder / "sp.db", folder / "config.toml", clock=lambda: datetime.now(UTC)
            )
            start = time.perf_counter()
            result = import_anki(sp, package, decks_dir=folder / "decks")
            times.append(time.perf_counter() - start)
            summary = result.lines()[0]
            sp.close()
    return times, summary


def whole_process(package: Path, repeats: int) -> tuple[list[float], list[float]]:
    """``studyplan import FILE`` in a fresh data folder, timed from outside the process:
    wall seconds and the child's CPU seconds (user and system: less swayed by other load).
    deck_import.py times a deck file with it too."""
    import compileall
    import resource

    import studyplan

    compileall.compile_dir(Path(studyplan.__file__).parent, quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times, cpu = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            env |= {
                "STUDYPLAN_DATA_DIR": str(folder / "data"),
                "STUDYPLAN_DB": str(folder / "sp.db"),
                "STUDYPLAN_CONFIG": str(folder / "config.toml"),
                "STUDYPLAN_CACHE_DIR": str(folder / "cache"),
                "STUDYPLAN_DECKS_DIR": str(folder / "decks"),
            }
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "studyplan", "import", str(package)],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
            now = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime)
    return times, cpu


def spread(times: list[float]) -> str:
    return f"{min(times):.2f} / {statistics.median(times):.2f} / {max(times):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="also save the package made here")
    parser.add_argument("--package", type=Path, help="time this package instead of making one")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or Path(tmp) / "big.apkg"
        if args.package is None:
            anki("make", str(package), str(args.notes))
            if args.keep:
                args.keep.write_bytes(package.read_bytes())
        theirs, theirs_cpu = json.loads(anki("import", str(package), str(args.repeats)))
        mine, summary = ours(package, args.repeats)
        whole, whole_cpu = whole_process(package, args.repeats)
        size = package.stat().st_size
    print(f"load average (1 min) at the start {load[0]:.2f}, at the end {os.getloadavg()[0]:.2f}")
    print(f"package: {size // 1024} KB; studyplan: {summary.split(': ', 1)[1]}")
    print(f"{'import of the same package':<28} {'min / median / max (s)':>24}")
    print(f"{'studyplan':<28} {spread(mine):>24}")
    print(f"{'studyplan import FILE':<28} {spread(whole):>24}")
    print(f"{'Anki (its own library)':<28} {spread(theirs):>24}")
    print(f"{'  CPU: studyplan import FILE':<28} {spread(whole_cpu):>24}")
    print(f"{'  CPU: Anki':<28} {spread(theirs_cpu):>24}")
    print(
        "studyplan / Anki, medians: in process "
        f"{statistics.median(mine) / statistics.median(theirs):.2f}x, whole command "
        f"{statistics.median(whole) / statistics.median(theirs):.2f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
