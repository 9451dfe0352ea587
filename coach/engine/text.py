"""Text that follows the state: values and conditional passages in scenario text.

A scene, choice feedback, outcome text, ending or briefing may hold placeholders in braces:

- `{precision}`: a metric, formatted exactly as the dashboard formats it (`coach.io.display`);
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
from typing import TYPE_CHECKING

from ..io.display import format_value
# The syntax (parse, its problems and bounds) is the format's; it is re-exported here for the renderer.
from ..scenario.passages import (
    MAX_TEXT as MAX_TEXT,
    MAX_PLACEHOLDERS as MAX_PLACEHOLDERS,
    MAX_DEPTH as MAX_DEPTH,
    MAX_PLACEHOLDER as MAX_PLACEHOLDER,
    BUILTINS as BUILTINS,
    DIRECTIVES as DIRECTIVES,
    NOBODY as NOBODY,
    Value as Value,
    Passage as Passage,
    Problem as Problem,
    Parsed as Parsed,
    Node as Node,
    has_placeholders as has_placeholders,
    parse as parse,
    names as names,
)

if TYPE_CHECKING:
    from ..scenario.model import Scenario
    from .state import State

_MARKUP = re.compile(r"[\\*_`\[\]]")
"""Markdown characters a printed value escapes, so a value is never markup."""


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
    from ..scenario import conditions  # only a text with passages needs the condition language

    try:
        return bool(conditions.compiled(condition)(state.metrics, state.flags))
    except (conditions.ConditionError, KeyError):
        return False


def briefing(scenario: Scenario, learner: str = "", *, setup: str | None = None) -> str:
    """The briefing as the learner reads it before play: rendered against the start state (of
    `setup`, the session's setup, for a scenario with `[[setups]]`).

    `learner` is the name `{learner}` shows; the shell reads it (coach.config.learner), not the engine."""
    text = scenario.briefing
    if has_placeholders(text):
        from . import engine  # the start state, only for a briefing that shows it (none built in)

        try:
            text = render(text, scenario, engine.start(scenario, setup=setup), learner)
        except (engine.EngineError, KeyError):
            pass
    return "\n\n".join(part.strip() for part in (scenario.summary, text) if part.strip())
