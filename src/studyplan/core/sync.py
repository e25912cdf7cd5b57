"""Sync between machines through a shared folder: the event file format and the replay.

Each machine appends its events (answers, undos, card actions) to a file of its own,
one JSON object per line after a header line. Merging is a union of events keyed by a
globally unique id; a card's state is then recomputed by replaying its merged log in
time order, which SM-2 makes deterministic. Pure: no I/O; the caller reads the files.

The replay rule: a card's answers are taken in the order of their moments (then of
their event ids, so every machine agrees); on each study day the first answer that is
not practice is the scheduling answer, and every later one that day is a drill, just
as one machine decides it. A reset puts the card back to new at its moment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from studyplan.core.sm2 import Sm2State, advance

VERSION = 1
"""The version of the file format this code writes and reads."""
HEADER_KEY = "studyplan_sync"
KINDS = (
    "answer",
    "undo",
    "action",
    "action_undo",
    "block",
    "block_undo",
    "topic",
    "off",
    "off_undo",
)
MAX_LINE = 64 * 1024


class SyncFileError(ValueError):
    """A sync file that cannot be read; ``str()`` names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a machine did, as it travels between machines."""

    id: str
    kind: str
    body: dict
    text: str = ""
    """The line it was read from (without its newline), when it was read from a file."""


REQUIRED = {
    "answer": ("deck", "card", "answered_at", "zone", "study_day", "grade"),
    "undo": ("target",),
    "action": ("deck", "card", "action", "done_at", "study_day"),
    "action_undo": ("target",),
    "block": ("plan", "topic", "minutes", "study_day", "recorded_at", "zone", "block_kind"),
    "block_undo": ("target",),
    "topic": ("plan", "topic", "done", "at", "study_day"),
    "off": ("first_day", "last_day", "note", "added_at"),
    "off_undo": ("target",),
}
"""The fields each kind of event must carry."""
_REQUIRED_SETS = {kind: frozenset(names) for kind, names in REQUIRED.items()}


def header(machine: str) -> str:
    """The first line of a machine's file."""
    return json.dumps({HEADER_KEY: VERSION, "machine": machine}, sort_keys=True) + "\n"


def body_text(seq: int, body: dict) -> str:
    """An event's body as stored once and written as it is: a JSON object with its
    number ``seq`` on this machine."""
    return json.dumps({"seq": seq, **body}, sort_keys=True)


def line(event_id: str, kind: str, body: str) -> str:
    """One line of a sync file, built from an event's stored body text (a JSON object)
    without decoding it: the id and the kind first, then the body's own fields."""
    quoted = (
        f'"{event_id}"'
        if event_id.isascii() and event_id.replace("-", "").isalnum()
        else json.dumps(event_id)
    )
    rest = body.strip()[1:].lstrip()
    return f'{{"id": {quoted}, "kind": "{kind}"' + ("}" if rest == "}" else ", " + rest) + "\n"


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


# NaN and Infinity are Python's, not JSON's: a line holding one is damaged.
_DECODER = json.JSONDecoder(parse_constant=_no_constant)
_JSON_SPACE = " \t\r"


def parse_lines(path: str, text: str, first_line: int = 1) -> tuple[list[Event], int]:
    """The events in ``text`` (a file read from a byte offset whose line number is
    ``first_line``) and how many characters of it were complete lines.

    A last line without its newline is a write still in progress: it is left for the
    next read. A line that is complete but not an event raises ``SyncFileError``.
    """
    used = text.rfind("\n") + 1
    lines = text[:used].split("\n")
    lines.pop()  # what follows the last newline: nothing, or a line still being written
    events: list[Event] = []
    append = events.append
    decode = _DECODER.raw_decode
    days: set[str] = set()
    for number, raw in enumerate(lines, first_line):
        if not raw.strip():
            continue
        if number == 1:
            _check_header(path, raw)
            continue
        if len(raw) > MAX_LINE:
            raise SyncFileError(path, number, "holds a line too long to be an event")
        stripped = raw.strip(_JSON_SPACE)
        try:
            data, end = decode(stripped)
        except (ValueError, RecursionError):
            data, end = None, -1
        if end != len(stripped):
            raise SyncFileError(path, number, "holds a line that is not JSON (the file is damaged)")
        if type(data) is not dict:
            raise SyncFileError(path, number, "holds a line that is not an event")
        append(_event(path, number, data, stripped, days))
    return events, used


def _check_header(path: str, line: str) -> None:
    try:
        data = json.loads(line)
    except ValueError:
        data = None
    if not isinstance(data, dict) or HEADER_KEY not in data:
        raise SyncFileError(path, 1, "is not a studyplan sync file (its first line is no header)")
    version = data[HEADER_KEY]
    if not isinstance(version, int) or version > VERSION:
        raise SyncFileError(
            path, 1, f"was written by a newer studyplan (format {version!r}); upgrade to read it"
        )


