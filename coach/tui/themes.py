"""Theme files (`themes/*.toml`, and the user's own) loaded into Textual themes.

A theme file is strict like every coach format: an unknown key or a value that is not a colour
is reported with the file and line, and that one theme is skipped; the app carries on with a
built-in theme. Variables are checked too (a name Textual's CSS accepts, a colour, or for a
`*-text-style` a few style words), because a value the stylesheet cannot parse would stop the app.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta
from textual.color import Color, ColorParseError
from textual.theme import Theme

from ..config.configfile import ConfigError, decode_toml
from ..io.sanitise import line

COLOUR_KEYS = (
    "primary", "secondary", "warning", "error", "success", "accent",
    "foreground", "background", "surface", "panel", "boost",
)


class ThemeFile(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Annotated[str, Meta(pattern="^[a-z0-9][a-z0-9-]*$(?!\\n)", description="Theme name, as the palette shows it.")]
    primary: str
    secondary: str | None = None
    warning: str | None = None
    error: str | None = None
    success: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    boost: str | None = None
    dark: bool = True
    luminosity_spread: Annotated[float, Meta(ge=0, le=1)] = 0.15
    text_alpha: Annotated[float, Meta(ge=0, le=1)] = 0.95
    variables: Annotated[dict[str, str], Meta(description="Overrides for Textual's theme variables.")] = {}


def load_theme(path: Path) -> Theme:
    """One theme file as a Theme; raises ConfigError with `file:line: problem`."""
    from ..scenario.result import read_bounded
    from ..scenario import cache

    try:
        data = read_bounded(path, 256 * 1024, "theme files")
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: cannot read it ({error})") from None
    except Exception as error:  # not a regular file, too large, unreadable
        raise ConfigError(f"{path}: cannot read it ({getattr(error, 'message', None) or error})") from None
    spec = cache.lookup_value(cache.THEME, data, ThemeFile)  # these very bytes passed every check before
    if spec is None:
        spec = _checked(text, path)
        cache.store_value(cache.THEME, data, spec)
    fields = {key: getattr(spec, key) for key in COLOUR_KEYS}
    return Theme(
        spec.name,
        **fields,
        dark=spec.dark,
        luminosity_spread=spec.luminosity_spread,
        text_alpha=spec.text_alpha,
        variables=dict(spec.variables),
    )


def _checked(text: str, path: Path) -> ThemeFile:
    """The theme file decoded and every colour and style checked; raises ConfigError."""
    from ..scenario.prescan import prescan

    refusal = prescan(text)
    if refusal is not None:
        raise ConfigError(f"{path}:{text.count(chr(10), 0, refusal.offset) + 1}: {refusal.message}")
    spec = decode_toml(text, ThemeFile, str(path))
    for key in COLOUR_KEYS:
        value = getattr(spec, key)
        if value is not None:
            _check_colour(text, path, (key,), value)
    for key, value in spec.variables.items():
        if not _VARIABLE.fullmatch(key):
            raise ConfigError(f"{path}:{_line_of(text, ('variables', key), 'key')}: `{line(key)}` is not a theme variable name "
                              "(lowercase letters, digits and hyphens)")
        if key.endswith("text-style"):
            _check_text_style(text, path, key, value)
        else:
            _check_colour(text, path, ("variables", key), value)
    return spec


def load_themes(folders: list[Path]) -> tuple[list[Theme], list[str]]:
    """Every theme in the folders (later folders override earlier names), and what was skipped."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme(path)
            except ConfigError as error:
                problems.append(f"{error}; this theme was skipped")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems


_VARIABLE = re.compile(r"[a-z][a-z0-9-]{0,63}")


def _line_of(text: str, where: tuple[str, ...], at: str = "value") -> int:
    from ..scenario.tomlpos import locate, scan

    return locate(scan(text), where, at=at)[0]


def _check_text_style(text: str, path: Path, key: str, value: str) -> None:
    """A text style is a few words Textual knows (bold, italic, underline, none…), nothing else:
    any other value would stop the stylesheet from building, and with it the app."""
    from textual.css.constants import VALID_STYLE_FLAGS

    words = value.split()
    if not words or len(words) > 8 or any(word not in VALID_STYLE_FLAGS for word in words):
        allowed = ", ".join(sorted(w for w in VALID_STYLE_FLAGS if len(w) > 2))
        raise ConfigError(f"{path}:{_line_of(text, ('variables', key))}: `{key}` is not a text style: {line(value)!r} "
                          f"(use words from: {allowed})")


def _check_colour(text: str, path: Path, where: tuple[str, ...], value: str) -> None:
    try:
        Color.parse(value)
    except ColorParseError:
        from ..scenario.tomlpos import locate, scan

        at, _ = locate(scan(text), where, at="value")
        raise ConfigError(f"{path}:{at}: `{where[-1]}` is not a colour: {line(value)!r} (use #RRGGBB)") from None
