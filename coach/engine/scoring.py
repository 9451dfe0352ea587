"""Scores and the debrief, computed from a finished (or unfinished) State.

100% on a criterion is what the expert path earns there: the path through the scenario of the
highest (expected) weighted value, found by exploration. The overall is a path's weighted value
as a share of the expert path's, so the expert path scores exactly 100, no path scores more, and
a detour worth less than the route it replaces (a mistake, then a recovery) scores less. A
criterion's own figure is shown as it is, above 100% or below 0%. The rule and its corner cases
are in docs/decisions.md ("Ceilings from the expert path").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as replace_dc

from msgspec.structs import replace

from ..scenario.model import Ending, Rubric, Scenario, Scene
from . import engine, setups
from .explore import Analysis, choice_values
from .state import State, Step

CEILING_RULE = "100% is what the expert path earns; no path scores above it overall."
"""The one line a debrief shows under the scores."""


@dataclass(frozen=True, slots=True)
class CriterionScore:
    criterion: str
    title: str
    weight: int
    earned: int
    maximum: int
    """The expert path's points on this criterion (its 100%)."""
    percent: int
    """The true figure: above 100 when this path out-earned the expert here, below 0 when it lost points."""
    scale: int = 1
    """The criterion's scale (see explore.criterion_scale): how much one point weighs in the overall."""
    graded: bool = True
    """False when no path through the scenario earns or loses a point on it."""


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
    """Weighted value of the points this decision earned or lost (see `decision_value`)."""
    score: dict[str, int]
    reflex: str | None
    cost: float = 0.0
    """What the best open alternative was worth minus what this decision was worth, each counting
    its points and the best still possible after it (0 when it was the best)."""
    better: Alternative | None = None
    """The best available alternative, when it was worth more than what was chosen."""
    hinted: bool = False
    """The learner asked for the scene's hint: `score` and `value` are already reduced (coach.engine.hints)."""


@dataclass(frozen=True, slots=True)
class Alternative:
    choice_text: str
    feedback: str
    value: float
    score: dict[str, int]


@dataclass(frozen=True, slots=True)
class ReflexShown:
    reflex: str
    title: str
    description: str
    decision: Decision
    """The first decision that showed it."""
    count: int = 1
    """How many decisions on the path showed it."""


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
    setup: str | None = None
    """The id of the setup the session played (its `[[setups]]`), None without setups."""
    setup_title: str | None = None
    """That setup's title: shown once the session has ended, never before."""

    @property
    def scores(self) -> dict[str, int]:
        return {c.criterion: c.percent for c in self.criteria}


def points_detail(score: CriterionScore) -> str:
    """`4/5 pts` beside a criterion's figure: earned, and what the expert path earns (its 100%)."""
    if not score.graded:
        return "nothing to earn on any path"
    if score.maximum > 0:
        return f"{score.earned}/{score.maximum} pts"
    return f"{score.earned} pts (expert path {score.maximum})"


def worst_title(decision: Decision) -> str:
    """A mistake only if it lost points; otherwise the least strong of decisions that scored."""
    return "Weakest decision" if decision.value < 0 else "Least strong decision"


def grade_letter(percent: int) -> str:
    for threshold, letter in ((90, "A"), (80, "B"), (65, "C"), (50, "D")):
        if percent >= threshold:
            return letter
    return "E"


def _percent(earned: int, ceiling: int, scale: int) -> float:
    if ceiling > 0:
        return 100 * earned / ceiling
    # The expert path earns nothing (or loses) here: its figure is still 100%, and each point
    # below it costs a share of the criterion's scale.
    return 100 + 100 * (earned - ceiling) / (scale or 1)


def criterion_scores(scenario: Scenario, points: dict[str, int], analysis: Analysis, rubric: Rubric) -> list[CriterionScore]:
    result = []
    for name, weight in scenario.criteria.items():
        ceiling = analysis.ceilings.get(name, 0)
        scale = analysis.scale.get(name) or max(1, analysis.max_points.get(name, 0))
        graded = bool(analysis.max_points.get(name, 0) or analysis.min_points.get(name, 0))
        earned = points.get(name, 0)
        percent = round(_percent(earned, ceiling, scale)) if graded else 100
        title = rubric.criteria[name].title if name in rubric.criteria else name
        result.append(CriterionScore(name, title, weight, earned, ceiling, percent, scale, graded))
    return result


def overall(scores: list[CriterionScore]) -> int:
    """The weighted value of the points earned as a share of the expert path's, at most 100."""
    graded = [s for s in scores if s.graded]
    total = sum(s.weight for s in graded)
    value = sum(s.weight * s.earned / s.scale for s in graded)
    expert = sum(s.weight * s.maximum / s.scale for s in graded)
    return overall_of_value(value, expert, total)


def overall_of_value(value: float, expert: float, total_weight: float) -> int:
    """The overall for a path of `value` (sum of weight × points / scale) against the expert's."""
    if not total_weight:  # nothing to earn on any path: every path is as good as the expert's
        return 100
    if expert > 0:
        share = 100 * value / expert
    else:  # the expert path earns nothing overall: measure the distance from it on the scale
        share = 100 + 100 * (value - expert) / total_weight
    # Only a lucky roll of the dice (or a lower bound from random runs) can pass the expert.
    return min(100, round(round(share, 6)))


def decision_value(scenario: Scenario, analysis: Analysis, score: dict[str, int]) -> float:
    """The weighted value of a decision's points: each criterion's points over its scale, times
    its weight, over the total weight. The expert path maximises the sum of these."""
    total = sum(scenario.criteria.values()) or 1
    value = 0.0
    for name, points in score.items():
        if name in scenario.criteria:
            scale = analysis.scale.get(name) or max(1, analysis.max_points.get(name, 0))
            value += scenario.criteria[name] * points / scale
    return value / total


