"""Every path through a scenario: the coach's quicktest and randomtest.

The exhaustive search walks the graph of (scene, metrics, flags) states once, memoised, and
computes on it what scoring needs: the most points reachable per criterion, the expert path
(the path of highest expected weighted value) and its points, which are the ceilings,
which endings and choices any path reaches, and how many distinct paths there are. Elapsed
time and history are not part of a state's identity because no condition can read them.
A loop that returns to a state already on the current path adds nothing (points cannot be
farmed by going round). When the state space is too large, seeded random playthroughs give
lower bounds instead, and the result says so.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from collections import Counter
from dataclasses import dataclass, field
from dataclasses import replace as _replace_fields

from typing import Any, cast

from msgspec.structs import replace

from ..scenario.model import Scenario, Scene
from . import engine
from .effects import apply_effects
from .state import State

MAX_STATES = 50_000
MAX_RANDOM_STEPS = 400

MAX_PATHS = 2**63 - 1
"""Path counts stop here (it fits every integer format a cache or a JSON reader uses)."""

StateKey = tuple[str, tuple[float, ...], frozenset[str]]


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
    """The most points any path earns per criterion (each criterion on its own best path)."""
    min_points: dict[str, int]
    paths: int
    """Distinct paths, saturating at MAX_PATHS ("at least"): 64 two-way decisions already pass 2**64."""
    ceilings: dict[str, int] = field(default_factory=dict)
    """Points per criterion on the expert path (its least lucky roll): 100% on each criterion."""
    scale: dict[str, int] = field(default_factory=dict)
    """Per criterion, the divisor that puts points on a common footing (see `criterion_scale`)."""
    expert_value: float = 0.0
    """The expert path's value: the sum over criteria of weight times points over scale."""
    state_values: list[tuple[str, tuple[float, ...], tuple[str, ...], float]] = field(default_factory=list, repr=False)
    """(scene, metrics, flags, value) for every explored state: the most (expected) value still to
    earn from it. Plain lists so the analysis keeps on disk; see `choice_values`."""
    ending_reach: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    """With `explore(..., endings=True)`: per ending reached, the lowest and highest value (as
    `expert_value`) and the fewest decisions of any path that ends there."""
    expert_path: list[PathStep] = field(default_factory=list)
    expert_ending: str | None = None
    longest_path: int = 0
    """Decisions on the longest path to an ending that repeats no state."""
    shortest_to_strong: int | None = None
    """Decisions on the shortest path to a strong ending; None if no path reaches one."""
    stuck: set[str] = field(default_factory=set)
    """Scenes where some reachable state offers no available choice and no timeout."""
    random_runs: int = 0
    ending_counts: Counter[str] = field(default_factory=Counter)
    reflex_counts: Counter[str] = field(default_factory=Counter)

    def never_available(self, scenario: Scenario) -> list[tuple[str, int]]:
        """Choices in reachable scenes that no path ever offers."""
        return [
            (scene.id, index)
            for scene in scenario.scenes
            if scene.id in self.nodes_reached
            for index in range(len(scene.choices))
            if (scene.id, index) not in self.choices_available
        ]


def _key(state: State) -> StateKey:
    # Explored states carry only the metrics and flags that conditions read (see `_Projection`);
    # values are rounded by apply_effects and kept in order, so they identify the state.
    return (state.scene, tuple(state.metrics.values()), state.flags)


