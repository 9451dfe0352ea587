"""Write a Scenario as TOML that reads like a file an author wrote by hand.

tomli-w formats every scalar (its string escaping is exact), but left to itself it would write
`score` and `effects` as sub-tables and scene text as `\\n` escapes. This module decides the
shape instead: top-level keys, then `[criteria]`, `[metrics.*]` and `[[setups]]`, then each `[[scenes]]` with
its `[[scenes.choices]]` indented beneath it, then `[[endings]]`; score, effects, outcomes and
routes as inline tables; scene and ending text as multi-line strings. Fields left at their
default are not written, as an author would leave them out.

The one promise: `load_text(scenario_to_toml(s))` gives back a Scenario equal to `s`.
The same pieces (`scene_block`, `ending_block`, `value_text`) are used by the saver that edits
a hand-written file, so what it adds looks like what `coach new` writes.
"""

from __future__ import annotations

import math
import re
from typing import Any

import msgspec
import tomli_w

from ..scenario.model import Arrive, Choice, Ending, Metric, Outcome, Route, Scenario, Scene, Setup, Term

INDENT = "  "
"""Choices sit two spaces in under their scene, as in the format's documentation."""

LINE_WIDTH = 100
"""An array of inline tables longer than this is written one table per line."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

# Key order for each table: the order an author reads them in, not the Struct's field order.
HEAD_ORDER = ("format", "id", "title", "summary", "role", "difficulty", "minutes", "tags", "mode", "start",
              "clock_start", "shuffle", "briefing")
METRIC_ORDER = ("label", "start", "min", "max", "display", "currency", "better", "shown")
SCENE_ORDER = ("id", "title", "text", "hint", "arrive", "time_limit", "on_timeout", "shuffle", "routes")
CHOICE_ORDER = ("id", "text", "requires", "locked", "goto", "outcomes", "score", "effects", "set", "feedback", "reflex", "takes", "pin")
ENDING_ORDER = ("id", "title", "rating", "text")
OUTCOME_ORDER = ("chance", "goto", "text", "effects")
ROUTE_ORDER = ("when", "goto")
ARRIVE_ORDER = ("day", "time", "advance", "effects", "set")
TERM_ORDER = ("term", "definition", "aliases")
SETUP_ORDER = ("id", "title", "weight", "set", "metrics")

ALWAYS_WRITTEN: dict[type, set[str]] = {Metric: {"min", "max"}}
"""Defaults written anyway, because a reader needs them to make sense of the table."""

ORDERS: dict[type, tuple[str, ...]] = {
    Scenario: HEAD_ORDER,
    Metric: METRIC_ORDER,
    Scene: SCENE_ORDER,
    Choice: CHOICE_ORDER,
    Ending: ENDING_ORDER,
    Outcome: OUTCOME_ORDER,
    Route: ROUTE_ORDER,
    Arrive: ARRIVE_ORDER,
    Term: TERM_ORDER,
    Setup: SETUP_ORDER,
}


def scenario_to_toml(scenario: Scenario) -> str:
    """The whole file."""
    parts = [head_block(scenario)]
    for scene in scenario.scenes:
        parts.append(scene_block(scene))
    for ending in scenario.endings:
        parts.append(ending_block(ending))
    return "\n".join(parts)


# --- blocks -----------------------------------------------------------------------------------


def head_block(scenario: Scenario) -> str:
    """Top-level keys, `[criteria]` and one `[metrics.name]` table per metric."""
    lines = [key_line(name, value) for name, value in fields_to_write(scenario)]
    if not scenario.scenes:
        lines.append("scenes = []")  # required key; an empty list has no [[scenes]] to show it
    if not scenario.endings:
        lines.append("endings = []")
    out = "\n".join(lines) + "\n"
    out += "\n[criteria]\n" + "".join(key_line(name, weight) + "\n" for name, weight in scenario.criteria.items())
    for name, metric in scenario.metrics.items():
        out += f"\n[metrics.{key_text(name)}]\n"
        out += "".join(key_line(key, value) + "\n" for key, value in fields_to_write(metric))
    for name, term in scenario.glossary.items():
        out += f"\n[glossary.{key_text(name)}]\n"
        out += "".join(key_line(key, value) + "\n" for key, value in fields_to_write(term))
    for setup in scenario.setups:
        out += "\n" + setup_block(setup)
    return out


def setup_block(setup: Setup) -> str:
    """`[[setups]]` with its keys; `metrics` as an inline table, as the format's documentation writes it."""
    return "[[setups]]\n" + "".join(key_line(k, v) + "\n" for k, v in fields_to_write(setup))


