"""The card repository on a temporary SQLite file: deck rows, random new cards by deck and
tag, undo refused for a card changed since, and undo told to other machines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from studyplan.core.sm2 import Sm2State
from studyplan.service import Studyplan
from studyplan.store.card_repo import DeckSummary, StaleCardError
from studyplan.store.sync_repo import SyncRepository
from tests.helpers import FakeClock, answer_on

DAY = date(2026, 3, 2)


def deck_file(folder: Path, name: str, deck_id: str, fronts: list[str], tags: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    cards = "".join(
        f"## {front}\n\n{'tags: ' + tags + chr(10) + chr(10) if tags and i % 2 == 0 else ''}A\n\n"
        for i, front in enumerate(fronts)
    )
    (folder / f"{deck_id}.md").write_text(
        f'+++\nid = "{deck_id}"\nname = "{name}"\ndescription = "About {name}"\n+++\n\n{cards}',
        encoding="utf-8",
    )


@pytest.fixture
def sp(tmp_path: Path) -> Studyplan:
    folder = tmp_path / "decks"
    deck_file(folder, "Alpha", "alpha", [f"A{i}?" for i in range(12)], tags="hot")
    deck_file(folder, "Beta", "beta", [f"B{i}?" for i in range(12)])
    service = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=FakeClock(), bundled_decks=folder
    )
    assert service.sync_decks().errors == []
    yield service
    service.close()


def card_id(sp: Studyplan, front: str) -> int:
    return sp.conn.execute("SELECT id FROM card WHERE front = ?", (front,)).fetchone()[0]


def deck_id(sp: Studyplan, key: str) -> int:
    return sp.conn.execute("SELECT id FROM deck WHERE key = ?", (key,)).fetchone()[0]


def test_deck_summaries_give_each_decks_id_key_name_description_and_counts(sp: Studyplan) -> None:
    answer_on(sp, card_id(sp, "B0?"), DAY, 4)  # due tomorrow
    summaries = sp.repo.deck_summaries(DAY)
    assert summaries == [
        DeckSummary(deck_id(sp, "alpha"), "alpha", "Alpha", "About Alpha", 0, 12, 12),
        DeckSummary(deck_id(sp, "beta"), "beta", "Beta", "About Beta", 0, 11, 12),
    ]
    tomorrow = sp.repo.deck_summaries(date(2026, 3, 3))
    assert [(s.key, s.due, s.new) for s in tomorrow] == [("alpha", 0, 12), ("beta", 1, 11)]


def test_random_new_cards_of_one_deck_come_from_that_deck_only(sp: Studyplan) -> None:
    beta = deck_id(sp, "beta")
    cards = [row.card for row in sp.repo.new_cards(beta, 50, today=DAY, order="random")]
    assert len(cards) == 12 and {c.deck_id for c in cards} == {beta}
    assert [c.front for c in cards] != [f"B{i}?" for i in range(12)]  # shuffled


def test_random_new_cards_put_the_favoured_tags_first(sp: Studyplan) -> None:
    rows = sp.repo.new_cards(None, 24, ("hot", "unused"), today=DAY, order="random")
    cards = [row.card for row in rows]
    hot = {f"A{i}?" for i in range(0, 12, 2)}
    assert {c.front for c in cards[:6]} == hot
    assert hot.isdisjoint(c.front for c in cards[6:])
    assert len(cards) == 24


def test_a_missing_card_is_a_key_error_naming_it(sp: Studyplan) -> None:
    with pytest.raises(KeyError) as missing:
        sp.repo.card(987_654)
    assert missing.value.args == (987_654,)


def test_undo_puts_back_a_due_date_and_tells_other_machines(sp: Studyplan) -> None:
    one = card_id(sp, "A1?")
    sp.conn.execute(
        "UPDATE card SET repetitions = 2, interval = 6, due = '2026-03-01', "
        "sm2_due = '2026-03-01', lapses = 1 WHERE id = ?",
        (one,),
    )
    answer = answer_on(sp, one, DAY, 5)
    SyncRepository(sp.conn).record_local()  # the answer went out to the other machines
    sp.repo.undo(answer)
    assert sp.repo.card(one).state == Sm2State(2, 2500, 6, date(2026, 3, 1), 1)
    assert sp.conn.execute(
        "SELECT kind, local_id, undone FROM sync_event WHERE kind = 'answer'"
    ).fetchall() == [("answer", None, 1)]


def test_undo_is_refused_when_the_card_changed_since_and_nothing_changes(
    sp: Studyplan,
) -> None:
    one = card_id(sp, "A1?")
    answer = answer_on(sp, one, DAY, 4)
    sp.conn.execute("UPDATE card SET interval = 9 WHERE id = ?", (one,))
    with pytest.raises(StaleCardError) as stale:
        sp.repo.undo(answer)
    assert stale.value.args == (one,)
    assert sp.conn.execute("SELECT COUNT(*) FROM review").fetchone() == (1,)
    assert sp.repo.card(one).state.interval == 9


def test_undo_of_an_answer_already_undone_elsewhere_is_refused(sp: Studyplan) -> None:
    one = card_id(sp, "A1?")
    answer = answer_on(sp, one, DAY, 4)
    sp.conn.execute("DELETE FROM review WHERE id = ?", (answer.review_id,))
    with pytest.raises(StaleCardError) as stale:
        sp.repo.undo(answer)
    assert stale.value.args == (one,)
    assert sp.repo.card(one).state == answer.after


def test_undo_of_an_answer_to_a_deleted_card_is_refused(sp: Studyplan) -> None:
    one = card_id(sp, "A1?")
    answer = answer_on(sp, one, DAY, 4)
    sp.conn.execute("PRAGMA foreign_keys = OFF")
    sp.conn.execute("DELETE FROM card WHERE id = ?", (one,))
    with pytest.raises(StaleCardError):
        sp.repo.undo(answer)


@pytest.mark.parametrize("order", ["mixed", "deck"])
def test_new_cards_with_a_favoured_tag_come_first_in_every_order(sp: Studyplan, order: str) -> None:
    cards = sp.repo.new_cards(None, 9, ("hot",), today=DAY, order=order)
    fronts = [c.card.front for c in cards]
    assert fronts[:6] == [f"A{i}?" for i in range(0, 12, 2)]  # the hot ones, in file order
    assert len(fronts) == 9 and not set(fronts[6:]) & set(fronts[:6])
    alone = sp.repo.new_cards(deck_id(sp, "beta"), 3, ("hot",), today=DAY, order=order)
    assert [c.card.front for c in alone] == ["B0?", "B1?", "B2?"]  # no hot card in Beta


def test_one_card_asked_for_is_one_card_given(sp: Studyplan) -> None:
    sp.conn.execute("UPDATE card SET repetitions = 2, interval = 6, due = ? ", (DAY.isoformat(),))
    assert len(sp.repo.due_cards(DAY, None, 1)) == 1
    sp.conn.execute("UPDATE card SET repetitions = 0, interval = 0, due = NULL")
    assert len(sp.repo.new_cards(None, 1, today=DAY)) == 1
    assert sp.repo.new_cards(None, 0, today=DAY) == []


def test_an_unknown_new_card_order_is_refused_naming_the_known_ones(sp: Studyplan) -> None:
    with pytest.raises(ValueError) as refused:
        sp.repo.new_cards(None, 5, today=DAY, order="alphabetical")
    assert str(refused.value) == "new card order must be one of mixed, random, deck"


def test_a_new_card_buried_until_today_is_new_again_today(sp: Studyplan) -> None:
    sp.conn.execute("UPDATE card SET buried_until = ? WHERE front = 'B0?'", (DAY.isoformat(),))
    sp.conn.execute("UPDATE card SET buried_until = '2026-03-03' WHERE front = 'B1?'")
    rows = sp.repo.new_cards(deck_id(sp, "beta"), 3, today=DAY, order="deck")
    fronts = [c.card.front for c in rows]
    assert fronts == ["B0?", "B2?", "B3?"]


def test_a_stored_card_and_its_log_row_hold_what_was_answered(sp: Studyplan) -> None:
    one = card_id(sp, "A1?")
    sp.conn.execute(
        "UPDATE card SET repetitions = 2, interval = 6, due = '2026-02-27', kind = 'basic' "
        "WHERE id = ?",
        (one,),
    )
    card = sp.repo.card(one)
    assert (card.deck_name, card.front, card.back, card.kind) == ("Alpha", "A1?", "A", "basic")
    answer = answer_on(sp, one, DAY, 4)
    row = sp.conn.execute(
        "SELECT days_late, after_due, practice, is_drill FROM review WHERE id = ?",
        (answer.review_id,),
    ).fetchone()
    assert row == (3, answer.after.due.isoformat(), 0, 0)
    new = answer_on(sp, card_id(sp, "A2?"), DAY, 4)
    assert sp.conn.execute(
        "SELECT days_late FROM review WHERE id = ?", (new.review_id,)
    ).fetchone() == (0,)
    assert new.review_id == answer.review_id + 1


def test_cards_are_read_in_chunks_and_in_the_order_asked(sp: Studyplan) -> None:
    ids = [i for (i,) in sp.conn.execute("SELECT id FROM card ORDER BY id DESC")]
    asked = ids * 30  # 720 ids, past one chunk of 500
    cards = sp.repo.cards(asked)
    assert [c.id for c in cards] == asked
