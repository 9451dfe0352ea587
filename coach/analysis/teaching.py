"""Teaching warnings: a scenario whose grade a pattern-matcher earns, or whose best choice a
reader can spot without reading it (W110-W119; see docs/diagnostics.md).

They need the scenario's exhaustive exploration, which `warnings.py` has already made, and they
play the naive strategies of `coach.engine.strategies` through the engine over fixed seeds, so
the same file always gets the same warnings.

"The best choice of a scene" is the choice the expert path takes there; for a scene the expert
path does not pass through (or passes by timing out), it is the choice worth most by the
weighted score (`scoring.decision_value`), when exactly one choice is worth most. A scene with
no single best choice (every choice alike is W105's business) is not counted. "Decision scenes"
are the scenes some path reaches that offer at least two choices.
"""

from __future__ import annotations

from ..engine import order, scoring
from ..engine.explore import Analysis
from ..scenario.diagnostics import Pending
from ..scenario.model import Scenario, Scene
from ..scenario.tomlpos import Path

PASSING_GRADES = ("A", "B", "C")
"""A naive strategy whose median grade is one of these earns a warning (W110)."""


def best_choices(scenario: Scenario, analysis: Analysis) -> dict[str, int]:
    """The best choice's authored index in each decision scene that has one (see the module docstring)."""
    expert: dict[str, int] = {}
    for step in analysis.expert_path:
        expert.setdefault(step.scene, step.choice)
    found: dict[str, int] = {}
    for scene in decision_scenes(scenario, analysis):
        taken = expert.get(scene.id, -1)
        if taken >= 0:
            found[scene.id] = taken
            continue
        values = [scoring.decision_value(scenario, analysis, choice.score) for choice in scene.choices]
        top = max(values)
        if values.count(top) == 1:
            found[scene.id] = values.index(top)
    return found


def decision_scenes(scenario: Scenario, analysis: Analysis) -> list[Scene]:
    return [s for s in scenario.scenes if len(s.choices) >= 2 and s.id in analysis.nodes_reached]


def teaching_warnings(scenario: Scenario, analysis: Analysis, *, setup: str | None = None) -> list[Pending]:
    """W110 (a naive strategy passes), W111 (the best is the longest), W113 (the shortest), W112 (the best is first, unshuffled).

    `setup`: the setup `analysis` explored, which the naive strategies then play."""
    from ..engine.strategies import SEEDS, evaluate
    from ..scenario.loader import builtin_rubric

    out: list[Pending] = []
    for result in evaluate(scenario, analysis, builtin_rubric(), seeds=SEEDS, setup=setup):
        if result.grade in PASSING_GRADES:
            out.append(Pending("W110", f"a naive strategy passes: {result.title} earns a median {result.median:g}% "
                                       f"({result.grade}) over {result.runs} seeds; the grade should need judgement",
                               ("id",)))
    scenes = decision_scenes(scenario, analysis)
    best = best_choices(scenario, analysis)
    counted = [s for s in scenes if s.id in best]
    if not counted:
        return out
    longest = [s for s in counted if len(s.choices[best[s.id]].text) == max(len(c.text) for c in s.choices)]
    if 2 * len(longest) > len(counted):
        out.append(Pending("W111", f"the best choice is also the longest in {len(longest)} of {len(counted)} decision "
                                   f"scenes ({round(100 * len(longest) / len(counted))}%); length gives the answer away",
                           ("id",)))
    shortest = [s for s in counted if len(s.choices[best[s.id]].text) == min(len(c.text) for c in s.choices)]
    if 2 * len(shortest) > len(counted):
        out.append(Pending("W113", f"the best choice is also the shortest in {len(shortest)} of {len(counted)} decision "
                                   f"scenes ({round(100 * len(shortest) / len(counted))}%); length gives the answer away",
                           ("id",)))
    fixed = [s for s in counted if not order.shuffles(scenario, s)]
    first = [s for s in fixed if order.shown_order(scenario, s, 0)[0] == best[s.id]]
    if 2 * len(first) > len(counted):
        where: Path = ("shuffle",) if not scenario.shuffle else ("scenes", scenario.scenes.index(first[0]), "shuffle")
        out.append(Pending("W112", f"shuffling is off and the best choice is shown first in {len(first)} of "
                                   f"{len(counted)} decision scenes ({round(100 * len(first) / len(counted))}%); "
                                   "position gives the answer away", where))
    return out
