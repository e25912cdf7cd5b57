"""Every card's folded text in memory: the cards that hold a word, or lack it, in id order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studyplan.core.cards.texts import CardTexts


def test_the_cards_that_hold_a_word_and_those_that_lack_it() -> None:
    texts = CardTexts([(3, "a cat"), (7, "dog"), (9, "catalan\nx"), (12, "")])
    assert len(texts) == 4
    assert texts.holding("cat") == [3, 9]
    assert texts.lacking("cat") == [7, 12]
    assert texts.holding("a") == [3, 9]
    assert texts.holding("n\nx") == [9]  # front and back are one text, joined by a line
    assert texts.holding("zz") == []
    assert texts.lacking("") == []  # every text holds the empty word


def test_at_most_gives_the_first_cards_in_id_order() -> None:
    texts = CardTexts([(n, "ab" if n % 2 else "b") for n in range(1, 11)])
    assert texts.holding("a", at_most=2) == [1, 3]
    assert texts.lacking("a", at_most=3) == [2, 4, 6]
    assert texts.holding("a", at_most=100) == [1, 3, 5, 7, 9]


@given(
    st.lists(st.text(alphabet="abé\n", max_size=6), max_size=8),
    st.text(alphabet="abé\n", min_size=1, max_size=2),
)
def test_holding_and_lacking_split_the_cards_as_a_substring_test_does(
    texts: list[str], word: str
) -> None:
    held = CardTexts(enumerate(texts, start=1))
    assert held.holding(word) == [n for n, t in enumerate(texts, start=1) if word in t]
    assert held.lacking(word) == [n for n, t in enumerate(texts, start=1) if word not in t]