def scene_block(scene: Scene) -> str:
    out = scene_head(scene)
    for choice in scene.choices:
        out += "\n" + choice_block(choice)
    return out


def scene_head(scene: Scene) -> str:
    """`[[scenes]]` and the scene's own keys, without its choices."""
    return "[[scenes]]\n" + "".join(key_line(k, v) + "\n" for k, v in fields_to_write(scene))


def choice_block(choice: Choice) -> str:
    out = f"{INDENT}[[scenes.choices]]\n"
    for key, value in fields_to_write(choice):
        out += indent_first(key_line(key, value)) + "\n"
    return out


def ending_block(ending: Ending) -> str:
    return "[[endings]]\n" + "".join(key_line(k, v) + "\n" for k, v in fields_to_write(ending))


def indent_first(line: str) -> str:
    """Indent a key line; the continuation lines of a multi-line string are content, so they stay."""
    if "\n" not in line:
        return INDENT + line
    first, rest = line.split("\n", 1)
    if first.endswith('"""'):
        return INDENT + line
    # a multi-line array of inline tables: indent every line, the content has no raw newlines
    return "\n".join(INDENT + part for part in line.split("\n"))


# --- fields -----------------------------------------------------------------------------------


def fields_to_write(struct: msgspec.Struct) -> list[tuple[str, Any]]:
    """(key, value) pairs in reading order, leaving out defaults an author would not write.

    Nested tables written as blocks of their own (criteria, metrics, scenes, choices, endings)
    are not in the reading orders, so they are not returned here.
    """
    kind = type(struct)
    order = ORDERS.get(kind, kind.__struct_fields__)
    always = ALWAYS_WRITTEN.get(kind, set())
    defaults = field_defaults(kind)
    pairs = []
    for name in order:
        value = getattr(struct, name)
        if name not in always and name in defaults and value == defaults[name]:
            continue
        pairs.append((name, value))
    return pairs


def field_defaults(kind: type) -> dict[str, Any]:
    """Each optional field's default value (required fields are absent)."""
    found = {}
    for info in msgspec.structs.fields(kind):
        if info.default is not msgspec.NODEFAULT:
            found[info.name] = info.default
        elif info.default_factory is not msgspec.NODEFAULT:
            found[info.name] = info.default_factory()
    return found


# --- values -----------------------------------------------------------------------------------


def key_text(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else string_text(key, multiline=False)


def key_line(key: str, value: Any) -> str:
    return f"{key_text(key)} = {value_text(value)}"


def value_text(value: Any, *, inline: bool = False) -> str:
    """One TOML value. `inline` values sit inside an inline table, so they stay on one line."""
    if isinstance(value, msgspec.Struct):
        return inline_table(fields_to_write(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, str):
        return string_text(value, multiline=not inline)
    if isinstance(value, dict):
        return inline_table(list(value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [value_text(item, inline=True) for item in value]
        one_line = "[" + ", ".join(items) + "]"
        tables = any(isinstance(item, (dict, msgspec.Struct)) for item in value)
        if tables and items:
            one_line = "[ " + ", ".join(items) + " ]"
            if len(one_line) > LINE_WIDTH:
                return "[\n" + "".join(f"{INDENT}{item},\n" for item in items) + "]"
        return one_line
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def inline_table(pairs: list[tuple[str, Any]]) -> str:
    if not pairs:
        return "{}"
    return "{ " + ", ".join(f"{key_text(k)} = {value_text(v, inline=True)}" for k, v in pairs) + " }"


def number_text(value: float) -> str:
    """Whole numbers without a trailing `.0` (as authors write `max = 100`); the model reads them back as floats."""
    if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return tomli_w.dumps({"v": value})[4:-1]


def string_text(text: str, *, multiline: bool = True) -> str:
    """A basic string; a multi-line one when the text has line breaks.

    Text with a carriage return stays on one line with escapes: a multi-line TOML string cannot
    keep `\\r\\n` apart from `\\n` (tomli-w writes both as one line break).
    """
    multiline = multiline and "\n" in text and "\r" not in text
    return tomli_w.dumps({"v": text}, multiline_strings=multiline)[4:-1]
