"""SIGKILL the real app at random moments: no answer it confirmed on screen is ever lost.

One database lives through many runs of the app (``driver.py``, a child
process). Each run presses space and a grade card after card; the parent
kills it with SIGKILL during start-up, while an answer is on its way, or just
after the screen confirmed one, then reopens the database and checks that the
log holds exactly the confirmed answers (plus, at most, the one in flight),
that every card's state is the replay of its log, and that SQLite finds the
file intact. The study day moves on every few runs, so cards come due again
and each card builds a history over several days.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path

from tests.robustness.harness import EOF, TIMEOUT, Driver, Line, make_world, read_history

KILLS = 32
RUNS_PER_DAY = 4
SEED = 20260302


def test_sigkill_never_loses_a_confirmed_answer(tmp_path: Path) -> None:
    world = make_world(tmp_path, cards=80, new_per_day=12)
    rng = random.Random(SEED)
    day = date(2026, 3, 2)
    figures = dict.fromkeys(
        ("runs", "kills", "sent", "confirmed", "found", "lost", "in_flight_kept"), 0
    )
    kinds: dict[str, int] = {}
    last_id = 0
    started = time.monotonic()
    child = Driver(world)
    try:
        while figures["kills"] < KILLS:
            run = figures["runs"]
            figures["runs"] += 1
            if run and run % RUNS_PER_DAY == 0:
                day += timedelta(days=1)
            kind = rng.choice(("startup", "mid-answer", "mid-answer", "after-confirm"))
            nth = rng.randint(1, 4)
            delay = rng.uniform(0.0, 0.3) if kind == "startup" else rng.choice((0, 0, 0.002))
            child.go(day, rng.randrange(2**32))
            deadline = time.monotonic() + delay
            lines: list[Line] = []
            killed = False
            while not killed:
                wait = deadline - time.monotonic() if kind == "startup" else 30.0
                line = child.next(wait)
                if line is TIMEOUT and kind == "startup":
                    child.kill()
                    killed = True
                    break
                assert line is not TIMEOUT, f"run {run}: the app went silent\n{child.errors()}"
                if line is EOF:
                    break
                lines.append(line)
                assert line.kind != "ERROR", f"run {run}: {line}\n{child.errors()}"
                count = sum(seen.kind == line.kind for seen in lines)
                if (kind, line.kind, count) in (
                    ("mid-answer", "SENDING", nth),
                    ("after-confirm", "CONFIRMED", nth),
                ):
                    time.sleep(delay)  # 0 or 2 ms: before, during or after the commit
                    child.kill()
                    killed = True
            lines += child.rest()
            if killed:
                figures["kills"] += 1
                kinds[kind] = kinds.get(kind, 0) + 1
            else:
                assert child.status == 0, child.errors()
                assert lines[-1].kind == "FINISHED", lines
                day += timedelta(days=1)  # today's queue is done: on to the next day

            sent = [line.answer() for line in lines if line.kind == "SENDING"]
            confirmed = [line.answer() for line in lines if line.kind == "CONFIRMED"]
            assert confirmed == sent[: len(confirmed)] and len(sent) - len(confirmed) <= 1
            history = read_history(world.db)
            new = [
                (card, grade)
                for review_id, card, grade, _, _ in history.rows
                if review_id > last_id
            ]
            unmatched = list(new)
            found = 0
            for answer in confirmed:
                if answer in unmatched:
                    unmatched.remove(answer)
                    found += 1
            figures["sent"] += len(sent)
            figures["confirmed"] += len(confirmed)
            figures["found"] += found
            figures["lost"] += len(confirmed) - found
            figures["in_flight_kept"] += len(new) - len(confirmed)
            assert found == len(confirmed), f"run {run}: confirmed {confirmed}, log has {new}"
            # Exactly the confirmed answers, or those and the one in flight at the kill.
            assert new in (confirmed, sent), f"run {run}: sent {sent}, log has {new}"
            assert history.problems == [], history.problems
            last_id = max([last_id, *(row[0] for row in history.rows)])
    finally:
        child.stop()
    elapsed = time.monotonic() - started
    history = read_history(world.db)
    days = {row[4] for row in history.rows}
    print(
        f"\ncrash safety: {figures['runs']} runs, {figures['kills']} SIGKILLs {kinds}, "
        f"answers sent {figures['sent']}, confirmed {figures['confirmed']}, "
        f"found {figures['found']}, lost {figures['lost']}, "
        f"unconfirmed but kept {figures['in_flight_kept']}; log {len(history.rows)} rows over "
        f"{len(days)} study days; {elapsed:.1f} s"
    )
    assert figures["kills"] >= 30
    assert figures["lost"] == 0
    assert figures["confirmed"] > 0 and figures["found"] == figures["confirmed"]
    assert len(history.rows) == figures["confirmed"] + figures["in_flight_kept"]
