"""A world that agrees with its text: what entering a scene does, the clock, and lock reasons.

A scene's `arrive` table is applied every time the scene is entered, before the learner sees it:
its metric effects (clamped like any effect), its flags, and its clock settings. Application is
deterministic, so a session rebuilt from its log (which records only decisions, draws and
timeouts) arrives at the same state without recording anything new.
"""

from __future__ import annotations

from msgspec.structs import replace

from ..io.display import format_value
from ..scenario import conditions
from ..scenario.model import Arrive, Choice, Scenario, Scene
from .effects import apply_effects
from .state import State

DAY = 24 * 60


def minutes_of(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def clock_base(scenario: Scenario) -> int:
    """Minutes after midnight of day 1 at which `elapsed` is 0."""
    return minutes_of(scenario.clock_start) if scenario.clock_start else 0


def arrival_minute(arrive: Arrive, now: int) -> int:
    """The clock (minutes since midnight of day 1) after arriving with `arrive`, from `now`.

    `day` with `time` is absolute (it can move the clock back; the checker warns, W131);
    `time` alone is the next time the clock shows it (now, if it shows it already), so it never
    moves back; `day` alone keeps the time of day (the checker asks for a time, W132);
    `advance` is added last.
    """
    if arrive.time is not None:
        of_day = minutes_of(arrive.time)
        if arrive.day is not None:
            now = (arrive.day - 1) * DAY + of_day
        else:
            today = now - now % DAY + of_day
            now = today if today >= now else today + DAY
    elif arrive.day is not None:
        now = (arrive.day - 1) * DAY + now % DAY
    return now + arrive.advance


def enter(scenario: Scenario, state: State, scene: Scene) -> State:
    """The state once `scene` is entered: its `arrive` effects, flags and clock applied."""
    arrive = scene.arrive
    if arrive is None:
        return state

    # Only metrics the state carries: exploration leaves out metrics no condition reads.
    effects = {name: delta for name, delta in arrive.effects.items() if name in state.metrics}
    metrics, applied = apply_effects(scenario, state.metrics, effects) if effects else (state.metrics, {})
    history = state.metric_history
    if applied and history:
        # One history point per step: the scene's news joins the step that led here, so the
        # dashboard shows it as the change since the last decision.
        history = {name: values[:-1] + (metrics[name],) if name in applied and values else values
                   for name, values in history.items()}
    elapsed = state.elapsed
    if arrive.day is not None or arrive.time is not None or arrive.advance:
        base = clock_base(scenario)
        elapsed = arrival_minute(arrive, base + state.elapsed) - base
    return replace(
        state,
        metrics=metrics,
        flags=state.flags | frozenset(arrive.set) if arrive.set else state.flags,
        elapsed=elapsed,
        metric_history=history,
    )


# --- lock reasons --------------------------------------------------------------------------------

_OPS = {">": "is above", ">=": "is at least", "<": "is below", "<=": "is at most", "==": "is", "!=": "is not"}
_MIRROR = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}


def lock_reason(scenario: Scenario, choice: Choice) -> str:
    """What the learner reads next to a locked choice.

    The author's `locked` text when there is one; otherwise the condition as a sentence in the
    dashboard's words ("Available only when Precision is above 90.0% and not rolled back"),
    never the raw condition.
    """
    if choice.locked is not None and _printable(choice.locked):
        text = _printable(choice.locked)
        return text[:-1] if text.endswith(".") and not text.endswith("..") else text
    if choice.requires is None:
        return ""
    try:
        words = _words(scenario, conditions.parse(choice.requires))
    except conditions.ConditionError:  # the loader rejects these; a direct caller may not
        words = choice.requires
    return _printable(f"Available only when {words}")


def _printable(text: str) -> str:
    """One line without control characters: reasons are printed by `coach simulate` too."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _words(scenario: Scenario, node: conditions.Node) -> str:
    if isinstance(node, conditions.Flag):
        return node.name.replace("_", " ")
    if isinstance(node, conditions.Not):
        inner = _words(scenario, node.operand)
        return f"not {inner}" if isinstance(node.operand, (conditions.Flag, conditions.Not)) else f"not ({inner})"
    if isinstance(node, conditions.Compare):
        left, op, right = node.left, node.op, node.right
        if not isinstance(left, conditions.Metric) and isinstance(right, conditions.Metric):
            left, op, right = right, _MIRROR[op], left
        return f"{_operand(scenario, left, right)} {_OPS[op]} {_operand(scenario, right, left)}"
    parts = [_words(scenario, op) if not isinstance(op, conditions.BoolOp) else f"({_words(scenario, op)})"
             for op in node.operands]
    return f" {node.op} ".join(parts)


def _operand(scenario: Scenario, operand: conditions.Number | conditions.Metric,
             other: conditions.Number | conditions.Metric) -> str:
    if isinstance(operand, conditions.Metric):
        metric = scenario.metrics.get(operand.name)
        return " ".join(metric.label.split()) if metric is not None and metric.label.strip() else operand.name
    if isinstance(other, conditions.Metric) and other.name in scenario.metrics:
        return format_value(scenario.metrics[other.name], operand.value)
    return f"{operand.value:g}"
