"""A review session over a small deck on a real store: answers, drills, practice, leeches,
a card changed in another window, undo and the closing figures."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from studyplan.review import CardChanged, Summary
from studyplan.service import Studyplan
from tests.helpers import FakeClock, answer_on, write_deck


class Timer:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sp(tmp_path: Path) -> Studyplan:
    folder = tmp_path / "decks"
    write_deck(folder, "Deck", {"One?": "1", "Two?": "2", "Three?": "3"})
    service = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )
    assert service.sync_decks().errors == []
    yield service
    service.close()


def card_id(sp: Studyplan, front: str) -> int:
    return sp.conn.execute("SELECT id FROM card WHERE front = ?", (front,)).fetchone()[0]


def reviews(sp: Studyplan) -> list[tuple]:
    return sp.conn.execute(
        "SELECT card.front, review.grade, review.is_drill, review.practice, review.took_ms "
        "FROM review JOIN card ON card.id = review.card_id ORDER BY review.id"
    ).fetchall()


def queue(session) -> list[tuple[str, str]]:
    return [(q.card.front, q.reason) for q in session.queue]


def make_due_with_lapses(sp: Studyplan, front: str, lapses: int) -> None:
    """A card learnt long ago, due today, forgotten ``lapses`` times already."""
    sp.conn.execute(
        "UPDATE card SET repetitions = 3, ef_permille = 2500, interval = 10, due = ?, lapses = ? "
        "WHERE front = ?",
        (sp.today().isoformat(), lapses, front),
    )


def test_the_queue_counts_by_reason_and_shows_the_card_after_this_one(sp: Studyplan) -> None:
    session = sp.start_review()
    assert queue(session) == [("One?", "new"), ("Two?", "new"), ("Three?", "new")]
    assert session.counts() == Counter(new=3)
    assert session.current is not None and session.current.front == "One?"
    assert session.upcoming is not None and session.upcoming.front == "Two?"
    session.answer(2)
    assert session.counts() == Counter(new=2, again=1)
    session.answer(5)
    session.answer(5)
    assert session.current is not None and session.current.front == "One?"
    assert session.upcoming is None


def test_the_time_taken_runs_from_the_moment_the_card_was_shown(sp: Studyplan) -> None:
    timer = Timer()
    session = sp.start_review(monotonic=timer)
    timer.now += 3.25
    session.shown()  # the card reached the screen 3.25 s after the session began
    timer.now += 6.5
    session.answer(4)
    timer.now += 2.0
    session.answer(5)  # its time runs from the previous answer
    assert [row[4] for row in reviews(sp)] == [6500, 2000]


def test_a_timer_that_runs_backwards_stores_no_negative_time(sp: Studyplan) -> None:
    timer = Timer()
    session = sp.start_review(monotonic=timer)
    timer.now -= 5
    session.answer(4)
    assert reviews(sp)[0][4] == 0


def test_a_grade_outside_0_to_5_or_no_card_is_refused_and_nothing_stored(sp: Studyplan) -> None:
    session = sp.start_review()
    with pytest.raises(ValueError):
        session.answer(6)
    assert reviews(sp) == []
    for _ in range(3):
        session.answer(5)
    with pytest.raises(IndexError, match=r"^no card to answer$"):
        session.answer(5)
    assert len(reviews(sp)) == 3


def test_a_failed_card_is_drilled_until_4_and_its_schedule_is_the_first_answer(
    sp: Studyplan,
) -> None:
    session = sp.start_review()
    first = session.answer(3)  # recalled, but below 4: drilled later, scheduled now
    assert not first.is_drill and first.after.due is not None
    assert queue(session)[-1] == ("One?", "again")
    session.answer(5)
    session.answer(5)
    drill = session.answer(3)
    assert drill.is_drill and drill.after == drill.before == first.after
    assert queue(session) == [("One?", "again")]
    session.answer(4)
    assert session.current is None
    assert [row[:4] for row in reviews(sp)] == [
        ("One?", 3, 0, 0),
        ("Two?", 5, 0, 0),
        ("Three?", 5, 0, 0),
        ("One?", 3, 1, 0),
        ("One?", 4, 1, 0),
    ]


def test_a_card_already_answered_today_in_another_session_is_a_drill(sp: Studyplan) -> None:
    from studyplan.review import Queued

    sp.start_review().answer(4)
    # Another window still lists the card as new (say it was reset there): its answer
    # today is a drill, and the previews say so.
    other = sp.start_review()
    other.queue = [Queued(sp.repo.card(card_id(sp, "One?")), "new")]
    assert all(p.drill and p.days == 0 for p in other.previews().values())
    answer = other.answer(2)
    assert answer.is_drill and answer.after == answer.before
    assert sp.repo.has_scheduling_answer(card_id(sp, "One?"), sp.today())
    assert not sp.repo.has_scheduling_answer(card_id(sp, "Two?"), sp.today())


def test_practice_changes_no_schedule_and_a_failed_card_comes_back_as_practice(
    sp: Studyplan,
) -> None:
    ids = [card_id(sp, "Two?"), card_id(sp, "One?"), 999_999]
    assert sp.start_review().practice is False
    session = sp.start_review(practice=ids)
    assert session.practice is True
    assert queue(session) == [("Two?", "practice"), ("One?", "practice")]
    answer = session.answer(1)
    assert answer.is_drill and answer.after == answer.before
    assert queue(session) == [("One?", "practice"), ("Two?", "practice")]
    assert [row[:4] for row in reviews(sp)] == [("Two?", 1, 1, 1)]
    assert sp.conn.execute("SELECT COUNT(*) FROM card WHERE due IS NOT NULL").fetchone() == (0,)


def test_previews_say_what_each_grade_would_do(sp: Studyplan) -> None:
    session = sp.start_review()
    previews = session.previews()
    assert sorted(previews) == [0, 1, 2, 3, 4, 5]
    assert [(p.grade, p.days, p.again_today, p.drill) for p in previews.values()] == [
        (g, 1, g < 4, False) for g in range(6)
    ]
    session.queue = []
    assert session.previews() == {}


def test_a_card_answered_in_another_window_is_refreshed_and_dropped(sp: Studyplan) -> None:
    mine = sp.start_review()
    sp.start_review().answer(5)  # the other window answers One? first
    with pytest.raises(CardChanged):
        mine.answer(4)
    assert queue(mine) == [("Two?", "new"), ("Three?", "new")]
    assert len(reviews(sp)) == 1


def test_a_card_changed_elsewhere_but_still_due_stays_with_its_new_state(sp: Studyplan) -> None:
    mine = sp.start_review()
    sp.conn.execute("UPDATE card SET ef_permille = 2100 WHERE front = 'One?'")
    with pytest.raises(CardChanged):
        mine.answer(4)
    assert queue(mine)[0] == ("One?", "new")
    assert mine.queue[0].card.state.ef_permille == 2100
    assert mine.answer(4).before.ef_permille == 2100


def test_a_card_moved_to_the_future_elsewhere_leaves_the_session(sp: Studyplan) -> None:
    mine = sp.start_review()
    sp.conn.execute(
        "UPDATE card SET repetitions = 1, interval = 1, due = ? WHERE front = 'Two?'",
        ((sp.today().replace(day=sp.today().day + 1)).isoformat(),),
    )
    mine.answer(5)
    with pytest.raises(CardChanged):
        mine.answer(4)
    assert queue(mine) == [("Three?", "new")]


def test_a_card_suspended_or_changed_in_the_card_view_is_dropped_or_refreshed(
    sp: Studyplan,
) -> None:
    session = sp.start_review()
    assert session.drop_if_set_aside() is False
    sp.conn.execute("UPDATE card SET ef_permille = 2000 WHERE front = 'One?'")
    assert session.drop_if_set_aside() is True
    assert session.queue[0].card.state.ef_permille == 2000 and queue(session)[0] == ("One?", "new")
    assert session.drop_if_set_aside() is False
    sp.conn.execute("UPDATE card SET suspended = 1 WHERE front = 'One?'")
    assert session.drop_if_set_aside() is True
    assert queue(session) == [("Two?", "new"), ("Three?", "new")]
    tomorrow = sp.today().replace(day=sp.today().day + 1).isoformat()
    sp.conn.execute("UPDATE card SET buried_until = ? WHERE front = 'Two?'", (tomorrow,))
    assert session.drop_if_set_aside() is True
    assert queue(session) == [("Three?", "new")]
    sp.conn.execute("PRAGMA foreign_keys = OFF")
    sp.conn.execute("DELETE FROM card WHERE front = 'Three?'")
    assert session.drop_if_set_aside() is True
    assert session.queue == []
    assert session.drop_if_set_aside() is False


def test_a_card_buried_until_today_is_still_shown(sp: Studyplan) -> None:
    session = sp.start_review()
    sp.conn.execute(
        "UPDATE card SET buried_until = ? WHERE front = 'One?'", (sp.today().isoformat(),)
    )
    assert session.drop_if_set_aside() is False
    assert queue(session)[0] == ("One?", "new")


@pytest.mark.parametrize(
    ("threshold", "lapses_before", "leech"),
    [
        (4, 2, False),  # 3 lapses: not yet
        (4, 3, True),  # at the threshold
        (4, 4, False),  # 5: between the threshold and half as many more
        (4, 5, True),  # 6 = 4 + 4 // 2
        (4, 6, False),
        (4, 7, True),  # 8
        (1, 0, True),  # a threshold of 1: every lapse (half of 1 rounds up to 1)
        (1, 3, True),
        (3, 3, True),  # 4 = 3 + 3 // 2
        (3, 4, True),  # 5 = 3 + 2 * (3 // 2)
        (7, 6, True),  # 7, then every 3 more
        (7, 7, False),
        (7, 9, True),  # 10
        (0, 20, False),  # 0: never
    ],
)
def test_a_card_becomes_a_leech_at_the_threshold_and_every_half_threshold_after(
    sp: Studyplan, threshold: int, lapses_before: int, leech: bool
) -> None:
    sp.change_settings(leech_lapses=threshold)
    make_due_with_lapses(sp, "One?", lapses_before)
    session = sp.start_review()
    assert queue(session)[0] == ("One?", "due")
    answer = session.answer(1)
    assert answer.after.lapses == lapses_before + 1
    marks = sp.conn.execute("SELECT leech, suspended FROM card WHERE front = 'One?'").fetchone()
    assert marks == ((1, 1) if leech else (0, 0))
    assert (session.leech is not None) == leech
    assert (("One?", "again") in queue(session)) == (not leech)


def test_a_passing_answer_never_makes_a_leech_and_clears_the_last_one(sp: Studyplan) -> None:
    sp.change_settings(leech_lapses=2)
    make_due_with_lapses(sp, "One?", 1)
    make_due_with_lapses(sp, "Two?", 5)
    session = sp.start_review()
    session.answer(0)
    assert session.leech is not None and session.leech.front == "One?"
    session.answer(4)  # Two? keeps its 5 lapses: no new lapse, no leech
    assert session.leech is None
    assert sp.conn.execute("SELECT leech FROM card WHERE front = 'Two?'").fetchone() == (0,)


def test_a_drill_of_a_card_with_many_lapses_makes_no_leech(sp: Studyplan) -> None:
    sp.change_settings(leech_lapses=2)
    make_due_with_lapses(sp, "One?", 2)
    session = sp.start_review()
    session.queue = [session.queue[0]]
    session.answer(4)
    sp.conn.execute("UPDATE card SET lapses = 1 WHERE front = 'One?'")
    practice = sp.start_review(practice=[card_id(sp, "One?")])
    practice.answer(0)
    assert practice.leech is None
    assert sp.conn.execute("SELECT leech FROM card WHERE front = 'One?'").fetchone() == (0,)


def test_a_leech_that_is_only_tagged_stays_in_the_session(sp: Studyplan) -> None:
    sp.change_settings(leech_lapses=2, leech_action="tag")
    make_due_with_lapses(sp, "One?", 1)
    session = sp.start_review()
    session.answer(1)
    marks = sp.conn.execute("SELECT leech, suspended FROM card WHERE front = 'One?'").fetchone()
    assert marks == (1, 0)
    assert queue(session)[-1] == ("One?", "again")


def test_undo_of_a_leech_answer_takes_back_the_leech_and_the_answer(sp: Studyplan) -> None:
    sp.change_settings(leech_lapses=2)
    make_due_with_lapses(sp, "One?", 1)
    timer = Timer()
    session = sp.start_review(monotonic=timer)
    before = list(session.queue)
    timer.now += 4
    session.answer(1)
    assert session.can_undo
    undone = session.undo()
    assert undone.grade == 1 and not session.can_undo
    marks = sp.conn.execute(
        "SELECT leech, suspended, lapses FROM card WHERE front = 'One?'"
    ).fetchone()
    assert marks == (0, 0, 1)
    assert session.queue == before and reviews(sp) == []
    assert session.summary().answers == 0
    timer.now += 1
    session.answer(5)  # timed from when the card was first shown, as before the undo
    assert reviews(sp)[0][4] == 5000


def test_undo_of_a_plain_answer_leaves_earlier_card_actions_alone(sp: Studyplan) -> None:
    from studyplan.store.browse_repo import BrowseRepository

    browse = BrowseRepository(sp.conn)
    browse.change([card_id(sp, "Three?")], "flag", today=sp.today(), moment=sp.clock(), flag=2)
    session = sp.start_review()
    session.answer(5)
    session.undo()
    assert sp.conn.execute("SELECT flag FROM card WHERE front = 'Three?'").fetchone() == (2,)


def test_the_summary_counts_answers_cards_time_grades_and_drills(sp: Studyplan) -> None:
    timer = Timer()
    session = sp.start_review(monotonic=timer)
    assert session.summary() == Summary(
        answers=0, cards=0, seconds=0.0, grades=dict.fromkeys(range(5, -1, -1), 0), drills=0
    )
    for grade in (2, 5, 3, 4, 4):  # One? 2, Two? 5, Three? 3, One? drill 4, Three? drill 4
        timer.now += 10
        session.answer(grade)
    summary = session.summary()
    assert summary == Summary(
        answers=5, cards=3, seconds=50.0, grades={5: 1, 4: 0, 3: 1, 2: 1, 1: 0, 0: 0}, drills=2
    )
    assert list(summary.grades) == [5, 4, 3, 2, 1, 0]
    assert summary.passed == 2
    timer.now = 0.0  # a timer that went back: no negative time
    assert session.summary().seconds == 0.0


def test_without_burying_a_failed_card_keeps_its_siblings_in_the_session(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "c.md").write_text(
        '+++\nname = "C"\n+++\n\n## Growth\n\n{{c1::O(1)}} then {{c2::O(n)}}.\n', encoding="utf-8"
    )
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    sp.change_settings(bury_siblings=False)
    session = sp.start_review()
    session.answer(2)
    assert [(q.card.key[-2:], q.reason) for q in session.queue] == [("c2", "new"), ("c1", "again")]
    sp.close()


def two_decks(tmp_path: Path) -> Studyplan:
    folder = tmp_path / "two"
    write_deck(folder, "Alpha", {f"A{i}?": "a" for i in range(6)}, deck_id="alpha")
    write_deck(folder, "Beta", {f"B{i}?": "b" for i in range(6)}, deck_id="beta")
    service = Studyplan(
        tmp_path / "two.db", tmp_path / "two.toml", clock=FakeClock(), bundled_decks=folder
    )
    assert service.sync_decks().errors == []
    return service


def test_a_session_for_one_deck_holds_only_that_decks_due_new_and_again_cards(
    tmp_path: Path,
) -> None:
    sp = two_decks(tmp_path)
    beta = sp.conn.execute("SELECT id FROM deck WHERE key = 'beta'").fetchone()[0]
    whole = sp.start_review()
    while whole.current is not None and whole.current.front != "B0?":
        whole.answer(5)
    whole.answer(2)  # B0? failed: drilled later today
    sp.conn.execute(
        "UPDATE card SET repetitions = 2, interval = 6, due = ? WHERE front IN ('A5?', 'B5?')",
        (sp.today().isoformat(),),
    )
    answered = len(whole.answers)  # new cards answered today, all decks
    sp.change_settings(new_per_day=answered + 1)
    from studyplan.store.browse_repo import BrowseRepository

    BrowseRepository(sp.conn).add_extra_new(sp.today(), "beta", 1)  # one more for Beta
    session = sp.start_review(deck_id=beta)
    assert {q.card.deck_id for q in session.queue} == {beta}
    # one left of the day's limit, one more for Beta: two new; B5? due; B0? again
    assert queue(session) == [("B5?", "due"), ("B1?", "new"), ("B2?", "new"), ("B0?", "again")]
    sp.close()


def test_todays_limits_count_what_was_already_done_today(tmp_path: Path) -> None:
    sp = two_decks(tmp_path)
    sp.conn.execute(
        "UPDATE card SET repetitions = 2, interval = 6, due = ? WHERE front LIKE 'B%'",
        (sp.today().isoformat(),),
    )
    sp.change_settings(new_per_day=2, reviews_per_day=4)
    first = sp.start_review()
    assert first.counts() == Counter(due=4, new=2)
    for _ in range(3):  # three due cards answered
        first.answer(5)
    assert sp.start_review().counts() == Counter(due=1, new=2)
    first.answer(5)
    first.answer(5)  # one new card answered
    assert sp.start_review().counts() == Counter(new=1)
    first.answer(5)
    assert sp.start_review().queue == []  # both limits reached: no new card at all
    sp.close()


def test_an_answer_counts_for_the_study_day_of_the_learners_zone_and_rollover(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    folder = tmp_path / "z"
    write_deck(folder, "Z", {"Q?": "A"})
    clock = FakeClock(datetime(2026, 3, 2, 3, 30, tzinfo=UTC))  # 22:30 on 1 March in New York
    sp = Studyplan(tmp_path / "z.db", tmp_path / "z.toml", clock=clock, bundled_decks=folder)
    assert sp.sync_decks().errors == []
    sp.change_settings(timezone="America/New_York", rollover_hour=0)
    session = sp.start_review()
    assert session.today() == session.day == date(2026, 3, 1)
    session.answer(4)
    assert sp.conn.execute("SELECT study_day FROM review").fetchone() == ("2026-03-01",)
    sp.close()


def test_cards_failed_in_an_earlier_session_today_come_back_as_drills(sp: Studyplan) -> None:
    sp.start_review().answer(1)
    again = sp.start_review()
    assert queue(again) == [("Two?", "new"), ("Three?", "new"), ("One?", "again")]
    again.queue = [again.queue[-1]]
    assert again.answer(4).is_drill


def test_a_practice_card_previews_as_a_drill_for_every_grade(sp: Studyplan) -> None:
    session = sp.start_review(practice=[card_id(sp, "One?")])
    previews = session.previews()
    assert [(p.grade, p.days, p.again_today, p.drill) for p in previews.values()] == [
        (g, 0, g < 4, True) for g in range(6)
    ]


def test_a_card_answered_and_reset_in_another_window_leaves_this_session(
    sp: Studyplan,
) -> None:
    mine = sp.start_review()
    sp.start_review().answer(5)
    # reset in the other window's card view: new again, but answered today
    sp.conn.execute(
        "UPDATE card SET repetitions = 0, interval = 0, due = NULL, sm2_due = NULL, "
        "ef_permille = 2400 WHERE front = 'One?'"
    )
    with pytest.raises(CardChanged) as changed:
        mine.answer(4)
    assert changed.value.args == (card_id(sp, "One?"),)
    assert queue(mine) == [("Two?", "new"), ("Three?", "new")]


def test_a_card_changed_elsewhere_and_due_today_stays(sp: Studyplan) -> None:
    mine = sp.start_review()
    sp.conn.execute(
        "UPDATE card SET repetitions = 2, interval = 6, due = ?, sm2_due = ? WHERE front = 'One?'",
        (sp.today().isoformat(), sp.today().isoformat()),
    )
    with pytest.raises(CardChanged):
        mine.answer(4)
    assert queue(mine)[0] == ("One?", "new")
    assert mine.queue[0].card.state.due == sp.today()


def test_a_queue_builds_a_card_only_when_it_comes_up(
    sp: Studyplan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands due after a break: only the card shown (and the one after it) is read
    whole, as it stands when it comes up (a deck file edited meanwhile shows its text)."""
    from studyplan.store import card_repo

    for front in ("One?", "Two?"):
        make_due_with_lapses(sp, front, 0)
    built: list[int] = []
    build = card_repo._card
    monkeypatch.setattr(card_repo, "_card", lambda row: built.append(row[0]) or build(row))
    session = sp.start_review()
    assert built == []  # two due and one new card read, none built yet
    assert queue_reasons(session) == ["due", "due", "new"]
    sp.conn.execute("UPDATE card SET front = 'Two, edited?' WHERE front = 'Two?'")
    current = session.current
    assert current == sp.repo.card(card_id(sp, "One?"))
    assert session.upcoming == sp.repo.card(card_id(sp, "Two, edited?"))
    built.clear()
    assert session.current is current  # built once, kept
    session.answer(5)
    assert session.current is not None and session.current.front == "Two, edited?"
    assert built.count(card_id(sp, "Three?")) == 0  # the new card waits its turn


