"""Scores and the debrief, computed from a finished (or unfinished) State.

A criterion's score is the points earned as a share of the most points any path through the
scenario can earn for it (found by exploration, never guessed), so 100% means "as well as this
scenario allows". The overall grade weights criteria by the scenario's `[criteria]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..scenario.model import Ending, Rubric, Scenario, Scene
from .explore import Analysis
from .state import State, Step


@dataclass(frozen=True, slots=True)
class CriterionScore:
    criterion: str
    title: str
    weight: int
    earned: int
    maximum: int
    percent: int


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision on the learner's path, with what it was worth."""

    number: int
    """1-based position on the path."""
    scene: str
    scene_title: str
    choice_text: str
    feedback: str
    value: float
    """Weighted share of the criteria's maximum that this decision earned or lost."""
    score: dict[str, int]
    reflex: str | None


@dataclass(frozen=True, slots=True)
class ReflexShown:
    reflex: str
    title: str
    description: str
    decision: Decision


@dataclass
class Debrief:
    scenario_id: str
    finished: bool
    ending: str | None
    ending_title: str | None
    rating: str | None
    criteria: list[CriterionScore]
    overall: int
    grade: str
    reflexes: list[ReflexShown] = field(default_factory=list)
    best: Decision | None = None
    worst: Decision | None = None
    path: list[Decision] = field(default_factory=list)
    expert_path: list[tuple[str, str]] = field(default_factory=list)
    """(scene title, choice text) along the highest-scoring path."""
    expert_ending: str | None = None

    @property
    def scores(self) -> dict[str, int]:
        return {c.criterion: c.percent for c in self.criteria}


def grade_letter(percent: int) -> str:
    for threshold, letter in ((90, "A"), (80, "B"), (65, "C"), (50, "D")):
        if percent >= threshold:
            return letter
    return "E"


def criterion_scores(scenario: Scenario, points: dict[str, int], analysis: Analysis, rubric: Rubric) -> list[CriterionScore]:
    result = []
    for name, weight in scenario.criteria.items():
        maximum = analysis.max_points.get(name, 0)
        earned = points.get(name, 0)
        percent = 100 if maximum <= 0 else max(0, min(100, round(100 * earned / maximum)))
        title = rubric.criteria[name].title if name in rubric.criteria else name
        result.append(CriterionScore(name, title, weight, earned, maximum, percent))
    return result


def overall(scores: list[CriterionScore]) -> int:
    graded = [s for s in scores if s.maximum > 0]
    total = sum(s.weight for s in graded)
    return round(sum(s.percent * s.weight for s in graded) / total) if total else 0


def decision_value(scenario: Scenario, analysis: Analysis, score: dict[str, int]) -> float:
    total = sum(scenario.criteria.values()) or 1
    value = 0.0
    for name, points in score.items():
        maximum = analysis.max_points.get(name, 0)
        if maximum > 0 and name in scenario.criteria:
            value += scenario.criteria[name] * points / maximum
    return value / total


def describe_step(scenario: Scenario, analysis: Analysis, step: Step, number: int) -> Decision:
    scene = scenario.nodes[step.scene]
    assert isinstance(scene, Scene)
    if step.timed_out:
        text, feedback = "(ran out of time)", "Time ran out before you decided; the situation moved on without you."
    else:
        choice = scene.choices[step.choice]
        text, feedback = choice.text, choice.feedback
    return Decision(
        number=number,
        scene=scene.id,
        scene_title=scene.title or scene.id,
        choice_text=text,
        feedback=feedback,
        value=decision_value(scenario, analysis, step.score),
        score=dict(step.score),
        reflex=step.reflex,
    )


def debrief(scenario: Scenario, state: State, analysis: Analysis, rubric: Rubric) -> Debrief:
    scores = criterion_scores(scenario, state.points, analysis, rubric)
    total = overall(scores)
    path = [describe_step(scenario, analysis, step, n) for n, step in enumerate(state.history, start=1)]
    reflexes = [
        ReflexShown(d.reflex, rubric.reflexes[d.reflex].title, rubric.reflexes[d.reflex].description, d)
        for d in path
        if d.reflex and d.reflex in rubric.reflexes
    ]
    decisions = [d for d in path if d.choice_text != "(ran out of time)"] or path
    best = max(decisions, key=lambda d: d.value, default=None)
    worst = min(decisions, key=lambda d: d.value, default=None)
    if best is not None and worst is not None and best.value == worst.value:
        # One decision, or all worth the same: name it once, as best or as weakest by its sign.
        best, worst = (best, None) if best.value > 0 else (None, worst)
    ending = scenario.nodes.get(state.ending) if state.ending else None
    expert = []
    for step in analysis.expert_path:
        scene = scenario.nodes[step.scene]
        assert isinstance(scene, Scene)
        text = scene.choices[step.choice].text if step.choice >= 0 else "(let the time run out)"
        expert.append((scene.title or scene.id, text))
    return Debrief(
        scenario_id=scenario.id,
        finished=state.finished,
        ending=state.ending,
        ending_title=ending.title if isinstance(ending, Ending) else None,
        rating=ending.rating if isinstance(ending, Ending) else None,
        criteria=scores,
        overall=total,
        grade=grade_letter(total),
        reflexes=reflexes,
        best=best,
        worst=worst,
        path=path,
        expert_path=expert,
        expert_ending=analysis.expert_ending,
    )
