"""A linear pre-scan of a TOML source that refuses what no scenario needs, before tomllib sees it.

tomllib is correct but not defensive: a 20,000-part dotted key costs it seconds and gigabytes,
a few hundred nested arrays exhaust the recursion limit, and an integer of thousands of digits
raises ValueError (Python's int-to-str limit). This scanner walks the source once with one
regular expression, skipping strings and comments, and reports the first such thing with its
offset so the loader can give it `file:line:col: CODE`:

- C005: brackets (`[` `{`) nested deeper than MAX_DEPTH;
- C040: a key longer than MAX_KEY characters;
- C041: a dotted key of more than MAX_DOTTED parts;
- C042: a bare value (a number) longer than MAX_NUMBER characters.

It is forgiving about everything else: TOML that is wrong in another way is left for tomllib to
report with its own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 32
MAX_KEY = 128
MAX_DOTTED = 16
MAX_NUMBER = 40

_TOKEN = re.compile(
    r'(?P<mlb>"""(?:[^"\\]+|\\.|"(?!""))*(?:"""""|""""|"""|\Z))'
    r"|(?P<mll>'''(?:[^']+|'(?!''))*(?:'''''|''''|'''|\Z))"
    r'|(?P<basic>"(?:[^"\\\n]+|\\.)*"?)'
    r"|(?P<literal>'[^'\n]*'?)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<newline>\n)"
    r"|(?P<space>[ \t\r]+)"
    r"|(?P<bare>[A-Za-z0-9_+\-:]+)"
    r"|(?P<dot>\.)"
    r"|(?P<punct>[\[\]{}=,])"
    r"|(?P<other>.)",
    re.S,
)


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str
    offset: int


_LONG_BARE = re.compile(r"[A-Za-z0-9_+\-:]{%d,}" % (MAX_NUMBER + 1))
_LONG_QUOTED_KEY = re.compile(r"""(?:"[^"\n]{%d,}"|'[^'\n]{%d,}')[ \t]*[.=\]]""" % (MAX_KEY, MAX_KEY))
_BRACKETS = re.compile(r"[^\[\]{}]+")


def _maybe_hostile(text: str) -> bool:
    """A cheap, conservative test (strings not skipped): False means `prescan` would find nothing.

    Keeps the fast path fast: a good file costs a few passes in C instead of a token loop."""
    if _LONG_BARE.search(text) or _LONG_QUOTED_KEY.search(text):
        return True
    if text.count(".") >= MAX_DOTTED and any(line.count(".") >= MAX_DOTTED for line in text.split("\n")):
        return True
    depth = 0
    for char in _BRACKETS.sub("", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            return True
    return False


def prescan(text: str) -> Refusal | None:
    """The first thing in `text` no scenario needs, or None. Linear in the length of `text`."""
    if not _maybe_hostile(text):
        return None
    scan = _Scan()
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "newline":
            scan.newline()
            continue
        at_line_start, scan.line_start = scan.line_start, False
        if kind == "punct":
            refusal = scan.punct(match.group(), at_line_start, match.start())
        elif kind == "dot":
            continue  # a separator between the parts of a dotted key, or inside a number
        else:
            refusal = scan.word(kind, match.group(), match.start())
        if refusal is not None:
            return refusal
    return None


@dataclass
class _Scan:
    """Where prescan() is in the TOML: just enough to tell a key from a value and count nesting."""

    depth: int = 0
    stack: list[str] = field(default_factory=list)  # open brackets: "[" array, "{" inline table, "h" a table header
    line_start: bool = True
    key_parts: int = 0  # parts of the dotted name being read; 0 when not in a name
    key_offset: int = 0
    expect_key: bool = True  # at the start of a line, after `{` or `,` inside an inline table

    def newline(self) -> None:
        self.line_start = True
        if not self.stack or self.stack[-1] != "[":
            self.expect_key = True
        self.key_parts = 0

    def punct(self, value: str, at_line_start: bool, start: int) -> Refusal | None:
        stack = self.stack
        if value in "[{":
            if value == "[" and at_line_start and not stack:
                stack.append("h")  # a [table] or [[array-of-tables]] header: a name follows
                self.expect_key = True
                return None
            if value == "[" and stack and stack[-1] == "h" and self.key_parts == 0:
                stack.append("h")
                return None
            self.depth += 1
            if self.depth > MAX_DEPTH:
                return Refusal("C005", f"values are nested more than {MAX_DEPTH} deep; no scenario needs that", start)
            stack.append(value)
            self.expect_key = value == "{"
        elif value in "]}":
            if stack and stack.pop() != "h":
                self.depth -= 1
            self.expect_key = bool(stack) and stack[-1] == "{"
        elif value == "=":
            self.expect_key = False
        elif value == ",":
            self.expect_key = bool(stack) and stack[-1] == "{"
        self.key_parts = 0
        return None

    def word(self, kind: str | None, value: str, start: int) -> Refusal | None:
        naming = self.expect_key or (self.stack and self.stack[-1] == "h")
        if naming and kind in ("bare", "basic", "literal"):
            if self.key_parts == 0:
                self.key_offset = start
            self.key_parts += 1
            length = len(value) - (0 if kind == "bare" else 2)
            if length > MAX_KEY:
                return Refusal("C040", f"a key of {length} characters; keys are limited to {MAX_KEY}", start)
            if self.key_parts > MAX_DOTTED:
                return Refusal("C041", f"a dotted key of more than {MAX_DOTTED} parts; no scenario needs that",
                               self.key_offset)
            return None
        if kind == "bare" and len(value) > MAX_NUMBER:
            return Refusal("C042", f"a value of {len(value)} characters where a number goes; numbers are limited to "
                                   f"{MAX_NUMBER} characters", start)
        return None
