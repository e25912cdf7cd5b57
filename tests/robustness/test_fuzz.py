"""Property tests: whatever a learner writes, only the project's own error escapes.

Every parser gets arbitrary text, near-valid text and documents built from the
grammar's own pieces (headings, cloze markers, attribute blocks, fences, ``$``,
braces, control characters, nesting thousands deep, lines of 100,000 characters).
The number of examples is fixed per profile, so a figure is known and a run is
repeatable: ``STUDYPLAN_FUZZ=ci`` (the default: ``EXAMPLES["ci"]`` derandomised
examples per property) or ``STUDYPLAN_FUZZ=nightly`` (``EXAMPLES["nightly"]``,
random, for a long run before a release):

- deck parser (``core.decks.parse_deck``): ``SourceError`` only;
- plan parser (``core.plans.parse_plan``): ``SourceError`` only;
- settings loader (``settings.load_settings`` and ``Settings.with_value``): ``SourceError`` only;
- command-line dates and weekly minutes (``cli.plan.parse_date``, ``parse_weekly_minutes``):
  the ``ValueError`` whose sentence the command line prints, nothing else.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyplan.cli.plan import parse_date
from studyplan.core.cards.deck import parse_deck
from studyplan.core.errors import SourceError
from studyplan.core.plan.availability import parse_weekly_minutes
from studyplan.core.plan.parse import parse_plan
from studyplan.settings import SETTING_NAMES, Settings, load_settings

EXAMPLES = {"ci": 300, "nightly": 5000}
PROFILE = os.environ.get("STUDYPLAN_FUZZ", "ci")
if PROFILE not in EXAMPLES:
    raise RuntimeError(f"STUDYPLAN_FUZZ must be one of {', '.join(EXAMPLES)}, not {PROFILE!r}")
FUZZ = settings(
    max_examples=EXAMPLES[PROFILE],
    derandomize=PROFILE == "ci",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A whole command per example (a database opened, a backup made...): a fifth as many.
FUZZ_CLI = settings(FUZZ, max_examples=EXAMPLES[PROFILE] // 5)

# Text that looks like what the parsers read: fences, headings, attributes, clozes, code.
ANY_TEXT = st.text(max_size=400) | st.binary(max_size=400).map(
    lambda b: b.decode("utf-8", errors="surrogateescape")
)
DECK_PIECES = st.sampled_from(
    [
        "+++\n", 'name = "Deck"\n', 'id = "d"\n', "tags = [\"a-b\", \"c\"]\n", "tags = [[[\n",
        'description = 3\n', "## ", "# ", "### ", "Question?", " {#id-1}", " {#bad id}", "\n",
        "\n\n", "tags: x, y\n", "tags: Bad_Tag\n", "---\n", "\n---\n\n", "{{c1::", "{{c2::",
        "::hint", "}}", "$", "$$\n", "`", "```python\n", "```\n", "~~~\n", "> ", "- ", "1. ",
        "    code\n", "\\", "\ufeff", "\r\n", "\r", "\x00", "é", "\u202e", "===\n", "<div>", "|a|b|\n",
    ]
)  # fmt: skip
PLAN_PIECES = st.sampled_from(
    [
        "+++\n", 'id = "p"\n', 'title = "T"\n', "[starting_points]\n", 'scratch = "S"\n',
        'summary = ["x"]\n', "## ", "# ", "Phase ", "{weeks=4}", "{weeks=0}", "{weeks=x}",
        "{#ph-1 weeks=2}", "- ", "  - ", "1. ", "Topic ", "{hours=2}", "{hours=-1}",
        "{tags=linear-algebra}", "{tags=Nope}", "{after=t1}", "{after=missing}", "{only=scratch}",
        "{only=nobody}", "{#t1 hours=3}", "{#t1}", "{", "}", "=", "\n", "\n\n", "---\n",
        "\n---\n\n", "```\n", "`", "$", "\x00", "\ufeff", "\r", "é", "    ", "\t",
    ]
)  # fmt: skip
TOML_VALUES = st.sampled_from(
    [
        "1", "-1", "24", "99999999999999999999999", "1.5", "true", "false", '"Europe/Berlin"',
        '"Europe"', '"America"', '"../../etc/passwd"', '"right/UTC"', '"UTC\\u0000"', '"nord"',
        '""', "[1, 2]", "[[[[", "{a = 1}", "1979-05-27", "nan", "inf", "0x1F", '"""', "'", "#",
        "=", " ", "\x00", "é",
    ]
)  # fmt: skip
SETTING_LINES = st.builds(
    "{} = {}\n".format, st.sampled_from([*SETTING_NAMES, "colour", "[table]", ""]), TOML_VALUES
) | st.sampled_from(["[table]\n", "\n", "# a comment\n", "\ufeff", "\r\n"])
RAW_VALUES = st.sampled_from(
    ["Europe", "America", "posix", "right", ".", "..", "/", "Europe/Berlin", "UTC", "nord",
     "yes", "off", "20", "-3", "1e3", "٣", "²", "9" * 5000, ""]
)  # fmt: skip
DECK_HEAD = '+++\nname = "Fuzz"\n+++\n\n'
PLAN_HEAD = '+++\nid = "p"\ntitle = "T"\n[starting_points]\nscratch = "S"\n+++\n\n'
TAGS = frozenset({"linear-algebra", "calculus"})