class _Projection:
    """What a state needs to carry for exploration: only metrics and flags some condition reads.

    A metric that is only ever displayed, or a flag no condition tests, cannot change which
    choices are open or where routes go, and points come from choices alone. Leaving them out
    of explored states merges paths that differ only in dashboard numbers, which is what keeps
    exploration of a real scenario in the thousands of states instead of tens of thousands.
    """

    def __init__(self, scenario: Scenario, extra: tuple[str, ...] = ()) -> None:
        from ..scenario import conditions

        sources = list(extra)  # conditions a caller also reads (a text's passages: reachable_states)
        sources += [c.requires for s in scenario.scenes for c in s.choices if c.requires]
        sources += [r.when for s in scenario.scenes for r in s.routes if r.when]
        metrics: set[str] = set()
        flags: set[str] = set()
        for source in sources:
            for ref in conditions.names(conditions.parse(source)):
                (metrics if isinstance(ref, conditions.Metric) else flags).add(ref.name)
        self.metrics = [name for name in scenario.metrics if name in metrics]
        self.flags = frozenset(flags)

    def state(self, state: State) -> State:
        return State(scene=state.scene, metrics={m: state.metrics[m] for m in self.metrics},
                     flags=state.flags & self.flags, visited=state.visited, ending=state.ending)

    def effects(self, effects: dict[str, float]) -> dict[str, float]:
        return {name: delta for name, delta in effects.items() if name in self.metrics} if effects else effects

    def flag_set(self, flags: Iterable[str]) -> frozenset[str]:
        return self.flags.intersection(flags) if flags else frozenset()


def _successors(scenario: Scenario, state: State, projection: _Projection) -> list[tuple[int, int | None, dict[str, int], State]]:
    """Every (choice, outcome, score, next state) from a state, including a timeout."""
    scene = scenario.nodes[state.scene]
    assert isinstance(scene, Scene)
    found: list[tuple[int, int | None, dict[str, int], frozenset[str], dict[str, float], str]] = []
    for index, choice in enumerate(scene.choices):
        if not engine.holds(choice.requires, state):
            continue
        score = {k: v for k, v in choice.score.items() if v}
        if choice.outcomes:
            for drawn, outcome in enumerate(choice.outcomes):
                effects = dict(choice.effects)
                for name, delta in outcome.effects.items():
                    effects[name] = effects.get(name, 0.0) + delta
                found.append((index, drawn, score, projection.flag_set(choice.set), projection.effects(effects),
                              outcome.goto))
        else:
            assert choice.goto is not None  # a choice has goto or outcomes (the loader's C-rules)
            found.append((index, None, score, projection.flag_set(choice.set), projection.effects(choice.effects), choice.goto))
    if scene.on_timeout is not None:
        found.append((-1, None, {}, frozenset(), {}, scene.on_timeout))
    result: list[tuple[int, int | None, dict[str, int], State]] = []
    for index, number, score, flags, effects, goto in found:
        try:
            result.append((index, number, score, _jump(scenario, state, flags, effects, goto, projection)))
        except engine.EngineError:
            continue  # a route loop (reported by the loader as C031): no way through
    return result


def _jump(scenario: Scenario, state: State, flags: frozenset[str], effects: dict[str, float], goto: str,
          projection: _Projection | None = None) -> State:
    metrics = apply_effects(scenario, state.metrics, effects)[0] if effects else state.metrics
    new_flags = state.flags.union(flags) if flags else state.flags
    node = scenario.nodes[goto]
    if isinstance(node, Scene) and (node.choices or not node.routes) and node.arrive is None:
        return State(scene=goto, metrics=metrics, flags=new_flags, visited=(goto,))
    moved = State(scene=goto, metrics=metrics, flags=new_flags, visited=(goto,))
    arrived = engine._arrive(scenario, moved, goto)[0]
    if projection is not None and arrived.flags is not new_flags:
        # `arrive.set` may add flags no condition reads; they must not split explored states.
        arrived = replace(arrived, flags=projection.flag_set(arrived.flags))
    return arrived


