"""Importing a 10,000-card markdown deck file: ``studyplan import deck.md`` as a whole
process, against Anki's batch add of as many notes, in the same run.

    uv run python benchmarks/deck_import.py [--cards 10000] [--repeats 5] [--no-anki]

bench.py's "import a 10,000-card deck file" row on its own (issue 13): the same deck
(bench_deck.py), the same command, bytecode compiled first and PYTHONDONTWRITEBYTECODE
unset as an installed package has it. Each repeat imports into a fresh data folder
(every studyplan location under a temporary folder). Anki's figure is anki_peer.py's
``add_notes`` of as many notes, run ``--repeats`` times in its own environment
(``uv run --with anki``; AGPL, never a studyplan dependency). Seconds, min / median /
max; the CPU column is the child's user + system time, less swayed by other load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from anki_import import whole_process  # noqa: E402
from bench import compile_bytecode  # noqa: E402
from bench_deck import deck_text  # noqa: E402


def anki_add(cards: int) -> float | str:
    """Anki's batch add of ``cards`` notes in seconds, or why there is no figure."""
    uv = shutil.which("uv")
    if uv is None:
        return "no uv to fetch anki"
    cmd = [uv, "run", "--no-project", "--with", "anki", "python", str(HERE / "anki_peer.py")]
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    try:
        out = subprocess.run(
            [*cmd, "--cards", str(cards), "--answers", "1"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            timeout=600,
        )
        return float(json.loads(out.stdout.strip().splitlines()[-1])["add_s"])
    except (subprocess.SubprocessError, ValueError, KeyError, IndexError) as err:
        return f"anki could not be run ({type(err).__name__})"


def spread(values: list[float]) -> str:
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-anki", action="store_true", help="time studyplan only")
    args = parser.parse_args()
    compile_bytecode()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="studyplan-deck-") as tmp:
        deck = Path(tmp) / "big.md"
        deck.write_text(deck_text(args.cards), encoding="utf-8")
        wall, cpu = whole_process(deck, args.repeats)  # the same loop as a package's
    theirs = [] if args.no_anki else [anki_add(args.cards) for _ in range(args.repeats)]
    print(f"load average (1 min) at the start {load[0]:.2f}, at the end {os.getloadavg()[0]:.2f}")
    print(f"{'import a ' + format(args.cards, ',') + '-card deck file':<36} min / median / max (s)")
    print(f"{'studyplan import deck.md':<36} {spread(wall)}")
    print(f"{'  CPU: studyplan import deck.md':<36} {spread(cpu)}")
    figures = [t for t in theirs if isinstance(t, float)]
    if figures:
        print(f"{'Anki add_notes (its own library)':<36} {spread(figures)}")
        ratio = statistics.median(wall) / statistics.median(figures)
        print(f"studyplan / Anki, medians: {ratio:.2f}x")
    elif theirs:
        print(f"Anki: {theirs[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
