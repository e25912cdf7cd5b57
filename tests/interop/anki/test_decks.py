"""Notes to deck files: the cards made straight from the notes are the cards the deck
file's parse gives (the parse is what ``decks check`` and every later sync read)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.core.cards.deck import parse_deck
from studyplan.core.errors import SourceError
from studyplan.interop.anki.collection import Card, Collection, Note, NoteType, Template
from studyplan.interop.anki.decks import draft_decks

PATH = "/decks/imported.md"
BASIC = NoteType(1, "Basic", False, ("Front", "Back"), (Template("Card 1", "{{Front}}", ""),))
REVERSED = NoteType(
    2,
    "Basic (and reversed card)",
    False,
    ("Front", "Back"),
    (Template("Card 1", "{{Front}}", ""), Template("Card 2", "{{Back}}", "")),
)
CLOZE = NoteType(3, "Cloze", True, ("Text", "Back Extra"), (Template("Cloze", "", ""),))
CUSTOM = NoteType(
    4,
    "Vocabulary",
    False,
    ("Word", "Meaning", "Example"),
    (
        Template("Recall", "{{Word}}", ""),
        Template("Produce", "{{Meaning}}<br>{{hint:Example}}", ""),
    ),
)
NOTETYPES = {t.id: t for t in (BASIC, REVERSED, CLOZE, CUSTOM)}

# What Anki fields hold, and what trips a deck file up: block marks at a line's start,
# card syntax, code and math, control characters, entities and HTML that is converted.
PIECES = [
    "word",
    "Question",
    "é",
    "1",
    " ",
    "\t",
    "\xa0",
    "\u2028",
    "\n",
    "<br>",
    "<b>bold</b>",
    "<i>it</i>",
    "<code>x_y</code>",
    "<div>",
    "</div>",
    "<ul><li>item</li></ul>",
    "<pre>code</pre>",
    "&amp;",
    "&nbsp;",
    "&lt;",
    "*",
    "**",
    "_",
    "`",
    "``",
    "```",
    "~~~",
    "\\",
    "#",
    "## ",
    "-",
    "---",
    "- ",
    "+ ",
    "1. ",
    "2)",
    "> ",
    "|",
    "=",
    "===",
    "[",
    "]",
    "[a]: b",
    "{",
    "}",
    "{#id}",
    "{.reverse}",
    "{{c1::",
    "{{c2::",
    "{{c0::",
    "::",
    "::hint",
    "}}",
    "$",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "x^2",
    "tags:",
    "Tags: a",
    "[sound:a.mp3]",
    '<img src="p.png">',
    "\x1b",
    "\x00",
    "\r",
    "\x85",
]
# Pieces most fields are made of (and a few that look like marks but are not), so that
# many decks take the quick path and the comparison means something.
TAME = [
    "word",
    "Q",
    " ",
    "\xa0",
    "\u2028",
    "<br>",
    "<b>b</b>",
    "<code>c</code>",
    "\\(x_1\\)",
    "\\[y\\]",
    "$",
    "`",
    "*",
    "_",
    "\\",
    "{",
    "}",
    "{{c1::",
    "{{c2::",
    "::",
    "}}",
    "#",
    "1",
    "é",
]
TAG = st.sampled_from(["ml", "Maths", "a::b", "x_y", "é", "", "ml"])


@st.composite
def collections(draw) -> Collection:
    pieces = draw(st.sampled_from([TAME, TAME, PIECES]))
    field = st.lists(st.sampled_from(pieces), max_size=8).map("".join)
    notes, cards = [], []
    for n in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(sorted(NOTETYPES)))
        notetype = NOTETYPES[kind]
        fields = tuple(draw(field) for _ in notetype.fields)
        if kind == CLOZE.id and draw(st.booleans()):
            fields = (f"{fields[0]}{{{{c1::{draw(field)}}}}}{draw(field)}", fields[1])
        guid = draw(st.sampled_from(["g", "h", "Ab1", "x/y"])) + str(n)
        notes.append(Note(n + 1, guid, kind, fields, tuple(draw(st.lists(TAG, max_size=3)))))
        ords = (
            range(len(notetype.templates)) if kind != CLOZE.id else range(draw(st.integers(1, 3)))
        )
        for ord_ in ords:
            cards.append(Card(100 * (n + 1) + ord_, n + 1, ord_, 1, 0, 0, 0, 0, 0, 0, 0))
    return Collection(decks={1: "Imported"}, notetypes=NOTETYPES, notes=notes, cards=cards)


def parsed(text: str):
    try:
        return parse_deck(text, PATH)
    except SourceError as err:
        return str(err)


@settings(max_examples=600, deadline=None)
@given(collections())
def test_cards_made_from_the_notes_are_the_cards_the_file_parses_to(col: Collection) -> None:
    for draft in draft_decks(col).decks.values():
        quick = draft.deck(PATH)
        if quick is not None:
            assert quick == parsed(draft.text())


def test_plain_notes_take_the_quick_path() -> None:
    """The benchmark's notes, and notes with a tag, a second line or a formula in the heading."""
    fields = {
        BASIC.id: ("Question <b>1</b>?", "Answer 1<br>with \\(e^{1}\\) and <code>code</code>"),
        REVERSED.id: ("Q 2<br>more", "A_2 * b"),
        CLOZE.id: ("Note 3: {{c1::alpha 3}} and {{c3::\\(x^3\\)::hint}}", "extra"),
        CUSTOM.id: ("\\(a\\) word", "meaning", "an example"),
    }
    notes = [
        Note(kind, f"guid{kind}", kind, fields[kind], ("Tag_1", "ml") if kind % 2 else ())
        for kind in NOTETYPES
    ]
    ords = {BASIC.id: (0,), REVERSED.id: (0, 1), CLOZE.id: (0, 2), CUSTOM.id: (0, 1)}
    cards = [Card(10 * k + o, k, o, 1, 0, 0, 0, 0, 0, 0, 0) for k in NOTETYPES for o in ords[k]]
    col = Collection(decks={1: "Plain"}, notetypes=NOTETYPES, notes=notes, cards=cards)
    (draft,) = draft_decks(col).decks.values()
    quick = draft.deck(PATH)
    assert quick is not None
    assert quick == parse_deck(draft.text(), PATH)
    assert [(c.key.rsplit("3", 1)[-1], c.kind, c.tags) for c in quick.cards] == [
        ("1", "basic", ("tag-1", "ml")),
        ("2", "basic", ()),
        ("2-2", "basic", ()),
        ("#c1", "cloze", ("tag-1", "ml")),
        ("#c2", "cloze", ("tag-1", "ml")),
        ("4", "basic", ()),
        ("4-2", "basic", ()),
    ]


def test_notes_the_quick_path_cannot_read_are_parsed() -> None:
    """A list, code, a control character or a quote: the deck is read by the parse."""
    for back in ("<ul><li>a</li></ul>", "<pre>x</pre>", "a\x1bb", "<blockquote>q</blockquote>"):
        note = Note(1, "g", BASIC.id, ("Front", back), ())
        col = Collection(
            decks={1: "D"},
            notetypes=NOTETYPES,
            notes=[note],
            cards=[Card(1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0)],
        )
        (draft,) = draft_decks(col).decks.values()
        assert draft.deck(PATH) is None, back