def explore(scenario: Scenario, *, max_states: int = MAX_STATES, random_runs: int = 200, seed: int = 0,
            endings: bool = False, setup: str | None = None) -> Analysis:
    """Explore every path if the state space allows, else fall back to random playthroughs.

    More than `max_states` states is "too many": the result then comes from `random_runs` seeded
    playthroughs (none: an empty, non-exhaustive analysis, for a caller that only wants the
    exhaustive answer and would throw the runs away), and says how far the search got.

    `setup` (an id of the scenario's `[[setups]]`) explores the sessions that start in it: each
    setup has its own expert path and ceilings. `explore_setups` explores every one.

    `endings` also works out, per ending, the range of values and the fewest decisions of the
    paths that reach it (`Analysis.ending_reach`), which the checker's warnings need."""
    projection = _Projection(scenario)
    try:
        first = projection.state(engine.start(scenario, setup=setup))
    except engine.EngineError:
        return _empty(scenario)
    graph = _discover(scenario, first, projection, max_states)
    if graph is None:
        fallback = _random_analysis(scenario, random_runs, seed, setup) if random_runs > 0 else _empty(scenario)
        return _replace_fields(fallback, states=max_states)
    points = _Points(scenario, graph)
    bounds = _bounds(scenario, graph, points)
    scale = criterion_scale(scenario, bounds.max_points, bounds.min_points)
    points.weigh({c: w / scale[c] for c, w in scenario.criteria.items()})
    expert = _expert_values(scenario, graph, points)
    path, ceilings, ending = _expert_path(graph, expert.choice_of, points)
    return Analysis(
        exhaustive=True,
        states=len(graph.states),
        endings_reached={e.id: e.id in graph.nodes_reached for e in scenario.endings},
        nodes_reached=graph.nodes_reached,
        choices_available=graph.choices_available,
        max_points=bounds.max_points,
        min_points=bounds.min_points,
        paths=bounds.paths,
        ceilings=ceilings,
        scale=scale,
        expert_value=expert.realised[0],
        ending_reach=_ending_reach(graph, points) if endings else {},
        state_values=[(graph.states[i].scene, tuple(graph.states[i].metrics.values()), tuple(sorted(graph.states[i].flags)), v[0])
                      for i, v in enumerate(expert.value) if v is not None and not graph.states[i].finished],
        longest_path=bounds.longest,
        shortest_to_strong=bounds.shortest_to_strong,
        expert_path=path,
        expert_ending=ending,
        stuck=graph.stuck,
    )


Edge = tuple[int, int | None, dict[str, int], int]
"""(choice, outcome, score, target state id); choice -1 is the scene's timeout."""


@dataclass
class _Graph:
    """The reachable states, with integer ids in discovery order, and what discovery saw on the way.

    `order` is a DFS finishing order: every edge that is not a back edge (one that returns to a
    state on the current path, which adds nothing) points to a state finished before it."""

    states: list[State]
    edges: list[list[Edge]]
    order: list[int]
    back_edges: set[tuple[int, int]]
    nodes_reached: set[str]
    choices_available: set[tuple[str, int]]
    stuck: set[str]

    def forward(self, current: int) -> Iterator[tuple[int, Edge]]:
        """(position, edge) of each edge of `current` that is not a back edge."""
        back = self.back_edges
        return ((p, e) for p, e in enumerate(self.edges[current]) if (current, p) not in back)


def _discover(scenario: Scenario, first: State, projection: _Projection, max_states: int) -> _Graph | None:
    """The state graph by iterative DFS, or None once it holds more than `max_states` states."""
    ids: dict[StateKey, int] = {_key(first): 0}
    graph = _Graph([first], [], [], set(), set(first.visited), set(), set())
    pending: list[list[Edge] | None] = [None]
    colour: list[int] = [1]  # 0 new, 1 on the stack, 2 finished
    stack: list[list[int]] = [[0, 0]]
    while stack:
        frame = stack[-1]
        current = frame[0]
        out = pending[current]
        if out is None:
            if len(graph.states) > max_states:
                return None
            out = pending[current] = _expand(scenario, graph, current, projection, ids, pending, colour)
        position = frame[1]
        if position < len(out):
            frame[1] = position + 1
            target = out[position][3]
            if colour[target] == 0:
                colour[target] = 1
                stack.append([target, 0])
            elif colour[target] == 1:
                graph.back_edges.add((current, position))
        else:
            colour[current] = 2
            graph.order.append(current)
            stack.pop()
    graph.edges = pending  # type: ignore[assignment]  # every state was expanded
    return graph


def _expand(scenario: Scenario, graph: _Graph, current: int, projection: _Projection, ids: dict[StateKey, int],
            pending: list[list[Edge] | None], colour: list[int]) -> list[Edge]:
    """The edges out of one state; a state met for the first time gets the next id."""
    out: list[Edge] = []
    state = graph.states[current]
    if state.finished:
        return out
    for choice, outcome, score, nxt in _successors(scenario, state, projection):
        if choice >= 0:
            graph.choices_available.add((state.scene, choice))
        graph.nodes_reached.update(nxt.visited)
        key = _key(nxt)
        target = ids.get(key)
        if target is None:
            target = ids[key] = len(graph.states)
            graph.states.append(nxt)
            pending.append(None)
            colour.append(0)
        out.append((choice, outcome, score, target))
    if not out:
        graph.stuck.add(state.scene)
    return out


