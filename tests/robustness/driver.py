"""The real studyplan app in a child process, driven by key presses, for the robustness tests.

Run as ``python driver.py DB CONFIG DECKS``. It imports the app once, prints
``LOADED``, then for each line ``GO <study-day> <seed>`` on stdin forks a fresh
child (``PID <pid>``; ``EXIT <pid> <code>`` once it ended, killed or not), so a
test can start and kill the app many times without paying for the imports
each time. ``STOP`` ends it. The child builds the app with ``build_app`` (as
the command line does, ``start="review"``) on the real database, runs it
headless and, card by card, presses space and a grade. Each line it prints
is one ``os.write``, so a line is whole even when the child is killed:

- ``READY <cards>``: the review screen is up with that many cards queued;
- ``SENDING <card> <grade> <reason>``: about to press the grade key;
- ``CONFIRMED <card> <grade> <reason>``: the screen shows the answer was taken
  (the grade bar is back to "show the answer" for the next card, or the
  session summary is up) and no card-changed notice appeared;
- ``REFRESHED <card> <grade>``: the screen said the card had been answered in
  another window and was refreshed instead;
- ``FINISHED``: the summary screen is up; the child then exits 0;
- ``ERROR <what>``: anything unexpected (the child exits 3).

With ``--barrier`` a child also waits for a line ``START`` after READY (two
children then build their queues before either answers).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import sys
import time as monotime
import traceback
from datetime import UTC, date, datetime, time
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from studyplan.ui.app import build_app
from studyplan.ui.cardview import CardView
from studyplan.ui.review import ReviewScreen
from studyplan.ui.summary import SummaryScreen

OUT = os.dup(1)
GRADES = (0, 1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5)
CHANGED_NOTICE = "answered in another studyplan window"
PATIENCE = 20.0


def emit(*parts: object) -> None:
    os.write(OUT, (" ".join(map(str, parts)) + "\n").encode())


def text_of(widget: Static) -> str:
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


async def until(pilot, condition, what: str) -> None:
    deadline = monotime.monotonic() + PATIENCE
    while not condition():
        if monotime.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.005)


async def drive(db: Path, config: Path, decks: Path, day: date, seed: int, barrier: bool) -> None:
    moment = datetime.combine(day, time(9, 0), tzinfo=UTC)
    rng = random.Random(seed)
    app = build_app(db, config, start="review", clock=lambda: moment, bundled_decks=decks)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen | SummaryScreen) and app.screen.is_mounted,
            "the review",
        )
        if isinstance(app.screen, ReviewScreen):
            emit("READY", len(app.screen.session.queue))
            if barrier:
                if read_line().strip() != "START":
                    raise AssertionError("expected START")
        seen_notices = {id(n) for n in app._notifications}
        while isinstance(app.screen, ReviewScreen):
            screen = app.screen
            card = screen.session.current
            if card is None:  # the summary is on its way
                await pilot.pause(0.005)
                continue
            reason = screen.session.queue[0].reason
            view = screen.query_one(CardView)
            bar = screen.query_one("#grade-bar", Static)
            await until(
                pilot,
                lambda c=card, v=view, b=bar: c.front in v.text and "show the answer" in text_of(b),
                f"card {card.id} on screen",
            )
            await pilot.press("space")
            if "perfect recall" not in text_of(bar):
                raise AssertionError("the answer and the grades are not on screen")
            grade = rng.choice(GRADES)
            if barrier:  # two racing instances: vary who is ahead
                await asyncio.sleep(rng.choice((0, 0, 0.03, 0.1)))
            emit("SENDING", card.id, grade, reason)
            await pilot.press(str(grade))
            await until(
                pilot,
                lambda s=screen, b=bar: (
                    isinstance(app.screen, SummaryScreen)
                    or (app.screen is s and "show the answer" in text_of(b))
                ),
                "the answer to be taken",
            )
            notices = [n for n in app._notifications if id(n) not in seen_notices]
            seen_notices.update(id(n) for n in notices)
            if any(CHANGED_NOTICE in n.message for n in notices):
                emit("REFRESHED", card.id, grade)
            else:
                emit("CONFIRMED", card.id, grade, reason)
        emit("FINISHED")


def read_line() -> str:
    """One line from stdin, unbuffered: a forked child must not inherit read-ahead."""
    data = b""
    while not data.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte:
            break
        data += byte
    return data.decode()


def run_child(args: argparse.Namespace, day: date, seed: int) -> int:
    try:
        asyncio.run(drive(args.db, args.config, args.decks, day, seed, args.barrier))
    except BaseException as err:
        emit("ERROR", type(err).__name__, str(err).replace("\n", " | "))
        traceback.print_exc()
        return 3
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("config", type=Path)
    parser.add_argument("decks", type=Path)
    parser.add_argument("--barrier", action="store_true")
    args = parser.parse_args()
    emit("LOADED")
    while True:
        words = read_line().split()
        if len(words) != 3 or words[0] != "GO":
            return 0  # STOP, or the parent is gone
        day, seed = date.fromisoformat(words[1]), int(words[2])
        pid = os.fork()
        if pid == 0:
            sys.stderr.flush()
            os._exit(run_child(args, day, seed))
        emit("PID", pid)
        _, status = os.waitpid(pid, 0)
        emit("EXIT", pid, os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    sys.exit(main())
