"""A replay's "score so far": the decisions made, measured against what those same decisions
could have earned, not against the whole scenario.

Measured against the whole scenario, a perfect first decision of eight reads 13% (and is coloured
as a failure). Here each decision made counts the best choice open in its scene (locked choices
were not possible), per criterion and as the weighted overall, so a path that has taken the best
choice every time so far is at 100%.

Pure: no Textual; the replay screen calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..engine import scoring
from ..engine.explore import Analysis
from ..scenario.model import Scenario
from .replay import ReplayStep


@dataclass(frozen=True)
class SoFar:
    percent: dict[str, int | None]
    """Per criterion: earned over the most the decisions so far allowed; None while nothing was at stake."""
    overall: int | None
    """The weighted overall of the same; None when no step could be rebuilt on the scenario."""


def score_so_far(scenario: Scenario, analysis: Analysis, steps: Sequence[ReplayStep]) -> SoFar:
    """The score of `steps` (a session's first decisions) against the best each of them offered."""
    earned: dict[str, int] = {name: 0 for name in scenario.criteria}
    possible: dict[str, int] = {name: 0 for name in scenario.criteria}
    value = best = 0.0
    counted = 0
    for step in steps:
        open_ = [a for a in step.alternatives if a.available]
        if not step.exact or not open_:
            continue  # only what the log recorded: its points are not known
        counted += 1
        for name in scenario.criteria:
            earned[name] += step.score.get(name, 0)
            possible[name] += max(a.score.get(name, 0) for a in open_)
        value += scoring.decision_value(scenario, analysis, step.score)
        best += max(a.value for a in open_)
    if not counted:
        return SoFar({name: None for name in scenario.criteria}, None)
    percent = {name: _percent(earned[name], possible[name], _scale(analysis, name)) for name in scenario.criteria}
    return SoFar(percent, scoring.overall_of_value(value, best, 1.0) if any(p is not None for p in percent.values()) else None)


def _scale(analysis: Analysis, name: str) -> int:
    return analysis.scale.get(name) or max(1, analysis.max_points.get(name, 0))


def _percent(earned: int, possible: int, scale: int) -> int | None:
    if possible > 0:
        return min(100, round(100 * earned / possible))
    if earned < possible:  # points lost where none could be won: below 0, on the criterion's scale
        return round(100 * (earned - possible) / scale)
    return None  # nothing at stake yet