class _Points:
    """Each choice's points as a vector over the criteria, and weighted, worked out once per choice.

    Every edge of a choice carries the same score, and a choice is taken from many states, so the
    table is keyed by (scene, choice): per edge it was most of the time spent adding up points."""

    def __init__(self, scenario: Scenario, graph: _Graph) -> None:
        self.criteria = list(scenario.criteria)
        self.zero = (0,) * len(self.criteria)
        self.graph = graph
        self._vectors: dict[tuple[str, int], tuple[int, ...]] = {}
        self._gained: dict[tuple[str, int], float] = {}
        self.weights: dict[str, float] = {}
        self.chances = _chances(scenario)

    def weigh(self, weights: dict[str, float]) -> None:
        self.weights = weights
        self._gained.clear()

    def vector(self, current: int, edge: Edge) -> tuple[int, ...]:
        key = (self.graph.states[current].scene, edge[0])
        found = self._vectors.get(key)
        if found is None:
            found = self._vectors[key] = tuple(edge[2].get(c, 0) for c in self.criteria)
        return found

    def gained(self, current: int, edge: Edge) -> float:
        """The weighted value of the edge's points (the units of `Analysis.expert_value`)."""
        key = (self.graph.states[current].scene, edge[0])
        found = self._gained.get(key)
        if found is None:
            found = self._gained[key] = sum(self.weights.get(c, 0.0) * v for c, v in edge[2].items())
        return found


@dataclass
class _Bounds:
    max_points: dict[str, int]
    min_points: dict[str, int]
    paths: int
    longest: int
    shortest_to_strong: int | None


def _bounds(scenario: Scenario, graph: _Graph, points: _Points) -> _Bounds:
    """Per criterion the most and fewest points of any path, the path count, the longest path and
    the shortest to a strong ending, each in one pass over the finishing order."""
    size = len(graph.states)
    strong = {ending.id for ending in scenario.endings if ending.rating == "strong"}
    inf = float("inf")
    longest = [0] * size  # decisions on the longest path to any ending (no state repeated)
    shortest_strong = [inf] * size  # decisions on the shortest path to a strong ending
    best: list[tuple[int, ...] | None] = [None] * size
    worst: list[tuple[int, ...] | None] = [None] * size
    count = [0] * size
    for current in graph.order:
        state = graph.states[current]
        if state.finished:
            best[current] = worst[current] = points.zero
            count[current] = 1
            shortest_strong[current] = 0 if state.ending in strong else inf
            continue
        hi = lo = None
        total = 0
        for _, edge in graph.forward(current):
            choice, target = edge[0], edge[3]
            target_best = best[target]
            if target_best is None:
                continue
            total = min(total + count[target], MAX_PATHS)
            step = 1 if choice >= 0 else 0
            longest[current] = max(longest[current], step + longest[target])
            shortest_strong[current] = min(shortest_strong[current], step + shortest_strong[target])
            gain = points.vector(current, edge)
            target_worst = worst[target]
            assert target_worst is not None  # set with best, in the same reverse order
            up = tuple(map(int.__add__, gain, target_best))
            down = tuple(map(int.__add__, gain, target_worst))
            hi = up if hi is None else tuple(map(max, hi, up))
            lo = down if lo is None else tuple(map(min, lo, down))
        best[current], worst[current], count[current] = hi, lo, total
    return _Bounds(dict(zip(points.criteria, best[0] or points.zero)), dict(zip(points.criteria, worst[0] or points.zero)),
                   count[0], longest[0], None if shortest_strong[0] == inf else int(shortest_strong[0]))


Value = tuple[float, int, int]
"""(expected value, -timeouts, -steps) still to come from a state: compared as a tuple, higher value
wins, then fewer timeouts (a decision teaches, a timeout does not), then a shorter path."""


