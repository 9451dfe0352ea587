"""Properties of the engine, scoring and logs over generated scenarios."""

from __future__ import annotations

import random

import msgspec
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.engine import engine
from coach.engine.explore import explore
from coach.engine.scoring import debrief, grade_letter
from coach.scenario.loader import builtin_rubric, load_text
from coach.sessions.log import read_session
from coach.sessions.playthrough import Playthrough, rebuild

from scenario_strategies import scenarios

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _play(scenario, seed: int, picks: list[int], steps: int = 30):
    state = engine.start(scenario)
    for pick in picks[:steps]:
        if state.finished:
            break
        open_ = [o.index for o in engine.options(scenario, state) if o.available]
        if not open_:
            scene = engine.current_scene(scenario, state)
            if scene is not None and scene.on_timeout:
                state = engine.timeout(scenario, state)
                continue
            break
        state = engine.step(scenario, state, open_[pick % len(open_)], seed=seed)
    return state


def _loaded(scenario):
    """Write the generated scenario as TOML and load it, as a user's file would be."""
    text = tomli_w.dumps(msgspec.to_builtins(scenario))
    result = load_text(text, "generated.toml")
    result.require()  # fails naming the file's first error
    return result


@SETTINGS
@given(scenarios(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=30))
def test_same_seed_same_choices_same_session(scenario, seed, picks) -> None:
    assert _play(scenario, seed, picks) == _play(scenario, seed, picks)


@SETTINGS
@given(scenarios(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=30))
def test_no_overall_above_100_and_the_grade_follows_it(scenario, seed, picks) -> None:
    # A criterion shows its true figure (above 100 where this path out-earned the expert path,
    # below 0 where it lost points); only the overall is bounded, by the expert path's 100.
    state = _play(scenario, seed, picks)
    analysis = explore(scenario)
    result = debrief(scenario, state, analysis, builtin_rubric())
    assert result.overall <= 100
    assert result.grade == grade_letter(result.overall)


@SETTINGS
@given(scenarios(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=30))
def test_every_offered_choice_was_reached_by_exploration(scenario, seed, picks) -> None:
    analysis = explore(scenario)
    if not analysis.exhaustive:
        return
    state = engine.start(scenario)
    for pick in picks:
        if state.finished:
            break
        offered = [o.index for o in engine.options(scenario, state) if o.available]
        for index in offered:
            assert (state.scene, index) in analysis.choices_available
        if not offered:
            break
        state = engine.step(scenario, state, offered[pick % len(offered)], seed=seed)
    assert state.scene in analysis.nodes_reached


@SETTINGS
@given(scenarios(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=30))
def test_exploration_maximum_bounds_every_playthrough(scenario, seed, picks) -> None:
    analysis = explore(scenario)
    if not analysis.exhaustive:
        return
    state = _play(scenario, seed, picks)
    if state.finished and len(set(state.visited)) == len(state.visited):  # a path without revisits
        for criterion, points in state.points.items():
            assert points <= analysis.max_points[criterion]
            assert points >= analysis.min_points[criterion]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(scenarios(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=20))
def test_replaying_the_log_reproduces_state_and_scores(scenario, seed, picks) -> None:
    loaded = _loaded(scenario)
    play = Playthrough.new(loaded, seed=seed)
    rng = random.Random(seed)
    for pick in picks:
        if play.finished:
            break
        open_ = [o.index for o in play.options() if o.available]
        scene = engine.current_scene(play.scenario, play.state)
        if not open_:
            if scene is not None and scene.on_timeout:
                play.time_out()
                continue
            break
        if scene is not None and scene.on_timeout and rng.random() < 0.2:
            play.time_out()
        else:
            play.choose(open_[pick % len(open_)], seconds=1.0)
    play.close()
    record = read_session(play.writer.path)
    _, rebuilt = rebuild(record)
    assert rebuilt == play.state
    if play.finished:
        assert record.end is not None
        assert record.end.scores == play.debrief().scores
        assert record.end.overall == play.debrief().overall
