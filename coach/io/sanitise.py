"""Text from a file is data: make it inert before it reaches a terminal, a CSV cell or Markdown.

Scenario files, session logs and settings are shared between strangers. A control character
from one of them, written to a terminal, is an instruction to that terminal: ESC starts a
sequence that can clear the screen, retitle the window or (OSC 52) write the clipboard; a C1
byte such as U+009B is a CSI on many terminals; BEL rings; CR overwrites the line. This module
turns every such character into a visible escape (`\\x1b`, `\\x9b`, `\\u202e`), so what the file
holds is shown, never obeyed. It is pure: no terminal, no Textual, no click.

- `line(text)`: single-line fields (ids, keys, titles in diagnostics, file names). Newlines are
  escaped too, so a key with a newline inside cannot forge a second diagnostic line.
- `prose(text)`: multi-line text; newline and tab are kept, everything else is escaped.
- `json_dumps(value)`: JSON whose strings hold no raw C1, DEL or bidi controls (json escapes C0).
- `csv_cell(value)`: a cell no spreadsheet runs as a formula, with controls made visible.
- `markdown(text)`: a Markdown document with HTML escaped, controls visible.
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls, DEL, C1 controls; bidirectional overrides and isolates (which reorder what the
# reader sees); the Unicode line and paragraph separators (which some terminals break on).
_WIDE = "\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
_LINE_UNSAFE = re.compile(f"[\x00-\x1f{_WIDE}]")
_PROSE_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_WIDE}]")  # keeps \t (0x09) and \n (0x0a)
_JSON_UNSAFE = re.compile(f"[{_WIDE}]")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line(text: object) -> str:
    """A single-line field: every control character, newline included, as a visible escape."""
    text = text if isinstance(text, str) else str(text)
    return _LINE_UNSAFE.sub(_visible, text)


def without_controls(text: str, replacement: str = "") -> str:
    """Every character `line` would escape replaced by `replacement`: for names and ids that
    are cleaned when read, where a visible escape would only be noise."""
    return _LINE_UNSAFE.sub(replacement, text)


def prose(text: object) -> str:
    """Multi-line text: newline and tab kept, every other control character made visible."""
    text = text if isinstance(text, str) else str(text)
    return _PROSE_UNSAFE.sub(_visible, text)


def is_inert(text: str) -> bool:
    """True when `text` holds no character `prose` would escape."""
    return _PROSE_UNSAFE.search(text) is None


def json_dumps(value: Any, **options: Any) -> str:
    """`json.dumps`, with C1, DEL and bidi characters inside strings written as `\\u00XX`.

    json escapes C0 itself; with `ensure_ascii=False` it writes the rest raw, and a raw U+009B
    is a CSI on a terminal. Those characters can occur only inside strings, so replacing them by
    JSON escapes keeps the document valid and equal.
    """
    import json  # only the reports write JSON: not imported on the app's start

    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, **options))


def csv_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet evaluates: text that would start a formula gets a leading `'`.

    `=HYPERLINK(…)` from a learner's name is the classic. Numbers stay numbers (a negative score
    is not a formula); control characters are made visible, newlines kept (csv quotes them).
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        value = "'" + value
    return prose(value)


def markdown(text: object) -> str:
    """A Markdown report made inert: no HTML tag survives (`<script>` shows as `&lt;script&gt;`).

    Applied to a whole document the reports built: `<` is always escaped and `>` everywhere
    except where it opens a line (the report's own block quotes); controls are made visible.
    """
    text = text if isinstance(text, str) else str(text)
    return prose(_QUOTE_GT.sub("&gt;", text.replace("<", "&lt;")))


_QUOTE_GT = re.compile(r"(?<!^)(?<!^ )(?<!^  )(?<!^   )>", re.M)
