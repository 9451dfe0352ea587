"""Warnings: a scenario that loads but would teach badly or trap the learner.

These run only on a scenario that passed every rule. Reachability uses the exhaustive
exploration of the engine (conditions, flags and metrics included) when the state space is
within `EXPLORE_LIMIT`, and the plain scene graph otherwise, whatever the number of scenes: the
cost grows with the states explored and stops at the bound, with no cut-off where it drops.
`coach check` keeps what exploring found (see `_kept_exploration_warnings`), so a file is
explored once, not on every check.
"""

from __future__ import annotations

from contextvars import ContextVar

from ..engine.explore import MAX_STATES, Analysis
from ..scenario.diagnostics import Pending
from ..scenario.model import Ending, Scenario, Scene
from ..scenario.model import reachable as _reachable  # one walk, shared with the authoring graph
from ..scenario.tomlpos import Path


def edges(scenario: Scenario) -> dict[str, list[str]]:
    """Every node a scene can lead to, ignoring conditions: choices, outcomes, routes, timeouts."""
    graph: dict[str, list[str]] = {}
    for scene in scenario.scenes:
        targets: list[str] = []
        for choice in scene.choices:
            if choice.goto is not None:
                targets.append(choice.goto)
            for outcome in choice.outcomes or ():
                targets.append(outcome.goto)
        targets.extend(route.goto for route in scene.routes)
        if scene.on_timeout is not None:
            targets.append(scene.on_timeout)
        graph.setdefault(scene.id, targets)
    return graph


def static_warnings(scenario: Scenario) -> list[Pending]:
    node_path: dict[str, Path] = {}
    for index, scene in enumerate(scenario.scenes):
        node_path.setdefault(scene.id, ("scenes", index))
    for index, ending in enumerate(scenario.endings):
        node_path.setdefault(ending.id, ("endings", index))
    graph = edges(scenario)
    reachable = _reachable(graph, scenario.start)
    out = _unreached(scenario, node_path, reachable)
    out.extend(_no_way_out(scenario, graph, node_path, reachable))
    out.extend(_kept_exploration_warnings(scenario, node_path, reachable))
    out.extend(_nothing_to_learn(scenario))
    return out


def _unreached(scenario: Scenario, node_path: dict[str, Path], reachable: set[str]) -> list[Pending]:
    """W101 from the graph alone: nodes no goto, route or timeout leads to."""
    out: list[Pending] = []
    for node_id, path in node_path.items():
        if node_id not in reachable:
            kind = "ending" if isinstance(scenario.nodes[node_id], Ending) else "scene"
            out.append(Pending("W101", f"no path reaches {kind} '{node_id}'", path + ("id",)))
    return out


def _no_way_out(scenario: Scenario, graph: dict[str, list[str]], node_path: dict[str, Path],
                reachable: set[str]) -> list[Pending]:
    """W103 from the graph alone: reachable scenes from which no ending can be reached."""
    reverse: dict[str, list[str]] = {}
    for source, targets in graph.items():
        for nxt in targets:
            reverse.setdefault(nxt, []).append(source)
    stack = [ending.id for ending in scenario.endings]
    can_finish = set(stack)
    while stack:
        for previous in reverse.get(stack.pop(), ()):
            if previous not in can_finish:
                can_finish.add(previous)
                stack.append(previous)
    return [Pending("W103", f"scene '{scene.id}' is in a loop with no way out: no ending can be reached from it",
                    node_path[scene.id] + ("id",))
            for scene in scenario.scenes if scene.id in reachable and scene.id not in can_finish]


def _nothing_to_learn(scenario: Scenario) -> list[Pending]:
    """W104 a criterion no choice scores, W105 a scene whose choices all score alike, W106 a choice without feedback."""
    out: list[Pending] = []
    scored = {name for scene in scenario.scenes for choice in scene.choices for name, points in choice.score.items() if points}
    for name in scenario.criteria:
        if name not in scored:
            out.append(Pending("W104", f"criterion '{name}' is graded but no choice scores it", ("criteria", name), "key"))
    for s_index, scene in enumerate(scenario.scenes):
        if len(scene.choices) >= 2:
            first = {k: v for k, v in scene.choices[0].score.items() if v}
            if all({k: v for k, v in c.score.items() if v} == first for c in scene.choices[1:]):
                out.append(Pending("W105", f"every choice in scene '{scene.id}' scores the same; the learner learns nothing from choosing", ("scenes", s_index, "id")))
        for c_index, choice in enumerate(scene.choices):
            if not choice.feedback.strip():
                out.append(Pending("W106", "choice has no feedback; say why it is strong or weak", ("scenes", s_index, "choices", c_index, "text"), "key"))
    return out


EXPLORE_LIMIT = MAX_STATES
"""States the checker explores for condition-aware warnings before it settles for the graph: the
same bound as `coach explore` and scoring, so a scenario that explore grades exhaustively is
linted exhaustively too (at 20,000 two built-in scenarios slipped past the teaching lint that
`coach explore` showed failing)."""

def warnings_key(scenario: Scenario) -> str:
    """What decides the exploration warnings: the parsed scenario (so a comment or a reformat
    is still a hit), the program, the rubric the naive strategies are graded by, and the bounds."""
    import hashlib

    import msgspec

    from .. import __version__
    from ..scenario.loader import builtin_rubric
    from .passage_checks import LIMIT

    digest = hashlib.sha256(msgspec.msgpack.encode(scenario))
    digest.update(msgspec.msgpack.encode((__version__, builtin_rubric(), EXPLORE_LIMIT, LIMIT)))
    return digest.hexdigest()