def queue_reasons(session) -> list[str]:
    return [q.reason for q in session.queue]


def siblings_due(tmp_path: Path) -> Studyplan:
    """Twenty cloze notes of two cards each, due on days spread so that siblings fall on
    both sides of any head of the queue; four basic new cards; one note answered today and
    one card failed earlier today (a drill)."""
    folder = tmp_path / "siblings"
    folder.mkdir()
    notes = "".join(
        f"## Pair {n}\n\n{{{{c1::a{n}}}}} then {{{{c2::b{n}}}}}.\n\n" for n in range(20)
    )
    basics = "".join(f"## New {n}?\n\nn{n}\n\n" for n in range(4))
    (folder / "s.md").write_text(f'+++\nname = "S"\n+++\n\n{notes}{basics}', encoding="utf-8")
    sp = Studyplan(tmp_path / "s.db", tmp_path / "s.toml", clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    today = sp.today()
    rows = sp.conn.execute("SELECT id FROM card WHERE front LIKE 'Pair%' ORDER BY id").fetchall()
    for index, (card,) in enumerate(rows):
        # c1 and c2 of a note are due weeks apart, interleaved with other notes' cards
        late = (index * 7) % 37
        sp.conn.execute(
            "UPDATE card SET repetitions = 2, ef_permille = 2500, interval = 6, due = ? "
            "WHERE id = ?",
            (date.fromordinal(today.toordinal() - late).isoformat(), card),
        )
    failed = sp.conn.execute("SELECT id FROM card WHERE front LIKE 'Pair 3%'").fetchone()[0]
    answer_on(sp, failed, today, 2)  # failed earlier today: a drill for any later session
    return sp


def whole_queue(session) -> list[tuple[int, str]]:
    return [(q.id, q.reason) for q in session.queue]


@pytest.mark.parametrize("bury", [True, False])
def test_a_queue_read_head_first_is_the_queue_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bury: bool
) -> None:
    """The first card comes from the queue's head; the rest, read later, makes the same
    queue in the same order as one read of it all, whatever the head's size."""
    from studyplan import review

    sp = siblings_due(tmp_path)
    sp.change_settings(bury_siblings=bury, new_per_day=30)
    monkeypatch.setattr(review, "QUEUE_HEAD", 10_000)
    at_once = whole_queue(sp.start_review())
    assert ("again" in {reason for _, reason in at_once}) and len(at_once) > 20
    notes = [sp.repo.card(card).note for card, _ in at_once if _ != "again"]
    assert (len(set(notes)) == len(notes)) is bury  # siblings buried only when asked
    for head in (1, 2, 5, 16, 33):
        monkeypatch.setattr(review, "QUEUE_HEAD", head)
        session = sp.start_review()
        assert session.pending
        assert session.current is not None and session.current.id == at_once[0][0]
        assert session.pending  # showing the first card reads no more of the queue
        assert whole_queue(session) == at_once
        assert not session.pending
    sp.close()


