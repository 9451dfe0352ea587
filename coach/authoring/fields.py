"""The workspace's form fields: which fields each item has, how a value is shown, how typed
text becomes a value again. Pure, so the rules are tested without a screen.

Collections (score, effects, outcomes, routes, tags, set, criteria) are typed exactly as they
are written in the file, as one TOML value (`{ failure = 2, monitoring = 1 }`), so what an
author learns in the form is what they read in the file, and the loader's own types check it.
Metrics are a small TOML document, one `name = { ... }` line per metric. A blank field means
the field's default (no time limit, no outcomes, no reflex...).
"""

from __future__ import annotations

import re
import tomllib
import typing
from dataclasses import dataclass
from typing import Any, Literal

import msgspec

from ..scenario.model import CLOCK_PATTERN, ENUMS, ID_PATTERN, NAME_PATTERN, Choice, Ending, Scenario, Scene, Setup
from . import writer

Kind = Literal["id", "line", "area", "int", "enum", "target", "toml", "metrics"]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    help: str = ""
    placeholder: str = ""

    @property
    def label(self) -> str:
        return self.name


class FieldError(ValueError):
    """Text that is not a value for the field; the message says what was expected."""


FIELDS: dict[str, tuple[Field, ...]] = {
    "scenario": (
        Field("id", "id", "Lowercase letters, digits and hyphens; unique in a library."),
        Field("title", "line"),
        Field("summary", "line", "One or two sentences for the library list."),
        Field("role", "line", "Who the learner plays.", "AI PM, payments risk"),
        Field("difficulty", "enum"),
        Field("minutes", "int", "Typical minutes to play."),
        Field("tags", "toml", "A TOML array of strings.", '["incident", "drift"]'),
        Field("start", "target", "The first scene."),
        Field("mode", "enum", "coach shows feedback after each decision; exam waits for the debrief."),
        Field("clock_start", "line", "Optional scenario clock start, HH:MM.", "03:12"),
        Field("briefing", "area", "Markdown shown before play: the situation."),
        Field("criteria", "toml", "Rubric criteria this scenario grades, weights 1..3.", "{ monitoring = 3, failure = 2 }"),
        Field("metrics", "metrics", "One line per metric: name = { label, start, min, max, display, currency, better, shown }.",
              'precision = { label = "Precision", start = 0.92, min = 0, max = 1, display = "percent" }'),
    ),
    "scene": (
        Field("id", "id", "Every goto, route and timeout that leads here follows a rename."),
        Field("title", "line", "Heading shown above the scene."),
        Field("text", "area", "Markdown, shown literally."),
        Field("arrive", "toml", "Optional: applied each time the scene is entered: effects, set, and the clock (day, time, advance).",
              '{ time = "09:30", effects = { conversion = -0.006 } }'),
        Field("time_limit", "int", "Optional: seconds to decide. Needs on_timeout."),
        Field("on_timeout", "target", "Where the story goes when time runs out."),
        Field("routes", "toml", "For a scene without choices: the first route whose `when` holds is taken; the last has no `when`.",
              '[ { when = "precision < 0.85", goto = "escalation" }, { goto = "steady" } ]'),
    ),
    "choice": (
        Field("id", "id", "Optional; kept in session logs, unique in its scene."),
        Field("text", "area", "The decision as the learner reads it."),
        Field("goto", "target", "Where this choice leads (or give outcomes instead)."),
        Field("outcomes", "toml", "Random outcomes instead of goto; chances sum to 1.",
              '[ { chance = 0.7, goto = "escalation" }, { chance = 0.3, goto = "lucky" } ]'),
        Field("requires", "line", "The choice is locked unless this condition holds.", "not rolled_back and precision < 0.9"),
        Field("locked", "line", "Optional: what the learner reads while it is locked, instead of the condition.",
              "Needs a mitigation in place first"),
        Field("score", "toml", "Rubric criterion = points, -3..3.", "{ failure = 2, monitoring = 1 }"),
        Field("effects", "toml", "Metric = change.", "{ precision = 0.05 }"),
        Field("set", "toml", "Flags that become true.", '["rolled_back"]'),
        Field("feedback", "area", "Why this choice is strong or weak: what an expert would do."),
        Field("reflex", "enum", "The traditional-PM reflex this choice shows, if any."),
        Field("takes", "int", "Minutes of scenario time the decision costs."),
    ),
    "ending": (
        Field("id", "id", "Every goto that leads here follows a rename."),
        Field("title", "line"),
        Field("rating", "enum"),
        Field("text", "area", "Markdown, shown literally."),
    ),
    "setup": (
        Field("id", "id", "Names the setup in `--setup` and in session logs; unique among setups."),
        Field("title", "line", "What is really going on; shown in the debrief and reports, never before the ending.",
              "An upstream unit change"),
        Field("weight", "int", "Relative chance of being drawn, 1..100 (blank: 1)."),
        Field("set", "toml", "Flags true from the start, read by {if flag} passages and requires.", '["cause_units"]'),
        Field("metrics", "toml", "Start values replacing the metrics' own start, within their min..max.",
              "{ precision = 0.71, psi = 0.41 }"),
    ),
}

