"""The plan format of docs/plan-format.md, as a plan author writes it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan import paths
from studyplan.core.errors import SourceError
from studyplan.core.plan.parse import Plan, parse_plan

HEAD = '+++\nid = "demo"\ntitle = "Demo plan"\n+++\n'  # the body starts on line 5
POINTS = (
    '+++\nid = "demo"\ntitle = "Demo plan"\n[starting_points]\n'
    'scratch = "From scratch"\nexperienced = "Experienced"\n+++\n'
)  # the body starts on line 8
VOCABULARY = frozenset(
    tomllib.loads((paths.bundled_decks() / "tags.toml").read_text(encoding="utf-8"))["tags"]
)


def plan(body: str, head: str = HEAD, tags: frozenset[str] | None = None) -> Plan:
    return parse_plan(head + body, "plans/demo.md", tags)


def test_phases_hold_topics_with_hours_tags_prerequisites_and_notes() -> None:
    p = plan(
        "\nAn introduction.\n\n"
        "## Month 1: Python {#month-1 weeks=4}\n\n"
        "Start here.\n\n"
        "- Python refresher {#py hours=6 tags=python}\n"
        "  - Deliverable: a repository\n"
        "- NumPy arrays {hours=1.5 tags=numpy,linear-algebra after=py}\n"
    )
    assert (p.id, p.title, p.summary, p.intro) == ("demo", "Demo plan", "", "An introduction.")
    assert p.starting_points == (("default", "From the start"),)
    (phase,) = p.phases
    assert (phase.id, phase.title, phase.weeks, phase.line, phase.intro) == (
        "month-1",
        "Month 1: Python",
        (("default", 4.0),),
        8,
        "Start here.",
    )
    py, numpy = phase.topics
    assert (py.id, py.title, py.minutes, py.tags, py.line, py.notes) == (
        "py",
        "Python refresher",
        360,
        ("python",),
        12,
        "- Deliverable: a repository",
    )
    assert (numpy.id, numpy.minutes, numpy.hours, numpy.after) == ("numpy-arrays", 90, 1.5, ("py",))
    assert numpy.tags == ("numpy", "linear-algebra")
    assert p.topic("py") is py and p.path("default") == (py, numpy)


def test_weeks_per_starting_point_and_only_choose_each_learners_path() -> None:
    p = plan(
        "## Maths {#maths weeks=scratch:26,experienced:0}\n"
        "- Algebra {#algebra hours=20 only=scratch}\n"
        "## ML {#ml weeks=scratch:10,experienced:6}\n"
        "- Derivatives refresher {#calc hours=6 only=experienced}\n"
        "- Linear models {#linear hours=8 after=algebra,calc}\n",
        head=POINTS,
    )
    assert p.point_ids == ("scratch", "experienced")
    assert p.phase("maths").weeks_for("experienced") == 0
    assert [t.id for t in p.path("scratch")] == ["algebra", "linear"]
    assert [t.id for t in p.path("experienced")] == ["calc", "linear"]
    assert [ph.id for ph in p.phases_for("experienced")] == ["ml"]
    with pytest.raises(ValueError, match="no starting point 'expert'"):
        p.path("expert")


def test_attributes_may_end_a_wrapped_line_and_braces_in_code_stay_in_the_title() -> None:
    p = plan(
        "## Phase {weeks=2}\n"
        "- Dict literals like `{}` and\n  set literals {#literals\n  hours=0.01}\n"
        "1. Ordered lists hold topics too {hours=2}\n"
    )
    first, second = p.topics
    assert (first.id, first.title, first.minutes, first.line) == (
        "literals",
        "Dict literals like `{}` and set literals",
        1,
        7,
    )
    assert (p.phases[0].id, second.id) == ("phase", "ordered-lists-hold-topics-too")


def test_text_after_a_topic_list_is_a_note_of_the_last_topic() -> None:
    p = plan(
        "## P {weeks=1}\n- A {hours=1}\n- B {hours=1}\n\nRead chapter 2 first.\n\n"
        "## Q {weeks=1}\n- C {hours=1}\n"
    )
    assert [t.notes for t in p.topics] == ["", "Read chapter 2 first.", ""]


def test_windows_line_ends_and_a_byte_order_mark_are_read() -> None:
    text = "\ufeff" + (HEAD + "## P {weeks=1}\n\n- A {hours=1}\n").replace("\n", "\r\n")
    assert parse_plan(text, "x.md").topics[0].line == 7


def test_known_tags_accept_the_vocabulary() -> None:
    assert plan("## P {weeks=1}\n- A {hours=1 tags=linear-algebra,projects}\n", tags=VOCABULARY)


ERRORS = [
    # (file text, line, words the message must hold)
    ("# Just markdown\n", 1, 'front matter between "+++"'),
    ('+++\nid = "x"\n', 1, "never closed"),
    ('+++\nid = "x"\ntitle = = 1\nsummary = ""\n+++\n', 3, "not valid TOML"),
    (HEAD.replace("+++\n", '+++\nauthor = "me"\n', 1), 2, "unknown front-matter key 'author'"),
    ('+++\ntitle = "T"\n+++\n## P {weeks=1}\n- A {hours=1}\n', 1, "needs an id"),
    ('+++\nid = "x y"\ntitle = "T"\n+++\n', 2, "needs an id"),
    ('+++\nid = "x"\n+++\n', 1, "needs a title"),
    ('+++\nid = "x"\ntitle = "T"\nsummary = 3\n+++\n', 4, "summary must be a string"),
    (
        '+++\nid = "x"\ntitle = "T"\nstarting_points = "all"\n+++\n',
        4,
        "starting_points must be a table",
    ),
    ('+++\nid = "x"\ntitle = "T"\n[starting_points]\n+++\n', 4, "[starting_points] is empty"),
    ('+++\nid = "x"\ntitle = "T"\n[starting_points]\na = ""\n+++\n', 5, "needs a label"),
    (HEAD + "Only an introduction.\n", 5, "the plan has no phases"),
    (HEAD + "## Basics\n- A {hours=1}\n", 5, 'phase "Basics" has no weeks= (add e.g. weeks=4)'),
    (HEAD + "## Basics {weeks=four}\n- A {hours=1}\n", 5, "give a number of weeks"),
    (HEAD + "## Basics {weeks=1}\n\n    - indented, so code\n", 5, 'phase "Basics" has no topics'),
    (
        HEAD + "## P {weeks=1}\n\n- Linear algebra {#la tags=linear-algebra}\n",
        7,
        'topic "Linear algebra" has no hours= (add e.g. hours=6)',
    ),
    (HEAD + "## P {weeks=1}\n- Linear algebra\n", 6, 'topic "Linear algebra" has no hours='),
    (HEAD + "## P {weeks=1}\n- A {hours=0}\n", 6, "has hours=0; give a number of hours above 0"),
    (HEAD + "## P {weeks=1}\n- A {hours=1h}\n", 6, "has hours=1h"),
    (HEAD + "## P {weeks=1}\n- A {hours=1 level=2}\n", 6, "unknown key 'level' for a topic"),
    (HEAD + "## P {weeks=1 hours=3}\n- A {hours=1}\n", 5, "unknown key 'hours' for a phase"),
    (
        HEAD + "## P {weeks=1}\n- A {hours=1 tags=python, numpy}\n",
        6,
        "lists take commas without spaces",
    ),
    (HEAD + "## P {weeks=1}\n- A {hours=1 hours=2}\n", 6, "hours= is given twice"),
    (HEAD + "## P {weeks=1}\n- A {hours=1 tags=}\n", 6, "tags= has no value"),
    (HEAD + "## P {weeks=1}\n- A {#a #b hours=1}\n", 6, "two ids"),
    (HEAD + "## P {weeks=1}\n- A {#a.b hours=1}\n", 6, "may only hold letters"),
    (HEAD + "## P {weeks=1}\n- A {#a hours=1\n", 6, "never closed"),
    (HEAD + "## P {weeks=1}\n- {#a hours=1}\n", 6, "no title before its {...}"),
    (HEAD + "## P {weeks=1}\n- ??? {hours=1}\n", 6, "needs an id made of letters or digits"),
    (HEAD + "## P {weeks=1}\n-\n- A {hours=1}\n", 6, "has no title"),
    (
        HEAD + "## P {weeks=1}\n- A {hours=1}\n- A {hours=2}\n",
        7,
        "topic id 'a' is already used at line 6",
    ),
    (
        HEAD + "## P {weeks=1}\n- A {hours=1}\n## P {weeks=1}\n- B {hours=1}\n",
        7,
        "phase id 'p' is already used at line 5",
    ),
    (
        HEAD + "## P {weeks=1}\n- A {hours=1 tags=Linear_Algebra}\n",
        6,
        "lower-case words joined by hyphens",
    ),
    (HEAD + "## P {weeks=1}\n- A {hours=1 after=b}\n", 6, "after= names 'b', which is no topic id"),
    (HEAD + "## P {weeks=1}\n- Alpha {hours=1 after=alpah}\n", 6, "did you mean 'alpha'?"),
    (HEAD + "## P {weeks=1}\n- A {hours=1 after=a}\n", 6, "lists itself in after="),
    (
        HEAD + "## P {weeks=1}\n- X {hours=1}\n- A {hours=1 after=b}\n- B {hours=1 after=a}\n",
        7,
        "prerequisites form a cycle: 'a' needs 'b', which needs 'a'",
    ),
    (HEAD + "## P {weeks=1}\n- A {hours=1}\n# Appendix\n", 7, 'a "#" heading cannot follow'),
    (
        HEAD + "## P {weeks=1}\n- A {hours=1}\n\nNotes\n---\n",
        9,
        'a "---" directly under a line of text',
    ),
    (POINTS + "## P {weeks=2}\n- A {hours=1 only=expert}\n", 9, "unknown starting point 'expert'"),
    (
        POINTS + "## P {weeks=scratch:2,expert:1}\n- A {hours=1}\n",
        8,
        "unknown starting point 'expert'",
    ),
    (POINTS + "## P {weeks=scratch:2}\n- A {hours=1}\n", 8, "gives no weeks for 'experienced'"),
    (POINTS + "## P {weeks=scratch:2,scratch:3}\n- A {hours=1}\n", 8, "gives 'scratch' twice"),
    (POINTS + "## P {weeks=scratch:2,experienced}\n- A {hours=1}\n", 8, "is not point:number"),
    (
        POINTS + "## P {weeks=scratch:2,experienced:0}\n- A {hours=1 only=experienced}\n",
        9,
        "its phase lasts 0 weeks for 'experienced'",
    ),
    (
        POINTS + "## P {weeks=2}\n- A {hours=1 only=scratch}\n",
        4,
        "starting point 'experienced' has no topics",
    ),
]


@pytest.mark.parametrize(("text", "line", "words"), ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_each_mistake_is_reported_at_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_plan(text, "plans/x.md")
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"plans/x.md:{line}: ")


def test_an_unknown_tag_names_the_vocabulary_and_a_close_match() -> None:
    with pytest.raises(SourceError) as caught:
        plan("## P {weeks=1}\n- A {hours=1 tags=python,linear-algebr}\n", tags=VOCABULARY)
    assert str(caught.value) == (
        "plans/demo.md:6: tag 'linear-algebr' is not in decks/tags.toml nor on your own "
        "decks' cards (did you mean 'linear-algebra'?)"
    )


def test_a_long_cycle_is_reported_at_its_first_topic_in_the_file() -> None:
    with pytest.raises(SourceError) as caught:
        plan(
            "## P {weeks=1}\n- A {hours=1 after=c}\n- B {hours=1 after=a}\n- C {hours=1 after=b}\n"
        )
    assert str(caught.value) == (
        "plans/demo.md:6: prerequisites form a cycle: "
        "'a' needs 'c', which needs 'b', which needs 'a'"
    )


@pytest.mark.parametrize("name", ["three-month.md", "multi-year.md"])
def test_the_bundled_plans_parse_with_the_tag_vocabulary(name: str) -> None:
    path = paths.bundled_plans() / name
    p = parse_plan(path.read_text(encoding="utf-8"), str(path), VOCABULARY)
    assert p.id == Path(name).stem
    for point in p.point_ids:
        assert p.path(point), f"{name}: starting point {point} has nothing to study"
    assert all(t.tags for t in p.topics), "every bundled topic introduces some cards"


def test_the_example_in_the_format_document_parses() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "plan-format.md").read_text(encoding="utf-8")
    example = doc.split("```markdown\n", 1)[1].split("\n```", 1)[0]
    p = parse_plan(example, "docs/plan-format.md", VOCABULARY)
    assert [t.id for t in p.path("experienced")] == [
        "py-refresher",
        "numpy-basics",
        "la",
        "calc-refresh",
    ]
    assert p.phase("maths").weeks_for("scratch") == 26


FRAGMENTS = st.sampled_from(
    [
        "+++\n",
        'id = "p"\n',
        'title = "T"\n',
        "[starting_points]\n",
        'a = "A"\n',
        "## ",
        "# ",
        "- ",
        "  - ",
        "1. ",
        "{",
        "}",
        "#x ",
        "hours=",
        "weeks=",
        "a:1,",
        "tags=",
        "after=",
        "only=",
        "1.5",
        "0",
        "x",
        "`",
        "$",
        "\n",
        "\n\n",
        "    ",
        "---\n",
        "===\n",
        "```\n",
        "\\",
        "\x00",
        "é",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_gives_a_plan_or_a_source_error(text: str) -> None:
    _only_source_error(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(), st.sampled_from(["utf-8", "latin-1", "utf-16"]))
def test_any_bytes_decoded_give_a_plan_or_a_source_error(data: bytes, encoding: str) -> None:
    _only_source_error(data.decode(encoding, errors="replace"))


@settings(max_examples=600, deadline=None)
@given(st.lists(FRAGMENTS, max_size=60).map("".join))
def test_plan_like_text_gives_a_plan_or_a_source_error(body: str) -> None:
    _only_source_error(HEAD + body)
    _only_source_error(POINTS + body)


def _only_source_error(text: str) -> None:
    try:
        parse_plan(text, "fuzz.md", VOCABULARY)
    except SourceError as err:
        assert err.line is None or err.line >= 1
        assert str(err).startswith("fuzz.md")
