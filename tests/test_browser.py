"""The card browser's service over a real store: what each query finds, what each card
action does (and undoes), leeches, custom study, more new cards, reverse cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyplan.browser import Browser, EditRefused
from studyplan.core.cards.query import QueryError, Term
from studyplan.service import Studyplan
from tests.helpers import FakeClock, undo_schema_10

DECK = """+++
name = "Café maths"
id = "cafe"
+++

## What is the derivative of sin x? {#sin}
tags: calculus

cos x, as the Élan of a wave.

## What is the rank of a matrix? {#rank}
tags: linear-algebra

The number of linearly independent columns.

## What is an eigenvector? {#eig}
tags: linear-algebra

A vector that a matrix only scales.

## Capital of France {#paris .reverse}

Paris
"""
OTHER = """+++
name = "Algorithms"
id = "algo"
reverse = true
+++

## Binary search costs {#bs}
tags: searching

O(log n)
"""


def learner(tmp_path: Path, clock: FakeClock | None = None, **settings: object) -> Studyplan:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "cafe.md").write_text(DECK, encoding="utf-8")
    (decks / "algo.md").write_text(OTHER, encoding="utf-8")
    sp = Studyplan(
        tmp_path / "sp.db", tmp_path / "c.toml", clock=clock or FakeClock(), bundled_decks=decks
    )
    if settings:
        sp.change_settings(**settings)
    assert sp.sync_decks().errors == []
    return sp


def keys(browser: Browser, query: str) -> list[str]:
    return [row.key for row in browser.rows(browser.search(query))]


def card_id(sp: Studyplan, key: str) -> int:
    return sp.conn.execute("SELECT id FROM card WHERE key = ?", (key,)).fetchone()[0]


def answer(sp: Studyplan, key: str, grade: int) -> None:
    """Answer one card as a session does (its own session, so any card can be picked)."""
    session = sp.start_review(monotonic=lambda: 0.0, practice=None)
    while session.current is not None and session.current.key != key:
        session.queue = session.queue[1:]
    assert session.current is not None, f"{key} is not in today's queue"
    session.answer(grade)


def test_reverse_cards_come_from_the_deck_option_and_the_heading_marker(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    b = Browser(sp)
    assert sorted(keys(b, "")) == ["bs", "bs#r", "eig", "paris", "paris#r", "rank", "sin"]
    twin = b.detail(card_id(sp, "paris#r"))
    assert (twin.front, twin.back, twin.kind) == ("Paris", "Capital of France", "reverse")


def test_words_match_front_and_back_whatever_the_case_and_accents(tmp_path: Path) -> None:
    b = Browser(learner(tmp_path))
    assert keys(b, "ELAN") == ["sin"]
    assert keys(b, "élan cos") == ["sin"]
    assert keys(b, "elan matrix") == []
    assert sorted(keys(b, "matrix")) == ["eig", "rank"]
    assert keys(b, '"only scales"') == ["eig"]
    assert keys(b, "deck:cafe -tag:linear-algebra") == ["sin", "paris", "paris#r"]
    assert keys(b, "deck:CAFÉ tag:linear*") == ["rank", "eig"]
    assert sorted(keys(b, "tag:calculus or tag:searching")) == ["bs", "bs#r", "sin"]
    assert keys(b, "deck:nothing") == []


def test_states_and_comparisons(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = learner(tmp_path, clock)
    b = Browser(sp)
    answer(sp, "sin", 4)  # due tomorrow, interval 1
    answer(sp, "rank", 1)  # failed: due tomorrow, one lapse? no: a new card has none yet
    assert sorted(keys(b, "is:learning")) == ["rank", "sin"]
    assert "sin" not in keys(b, "is:new")
    assert keys(b, "is:due") == []
    assert sorted(keys(b, "due:1")) == ["rank", "sin"]
    assert sorted(keys(b, "due:<2")) == ["rank", "sin"]
    assert keys(b, "ivl:>1") == []
    assert sorted(keys(b, "answered:1")) == ["rank", "sin"]
    assert keys(b, "ease:<2.0") == ["rank"]  # 2.5 - 0.8 + ... after a 1: well below 2
    clock.advance(days=3)
    assert sorted(keys(b, "is:due")) == ["rank", "sin"]
    assert sorted(keys(b, "due:today")) == ["rank", "sin"]
    assert keys(b, "answered:3") == []
    assert sorted(keys(b, "answered:4")) == ["rank", "sin"]


def test_a_bad_query_is_one_sentence(tmp_path: Path) -> None:
    b = Browser(learner(tmp_path))
    with pytest.raises(QueryError, match=r"is:later is not a state .*\(at column 4\)"):
        b.search("is:later")


def test_suspended_and_buried_cards_never_enter_a_queue(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = learner(tmp_path, clock, bury_siblings=False)
    b = Browser(sp)
    b.act([card_id(sp, "sin")], "suspend")
    b.act([card_id(sp, "rank")], "bury")
    queued = {q.card.key for q in sp.start_review(monotonic=lambda: 0.0).queue}
    assert "sin" not in queued and "rank" not in queued and "eig" in queued
    clock.advance(days=1)  # the bury lasts one study day; the suspension until lifted
    queued = {q.card.key for q in sp.start_review(monotonic=lambda: 0.0).queue}
    assert "rank" in queued and "sin" not in queued
    b.act([card_id(sp, "sin")], "unsuspend")
    assert "sin" in {q.card.key for q in sp.start_review(monotonic=lambda: 0.0).queue}


def test_a_suspended_due_card_and_a_failed_one_stay_out(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = learner(tmp_path, clock, bury_siblings=False)
    answer(sp, "sin", 1)  # failed today: a drill is pending
    b = Browser(sp)
    b.act([card_id(sp, "sin")], "suspend")
    assert "sin" not in {q.card.key for q in sp.start_review(monotonic=lambda: 0.0).queue}
    clock.advance(days=2)  # and due
    assert "sin" not in {q.card.key for q in sp.start_review(monotonic=lambda: 0.0).queue}


def test_each_action_is_undone_as_one_batch(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    b = Browser(sp)
    ids = b.search("deck:cafe")
    assert b.act(ids, "flag", flag=2) == len(ids)
    assert sorted(keys(b, "flag:orange")) == sorted(keys(b, "deck:cafe"))
    assert b.act(ids[:2], "suspend") == 2
    assert b.undo() == "Undone: 2 cards suspended."
    assert keys(b, "is:suspended") == []
    assert keys(b, "is:flagged") != []
    assert b.undo() == f"Undone: {len(ids)} cards flagged."
    assert keys(b, "is:flagged") == []
    assert b.undo() is None
    logged = sp.conn.execute("SELECT COUNT(*), SUM(undone) FROM card_action").fetchone()
    assert logged == (len(ids) + 2, len(ids) + 2)  # each change stays in the log


def test_reset_makes_a_card_new_and_keeps_its_history(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    answer(sp, "sin", 5)
    b = Browser(sp)
    sin = card_id(sp, "sin")
    b.act([sin], "reset")
    detail = b.detail(sin)
    assert detail.state.due is None and detail.state.repetitions == 0
    assert len(detail.history) == 1 and detail.history[0].grade == 5
    assert "sin" in keys(b, "is:new")
    b.undo()
    assert b.detail(sin).state.due is not None


def test_a_card_lapsing_leech_lapses_times_is_tagged_and_suspended(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = learner(tmp_path, clock, leech_lapses=2, bury_siblings=False)
    b = Browser(sp)
    sin = card_id(sp, "sin")
    leech_days = []
    for day in range(40):
        session = sp.start_review(monotonic=lambda: 0.0)
        while session.current is not None:
            card = session.current
            grade = 4 if card.key != "sin" or card.state.due is None else 1
            if card.key == "sin" and session.queue[0].reason == "again":
                grade = 4  # the drill
            session.answer(grade)
            if session.leech is not None:
                leech_days.append(day)
                assert session.leech.id == sin
        clock.advance(days=1)
        if b.detail(sin).suspended:
            break
    detail = b.detail(sin)
    assert detail.leech and detail.suspended and detail.state.lapses == 2
    assert len(leech_days) == 1
    assert keys(b, "is:leech") == ["sin"] and keys(b, "tag:leech") == ["sin"]


def test_tag_only_leeches_stay_in_the_queue(tmp_path: Path) -> None:
    sp = learner(tmp_path, leech_lapses=1, leech_action="tag", bury_siblings=False)
    answer(sp, "sin", 4)
    sp.clock.advance(days=1)  # type: ignore[attr-defined]
    session = sp.start_review(monotonic=lambda: 0.0)
    while session.current is not None and session.current.key != "sin":
        session.queue = session.queue[1:]
    session.answer(1)
    assert session.leech is not None
    assert [q.reason for q in session.queue if q.card.key == "sin"] == ["again"]
    assert not Browser(sp).detail(session.leech.id).suspended
    session.undo()  # the answer and its leech mark go together
    assert not Browser(sp).detail(card_id(sp, "sin")).leech


def test_practice_answers_are_logged_and_change_no_schedule(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = learner(tmp_path, clock)
    answer(sp, "sin", 5)
    b = Browser(sp)
    before = {k: b.detail(card_id(sp, k)).state for k in ("sin", "rank")}
    session = sp.start_review(monotonic=lambda: 0.0, practice=b.search("deck:cafe"))
    assert session.practice and {q.reason for q in session.queue} == {"practice"}
    answered = 0
    while session.current is not None and answered < 20:
        session.answer(5 if answered % 2 else 1)
        answered += 1
    assert {k: b.detail(card_id(sp, k)).state for k in ("sin", "rank")} == before
    rows = sp.conn.execute(
        "SELECT COUNT(*), MIN(practice), MIN(is_drill) FROM review WHERE practice = 1"
    ).fetchone()
    assert rows == (answered, 1, 1)
    # Practice does not use up today's new cards or reviews.
    assert sp.repo.done_today(sp.today()) == (0, 1)


def test_more_new_cards_today_raise_the_limit_once(tmp_path: Path) -> None:
    clock = FakeClock()
    sp = learner(tmp_path, clock, new_per_day=1, bury_siblings=False)
    assert sp.start_review(monotonic=lambda: 0.0).counts()["new"] == 1
    Browser(sp).more_new(2)
    assert sp.start_review(monotonic=lambda: 0.0).counts()["new"] == 3
    clock.advance(days=1)
    assert sp.start_review(monotonic=lambda: 0.0).counts()["new"] == 1
    assert sp.settings.new_per_day == 1


def test_reverse_siblings_bury_each_other(tmp_path: Path) -> None:
    sp = learner(tmp_path, new_per_day=50)
    session = sp.start_review(monotonic=lambda: 0.0)
    queued = [q.card.key for q in session.queue]
    assert ("paris" in queued) != ("paris#r" in queued)


def test_bundled_cards_are_not_edited_in_place(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    b = Browser(sp)
    with pytest.raises(EditRefused, match="suspend it"):
        b.edit_target(b.detail(card_id(sp, "sin")))


def test_an_own_card_opens_the_editor_at_its_line(tmp_path: Path, monkeypatch) -> None:
    sp = learner(tmp_path)
    own = tmp_path / "own.md"
    own.write_text('+++\nname = "Own"\n+++\n\n## Front? {#f}\n\nBack\n', encoding="utf-8")
    assert sp.import_path(own).errors == []
    b = Browser(sp)
    monkeypatch.setenv("VISUAL", "vim -u NONE")
    target = b.edit_target(b.detail(card_id(sp, "f")))
    assert target.command == ["vim", "-u", "NONE", "+5", str(own)]


def test_saved_searches_are_kept_by_name(tmp_path: Path) -> None:
    b = Browser(learner(tmp_path))
    b.save("failing", "lapses:>=3")
    b.save("maths", "deck:cafe")
    b.save("failing", "lapses:>=4")
    assert b.saved() == [("failing", "lapses:>=4"), ("maths", "deck:cafe")]
    with pytest.raises(QueryError):
        b.save("bad", "is:nope")
    b.forget("maths")
    assert b.saved() == [("failing", "lapses:>=4")]


def test_retired_cards_are_found_only_when_asked(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    path = tmp_path / "decks" / "cafe.md"
    path.write_text(
        DECK.replace("## What is an eigenvector? {#eig}", "## Gone? {#gone}"), encoding="utf-8"
    )
    assert sp.sync_decks().errors == []
    b = Browser(sp)
    assert "eig" not in keys(b, "")
    assert keys(b, "is:retired") == ["eig"]


def test_cards_stored_before_search_existed_are_folded_once(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    sp.conn.execute("UPDATE card SET search = NULL")
    assert keys(Browser(sp), "ÉLAN") == ["sin"]
    assert sp.conn.execute("SELECT COUNT(*) FROM card WHERE search IS NULL").fetchone()[0] == 0


def test_the_word_index_follows_every_edit_of_a_deck(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    b = Browser(sp)
    assert keys(b, "scales") == ["eig"]  # three characters or more: through the index
    path = tmp_path / "decks" / "cafe.md"
    path.write_text(
        DECK.replace("A vector that a matrix only scales.", "A vector a matrix stretches.").replace(
            "## What is the rank of a matrix? {#rank}", "## Gone? {#gone}"
        ),
        encoding="utf-8",
    )
    assert sp.sync_decks().errors == []
    assert keys(b, "scales") == []
    assert keys(b, "stretches") == ["eig"]
    assert keys(b, "gone") == ["gone"]  # a new card, under the old one's back
    assert keys(b, "independent") == ["gone"]
    assert keys(b, "is:retired independent") == ["rank"]  # the old card, retired


def test_a_limited_search_is_the_head_of_the_whole_list(tmp_path: Path) -> None:
    b = Browser(learner(tmp_path))
    for sort in ("added", "deck", "front", "due", "lapses"):
        for descending in (False, True):
            whole = b.search("", sort, descending)
            assert len(whole) == 7
            assert b.search("", sort, descending, limit=3) == whole[:3]
            assert b.search("-tag:calculus", sort, descending, limit=100) == b.search(
                "-tag:calculus", sort, descending
            )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(st.text(alphabet='abcé "É1\n', min_size=0, max_size=12), min_size=4, max_size=4),
    word=st.text(alphabet='abcé "É1', min_size=1, max_size=5),
)
def test_indexed_words_find_what_a_scan_finds(tmp_path_factory, texts, word) -> None:
    """The trigram index and a plain substring scan agree on every word, short or long,
    quoted, accented or not."""
    from studyplan.core.text import fold

    sp = _TEXT_LEARNER.get("sp")
    if sp is None:
        sp = _TEXT_LEARNER["sp"] = learner(tmp_path_factory.mktemp("words"))
    ids = [row[0] for row in sp.conn.execute("SELECT id FROM card ORDER BY id LIMIT 4")]
    for card, text in zip(ids, texts, strict=True):
        sp.conn.execute(
            "UPDATE card SET front = ?, back = '', search = ? WHERE id = ?",
            (text, fold(text), card),
        )
    query = '"' + word.replace('"', "") + '"' if word.replace('"', "").strip() else ""
    indexed = Browser(sp)
    scanned = Browser(sp)
    scanned.repo._indexed = False
    held = Browser(sp)  # a screenful: each card's text tested in a copy held in memory
    held.search("")
    hold_copy(held, sp, "added")
    found = indexed.search(query)
    assert found == scanned.search(query)
    for shape in ("{}", "-{}", "{} or tag:calculus", "-({} or is:new)", "is:new -{}"):
        whole = scanned.search(shape.format(query) if query else "")
        assert held.search(shape.format(query) if query else "") == whole, shape
        assert held.search(shape.format(query) if query else "", limit=2) == whole[:2], shape
    assert held.holds_sorted_copy("added")
    held.drop_sorted_copy()  # the connection lives on, with a limit of attached schemas
    term = indexed.parse(query)
    if isinstance(term, Term):  # one word: exactly the cards whose folded text holds it
        stored = sp.conn.execute("SELECT id, search FROM card WHERE active = 1 ORDER BY id")
        assert found == [card for card, text in stored if str(term.value) in text]


_TEXT_LEARNER: dict[str, Studyplan] = {}


def test_an_upgrade_to_schema_9_indexes_the_words_already_folded(tmp_path: Path) -> None:
    from studyplan.store.migrations import SCHEMA_VERSION

    assert SCHEMA_VERSION >= 9
    sp = learner(tmp_path)
    undo_schema_10(sp)
    for name in ("card_text_insert", "card_text_delete", "card_text_update"):
        sp.conn.execute(f"DROP TRIGGER {name}")
    sp.conn.execute("DROP TABLE card_text")
    # As schema 8 left it: no index; search filled, but not for cards stored before it.
    sp.conn.execute("UPDATE card SET search = NULL WHERE key IN ('eig', 'rank')")
    sp.conn.execute("PRAGMA user_version = 8")
    sp.close()
    again = Studyplan(sp.db_path, sp.config_path, clock=FakeClock(), bundled_decks=sp.bundled_decks)
    missing = again.conn.execute("SELECT COUNT(*) FROM card WHERE search IS NULL").fetchone()
    assert missing == (0,)  # folded by the upgrade itself, before the index was built
    b = Browser(again)
    assert b.repo._has_index()
    assert keys(b, "only scales") == ["eig"]
    matched = again.conn.execute(
        "SELECT rowid FROM card_text WHERE card_text MATCH '\"scales\"'"
    ).fetchall()
    assert matched == [(card_id(again, "eig"),)]


PLAN_QUERIES = [
    "matrix", "the matrix", "matrix -only", "tag:linear* or scales", "deck:cafe vector",
    "-vector", '"only scales" or binary', "the of", "is:new the", "tag:linear-algebra the",
    "a", "-a", "x", "-x", "of", "-of", "é", "is:new -o", "s or tag:calculus", "-(co or x)",
    "answered:7", "answered:7 -x", "answered:7 or a", "tag:linear* co", "-a -x",
    "deck:cafe answered:7", "-answered:7", "deck:cafe or deck:algo", "deck:algo",
]  # fmt: skip
"""Queries that take every plan a search may take (a set of cards that leads, a word in
the index or in each card's text, a card list tested card by card)."""


@pytest.mark.parametrize("copied", [False, True])
@pytest.mark.parametrize("lead_at_most", [1, 2, 10**6])
def test_each_plan_of_a_search_finds_the_same_cards(
    tmp_path: Path, monkeypatch, lead_at_most: int, copied: bool
) -> None:
    """Sets of cards lead a search or are tested card by card, common words are looked
    for in the text, depending on how many cards a set holds, and a screenful may come
    from a copy of the cards held in the sort's order: the cards found, and their order,
    never depend on it."""
    from studyplan.store import browse_repo

    sp = learner(tmp_path)
    answer(sp, "sin", 4)
    answer(sp, "bs", 2)
    b = Browser(sp)
    queries = PLAN_QUERIES
    expected = {q: b.search(q) for q in queries}
    assert expected["the matrix"] and expected["tag:linear* or scales"]
    assert expected["answered:7"] and expected["x"] and expected["-x"]
    monkeypatch.setattr(browse_repo, "LEAD_AT_MOST", lead_at_most)
    for sort, descending in (
        ("added", False),
        ("added", True),
        ("front", False),
        ("answered", False),
        ("answered", True),
        ("deck", True),
    ):
        if copied:
            hold_copy(b, sp, sort)
        for q in queries:
            whole = b.search(q, sort, descending)
            assert sorted(whole) == sorted(expected[q]), q
            for limit in (1, 2, 50):
                assert b.search(q, sort, descending, limit=limit) == whole[:limit], (
                    q,
                    sort,
                    limit,
                )
        assert b.holds_sorted_copy(sort) == copied


COPIED = ("added", "deck", "front", "due", "interval", "ease", "lapses", "answered")


def hold_copy(b: Browser, sp: Studyplan, sort: str) -> None:
    """Hold the cards copied in ``sort``'s order, read on a connection of their own (as
    the browser's worker reads them)."""
    mark = b.text_mark()
    other = sp.another()
    try:
        copy = Browser(other).read_sorted_copy(sort)
    finally:
        other.close()
    b.hold_sorted_copy(sort, copy, mark)
    assert b.holds_sorted_copy(sort)


@pytest.mark.parametrize("lead_at_most", [1, 10**6])
def test_the_first_screenful_from_a_sorted_copy_is_the_card_tables(
    tmp_path: Path, monkeypatch, lead_at_most: int
) -> None:
    """Sorted by a column no index serves, a search's head is read from a copy of the cards
    held in that order: the same cards, in the same order (ties by when they were added),
    both ways, whatever leads the search, retired and suspended cards included."""
    from studyplan.store import browse_repo

    sp = learner(tmp_path)
    answer(sp, "sin", 4)
    answer(sp, "bs", 2)
    answer(sp, "rank", 1)
    table = Browser(sp)
    table.act([card_id(sp, "eig")], "suspend")
    table.act([card_id(sp, "rank")], "flag", 2)
    (tmp_path / "decks" / "algo.md").write_text(OTHER.replace("{#bs}", "{#bs2}"), "utf-8")
    assert sp.sync_decks().errors == []  # bs retired, bs2 new
    monkeypatch.setattr(browse_repo, "LEAD_AT_MOST", lead_at_most)
    queries = [*PLAN_QUERIES, "", "is:retired", "is:retired or a", "is:suspended", "flag:2"]
    copied = Browser(sp)
    for sort in COPIED:
        hold_copy(copied, sp, sort)
        for query in queries:
            for descending in (False, True):
                whole = table.search(query, sort, descending)
                for limit in (1, 2, 50):
                    found = copied.search(query, sort, descending, limit=limit)
                    assert found == whole[:limit], (sort, descending, query, limit)
        assert copied.holds_sorted_copy(sort)
        assert not table.holds_sorted_copy(sort)
    assert len(table.search("is:retired")) == 2  # bs and its reverse card


COPY_QUERIES = [
    "", "a", "-a", "apple", "is:new", "-is:new", "flag:1 or b", "lapses:>=1", "ease:<2.0",
    "is:suspended or apple", "deck:cafe", "-deck:cafe pie", "ivl:>1", "due:<2",
]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cards=st.lists(
        st.tuples(
            st.sampled_from(["apple", "Apple", "banana", "apple pie", "Éclair", "b"]),
            st.one_of(st.none(), st.integers(0, 3)),  # due in days (None: new)
            st.integers(0, 3),  # interval
            st.sampled_from([1300, 2500, 2500, 2600]),  # ease
            st.integers(0, 2),  # lapses
            st.integers(0, 2),  # flag
            st.booleans(),  # suspended
            st.integers(0, 1),  # deck
        ),
        min_size=7,
        max_size=7,
    ),
    query=st.sampled_from(COPY_QUERIES),
)
def test_a_sorted_copy_agrees_with_the_card_table_on_any_cards(
    tmp_path_factory, cards, query
) -> None:
    """Any fronts, schedules, flags and decks, with ties in every column: the head read
    from the copy is the head of the card table's sorted list, both ways."""
    from studyplan.core.text import fold

    sp = _COPY_LEARNER.get("sp")
    if sp is None:
        sp = _COPY_LEARNER["sp"] = learner(tmp_path_factory.mktemp("copy"))
    ids = [row[0] for row in sp.conn.execute("SELECT id FROM card ORDER BY id")]
    decks = [row[0] for row in sp.conn.execute("SELECT id FROM deck ORDER BY key")]
    for card, (front, due, interval, ease, lapses, flag, suspended, deck) in zip(
        ids, cards, strict=True
    ):
        day = None if due is None else f"2026-06-0{due + 1}"
        sp.conn.execute(
            "UPDATE card SET front = ?, search = ?, due = ?, interval = ?, ef_permille = ?, "
            "lapses = ?, flag = ?, suspended = ?, deck_id = ?, repetitions = 2 WHERE id = ?",
            (front, fold(front), day, interval, ease, lapses, flag, suspended, decks[deck], card),
        )
    table, copied = Browser(sp), Browser(sp)
    for sort in COPIED:
        hold_copy(copied, sp, sort)
        for descending in (False, True):
            whole = table.search(query, sort, descending)
            for limit in (1, 3):
                assert copied.search(query, sort, descending, limit=limit) == whole[:limit]
    copied.drop_sorted_copy()