STRUCTS: dict[str, type] = {"scenario": Scenario, "scene": Scene, "choice": Choice, "ending": Ending, "setup": Setup}


def enum_options(kind: str, name: str, reflexes: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs for an enum field; the empty value means "none" where that is allowed."""
    if name == "reflex":
        return [("(none)", ""), *((r, r) for r in reflexes or [])]
    return [(value, value) for value in ENUMS[name]]


# --- showing ----------------------------------------------------------------------------------------


def show(item: msgspec.Struct, field: Field) -> str:
    """The text a field shows for an item's current value."""
    value = getattr(item, field.name)
    if value is None:
        return ""
    if field.kind == "metrics":
        return "".join(f"{writer.key_text(name)} = {writer.inline_table(writer.fields_to_write(metric))}\n"
                       for name, metric in value.items())
    if field.kind == "toml":
        default = writer.field_defaults(type(item)).get(field.name, msgspec.NODEFAULT)
        if value == default and field.name != "criteria":
            return ""
        return one_line(value)
    if field.kind == "int":
        default = writer.field_defaults(type(item)).get(field.name)
        return "" if value == default and default is not None else str(value)
    return str(value)


def one_line(value: Any) -> str:
    """A TOML value on one line (the writer may break long arrays over lines in a file)."""
    if isinstance(value, list) and any(isinstance(v, (dict, msgspec.Struct)) for v in value):
        return "[ " + ", ".join(writer.value_text(v, inline=True) for v in value) + " ]"
    return writer.value_text(value, inline=True)


# --- parsing ----------------------------------------------------------------------------------------


def parse(kind_of_item: str, field: Field, text: str) -> Any:
    """The value typed text stands for, checked against the format's types; raises FieldError."""
    struct = STRUCTS[kind_of_item]
    hint = typing.get_type_hints(struct, include_extras=True)[field.name]
    defaults = writer.field_defaults(struct)
    stripped = text.strip()
    blank_means = defaults.get(field.name, msgspec.NODEFAULT)
    if field.name == "reflex" and not stripped:
        return None
    raw: Any
    if field.kind == "area":
        raw = text
    elif field.kind in ("line", "id", "enum") and (stripped or blank_means is msgspec.NODEFAULT or blank_means == ""):
        raw = stripped
    elif not stripped:
        if blank_means is msgspec.NODEFAULT:
            raise FieldError(f"{field.name} is required")
        return blank_means
    elif field.kind == "target":
        raw = stripped
    elif field.kind == "int":
        try:
            raw = int(stripped)
        except ValueError:
            raise FieldError(f"{field.name} must be a whole number") from None
    elif field.kind == "metrics":
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise FieldError(f"not TOML: {_toml_reason(error)}") from None
    else:
        try:
            raw = tomllib.loads(f"v = {stripped}")["v"]
        except tomllib.TOMLDecodeError as error:
            example = f"; e.g. {field.placeholder}" if field.placeholder else ""
            raise FieldError(f"not a TOML value: {_toml_reason(error)}{example}") from None
    try:
        return msgspec.convert(raw, hint)
    except msgspec.ValidationError as error:
        raise FieldError(_words(str(error), field.name)) from None


def _toml_reason(error: tomllib.TOMLDecodeError) -> str:
    message = re.sub(r"\s*\(at (line \d+, )?column \d+\)", "", str(error)).rstrip(".")
    return message[0].lower() + message[1:] if message else "invalid"


_BOUNDS = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}


def _words(message: str, name: str) -> str:
    """msgspec's message with `$` paths turned into the field's name."""
    message = message.replace("`$`", f"`{name}`").replace("`$", f"`{name}")
    message = re.sub(r" - at `[^`]*`$", "", message)
    message = re.sub(r"Expected `(int|float)` (>=|<=|>|<) (-?[\d.]+)",
                     lambda m: f"must be {_BOUNDS[m.group(2)]} {m.group(3)}", message)
    for pattern, words in ((CLOCK_PATTERN, "expected a time of day, HH:MM"),
                           (ID_PATTERN, "expected an id (lowercase letters, digits, hyphens)"),
                           (NAME_PATTERN, "expected a name (lowercase letters, digits, underscores)")):
        shown = pattern.replace("\\", "\\\\")  # msgspec's message doubles each backslash
        message = message.replace(f"Expected `str` matching regex '{shown}'", words)
    return message[0].lower() + message[1:] if message else "not allowed"
