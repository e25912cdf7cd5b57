"""The deck format of docs/deck-format.md, as a learner writes it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.cards.deck import parse_deck
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
    ("## Q\nA\n", 1, "must start with front matter"),
    ('+++\nname = "x"\n', 1, "never closed"),
    ("+++\nname = \n+++\n", 2, "not valid TOML"),
    ('+++\ntitle = "x"\n+++\n', 2, "unknown front-matter key 'title'"),
    ("+++\ntags = []\n+++\n", 2, "needs a deck name"),
    (HEAD + "## Q\n", 5, "has no answer"),
    (HEAD + "## {#a}\nA\n", 5, "heading (its front) is empty"),
    (HEAD + "## Q {#a b}\nA\n", 5, "may only hold letters"),
    (HEAD + "## Q {#a}\nA\n## R {#a}\nB\n", 7, "same id or front as the card at line 5"),
    (HEAD + "## Q\nA\n## Q\nB\n", 7, "same id or front"),
    (HEAD + "## Q\ntags: Bad_Tag\nA\n", 6, "lower-case words"),
    (HEAD + "## Q\nText\n---\nA\n", 7, "leave a blank line above"),
    (HEAD + "## Q\n{{c1::a}} {{c3::b}}\n", 5, "c2 is missing"),
    (HEAD + "## Q\n{{c1::a\n", 6, "not closed"),
    (HEAD + "## Q {{c1::a}}\ntext\n", 5, "not in the heading"),
    (HEAD + "# Title\n## Q\nA\n# Other\n", 8, 'a "#" heading cannot follow'),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_a_broken_deck_names_the_line_and_the_problem(
    text: str, line: int, message: str | None
) -> None:
    with pytest.raises(SourceError) as caught:
        parse_deck(text, "decks/bad.md")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"decks/bad.md:{line}: ")
    if message:
        assert message in caught.value.message


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
    from studyplan.core.cards import deck as deck_module

    text = HEAD + "\n".join(lines)

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
