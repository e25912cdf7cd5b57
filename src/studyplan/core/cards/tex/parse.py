"""A LaTeX formula as a tree: rows of symbols, scripts, fractions, roots, brackets and tables.

The parser never recurses without counting: a formula nested deeper than
``MAX_DEPTH`` (``{{{...}}}``, ``\\frac{\\frac{...``, ``((((...))))``) or longer
than ``MAX_LENGTH`` raises ``FormulaError``, which callers turn into the
formula's source shown as code. Anything else parses: unknown commands become
their names, stray braces are dropped, a missing argument is empty.
"""

from __future__ import annotations

import re
from dataclasses import replace

from studyplan.core.cards.tex import symbols as S
from studyplan.core.cards.tex.nodes import (
    MAX_DEPTH,
    MAX_LENGTH,
    Accent,
    Fenced,
    FormulaError,
    Frac,
    Node,
    Root,
    Row,
    Scripted,
    Sym,
    Table,
    restyle,
)

_TOKEN = re.compile(r"\\([A-Za-z]+\*?|.)|([{}^_&])|(\s+)|(.)", re.DOTALL)
_CHARS = {
    "+": Sym("+", "bin"),
    "-": Sym("-", "bin"),
    "*": Sym("∗", "bin", True),
    "/": Sym("/", "bin"),
    "=": Sym("=", "rel", True),
    "<": Sym("<", "rel", True),
    ">": Sym(">", "rel", True),
    ",": Sym(",", "punct"),
    ";": Sym(";", "punct"),
    ":": Sym(":", "punct"),
    "'": Sym("′", "postfix"),
    "!": Sym("!", "postfix"),
    "~": Sym(" ", "space"),
    "(": Sym("(", "open"),
    "[": Sym("[", "open"),
    ")": Sym(")", "close"),
    "]": Sym("]", "close"),
    "|": Sym("|", "fence"),
}
_PAIRS = {"(": ")", "[": "]", "{": "}", "⟨": "⟩", "⌊": "⌋", "⌈": "⌉", "|": "|", "‖": "‖"}
_DELIMITERS = {".": "", "<": "⟨", ">": "⟩", "/": "/"}


def tokens(src: str) -> list[tuple[str, str]]:
    """``(kind, value)`` pairs: cmd, ``{``, ``}``, ``^``, ``_``, ``&``, space or char."""
    out = []
    for command, special, space, char in _TOKEN.findall(src):
        if command:
            out.append(("cmd", command))
        elif special:
            out.append((special, special))
        elif space:
            out.append(("space", " "))
        else:
            out.append(("char", char))
    return out


def parse(src: str) -> Node:
    """The tree of one formula (without its ``$``), or ``FormulaError``."""
    if len(src) > MAX_LENGTH:
        raise FormulaError(f"is {len(src):,} characters long (at most {MAX_LENGTH:,})")
    return _Parser(src).formula()


