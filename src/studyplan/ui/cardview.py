"""A card on screen, rendered ahead of time so an answer shows the next card at once.

Rich's markdown (with Pygments for code) can take tens of milliseconds for a
card with a code block. ``CardRenderer`` turns card text into lines of
segments while the learner is still reading; ``CardView`` only swaps those
lines in, which costs about as much as any other refresh.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.markdown import CodeBlock, Markdown
from rich.rule import Rule
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from studyplan.core.cards.images import images_as_text

if TYPE_CHECKING:
    from markdown_it.token import Token

CODE_THEMES = {True: "monokai", False: "default"}


class _PlainCode(CodeBlock):
    """A code block in its theme's colours but without its language's: the same lines.

    Pygments compiles every pattern of a language's lexer the first time a process
    highlights that language (about 25 ms for Python): the first card of a process is
    drawn with its code plain and coloured once it is on screen."""

    @classmethod
    def create(cls, markdown: Markdown, token: Token) -> CodeBlock:
        return cls("text", markdown.code_theme)


class _PlainCodeMarkdown(Markdown):
    elements = {**Markdown.elements, "fence": _PlainCode, "code_block": _PlainCode}


class CardRenderer:
    """Turns card markdown into strips at a width, remembering recent results."""

    def __init__(self, size: int = 32) -> None:
        self._cache: OrderedDict[tuple[str, str | None, int, bool, bool], list[Strip]] = (
            OrderedDict()
        )
        self._size = size
        self.warm = False
        """A card has been drawn in full colour in this process (any card, code or not):
        from then on the review renders cards ahead, so only the first card of a
        process is drawn with its code plain first."""

    def clear(self) -> None:
        """Forget everything (the theme changed)."""
        self._cache.clear()

    def render(
        self,
        console: Console,
        front: str,
        back: str | None,
        width: int,
        dark: bool,
        style: Style,
        plain_code: bool = False,
    ) -> list[Strip]:
        """Strips for the front alone, or the front, a rule and the back; with
        ``plain_code``, code blocks without their language's colours (``_PlainCode``)."""
        key = (front, back, width, dark, plain_code)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        parts: list[RenderableType] = [
            self._markdown(front, dark, width, style="bold", plain_code=plain_code)
        ]
        if back is not None:
            parts += [Rule(style="dim"), self._markdown(back, dark, width, plain_code=plain_code)]
        options = console.options.update(width=max(1, width), highlight=False, markup=False)
        lines = console.render_lines(Group(*parts), options, style=style, pad=True)
        strips = [Strip(line, width) for line in lines]
        self.warm = self.warm or not plain_code
        self._cache[key] = strips
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return strips

    @staticmethod
    def _markdown(
        text: str, dark: bool, width: int, style: str = "none", plain_code: bool = False
    ) -> RenderableType:
        # Markdown builds Text objects, never parses console markup, so "[bold]"
        # or "[@click=app.quit]" written in a card is shown as typed. A display
        # formula is a block of its own, centred, whose lines Markdown must not reflow.
        parts: list[RenderableType] = []
        for part in _math_parts(text, width):
            if parts:
                parts.append(Text(""))  # the blank line Markdown puts between paragraphs
            if isinstance(part, str):
                if "](" in part:
                    part = images_as_text(part)  # Rich would draw an emoji and move it
                kind = _PlainCodeMarkdown if plain_code else Markdown
                parts.append(
                    kind(part, code_theme=CODE_THEMES[dark], hyperlinks=False, style=style)
                )
            else:
                block = Text("\n".join(part.lines), style=style, no_wrap=len(part.lines) > 1)
                parts.append(Align.center(block))
        return Group(*parts)


class CardView(ScrollView, can_focus=False):
    """Shows pre-rendered strips and scrolls when a card is longer than the screen."""

    DEFAULT_CSS = """
    CardView { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] = []

    def show(self, strips: list[Strip], *, answer_at: int | None = None) -> None:
        """Replace what is shown, from the top; with ``answer_at`` (the line where the
        answer begins) scrolled so that the answer is in view: the whole answer with as
        much of the question above it as fits, or the answer's start when it is longer
        than the area."""
        self._strips = strips
        width = strips[0].cell_length if strips else 0
        self.virtual_size = Size(width, len(strips))
        y = 0
        height = self.scrollable_content_region.height
        if answer_at is not None and height and len(strips) > height:
            y = min(answer_at, len(strips) - height)
        self.scroll_to(0, y, animate=False, immediate=True)
        self.refresh()

    @property
    def text(self) -> str:
        """What the card shows, as plain text (for tests and screen readers)."""
        return "\n".join(strip.text.rstrip() for strip in self._strips)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        return self._strips[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)


def _math_parts(text: str, width: int) -> list:
    """``latex.math_parts``; a card with no ``$`` is one part without loading the
    formula parser, so that a first card without math shows without it."""
    if "$" not in text:
        return [text] if text.strip() else []
    from studyplan.core.cards.latex import math_parts

    return math_parts(text, width)
