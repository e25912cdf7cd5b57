"""The deck format of docs/deck-format.md, as a learner writes it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.cards.deck import Card, parse_deck
from studyplan.core.errors import SourceError

HEAD = '+++\nname = "Demo"\ntags = ["math"]\n+++\n'


def deck(body: str):
    return parse_deck(HEAD + body, "demo.md")


def test_each_level_two_heading_is_a_card_with_its_section_as_back() -> None:
    d = deck(
        "\nIntro, not a card.\n\n## What is 2+2?\n\nFour.\n\n### Why\n\nCounting.\n\n## Next?\nYes.\n"
    )
    assert d.name == "Demo"
    assert [c.front for c in d.cards] == ["What is 2+2?", "Next?"]
    assert d.cards[0].back == "Four.\n\n### Why\n\nCounting."
    assert d.cards[0].line == 8


def test_front_matter_gives_name_id_description_and_tags() -> None:
    d = parse_deck(
        '+++\nid = "la"\nname = "Linear algebra"\ndescription = "Maps"\ntags = ["linear-algebra"]\n+++\n'
        "## Q\nA\n",
        "x.md",
    )
    assert (d.key, d.name, d.description, d.tags) == (
        "la",
        "Linear algebra",
        "Maps",
        ("linear-algebra",),
    )
    assert d.cards[0].tags == ("linear-algebra",)


def test_the_deck_key_defaults_to_the_path_given() -> None:
    assert parse_deck(HEAD + "## Q\nA\n", "x.md", default_key="/abs/x.md").key == "/abs/x.md"


def test_a_tags_line_adds_card_tags_after_the_deck_tags() -> None:
    card = deck("## Q\ntags: calculus, chain-rule calculus\n\nA\n").cards[0]
    assert card.tags == ("math", "calculus", "chain-rule")
    assert card.back == "A"


def test_a_card_without_a_tags_line_has_the_deck_tags_once_each() -> None:
    text = '+++\nname = "D"\ntags = ["a", "b", "a"]\n+++\n## Q\nA\n\n## R\ntags: c a\n\nB\n'
    q, r = parse_deck(text, "d.md").cards
    assert (q.tags, r.tags) == (("a", "b"), ("a", "b", "c"))


def test_cloze_marks_in_a_headings_code_or_formula_are_text() -> None:
    cards = deck("## Why `{{c1::x}}` and ${{c1::y}}$?\nA\n").cards
    assert [(c.front, c.kind) for c in cards] == [("Why `{{c1::x}}` and ${{c1::y}}$?", "basic")]


def test_an_explicit_id_is_the_card_key_and_is_not_shown() -> None:
    card = deck("## What is rank? {#la-rank}\nA\n").cards[0]
    assert (card.key, card.front) == ("la-rank", "What is rank?")


def test_without_an_id_the_key_follows_the_normalised_front_not_the_back() -> None:
    a = deck("## What   is rank?\nOld answer\n").cards[0]
    b = deck("## What is rank?\nNew answer\n").cards[0]
    c = deck("## What is a rank?\nOld answer\n").cards[0]
    assert a.key == b.key != c.key


# A card without an {#id} is known by a hash of its whole front (heading and any
# front text above a ---), whitespace runs made one space. These keys are in every
# learner's database: if one changes, every such card loses its history on upgrade.
GOLDEN_KEYS = [
    ("plain", "## What is the rank of a matrix?\n\nThe dimension of its column space.\n",
     ["h:e164620c08dbb5b3"]),
    ("whitespace", "## What   is the rank\tof a matrix?\n\nThe dimension of its column space.\n",
     ["h:e164620c08dbb5b3"]),
    ("code", "## What does this print?\n\n```python\nprint(sum(range(4)))\n```\n\n---\n\n`6`\n",
     ["h:182ebef25eec7201"]),
    ("math", "## What is $\\frac{d}{dx} e^{x}$?\n\n$e^{x}$\n", ["h:478a841ab942cc61"]),
    ("cloze", "## Softmax\n\nSoftmax turns {{c1::logits}} into {{c2::probabilities::a distribution}}.\n",
     ["h:06a2c3db74f0f435#c1", "h:06a2c3db74f0f435#c2"]),
    ("reverse", "## Gradient {.reverse}\n\nThe vector of partial derivatives.\n",
     ["h:36463cf8381e6e97", "h:36463cf8381e6e97#r"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "keys"), [c[1:] for c in GOLDEN_KEYS], ids=[c[0] for c in GOLDEN_KEYS]
)
def test_a_card_key_never_changes_for_a_known_front(body: str, keys: list[str]) -> None:
    assert [card.key for card in deck(body).cards] == keys


def test_the_key_hashes_the_front_text_under_the_heading_too() -> None:
    one = deck("## What prints?\n\n```python\nprint(1)\n```\n\n---\n\n`1`\n").cards[0]
    two = deck("## What prints?\n\n```python\nprint(2)\n```\n\n---\n\n`2`\n").cards[0]
    assert one.key != two.key


def test_a_thematic_break_moves_code_onto_the_front() -> None:
    d = deck("## What prints?\n\n```python\nprint(1)\n```\n\n---\n\n`1`\n")
    assert d.cards[0].front == "What prints?\n\n```python\nprint(1)\n```"
    assert d.cards[0].back == "`1`"


def test_card_syntax_inside_code_is_literal() -> None:
    body = "## Q {#q}\n\n```python\n## not a card {#x}\ns = '{{c1::no}}'\n```\n\nAnd `{{c1::no}}` and $\\{{c1::x}}$.\n"
    d = deck(body)
    assert len(d.cards) == 1
    assert d.cards[0].kind == "basic"
    assert "## not a card {#x}" in d.cards[0].back


def test_cloze_makes_one_card_per_number_with_hints() -> None:
    d = deck(
        "## Derivatives\nThe derivative of $\\sin x$ is {{c1::$\\cos x$}}; of $e^x$, {{c2::$e^x$::itself?}}.\n"
    )
    first, second = d.cards
    assert first.kind == second.kind == "cloze"
    assert first.key.endswith("#c1") and second.key.endswith("#c2")
    assert (
        first.front == "Derivatives\n\nThe derivative of $\\sin x$ is \\[...\\]; of $e^x$, $e^x$."
    )
    assert first.back == "The derivative of $\\sin x$ is **$\\cos x$**; of $e^x$, $e^x$."
    assert "\\[itself?\\]" in second.front


def test_one_number_may_hide_several_places() -> None:
    cards = deck("## T\n{{c1::a}} and {{c1::b}} then {{c2::c}}\n").cards
    assert len(cards) == 2
    assert cards[0].front == "T\n\n\\[...\\] and \\[...\\] then c"


def test_markup_in_a_card_is_kept_as_text() -> None:
    card = deck("## [bold]Hi[/bold] [@click=app.quit]x[/]\nA [red]b[/red]\n").cards[0]
    assert card.front == "[bold]Hi[/bold] [@click=app.quit]x[/]"
    assert card.back == "A [red]b[/red]"


BAD = [
    ("", 1, "the file is empty"),
    ("## Q\nA\n", 1, 'the file must start with front matter between "+++" lines (name = "My deck")'),
    ('+++\nname = "x"\n', 1, 'the front matter is never closed by a "+++" line'),
    ('+++\ntitle = "x"\n+++\n', 2,
     "unknown front-matter key 'title' (known: id, name, description, tags, reverse)"),
    ("+++\ntags = []\n+++\n", 2, 'the front matter needs a deck name (name = "My deck")'),
    ('+++\nreverse = "yes"\nname = "D"\n+++\n', 2,
     "reverse must be true or false, like reverse = true"),
    ('+++\nid = "  "\nname = "D"\n+++\n', 2, "the deck id must be a non-empty string"),
    ('+++\nid = 5\nname = "D"\n+++\n', 2, "the deck id must be a non-empty string"),
    ('+++\ndescription = 5\nname = "D"\n+++\n', 2, "the deck description must be a string"),
    ('+++\ntags = "algebra"\nname = "D"\n+++\n', 2,
     'deck tags must be a list of strings, like tags = ["algebra"]'),
    ('+++\ntags = ["algebra", 1]\nname = "D"\n+++\n', 2,
     'deck tags must be a list of strings, like tags = ["algebra"]'),
    ('+++\ntags = ["Algebra"]\nname = "D"\n+++\n', 2,
     "tag 'Algebra' must be lower-case words joined by hyphens, like 'linear-algebra'"),
    (HEAD + "## Q\n", 5, "this card has no answer under its heading"),
    (HEAD + "## {#a}\nA\n", 5, "this card's heading (its front) is empty"),
    (HEAD + "## Q {#a b}\nA\n", 5, "card id 'a b' may only hold letters, digits, - and _"),
    (HEAD + "## Q {.cloze}\nA\n", 5,
     "'.cloze' in the heading's braces is neither an id (#name) nor .reverse"),
    (HEAD + "## Q {#a}\nA\n## R {#a}\nB\n", 7,
     "this card has the same id or front as the card at line 5; "
     "give one of them its own {#id} or change its front"),
    (HEAD + "## Q\nA\n## Q\nB\n", 7,
     "this card has the same id or front as the card at line 5; "
     "give one of them its own {#id} or change its front"),
    (HEAD + "## Q\ntags: Bad_Tag\nA\n", 6,
     "tag 'Bad_Tag' must be lower-case words joined by hyphens, like 'linear-algebra'"),
    (HEAD + "## Q\nText\n---\nA\n", 7,
     'a "---" directly under a line of text makes that text a heading; '
     "leave a blank line above the ---"),
    (HEAD + "## Q\n{{c1::a}} {{c3::b}}\n", 5,
     "cloze numbers must start at 1 with no gaps; c2 is missing"),
    (HEAD + "## Q\n{{c1::a\n", 6, "a cloze deletion {{c1::...}} is not closed with }}"),
    (HEAD + "## Q\n\nOne line.\nAnd {{c1::a}}, then {{c2::b\n", 8,
     "a cloze deletion {{c1::...}} is not closed with }}"),
    (HEAD + "## Q\n\n{{c1::a {{c2::b}} c}}\n", 7,
     "a cloze deletion {{c1::...}} is not closed with }}"),
    (HEAD + "## Q\n\nFront.\n\n---\n\nBack.\n\nAnd {{c1::a\n", 13,
     "a cloze deletion {{c1::...}} is not closed with }}"),
    (HEAD + "## Q\ntags: x\n\n{{c1::a\n", 8, "a cloze deletion {{c1::...}} is not closed with }}"),
    (HEAD + "## Q\n\nFront.\n\n---\n\n\n\nAnd {{c1::a\n", 13,
     "a cloze deletion {{c1::...}} is not closed with }}"),
    (HEAD + "## Q\n\nOne line.\nAnd {{c1::  }}\n", 8, "a cloze deletion has an empty answer"),
    (HEAD + "## Q\n\n{{c1::::a hint}}\n", 7, "a cloze deletion has an empty answer"),
    (HEAD + "## Q\n\n{{c1:: }} is empty\nand more text\nunder it\n", 7,
     "a cloze deletion has an empty answer"),
    (HEAD + "## Q\n\nOne line.\nAnd {{c0::a}}\n", 8, "cloze number c0 must be from c1 to c999"),
    (HEAD + "## Q\n\n{{c1000::a}}\n", 7, "cloze number c1000 must be from c1 to c999"),
    (HEAD + "## Q\n\n{{c123456789::a}}\n", 7, "cloze number c12345678 must be from c1 to c999"),
    (HEAD + "## Q\n\nOne line.\n\n{{c1::a}} and a NUL: \x00\n", 5,
     "the card holds a NUL character"),
    (HEAD + "## Q {{c1::a}}\ntext\n", 5,
     "put cloze deletions in the text under the heading, not in the heading"),
    (HEAD + "# Title\n## Q\nA\n# Other\n", 8,
     'a "#" heading cannot follow the first card; use "##" for a card'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_a_broken_deck_names_the_line_and_the_problem(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_deck(text, "decks/bad.md")
    assert caught.value.line == line
    assert str(caught.value) == f"decks/bad.md:{line}: {message}"


def test_front_matter_that_is_not_toml_names_the_line_and_the_reason() -> None:
    with pytest.raises(SourceError) as caught:
        parse_deck("+++\nname = \n+++\n", "decks/bad.md")
    assert caught.value.line == 2
    assert str(caught.value).startswith("decks/bad.md:2: the front matter is not valid TOML: ")


def test_lists_nested_too_deeply_are_refused_at_their_line() -> None:
    text = HEAD + "## Q1\n\nA1\n\n## Q2\n\n" + "> " * 3000 + "x\n"
    with pytest.raises(SourceError) as caught:
        parse_deck(text, "decks/bad.md")
    assert str(caught.value) == (
        "decks/bad.md:11: lists or quotes nest too deeply here "
        "(markdown reads about 9 levels of lists); flatten them"
    )


def test_a_heading_id_with_bad_characters_is_refused() -> None:
    with pytest.raises(SourceError, match="may only hold letters"):
        parse_deck(HEAD + "## Q {#a/b}\nA\n", "d.md")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('#+-=`${}[]:c1 \nabQ"*_~>|\\')), max_size=300))
def test_any_text_either_parses_or_raises_only_source_error(body: str) -> None:
    for text in (body, HEAD + body):
        try:
            parse_deck(text, "fuzz.md")
        except SourceError as err:
            assert str(err).startswith("fuzz.md")


def test_a_cards_note_is_its_key_up_to_the_first_hash() -> None:
    from studyplan.core.cards.keys import note_key

    assert [note_key(k) for k in ("h:06a2c3db74f0f435#c2", "rank#r", "rank", "a#c1#x")] == [
        "h:06a2c3db74f0f435",
        "rank",
        "rank",
        "a",
    ]


LINES = [
    "",
    " ",
    "Plain words.",
    "Question **0**?",
    "## A card",
    "## A card {#a-1}",
    "## A card {#a-1 .reverse}",
    "## Fill {#f}",
    "##  spaced",
    "## ends #",
    "## ",
    "# Top",
    "### Sub",
    "---",
    "***",
    "___",
    "- item",
    "1. item",
    "2) item",
    "2024 was a year",
    "> quote",
    "    indented",
    "\tindented",
    "```",
    "~~~",
    "```python",
    "````",
    "~~~~ text",
    "   ```",
    "    ```",
    "```  ",
    "```a`b",
    "`code` first",
    "``two`` ticks",
    "**Back:** bold first",
    "*em* first",
    "*",
    "* item",
    "**",
    "*** ",
    "*\tx",
    "$x$ first",
    "$ 5 dollars",
    "$$x$$ (eq1)",
    "~~strike~~",
    "print(x * 2)",
    "$$",
    "$x$ inline",
    "<div>",
    "| a | b |",
    "===",
    "[image: a.png]",
    "[ref]: /url",
    "[open",
    "tags: math, x",
    "tags: Bad Tag",
    "The {{c1::answer}} here",
    "{{c2::two::hint}} and {{c1::one}}",
    "{{c1::unclosed",
    "\\#escaped",
    "text\x00nul",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=16))
def test_plain_decks_read_the_same_without_markdown_it(
    lines: list[str],
) -> None:
    assert_both_paths_agree(HEAD + "\n".join(lines))


def assert_both_paths_agree(text: str) -> None:
    """``parse_deck`` gives the same cards (or error) with the plain path as without."""
    from studyplan.core.cards import deck as deck_module

    def outcome():
        try:
            return deck_module.parse_deck(text, "demo.md")
        except SourceError as err:
            return str(err)

    quick = outcome()
    original = deck_module._plain_blocks
    deck_module._plain_blocks = lambda body: None
    try:
        assert quick == outcome()
    finally:
        deck_module._plain_blocks = original


def test_an_imported_deck_takes_the_plain_path() -> None:
    from studyplan.core.cards.deck import _plain_blocks

    body = "\n## Question **0**? {#anki-1}\ntags: x\n\nMore\n\n---\n\nAnswer 0\\\nwith $e$"
    assert [b.type for b in _plain_blocks(body) or []] == [
        "heading_open",
        "inline",
        "heading_close",
        "hr",
    ]
    assert _plain_blocks("\n## Q\n\n- a list\n") is None


def test_a_deck_can_make_every_card_a_reverse_pair() -> None:
    d = parse_deck('+++\nname = "Capitals"\nreverse = true\n+++\n## France\n\nParis\n', "c.md")
    card, twin = d.cards
    assert (card.front, card.back, card.kind) == ("France", "Paris", "basic")
    assert twin == Card(
        key=f"{card.key}#r", front="Paris", back="France", tags=(), line=5, kind="reverse"
    )


def test_a_reverse_twin_shows_the_back_as_its_front_with_the_same_tags_and_line() -> None:
    d = deck(
        "## Q\n\nA short answer.\n\n## Gradient {#grad .reverse}\ntags: calculus\n\nThe vector of partials.\n"
    )
    assert [c.key for c in d.cards] == [d.cards[0].key, "grad", "grad#r"]
    assert d.cards[2] == Card(
        key="grad#r",
        front="The vector of partials.",
        back="Gradient",
        tags=("math", "calculus"),
        line=9,
        kind="reverse",
    )


def test_a_deck_without_a_description_has_an_empty_one() -> None:
    assert parse_deck('+++\nname = "D"\n+++\n## Q\nA\n', "d.md").description == ""


def test_a_heading_inside_a_quote_or_a_list_is_part_of_the_answer() -> None:
    d = deck("## Q\n\nA\n\n> ## Quoted\n> text\n\n- ## Listed\n")
    assert [c.front for c in d.cards] == ["Q"]
    assert d.cards[0].back == "A\n\n> ## Quoted\n> text\n\n- ## Listed"


def test_a_cards_break_never_reaches_into_the_card_above() -> None:
    d = deck("## A\n\nThe answer to A.\n\n## B\n\nMore of B's front.\n\n---\n\nB's back.\n")
    a, b = d.cards
    assert (a.front, a.back) == ("A", "The answer to A.")
    assert (b.front, b.back, b.line) == ("B\n\nMore of B's front.", "B's back.", 9)


def test_front_text_then_a_break_splits_front_from_back() -> None:
    card = deck("## Q\n\nSome front text.\n\n---\nThe back, right under the break.\n").cards[0]
    assert (card.front, card.back) == ("Q\n\nSome front text.", "The back, right under the break.")


def test_a_break_right_under_the_heading_leaves_the_front_as_the_heading() -> None:
    card = deck("## Q\n\n---\n\nA\n").cards[0]
    assert (card.front, card.back) == ("Q", "A")
    assert card.key == deck("## Q\n\nA\n").cards[0].key


def test_an_answer_of_one_letter_is_kept_whole() -> None:
    assert deck("## Roman numeral for ten?\n\nX\n").cards[0].back == "X"


def test_cloze_syntax_in_tilde_fences_and_indented_code_is_literal() -> None:
    body = (
        "## Q\n\nBefore {{c1::one}}.\n\n~~~\ns = '{{c1::fenced}}'\n~~~\n\n"
        "Then:\n\n    t = '{{c2::indented}}'\n\nAfter {{c2::two}}.\n"
    )
    first, second = deck(body).cards
    assert first.front == (
        "Q\n\nBefore \\[...\\].\n\n~~~\ns = '{{c1::fenced}}'\n~~~\n\n"
        "Then:\n\n    t = '{{c2::indented}}'\n\nAfter two."
    )
    assert second.back == (
        "Before one.\n\n~~~\ns = '{{c1::fenced}}'\n~~~\n\n"
        "Then:\n\n    t = '{{c2::indented}}'\n\nAfter **two**."
    )


def test_an_answer_that_opens_with_code_keeps_that_code_literal() -> None:
    d = deck("## Q\n~~~\n{{c1::x}}\n~~~\n")
    assert [(c.kind, c.back) for c in d.cards] == [("basic", "~~~\n{{c1::x}}\n~~~")]


def test_cloze_syntax_in_code_on_the_back_of_a_split_card_is_literal() -> None:
    body = (
        "## Q\n\nFront text.\n\n---\n\n~~~\n{{c1::fenced}}\n~~~\n\n"
        "Real {{c1::answer}}.\n\n~~~\n{{c2::also fenced}}\n~~~\n"
    )
    (card,) = deck(body).cards
    assert card.front == (
        "Q\n\nFront text.\n\n~~~\n{{c1::fenced}}\n~~~\n\nReal \\[...\\].\n\n"
        "~~~\n{{c2::also fenced}}\n~~~"
    )


def test_clozes_side_by_side_are_each_a_card() -> None:
    first, second = deck("## Q\n\n{{c1::a}}{{c2::b}}\n").cards
    assert (first.front, first.back) == ("Q\n\n\\[...\\]b", "**a**b")
    assert (second.front, second.back) == ("Q\n\na\\[...\\]", "a**b**")


def test_a_cloze_answer_ends_at_its_first_double_colon_and_the_rest_is_the_hint() -> None:
    (card,) = deck("## Q\n\nIn C++, {{c1::std::vector::a growable array}}.\n").cards
    assert card.front == "Q\n\nIn C++, \\[vector::a growable array\\]."
    assert card.back == "In C++, **std**."


def test_a_cloze_card_keeps_its_text_as_written_for_export() -> None:
    cards = deck(
        "## Softmax\n\nSoftmax turns {{c1::logits}} into {{c2::probabilities::a distribution}}.\n"
    ).cards
    assert {c.cloze_text for c in cards} == {
        "Softmax turns {{c1::logits}} into {{c2::probabilities::a distribution}}."
    }


def test_a_cloze_card_may_number_up_to_c999() -> None:
    body = "## Many\n\n" + " ".join(f"{{{{c{n}::w{n}}}}}" for n in range(1, 101)) + "\n"
    cards = deck(body).cards
    assert len(cards) == 100
    assert cards[-1].key.endswith("#c100")
    assert cards[-1].back.endswith("**w100**")


@pytest.mark.parametrize(
    "body",
    [
        "## Q\n\ntext\x00nul\n",
        "## Q \n\nA\n",
        "## Q #\n\nA\n",
        "##  Q\n\nA\n",
        "## \n\nA\n",
        "## Q\nA\n---\nB\n",
        "---\n## Q\n\nA\n",
        "## Q\n\n[ref]: /url\n",
        "## Q\n\n[open\n",
        "## Q\n\n[a] b\n",
        "## Q\n\n- item\n",
        "## Q\n\n> quote\n",
        "## Q\n\n    code\n",
        "## Q {#q}\ntags: x\n\nA\n\n---\n\nB\n## R\n\nC\n",
        "## Q\n\n```python\nx = 1\n## not a card\n---\n```\n\n---\n\n`4`\n",
        "## Q\n\n~~~~\n~~~\n   ~~~~~ \n{{c1::B}}\n",
        "## Q\n\n```\n{{c1::unclosed}}\n",
        "## Q\ntext\n```\ncode\n```\n---\nB\n",
        "## Q\n\n```a`b\n",
        "## Q\n\n``x`` and {{c1::y}}\n",
        "## Q\n\n**Back:** *b*\n$x$ and {{c1::y}}\n",
        "## Q\n\n* item\n",
        "## Q\nA\n***\n",
        "## Q\n\n$$\nx\n$$\n",
        "## Q\n\n`x` is code\n---\nB\n",
        "## Q\n\n**Back:** b\n---\n",
    ],
)
def test_each_plain_shape_reads_as_markdown_it_reads_it(body: str) -> None:
    """The plain path (no markdown-it) gives the cards, keys, lines and errors that
    markdown-it's reading gives, or declines the body."""
    assert_both_paths_agree(HEAD + body)