_COPY_LEARNER: dict[str, Studyplan] = {}


def test_a_sorted_copy_is_dropped_when_a_card_may_have_changed(tmp_path: Path) -> None:
    """The copy is used only while nothing was written since it was read: a card action,
    a deck edit or another connection's commit drops it (and its schema), and the next
    search reads the card table, with the change."""
    sp = learner(tmp_path)
    b = Browser(sp)

    def attached() -> bool:
        return any(
            row[1].startswith("browse_sorted") for row in sp.conn.execute("PRAGMA database_list")
        )

    def from_copy(sort: str) -> bool:
        """A limited search sorted by ``sort`` reads the copy, not the card table."""
        read: list[str] = []
        sp.conn.set_trace_callback(read.append)
        try:
            b.search("a", sort, limit=3)
        finally:
            sp.conn.set_trace_callback(None)
        return any(".sorted AS card" in sql for sql in read)

    assert not from_copy("lapses")
    hold_copy(b, sp, "lapses")
    assert attached() and not b.holds_sorted_copy("front")
    assert from_copy("lapses") and not from_copy("front")
    assert keys(b, "is:suspended") == []
    b.act([card_id(sp, "rank")], "suspend")  # written on the browser's own connection
    assert not b.holds_sorted_copy("lapses") and not attached() and not from_copy("lapses")
    assert b.search("is:suspended", "lapses", limit=5) == [card_id(sp, "rank")]
    hold_copy(b, sp, "lapses")
    other = sp.another()
    other.conn.execute("UPDATE card SET lapses = 9 WHERE key = 'sin'")  # another connection
    assert b.search("", "lapses", True, limit=1) == [card_id(sp, "sin")]
    assert not b.holds_sorted_copy("lapses")
    other.close()
    hold_copy(b, sp, "front")
    path = tmp_path / "decks" / "cafe.md"
    path.write_text(DECK.replace("Capital of France", "Aardvark capital"), encoding="utf-8")
    assert sp.sync_decks().errors == []
    assert not b.holds_sorted_copy("front")
    assert b.search("", "front", limit=1) == [card_id(sp, "paris")]
    hold_copy(b, sp, "front")
    b.drop_sorted_copy()
    assert not attached() and not b.holds_sorted_copy("front")
    stale = b.text_mark()
    b.act([card_id(sp, "rank")], "unsuspend")
    other = sp.another()
    copy = Browser(other).read_sorted_copy("front")
    other.close()
    b.hold_sorted_copy("front", copy, stale)  # read for a mark that is gone: not held
    assert not b.holds_sorted_copy("front") and not attached()


def test_no_copy_while_texts_are_not_folded(tmp_path: Path) -> None:
    sp = learner(tmp_path)
    b = Browser(sp)
    assert b.read_sorted_copy("front") is not None
    sp.conn.execute("UPDATE card SET search = NULL WHERE key = 'eig'")
    assert b.read_sorted_copy("front") is None