class _Parser:
    def __init__(self, src: str) -> None:
        self.tokens = tokens(src)
        self.pos = 0
        self.depth = -1  # the formula itself is level 0

    # ------------------------------------------------------------ tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str] | None:
        token = self.peek()
        self.pos += token is not None
        return token

    def skip_spaces(self) -> None:
        while (token := self.peek()) is not None and token[0] == "space":
            self.pos += 1

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"is nested too deeply (more than {MAX_DEPTH} levels)")

    def leave(self) -> None:
        self.depth -= 1

    def raw_group(self) -> str:
        """The literal text of the next argument (for \\text and environment names)."""
        self.skip_spaces()
        token = self.take()
        if token is None:
            return ""
        if token[0] != "{":
            return token[1]
        depth, parts = 1, []
        while (token := self.take()) is not None:
            if token[0] == "{":
                depth += 1
            elif token[0] == "}":
                depth -= 1
                if depth == 0:
                    break
            if token[0] == "cmd":
                parts.append(_SYMBOL_TEXT.get(token[1], "" if token[1] in S.DROP else token[1]))
            elif token[0] not in "{}":
                parts.append(token[1])
        return "".join(parts)

    # ------------------------------------------------------------ structure

    def formula(self) -> Node:
        """The whole formula; ``&`` or ``\\\\`` at its top make it aligned rows."""
        rows = self.table_rows(frozenset())
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return Table("aligned", rows)

    def table_rows(self, stops: frozenset[str]) -> tuple[tuple[Row, ...], ...]:
        rows: list[tuple[Row, ...]] = []
        cells: list[Row] = []
        inner = stops | {"&", "\\\\", "end"}
        while True:
            cells.append(self.row(inner))
            token = self.peek()
            if token == ("&", "&"):
                self.take()
                continue
            if token is not None and token[0] == "cmd" and token[1] in ("\\", "cr"):
                self.take()
                self.skip_spaces()
                if self.peek() == ("char", "["):  # \\[4pt]: a spacing hint
                    while (token := self.take()) is not None and token != ("char", "]"):
                        pass
                rows.append(tuple(cells))
                cells = []
                continue
            rows.append(tuple(cells))
            break
        # Blank rows (a "\\" before \end, or "\\ \\") show nothing.
        filled = [row for row in rows if any(cell.items for cell in row)]
        return tuple(filled or rows[:1])

    def row(self, stops: frozenset[str]) -> Row:
        """Items up to a stop (not taken): ``}``, ``&``, ``\\\\``, ``\\end``, ``\\right``, ``]``."""
        self.enter()
        items: list[Node] = []
        while (token := self.peek()) is not None:
            kind = token[0]
            if _stops(token, stops):
                break
            if kind == "}":  # a stray brace
                self.take()
                continue
            if kind in ("^", "_"):
                self.take()
                script = self.argument(stops)
                base = items.pop() if items else Sym("")
                items.append(_attach(base, kind, script))
                continue
            node = self.atom(stops)
            if node is not None:
                items.append(node)
        self.leave()
        return Row(tuple(_match_brackets(_flatten(items))))

    def argument(self, stops: frozenset[str] = frozenset()) -> Node:
        """One argument: a braced group or the next single atom (``\\frac12``)."""
        self.skip_spaces()
        token = self.peek()
        if token is None or token[0] in ("}", "^", "_", "&") or _stops(token, stops):
            return Row(())
        if token[0] == "{":
            self.take()
            return self.group()
        self.enter()  # \sqrt\sqrt\sqrt... nests without braces
        node = self.atom(stops)
        self.leave()
        return Row(()) if node is None else node

    def group(self) -> Row:
        """Until the matching ``}`` (the ``{`` already taken) or the end."""
        body = self.row(frozenset({"}"}))
        if self.peek() == ("}", "}"):
            self.take()
        return body

    # ------------------------------------------------------------ atoms

    def atom(self, stops: frozenset[str]) -> Node | None:
        kind, value = self.take()  # type: ignore[misc]
        if kind == "{":
            return self.group()
        if kind in ("space", "&"):
            return None  # TeX ignores spaces in math; a stray & is a TeX error
        if kind == "char":
            if value == ":" and self.peek() == ("char", "="):
                self.take()
                return Sym(":=", "rel", True)
            if value.isdigit() or (value == "." and self._after_digit()):
                return Sym(value, "num")
            return _CHARS.get(value, Sym(value))
        if kind in "^_":  # only when an argument starts with a script: x^^2
            return None
        return self.command(value, stops)

    def _after_digit(self) -> bool:
        following = self.peek()
        return following is not None and following[1].isdigit()

    def command(self, name: str, stops: frozenset[str]) -> Node | None:
        if name in S.FRACTIONS:
            return Frac(self.argument(), self.argument())
        if name in S.BINOMIALS:
            return Frac(self.argument(), self.argument(), binom=True)
        if name == "sqrt":
            index = None
            self.skip_spaces()
            if self.peek() == ("char", "["):
                self.take()
                index = self.row(frozenset({"]"}))
                self.take()
            return Root(self.argument(), index)
        if name in S.BOLD_COMMANDS:
            return restyle(self.argument(), None)
        if name in S.FONTS:
            return restyle(self.argument(), S.FONTS[name])
        if name in S.ACCENTS:
            return Accent(self.argument(), S.ACCENTS[name])
        if name in S.TEXT:
            return Sym(self.raw_group(), "text")
        if name in S.ROMAN:
            return Sym(self.raw_group())
        if name in S.OPERATORNAME:
            return Sym(self.raw_group().strip(), "word")
        if name in S.WORDS:
            if name == "arg" and self.peek() in (("cmd", "max"), ("cmd", "min")):
                name += self.take()[1]  # type: ignore[index]
            return Sym(name, "word")
        if name == "left":
            return self.fenced(stops)
        if name == "right":  # without a \left
            glyph = self.delimiter()
            return Sym(glyph, _glyph_kind(glyph)) if glyph else None
        if name == "begin":
            return self.environment()
        if name == "end":  # without a \begin
            self.raw_group()
            return None
        if name == "not":
            following = self.argument(stops)
            return (
                Sym(f"{following.text}\u0338", "rel", True)
                if isinstance(following, Sym)
                else following
            )
        if name in S.DROP or name in ("\\", "cr"):
            return None
        return _command_symbol(name)

    def delimiter(self) -> str:
        """The bracket after ``\\left`` or ``\\right`` (empty for ``.``)."""
        self.skip_spaces()
        token = self.take()
        if token is None:
            return ""
        kind, value = token
        if kind == "char" and value in "()[]|.<>/":
            return _DELIMITERS.get(value, value)
        if kind == "cmd" and value in _DELIMITER_COMMANDS:
            return _DELIMITER_COMMANDS[value]
        self.pos -= 1
        return ""

    def fenced(self, stops: frozenset[str]) -> Fenced:
        opening = self.delimiter()
        body = self.row(stops | {"right"})
        closing = ""
        if self.peek() == ("cmd", "right"):
            self.take()
            closing = self.delimiter()
        return Fenced(opening, body, closing)

    def environment(self) -> Node:
        name = self.raw_group().strip()
        if name == "array" or name.startswith("alignat"):
            self.raw_group()  # the column specification, {cc} or {2}
        rows = self.table_rows(frozenset({"}"}))
        if self.peek() == ("cmd", "end"):
            self.take()
            self.raw_group()
        return Table(name if name in S.ENVIRONMENTS else "matrix", rows)


