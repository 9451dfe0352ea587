"""What a hint costs: the rule, and the state after a hinted decision.

A hint halves what the decision earns: each criterion's gain is halved and rounded down (3 → 1,
2 → 1, 1 → 0); points lost stay whole, so a hint never makes a mistake cheaper. The decision's
step records the reduced points and is marked `hinted`, so every score computed from the state
(the debrief, the session's end event, replay, history and reports) counts the same reduction.

Pure: no Textual. Play, resume, replay and rewind all apply it from the log's `hinted` field.
"""

from __future__ import annotations

from msgspec.structs import replace

from .state import State

HINT_RULE = "A hint halves what this decision earns (gains rounded down; points lost stay whole)."
"""The sentence the play screen shows before the hint itself."""


def hinted_score(score: dict[str, int]) -> dict[str, int]:
    """A decision's points after a hint: gains halved and rounded down, losses unchanged."""
    reduced = {name: (points // 2 if points > 0 else points) for name, points in score.items()}
    return {name: points for name, points in reduced.items() if points}


def apply_hint(state: State) -> State:
    """The state after its last decision, had the learner asked for a hint before making it.

    The last step's points are reduced (see `hinted_score`) and it is marked `hinted`; the
    state's running points lose the difference. A state without a decision, a timeout, or a step
    already hinted is returned unchanged."""
    if not state.history:
        return state
    last = state.history[-1]
    if last.timed_out or last.hinted:
        return state
    reduced = hinted_score(last.score)
    points = dict(state.points)
    for name, before in last.score.items():
        points[name] = points.get(name, 0) - before + reduced.get(name, 0)
    step = replace(last, score=reduced, hinted=True)
    return replace(state, points=points, history=state.history[:-1] + (step,))
