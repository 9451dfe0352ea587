"""Ceilings from the expert path: 100% is what the best joint path earns, never more overall.

The scenarios here are generated in layers (every path moves forward, so every path ends and the
paths can be listed), with criteria whose maxima usually lie on different paths: the case where
the old per-criterion ceilings left a flawless player short of 100.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coach.analysis.checking import check_file, check_text
from builtin_library import analysis_of, scenario_of, seed_for
from coach.engine import engine, scoring
from coach.engine.explore import explore
from coach.scenario.loader import builtin_rubric, load_text
from coach.scenario.model import Choice, Ending, Outcome, Scenario, Scene

SETTINGS = settings(deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
CRITERIA = ["evaluation", "monitoring", "failure"]
RUBRIC = builtin_rubric()


def _score(draw, criteria) -> dict[str, int]:
    return {c: draw(st.integers(-3, 3)) for c in criteria if draw(st.booleans())}


@st.composite
def layered(draw, dice: bool = False) -> Scenario:
    """Scenes in 2–4 layers of 1–2 scenes; each choice leads to a scene of the next layer."""
    criteria = {c: draw(st.integers(1, 3)) for c in draw(st.lists(st.sampled_from(CRITERIA), min_size=2, max_size=3, unique=True))}
    layers = [[f"l{n}s{m}" for m in range(draw(st.integers(1, 2)))] for n in range(draw(st.integers(2, 4)))]
    layers[0] = layers[0][:1]
    endings = ["good", "bad"]
    scenes = []
    for depth, layer in enumerate(layers):
        following = layers[depth + 1] if depth + 1 < len(layers) else endings
        for scene_id in layer:
            choices = []
            for number in range(draw(st.integers(2, 3))):
                if dice and draw(st.integers(0, 2)) == 0:
                    outcomes = [Outcome(chance=0.5, goto=draw(st.sampled_from(following))),
                                Outcome(chance=0.5, goto=draw(st.sampled_from(following)))]
                    choices.append(Choice(text=f"{scene_id} c{number}", id=f"c{number}", outcomes=outcomes,
                                          score=_score(draw, criteria), feedback=f"why {scene_id} c{number}"))
                else:
                    choices.append(Choice(text=f"{scene_id} c{number}", id=f"c{number}", goto=draw(st.sampled_from(following)),
                                          score=_score(draw, criteria), feedback=f"why {scene_id} c{number}"))
            scenes.append(Scene(id=scene_id, title=scene_id.upper(), text="text", choices=choices))
    return Scenario(format=1, id="layered", title="Layered", summary="s", role="r", difficulty="intro", minutes=5,
                    start=layers[0][0], criteria=criteria, scenes=scenes,
                    endings=[Ending(id="good", title="Good", rating="strong"), Ending(id="bad", title="Bad", rating="poor")])


def _take(scenario: Scenario, state, index: int, outcome: int | None = None):
    if index < 0:
        return engine.timeout(scenario, state)
    choice = scenario.nodes[state.scene].choices[index]
    seed = seed_for(choice.outcomes, len(state.history), outcome or 0)
    return engine.step(scenario, state, index, seed=seed)


def every_path(scenario: Scenario, limit: int = 3000):
    """Every finished playthrough (every choice, every outcome), as engine states."""
    found = []
    stack = [engine.start(scenario)]
    while stack and len(found) < limit:
        state = stack.pop()
        if state.finished:
            found.append(state)
            continue
        for option in engine.options(scenario, state):
            if option.available:
                for outcome in range(len(option.choice.outcomes or [None])):
                    stack.append(_take(scenario, state, option.index, outcome))
    return found


def _share(scenario: Scenario, analysis, points: dict[str, int]) -> float:
    """The overall before rounding and before the cap at 100."""
    scores = [s for s in scoring.criterion_scores(scenario, points, analysis, RUBRIC) if s.graded]
    value = sum(s.weight * s.earned / s.scale for s in scores)
    expert = sum(s.weight * s.maximum / s.scale for s in scores)
    total = sum(s.weight for s in scores)
    if not total:
        return 100.0
    return 100 * value / expert if expert > 0 else 100 + 100 * (value - expert) / total


def _expert_state(scenario: Scenario, analysis):
    state = engine.start(scenario)
    for step in analysis.expert_path:
        state = _take(scenario, state, step.choice, step.outcome)
    return state


@SETTINGS
@given(layered())
def test_the_expert_path_scores_100_when_the_maxima_lie_on_different_paths(scenario) -> None:
    analysis = explore(scenario)
    assume(any(analysis.ceilings[c] < analysis.max_points[c] for c in scenario.criteria))  # the old rule's trap
    state = _expert_state(scenario, analysis)
    assert state.finished
    result = scoring.debrief(scenario, state, analysis, RUBRIC)
    assert result.overall == 100 and result.grade == "A"
    for score in result.criteria:
        assert score.earned == analysis.ceilings[score.criterion]
        assert not score.graded or score.percent == 100
    assert result.worst is None  # the expert's decisions cost nothing against the alternatives


@SETTINGS
@given(layered())
def test_no_path_scores_above_the_expert(scenario) -> None:
    analysis = explore(scenario)
    paths = every_path(scenario)
    assert paths
    for state in paths:
        # Not the cap doing the work: before rounding and capping, no path passes the expert.
        assert _share(scenario, analysis, state.points) <= 100 + 1e-9
        result = scoring.debrief(scenario, state, analysis, RUBRIC)
        assert result.overall <= 100 and result.grade == scoring.grade_letter(result.overall)


@SETTINGS
@given(layered(dice=True))
def test_with_dice_the_expert_maximises_expected_value_and_its_path_scores_100(scenario) -> None:
    analysis = explore(scenario)
    state = _expert_state(scenario, analysis)
    assert scoring.debrief(scenario, state, analysis, RUBRIC).overall == 100
    # Any other playthrough of the expert's choices meets the unlucky roll the ceiling is set by.
    for other in every_path(scenario):
        same_choices = [(s.scene, s.choice) for s in other.history] == [(p.scene, p.choice) for p in analysis.expert_path]
        if same_choices:
            assert _share(scenario, analysis, other.points) >= 100 - 1e-9


@st.composite
def with_a_detour(draw) -> tuple[Scenario, str, int, int]:
    """A layered scenario where one scene has a mistake: a choice that detours through a recovery
    scene before rejoining where the right choice goes. The recovery earns points on a criterion
    nothing else scores (as in reranker-latency), which the old rule made the ceiling."""
    base = draw(layered())
    recovery_only = "responsibility"
    criteria = dict(base.criteria, **{recovery_only: draw(st.integers(1, 3))})
    scenes = list(base.scenes)
    index = 0  # the start scene, so that every path meets the mistake
    scene = scenes[index]
    right = scene.choices[0]
    wrong = Choice(text="the mistake", id="mistake", goto="recover", score={c: draw(st.integers(-3, 0)) for c in base.criteria},
                   feedback="wrong")
    recover = Scene(id="recover", title="RECOVER", text="text", choices=[
        Choice(text="recover", id="recover", goto=right.goto, feedback="recovered",
               score={recovery_only: draw(st.integers(1, 3)), **{c: draw(st.integers(0, 2)) for c in base.criteria}}),
    ])
    scenes[index] = Scene(id=scene.id, title=scene.title, text=scene.text, choices=[*scene.choices, wrong])
    scenes.append(recover)
    scenario = Scenario(format=1, id="detour", title="Detour", summary="s", role="r", difficulty="intro", minutes=5,
                        start=base.start, criteria=criteria, scenes=scenes, endings=base.endings)
    return scenario, scene.id, 0, len(scene.choices)


@SETTINGS
@given(with_a_detour(), st.randoms(use_true_random=False))
def test_erring_and_recovering_never_outscores_never_erring(case, rng) -> None:
    scenario, scene_id, right, mistake = case
    analysis = explore(scenario)
    recover = scenario.nodes["recover"].choices[0]
    scene = scenario.nodes[scene_id]
    detour = scoring.decision_value(scenario, analysis, scene.choices[mistake].score) + \
        scoring.decision_value(scenario, analysis, recover.score)
    # A mistake is a detour worth less than the right choice, by the weighted value the expert
    # path maximises; a detour worth more is the author saying the detour is the better route.
    assume(detour < scoring.decision_value(scenario, analysis, scene.choices[right].score))
    # The same choices everywhere else, drawn at random; at the scene, right versus mistake.
    rest = {s.id: rng.randrange(len(s.choices) - (1 if s.id == scene_id else 0)) for s in scenario.scenes}
    finals = []
    for pick in (right, mistake):
        state = engine.start(scenario)
        while not state.finished:
            index = pick if state.scene == scene_id else rest[state.scene]
            state = _take(scenario, state, index)
        finals.append(scoring.debrief(scenario, state, analysis, RUBRIC))
    never_erred, erred = finals
    assert [d.scene for d in erred.path][:2] == [scene_id, "recover"]
    assert erred.overall <= never_erred.overall <= 100


def test_reranker_latency_perfect_path_scores_100() -> None:
    # The example: the flawless path scored 88 (B) when each criterion's ceiling was the most any path earned.
    scenario = scenario_of("reranker-latency")
    analysis = analysis_of("reranker-latency")
    state = _expert_state(scenario, analysis)
    result = scoring.debrief(scenario, state, analysis, RUBRIC)
    assert result.overall == 100 and result.grade == "A"
    # Its ceilings are the expert's points, below the per-criterion maxima on some criteria.
    assert any(analysis.ceilings[c] < analysis.max_points[c] for c in scenario.criteria)


# --- the debrief tells the truth ---------------------------------------------------------------

TRUTH = '''
format = 1
id = "truth"
title = "Truth"
summary = "s"
role = "r"
difficulty = "intro"
minutes = 5
start = "one"

[criteria]
monitoring = 2
failure = 1

[[scenes]]
id = "one"
title = "One"
text = "t"

  [[scenes.choices]]
  text = "Retrain tonight"
  goto = "two"
  score = { monitoring = -3 }
  reflex = "retrain-first"
  feedback = "Wrong: retraining before the cause is known."

  [[scenes.choices]]
  text = "Roll back"
  goto = "two"
  score = { monitoring = 2, failure = 1 }
  feedback = "Right: contain first."

[[scenes]]
id = "two"
title = "Two"
text = "t"

  [[scenes.choices]]
  text = "Retrain again"
  goto = "three"
  score = { monitoring = -1 }
  reflex = "retrain-first"
  feedback = "Still retraining."

  [[scenes.choices]]
  text = "Compare the inputs"
  goto = "three"
  score = { monitoring = 1 }
  feedback = "Right: find the cause."

[[scenes]]
id = "three"
title = "Three"
text = "t"

  [[scenes.choices]]
  text = "Postmortem"
  goto = "end"
  score = { failure = 2 }
  feedback = "Right: learn."

  [[scenes.choices]]
  text = "Move on"
  goto = "end"
  score = { failure = -1 }
  feedback = "It will happen again."

[[endings]]
id = "end"
title = "End"
rating = "mixed"
text = "t"
'''


def _truth(picks: list[int]):
    scenario = load_text(TRUTH, "truth.toml").scenario
    assert scenario is not None
    assert "retrain-first" in RUBRIC.reflexes
    analysis = explore(scenario)
    state = engine.start(scenario)
    for pick in picks:
        state = engine.step(scenario, state, pick)
    return scenario, scoring.debrief(scenario, state, analysis, RUBRIC)


def test_least_strong_is_the_costliest_decision_and_shows_the_better_choice() -> None:
    _, result = _truth([0, 0, 0])
    worst = result.worst
    assert worst is not None and worst.number == 1 and worst.choice_text == "Retrain tonight"
    assert worst.better is not None and worst.better.choice_text == "Roll back"
    assert worst.better.feedback == "Right: contain first."
    assert worst.cost > 0
    # The best decision is one that earned something; a -3 is never "least costly".
    assert result.best is not None and result.best.value > 0 and result.best.choice_text == "Postmortem"


def test_a_reflex_shown_twice_is_counted_once_with_how_often() -> None:
    scenario, result = _truth([0, 0, 0])
    assert [(r.reflex, r.count, r.decision.number) for r in result.reflexes] == [("retrain-first", 2, 1)]
    from coach.reporting.reports import debrief_json, debrief_markdown

    text = debrief_markdown(result, scenario)
    assert text.count(RUBRIC.reflexes["retrain-first"].title) == 1 and "×2" in text
    assert debrief_json(result)["reflexes"][0]["count"] == 2


def test_points_below_zero_show_as_a_negative_percent_and_the_rule_is_stated() -> None:
    scenario, result = _truth([0, 0, 1])
    monitoring = next(s for s in result.criteria if s.criterion == "monitoring")
    assert monitoring.earned == -4 and monitoring.percent < 0
    assert result.grade == scoring.grade_letter(result.overall)
    from coach.reporting.reports import debrief_markdown

    text = debrief_markdown(result, scenario)
    assert f"{monitoring.percent}%" in text
    assert scoring.CEILING_RULE in text


def test_minus_three_and_zero_are_not_the_same() -> None:
    from coach.sessions.compare import CriterionRow

    assert not CriterionRow("m", "M", 0, 0, -3, 0).same
    assert CriterionRow("m", "M", 0, 0, 0, 0).same
    scenario, lost = _truth([0, 1, 0])
    _, kept = _truth([1, 1, 0])
    lost_score = next(s for s in lost.criteria if s.criterion == "monitoring")
    kept_score = next(s for s in kept.criteria if s.criterion == "monitoring")
    assert lost_score.percent < kept_score.percent


def test_a_criterion_the_expert_earns_nothing_on_is_100_at_its_figure_and_moves_by_its_scale() -> None:
    # The expert path rolls back (monitoring, weight 3) and so earns no failure points (weight 1).
    text = TRUTH.replace('monitoring = 2\nfailure = 1', 'monitoring = 3\nfailure = 1').replace(
        'score = { monitoring = 2, failure = 1 }', 'score = { monitoring = 3 }').replace(
        'score = { failure = 2 }', 'score = { failure = 2, monitoring = -3 }')
    scenario = load_text(text, "zero.toml").scenario
    analysis = explore(scenario)
    assert analysis.ceilings["failure"] <= 0 < analysis.max_points["failure"]
    expert = scoring.debrief(scenario, _expert_state(scenario, analysis), analysis, RUBRIC)
    assert expert.overall == 100
    assert next(s for s in expert.criteria if s.criterion == "failure").percent == 100
    for picks in ([0, 0, 0], [1, 1, 1], [0, 1, 0]):
        state = engine.start(scenario)
        for pick in picks:
            state = engine.step(scenario, state, pick)
        result = scoring.debrief(scenario, state, analysis, RUBRIC)  # no division by zero
        failure = next(s for s in result.criteria if s.criterion == "failure")
        expected = 100 + 100 * (failure.earned - analysis.ceilings["failure"]) / analysis.scale["failure"]
        assert failure.percent == round(expected)
        assert result.overall <= 100


def test_w120_names_a_poor_ending_reached_at_grade_b_and_w121_counts_the_decisions() -> None:
    bad = Path(__file__).resolve().parents[1] / "data" / "bad"
    text = (bad / "warn-ending-contradicts-grade.toml").read_text()
    # Moving on costs nothing now: good, good, move on earns 80% (B) and ends 'poor'.
    text = text.replace('goto = "outage"\n  score = { failure = -1 }', 'goto = "outage"\n  score = {}')
    found = {(d.code, d.message) for d in check_text(text, "poor-at-b.toml").diagnostics}
    assert ("W120", "poor ending 'outage' can be reached with an overall of 80% (grade B): "
                    "the ending condemns what the grade praises") in found
    short = check_file(bad / "warn-short-path.toml").diagnostics
    assert [d.message for d in short if d.code == "W121"] == [
        "ending 'harm' can be reached after only 1 decision; a path shorter than 3 decisions teaches little"]
