"""Pure functions that move a State through a Scenario.

Same scenario, same seed, same choices: the same session, always. Random outcomes draw from a
generator seeded by the session seed and the step number, so a replay or a rewind reproduces
every draw without storing generator state.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from msgspec.structs import replace

from ..scenario import conditions
from ..scenario.model import Choice, Ending, Scenario, Scene
from . import setups
from .state import State, Step
from .effects import apply_effects  # noqa: F401 (the engine's API: explore and world apply effects too)
from .world import clock_base, enter, lock_reason

MAX_ROUTE_HOPS = 256


class EngineError(RuntimeError):
    """A move the scenario does not allow (a locked choice, a finished state, a route loop)."""


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    index: int
    """0-based position in the scene's choices as authored (the id a step and a log record)."""
    choice: Choice
    available: bool
    reason: str = ""
    """Why a locked choice is locked, as the learner reads it (`world.lock_reason`)."""
    position: int | None = None
    """0-based place on screen when the choices are shown in a session's order (see `order`)."""

    @property
    def number(self) -> int:
        """The number the learner sees and presses: the place on screen, else the authored place."""
        return (self.index if self.position is None else self.position) + 1


def holds(source: str | None, state: State) -> bool:
    return source is None or conditions.compiled(source)(state.metrics, state.flags)


def start(scenario: Scenario, *, metrics: dict[str, float] | None = None, flags: frozenset[str] = frozenset(),
          at: str | None = None, setup: str | None = None) -> State:
    """The state at the start (or, for authors testing a late scene, at `at` with given values).

    `setup` (an id of the scenario's `[[setups]]`, see `setups.draw`) replaces start values and
    sets flags first; explicit `metrics` and `flags` (an author's preview) apply on top of it."""
    values = {name: metric.start for name, metric in scenario.metrics.items()}
    try:
        values, start_flags = setups.apply(scenario, setup, values, frozenset())
    except setups.UnknownSetup as error:
        raise EngineError(str(error)) from None
    values.update(metrics or {})
    first = at or scenario.start
    state = State(
        scene=first,
        metrics=values,
        flags=start_flags | frozenset(flags),
        setup=setup,
        visited=(first,),
        metric_history={name: (value,) for name, value in values.items()},
    )
    state, _ = _arrive(scenario, state, first)
    return state


def current_scene(scenario: Scenario, state: State) -> Scene | None:
    node = scenario.nodes.get(state.scene)
    return node if isinstance(node, Scene) else None


def options(scenario: Scenario, state: State) -> list[ChoiceOption]:
    """The choices of the current scene, each marked available or locked with the reason."""
    scene = current_scene(scenario, state)
    if scene is None or state.finished:
        return []
    result = []
    for index, choice in enumerate(scene.choices):
        if holds(choice.requires, state):
            result.append(ChoiceOption(index, choice, True))
        else:
            result.append(ChoiceOption(index, choice, False, lock_reason(scenario, choice)))
    return result


def step(scenario: Scenario, state: State, index: int, *, seed: int = 0) -> State:
    """Take choice `index` (0-based) of the current scene."""
    scene = current_scene(scenario, state)
    if scene is None or state.finished:
        raise EngineError("the scenario has ended; there is nothing to choose")
    if not 0 <= index < len(scene.choices):
        raise EngineError(f"scene '{scene.id}' has {len(scene.choices)} choices; there is no choice {index + 1}")
    choice = scene.choices[index]
    if not holds(choice.requires, state):
        raise EngineError(f"choice {index + 1} of scene '{scene.id}' is locked: requires {choice.requires}")

    goto = choice.goto
    outcome_index = None
    draw = None
    effects = dict(choice.effects)
    if choice.outcomes:
        draw = random.Random(f"{seed}:{len(state.history)}").random()
        outcome_index = pick_outcome([o.chance for o in choice.outcomes], draw)
        outcome = choice.outcomes[outcome_index]
        goto = outcome.goto
        for name, delta in outcome.effects.items():
            effects[name] = effects.get(name, 0.0) + delta
    assert goto is not None  # validation guarantees exactly one of goto and outcomes

    metrics, applied = apply_effects(scenario, state.metrics, effects)
    points = dict(state.points)
    for name, delta in choice.score.items():
        points[name] = points.get(name, 0) + delta
    record = Step(
        scene=scene.id,
        choice=index,
        choice_id=choice.id,
        outcome=outcome_index,
        draw=draw,
        score={k: v for k, v in choice.score.items() if v},
        effects=applied,
        reflex=choice.reflex,
        minutes=choice.takes,
    )
    moved = replace(
        state,
        metrics=metrics,
        flags=state.flags | frozenset(choice.set),
        points=points,
        elapsed=state.elapsed + choice.takes,
        metric_history=_extend_history(state, metrics),
    )
    return _finish_step(scenario, moved, record, goto)