@dataclass
class _Expert:
    value: list[Value | None]
    realised: list[float]
    """The expert's choices with the least favourable outcome at each draw: the path every roll of
    the dice at least matches, which sets the ceilings."""
    choice_of: dict[int, int]
    """The position of the expert's edge out of each state."""


def _expert_values(scenario: Scenario, graph: _Graph, points: _Points) -> _Expert:
    """The expert path maximises the expected weighted value (see `criterion_scale`); a choice
    with random outcomes is worth its outcomes' values weighted by their chances."""
    size = len(graph.states)
    expert = _Expert([None] * size, [0.0] * size, {})
    for current in graph.order:
        if graph.states[current].finished:
            expert.value[current] = (0.0, 0, 0)
            continue
        groups: dict[int, list[int]] = {}
        for position, edge in graph.forward(current):
            if expert.value[edge[3]] is not None:
                groups.setdefault(edge[0], []).append(position)
        best: Value | None = None
        for choice, positions in groups.items():
            candidate = _choice_value(graph, current, choice, positions, points, expert.value)
            # Strictly greater wins and choices come in authored order: the first of equals stays.
            if best is None or candidate > best:
                best = candidate
                _take(graph, current, positions, points, expert)
        expert.value[current] = best
    return expert


def _choice_value(graph: _Graph, current: int, choice: int, positions: list[int], points: _Points,
                  value: list[Value | None]) -> Value:
    edges = graph.edges[current]
    scene = graph.states[current].scene
    weight_of = [points.chances.get((scene, choice, edges[p][1]), 1.0) for p in positions]
    mass = sum(weight_of) or 1.0
    # Targets come later in the order, so they are valued first: none is None here.
    known = cast(list[Value], [value[edges[p][3]] for p in positions])
    expected = points.gained(current, edges[positions[0]]) + sum(w * v[0] for w, v in zip(weight_of, known)) / mass
    timeouts, steps = min((v[1], v[2]) for v in known)
    return (round(expected, 9), timeouts - (1 if choice < 0 else 0), steps - 1)


def _take(graph: _Graph, current: int, positions: list[int], points: _Points, expert: _Expert) -> None:
    """Make the choice at `positions` the expert's from `current`, with its least lucky outcome."""
    edges = graph.edges[current]
    realised = expert.realised
    unlucky = min(positions, key=lambda p: (round(realised[edges[p][3]], 9), p))
    expert.choice_of[current] = unlucky
    realised[current] = points.gained(current, edges[unlucky]) + realised[edges[unlucky][3]]


def _expert_path(graph: _Graph, choice_of: dict[int, int], points: _Points) -> tuple[list[PathStep], dict[str, int], str | None]:
    """The expert's steps from the start, the points they earn (the ceilings) and where they end."""
    steps: list[PathStep] = []
    ceiling = list(points.zero)
    current = 0
    seen: set[int] = set()
    while not graph.states[current].finished and current in choice_of and current not in seen:
        seen.add(current)
        edge = graph.edges[current][choice_of[current]]
        steps.append(PathStep(graph.states[current].scene, edge[0], edge[1]))
        ceiling = list(map(int.__add__, ceiling, points.vector(current, edge)))
        current = edge[3]
    return steps, dict(zip(points.criteria, ceiling)), graph.states[current].ending


def _ending_reach(graph: _Graph, points: _Points) -> dict[str, tuple[float, float, int]]:
    """For the checker: per ending, the lowest and highest value and the fewest decisions of any
    path that reaches it (every roll of the dice counts: a lucky path is still a path)."""
    reach_of: list[dict[str, tuple[float, float, int]] | None] = [None] * len(graph.states)
    for current in graph.order:
        state = graph.states[current]
        if state.finished:
            assert state.ending is not None  # a finished state is at an ending
            reach_of[current] = {state.ending: (0.0, 0.0, 0)}
            continue
        merged: dict[str, tuple[float, float, int]] = {}
        for _, edge in graph.forward(current):
            after = reach_of[edge[3]]
            if after is not None:
                _merge_reach(merged, after, points.gained(current, edge), 1 if edge[0] >= 0 else 0)
        reach_of[current] = merged
    return reach_of[0] or {}


