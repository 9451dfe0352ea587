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
from collections import Counter
from dataclasses import dataclass, field

from msgspec.structs import replace

from ..scenario.model import Scenario, Scene
from . import engine
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

    def flag_set(self, flags) -> frozenset[str]:
        return self.flags.intersection(flags) if flags else frozenset()


def _successors(scenario: Scenario, state: State, projection: _Projection) -> list[tuple[int, int | None, dict[str, int], State]]:
    """Every (choice, outcome, score, next state) from a state, including a timeout."""
    scene = scenario.nodes[state.scene]
    assert isinstance(scene, Scene)
    found = []
    for index, choice in enumerate(scene.choices):
        if not engine.holds(choice.requires, state):
            continue
        score = {k: v for k, v in choice.score.items() if v}
        if choice.outcomes:
            for number, outcome in enumerate(choice.outcomes):
                effects = dict(choice.effects)
                for name, delta in outcome.effects.items():
                    effects[name] = effects.get(name, 0.0) + delta
                found.append((index, number, score, projection.flag_set(choice.set), projection.effects(effects), outcome.goto))
        else:
            found.append((index, None, score, projection.flag_set(choice.set), projection.effects(choice.effects), choice.goto))
    if scene.on_timeout is not None:
        found.append((-1, None, {}, (), {}, scene.on_timeout))
    result = []
    for index, outcome, score, flags, effects, goto in found:
        try:
            result.append((index, outcome, score, _jump(scenario, state, flags, effects, goto, projection)))
        except engine.EngineError:
            continue  # a route loop (reported by the loader as C031): no way through
    return result


