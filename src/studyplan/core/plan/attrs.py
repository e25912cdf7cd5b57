"""The ``{#id key=value ...}`` attribute blocks that end plan headings and topics."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from studyplan.core.cards.deck import ID
from studyplan.core.errors import SourceError
from studyplan.core.markup import mask_code_and_math

_BLOCK = re.compile(r"\{([^{}]*)\}\s*$")
_NUMBER = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,4})?")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WS = re.compile(r"\s+")
MAX_HOURS = 10_000
MAX_WEEKS = 520


@dataclass(frozen=True, slots=True)
class Attributes:
    """The text before an attribute block and what the block holds."""

    title: str
    id: str | None
    values: dict[str, str]
    line: int
    """1-based line of the attribute block (of the title when there is none)."""


def split_attributes(
    text: str, first_line: int, what: str, known: tuple[str, ...], path: str
) -> Attributes:
    """Split ``text`` (a heading or a topic's first paragraph) into title and attributes.

    ``what`` names the thing in messages, like ``topic``; ``known`` lists the
    keys it may carry.
    """
    masked = mask_code_and_math(text)
    found = _BLOCK.search(masked)
    if found is None:
        opened = masked.rfind("{")
        rest = masked[opened + 1 :] if opened >= 0 else ""
        if opened >= 0 and "}" not in rest and (rest.startswith("#") or "=" in rest):
            line = first_line + text.count("\n", 0, opened)
            raise SourceError(
                path, line, f'the {{...}} at the end of this {what} is never closed with "}}"'
            )
        return Attributes(_one_line(text), None, {}, first_line)
    line = first_line + text.count("\n", 0, found.start())
    title = _one_line(text[: found.start()])
    inner = text[found.start(1) : found.end(1)]
    ident: str | None = None
    values: dict[str, str] = {}
    for word in inner.split():
        if word.startswith("#"):
            if ident is not None:
                raise SourceError(
                    path, line, f"this {what} has two ids, #{ident} and {word}; keep one"
                )
            ident = word[1:]
            if not ID.fullmatch(ident):
                raise SourceError(
                    path, line, f"id {word!r} may only hold letters, digits, - and _ after the #"
                )
            continue
        key, equals, value = word.partition("=")
        if not equals:
            raise SourceError(
                path,
                line,
                f"{word!r} in {{...}} is not key=value; "
                "lists take commas without spaces, like tags=a,b",
            )
        if key not in known:
            listed = ", ".join(f"{k}=" for k in known)
            raise SourceError(
                path, line, f"unknown key {key!r} for a {what} (known: #id, {listed})"
            )
        if key in values:
            raise SourceError(path, line, f"{key}= is given twice in this {what}")
        if not value:
            raise SourceError(path, line, f"{key}= has no value")
        values[key] = value
    return Attributes(title, ident, values, line)


def slug(title: str) -> str:
    """The default id of a titled thing: ASCII lower-case words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")


def id_list(value: str, path: str, line: int, key: str) -> tuple[str, ...]:
    """A comma-separated list of ids, duplicates dropped, order kept."""
    items = [item for item in value.split(",") if item]
    if not items:
        raise SourceError(path, line, f"{key}= has no value")
    for item in items:
        if not ID.fullmatch(item):
            raise SourceError(
                path, line, f"{item!r} in {key}= may only hold letters, digits, - and _"
            )
    return tuple(dict.fromkeys(items))


def hours_to_minutes(value: str, path: str, line: int, title: str) -> int:
    """``hours=`` as whole minutes, rounded up; it must be a positive number."""
    amount = _number(value)
    if amount is None or amount <= 0 or amount > MAX_HOURS:
        raise SourceError(
            path,
            line,
            f'topic "{short(title)}" has hours={value}; '
            f"give a number of hours above 0 and at most {MAX_HOURS}, like hours=6 or hours=1.5",
        )
    return int((amount * 60).to_integral_value(rounding=ROUND_CEILING))


def weeks_value(value: str, path: str, line: int, title: str, point: str | None) -> float:
    """One number of weeks (0 or more) from ``weeks=``."""
    amount = _number(value)
    if amount is None or amount > MAX_WEEKS:
        where = f" for {point!r}" if point else ""
        raise SourceError(
            path,
            line,
            f'phase "{short(title)}" has weeks{where} {value!r}; '
            f"give a number of weeks from 0 to {MAX_WEEKS}, like weeks=4",
        )
    return float(amount)


def short(title: str, width: int = 50) -> str:
    """A title cut to ``width`` characters for a message."""
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _number(value: str) -> Decimal | None:
    if not _NUMBER.fullmatch(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None


def _one_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def default_id(attrs: Attributes) -> str:
    """The written ``#id``, or else a slug of the title."""
    return attrs.id if attrs.id is not None else slug(attrs.title)
