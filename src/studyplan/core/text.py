"""Text from files and the database, made safe to show: control characters become visible.

A deck, plan or database can hold terminal control sequences (``ESC ] 0 ;`` sets a
window title, ``ESC [ 2 J`` wipes the screen, OSC 52 writes the clipboard). Shown
as they are, a terminal obeys them. Every control character other than a newline
or a tab is replaced by a visible sign (ESC becomes ␛), so the learner sees what
the file holds and the terminal receives nothing it would act on.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ ... ␛ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls (CSI, OSC as one byte) have no pictures: show a �


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab shown as a sign."""
    return _CONTROLS.sub(_picture, text) if _CONTROLS.search(text) else text


def has_controls(text: str) -> bool:
    """True when ``text`` holds a control character other than newline and tab."""
    return _CONTROLS.search(text) is not None


def fold(text: str) -> str:
    """``text`` for matching: case folded and accents dropped ("Élan" and "elan" match)."""
    if text.isascii():
        return text.lower()  # before the import statement: most card text is ASCII
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