def _jump(scenario: Scenario, state: State, flags, effects: dict[str, float], goto: str,
          projection: _Projection | None = None) -> State:
    metrics = engine.apply_effects(scenario, state.metrics, effects)[0] if effects else state.metrics
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

    `setup` (an id of the scenario's `[[setups]]`) explores the sessions that start in it: each
    setup has its own expert path and ceilings. `explore_setups` explores every one.

    `endings` also works out, per ending, the range of values and the fewest decisions of the
    paths that reach it (`Analysis.ending_reach`), which the checker's warnings need."""
    projection = _Projection(scenario)
    try:
        first = projection.state(engine.start(scenario, setup=setup))
    except engine.EngineError:
        return _empty(scenario)
    # States get integer ids in discovery order; edges are (choice, outcome, score, target id).
    ids: dict[StateKey, int] = {_key(first): 0}
    states: list[State] = [first]
    edges: list[list[tuple[int, int | None, dict[str, int], int]] | None] = [None]
    nodes_reached = set(first.visited)
    choices_available: set[tuple[str, int]] = set()
    stuck: set[str] = set()

    # Iterative DFS: discovery builds the state graph; finishing order gives a post-order in
    # which every edge that is not a back edge points to a state already finished.
    order: list[int] = []
    colour: list[int] = [1]  # 0 new, 1 on the stack, 2 finished
    back_edges: set[tuple[int, int]] = set()
    stack: list[list[int]] = [[0, 0]]
    while stack:
        frame = stack[-1]
        current = frame[0]
        out = edges[current]
        if out is None:
            if len(states) > max_states:
                return _random_analysis(scenario, random_runs, seed, setup)
            out = []
            state = states[current]
            if not state.finished:
                for choice, outcome, score, nxt in _successors(scenario, state, projection):
                    if choice >= 0:
                        choices_available.add((state.scene, choice))
                    nodes_reached.update(nxt.visited)
                    key = _key(nxt)
                    target = ids.get(key)
                    if target is None:
                        target = ids[key] = len(states)
                        states.append(nxt)
                        edges.append(None)
                        colour.append(0)
                    out.append((choice, outcome, score, target))
                if not out:
                    stuck.add(state.scene)
            edges[current] = out
        position = frame[1]
        if position < len(out):
            frame[1] = position + 1
            target = out[position][3]
            mark = colour[target]
            if mark == 0:
                colour[target] = 1
                stack.append([target, 0])
            elif mark == 1:
                back_edges.add((current, position))
        else:
            colour[current] = 2
            order.append(current)
            stack.pop()

    criteria = list(scenario.criteria)
    zero = (0,) * len(criteria)
    vectors: dict[int, tuple[int, ...]] = {}  # by id of a choice's score dict: edges share them

    def vector(score: dict[str, int]) -> tuple[int, ...]:
        found = vectors.get(id(score))
        if found is None:
            found = vectors[id(score)] = tuple(score.get(c, 0) for c in criteria)
        return found

    size = len(states)
    ratings = {ending.id: ending.rating for ending in scenario.endings}
    INF = float("inf")
    longest = [0] * size  # decisions on the longest path to any ending (no state repeated)
    shortest_strong = [INF] * size  # decisions on the shortest path to a strong ending
    best: list[tuple[int, ...] | None] = [None] * size
    worst: list[tuple[int, ...] | None] = [None] * size
    count = [0] * size
    for current in order:
        if states[current].finished:
            best[current] = worst[current] = zero
            count[current] = 1
            shortest_strong[current] = 0 if ratings.get(states[current].ending) == "strong" else INF
            continue
        hi: tuple[int, ...] | None = None
        lo: tuple[int, ...] | None = None
        total = 0
        for position, (choice, _, score, target) in enumerate(edges[current]):
            target_best = best[target]
            if target_best is None or (current, position) in back_edges:
                continue
            total = min(total + count[target], MAX_PATHS)
            step = 1 if choice >= 0 else 0
            longest[current] = max(longest[current], step + longest[target])
            shortest_strong[current] = min(shortest_strong[current], step + shortest_strong[target])
            points = vector(score)
            up = tuple(map(int.__add__, points, target_best))
            down = tuple(map(int.__add__, points, worst[target]))
            hi = up if hi is None else tuple(map(max, hi, up))
            lo = down if lo is None else tuple(map(min, lo, down))
        best[current], worst[current], count[current] = hi, lo, total

    max_points = dict(zip(criteria, best[0] or zero))
    min_points = dict(zip(criteria, worst[0] or zero))
    scale = criterion_scale(scenario, max_points, min_points)
    weights = {c: w / scale[c] for c, w in scenario.criteria.items()}

    # The expert path maximises the expected weighted value (see `criterion_scale`); a choice
    # with random outcomes is worth its outcomes' values weighted by their chances.
    # `realised` follows the expert's choices with the least favourable outcome at each draw: the
    # path every roll of the dice at least matches, which sets the ceilings.
    chances = _chances(scenario)
    value: list[tuple[float, int] | None] = [None] * size
    realised: list[float] = [0.0] * size
    choice_of: dict[int, int] = {}
    for current in order:
        if states[current].finished:
            value[current] = (0.0, 0)
            continue
        groups: dict[int, list[int]] = {}
        for position, (choice, _, _, target) in enumerate(edges[current]):
            if value[target] is not None and (current, position) not in back_edges:
                groups.setdefault(choice, []).append(position)
        best_value: tuple[float, int] | None = None
        for choice, positions in groups.items():
            score = edges[current][positions[0]][2]
            gained = sum(weights.get(c, 0.0) * v for c, v in score.items())
            weight_of = [chances.get((states[current].scene, choice, edges[current][p][1]), 1.0) for p in positions]
            mass = sum(weight_of) or 1.0
            expected = gained + sum(w * value[edges[current][p][3]][0] for w, p in zip(weight_of, positions)) / mass
            length = min(value[edges[current][p][3]][1] for p in positions)
            # Prefer higher value, then decisions over timeouts, then shorter paths, then the
            # choice first in authored order (strictly greater wins, and choices come in order).
            candidate = (round(expected, 9), length - 1 + (-1000 if choice < 0 else 0))
            if best_value is None or candidate > best_value:
                best_value = candidate
                unlucky = min(positions, key=lambda p: (round(realised[edges[current][p][3]], 9), p))
                choice_of[current] = unlucky
                realised[current] = gained + realised[edges[current][unlucky][3]]
        value[current] = best_value

    expert: list[PathStep] = []
    ceiling = list(zero)
    current = 0
    seen: set[int] = set()
    while not states[current].finished and current in choice_of and current not in seen:
        seen.add(current)
        choice, outcome, score, target = edges[current][choice_of[current]]
        expert.append(PathStep(states[current].scene, choice, outcome))
        ceiling = list(map(int.__add__, ceiling, vector(score)))
        current = target
    expert_ending = states[current].ending

    # For the checker: per ending, the lowest and highest value and the fewest decisions of any
    # path that reaches it (every roll of the dice counts: a lucky path is still a path).
    reach_of: list[dict[str, tuple[float, float, int]] | None] = [None] * size
    if endings:
        for current in order:
            if states[current].finished:
                reach_of[current] = {states[current].ending: (0.0, 0.0, 0)}
                continue
            merged: dict[str, tuple[float, float, int]] = {}
            for position, (choice, _, score, target) in enumerate(edges[current]):
                after = reach_of[target]
                if after is None or (current, position) in back_edges:
                    continue
                gained = sum(weights.get(c, 0.0) * v for c, v in score.items())
                step = 1 if choice >= 0 else 0
                for ending, (low, high, fewest) in after.items():
                    old = merged.get(ending)
                    new = (gained + low, gained + high, fewest + step)
                    merged[ending] = new if old is None else (min(old[0], new[0]), max(old[1], new[1]), min(old[2], new[2]))
            reach_of[current] = merged

    endings_reached = {ending.id: ending.id in nodes_reached for ending in scenario.endings}
    return Analysis(
        exhaustive=True,
        states=len(states),
        endings_reached=endings_reached,
        nodes_reached=nodes_reached,
        choices_available=choices_available,
        max_points=max_points,
        min_points=min_points,
        paths=count[0],
        ceilings=dict(zip(criteria, ceiling)),
        scale=scale,
        expert_value=realised[0],
        ending_reach=reach_of[0] or {},
        state_values=[(states[i].scene, tuple(states[i].metrics.values()), tuple(sorted(states[i].flags)), v[0])
                      for i, v in enumerate(value) if v is not None and not states[i].finished],
        longest_path=longest[0],
        shortest_to_strong=None if shortest_strong[0] == INF else int(shortest_strong[0]),
        expert_path=expert,
        expert_ending=expert_ending,
        stuck=stuck,
    )


def choice_values(scenario: Scenario, analysis: Analysis, state: State) -> dict[int, float] | None:
    """What each open choice of `state`'s scene is worth with the best play after it: its points
    plus the most (expected) value still to earn where it leads, in the units of
    `scoring.decision_value`. The expert path takes the highest at every scene. None when the
    exploration cannot say (random runs, or a state it never met)."""
    if not analysis.state_values:
        return None
    projection, values = _lookup(scenario, analysis)
    try:
        projected = projection.state(state)
        successors = _successors(scenario, projected, projection)
    except (KeyError, engine.EngineError):
        return None
    total = sum(scenario.criteria.values()) or 1
    chances = _chances(scenario)
    sums: dict[int, list[float]] = {}
    for index, outcome, score, nxt in successors:
        after = 0.0 if nxt.finished else values.get(_key(nxt))
        if after is None:
            return None
        gained = sum(scenario.criteria.get(c, 0) * v / analysis.scale.get(c, 1) for c, v in score.items())
        chance = chances.get((state.scene, index, outcome), 1.0)
        entry = sums.setdefault(index, [0.0, 0.0, gained])
        entry[0] += chance * after
        entry[1] += chance
    return {index: (gained + weighted / (mass or 1.0)) / total for index, (weighted, mass, gained) in sums.items()}


_LOOKUPS: dict[int, tuple[Analysis, _Projection, dict[StateKey, float]]] = {}


def _lookup(scenario: Scenario, analysis: Analysis) -> tuple[_Projection, dict[StateKey, float]]:
    """The state values as a dict, built once per analysis (the last few are kept)."""
    kept = _LOOKUPS.get(id(analysis))
    if kept is None or kept[0] is not analysis:
        values = {(scene, metrics, frozenset(flags)): value for scene, metrics, flags, value in analysis.state_values}
        kept = (analysis, _Projection(scenario), values)
        if len(_LOOKUPS) >= 4:
            _LOOKUPS.pop(next(iter(_LOOKUPS)))
        _LOOKUPS[id(analysis)] = kept
    return kept[1], kept[2]


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


def explore_setups(scenario: Scenario, **options) -> dict[str | None, Analysis]:
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


def random_runs(scenario: Scenario, runs: int, seed: int = 0, *, setup: str | None = None) -> tuple[Counter, Counter, list[State]]:
    """How often each ending and reflex comes up in `runs` seeded random playthroughs (in `setup`)."""
    rng = random.Random(seed)
    endings: Counter = Counter()
    reflexes: Counter = Counter()
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
