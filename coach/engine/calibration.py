"""Calibration: how sure the learner said they were, against how good each decision was.

Before coach mode's feedback the learner says how sure they are: sure, think so, or guessing. A
decision is *right* when it was the best choice open in its scene (nothing open was worth more:
`Decision.cost` is 0, as the debrief's "least strong decision" measures it), and *confident* when
the learner said "sure". Confident and wrong is the square that matters most: the learner did not
doubt a weak move, which is where a reflex is entrenched. Unsure and right is knowledge the
learner does not trust yet. The rule is in docs/decisions.md ("Calibration").

Pure: no Textual. The debrief, replay and reports call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .scoring import Decision

SURE, THINK_SO, GUESSING = "sure", "think-so", "guessing"
LEVELS: dict[str, str] = {SURE: "sure", THINK_SO: "think so", GUESSING: "guessing"}
"""Each confidence the log records, with the words the learner reads."""
KEYS: dict[str, str] = {"s": SURE, "t": THINK_SO, "g": GUESSING}
"""The key the play screen takes for each, one key each."""


@dataclass(frozen=True)
class Calibration:
    asked: int = 0
    """Decisions the learner said how sure they were about (timeouts and unknown values are not counted)."""
    confident_right: list[Decision] = field(default_factory=list)
    confident_wrong: list[Decision] = field(default_factory=list)
    """Sure, and not the best choice open: where a reflex is entrenched."""
    unsure_right: list[Decision] = field(default_factory=list)
    """Think so or guessing, and the best choice open: knowledge not trusted yet."""
    unsure_wrong: list[Decision] = field(default_factory=list)

    @property
    def right(self) -> int:
        return len(self.confident_right) + len(self.unsure_right)


def is_right(decision: Decision) -> bool:
    """The best choice open in its scene: nothing open was worth more (the debrief's measure)."""
    return round(decision.cost, 9) <= 0 and decision.better is None


def calibration(path: Sequence[Decision], confidences: Sequence[str | None]) -> Calibration:
    """Each decision of `path` with the confidence given for it (the same position; a missing or
    unknown confidence, a timeout, is left out)."""
    squares: dict[tuple[bool, bool], list[Decision]] = {(c, r): [] for c in (True, False) for r in (True, False)}
    asked = 0
    for decision, confidence in zip(path, confidences):
        if confidence not in LEVELS or decision.choice_text == "(ran out of time)":
            continue
        asked += 1
        squares[(confidence == SURE, is_right(decision))].append(decision)
    return Calibration(asked, squares[(True, True)], squares[(True, False)], squares[(False, True)], squares[(False, False)])


def summary_lines(result: Calibration) -> list[str]:
    """The calibration in sentences, for the debrief, replay and reports (plain text)."""
    if not result.asked:
        return []

    def where(decisions: list[Decision]) -> str:
        return "; ".join(f"decision {d.number}, {d.scene_title}" for d in decisions)

    lines = [f"Sure and right: {len(result.confident_right)} of {result.asked}."]
    wrong = f"Sure and wrong: {len(result.confident_wrong)}"
    if result.confident_wrong:
        wrong += f" ({where(result.confident_wrong)}): a reflex is entrenched where you did not doubt a weak move."
    else:
        wrong += "."
    lines.append(wrong)
    unsure = f"Unsure and right: {len(result.unsure_right)}"
    unsure += f" ({where(result.unsure_right)}): trust this judgement more." if result.unsure_right else "."
    lines.append(unsure)
    return lines