def _merge_reach(merged: dict[str, tuple[float, float, int]], after: dict[str, tuple[float, float, int]],
                 gained: float, step: int) -> None:
    for ending, (low, high, fewest) in after.items():
        old = merged.get(ending)
        new = (gained + low, gained + high, fewest + step)
        merged[ending] = new if old is None else (min(old[0], new[0]), max(old[1], new[1]), min(old[2], new[2]))


def choice_values(scenario: Scenario, analysis: Analysis, state: State) -> dict[int, float] | None:
    """What each open choice of `state`'s scene is worth with the best play after it: its points
    plus the most (expected) value still to earn where it leads, in the units of
    `scoring.decision_value`. The expert path takes the highest at every scene. None when the
    exploration cannot say (random runs, or a state it never met).

    A debrief asks this at every step and the checker's naive strategies replay the same states
    hundreds of times, so each (analysis, state) is worked out once."""
    if not analysis.state_values:
        return None
    kept = _lookup(scenario, analysis)
    try:
        projected = kept.projection.state(state)
    except KeyError:
        return None
    key = _key(projected)
    if key not in kept.answers:
        kept.answers[key] = _choice_values(scenario, analysis, kept, projected)
    found = kept.answers[key]
    return None if found is None else dict(found)


def _choice_values(scenario: Scenario, analysis: Analysis, kept: _Kept, projected: State) -> dict[int, float] | None:
    try:
        successors = _successors(scenario, projected, kept.projection)
    except (KeyError, engine.EngineError):
        return None
    total = sum(scenario.criteria.values()) or 1
    sums: dict[int, list[float]] = {}
    for index, outcome, score, nxt in successors:
        after = 0.0 if nxt.finished else kept.values.get(_key(nxt))
        if after is None:
            return None
        gained = sum(scenario.criteria.get(c, 0) * v / analysis.scale.get(c, 1) for c, v in score.items())
        chance = kept.chances.get((projected.scene, index, outcome), 1.0)
        entry = sums.setdefault(index, [0.0, 0.0, gained])
        entry[0] += chance * after
        entry[1] += chance
    return {index: (gained + weighted / (mass or 1.0)) / total for index, (weighted, mass, gained) in sums.items()}


@dataclass
class _Kept:
    analysis: Analysis
    scenario: Scenario
    projection: _Projection
    values: dict[StateKey, float]
    chances: dict[tuple[str, int, int | None], float]
    answers: dict[StateKey, dict[int, float] | None] = field(default_factory=dict)


_LOOKUPS: dict[int, _Kept] = {}


def _lookup(scenario: Scenario, analysis: Analysis) -> _Kept:
    """The state values as a dict, and the answers so far, built once per analysis (the last few are kept)."""
    kept = _LOOKUPS.get(id(analysis))
    if kept is None or kept.analysis is not analysis or kept.scenario is not scenario:
        values = {(scene, metrics, frozenset(flags)): value for scene, metrics, flags, value in analysis.state_values}
        kept = _Kept(analysis, scenario, _Projection(scenario), values, _chances(scenario))
        if len(_LOOKUPS) >= 4:
            _LOOKUPS.pop(next(iter(_LOOKUPS)))
        _LOOKUPS[id(analysis)] = kept
    return kept


def criterion_scale(scenario: Scenario, max_points: dict[str, int], min_points: dict[str, int]) -> dict[str, int]:
    """Each criterion's scale: the most points any path earns on it, so that a criterion's weight
    means the same whatever size its points come in. A criterion no path earns on is measured by
    the most any path loses there (at least 1), so losing points on it still costs."""
    return {c: max_points.get(c, 0) if max_points.get(c, 0) > 0 else max(1, -min_points.get(c, 0))
            for c in scenario.criteria}


def _chances(scenario: Scenario) -> dict[tuple[str, int, int | None], float]:
    return {(scene.id, index, number): outcome.chance
            for scene in scenario.scenes for index, choice in enumerate(scene.choices)
            for number, outcome in enumerate(choice.outcomes or ())}


