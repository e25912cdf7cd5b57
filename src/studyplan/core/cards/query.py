"""The card browser's search language, parsed into a tree; the store turns it into SQL.

A learner should be able to guess it (it follows Anki's where Anki's is guessable):

    gradient descent          both words, anywhere in the front or back
    "gradient descent"        the phrase
    deck:algebra              a deck whose name or id holds "algebra"
    tag:probability tag:ml-*  a tag (``*`` matches any run of characters)
    is:due  is:new  is:learning  is:review  is:suspended  is:buried
    is:leech  is:flagged  is:retired
    flag:red                  red orange green blue purple, or 1-5; flag:none
    due:today  due:<7         due on or before today; due in fewer than 7 days
    ivl:>30  lapses:>=3  ease:<2.0  answered:7 (answered in the last 7 study days)
    -tag:ml                   not
    a or b, (a or b) c        either; grouping

Words are matched case- and accent-insensitively. A query that cannot be read
raises ``QueryError`` with the column where reading stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyplan.core.text import fold

FLAGS = ("red", "orange", "green", "blue", "purple")
"""Flag colours; a card's ``flag`` is 1 + the index here, 0 for none."""
STATES = ("new", "due", "learning", "review", "suspended", "buried", "leech", "flagged", "retired")
FIELDS = ("deck", "tag", "is", "flag", "due", "ivl", "lapses", "ease", "answered")
_NUMERIC = {"due": int, "ivl": int, "lapses": int, "ease": float, "answered": int}
_COMPARISON = re.compile(r"(<=|>=|<|>|=)?(-?\d+(?:\.\d+)?)")
_LIMIT = 1000
"""Terms in one query at most: far beyond what anyone types, short of SQLite's limits."""


def search_text(front: str, back: str) -> str:
    """What free words in a query are matched against: the card's text, folded."""
    return fold(f"{front}\n{back}")


class QueryError(ValueError):
    """A query that cannot be read; ``str()`` is one sentence with the column."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (at column {self.position + 1})"


@dataclass(frozen=True, slots=True)
class Term:
    """One condition: ``field`` is "text" for free words, else one of ``FIELDS``."""

    field: str
    value: str | int | float
    op: str = "="


@dataclass(frozen=True, slots=True)
class Not:
    """A negated condition."""

    part: Node


@dataclass(frozen=True, slots=True)
class All:
    """Every part must hold (terms side by side)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Either:
    """At least one part must hold (terms joined by ``or``)."""

    parts: tuple[Node, ...]


Node = Term | Not | All | Either


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "word", "phrase", "(", ")", "-", "or"
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append(_Token(c, c, i))
            i += 1
        elif c == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            out.append(_Token("-", c, i))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError('a quote " is never closed', i)
            out.append(_Token("phrase", text[i + 1 : end], i))
            i = end + 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in "()":
                if text[i] == '"':  # field:"a phrase"
                    end = text.find('"', i + 1)
                    if end < 0:
                        raise QueryError('a quote " is never closed', i)
                    i = end + 1
                else:
                    i += 1
            word = text[start:i]
            kind = "or" if word.lower() == "or" else "word"
            out.append(_Token(kind, word, start))
        if len(out) > _LIMIT:
            raise QueryError(f"a search can hold at most {_LIMIT} terms", i)
    return out


def parse_query(text: str) -> Node:
    """The tree of ``text``; an empty query is ``All(())``, which every card matches."""
    parser = _Parser(_tokens(text), len(text))
    node = parser.either()
    if parser.peek() is not None:
        token = parser.peek()
        assert token is not None
        if token.kind == ")":
            raise QueryError('a bracket ")" closes nothing', token.position)
        raise QueryError(f"{token.text!r} was not expected here", token.position)
    return node


class _Parser:
    def __init__(self, tokens: list[_Token], length: int) -> None:
        self.tokens = tokens
        self.at = 0
        self.length = length
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def either(self) -> Node:
        parts = [self.all()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", ")"):  # type: ignore[union-attr]
                raise QueryError('"or" needs a term on each side', token.position)
            parts.append(self.all())
        return parts[0] if len(parts) == 1 else Either(tuple(parts))

    def all(self) -> Node:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            parts.append(self.unary())
        if not parts and (token := self.peek()) is not None and token.kind == "or":
            raise QueryError('"or" needs a term on each side', token.position)
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self) -> Node:
        token = self.take()
        if token.kind == "-":
            if self.peek() is None:
                raise QueryError('"-" needs a term after it', token.position)
            return Not(self.unary())
        if token.kind == "(":
            self.depth += 1
            if self.depth > 50:
                raise QueryError("brackets are nested too deeply", token.position)
            inner = self.either()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError('a bracket "(" is never closed', token.position)
            self.take()
            self.depth -= 1
            return inner
        if token.kind == ")":
            raise QueryError('a bracket ")" closes nothing', token.position)
        if token.kind == "phrase":
            return _text(token.text, token.position)
        return _word(token)


def _text(value: str, position: int) -> Term:
    folded = fold(value).strip()
    if not folded:
        raise QueryError("an empty phrase matches nothing useful", position)
    return Term("text", folded)


def _word(token: _Token) -> Term:
    field, colon, raw = token.text.partition(":")
    if not colon:
        return _text(token.text, token.position)
    field = field.lower()
    where = token.position + len(field) + 1
    if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
        raw = raw[1:-1]
    if field not in FIELDS:
        raise QueryError(
            f"there is no search field {field!r} (known: {', '.join(FIELDS)}; "
            'quote text that holds a colon, like "a:b")',
            token.position,
        )
    if not raw:
        raise QueryError(f"{field}: needs a value after the colon", where)
    if field == "deck":
        return Term("deck", fold(raw))
    if field == "tag":
        if not re.fullmatch(r"[a-z0-9*_-]+", raw.lower()):
            raise QueryError(f"{raw!r} is not a tag (lower-case words joined by -)", where)
        return Term("tag", raw.lower())
    if field == "is":
        state = raw.lower()
        if state not in STATES:
            raise QueryError(f"is:{raw} is not a state (known: {', '.join(STATES)})", where)
        return Term("is", state)
    if field == "flag":
        colour = raw.lower()
        if colour in ("none", "0"):
            return Term("flag", 0)
        if colour in FLAGS:
            return Term("flag", FLAGS.index(colour) + 1)
        if colour.isdigit() and 1 <= int(colour) <= len(FLAGS):
            return Term("flag", int(colour))
        raise QueryError(f"flag:{raw} is not a flag (known: none, {', '.join(FLAGS)})", where)
    if field == "due" and raw.lower() == "today":
        return Term("due", 0, "<=")
    if field == "due" and raw.lower() == "tomorrow":
        return Term("due", 1, "=")
    found = _COMPARISON.fullmatch(raw)
    kind = _NUMERIC[field]
    if found is None or (kind is int and "." in found.group(2)):
        example = {"ease": "ease:<2.0", "due": "due:<7 or due:today"}.get(field, f"{field}:>=3")
        raise QueryError(f"{field}:{raw} is not a comparison like {example}", where)
    op = found.group(1) or "="
    number = kind(found.group(2))
    if abs(number) > 1_000_000:
        raise QueryError(f"{field}:{raw} is out of range", where)
    if field == "answered" and (op != "=" or number < 1):
        raise QueryError("answered: takes a number of days, like answered:7", where)
    return Term(field, number, op)
