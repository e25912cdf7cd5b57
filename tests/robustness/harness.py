"""What the robustness tests share: a generated deck, driver children, and the history check."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from studyplan.core.sm2 import Sm2State, review
from studyplan.store.card_repo import Repository
from studyplan.store.db import connect

DRIVER = Path(__file__).with_name("driver.py")
SILENCE = 30.0  # seconds a child may stay silent before the test gives up on it


@dataclass
class World:
    """A database, its settings and a deck folder in a temporary directory."""

    db: Path
    config: Path
    decks: Path


def make_world(root: Path, cards: int, new_per_day: int) -> World:
    decks = root / "decks"
    decks.mkdir(parents=True)
    body = "".join(f"## Robust question {i:03d}?\n\nAnswer {i}.\n\n" for i in range(cards))
    (decks / "robust.md").write_text(
        f'+++\nid = "robust"\nname = "Robust"\n+++\n\n{body}', encoding="utf-8"
    )
    config = root / "config.toml"
    config.write_text(
        f'new_per_day = {new_per_day}\ntimezone = "Europe/Berlin"\nbackups_kept = 2\n',
        encoding="utf-8",
    )
    return World(root / "data" / "sp.db", config, decks)


@dataclass(frozen=True)
class Line:
    """One line a child printed: its first word and the rest."""

    kind: str
    args: tuple[str, ...]

    def answer(self) -> tuple[int, int]:
        """(card id, grade) of a SENDING / CONFIRMED / REFRESHED line."""
        return int(self.args[0]), int(self.args[1])


TIMEOUT = Line("TIMEOUT", ())
EOF = Line("EOF", ())


@dataclass
class Driver:
    """``driver.py`` in a child process: it imports the app once, then forks one
    app process per ``go``. Its output is read on threads so it never blocks."""

    world: World
    barrier: bool = False
    proc: subprocess.Popen = field(init=False)
    pid: int = 0  # the app process running now
    status: int | None = None  # its exit code (-9 when killed) once it ended
    stderr: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        args = [sys.executable, str(DRIVER), str(self.world.db), str(self.world.config)]
        args += [str(self.world.decks)] + (["--barrier"] if self.barrier else [])
        self.proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self._lines: queue.Queue[Line] = queue.Queue()
        threading.Thread(target=self._read_out, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()
        assert self._next() == Line("LOADED", ()), self.errors()

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            kind, *args = raw.decode().split()
            self._lines.put(Line(kind, tuple(args)))
        self._lines.put(EOF)

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        self.stderr.extend(self.proc.stderr)

    def _next(self, timeout: float = SILENCE) -> Line:
        try:
            return self._lines.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return TIMEOUT

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        self.proc.stdin.flush()

    def go(self, day: date, seed: int) -> None:
        """Start the app on study day ``day``; it grades with ``random.Random(seed)``."""
        self.send(f"GO {day.isoformat()} {seed}")
        line = self._next()
        assert line.kind == "PID", f"{line}\n{self.errors()}"
        self.pid, self.status = int(line.args[0]), None

    def next(self, timeout: float = SILENCE) -> Line:
        """The app's next line; ``TIMEOUT`` after ``timeout`` s of silence, ``EOF`` once it ended."""
        if self.status is not None:
            return EOF
        line = self._next(timeout)
        if line.kind == "EXIT":
            assert int(line.args[0]) == self.pid
            self.status = int(line.args[1])
            return EOF
        assert line is not EOF, f"the driver died\n{self.errors()}"
        return line

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def rest(self) -> list[Line]:
        """Every line the app printed and was not read yet, once it has ended."""
        lines = []
        while (line := self.next()) is not EOF:
            assert line is not TIMEOUT, "the app did not end"
            lines.append(line)
        return lines

    def stop(self) -> None:
        self.send("STOP")
        self.proc.wait(timeout=SILENCE)

    def errors(self) -> str:
        return b"".join(self.stderr).decode(errors="replace")


def _state(values: tuple) -> Sm2State:
    repetitions, ef, interval, due, lapses = values
    return Sm2State(repetitions, ef, interval, date.fromisoformat(due) if due else None, lapses)


@dataclass
class History:
    """The review log read back with the project's own store code, and what is wrong with it."""

    rows: list[tuple[int, int, int, bool, date]]  # (review id, card, grade, drill, study day)
    problems: list[str]

    def scheduling_answers_per_day(self) -> dict[tuple[int, date], int]:
        counts: dict[tuple[int, date], int] = {}
        for _, card, _, drill, day in self.rows:
            if not drill:
                counts[card, day] = counts.get((card, day), 0) + 1
        return counts


def read_history(db: Path) -> History:
    """Reopen ``db`` as the app does and check it whole.

    The log stores each card's state before and after every answer: per card,
    each ``before`` must be the previous ``after`` (a new card starts from
    ``Sm2State()``); a scheduling answer's ``after`` must be SM-2 replayed on its
    ``before``, with at most one scheduling answer per card and study day; a
    drill comes after that day's scheduling answer and changes nothing; and the
    card row must hold the last ``after``.
    """
    conn = connect(db)
    try:
        problems = []
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            problems.append(f"integrity_check: {check}")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check found orphans")
        log = conn.execute(
            "SELECT id, card_id, grade, is_drill, study_day, before_repetitions, before_ef_permille, "
            "before_interval, before_due, before_lapses, after_repetitions, after_ef_permille, "
            "after_interval, after_due, after_lapses FROM review ORDER BY id"
        ).fetchall()
        state: dict[int, Sm2State] = {}
        scheduled: set[tuple[int, date]] = set()
        rows = []
        for review_id, card, grade, drill, day_text, *states in log:
            day = date.fromisoformat(day_text)
            before, after = _state(tuple(states[:5])), _state(tuple(states[5:]))
            rows.append((review_id, card, grade, bool(drill), day))
            where = f"review {review_id} (card {card}, {day}, grade {grade})"
            if before != state.get(card, Sm2State()):
                problems.append(f"{where}: before {before} is not the card's last state")
            if drill:
                if (card, day) not in scheduled:
                    problems.append(f"{where}: a drill with no scheduling answer that day")
                if after != before:
                    problems.append(f"{where}: a drill changed the state")
            else:
                if (card, day) in scheduled:
                    problems.append(f"{where}: a second scheduling answer on one study day")
                if after != review(before, grade, day):
                    problems.append(f"{where}: after {after} is not SM-2 of before")
                scheduled.add((card, day))
            state[card] = after
        repo = Repository(conn)
        for (card,) in conn.execute("SELECT id FROM card ORDER BY id").fetchall():
            stored = repo.card(card).state
            if stored != state.get(card, Sm2State()):
                problems.append(f"card {card}: stored {stored}, log says {state.get(card)}")
        return History(rows, problems)
    finally:
        conn.close()