def test_plain_shapes_take_the_plain_path_and_others_do_not() -> None:
    from studyplan.core.cards.deck import _plain_blocks

    assert _plain_blocks("---\n## Q\n\nA\n") is not None  # a rule first: a blank before it
    assert _plain_blocks("## Q\n\n[a] b\n") is not None  # brackets that open no link label
    assert [b.map for b in _plain_blocks("\n## Q\n\nA\n\n---\n") or []] == [
        [1, 2], [1, 2], None, [5, 6]
    ]  # fmt: skip
    # Fenced code and a line opening with a code span, as written decks have them.
    fenced = "## Q\n\n```python\nprint(2)\n## in code\n```\n\n---\n\n`4`\n"
    assert [(b.type, b.map) for b in _plain_blocks(fenced) or []] == [
        ("heading_open", [0, 1]), ("inline", [0, 1]), ("heading_close", None),
        ("fence", [2, 6]), ("hr", [7, 8]),
    ]  # fmt: skip
    assert [b.map for b in _plain_blocks("## Q\n\n~~~\nopen\n") or []][-1] == [2, 4]
    # Lines opening with emphasis or an inline formula, as labelled Anki fields are.
    assert _plain_blocks("## Q\n\n**Back:** b\n\n$x$ is *y*\n") is not None
    for other in ("## Q\n\n* item\n", "## Q\n\n*** \n", "## Q\n\n$$\nx\n$$\n", "## Q\n\n** b\n"):
        assert _plain_blocks(other) is None, repr(other)
    for other in (
        "## Q\nA\n---\n",
        "## Q\n\n`x` is code\n---\n",  # a code-span line underlined: a heading, not a rule
        "## Q\n\n$x$\n---\n",
        "## Q \n",
        "## Q #\n",
        "## \n",
        "x\x00",
        "## Q\n\n[r]: /u\n",
        "## Q\n\n```a`b\n",
        "## Q\n\n~~x\n",
        " ```\nx\n```\n",
    ):
        assert _plain_blocks(other) is None, repr(other)


def test_a_plain_deck_is_read_without_markdown_it(monkeypatch) -> None:
    """Imported decks are plain: they skip markdown-it, a quarter of an import's time."""
    from studyplan.core.cards import deck as deck_module

    def refuse(*args: object) -> None:
        raise AssertionError("markdown-it ran on a plain deck")

    monkeypatch.setattr(deck_module, "parse_blocks", refuse)
    cards = deck_module.parse_deck(HEAD + "## Q {#q}\ntags: x\n\nA\n\n---\n\nB\n", "p.md").cards
    assert [(c.key, c.front, c.back, c.line) for c in cards] == [("q", "Q\n\nA", "B", 5)]