def test_answering_the_first_card_reads_the_rest_of_the_queue_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studyplan import review

    sp = siblings_due(tmp_path)
    monkeypatch.setattr(review, "QUEUE_HEAD", 3)
    session = sp.start_review()
    expected = sp.start_review().counts()
    assert session.pending
    first = session.current
    assert first is not None
    session.answer(5)
    assert not session.pending
    expected["due"] -= 1
    assert session.counts() == +expected
    assert session.current is not None and session.current.id != first.id
    sp.close()


def test_one_decks_queue_past_its_head_holds_only_that_decks_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of one deck's queue, read after its head, takes only that deck's due
    cards past the head and its drills left from earlier today, as one read of it all
    does, whatever the head's size."""
    from studyplan import review

    sp = two_decks(tmp_path)
    beta = sp.conn.execute("SELECT id FROM deck WHERE key = 'beta'").fetchone()[0]
    whole = sp.start_review()
    failed: set[str] = set()
    while whole.current is not None and len(failed) < 2:
        front = whole.current.front
        whole.answer(2 if front in ("A0?", "B0?") else 5)
        failed |= {front} & {"A0?", "B0?"}
    assert failed == {"A0?", "B0?"}  # both come back as drills later today
    sp.conn.execute(
        "UPDATE card SET repetitions = 2, interval = 6, due = ? "
        "WHERE front IN ('A3?', 'A4?', 'A5?', 'B3?', 'B4?', 'B5?')",
        (sp.today().isoformat(),),
    )
    monkeypatch.setattr(review, "QUEUE_HEAD", 10_000)
    at_once = queue(sp.start_review(deck_id=beta))
    assert [front for front, reason in at_once if reason == "due"] == ["B3?", "B4?", "B5?"]
    assert ("B0?", "again") in at_once and all(front[0] == "B" for front, _ in at_once)
    for head in (1, 2):
        monkeypatch.setattr(review, "QUEUE_HEAD", head)
        session = sp.start_review(deck_id=beta)
        assert session.pending
        assert queue(session) == at_once
    sp.close()


def test_new_cards_with_a_favoured_tag_come_first_in_the_queue(tmp_path: Path) -> None:
    """This week's plan topics (``favoured_tags``) put their new cards first, before the
    deck's own order; without them the deck's order holds."""
    folder = tmp_path / "decks"
    folder.mkdir()
    body = "".join(
        f"## Card {n}?\ntags: {'graphs' if n in (3, 5) else 'algebra'}\n\nanswer {n}\n\n"
        for n in range(1, 7)
    )
    (folder / "mixed.md").write_text(f'+++\nname = "Mixed"\n+++\n\n{body}', encoding="utf-8")
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    plain = [front for front, _ in queue(sp.start_review())]
    assert plain == [f"Card {n}?" for n in range(1, 7)]
    favoured = [front for front, _ in queue(sp.start_review(favoured_tags=("graphs",)))]
    assert favoured[:2] == ["Card 3?", "Card 5?"] and sorted(favoured) == sorted(plain)
    sp.close()
