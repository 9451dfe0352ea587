"""Two sessions of one scenario side by side: where their paths split, the decisions each made,
their criterion scores, and the reflexes only one of them showed. Built on two replays, so it
works on whatever each replay could rebuild (a side without its scenario keeps its logged
decisions and the scores written at its end).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .log import SessionError
from .replay import Replay, ReplayStep


@dataclass(frozen=True, slots=True)
class CriterionRow:
    criterion: str
    title: str
    left: int | None
    right: int | None
    left_points: int | None = None
    """Points earned on the criterion, when the side was rebuilt (a percent can be below 0)."""
    right_points: int | None = None

    @property
    def delta(self) -> int | None:
        """Right minus left, in percentage points (None when a side has no score)."""
        if self.left is None or self.right is None:
            return None
        return self.right - self.left

    @property
    def same(self) -> bool:
        """Both sides scored alike: the same figure and, when known, the same points (−3 is not 0)."""
        if self.delta != 0:
            return False
        return self.left_points is None or self.right_points is None or self.left_points == self.right_points


@dataclass
class Comparison:
    left: Replay
    right: Replay
    split: int | None
    """0-based index of the first decision where the paths differ; None when they never do."""
    criteria: list[CriterionRow]
    reflexes_left: list[str]
    """Reflexes only the left session showed (rubric ids, in the order shown)."""
    reflexes_right: list[str]
    reflexes_both: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def shared(self) -> list[ReplayStep]:
        """The decisions both sessions made alike, before the split."""
        end = len(self.left.steps) if self.split is None else self.split
        return self.left.steps[:end]

    @property
    def left_after(self) -> list[ReplayStep]:
        return [] if self.split is None else self.left.steps[self.split:]

    @property
    def right_after(self) -> list[ReplayStep]:
        return [] if self.split is None else self.right.steps[self.split:]

    @property
    def overall(self) -> tuple[int | None, int | None]:
        return self.left.overall(), self.right.overall()


def same_decision(a: ReplayStep, b: ReplayStep) -> bool:
    """The same scene, the same choice, and (for a chance) the same outcome."""
    if a.scene != b.scene or a.choice != b.choice:
        return False
    if a.after is not None and b.after is not None:
        return a.after.history[-1].outcome == b.after.history[-1].outcome
    return a.choice_text == b.choice_text


def split_point(left: list[ReplayStep], right: list[ReplayStep]) -> int | None:
    for index, (a, b) in enumerate(zip(left, right)):
        if not same_decision(a, b):
            return index
    if len(left) != len(right):
        return min(len(left), len(right))
    return None


def compare(left: Replay, right: Replay) -> Comparison:
    """Compare two replays of the same scenario; SessionError if they cannot be compared."""
    if left.start is None or right.start is None:
        broken = left if left.start is None else right
        raise SessionError(f"{broken.path.name} cannot be read, so it cannot be compared")
    if left.start.scenario != right.start.scenario:
        raise SessionError(
            f"these sessions are of different scenarios ({left.start.scenario} and {right.start.scenario}); "
            "compare two sessions of the same scenario"
        )
    notes: list[str] = []
    if left.start.sha256 != right.start.sha256:
        notes.append("The two sessions were played on different versions of the scenario; "
                     "scores are each against their own version's best path.")
    for side, replay in (("left", left), ("right", right)):
        if not replay.complete:
            notes.append(f"The {side} session could not be fully rebuilt; its scores are the ones logged at its end.")
    rubric = left.rubric
    scores_left, scores_right = left.final_scores(), right.final_scores()
    scenario = left.scenario or right.scenario
    names = list(scenario.criteria) if scenario is not None else list(dict.fromkeys([*scores_left, *scores_right]))
    points_left, points_right = _points(left), _points(right)
    rows = [
        CriterionRow(name, rubric.criteria[name].title if name in rubric.criteria else name,
                     scores_left.get(name), scores_right.get(name), points_left.get(name), points_right.get(name))
        for name in names
    ]
    shown_left = _reflexes(left)
    shown_right = _reflexes(right)
    return Comparison(
        left=left,
        right=right,
        split=split_point(left.steps, right.steps),
        criteria=rows,
        reflexes_left=[r for r in shown_left if r not in shown_right],
        reflexes_right=[r for r in shown_right if r not in shown_left],
        reflexes_both=[r for r in shown_left if r in shown_right],
        notes=notes,
    )


def _points(replay: Replay) -> dict[str, int]:
    return {s.criterion: s.earned for s in replay.scores()} if replay.complete else {}


def _reflexes(replay: Replay) -> list[str]:
    return list(dict.fromkeys(step.reflex for step in replay.steps if step.reflex))
