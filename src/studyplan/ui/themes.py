"""The learner's own colour themes: TOML files in the config directory's ``themes/``.

    # ~/.config/studyplan/themes/paper.toml
    name = "paper"
    dark = false
    primary = "#1f6feb"
    # optional: secondary, accent, foreground, background, surface, panel,
    #           success, warning, error, boost

Each file is one theme, offered with Textual's own in settings and the palette.
A broken file is named in one sentence and skipped; the others still load.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from studyplan.core.text import visible

COLOURS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
)


def theme_folder(config_file: Path) -> Path:
    """Where the learner's theme files live: ``themes/`` beside config.toml."""
    return config_file.parent / "themes"


def load_themes(folder: Path) -> tuple[list[Theme], list[str]]:
    """The themes in ``folder`` and one sentence for each file that could not be read."""
    themes: list[Theme] = []
    problems: list[str] = []
    if not folder.is_dir():
        return themes, problems
    for path in sorted(folder.glob("*.toml")):
        try:
            themes.append(_theme(path))
        except ValueError as err:
            problems.append(visible(f"{path}: {err}"))
    return themes, problems


def _theme(path: Path) -> Theme:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot be read ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"is not valid TOML: {err}") from None
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.replace("-", "").replace("_", "").isalnum():
        raise ValueError('name must be letters, digits, - and _, like name = "paper"')
    unknown = sorted(set(data) - {"name", "dark", *COLOURS})
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} (known: name, dark, {', '.join(COLOURS)})")
    if "primary" not in data:
        raise ValueError('a theme needs at least primary = "#rrggbb"')
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ValueError("dark must be true or false")
    colours: dict[str, object] = {}
    for key in COLOURS:
        if key in data:
            value = data[key]
            try:
                Color.parse(value)
            except (ColorParseError, TypeError):
                raise ValueError(f'{key} = {value!r} is not a colour, like "#1f6feb"') from None
            colours[key] = value
    return Theme(name=name.lower(), dark=dark, **colours)  # type: ignore[arg-type]