def _states_before(scenario: Scenario, state: State) -> list[State | None]:
    """The state before each step, as far as conditions can see it: metrics from the history the
    state keeps, flags from the choices taken (a flag a later choice sets counts as not yet set)."""
    history = state.history
    sets: frozenset[str] = frozenset()
    for step in history:
        scene = scenario.nodes.get(step.scene)
        if isinstance(scene, Scene) and 0 <= step.choice < len(scene.choices):
            sets = sets | frozenset(scene.choices[step.choice].set)
    result: list[State | None] = []
    flags = state.flags - sets
    complete = all(len(series) == len(history) + 1 for series in state.metric_history.values())
    for number, step in enumerate(history):
        values = {name: series[number] for name, series in state.metric_history.items()}
        result.append(State(scene=step.scene, metrics=values, flags=flags) if complete else None)
        scene = scenario.nodes.get(step.scene)
        if isinstance(scene, Scene) and 0 <= step.choice < len(scene.choices):
            flags = flags | frozenset(scene.choices[step.choice].set)
    return result


def _worth(scenario: Scenario, analysis: Analysis, scene: Scene, before: State | None) -> dict[int, float]:
    """Each open choice's worth: its points plus the best still possible after it (as the expert
    path counts it); with no exploration to ask, its points alone."""
    if before is not None:
        found = choice_values(scenario, analysis, replace(before, scene=scene.id))
        if found is not None:
            return found
    worth = {}
    for index, choice in enumerate(scene.choices):
        if before is not None:
            try:
                if not engine.holds(choice.requires, before):
                    continue
            except Exception:  # a metric the reconstruction lacks: count the choice as open
                pass
        worth[index] = decision_value(scenario, analysis, choice.score)
    return worth


def describe_step(scenario: Scenario, analysis: Analysis, step: Step, number: int, before: State | None = None) -> Decision:
    scene = scenario.nodes[step.scene]
    assert isinstance(scene, Scene)
    if step.timed_out:
        text, feedback = "(ran out of time)", "Time ran out before you decided; the situation moved on without you."
    else:
        choice = scene.choices[step.choice]
        text, feedback = choice.text, choice.feedback
    value = decision_value(scenario, analysis, step.score)
    cost, better = 0.0, None
    worth = _worth(scenario, analysis, scene, before)
    choices = [i for i in worth if i >= 0]
    if choices:
        # The best open choice, the first in authored order on ties (as the expert path picks).
        best = max(choices, key=lambda i: (round(worth[i], 9), -i))
        taken = worth.get(step.choice, value if step.choice >= 0 else 0.0)
        if step.hinted and step.choice in worth:  # the hint's price counts against the choice's worth
            taken -= decision_value(scenario, analysis, scene.choices[step.choice].score) - value
        if best != step.choice and round(worth[best] - taken, 9) > 0:
            alternative = scene.choices[best]
            cost = worth[best] - taken
            better = Alternative(alternative.text, alternative.feedback, decision_value(scenario, analysis, alternative.score),
                                 {k: v for k, v in alternative.score.items() if v})
    return Decision(
        number=number,
        scene=scene.id,
        scene_title=scene.title or scene.id,
        choice_text=text,
        feedback=feedback,
        value=value,
        score=dict(step.score),
        reflex=step.reflex,
        cost=cost,
        better=better,
        hinted=step.hinted,
    )


def _rendered(scenario: Scenario, decision: Decision, after: State, before: State) -> Decision:
    """The decision's feedback with its placeholders rendered (coach.engine.text): the choice's
    against the state it led to, as play showed it; the better one's against the state before."""
    from .text import has_placeholders, render

    if has_placeholders(decision.feedback):
        decision = replace_dc(decision, feedback=render(decision.feedback, scenario, after))
    if decision.better is not None and has_placeholders(decision.better.feedback):
        decision = replace_dc(decision, better=replace_dc(decision.better,
                                                          feedback=render(decision.better.feedback, scenario, before)))
    return decision


def debrief(scenario: Scenario, state: State, analysis: Analysis, rubric: Rubric) -> Debrief:
    scores = criterion_scores(scenario, state.points, analysis, rubric)
    total = overall(scores)
    befores = _states_before(scenario, state)
    path = [describe_step(scenario, analysis, step, n, befores[n - 1]) for n, step in enumerate(state.history, start=1)]
    path = [_rendered(scenario, d, (befores[n] if n < len(befores) else None) or state,
                      befores[n - 1] or state) for n, d in enumerate(path, start=1)]
    # A reflex shown more than once is one reflex, named with how often (the first decision is shown).
    counts: dict[str, int] = {}
    firsts: dict[str, Decision] = {}
    for d in path:
        if d.reflex and d.reflex in rubric.reflexes:
            counts[d.reflex] = counts.get(d.reflex, 0) + 1
            firsts.setdefault(d.reflex, d)
    reflexes = [ReflexShown(r, rubric.reflexes[r].title, rubric.reflexes[r].description, firsts[r], counts[r])
                for r in firsts]
    decisions = [d for d in path if d.choice_text != "(ran out of time)"]
    # Best: the decision worth the most, if any earned something. Least strong: the one that cost
    # the most against the best alternative open in its scene (the first on ties), if any cost.
    best = max((d for d in decisions if round(d.value, 9) > 0), key=lambda d: d.value, default=None)
    worst = max((d for d in path if round(d.cost, 9) > 0), key=lambda d: d.cost, default=None)
    if best is not None and worst is not None and best.number == worst.number:
        best = None
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
        setup=state.setup,
        setup_title=setups.title(scenario, state.setup),
    )
