"""The browser's search language: what it reads, and one sentence for what it cannot."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.cards.query import All, Either, Not, QueryError, Term, parse_query
from studyplan.core.text import fold


def test_free_words_are_folded_and_all_must_match() -> None:
    assert parse_query("Élan  Vital") == All((Term("text", "elan"), Term("text", "vital")))


def test_a_quoted_phrase_is_one_term() -> None:
    assert parse_query('"Gradient  Descent"') == Term("text", "gradient  descent")


def test_fields_read_their_values() -> None:
    assert parse_query("deck:Algèbre") == Term("deck", "algebre")
    assert parse_query("tag:ML-*") == Term("tag", "ml-*")
    assert parse_query("is:Due") == Term("is", "due")
    assert parse_query("flag:red") == Term("flag", 1)
    assert parse_query("flag:none") == Term("flag", 0)
    assert parse_query("due:today") == Term("due", 0, "<=")
    assert parse_query("due:<7") == Term("due", 7, "<")
    assert parse_query("ivl:>30") == Term("ivl", 30, ">")
    assert parse_query("lapses:>=3") == Term("lapses", 3, ">=")
    assert parse_query("ease:<2.0") == Term("ease", 2.0, "<")
    assert parse_query("answered:7") == Term("answered", 7)
    assert parse_query('deck:"linear algebra"') == Term("deck", "linear algebra")


def test_not_or_and_brackets() -> None:
    assert parse_query("-tag:ml") == Not(Term("tag", "ml"))
    assert parse_query("a or b c") == Either(
        (Term("text", "a"), All((Term("text", "b"), Term("text", "c"))))
    )
    assert parse_query("(a or b) c") == All(
        (Either((Term("text", "a"), Term("text", "b"))), Term("text", "c"))
    )
    assert parse_query("-(a or b)") == Not(Either((Term("text", "a"), Term("text", "b"))))
    assert parse_query("") == All(())
    assert parse_query("   ") == All(())


@pytest.mark.parametrize(
    ("query", "column", "words"),
    [
        ('"open', 1, "never closed"),
        ("(a", 1, "never closed"),
        ("a )", 3, "closes nothing"),
        ("or a", 1, '"or" needs a term'),
        ("a or", 3, '"or" needs a term'),
        ("colour:red", 1, "no search field 'colour'"),
        ("is:sleepy", 4, "not a state"),
        ("ivl:>x", 5, "not a comparison"),
        ("lapses:2.5", 8, "not a comparison"),
        ("flag:pink", 6, "not a flag"),
        ("deck:", 6, "needs a value"),
        ("answered:>3", 10, "number of days"),
        ("tag:a/b", 5, "is not a tag"),
    ],
)
def test_a_query_that_cannot_be_read_says_where(query: str, column: int, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    message = str(caught.value)
    assert words in message
    assert message.endswith(f"(at column {column})")
    assert "\n" not in message


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab :-()"<>=.*0123456789isdeckflagtueor\x1bé')), max_size=40
    )
)
def test_any_string_is_a_query_or_one_sentence(text: str) -> None:
    try:
        parse_query(text)
    except QueryError as err:
        assert str(err) and "\n" not in str(err)
        assert 0 <= err.position <= len(text)


def test_deep_brackets_are_refused_not_a_crash() -> None:
    with pytest.raises(QueryError, match="nested too deeply"):
        parse_query("(" * 100 + "a" + ")" * 100)


def test_a_huge_query_is_refused_not_a_crash() -> None:
    with pytest.raises(QueryError, match="at most 1000 terms"):
        parse_query("a " * 5000)


def test_fold_drops_case_and_accents() -> None:
    assert fold("Ünïcödé Straße") == "unicode strasse"
    assert fold("ABC") == "abc"