def _stops(token: tuple[str, str], stops: frozenset[str]) -> bool:
    kind, value = token
    if kind in ("}", "&"):
        return kind in stops
    if kind == "cmd":
        return ("\\\\" in stops and value in ("\\", "cr")) or (
            value in ("end", "right") and value in stops
        )
    return kind == "char" and value == "]" and "]" in stops


_SYMBOL_TEXT = {**S.ORD, **S.BIN, **S.REL, **S.POSTFIX, **S.OPEN, **S.CLOSE, **S.FENCE,
                **S.SPACES, **S.BIG}  # fmt: skip
_DELIMITER_COMMANDS = {**S.OPEN, **S.CLOSE, **S.FENCE, "backslash": "∖", "uparrow": "↑",
                       "downarrow": "↓"}  # fmt: skip


def _command_symbol(name: str) -> Sym:
    if name in S.ORD:
        return Sym(S.ORD[name])
    if name in S.BIN:
        return Sym(S.BIN[name], "bin", name in S.SPACED_BIN)
    if name in S.REL:
        return Sym(S.REL[name], "rel", True)
    if name in S.POSTFIX:
        return Sym(S.POSTFIX[name], "postfix")
    if name in S.OPEN:
        return Sym(S.OPEN[name], "open")
    if name in S.CLOSE:
        return Sym(S.CLOSE[name], "close")
    if name in S.FENCE:
        return Sym(S.FENCE[name], "fence")
    if name in S.SPACES:
        return Sym(S.SPACES[name], "space")
    if name in S.BIG:
        return Sym(S.BIG[name], "big")
    return Sym(name)  # an unknown command: its name, never a backslash


def _glyph_kind(glyph: str) -> str:
    if glyph in ("|", "‖"):
        return "fence"
    return "open" if glyph in _PAIRS else "close"


def _attach(base: Node, mark: str, script: Node) -> Node:
    """``base`` with a sub- or superscript; a second one of the same kind nests (TeX refuses)."""
    depth, inner = 0, base
    while isinstance(inner, Scripted):  # x_x_x_...: as deep as braces would be
        depth, inner = depth + 1, inner.base
        if depth >= MAX_DEPTH:
            raise FormulaError(f"is nested too deeply (more than {MAX_DEPTH} levels)")
    if mark == "^":
        if isinstance(base, Scripted) and base.sup is None:
            return replace(base, sup=script)
        return Scripted(base, sup=script)
    if isinstance(base, Scripted) and base.sub is None:
        return replace(base, sub=script)
    return Scripted(base, sub=script)


def _flatten(items: list[Node]) -> list[Node]:
    """Braced groups dissolved into the row: ``{a}+b`` is ``a+b``."""
    out: list[Node] = []
    for item in items:
        if isinstance(item, Row):
            out.extend(item.items)
        else:
            out.append(item)
    return out


def _bracket(item: Node) -> tuple[str, Scripted | None]:
    """The glyph of an opening, closing or bar symbol (with scripts, for a closer), or ''."""
    if isinstance(item, Sym) and item.kind in ("open", "close", "fence"):
        return item.text, None
    if isinstance(item, Scripted) and isinstance(item.base, Sym):
        if item.base.kind in ("close", "fence"):
            return item.base.text, item
    return "", None


def _match_brackets(items: list[Node]) -> list[Node]:
    """Plain brackets paired into ``Fenced`` nodes, so a display formula can grow them."""
    if not any(_bracket(item)[0] for item in items):
        return items
    stack: list[tuple[Sym | None, list[Node]]] = [(None, [])]
    for item in items:
        glyph, scripted = _bracket(item)
        if glyph:
            # An unclosed bar gives way to the bracket around it: (y | x).
            while len(stack) > 1 and _unmatched_bar(stack[-1][0], glyph):
                _dissolve(stack)
            top, inner = stack[-1]
            closes = not (isinstance(item, Sym) and item.kind == "open")
            if top is not None and closes and _PAIRS.get(top.text) == glyph:
                stack.pop()
                fenced: Node = Fenced(top.text, Row(tuple(inner)), glyph)
                if scripted is not None:
                    fenced = replace(scripted, base=fenced)
                stack[-1][1].append(fenced)
                continue
            if isinstance(item, Sym) and item.kind in ("open", "fence"):
                stack.append((item, []))
                if len(stack) - 1 > MAX_DEPTH:
                    raise FormulaError(f"is nested too deeply (more than {MAX_DEPTH} levels)")
                continue
        stack[-1][1].append(item)
    while len(stack) > 1:
        _dissolve(stack)
    return stack[0][1]


def _unmatched_bar(opener: Sym | None, glyph: str) -> bool:
    return opener is not None and opener.kind == "fence" and opener.text != glyph


def _dissolve(stack: list[tuple[Sym | None, list[Node]]]) -> None:
    """The innermost opener never closed: it and what followed go back as they were."""
    opener, inner = stack.pop()
    stack[-1][1].extend([opener, *inner] if opener is not None else inner)