def _event(path: str, number: int, data: dict, text: str, days: set[str]) -> Event:
    """``data`` (one line's JSON object) as an event; ``days``: study days already
    found to be dates."""
    event_id, kind = data.pop("id", None), data.pop("kind", None)
    required = _REQUIRED_SETS.get(kind) if isinstance(kind, str) else None
    if type(event_id) is not str or not event_id or required is None:
        raise SyncFileError(path, number, "holds an event without an id or with an unknown kind")
    if not required <= data.keys():
        missing = [name for name in REQUIRED[kind] if name not in data]
        raise SyncFileError(path, number, f"holds a {kind} event without {missing[0]!r}")
    if kind in ("answer", "action") and (
        type(data["deck"]) is not str or type(data["card"]) is not str
    ):
        raise SyncFileError(path, number, f"holds a {kind} event whose deck or card is no text")
    if kind == "block" and type(data["minutes"]) is not int:
        raise SyncFileError(path, number, "holds a block whose minutes are no whole number")
    if kind == "answer":
        if type(data["answered_at"]) is not str or type(data["zone"]) is not str:
            raise SyncFileError(path, number, "holds an answer whose moment or zone is no text")
        for name in ("took_ms", "days_late"):
            if type(data.get(name, 0)) is not int:
                raise SyncFileError(
                    path, number, f"holds an answer whose {name} is no whole number"
                )
        grade = data["grade"]
        if type(grade) is not int or not 0 <= grade <= 5:
            raise SyncFileError(path, number, f"holds an answer with grade {grade!r}")
        day = data["study_day"]
        if type(day) is not str or (day not in days and not _is_date(day)):
            raise SyncFileError(path, number, "holds an answer with a study day that is no date")
        days.add(day)
    return Event(event_id, kind, data, text)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Step:
    """One entry of a card's merged log, in replay order."""

    key: tuple[float, str]
    """(moment as a Julian day, event id): the order every machine agrees on."""
    kind: str  # "answer" or "reset"
    study_day: date
    grade: int = 0
    practice: bool = False
    ref: int = 0
    """The local row (a review's id) this step stands for."""


@dataclass(frozen=True, slots=True)
class Replayed:
    """What the replay decided for one answer."""

    drill: bool
    before: Sm2State
    after: Sm2State


def replay(steps: list[Step]) -> tuple[list[tuple[Step, Replayed | None]], Sm2State]:
    """Each step in replay order with its outcome (None for a reset), and the card's
    final state."""
    ordered = sorted(steps, key=lambda s: s.key)
    outcomes, final = replay_log(
        [
            (*s.key, s.kind == "reset", s.study_day, s.grade, s.practice, n)
            for n, s in enumerate(ordered)
        ]
    )
    by_step = {n: Replayed(drill, before, after) for n, drill, before, after in outcomes}
    return [(step, by_step.get(n)) for n, step in enumerate(ordered)], final


LogEntry = tuple[float, str, bool, date, int, bool, int]
"""One entry of a card's merged log: (moment as a Julian day, event id, whether it is a
reset, study day, grade, practice, the local row it stands for)."""


def replay_log(
    entries: list[LogEntry], imported: Mapping[int, tuple[bool, Sm2State]] | None = None
) -> tuple[list[tuple[int, bool, Sm2State, Sm2State]], Sm2State]:
    """The replay rule over plain tuples (a long log replays in a fraction of the time
    ``replay`` takes): (row, drill, state before, state after) for each answer in replay
    order, and the card's final state. Grades and days are as checked when read (a
    file's by ``parse_lines``, the database's by its constraints).

    ``imported``: the rows of answers imported from another program, each with whether
    it is a drill and the state it left the card in. SM-2 cannot replay another
    program's scheduling, so such an answer sets the state as it is stored (and, unless
    a drill, spends its study day); it has no outcome, its row stays as it is."""
    state = Sm2State()
    scheduled_on: set[date] = set()
    out: list[tuple[int, bool, Sm2State, Sm2State]] = []
    append = out.append
    kept = imported or {}
    for _, _, reset, day, grade, practice, ref in sorted(entries, key=_ORDER):
        if reset:
            state = Sm2State()
            continue
        if ref in kept:
            drill, state = kept[ref]
            if not drill:
                scheduled_on.add(day)
            continue
        if practice or day in scheduled_on:
            append((ref, True, state, state))
            continue
        scheduled_on.add(day)
        after = advance(state, grade, day)
        append((ref, False, state, after))
        state = after
    return out, state


_ORDER = itemgetter(0, 1)
