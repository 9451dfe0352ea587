"""Say what a TOML syntax error means for a scenario, where tomllib's own words mislead.

tomllib stops at the first error with a terse message ("Cannot overwrite a value", "Invalid
statement") and a position that is sometimes lines after the cause. These hints look at the
source around the error once it is known, so the fast path for a good file never runs them:

- C060: `[scenes.choices]` (single brackets) where an array of tables, `[[scenes.choices]]`,
  is meant. The error comes at the next `[[scenes.choices]]` or the next key of the same name;
  the hint points at the single-bracket header itself.
- C061: a key (or a table) given twice, with where it was first given.
- C062: a character that looks like a space but is not one TOML accepts (a no-break space
  pasted from a document, a zero-width space), named by its code point.

Each returns `None` when it does not apply; the caller then reports tomllib's message (C004).
Bounded: only the lines up to the error are looked at, each once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ODD_SPACES = frozenset("\u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                       "\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\u000b\u000c")
"""Characters that render as (or like) whitespace but that TOML does not accept as whitespace."""

ARRAYS_OF_TABLES = ("scenes", "endings", "scenes.choices", "scenes.routes", "scenes.choices.outcomes")
"""Headers the format only uses with double brackets."""

_HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_.\-\"' ]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
_KEY = re.compile(r"^[ \t]*([A-Za-z0-9_-]+|\"[^\"\n]*\"|'[^'\n]*')[ \t]*=")


@dataclass(frozen=True)
class Hint:
    code: str
    message: str
    line: int
    col: int
    first: tuple[int, int] | None = None
    """Where the key or table was first given (1-based line, column), for a duplicate."""


def explain(text: str, line: int, col: int, reason: str) -> Hint | None:
    """A clearer diagnostic for tomllib's error `reason` at (line, col), or None."""
    lines = text.split("\n")[: max(line, 1)]
    return (_odd_space(lines, line, col) or _single_brackets(lines, line, reason)
            or _duplicate(lines, line, col, reason))


def character_name(char: str) -> str:
    """`U+00A0 NO-BREAK SPACE`."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def _odd_space(lines: list[str], line: int, col: int) -> Hint | None:
    if not 0 < line <= len(lines):
        return None
    source = lines[line - 1]
    found = [index for index, char in enumerate(source) if char in ODD_SPACES]
    if not found:
        return None
    # the one at or nearest before the error column
    index = max((i for i in found if i <= col - 1), default=found[0])
    char = source[index]
    where = "indent" if not source[:index].strip(" \t" + "".join(ODD_SPACES)) else "line"
    return Hint("C062", f"this {where} has a {character_name(char)}, which looks like a space but is not one "
                        "TOML accepts; replace it with a plain space", line, index + 1)


def _outside_strings(lines: list[str]) -> list[tuple[int, str]]:
    """(1-based number, text) of the lines that are not inside a multi-line string."""
    kept = []
    inside: str | None = None
    for number, source in enumerate(lines, start=1):
        if inside is None:
            kept.append((number, source))
        for quote in re.findall(r'"""|\'\'\'', source):
            if inside is None:
                inside = quote
            elif inside == quote:
                inside = None
    return kept


def _single_brackets(lines: list[str], line: int, reason: str) -> Hint | None:
    lowered = reason.lower()
    if "overwrite" not in lowered and "twice" not in lowered:
        return None
    for number, source in _outside_strings(lines):
        match = _HEADER.match(source)
        if match is None or match.group(1) != "[":
            continue
        name = re.sub(r"[ \t]", "", match.group(2))
        if name in ARRAYS_OF_TABLES:
            return Hint("C060", f"`[{name}]` declares a single table, but {_plural_of(name)} are an array of tables: "
                                f"write `[[{name}]]`, with double brackets", number, match.start(1) + 1)
    return None


def _plural_of(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    owner = {"choices": "a scene's", "routes": "a scene's", "outcomes": "a choice's"}.get(last, "the scenario's")
    return f"{owner} {last}"


def _duplicate(lines: list[str], line: int, col: int, reason: str) -> Hint | None:
    lowered = reason.lower()
    if not 0 < line <= len(lines):
        return None
    source = lines[line - 1]
    if lowered.startswith("duplicate inline table key"):
        key = reason.split("'")[1] if reason.count("'") >= 2 else ""
        spots = [m.start(1) for m in re.finditer(rf"(?:^|[{{,\s])({re.escape(key)})\s*=", source)] if key else []
        first = (line, spots[0] + 1) if len(spots) > 1 else None
        at = spots[-1] + 1 if spots else col
        return Hint("C061", f"key `{key}` is given twice in this inline table" + _first(first), line, at, first)
    if lowered.startswith("cannot declare"):
        here = _HEADER.match(source)
        name = re.sub(r"[ \t]", "", here.group(2)) if here else ""
        first = None
        for number, text in _outside_strings(lines[: line - 1]):
            match = _HEADER.match(text)
            if match and match.group(1) == "[" and re.sub(r"[ \t]", "", match.group(2)) == name:
                first = (number, match.start(1) + 1)
                break
        at = here.start(1) + 1 if here else col
        return Hint("C061", f"table `[{name}]` is declared twice; put its keys under one header" + _first(first),
                    line, at, first)
    if "overwrite" not in lowered:
        return None
    key_match = _KEY.match(source)
    if key_match is None:
        return None
    key = key_match.group(1)
    first = None
    for number, text in reversed(_outside_strings(lines[: line - 1])):
        if _HEADER.match(text):
            break  # only the same table counts
        match = _KEY.match(text)
        if match and match.group(1) == key:
            first = (number, match.start(1) + 1)
    return Hint("C061", f"key `{key.strip(chr(34) + chr(39))}` is given twice in the same table; keep one"
                + _first(first), line, key_match.start(1) + 1, first)


def _first(first: tuple[int, int] | None) -> str:
    return f" (first given at {first[0]}:{first[1]})" if first else ""