# The grammar's pieces at sizes a careless or hostile file reaches.
CONTROLS = st.sampled_from(
    ["\x1b]0;PWNED\x07", "\x1b[2J", "\x1b]52;c;aGk=\x07", "\x9b2J", "\x7f", "\x08"]
)
DEEP = st.integers(1, 3000).flatmap(
    lambda n: st.sampled_from(
        [
            "".join("  " * i + "- x\n" for i in range(n)),
            "> " * n + "x\n",
            "$" + "{" * n + "x" + "}" * n + "$\n",
            "$$" + "\\frac{" * n + "1" + "}{2}" * n + "$$\n",
            "$" + "x^{" * n + "2" + "}" * n + "$\n",
            "[" * n + "x" + "]" * n + "\n",
        ]
    )
)
LONG_LINE = st.integers(1000, 100_000).map(lambda n: "word " * (n // 5) + "\n")
CLOZE = st.integers(-3, 10**12).map(lambda n: f"{{{{c{n}::answer}}}}") | st.sampled_from(
    [
        "{{c1::",
        "}}",
        "{{c1::a::b::c}}",
        "{{c1::{{c2::x}}}}",
        "{{c1::}}",
        "{{c" + "9" * 5000 + "::x}}",
    ]
)
CARD = st.builds(
    "## {}{}\n{}\n{}\n\n".format,
    st.sampled_from(["Question?", "[bold]Q[/bold]", "`code {#x}`", "Q $x^2$"]) | CONTROLS,
    st.sampled_from(["", " {#id-1}", " {#id-1}", " {#bad id}", " {#" + "x" * 300 + "}"]),
    st.sampled_from(["", "tags: linear-algebra", "tags: Bad_Tag", "tags: " + "a " * 500]),
    st.lists(
        DECK_PIECES | CONTROLS | CLOZE | st.sampled_from(["answer", "$a$", "```\ncode\n```\n"]),
        max_size=12,
    ).map("".join)
    | DEEP
    | LONG_LINE,
)
DECK_DOCUMENT = st.lists(CARD, min_size=1, max_size=8).map(lambda cards: DECK_HEAD + "".join(cards))
TOPIC = st.builds(
    "- {} {{{}}}\n{}".format,
    st.sampled_from(["Topic", "Topic `{x}`", "T"]) | CONTROLS,
    st.sampled_from(
        [
            "#t1 hours=2",
            "#t2 hours=1.5 tags=calculus after=t1",
            "hours=0",
            "hours=99999",
            "#t3 hours=2 after=t3",
            "#t4 hours=2 only=nobody",
            "hours=" + "9" * 400,
        ]
    ),
    st.sampled_from(["", "  - Resource: a book\n", "  - Deliverable: a repo\n"]) | DEEP | LONG_LINE,
)
PLAN_DOCUMENT = st.builds(
    "{}## Phase {{#ph weeks={}}}\n\n{}".format,
    st.just(PLAN_HEAD),
    st.sampled_from(["1", "0", "scratch:2", "x", "999999"]),
    st.lists(TOPIC, min_size=1, max_size=10).map("".join),
)


def only_source_error(parse, text: str) -> None:
    try:
        parse(text)
    except SourceError as err:
        assert str(err).startswith("fuzz.md") and (err.line is None or err.line >= 1)
        assert "\n" not in err.message  # one line, one sentence


@FUZZ
@given(ANY_TEXT)
def test_deck_parser_any_text(text: str) -> None:
    for candidate in (text, DECK_HEAD + text):
        only_source_error(lambda t: parse_deck(t, "fuzz.md"), candidate)


@FUZZ
@given(st.lists(DECK_PIECES, max_size=80).map("".join))
def test_deck_parser_near_valid_text(body: str) -> None:
    only_source_error(lambda t: parse_deck(t, "fuzz.md"), DECK_HEAD + body)
    only_source_error(lambda t: parse_deck(t, "fuzz.md"), body)


@FUZZ
@given(ANY_TEXT)
def test_plan_parser_any_text(text: str) -> None:
    for candidate in (text, PLAN_HEAD + text):
        only_source_error(lambda t: parse_plan(t, "fuzz.md", TAGS), candidate)


@FUZZ
@given(st.lists(PLAN_PIECES, max_size=80).map("".join))
def test_plan_parser_near_valid_text(body: str) -> None:
    only_source_error(lambda t: parse_plan(t, "fuzz.md", TAGS), PLAN_HEAD + body)
    only_source_error(lambda t: parse_plan(t, "fuzz.md", None), body)


_FOLDER = tempfile.TemporaryDirectory(prefix="studyplan-fuzz-")  # hypothesis reuses one file


def _load(data: bytes) -> None:
    path = Path(_FOLDER.name) / "config.toml"
    path.write_bytes(data)
    try:
        loaded = load_settings(path)
    except SourceError as err:
        assert err.path == path and str(err).startswith(str(path))
    else:
        assert loaded == loaded.validated(path)


@FUZZ
@given(st.binary(max_size=300) | ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogateescape")))
def test_settings_loader_any_bytes(data: bytes) -> None:
    _load(data)


@FUZZ
@given(st.lists(SETTING_LINES, max_size=12).map("".join))
def test_settings_loader_near_valid_toml(text: str) -> None:
    _load(text.encode("utf-8"))


@FUZZ
@given(st.sampled_from([*SETTING_NAMES, "colour", ""]), ANY_TEXT | RAW_VALUES | TOML_VALUES)
def test_settings_change_from_the_command_line(name: str, raw: str) -> None:
    try:
        changed = Settings().with_value(name, raw)
    except SourceError as err:
        assert str(err).startswith("config: ")
    else:
        assert changed == changed.validated()


DATE_TEXT = ANY_TEXT | st.dates().map(date.isoformat).flatmap(
    lambda d: st.sampled_from([d, d + "\x00", d.replace("-", "/"), d + "T00:00", " " + d])
)


@FUZZ
@given(DATE_TEXT)
def test_command_line_dates(text: str) -> None:
    try:
        parsed = parse_date(text, "--week")
    except ValueError as err:
        assert type(err) is ValueError
        assert str(err) == f"--week {text!r} is not a date; write it like 2026-11-30" or (
            str(err).startswith("--week ")
            and str(err).endswith(" is out of range; give a date from 1970-01-01 to 2200-12-31")
        )
    else:
        assert isinstance(parsed, date) and date(1970, 1, 1) <= parsed <= date(2200, 12, 31)


@FUZZ
@given(
    ANY_TEXT
    | st.lists(
        st.sampled_from(["mon", "fri", "sun", "xyz", "-", "=", ",", ";", "60", "0", "९", "²", " "]),
        max_size=20,
    ).map("".join)
)
def test_command_line_weekly_minutes(text: str) -> None:
    try:
        minutes = parse_weekly_minutes(text)
    except ValueError as err:
        assert type(err) is ValueError and str(err) and "\n" not in str(err).strip()
    else:
        assert len(minutes) == 7 and all(isinstance(m, int) and m >= 0 for m in minutes)


@FUZZ
@given(DECK_DOCUMENT)
def test_deck_parser_documents_from_the_grammar(text: str) -> None:
    only_source_error(lambda t: parse_deck(t, "fuzz.md"), text)


@FUZZ
@given(PLAN_DOCUMENT)
def test_plan_parser_documents_from_the_grammar(text: str) -> None:
    only_source_error(lambda t: parse_plan(t, "fuzz.md", TAGS), text)


_RENDERER: list = []


@FUZZ
@given(DECK_DOCUMENT)
def test_every_card_that_parses_renders_as_text_with_no_control_character(text: str) -> None:
    from rich.console import Console
    from rich.style import Style

    from studyplan.core.text import has_controls
    from studyplan.ui.cardview import CardRenderer

    try:
        deck = parse_deck(text, "fuzz.md")
    except SourceError:
        return
    if not _RENDERER:
        _RENDERER.append(CardRenderer())
    console = Console(width=80, file=io.StringIO(), color_system=None)
    for card in deck.cards[:3]:
        strips = _RENDERER[0].render(console, card.front, card.back, 78, True, Style())
        drawn = "".join(seg.text for strip in strips for seg in strip)
        assert not has_controls(drawn.replace("\n", ""))


COMMANDS = st.sampled_from(
    [["decks"], ["decks", "check"], ["status"], ["status", "--ascii"], ["stats"], ["plan"],
     ["plan", "--week"], ["plan", "--markdown"], ["enrol", "three-month"], ["enrol"],
     ["import"], ["config"], ["config", "new_per_day"], ["config", "keys"], ["backup"],
     ["cards"], ["cards", "show"], ["cards", "suspend"], ["cards", "flag"], ["cards", "undo"],
     ["review"], ["review", "--deck"], ["review", "--query"], ["sync"], ["--version"], []]
)  # fmt: skip
ARGUMENTS = st.lists(
    st.sampled_from(
        [
            "--start",
            "--week",
            "--from",
            "--minutes",
            "--share",
            "--at",
            "--ics",
            "--deck",
            "-x",
            "2026-11-30",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "scratch",
            "nobody",
            "mon-fri=60",
            "sun=99999",
            "1.5",
            "-1",
            "nan",
            "25:99",
            "theme",
            "nord",
            "40",
            "\x1b[2J",
            "é",
            "",
            "--",
            "-",
            "/nonexistent/file.md",
        ]
    )
    | ANY_TEXT.filter(lambda s: "\x00" not in s),
    max_size=5,
)


@FUZZ_CLI
@given(COMMANDS, ARGUMENTS)
def test_every_command_meets_any_arguments_with_a_result_or_one_sentence(
    command: list[str], arguments: list[str]
) -> None:
    from contextlib import redirect_stderr, redirect_stdout

    from studyplan import paths
    from studyplan.cli import main
    from tests.robustness.cli_run import dump_file

    folder = Path(_FOLDER.name)
    db, config = folder / "cli.db", folder / "cli.toml"
    decks = folder / "decks"
    if not decks.exists():  # one small deck: each call is about the arguments, not a sync
        decks.mkdir()
        (decks / "d.md").write_text(DECK_HEAD + "## Q?\n\nA\n", encoding="utf-8")
    real_bundled = paths._bundled
    paths._bundled = {"decks": decks, "plans": paths.bundled_plans()}.__getitem__  # type: ignore[assignment]
    from studyplan.ui.app import StudyplanApp

    real_run = StudyplanApp.run
    StudyplanApp.run = lambda self, *a, **k: None  # type: ignore[method-assign]  # the arguments, not the app
    argv = ["--db", str(db), "--config", str(config), *command, *arguments]
    if db.exists():
        before = dump_file(db)
    else:
        before = None
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(folder)  # a relative path in the arguments lands in the test's own folder
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:  # argparse: --version, or a usage error
            code = exit.code if isinstance(exit.code, int) else 2
        finally:
            paths._bundled = real_bundled  # type: ignore[method-assign]
            StudyplanApp.run = real_run  # type: ignore[method-assign]
            os.chdir(here)
    assert isinstance(code, int)
    text = err.getvalue()
    assert "Traceback" not in text and "\x1b" not in text + out.getvalue(), text
    if code != 0:
        # One sentence, or one per path argument (import reports each path it was given).
        assert text.strip() and len(text.strip().splitlines()) <= max(3, len(arguments) + 1), text
        if before is not None and command[:1] not in (["import"], ["decks"]):
            assert dump_file(db) == before, argv


def test_the_number_of_examples_is_fixed() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    fuzzed = re.findall(r"@FUZZ(?:_CLI)?\n@given", source)
    assert len(fuzzed) == 13  # 13 properties x EXAMPLES[profile] examples each (the CLI a fifth)