def timeout(scenario: Scenario, state: State) -> State:
    """The learner ran out of time in a time-limited scene."""
    scene = current_scene(scenario, state)
    if scene is None or scene.on_timeout is None or state.finished:
        raise EngineError("this scene has no time limit")
    record = Step(scene=scene.id, choice=-1)
    moved = replace(state, metric_history=_extend_history(state, state.metrics))
    return _finish_step(scenario, moved, record, scene.on_timeout)


def pick_outcome(chances: list[float], draw: float) -> int:
    total = 0.0
    for index, chance in enumerate(chances):
        total += chance
        if draw < total:
            return index
    return len(chances) - 1


def _extend_history(state: State, metrics: dict[str, float]) -> dict[str, tuple[float, ...]]:
    return {name: state.metric_history.get(name, ()) + (value,) for name, value in metrics.items()}


def _finish_step(scenario: Scenario, state: State, record: Step, goto: str) -> State:
    state, routed = _arrive(scenario, replace(state, scene=goto, visited=state.visited + (goto,)), goto)
    record = replace(record, routed=routed, arrived=state.scene)
    return replace(state, history=state.history + (record,))


def _arrive(scenario: Scenario, state: State, node_id: str) -> tuple[State, tuple[str, ...]]:
    """Follow routes from `node_id` until a scene with choices or an ending.

    Each scene entered on the way (routing scenes too) applies its `arrive` table first, so
    its routes and the scene shown see the world as the scene's text describes it.

    Iterative and linear: a chain of thousands of routing scenes plays (the loader refuses a
    cycle, C031), and the scenes passed are added to `visited` once, at the end. A chain can
    pass each routing scene at most once, so more hops than scenes can only be a cycle that an
    unchecked scenario slipped in."""
    routed: list[str] = []
    for _ in range(max(MAX_ROUTE_HOPS, len(scenario.scenes) + 1)):
        node = scenario.nodes[node_id]
        if not isinstance(node, Ending):
            state = enter(scenario, state, node)
        if isinstance(node, Ending) or node.choices or not node.routes:
            if routed:
                state = replace(state, visited=state.visited + tuple(routed[1:]) + (node_id,))
            if isinstance(node, Ending):
                return replace(state, scene=node_id, ending=node_id), tuple(routed)
            return replace(state, scene=node_id), tuple(routed)
        route = next(r for r in node.routes if holds(r.when, state))  # the last route always holds
        routed.append(node_id)
        node_id = route.goto
    raise EngineError(f"routes loop without end around scene '{node_id}'")


def clock(scenario: Scenario, state: State) -> str | None:
    """The scenario clock ("Day 1 03:42") when the scenario sets `clock_start`."""
    if scenario.clock_start is None:
        return None
    total = max(0, clock_base(scenario) + state.elapsed)
    day, minute_of_day = divmod(total, 24 * 60)
    return f"Day {day + 1} {minute_of_day // 60:02d}:{minute_of_day % 60:02d}"
