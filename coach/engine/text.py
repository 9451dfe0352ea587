"""Text that follows the state: values and conditional passages in scenario text.

A scene, choice feedback, outcome text, ending or briefing may hold placeholders in braces:

- `{precision}`: a metric, formatted exactly as the dashboard formats it (`coach.display`);
- `{clock}`: the scenario clock ("Day 1 03:42"; empty without `clock_start`);
- `{learner}`: the learner's name ("you" when none is set);
- `{if COND}` … `{else}` … `{end}`: a passage shown only when COND holds, in the condition
  language of `requires` and routes (parsed by `coach.scenario.conditions`, never eval'd);
- `{{` and `}}`: a literal brace.

Only a brace followed by a letter or underscore opens a placeholder, so braces in ordinary prose
(`{ "a": 1 }`) stay as typed. A directive alone on its line takes its line with it, so passages
can be written as whole lines without leaving blank ones behind. Substitution happens first and
its result is then drawn by the Markdown-subset renderer as before: a value is text, never markup
(its Markdown characters are escaped) and a placeholder never runs anything.

This module is pure: `parse` finds the structure (and the problems `coach check` reports), and
`render` walks it against a state. Sizes are bounded (`MAX_TEXT`, `MAX_PLACEHOLDERS`,
`MAX_DEPTH`); text past a bound is shown as typed rather than partly substituted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from ..display import format_value
from ..scenario import conditions

if TYPE_CHECKING:
    from ..scenario.model import Scenario
    from .state import State

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
_MARKUP = re.compile(r"[\\*_`\[\]]")


@dataclass(frozen=True, slots=True)
class Value:
    name: str
    offset: int
    """Offset of the name inside the text (after the brace)."""


@dataclass(slots=True)
class Passage:
    condition: str
    offset: int
    """Offset of the condition inside the text."""
    start: int = 0
    """Offset of the `{if` that opens it."""
    then: list[Node] = field(default_factory=list)
    otherwise: list[Node] = field(default_factory=list)
    in_else: bool = False


Node = Union[str, Value, Passage]


@dataclass(frozen=True, slots=True)
class Problem:
    """A placeholder that is not well formed, at `offset` in the text; `code` is its diagnostic."""

    code: str
    message: str
    offset: int


@dataclass(slots=True)
class Parsed:
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
    tree = _Tree()
    literal = tree.literal
    position = 0
    count = 0
    size = len(text)
    while position < size:
        match = _OPEN.search(text, position)
        if match is None:
            literal(text[position:])
            break
        token = match.group()
        if token in ("{{", "}}"):
            literal(text[position:match.start()])
            literal(token[0])
            position = match.end()
            continue
        start = match.start()
        close = text.find("}", start + 1, start + 2 + MAX_PLACEHOLDER)
        if close < 0 or text.find("\n", start + 1, close) >= 0:  # both searches bounded: linear overall
            literal(text[position:start])
            tree.problems.append(Problem("C081", "a placeholder opened with `{` is not closed with `}` on the same "
                                                 "line (write `{{` for a literal brace)", start))
            literal("{")
            position = start + 1
            continue
        inner = text[start + 1:close]
        word = _NAME.match(inner)
        assert word is not None  # the brace is followed by a letter or underscore
        name, rest = word.group(), inner[word.end():]
        end = close + 1
        if name in DIRECTIVES:
            start, end = _own_line(text, start, end)
        literal(text[position:start])
        count += 1
        if count > MAX_PLACEHOLDERS:
            tree.problems.append(Problem("C084", f"more than {MAX_PLACEHOLDERS} placeholders in one text", start))
            literal(text[start:])
            break
        tree.placeholder(text, match.start(), close, name, rest)
        position = end
    for passage in tree.stack:
        tree.problems.append(Problem("C082", "`{if …}` without an `{end}`: close the passage", passage.start))
    return Parsed(tree.root, tree.problems)


@dataclass(slots=True)
class _Tree:
    """What parse() is building: the nodes so far, the passages still open, the problems found."""

    root: list[Node] = field(default_factory=list)
    stack: list[Passage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

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

    def placeholder(self, text: str, at: int, close: int, name: str, rest: str) -> None:
        """The closed `{…}` whose brace is at `at`: `name` is its first word and `rest` what follows it."""
        if name == "if" and rest[:1] in (" ", "\t") and rest.strip():
            self._open(rest, at + 1 + len(name), at)
        elif name == "if":
            self.problems.append(Problem("C081", "`{if}` needs a condition, e.g. `{if rolled_back}`", at))
            self.literal(text[at:close + 1])
        elif name in ("else", "end") and not rest.strip():
            self._else_or_end(name, text[at:close + 1], at)
        elif not rest:
            self.target().append(Value(name, at + 1))
        else:
            self.problems.append(Problem("C081", f"`{{{text[at + 1:close][:40]}}}` is not a placeholder: write a name "
                                                 "alone, e.g. `{precision}`, or `{if …}`, `{else}`, `{end}` (and `{{` "
                                                 "for a literal brace)", at))
            self.literal(text[at:close + 1])

    def _open(self, rest: str, rest_at: int, at: int) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.problems.append(Problem("C084", f"passages are nested more than {MAX_DEPTH} deep", at))
            self.stack.append(Passage("", 0))  # held for its `{end}`, never shown
            return
        lead = len(rest) - len(rest.lstrip())
        passage = Passage(rest.strip(), rest_at + lead, start=at)
        self.target().append(passage)
        self.stack.append(passage)

    def _else_or_end(self, name: str, raw: str, at: int) -> None:
        if not self.stack:
            self.problems.append(Problem("C083", f"`{{{name}}}` without an `{{if …}}` before it", at))
            self.literal(raw)
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


def value(scenario: Scenario, state: State, name: str, learner: str = "") -> str | None:
    """What `{name}` prints for this state, or None for a name the scenario does not have."""
    metric = scenario.metrics.get(name)
    if metric is not None:
        if name not in state.metrics:
            return None
        return format_value(metric, state.metrics[name])
    if name == "clock":
        from .engine import clock  # engine imports nothing from here, but keep the core's order simple

        return clock(scenario, state) or ""
    if name == "learner":
        return " ".join(learner.split()) or NOBODY
    return None


def render(text: str, scenario: Scenario, state: State, learner: str = "", *, markdown: bool = True) -> str:
    """The text with its placeholders filled in and only the passages whose condition holds.

    With `markdown` (the default, for text the Markdown-subset renderer draws next) a value's
    Markdown characters are escaped so they show as typed; without it (plain-text fields such
    as outcome text, and the CLI's transcript) values are inserted as they are. Never raises for a text that `coach check` would refuse: a malformed or unknown placeholder
    is shown as typed, and a passage whose condition does not parse is left out.
    """
    if not has_placeholders(text) or len(text) > MAX_TEXT:
        return text
    parsed = parse(text)
    out: list[str] = []
    _render(parsed.nodes, scenario, state, learner, markdown, out)
    return "".join(out)


def _render(nodes: list[Node], scenario: Scenario, state: State, learner: str, markdown: bool, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Value):
            shown = value(scenario, state, node.name, learner)
            if shown is None:
                out.append("{" + node.name + "}")
            else:
                out.append(_MARKUP.sub(lambda m: "\\" + m.group(), shown) if markdown else shown)
        else:
            branch = node.then if _holds(node.condition, state) else node.otherwise
            _render(branch, scenario, state, learner, markdown, out)


def _holds(condition: str, state: State) -> bool:
    try:
        return bool(conditions.compiled(condition)(state.metrics, state.flags))
    except (conditions.ConditionError, KeyError):
        return False


def briefing(scenario: Scenario, learner: str | None = None, *, setup: str | None = None) -> str:
    """The briefing as the learner reads it before play: rendered against the start state (of
    `setup`, the session's setup, for a scenario with `[[setups]]`).

    `learner` None reads the current learner's name (`coach.learner`)."""
    from . import engine

    if learner is None:
        from ..learner import current_learner

        learner = current_learner()
    text = scenario.briefing
    if has_placeholders(text):
        try:
            text = render(text, scenario, engine.start(scenario, setup=setup), learner)
        except (engine.EngineError, KeyError):
            pass
    return "\n\n".join(part.strip() for part in (scenario.summary, text) if part.strip())