KEEP = ContextVar("coach_keep_warnings", default=False)
"""Whether exploration warnings worked out now are written to the cache. Only `coach check`
(`checking.check_file`) writes: play that saves nothing writes nothing, and an editor checking
every keystroke would leave a file per keystroke. Everyone reads what check kept."""


def _kept_exploration_warnings(scenario: Scenario, node_path: dict[str, Path], graph_reachable: set[str]) -> list[Pending]:
    """The exploration warnings, read from the cache beside the explorations when this scenario
    was checked before (coach.analysis.saved); exploring is nearly all of `coach check`."""
    from . import saved as analyses

    key = warnings_key(scenario)
    kept = analyses.load_warnings(key)
    if kept is not None:
        return [Pending(code, message, path, at, offset, first) for code, message, path, at, offset, first in kept]
    found = _exploration_warnings(scenario, node_path, graph_reachable)
    if KEEP.get():
        analyses.save_warnings(key, [(p.code, p.message, p.path, p.at, p.offset, p.first) for p in found])
    return found


def _exploration_warnings(scenario: Scenario, node_path: dict[str, Path], graph_reachable: set[str]) -> list[Pending]:
    """What only playing every path shows: conditions that never hold, places the learner is stuck."""
    from ..engine.explore import explore
    from .setup_checks import merged, per_setup

    # Each setup is explored on its own (setup_checks says how their warnings combine). One
    # setup past the bound means no exploration warnings at all, so the others are not explored.
    analyses: dict[str | None, Analysis] = {}
    setups: list[str | None] = [s.id for s in scenario.setups] or [None]
    for setup in setups:
        analyses[setup] = explore(scenario, setup=setup, max_states=EXPLORE_LIMIT, random_runs=0, endings=True)
        if not analyses[setup].exhaustive:
            return []
    analysis = merged(list(analyses.values()))
    out: list[Pending] = []
    for node_id in sorted(graph_reachable - analysis.nodes_reached, key=lambda n: node_path.get(n, ())):
        if node_id in node_path:
            kind = "ending" if isinstance(scenario.nodes[node_id], Ending) else "scene"
            out.append(Pending("W101", f"no path reaches {kind} '{node_id}' (the conditions on the way never allow it)", node_path[node_id] + ("id",)))
    for scene_id, index in analysis.never_available(scenario):
        scene = scenario.nodes[scene_id]
        if not isinstance(scene, Scene):  # never_available names scenes only
            continue
        choice = scene.choices[index]
        out.append(Pending("W102", f"choice {index + 1} of scene '{scene_id}' is never available: `{choice.requires}` never holds on any path",
                           node_path[scene_id] + ("choices", index, "requires")))
    for scene_id in sorted(analysis.stuck):
        out.append(Pending("W103", f"the learner can get stuck in scene '{scene_id}': on some path every choice is locked and there is no timeout",
                           node_path[scene_id] + ("id",)))
    from .teaching import teaching_warnings

    out.extend(per_setup(analyses, lambda one, setup: teaching_warnings(scenario, one, setup=setup)
                         + _ending_warnings(scenario, one)))
    from .passage_checks import passage_warnings

    out.extend(passage_warnings(scenario))
    return out


SHORTEST_PATH = 3
"""Fewer decisions than this from the start to an ending is a path too short to teach (W121)."""


def _ending_warnings(scenario: Scenario, analysis: Analysis) -> list[Pending]:
    """W120: an ending whose rating the grade contradicts; W121: an ending reached too quickly."""
    from ..engine.scoring import grade_letter, overall_of_value

    graded = sum(w for c, w in scenario.criteria.items() if analysis.max_points.get(c) or analysis.min_points.get(c))
    out: list[Pending] = []
    for index, ending in enumerate(scenario.endings):
        reach = analysis.ending_reach.get(ending.id)
        if reach is None:
            continue
        low, high, fewest = reach
        if ending.rating == "strong":
            worst = overall_of_value(low, analysis.expert_value, graded)
            if grade_letter(worst) in ("D", "E"):
                out.append(Pending("W120", f"strong ending '{ending.id}' can be reached with an overall of {worst}% "
                                           f"(grade {grade_letter(worst)}): the ending praises what the grade fails",
                                   ("endings", index, "rating")))
        elif ending.rating == "poor":
            best = overall_of_value(high, analysis.expert_value, graded)
            if grade_letter(best) in ("A", "B"):
                out.append(Pending("W120", f"poor ending '{ending.id}' can be reached with an overall of {best}% "
                                           f"(grade {grade_letter(best)}): the ending condemns what the grade praises",
                                   ("endings", index, "rating")))
        if fewest < SHORTEST_PATH:
            how = ("without a single decision (only timeouts on the way)" if fewest == 0
                   else f"after only {fewest} {'decision' if fewest == 1 else 'decisions'}")
            out.append(Pending("W121", f"ending '{ending.id}' can be reached {how}; "
                                       f"a path shorter than {SHORTEST_PATH} decisions teaches little",
                               ("endings", index, "id")))
    return out
