"""The review session over a real store: which cards come up today, in which order, and
what each grade would do."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from studyplan.service import Studyplan
from tests.helpers import FakeClock, write_deck


def bundled(tmp_path: Path, clock: FakeClock | None = None, **settings: object) -> Studyplan:
    """A fresh learner over the decks that ship with studyplan."""
    config = tmp_path / "config.toml"
    sp = Studyplan(tmp_path / "sp.db", config, clock=clock or FakeClock())
    if settings:
        sp.change_settings(**settings)
    assert sp.sync_decks().errors == []
    return sp


def answer_all(session, grade: int = 4) -> list:
    shown = []
    while session.current is not None:
        shown.append(session.current)
        session.answer(grade)
    return shown


def test_a_fresh_learner_without_a_plan_meets_at_least_three_subjects_in_60_new_cards(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    sp = bundled(tmp_path, clock)
    decks: Counter[str] = Counter()
    subjects: set[str] = set()
    for _ in range(3):  # three study days at 20 new cards a day
        session = sp.start_review(monotonic=lambda: 0.0)
        for card in answer_all(session, grade=5):
            if card.state.due is None:
                decks[card.deck_name] += 1
                subjects.add(card.deck_name.split(" · ")[0])
        clock.advance(days=1)
    assert sum(decks.values()) == 60
    assert len(decks) >= 3, decks
    assert len(subjects) >= 3, subjects  # Algorithms, Mathematics and ML


def test_deck_order_keeps_one_deck_until_it_is_done(tmp_path: Path) -> None:
    sp = bundled(tmp_path, new_card_order="deck")
    session = sp.start_review(monotonic=lambda: 0.0)
    assert len({q.card.deck_id for q in session.queue}) == 1


def test_random_order_is_fixed_for_a_day_and_changes_the_next(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = bundled(tmp_path, clock, new_card_order="random")
    first = [q.card.id for q in sp.start_review().queue]
    assert [q.card.id for q in sp.start_review().queue] == first
    assert len({q.card.deck_id for q in sp.start_review().queue}) >= 3
    clock.advance(days=1)
    assert [q.card.id for q in sp.start_review().queue] != first


def cloze_deck(tmp_path: Path) -> Studyplan:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "orders.md").write_text(
        '+++\nname = "Orders"\n+++\n\n## Growth\n\nO(1), then {{c1::O(log n)}}, then '
        "{{c2::O(n)}}, then {{c3::O(n log n)}}.\n\n## Alone?\n\nYes.\n",
        encoding="utf-8",
    )
    sp = Studyplan(tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder)
    assert sp.sync_decks().errors == []
    return sp


def test_no_two_cards_of_one_note_come_up_on_the_same_day(tmp_path: Path) -> None:
    sp = cloze_deck(tmp_path)
    session = sp.start_review(monotonic=lambda: 0.0)
    keys = [q.card.key for q in session.queue]
    assert len(keys) == 2 and keys[1] == keys[1].split("#")[0]  # one cloze, and the basic card
    answer_all(session)
    # The same day again: the other clozes of the note wait for tomorrow.
    assert sp.start_review().queue == []
    sp.clock.advance(days=1)
    tomorrow = [q.card.key for q in sp.start_review().queue]
    assert len([k for k in tomorrow if "#c" in k]) == 1


def test_answering_a_card_buries_its_siblings_for_the_rest_of_the_session(tmp_path: Path) -> None:
    sp = cloze_deck(tmp_path)
    session = sp.start_review(monotonic=lambda: 0.0)
    # Put both siblings in the queue by hand, as a second window could have.
    siblings = [
        sp.repo.card(i) for (i,) in sp.conn.execute("SELECT id FROM card WHERE kind = 'cloze'")
    ]
    from studyplan.review import Queued

    session.queue = [Queued(siblings[0], "new"), Queued(siblings[1], "new")]
    session.answer(2)  # failed: the card itself comes back as a drill, its sibling does not
    assert [(q.card.id, q.reason) for q in session.queue] == [(siblings[0].id, "again")]


def test_burying_siblings_can_be_turned_off(tmp_path: Path) -> None:
    sp = cloze_deck(tmp_path)
    sp.change_settings(bury_siblings=False)
    assert len(sp.start_review().queue) == 4


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ((), {5: 1, 4: 1, 3: 1, 2: 1, 1: 1, 0: 1}),  # a new card: every grade gives 1 day
        ((4,), {5: 6, 4: 6, 3: 6, 2: 1, 1: 1, 0: 1}),  # the second success gives 6 days
    ],
)
def test_each_grade_shows_what_it_would_schedule(
    tmp_path: Path, grades: tuple[int, ...], expected: dict[int, int]
) -> None:
    deck = write_deck(tmp_path / "d", "D", {"Q?": "A"})
    sp = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=tmp_path / "d"
    )
    assert sp.import_path(deck).errors == []
    for grade in grades:
        session = sp.start_review()
        session.answer(grade)
        sp.clock.advance(days=session.answers[-1].after.interval)
    session = sp.start_review()
    previews = session.previews()
    assert {g: p.days for g, p in previews.items()} == expected
    assert sorted(g for g, p in previews.items() if p.again_today) == [0, 1, 2, 3]
    # The preview is what the answer then stores.
    card = session.current
    answer = session.answer(3)
    assert answer.after.due == sp.today() + timedelta(days=expected[3])
    assert card is not None


def test_a_drill_answer_previews_no_change(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d", "D", {"Q?": "A"})
    sp = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=tmp_path / "d"
    )
    assert sp.import_path(deck).errors == []
    session = sp.start_review()
    session.answer(1)
    assert session.queue[0].reason == "again"
    assert all(p.drill and p.days == 0 for p in session.previews().values())


def test_undo_puts_back_the_card_its_buried_siblings_and_removes_its_drill(
    tmp_path: Path,
) -> None:
    sp = cloze_deck(tmp_path)
    session = sp.start_review(monotonic=lambda: 0.0)
    cards = [sp.repo.card(i) for (i,) in sp.conn.execute("SELECT id FROM card ORDER BY id")]
    clozes = [c for c in cards if c.kind == "cloze"]
    alone = next(c for c in cards if c.kind != "cloze")
    from studyplan.review import Queued

    before = [
        Queued(clozes[0], "new"),
        Queued(alone, "new"),
        Queued(clozes[1], "new"),
        Queued(clozes[2], "new"),
    ]
    session.queue = before
    session.answer(1)  # failed: the siblings wait for tomorrow, the card comes back
    assert [(q.card.id, q.reason) for q in session.queue] == [
        (alone.id, "new"),
        (clozes[0].id, "again"),
    ]
    assert session.counts() == Counter({"new": 1, "again": 1})
    session.undo()
    assert session.queue == before
    assert session.counts() == Counter({"new": 4})
    assert sp.conn.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 0
