"""Diagnostics: what is wrong with a scenario file, where, and how to say it like a compiler.

Every code is stable (authors search for them, docs/diagnostics.md explains each one), so codes
are only ever added, never renumbered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Literal

import msgspec

if TYPE_CHECKING:
    from .tomlpos import Path

Severity = Literal["error", "warning"]

CODES: dict[str, tuple[Severity, str]] = {
    "C001": ("error", "file cannot be read"),
    "C002": ("error", "file too large"),
    "C003": ("error", "file is not UTF-8 text"),
    "C004": ("error", "invalid TOML"),
    "C005": ("error", "nested too deeply"),
    "C006": ("error", "empty file"),
    "C007": ("error", "unknown key"),
    "C008": ("error", "missing required key"),
    "C009": ("error", "wrong type"),
    "C010": ("error", "value not allowed"),
    "C011": ("error", "duplicate id"),
    "C012": ("error", "goto target not found"),
    "C013": ("error", "unknown criterion"),
    "C014": ("error", "criterion not graded by this scenario"),
    "C015": ("error", "unknown metric"),
    "C016": ("error", "unknown flag"),
    "C017": ("error", "condition does not parse"),
    "C018": ("error", "outcome chances invalid"),
    "C019": ("error", "choice needs exactly one of goto and outcomes"),
    "C020": ("error", "scene needs choices or routes"),
    "C021": ("error", "routes must end with a route without `when`"),
    "C022": ("error", "time_limit and on_timeout go together"),
    "C023": ("error", "metric range invalid"),
    "C024": ("error", "criterion weight out of range"),
    "C025": ("error", "score delta out of range"),
    "C026": ("error", "unknown reflex"),
    "C027": ("error", "unsupported format version"),
    "C028": ("error", "malformed id or name"),
    "C029": ("error", "start scene not found"),
    "C030": ("error", "scenario has no scenes or no endings"),
    "C031": ("error", "routes loop without a decision"),
    "C040": ("error", "key too long"),
    "C041": ("error", "dotted key with too many parts"),
    "C042": ("error", "number too long"),
    "C043": ("error", "condition too deep or too long"),
    "C044": ("error", "number not finite or out of range"),
    "C060": ("error", "single brackets where an array of tables is meant"),
    "C061": ("error", "key or table given twice"),
    "C062": ("error", "a character that looks like a space but is not one"),
    "C080": ("error", "unknown name in a placeholder"),
    "C081": ("error", "malformed placeholder"),
    "C082": ("error", "`{if}` passage without `{end}`"),
    "C083": ("error", "`{else}` or `{end}` without `{if}`"),
    "C084": ("error", "text with placeholders too long or nested too deeply"),
    "C090": ("error", "unknown metric in a setup"),
    "C091": ("error", "setup value outside the metric's range"),
    "C092": ("error", "duplicate setup id"),
    "C093": ("error", "too many setups, or only one"),
    "W101": ("warning", "unreachable scene or ending"),
    "W102": ("warning", "choice can never be taken"),
    "W103": ("warning", "loop with no way out"),
    "W104": ("warning", "criterion never scored"),
    "W105": ("warning", "scene's choices all score alike"),
    "W106": ("warning", "choice without feedback"),
    "W110": ("warning", "a naive strategy passes"),
    "W111": ("warning", "the best choice is the longest"),
    "W112": ("warning", "the best choice is shown first"),
    "W113": ("warning", "the best choice is the shortest"),
    "W130": ("warning", "scene sets a clock the scenario does not have"),
    "W131": ("warning", "scene sets the clock back on every path"),
    "W132": ("warning", "`day` without `time`"),
    "W133": ("warning", "currency on a metric that is not money"),
    "W134": ("warning", "lock reason on a choice that is never locked"),
    "W140": ("warning", "a passage's condition never holds where its text is shown"),
    "W120": ("warning", "ending contradicts the grade"),
    "W121": ("warning", "ending reached in too few decisions"),
}


class Diagnostic(msgspec.Struct, kw_only=True, omit_defaults=True):
    file: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    source: str = ""
    """The offending source line, for the caret display (not part of `--json`)."""
    related: tuple[int, int] | None = None
    """(line, column) of the first of a pair (a duplicate id or key); editors show it as a related location."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_json(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


def severity_of(code: str) -> Severity:
    return CODES[code][0]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean `x`?)' when a close candidate exists, else ''."""
    import difflib  # only a did-you-mean needs it, never a file that loads

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""


Style = Callable[[str, str], str]
"""How a shell colours a piece of a rendered diagnostic: (text, role) -> text, where role is
"location", "error" or "warning" (the label and the caret take the severity as their role).
The core names roles only; the command layer maps them to terminal colours (coach.cli)."""


def _plain(text: str, role: str) -> str:
    return text


def render(diagnostic: Diagnostic, *, style: Style = _plain) -> str:
    """`path:line:col: error C012: message`, then the source line and a caret under the column.

    Every field from the file is shown with `sanitise.line`: a control character becomes a
    visible escape, and a newline inside a key cannot start a forged diagnostic line.
    """
    from ..io.sanitise import line as inert

    head = (
        style(f"{inert(diagnostic.file)}:{diagnostic.line}:{diagnostic.col}:", "location")
        + " "
        + style(f"{diagnostic.severity} {diagnostic.code}:", diagnostic.severity)
        + " "
        + inert(diagnostic.message)
    )
    if not diagnostic.source:
        return head
    source, col = _window(diagnostic.source.replace("\t", " "), diagnostic.col)
    source, col = _inert_window(source, col)
    gutter = f"{diagnostic.line:>5} | "
    caret_pad = " " * (len(gutter) - 2) + "| " + " " * max(col - 1, 0)
    return f"{head}\n{gutter}{source}\n{caret_pad}{style('^', diagnostic.severity)}"


SOURCE_WIDTH = 100


def _window(source: str, col: int) -> tuple[str, int]:
    """A long source line cut to a window around the column, so the caret stays on screen."""
    if len(source) <= SOURCE_WIDTH:
        return source, col
    start = max(0, min(col - 1 - SOURCE_WIDTH // 2, len(source) - SOURCE_WIDTH))
    window = source[start : start + SOURCE_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SOURCE_WIDTH < len(source) else ""
    return prefix + window + suffix, col - start + len(prefix)


def _inert_window(source: str, col: int) -> tuple[str, int]:
    """The source line with its control characters made visible; the caret moves with them."""
    from ..io.sanitise import line as inert

    if inert(source) == source:
        return source, col
    before = inert(source[: max(col - 1, 0)])
    return before + inert(source[max(col - 1, 0):]), len(before) + 1


def summary(files: int, diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{_plural(files, 'file')}, {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Pending(msgspec.Struct):
    """A diagnostic whose position is still a path; positions are resolved once, at the end."""

    code: str
    message: str
    path: Path
    at: str = "value"  # value | key | table
    offset: int | None = None  # column inside a single-line string value
    first: Path | None = None  # for a duplicate: the path of the first one, named in the message
