"""Property tests: whatever a learner writes, only the project's own error escapes.

Every parser gets arbitrary text and near-valid text, with a fixed number of
derandomised examples (``EXAMPLES`` each), so the figure is known and a run is
repeatable:

- deck parser (``core.decks.parse_deck``): ``SourceError`` only;
- plan parser (``core.plans.parse_plan``): ``SourceError`` only;
- settings loader (``settings.load_settings`` and ``Settings.with_value``): ``SourceError`` only;
- command-line dates and weekly minutes (``cli.plan.parse_date``, ``parse_weekly_minutes``):
  the ``ValueError`` whose sentence the command line prints, nothing else.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from studyplan.cli.plan import parse_date
from studyplan.core.cards.deck import parse_deck
from studyplan.core.errors import SourceError
from studyplan.core.plan.availability import parse_weekly_minutes
from studyplan.core.plan.parse import parse_plan
from studyplan.settings import SETTING_NAMES, Settings, load_settings

EXAMPLES = 300
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None)

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


def test_the_number_of_examples_is_fixed() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    fuzzed = re.findall(r"@FUZZ\n@given", source)
    assert len(fuzzed) == 9  # 9 properties x EXAMPLES examples each
