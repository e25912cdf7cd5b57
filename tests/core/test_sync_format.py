"""The sync file's lines as this machine builds them from stored bodies, read back."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from studyplan.core.sm2 import Sm2State, advance
from studyplan.core.sync import (
    Step,
    SyncFileError,
    body_text,
    header,
    line,
    parse_lines,
    replay,
    replay_log,
)

ANSWER = {
    "deck": "d",
    "card": "c",
    "answered_at": "2026-03-02T09:00:00+00:00",
    "zone": "UTC",
    "study_day": "2026-03-02",
    "grade": 4,
}


@pytest.mark.parametrize(
    "body",
    [
        body_text(7, ANSWER),
        json.dumps({**ANSWER, "seq": 7}, separators=(",", ":")),  # as SQLite's json_object
        '  { "seq" : 7, "target": "m-1" }  ',
    ],
)
def test_a_line_built_from_a_stored_body_reads_back_as_that_body(body: str) -> None:
    kind = "undo" if "target" in body else "answer"
    text = header("m") + line("m-7", kind, body)
    (event,), used = parse_lines("f", text)
    assert used == len(text)
    assert (event.id, event.kind, event.body) == ("m-7", kind, json.loads(body))
    assert json.loads(event.text) == {"id": "m-7", "kind": kind, **json.loads(body)}


def test_an_id_that_needs_quoting_is_quoted_and_an_empty_body_stays_json() -> None:
    assert json.loads(line('a"b\\c-1', "undo", "{}")) == {"id": 'a"b\\c-1', "kind": "undo"}
    with pytest.raises(SyncFileError, match="f:2: holds a undo event without 'target'"):
        parse_lines("f", header("m") + line("m-1", "undo", "{}"))


def test_the_replay_over_tuples_is_the_replay_rule() -> None:
    day, next_day = date(2026, 3, 2), date(2026, 3, 3)
    entries = [
        (10.5, "b", False, day, 2, False, 2),  # later the same day: a drill
        (10.0, "a", False, day, 5, False, 1),
        (10.7, "r", True, day, 0, False, 0),  # a reset keeps the day's schedule spent
        (10.8, "c", False, day, 5, False, 3),
        (11.0, "d", False, next_day, 5, True, 4),  # practice never schedules
        (11.1, "e", False, next_day, 3, False, 5),
    ]
    outcomes, final = replay_log(entries)
    assert [(ref, drill) for ref, drill, _, _ in outcomes] == [
        (1, False),
        (2, True),
        (3, True),
        (4, True),
        (5, False),
    ]
    assert (final.repetitions, final.interval, final.due) == (1, 1, date(2026, 3, 4))
    steps = [
        Step((jd, eid), "reset" if reset else "answer", d, g, p, ref)
        for jd, eid, reset, d, g, p, ref in entries
    ]
    replayed, same = replay(steps)
    assert same == final
    assert [(s.ref, r and r.drill) for s, r in replayed] == [
        (1, False),
        (2, True),
        (0, None),
        (3, True),
        (4, True),
        (5, False),
    ]


def test_an_imported_answer_sets_the_state_it_left_and_spends_its_day() -> None:
    day = date(2026, 3, 2)
    anki = Sm2State(repetitions=4, ef_permille=2200, interval=30, due=date(2026, 4, 3), lapses=1)
    entries = [
        (10.0, "local-1", False, day, 4, False, 1),  # imported: sets the state as stored
        (10.2, "m-1", False, day, 5, False, 2),  # the same study day: a drill
        (10.4, "local-3", False, day, 3, False, 3),  # an imported drill keeps the state
        (12.0, "m-2", False, day + timedelta(days=30), 4, False, 4),
    ]
    outcomes, final = replay_log(entries, {1: (False, anki), 3: (True, anki)})
    assert [(ref, drill) for ref, drill, _, _ in outcomes] == [(2, True), (4, False)]
    assert outcomes[0][2] == outcomes[0][3] == anki
    _, _, before, after = outcomes[1]
    assert before == anki
    assert after == advance(anki, 4, day + timedelta(days=30))
    assert after.repetitions == 5 and after.interval > 30
    assert final == after
    # Without the imported rows' states, the same log replays from a new card.
    assert replay_log(entries)[1].repetitions == 2
