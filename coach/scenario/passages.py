"""The syntax of text that follows the state: placeholders, `{if}` passages and their problems.

Scenario text may hold `{metric}`, `{clock}`, `{learner}`, `{if COND}` … `{else}` … `{end}` and the
literal braces `{{` `}}` (the full rules are in coach.engine.text, which renders them). Parsing
is part of the format, so it lives here, beside the loader that reports its problems as `C08x`
errors; rendering against a state is the engine's. Sizes are bounded (`MAX_TEXT`,
`MAX_PLACEHOLDERS`, `MAX_DEPTH`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Union

import msgspec


if TYPE_CHECKING:
    from .model import Scenario

MAX_TEXT = 100_000
"""Characters in one text that is substituted; a longer text is shown as typed."""
MAX_PLACEHOLDERS = 1000
"""Placeholders and directives in one text."""
MAX_DEPTH = 8
"""`{if}` passages nested inside one another."""
MAX_PLACEHOLDER = 2000
"""Characters inside one pair of braces (a condition's own limit)."""

BUILTINS = ("clock", "learner")
"""Names every scenario has; a metric of the same name wins."""
DIRECTIVES = ("if", "else", "end")
NOBODY = "you"
"""What `{learner}` prints when no name is set."""

_OPEN = re.compile(r"\{\{|\}\}|\{(?=[A-Za-z_])")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Value(msgspec.Struct, frozen=True):
    name: str
    offset: int
    """Offset of the name inside the text (after the brace)."""


class Passage(msgspec.Struct):
    condition: str
    offset: int
    """Offset of the condition inside the text."""
    start: int = 0
    """Offset of the `{if` that opens it."""
    then: list[Node] = msgspec.field(default_factory=list)
    otherwise: list[Node] = msgspec.field(default_factory=list)
    in_else: bool = False


Node = Union[str, Value, Passage]


class Problem(msgspec.Struct, frozen=True):
    """A placeholder that is not well formed, at `offset` in the text; `code` is its diagnostic."""

    code: str
    message: str
    offset: int


class Parsed(msgspec.Struct):
    nodes: list[Node]
    problems: list[Problem]

    def values(self) -> list[Value]:
        return [n for n in _walk(self.nodes) if isinstance(n, Value)]

    def passages(self) -> list[Passage]:
        return [n for n in _walk(self.nodes) if isinstance(n, Passage)]


def _walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        if isinstance(node, Passage):
            yield from _walk(node.then)
            yield from _walk(node.otherwise)


def has_placeholders(text: str) -> bool:
    return "{" in text or "}}" in text


def parse(text: str) -> Parsed:
    """The text as literal runs, values and passages, with every problem found on the way."""
    if len(text) > MAX_TEXT:
        return Parsed([text], [Problem("C084", f"the text is {len(text)} characters long; text with placeholders is "
                                               f"limited to {MAX_TEXT}", 0)])
    out = _Builder()
    position = 0
    count = 0
    size = len(text)
    while position < size:
        match = _OPEN.search(text, position)
        if match is None:
            out.literal(text[position:])
            break
        token = match.group()
        if token in ("{{", "}}"):
            out.literal(text[position:match.start()])
            out.literal(token[0])
            position = match.end()
            continue
        start = match.start()
        close = text.find("}", start + 1, start + 2 + MAX_PLACEHOLDER)
        if close < 0 or text.find("\n", start + 1, close) >= 0:  # both searches bounded: linear overall
            out.literal(text[position:start])
            out.problems.append(Problem("C081", "a placeholder opened with `{` is not closed with `}` on the same line "
                                                "(write `{{` for a literal brace)", start))
            out.literal("{")
            position = start + 1
            continue
        inner = text[start + 1:close]
        word = _NAME.match(inner)
        assert word is not None  # the brace is followed by a letter or underscore
        end = close + 1
        if word.group() in DIRECTIVES:
            start, end = _own_line(text, start, end)
        out.literal(text[position:start])
        count += 1
        if count > MAX_PLACEHOLDERS:
            out.problems.append(Problem("C084", f"more than {MAX_PLACEHOLDERS} placeholders in one text", start))
            out.literal(text[start:])
            break
        out.placeholder(text, match.start(), close, word.end())
        position = end
    for passage in out.stack:
        out.problems.append(Problem("C082", "`{if …}` without an `{end}`: close the passage", passage.start))
    return Parsed(out.root, out.problems)


class _Builder:
    """The tree `parse` grows: literal runs merge, and open passages stack up until their `{end}`."""

    def __init__(self) -> None:
        self.root: list[Node] = []
        self.stack: list[Passage] = []
        self.problems: list[Problem] = []

    def target(self) -> list[Node]:
        if not self.stack:
            return self.root
        top = self.stack[-1]
        return top.otherwise if top.in_else else top.then

    def literal(self, piece: str) -> None:
        if not piece:
            return
        into = self.target()
        if into and isinstance(into[-1], str):
            into[-1] += piece
        else:
            into.append(piece)

    def placeholder(self, text: str, at: int, close: int, name_end: int) -> None:
        """`text[at:close + 1]` is `{name…}`, its name ending at `at + 1 + name_end`."""
        inner = text[at + 1:close]
        name, rest = inner[:name_end], inner[name_end:]
        if name == "if":
            self._if(text, at, close, rest, name_end)
        elif name in ("else", "end") and not rest.strip():
            self._else_or_end(text, name, at, close)
        elif not rest:
            self.target().append(Value(name, at + 1))
        else:
            self.problems.append(Problem("C081", f"`{{{inner[:40]}}}` is not a placeholder: write a name alone, e.g. "
                                                 "`{precision}`, or `{if …}`, `{else}`, `{end}` (and `{{` for a literal "
                                                 "brace)", at))
            self.literal(text[at:close + 1])

    def _if(self, text: str, at: int, close: int, rest: str, name_end: int) -> None:
        if not (rest[:1] in (" ", "\t") and rest.strip()):
            self.problems.append(Problem("C081", "`{if}` needs a condition, e.g. `{if rolled_back}`", at))
            self.literal(text[at:close + 1])
        elif len(self.stack) >= MAX_DEPTH:
            self.problems.append(Problem("C084", f"passages are nested more than {MAX_DEPTH} deep", at))
            self.stack.append(Passage("", 0))  # held for its `{end}`, never shown
        else:
            lead = len(rest) - len(rest.lstrip())
            passage = Passage(rest.strip(), at + 1 + name_end + lead, start=at)
            self.target().append(passage)
            self.stack.append(passage)

    def _else_or_end(self, text: str, name: str, at: int, close: int) -> None:
        if not self.stack:
            self.problems.append(Problem("C083", f"`{{{name}}}` without an `{{if …}}` before it", at))
            self.literal(text[at:close + 1])
        elif name == "else":
            if self.stack[-1].in_else:
                self.problems.append(Problem("C083", "a second `{else}` in the same passage", at))
            self.stack[-1].in_else = True
        else:
            self.stack.pop()


def _own_line(text: str, start: int, end: int) -> tuple[int, int]:
    """A directive alone on its line spans the whole line and its newline."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t"):
        return start, end
    line_end = text.find("\n", end)
    after = text[end:line_end if line_end >= 0 else len(text)]
    if after.strip(" \t\r"):
        return start, end
    return line_start, (line_end + 1 if line_end >= 0 else len(text))


def names(scenario: Scenario) -> list[str]:
    """Every name a placeholder may print in this scenario."""
    return [*scenario.metrics, *(name for name in BUILTINS if name not in scenario.metrics)]
