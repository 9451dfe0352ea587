"""Live preview: after a reload the learner's decisions replay to the nearest place that still exists."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from coach.authoring import edits
from coach.authoring.watch import Decision, FileStamp, StartPoint, decisions_of, relocate, start_point
from coach.engine import engine
from coach.scenario.loader import load_scenario
from coach.scenario.model import Scenario

HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"


@pytest.fixture
def scenario() -> Scenario:
    loaded = load_scenario(HANDWRITTEN)
    return loaded.require()


def _played(scenario: Scenario, *picks: int, seed: int = 0):
    state = engine.start(scenario)
    for pick in picks:
        state = engine.step(scenario, state, pick, seed=seed)
    return state, decisions_of(scenario, state)


def test_an_edit_elsewhere_keeps_the_place(scenario: Scenario) -> None:
    state, decisions = _played(scenario, 0)
    changed = edits.update(scenario, ("scenes", 1), text="New words.").scenario
    moved = relocate(changed, decisions)
    assert moved.exact and moved.state.scene == "rolled-back" == state.scene
    assert moved.message == "Reloaded: replayed your 1 decision; you are at scene 'rolled-back'."


def test_a_renamed_scene_and_a_reworded_choice_keep_the_place(scenario: Scenario) -> None:
    _, decisions = _played(scenario, 0, 1)
    changed = edits.rename(scenario, ("scenes", 1), "after-rollback").scenario
    changed = edits.update(changed, ("scenes", 1, "choices", 1), text="Retrain overnight").scenario
    moved = relocate(changed, decisions)
    assert moved.exact and moved.state.ending == "escalation"
    assert moved.state.visited[:2] == ("pager", "after-rollback")


def test_deleting_the_choice_taken_never_replays_the_one_that_moves_up(scenario: Scenario) -> None:
    # pager's choice 1 ('rollback') taken; once it is deleted, the old choice 2 is number 1.
    _, decisions = _played(scenario, 0)
    changed = edits.delete(scenario, ("scenes", 0, "choices", 0)).scenario
    moved = relocate(changed, decisions)
    assert not moved.exact and moved.state.scene == "pager" and moved.state.history == ()
    assert "is no longer a choice in 'pager'" in moved.message


def test_a_choice_rewritten_at_its_number_keeps_the_place(scenario: Scenario) -> None:
    _, decisions = _played(scenario, 1)  # pager's choice 2: no id
    changed = edits.update(scenario, ("scenes", 0, "choices", 1), text="Something else entirely").scenario
    moved = relocate(changed, decisions)
    assert moved.exact and len(moved.decisions) == 1


def test_a_deleted_choice_goes_back_to_the_nearest_scene_that_exists(scenario: Scenario) -> None:
    _, decisions = _played(scenario, 0, 1)
    changed = edits.delete(scenario, ("scenes", 1, "choices", 1)).scenario
    changed = edits.update(changed, ("scenes", 1), title="Rolled back, calmly").scenario
    moved = relocate(changed, decisions)
    assert not moved.exact and moved.state.scene == "rolled-back" and not moved.state.finished
    assert len(moved.decisions) == 1
    assert moved.message.startswith("Your place no longer exists: decision 2 (choice 2 in 'rolled-back', “Retrain on")
    assert "Back at scene 'rolled-back', the nearest place on your path that still does (1 of 2 decisions replayed)." in moved.message


def test_a_choice_that_is_locked_now_stops_the_replay(scenario: Scenario) -> None:
    _, decisions = _played(scenario, 0, 0)
    changed = edits.update(scenario, ("scenes", 1, "choices", 0), requires="not rolled_back").scenario
    moved = relocate(changed, decisions)
    assert moved.state.scene == "rolled-back" and "is locked now in 'rolled-back' (requires not rolled_back)" in moved.message


def test_a_redirected_path_stops_where_the_story_now_goes(scenario: Scenario) -> None:
    _, decisions = _played(scenario, 0, 0)
    changed = edits.update(scenario, ("scenes", 0, "choices", 0), goto="lucky").scenario
    moved = relocate(changed, decisions)
    assert moved.state.ending == "steady"  # lucky routes on to an ending: nothing more to replay
    assert "comes after the ending 'steady'" in moved.message


def test_random_outcomes_replay_with_the_same_luck(scenario: Scenario) -> None:
    for seed in range(20):
        state, decisions = _played(scenario, 1, seed=seed)
        again = relocate(scenario, decisions, seed=seed)
        assert again.state == state


def test_a_start_scene_that_is_gone_starts_over(scenario: Scenario) -> None:
    start = StartPoint("rolled-back", {"precision": 0.5, "gone": 1.0}, frozenset({"rolled_back"}))
    state = engine.start(scenario, metrics={"precision": 0.5}, flags=start.flags, at="rolled-back")
    state = engine.step(scenario, state, 1)
    kept = relocate(scenario, decisions_of(scenario, state), start=start)
    assert kept.state.ending == "escalation" and "metric gone no longer exists" in kept.message
    changed = edits.rename(scenario, ("scenes", 1), "after").scenario
    moved = relocate(changed, decisions_of(scenario, state), start=start)
    assert moved.state.scene == "pager" and moved.start.scene is None
    assert "the scene you started from, 'rolled-back', is gone; starting from 'pager'" in moved.message


def test_timeouts_replay_only_where_a_time_limit_remains(scenario: Scenario) -> None:
    timed = edits.update(scenario, ("scenes", 0), time_limit=60, on_timeout="steady").scenario
    state = engine.timeout(timed, engine.start(timed))
    decisions = decisions_of(timed, state)
    assert decisions == (Decision("pager", -1, None, ""),)
    assert relocate(timed, decisions).state.ending == "steady"
    moved = relocate(scenario, decisions)
    assert moved.state.scene == "pager" and "has no time limit now" in moved.message


def test_file_stamp_sees_content_changes_not_touches(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("a")
    stamp = FileStamp.of(str(path))
    assert not stamp.changed()
    os.utime(path, ns=(1, 1))
    assert not stamp.changed()
    path.write_text("b")
    assert stamp.changed() and not stamp.changed()
    path.unlink()
    assert stamp.changed() and not stamp.changed()
    path.write_text("b")
    assert stamp.changed()


def test_start_point_checks_the_options(scenario: Scenario) -> None:
    point = start_point(scenario, scene="rolled-back", sets=["precision=0.5"], flags=["rolled_back"])
    assert point == StartPoint("rolled-back", {"precision": 0.5}, frozenset({"rolled_back"}))
    for kwargs, message in [
        ({"scene": "rolled-bak"}, "--from: no scene 'rolled-bak' (did you mean `rolled-back`?)"),
        ({"scene": "steady"}, "'steady' is an ending"),
        ({"sets": ["precision"]}, "write it as metric=value"),
        ({"sets": ["precison=0.5"]}, "no metric 'precison' (did you mean `precision`?)"),
        ({"sets": ["precision=high"]}, "'high' is not a number"),
        ({"sets": ["precision=2"]}, "precision ranges over 0..1"),
        ({"flags": ["rolledback"]}, "no choice sets 'rolledback' (did you mean `rolled_back`?)"),
    ]:
        with pytest.raises(ValueError, match=re.escape(message)):
            start_point(scenario, **kwargs)


SETUPS = Path(__file__).resolve().parents[1] / "data" / "good" / "setups.toml"


def test_the_preview_keeps_its_setup_across_a_reload() -> None:
    setups_scenario = load_scenario(SETUPS).scenario
    start = start_point(setups_scenario, setup="labels", flags=["cause_units"])  # a setup's flag is a known flag
    assert start.setup == "labels"
    state = engine.step(setups_scenario, engine.start(setups_scenario, setup="labels"), 0)
    moved = relocate(setups_scenario, decisions_of(setups_scenario, state), seed=5, start=StartPoint(), setup="labels")
    assert moved.state.setup == "labels" and moved.state.scene == "labels" and moved.exact
    with pytest.raises(ValueError, match="its setups are: units, labels, fraud"):
        start_point(setups_scenario, setup="label")


def test_a_setup_the_new_version_lacks_gives_way_to_the_seeds_draw() -> None:
    from msgspec.structs import replace

    from coach.engine import setups

    setups_scenario = load_scenario(SETUPS).scenario
    state = engine.start(setups_scenario, setup="units")
    renamed = replace(setups_scenario, setups=[replace(s, id="unit-change") if s.id == "units" else s
                                               for s in setups_scenario.setups])
    moved = relocate(renamed, decisions_of(setups_scenario, state), seed=5, setup="units")
    assert moved.state.setup == setups.draw(renamed, 5)
    assert "the setup 'units' is gone" in moved.message
