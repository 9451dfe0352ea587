"""Every path through a scenario: the coach's quicktest and randomtest.

The exhaustive search walks the graph of (scene, metrics, flags) states once, memoised, and
computes on it what scoring needs: the most points reachable per criterion, the expert path,
which endings and choices any path reaches, and how many distinct paths there are. Elapsed
time and history are not part of a state's identity because no condition can read them.
A loop that returns to a state already on the current path adds nothing (points cannot be
farmed by going round). When the state space is too large, seeded random playthroughs give
lower bounds instead, and the result says so.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from ..scenario.model import Scenario, Scene
from . import engine
from .state import State

MAX_STATES = 50_000
MAX_RANDOM_STEPS = 400

StateKey = tuple[str, tuple[float, ...], frozenset[str]]


@dataclass(frozen=True, slots=True)
class Edge:
    choice: int  # -1 for a timeout
    outcome: int | None
    score: dict[str, int]
    target: StateKey


@dataclass(frozen=True, slots=True)
class PathStep:
    scene: str
    choice: int
    outcome: int | None = None


@dataclass
class Analysis:
    exhaustive: bool
    states: int
    endings_reached: dict[str, bool]
    nodes_reached: set[str]
    choices_available: set[tuple[str, int]]
    """(scene id, choice index) pairs that some reachable state offers unlocked."""
    max_points: dict[str, int]
    min_points: dict[str, int]
    paths: int
    expert_path: list[PathStep] = field(default_factory=list)
    expert_ending: str | None = None
    stuck: set[str] = field(default_factory=set)
    """Scenes where some reachable state offers no available choice and no timeout."""
    random_runs: int = 0
    ending_counts: Counter = field(default_factory=Counter)
    reflex_counts: Counter = field(default_factory=Counter)

    def never_available(self, scenario: Scenario) -> list[tuple[str, int]]:
        """Choices in reachable scenes that no path ever offers."""
        return [
            (scene.id, index)
            for scene in scenario.scenes
            if scene.id in self.nodes_reached
            for index in range(len(scene.choices))
            if (scene.id, index) not in self.choices_available
        ]


def _key(state: State, names: tuple[str, ...]) -> StateKey:
    return (state.scene, tuple(round(state.metrics[n], 6) for n in names), state.flags)


def _successors(scenario: Scenario, state: State) -> list[tuple[int, int | None, dict[str, int], State]]:
    """Every (choice, outcome, score, next state) from a state, including a timeout."""
    scene = scenario.nodes[state.scene]
    assert isinstance(scene, Scene)
    found = []
    for option in engine.options(scenario, state):
        if not option.available:
            continue
        choice = option.choice
        score = {k: v for k, v in choice.score.items() if v}
        if choice.outcomes:
            for index, outcome in enumerate(choice.outcomes):
                effects = dict(choice.effects)
                for name, delta in outcome.effects.items():
                    effects[name] = effects.get(name, 0.0) + delta
                found.append((option.index, index, score, (choice.set, effects, outcome.goto)))
        else:
            found.append((option.index, None, score, (choice.set, choice.effects, choice.goto)))
    if scene.on_timeout is not None:
        found.append((-1, None, {}, ((), {}, scene.on_timeout)))
    result = []
    for index, outcome, score, (flags, effects, goto) in found:
        try:
            result.append((index, outcome, score, _jump(scenario, state, flags, effects, goto)))
        except engine.EngineError:
            continue  # a route loop (reported by the loader as C031): no way through
    return result


def _jump(scenario: Scenario, state: State, flags, effects: dict[str, float], goto: str) -> State:
    metrics, _ = engine.apply_effects(scenario, state.metrics, effects)
    moved = State(scene=goto, metrics=metrics, flags=state.flags | frozenset(flags), visited=(goto,))
    moved, _ = engine._arrive(scenario, moved, goto)
    return moved


def explore(scenario: Scenario, *, max_states: int = MAX_STATES, random_runs: int = 200, seed: int = 0) -> Analysis:
    """Explore every path if the state space allows, else fall back to random playthroughs."""
    names = tuple(scenario.metrics)
    try:
        first = engine.start(scenario)
    except engine.EngineError:
        return _empty(scenario)
    root = _key(first, names)
    states: dict[StateKey, State] = {root: first}
    edges: dict[StateKey, list[Edge]] = {}
    nodes_reached = set(first.visited)
    choices_available: set[tuple[str, int]] = set()
    stuck: set[str] = set()

    # Iterative DFS: discovery builds the state graph; finishing order gives a post-order in
    # which every edge that is not a back edge points to a state already finished.
    order: list[StateKey] = []
    colour: dict[StateKey, int] = {root: 1}  # 1 on the stack, 2 finished
    back_edges: set[tuple[StateKey, int]] = set()
    stack: list[tuple[StateKey, int]] = [(root, 0)]
    while stack:
        key, position = stack[-1]
        state = states[key]
        if key not in edges:
            if len(states) > max_states:
                return _random_analysis(scenario, random_runs, seed)
            out: list[Edge] = []
            if not state.finished:
                for choice, outcome, score, nxt in _successors(scenario, state):
                    if choice >= 0:
                        choices_available.add((state.scene, choice))
                    nodes_reached.update(nxt.visited or (nxt.scene,))
                    nkey = _key(nxt, names)
                    states.setdefault(nkey, nxt)
                    out.append(Edge(choice, outcome, score, nkey))
                if not out:
                    stuck.add(state.scene)
            edges[key] = out
        out = edges[key]
        if position < len(out):
            stack[-1] = (key, position + 1)
            target = out[position].target
            mark = colour.get(target, 0)
            if mark == 0:
                colour[target] = 1
                stack.append((target, 0))
            elif mark == 1:
                back_edges.add((key, position))
        else:
            colour[key] = 2
            order.append(key)
            stack.pop()

    criteria = list(scenario.criteria)
    best: dict[StateKey, dict[str, int] | None] = {}
    worst: dict[StateKey, dict[str, int] | None] = {}
    count: dict[StateKey, int] = {}
    for key in order:
        state = states[key]
        if state.finished:
            best[key] = worst[key] = {c: 0 for c in criteria}
            count[key] = 1
            continue
        hi: dict[str, int] | None = None
        lo: dict[str, int] | None = None
        total = 0
        for position, edge in enumerate(edges[key]):
            if (key, position) in back_edges or best.get(edge.target) is None:
                continue
            total += count[edge.target]
            up = {c: edge.score.get(c, 0) + best[edge.target][c] for c in criteria}
            down = {c: edge.score.get(c, 0) + worst[edge.target][c] for c in criteria}
            hi = up if hi is None else {c: max(hi[c], up[c]) for c in criteria}
            lo = down if lo is None else {c: min(lo[c], down[c]) for c in criteria}
        best[key], worst[key], count[key] = hi, lo, total

    max_points = best[root] or {c: 0 for c in criteria}
    min_points = worst[root] or {c: 0 for c in criteria}
    weights = _normalised_weights(scenario, max_points)

    # The expert path maximises the weighted share of every criterion's maximum.
    value: dict[StateKey, tuple[float, int] | None] = {}
    choice_of: dict[StateKey, int] = {}
    for key in order:
        if states[key].finished:
            value[key] = (0.0, 0)
            continue
        best_value: tuple[float, int] | None = None
        for position, edge in enumerate(edges[key]):
            if (key, position) in back_edges or value.get(edge.target) is None:
                continue
            gained = sum(weights.get(c, 0.0) * v for c, v in edge.score.items())
            # Prefer higher value, then decisions over timeouts, then shorter paths.
            candidate = (gained + value[edge.target][0], value[edge.target][1] - 1 + (-1000 if edge.choice < 0 else 0))
            if best_value is None or candidate > best_value:
                best_value = candidate
                choice_of[key] = position
        value[key] = best_value

    expert: list[PathStep] = []
    key = root
    seen: set[StateKey] = set()
    while not states[key].finished and key in choice_of and key not in seen:
        seen.add(key)
        edge = edges[key][choice_of[key]]
        expert.append(PathStep(states[key].scene, edge.choice, edge.outcome))
        key = edge.target
    expert_ending = states[key].ending

    endings_reached = {ending.id: ending.id in nodes_reached for ending in scenario.endings}
    return Analysis(
        exhaustive=True,
        states=len(states),
        endings_reached=endings_reached,
        nodes_reached=nodes_reached,
        choices_available=choices_available,
        max_points=max_points,
        min_points=min_points,
        paths=count.get(root, 0),
        expert_path=expert,
        expert_ending=expert_ending,
        stuck=stuck,
    )


def _normalised_weights(scenario: Scenario, max_points: dict[str, int]) -> dict[str, float]:
    return {c: w / max_points[c] for c, w in scenario.criteria.items() if max_points.get(c, 0) > 0}


def _empty(scenario: Scenario) -> Analysis:
    zero = {c: 0 for c in scenario.criteria}
    return Analysis(False, 0, {e.id: False for e in scenario.endings}, set(), set(), zero, dict(zero), 0)


def random_playthrough(scenario: Scenario, rng: random.Random, *, seed: int = 0) -> State:
    """One playthrough choosing uniformly among the available choices."""
    state = engine.start(scenario)
    for _ in range(MAX_RANDOM_STEPS):
        if state.finished:
            break
        available = [o.index for o in engine.options(scenario, state) if o.available]
        if not available:
            state = engine.timeout(scenario, state) if _has_timeout(scenario, state) else state
            if not state.finished and not available:
                break
            continue
        state = engine.step(scenario, state, rng.choice(available), seed=rng.randrange(1 << 30))
    return state


def _has_timeout(scenario: Scenario, state: State) -> bool:
    scene = scenario.nodes.get(state.scene)
    return isinstance(scene, Scene) and scene.on_timeout is not None


def random_runs(scenario: Scenario, runs: int, seed: int = 0) -> tuple[Counter, Counter, list[State]]:
    """How often each ending and reflex comes up in `runs` seeded random playthroughs."""
    rng = random.Random(seed)
    endings: Counter = Counter()
    reflexes: Counter = Counter()
    finals = []
    for _ in range(runs):
        final = random_playthrough(scenario, rng)
        finals.append(final)
        endings[final.ending or "(no ending)"] += 1
        for step in final.history:
            if step.reflex:
                reflexes[step.reflex] += 1
    return endings, reflexes, finals


def _random_analysis(scenario: Scenario, runs: int, seed: int) -> Analysis:
    endings, reflexes, finals = random_runs(scenario, max(runs, 1), seed)
    criteria = list(scenario.criteria)
    nodes: set[str] = set()
    available: set[tuple[str, int]] = set()
    for final in finals:
        nodes.update(final.visited)
        for step in final.history:
            if step.choice >= 0:
                available.add((step.scene, step.choice))
    best = max(finals, key=lambda s: sum(s.points.get(c, 0) * w for c, w in scenario.criteria.items()))
    return Analysis(
        exhaustive=False,
        states=MAX_STATES,
        endings_reached={e.id: e.id in nodes for e in scenario.endings},
        nodes_reached=nodes,
        choices_available=available,
        max_points={c: max(f.points.get(c, 0) for f in finals) for c in criteria},
        min_points={c: min(f.points.get(c, 0) for f in finals) for c in criteria},
        paths=len({tuple((s.scene, s.choice, s.outcome) for s in f.history) for f in finals}),
        expert_path=[PathStep(s.scene, s.choice, s.outcome) for s in best.history],
        expert_ending=best.ending,
        random_runs=len(finals),
        ending_counts=endings,
        reflex_counts=reflexes,
    )