def _empty(scenario: Scenario) -> Analysis:
    zero = {c: 0 for c in scenario.criteria}
    return Analysis(False, 0, {e.id: False for e in scenario.endings}, set(), set(), zero, dict(zero), 0,
                    ceilings=dict(zero), scale={c: 1 for c in scenario.criteria})


def reachable_states(scenario: Scenario, *, setup: str | None = None, extra_conditions: tuple[str, ...] = (),
                     max_states: int = MAX_STATES) -> list[State] | None:
    """Every distinct state a learner can be in at a scene with choices or an ending (in `setup`),
    carrying the metrics and flags that conditions, and `extra_conditions`, read; None when there
    are more than `max_states`. For checks that ask what holds where a text is shown."""
    projection = _Projection(scenario, extra_conditions)
    try:
        first = projection.state(engine.start(scenario, setup=setup))
    except engine.EngineError:
        return []
    seen = {_key(first)}
    states = [first]
    queue = [first]
    while queue:
        state = queue.pop()
        if state.finished or not isinstance(scenario.nodes.get(state.scene), Scene):
            continue
        for _, _, _, following in _successors(scenario, state, projection):
            key = _key(following)
            if key in seen:
                continue
            if len(seen) >= max_states:
                return None
            seen.add(key)
            states.append(following)
            queue.append(following)
    return states


def explore_setups(scenario: Scenario, **options: Any) -> dict[str | None, Analysis]:
    """Each setup's exploration by id, in the order declared; {None: ...} for a scenario without setups."""
    if not scenario.setups:
        return {None: explore(scenario, **options)}
    return {s.id: explore(scenario, setup=s.id, **options) for s in scenario.setups}


def random_playthrough(scenario: Scenario, rng: random.Random, *, seed: int = 0, setup: str | None = None) -> State:
    """One playthrough choosing uniformly among the available choices."""
    state = engine.start(scenario, setup=setup)
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


def random_runs(scenario: Scenario, runs: int, seed: int = 0, *, setup: str | None = None) -> tuple[Counter[str], Counter[str], list[State]]:
    """How often each ending and reflex comes up in `runs` seeded random playthroughs (in `setup`)."""
    rng = random.Random(seed)
    endings: Counter[str] = Counter()
    reflexes: Counter[str] = Counter()
    finals = []
    for _ in range(runs):
        final = random_playthrough(scenario, rng, setup=setup)
        finals.append(final)
        endings[final.ending or "(no ending)"] += 1
        for step in final.history:
            if step.reflex:
                reflexes[step.reflex] += 1
    return endings, reflexes, finals


def _random_analysis(scenario: Scenario, runs: int, seed: int, setup: str | None = None) -> Analysis:
    endings, reflexes, finals = random_runs(scenario, max(runs, 1), seed, setup=setup)
    criteria = list(scenario.criteria)
    nodes: set[str] = set()
    available: set[tuple[str, int]] = set()
    for final in finals:
        nodes.update(final.visited)
        for step in final.history:
            if step.choice >= 0:
                available.add((step.scene, step.choice))
    max_points = {c: max(f.points.get(c, 0) for f in finals) for c in criteria}
    min_points = {c: min(f.points.get(c, 0) for f in finals) for c in criteria}
    scale = criterion_scale(scenario, max_points, min_points)
    # The best run by the same weighted value the exhaustive search maximises; the first on ties.
    best = max(finals, key=lambda s: round(sum(s.points.get(c, 0) * w / scale[c] for c, w in scenario.criteria.items()), 9))
    return Analysis(
        exhaustive=False,
        states=MAX_STATES,
        endings_reached={e.id: e.id in nodes for e in scenario.endings},
        nodes_reached=nodes,
        choices_available=available,
        max_points=max_points,
        min_points=min_points,
        ceilings={c: best.points.get(c, 0) for c in criteria},
        scale=scale,
        expert_value=sum(best.points.get(c, 0) * w / scale[c] for c, w in scenario.criteria.items()),
        paths=len({tuple((s.scene, s.choice, s.outcome) for s in f.history) for f in finals}),
        expert_path=[PathStep(s.scene, s.choice, s.outcome) for s in best.history],
        expert_ending=best.ending,
        random_runs=len(finals),
        ending_counts=endings,
        reflex_counts=reflexes,
    )
